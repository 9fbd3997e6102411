import * as assert from 'assert';
import * as path from 'path';
import type { SmtpProbeOptions, SmtpProbeResult } from '../../src/core/live/probeTypes';
import { Firewall, FirewallAction, FirewallRule, firewall, namespacePair, runNodeInNamespace, useNamespacePair } from './peers/netns';

// ---------------------------------------------------------------------------------------------------------
// The real probeSmtp against filtered ports: two network namespaces joined by a veth pair, addresses only on
// that pair (10.199.26.0/29). "remote" runs a small SMTP server on 25/587/2525 and filters with iptables (or
// nft); "client" runs the compiled probeSmtp in a child node process. Nothing leaves the two namespaces.
// Names and subnet differ from outbound25.test.ts so both files can run in one mocha process.

const CONNECT_TIMEOUT_MS = 600;
/** What a probe may take beyond its connect timeout (timer slack, a loaded CI machine). */
const MARGIN_MS = 600;

const SERVER_SCRIPT = `
const net = require('net');
const ports = JSON.parse(process.argv[1]);
let listening = 0;
for (const port of ports) {
  net.createServer((s) => {
    s.on('error', () => {});
    s.write('220 remote.test ESMTP\\r\\n');
    let buffered = '';
    s.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      let i;
      while ((i = buffered.indexOf('\\r\\n')) >= 0) {
        const line = buffered.slice(0, i);
        buffered = buffered.slice(i + 2);
        const verb = line.split(' ')[0].toUpperCase();
        if (verb === 'EHLO') s.write('250-remote.test\\r\\n250 PIPELINING\\r\\n');
        else if (verb === 'HELO') s.write('250 remote.test\\r\\n');
        else if (verb === 'QUIT') { s.end('221 remote.test bye\\r\\n'); return; }
        else s.write('502 5.5.2 not implemented\\r\\n');
      }
    });
  }).listen(port, '0.0.0.0', () => { if (++listening === ports.length) process.stdout.write('ready\\n'); });
}
// Dies with its parent: the test holds stdin open.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

/** Runs the real probeSmtp (compiled module) on each job; prints [{ result, elapsed }] as JSON. */
const CLIENT_SCRIPT = `
const job = JSON.parse(process.argv[1]);
const { probeSmtp } = require(job.module);
(async () => {
  const out = await Promise.all(job.probes.map(async (options) => {
    const started = process.hrtime.bigint();
    const result = await probeSmtp(options);
    return { result, elapsed: Number(process.hrtime.bigint() - started) / 1e6 };
  }));
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`;

const PAIR = namespacePair('sdpf');
const NET = '10.199.26';
const CLIENT_IP = `${NET}.1`;
const REMOTE_IP = `${NET}.2`;
/** In the subnet, on nobody's interface: ARP for it never gets an answer. */
const NOBODY_IP = `${NET}.5`;
const PROBE_MODULE = path.resolve(__dirname, '../../src/core/live/smtpProbe.js');

/** An INPUT rule for REMOTE_IP:dport in the remote namespace. */
const inputRule = (dport: number, action: FirewallAction): FirewallRule => ({ chain: 'input', daddr: REMOTE_IP, dport, action });

interface Probed {
  result: SmtpProbeResult;
  /** ms around probeSmtp inside the client namespace (excludes node start-up). */
  elapsed: number;
}

async function probeFromClient(host: string, port: number, timeouts: SmtpProbeOptions['timeouts'] = {}): Promise<Probed> {
  const options: SmtpProbeOptions = {
    host,
    port,
    ehloName: 'client.test',
    timeouts: { connect: CONNECT_TIMEOUT_MS, greeting: 2_000, command: 2_000, tls: 2_000, ...timeouts },
  };
  const job = { module: PROBE_MODULE, probes: [options] };
  const stdout = await runNodeInNamespace(PAIR.client, CLIENT_SCRIPT, job, 10_000);
  return (JSON.parse(stdout) as Probed[])[0];
}

const show = (p: Probed) => `${p.result.status} in ${p.elapsed.toFixed(0)} ms: ${JSON.stringify(p.result)}`;
/** One line of what was measured, under the test's title. */
const report = (p: Probed) => console.log(`      ${p.result.address}:${p.result.port} ${p.result.status} in ${p.elapsed.toFixed(0)} ms${p.result.detail ? ` (${p.result.detail})` : ''}`);

describe('probeSmtp (real module) against filtered ports between two network namespaces', function () {
  this.timeout(15_000);
  let remoteFirewall: Firewall;

  useNamespacePair(PAIR, { client: [CLIENT_IP], remote: [REMOTE_IP] }, async (startServer) => {
    remoteFirewall = firewall(PAIR.remote, 'sdpf');
    remoteFirewall.add(inputRule(25, 'drop'));
    await startServer(PAIR.remote, SERVER_SCRIPT, [25, 587, 2525], 'the SMTP server');
  });

  // Runs first, on a fresh neighbour table: no ARP entry for NOBODY_IP exists yet.
  it('an address nobody has times out at the connect timeout (ARP would only fail after ~3 s)', async () => {
    const p = await probeFromClient(NOBODY_IP, 25);
    report(p);
    // Linux queues the SYN while it asks ARP (3 tries, 1 s apart) and only then reports EHOSTUNREACH; a connect
    // timeout below ~3 s ends first, so the probe says 'timeout', not 'unreachable'.
    assert.strictEqual(p.result.status, 'timeout', show(p));
    assert.match(p.result.detail ?? '', new RegExp(`no answer within ${CONNECT_TIMEOUT_MS} ms`), show(p));
    assert.strictEqual(p.result.address, NOBODY_IP);
    assert.ok(p.elapsed >= CONNECT_TIMEOUT_MS - 5 && p.elapsed < CONNECT_TIMEOUT_MS + MARGIN_MS, show(p));
  });

  it('port 25 behind a DROP rule times out at the connect timeout', async () => {
    const p = await probeFromClient(REMOTE_IP, 25);
    report(p);
    assert.strictEqual(p.result.status, 'timeout', show(p));
    assert.match(p.result.detail ?? '', new RegExp(`no answer within ${CONNECT_TIMEOUT_MS} ms`), show(p));
    assert.strictEqual(p.result.address, REMOTE_IP);
    assert.strictEqual(p.result.banner, undefined);
    const connect = p.result.timings.connect ?? NaN;
    assert.ok(connect >= CONNECT_TIMEOUT_MS - 5 && connect < CONNECT_TIMEOUT_MS + MARGIN_MS, `connect step took ${connect} ms: ${show(p)}`);
    assert.ok(p.elapsed < CONNECT_TIMEOUT_MS + MARGIN_MS && p.result.timings.total < CONNECT_TIMEOUT_MS + MARGIN_MS, show(p));
  });

  it('port 587 answers: open, the banner, EHLO extensions with PIPELINING and no STARTTLS', async () => {
    const p = await probeFromClient(REMOTE_IP, 587);
    report(p);
    assert.strictEqual(p.result.status, 'open', show(p));
    assert.strictEqual(p.result.banner, 'remote.test ESMTP');
    assert.ok(p.result.extensions && 'PIPELINING' in p.result.extensions, show(p));
    assert.ok(!('STARTTLS' in (p.result.extensions ?? {})), show(p));
    assert.strictEqual(p.result.tls, undefined);
    assert.strictEqual(p.result.extensionsAfterTls, undefined);
    assert.strictEqual(p.result.detail, undefined, show(p));
    assert.ok(p.elapsed < CONNECT_TIMEOUT_MS, show(p));
  });

  describe('port 2525 behind REJECT rules', () => {
    it('is open without a rule (so a refusal below comes from the rule, not a missing listener)', async () => {
      const p = await probeFromClient(REMOTE_IP, 2525);
      report(p);
      assert.strictEqual(p.result.status, 'open', show(p));
      assert.strictEqual(p.result.banner, 'remote.test ESMTP');
    });

    /** Probes 2525 with the rule in place: refused at once with ECONNREFUSED. */
    const probeRefusedBehind = (action: FirewallAction) =>
      remoteFirewall.withRule(inputRule(2525, action), async () => {
        const p = await probeFromClient(REMOTE_IP, 2525);
        report(p);
        assert.strictEqual(p.result.status, 'refused', show(p));
        assert.match(p.result.detail ?? '', /ECONNREFUSED/, show(p));
        assert.ok(p.elapsed < CONNECT_TIMEOUT_MS / 2, show(p));
      });

    it('REJECT --reject-with tcp-reset → refused at once (ECONNREFUSED)', () => probeRefusedBehind('tcp-reset'));

    // Measured here: 'refused' with ECONNREFUSED in a few ms, never 'unreachable' (that would need
    // host- or network-unreachable ICMP, e.g. --reject-with icmp-host-unreachable → EHOSTUNREACH).
    it('REJECT (ICMP port-unreachable) → refused at once too: Linux reports it to a connecting TCP socket as ECONNREFUSED', () =>
      probeRefusedBehind('icmp'));
  });
});
