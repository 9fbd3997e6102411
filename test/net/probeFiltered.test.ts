import * as assert from 'assert';
import { ChildProcess, execFile, execFileSync, spawn } from 'child_process';
import * as path from 'path';
import { promisify } from 'util';
import type { SmtpProbeOptions, SmtpProbeResult } from '../../src/core/net/probeTypes';

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

const run = promisify(execFile);
const id = process.pid % 100_000;
const NS_CLIENT = `sdpf-${id}-client`;
const NS_REMOTE = `sdpf-${id}-remote`;
const VETH_CLIENT = `sdpfc${id}`;
const VETH_REMOTE = `sdpfr${id}`;
const NET = '10.199.26';
const CLIENT_IP = `${NET}.1`;
const REMOTE_IP = `${NET}.2`;
/** In the subnet, on nobody's interface: ARP for it never gets an answer. */
const NOBODY_IP = `${NET}.5`;
const PROBE_MODULE = path.resolve(__dirname, '../../src/core/net/smtpProbe.js');

type Action = 'drop' | 'tcp-reset' | 'icmp';

const hasCommand = (cmd: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** INPUT rules inside one namespace, with iptables if present, else nft. */
function firewall(ns: string) {
  const useIptables = hasCommand('iptables');
  const exec = (args: string[]) => execFileSync('ip', ['netns', 'exec', ns, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (!useIptables) {
    exec(['nft', 'add', 'table', 'inet', 'sdpf']);
    exec(['nft', 'add', 'chain', 'inet', 'sdpf', 'input', '{ type filter hook input priority 0; }']);
  }
  return {
    add(dport: number, action: Action) {
      if (useIptables) {
        const target = { drop: ['DROP'], 'tcp-reset': ['REJECT', '--reject-with', 'tcp-reset'], icmp: ['REJECT'] }[action];
        exec(['iptables', '-A', 'INPUT', '-d', REMOTE_IP, '-p', 'tcp', '--dport', String(dport), '-j', ...target]);
      } else {
        const verdict = { drop: ['drop'], 'tcp-reset': ['reject', 'with', 'tcp', 'reset'], icmp: ['reject'] }[action];
        exec(['nft', 'add', 'rule', 'inet', 'sdpf', 'input', 'ip', 'daddr', REMOTE_IP, 'tcp', 'dport', String(dport), ...verdict]);
      }
    },
    /** Deletes the rule `add` made (the other rules stay). */
    remove(dport: number, action: Action) {
      if (useIptables) {
        const target = { drop: ['DROP'], 'tcp-reset': ['REJECT', '--reject-with', 'tcp-reset'], icmp: ['REJECT'] }[action];
        exec(['iptables', '-D', 'INPUT', '-d', REMOTE_IP, '-p', 'tcp', '--dport', String(dport), '-j', ...target]);
      } else {
        // nft deletes by handle only: flush, then restore the one rule that stays for the whole file (25 DROP).
        exec(['nft', 'flush', 'chain', 'inet', 'sdpf', 'input']);
        if (dport !== 25 || action !== 'drop') this.add(25, 'drop');
      }
    },
  };
}

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
  const { stdout } = await run('ip', ['netns', 'exec', NS_CLIENT, process.execPath, '-e', CLIENT_SCRIPT, JSON.stringify(job)], { timeout: 10_000 });
  return (JSON.parse(stdout) as Probed[])[0];
}

const show = (p: Probed) => `${p.result.status} in ${p.elapsed.toFixed(0)} ms: ${JSON.stringify(p.result)}`;
/** One line of what was measured, under the test's title. */
const report = (p: Probed) => console.log(`      ${p.result.address}:${p.result.port} ${p.result.status} in ${p.elapsed.toFixed(0)} ms${p.result.detail ? ` (${p.result.detail})` : ''}`);

describe('probeSmtp (real module) against filtered ports between two network namespaces', function () {
  this.timeout(15_000);
  let server: ChildProcess | undefined;
  let remoteFirewall: ReturnType<typeof firewall>;

  function cleanUp() {
    if (server) {
      server.stdin?.end();
      server.kill();
      server = undefined;
    }
    // Deleting a namespace removes its veth end (and so the pair), its addresses and its firewall rules.
    for (const ns of [NS_CLIENT, NS_REMOTE]) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
      } catch {
        // Not there: nothing to clean.
      }
    }
  }

  before(async function () {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) {
      console.log(`      cannot create network namespaces here: needs root on Linux (platform ${process.platform}, uid ${process.getuid?.()})`);
      this.skip();
    }
    cleanUp();
    try {
      const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
      ip('netns', 'add', NS_CLIENT);
      ip('netns', 'add', NS_REMOTE);
      ip('link', 'add', VETH_CLIENT, 'netns', NS_CLIENT, 'type', 'veth', 'peer', 'name', VETH_REMOTE, 'netns', NS_REMOTE);
      ip('-n', NS_CLIENT, 'addr', 'add', `${CLIENT_IP}/29`, 'dev', VETH_CLIENT);
      ip('-n', NS_REMOTE, 'addr', 'add', `${REMOTE_IP}/29`, 'dev', VETH_REMOTE);
      for (const [ns, dev] of [[NS_CLIENT, VETH_CLIENT], [NS_REMOTE, VETH_REMOTE]]) {
        ip('-n', ns, 'link', 'set', 'lo', 'up');
        ip('-n', ns, 'link', 'set', dev, 'up');
      }

      remoteFirewall = firewall(NS_REMOTE);
      remoteFirewall.add(25, 'drop');

      server = spawn('ip', ['netns', 'exec', NS_REMOTE, process.execPath, '-e', SERVER_SCRIPT, JSON.stringify([25, 587, 2525])], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      const child = server;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the SMTP server in the remote namespace did not start in 5 s')), 5_000);
        child.stdout?.once('data', () => {
          clearTimeout(timer);
          resolve();
        });
        child.once('error', reject);
        child.once('exit', (code) => reject(new Error(`the SMTP server in the remote namespace exited (${code})`)));
      });
    } catch (error) {
      cleanUp();
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      console.log(`      cannot create network namespaces here: ${stderr || (error as Error).message}`);
      this.skip();
    }
  });

  after(cleanUp);

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

    it('REJECT --reject-with tcp-reset → refused at once (ECONNREFUSED)', async () => {
      remoteFirewall.add(2525, 'tcp-reset');
      try {
        const p = await probeFromClient(REMOTE_IP, 2525);
        report(p);
        assert.strictEqual(p.result.status, 'refused', show(p));
        assert.match(p.result.detail ?? '', /ECONNREFUSED/, show(p));
        assert.ok(p.elapsed < CONNECT_TIMEOUT_MS / 2, show(p));
      } finally {
        remoteFirewall.remove(2525, 'tcp-reset');
      }
    });

    it('REJECT (ICMP port-unreachable) → refused at once too: Linux reports it to a connecting TCP socket as ECONNREFUSED', async () => {
      remoteFirewall.add(2525, 'icmp');
      try {
        const p = await probeFromClient(REMOTE_IP, 2525);
        report(p);
        // Measured here: 'refused' with ECONNREFUSED in a few ms, never 'unreachable' (that would need
        // host- or network-unreachable ICMP, e.g. --reject-with icmp-host-unreachable → EHOSTUNREACH).
        assert.strictEqual(p.result.status, 'refused', show(p));
        assert.match(p.result.detail ?? '', /ECONNREFUSED/, show(p));
        assert.ok(p.elapsed < CONNECT_TIMEOUT_MS / 2, show(p));
      } finally {
        remoteFirewall.remove(2525, 'icmp');
      }
    });
  });
});
