import * as assert from 'assert';
import * as path from 'path';
import {
  DEFAULT_REFERENCE_MX_HOSTS,
  DEFAULT_SUBMISSION_PORTS,
  decideOutbound25,
  diagnoseOutbound25,
  Outbound25Diagnosis,
  Outbound25Verdict,
} from '../../src/core/live/outbound25';
import type { ProbeStatus, SmtpProbeResult } from '../../src/core/live/probeTypes';
import { Firewall, firewall, namespacePair, runNodeInNamespace, useNamespacePair } from './peers/netns';

function r(host: string, port: number, status: ProbeStatus, ms = 10): SmtpProbeResult {
  return { host, port, status, timings: { total: ms } };
}

const HOST = 'mail.example.test';
const REFS = ['ref1.example.test', 'ref2.example.test', 'ref3.example.test'];
const refs = (...statuses: ProbeStatus[]) => statuses.map((s, i) => r(REFS[i], 25, s));

describe('outbound port 25 diagnosis: the decision', () => {
  const cases: Array<[string, ProbeStatus, SmtpProbeResult[], SmtpProbeResult[], Outbound25Verdict]> = [
    ['25 answers with a greeting', 'open', [], [], 'not-blocked'],
    ['25 connects but never greets', 'no-greeting', [], refs('timeout', 'timeout'), 'not-blocked'],
    ['25 refused while references answer', 'refused', [], refs('open', 'open'), 'not-blocked'],
    ['25 refused here and at the references, 587 connects (network forges resets)', 'refused', [r(HOST, 587, 'open')], refs('refused', 'refused'), 'network-blocks-25'],
    ['25 silent here and at 2 references, 587 connects', 'timeout', [r(HOST, 587, 'open')], refs('timeout', 'timeout'), 'network-blocks-25'],
    ['25 silent, references silent or reset, 465 refused (the host answers)', 'timeout', [r(HOST, 465, 'refused')], refs('timeout', 'refused'), 'network-blocks-25'],
    ['25 unreachable here and at the references (ICMP prohibited), 587 connects', 'unreachable', [r(HOST, 587, 'open')], refs('unreachable', 'unreachable'), 'network-blocks-25'],
    ['25 silent, references answer, 587 connects', 'timeout', [r(HOST, 587, 'open'), r(HOST, 465, 'timeout')], refs('open', 'open'), 'host-filtered'],
    ['25 silent, references answer, submission not probed', 'timeout', [], refs('open', 'open'), 'host-filtered'],
    ['25 silent, one reference of three answers', 'timeout', [r(HOST, 587, 'open')], refs('timeout', 'open', 'timeout'), 'host-filtered'],
    ['25, 587 and 465 silent while references answer', 'timeout', [r(HOST, 587, 'timeout'), r(HOST, 465, 'timeout')], refs('open', 'bad-greeting'), 'host-down'],
    ['nothing answers anywhere', 'timeout', [r(HOST, 587, 'timeout'), r(HOST, 465, 'timeout')], refs('timeout', 'timeout'), 'inconclusive'],
    ['25 and references silent, submission not probed', 'timeout', [], refs('timeout', 'timeout'), 'inconclusive'],
    ['only one reference probed', 'timeout', [r(HOST, 587, 'open')], refs('timeout'), 'inconclusive'],
    ['references do not resolve', 'timeout', [r(HOST, 587, 'open')], refs('dns-failure', 'dns-failure'), 'inconclusive'],
    ['the host does not resolve', 'dns-failure', [], refs('open', 'open'), 'inconclusive'],
    ['the probe of 25 was cancelled', 'cancelled', [], refs('open', 'open'), 'inconclusive'],
  ];
  for (const [name, port25, submission, references, verdict] of cases) {
    it(`${name} → ${verdict}`, () => {
      const d = decideOutbound25({ host: HOST, port25: r(HOST, 25, port25), submission, references });
      assert.strictEqual(d.verdict, verdict, d.summary);
      assert.strictEqual(d.evidence.length, 1 + submission.length + references.length);
      assert.ok(d.summary.length > 0 && d.recommendation.length > 0);
      assert.strictEqual(d.missing !== undefined, verdict === 'inconclusive', 'only an inconclusive verdict lists what is missing');
    });
  }

  it('lists every probe as evidence: host:port, role, status and ms', () => {
    const d = decideOutbound25({
      host: HOST,
      port25: { ...r(HOST, 25, 'timeout', 5000.4), detail: 'no answer in 5000 ms' },
      submission: [r(HOST, 587, 'open', 42)],
      references: [r('ref1.example.test', 25, 'timeout', 5001), r('2001:db8::25', 25, 'timeout', 5002)],
    });
    assert.deepStrictEqual(d.evidence, [
      { target: `${HOST}:25`, host: HOST, port: 25, role: 'host-25', status: 'timeout', ms: 5000, detail: 'no answer in 5000 ms' },
      { target: `${HOST}:587`, host: HOST, port: 587, role: 'host-submission', status: 'open', ms: 42 },
      { target: 'ref1.example.test:25', host: 'ref1.example.test', port: 25, role: 'reference-25', status: 'timeout', ms: 5001 },
      { target: '[2001:db8::25]:25', host: '2001:db8::25', port: 25, role: 'reference-25', status: 'timeout', ms: 5002 },
    ]);
  });

  it('recommends a 587 relay with STARTTLS and auth, or lifting the block, when the network blocks 25', () => {
    const d = decideOutbound25({ host: HOST, port25: r(HOST, 25, 'timeout'), submission: [r(HOST, 587, 'open')], references: refs('timeout', 'timeout') });
    assert.match(d.summary, /your network blocks outbound port 25/);
    assert.match(d.recommendation, /587 with STARTTLS and authentication/);
    assert.match(d.recommendation, /lift the block/);
  });

  it('points at the host firewall when the host filters 25, and at the machine when it is down', () => {
    const filtered = decideOutbound25({ host: HOST, port25: r(HOST, 25, 'timeout'), submission: [r(HOST, 587, 'open')], references: refs('open', 'open') });
    assert.match(filtered.recommendation, /firewall/);
    const down = decideOutbound25({ host: HOST, port25: r(HOST, 25, 'timeout'), submission: [r(HOST, 587, 'timeout')], references: refs('open') });
    assert.match(down.recommendation, /machine is up/);
  });

  it('says what is missing when it cannot decide', () => {
    const d = decideOutbound25({ host: HOST, port25: r(HOST, 25, 'timeout'), submission: [], references: refs('timeout', 'timeout') });
    assert.deepStrictEqual(d.missing, [`a probe of ${HOST} on 587 or 465`]);
  });
});

describe('outbound port 25 diagnosis: gathering the probes', () => {
  function fakeProbe(statuses: Record<string, ProbeStatus>) {
    const calls: string[] = [];
    const signals: AbortSignal[] = [];
    const probe = async (host: string, port: number, signal: AbortSignal) => {
      calls.push(`${host}:${port}`);
      signals.push(signal);
      await new Promise((resolve) => setImmediate(resolve));
      return r(host, port, signal.aborted ? 'cancelled' : (statuses[`${host}:${port}`] ?? 'timeout'));
    };
    return { probe, calls, signals };
  }

  it('probes the missing submission ports and the references, skipping the host itself and ports already known', async () => {
    const fake = fakeProbe({ [`${HOST}:587`]: 'open', 'ref1.example.test:25': 'timeout', 'ref2.example.test:25': 'timeout' });
    const d = await diagnoseOutbound25(
      { host: HOST, port25: r(HOST, 25, 'timeout'), submission: [r(HOST, 465, 'timeout')], referenceHosts: ['ref1.example.test', HOST.toUpperCase(), 'ref2.example.test'] },
      { probe: fake.probe },
    );
    assert.deepStrictEqual(fake.calls.sort(), [`${HOST}:587`, 'ref1.example.test:25', 'ref2.example.test:25']);
    assert.strictEqual(d.verdict, 'network-blocks-25');
    assert.deepStrictEqual(d.evidence.map((e) => `${e.target} ${e.status}`), [
      `${HOST}:25 timeout`,
      `${HOST}:465 timeout`,
      `${HOST}:587 open`,
      'ref1.example.test:25 timeout',
      'ref2.example.test:25 timeout',
    ]);
  });

  it('probes host:25 itself when no result is given', async () => {
    const fake = fakeProbe({ [`${HOST}:25`]: 'open' });
    const d = await diagnoseOutbound25({ host: HOST, referenceHosts: [] }, { probe: fake.probe });
    assert.ok(fake.calls.includes(`${HOST}:25`));
    assert.strictEqual(d.verdict, 'not-blocked');
  });

  it('probes nothing when the given host:25 result already connects', async () => {
    const fake = fakeProbe({});
    const d = await diagnoseOutbound25({ host: HOST, port25: r(HOST, 25, 'open') }, { probe: fake.probe });
    assert.deepStrictEqual(fake.calls, []);
    assert.strictEqual(d.verdict, 'not-blocked');
  });

  it('uses the default reference list and submission ports (with a fake probe: nothing is contacted)', async () => {
    const fake = fakeProbe({});
    await diagnoseOutbound25({ host: HOST, port25: r(HOST, 25, 'timeout') }, { probe: fake.probe });
    assert.ok(DEFAULT_REFERENCE_MX_HOSTS.length >= 3);
    assert.deepStrictEqual(
      fake.calls.sort(),
      [...DEFAULT_SUBMISSION_PORTS.map((p) => `${HOST}:${p}`), ...DEFAULT_REFERENCE_MX_HOSTS.map((h) => `${h}:25`)].sort(),
    );
  });

  it('hands the caller’s cancellation to every probe', async () => {
    const fake = fakeProbe({});
    const controller = new AbortController();
    controller.abort();
    const d = await diagnoseOutbound25({ host: HOST, port25: r(HOST, 25, 'timeout'), referenceHosts: REFS }, { probe: fake.probe, signal: controller.signal });
    assert.ok(fake.signals.every((s) => s.aborted));
    assert.strictEqual(d.verdict, 'inconclusive');
  });

  it('rethrows a probe that throws (a bug) after aborting the others', async () => {
    const signals: AbortSignal[] = [];
    const probe = async (host: string, port: number, signal: AbortSignal) => {
      signals.push(signal);
      if (host === 'ref2.example.test') throw new Error('probe bug');
      await new Promise((resolve) => setTimeout(resolve, 5));
      return r(host, port, 'timeout');
    };
    await assert.rejects(
      diagnoseOutbound25({ host: HOST, port25: r(HOST, 25, 'timeout'), referenceHosts: REFS }, { probe }),
      /probe bug/,
    );
    assert.ok(signals.length > 0 && signals.every((s) => s.aborted));
  });
});

// ---------------------------------------------------------------------------------------------------------
// A real filtered port: two network namespaces joined by a veth pair, addresses only on that pair.
// "remote" runs a TCP server on 25/587/465/2525 and filters with iptables (or nft); "client" runs the probes
// in a child node process. Nothing leaves the two namespaces.

const CONNECT_TIMEOUT_MS = 400;

/** Minimal TCP connect probe; self-contained because its source is also run inside the client namespace. */
function tcpConnectProbe(host: string, port: number, signal: AbortSignal | undefined, timeoutMs: number): Promise<SmtpProbeResult> {
  const net = require('net') as typeof import('net');
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let done = false;
    const finish = (status: ProbeStatus, detail?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      const total = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({ host, port, status, ...(detail ? { detail } : {}), timings: { total } });
    };
    const onAbort = () => finish('cancelled');
    const timer = setTimeout(() => finish('timeout', `no answer in ${timeoutMs} ms`), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish('open'));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish(
        error.code === 'ECONNREFUSED' ? 'refused' : error.code === 'EHOSTUNREACH' || error.code === 'ENETUNREACH' ? 'unreachable' : 'timeout',
        error.code,
      ),
    );
  });
}

const SERVER_SCRIPT = `
const net = require('net');
const ports = JSON.parse(process.argv[1]);
let listening = 0;
for (const port of ports) {
  net.createServer((s) => { s.on('error', () => {}); s.end('220 test ESMTP\\r\\n'); })
    .listen(port, '0.0.0.0', () => { if (++listening === ports.length) process.stdout.write('ready\\n'); });
}
// Dies with its parent: the test holds stdin open.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

const CLIENT_SCRIPT = `
const tcpConnectProbe = (${tcpConnectProbe.toString()});
const job = JSON.parse(process.argv[1]);
const probe = (host, port, signal) => tcpConnectProbe(host, port, signal, job.timeoutMs);
(async () => {
  const out = job.kind === 'probe'
    ? await Promise.all(job.targets.map(([host, port]) => probe(host, port, undefined)))
    : await require(job.module).diagnoseOutbound25(job.input, { probe });
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`;

const PAIR = namespacePair('sd25');
const NET = '10.199.25';
const CLIENT_IP = `${NET}.1`;
/** 25 dropped, 587 open, 465 rejected with a TCP reset, 2525 rejected with ICMP port-unreachable. */
const FILTERED_HOST = `${NET}.2`;
/** Answer on every port: stand-ins for the reference MX hosts (and for a healthy mail host). */
const OPEN_HOSTS = [`${NET}.3`, `${NET}.4`, `${NET}.6`];
/** Drops everything. */
const DEAD_HOST = `${NET}.5`;

async function inClient<T>(job: object): Promise<T> {
  const stdout = await runNodeInNamespace(PAIR.client, CLIENT_SCRIPT, job, 15_000);
  return JSON.parse(stdout) as T;
}

const probeFromClient = (targets: Array<[string, number]>) =>
  inClient<SmtpProbeResult[]>({ kind: 'probe', targets, timeoutMs: CONNECT_TIMEOUT_MS });

const diagnoseFromClient = (host: string, referenceHosts: string[]) =>
  inClient<Outbound25Diagnosis>({
    kind: 'diagnose',
    module: path.resolve(__dirname, '../../src/core/live/outbound25.js'),
    input: { host, referenceHosts },
    timeoutMs: CONNECT_TIMEOUT_MS,
  });

describe('outbound port 25 diagnosis: a real filtered port between two network namespaces', function () {
  this.timeout(20_000);
  let clientFirewall: Firewall;

  useNamespacePair(PAIR, { client: [CLIENT_IP], remote: [FILTERED_HOST, ...OPEN_HOSTS, DEAD_HOST] }, async (startServer) => {
    const remoteFirewall = firewall(PAIR.remote, 'sd25', ['input', 'output']);
    remoteFirewall.add({ chain: 'input', daddr: FILTERED_HOST, dport: 25, action: 'drop' });
    remoteFirewall.add({ chain: 'input', daddr: FILTERED_HOST, dport: 465, action: 'tcp-reset' });
    remoteFirewall.add({ chain: 'input', daddr: FILTERED_HOST, dport: 2525, action: 'icmp' });
    remoteFirewall.add({ chain: 'input', daddr: DEAD_HOST, action: 'drop' });
    clientFirewall = firewall(PAIR.client, 'sd25', ['input', 'output']);
    await startServer(PAIR.remote, SERVER_SCRIPT, [25, 587, 465, 2525], 'the server');
  });

  it('a DROP rule makes port 25 time out, while 587 on the same host and 25 elsewhere connect', async () => {
    const started = Date.now();
    const [p25, p587, ref25] = await probeFromClient([[FILTERED_HOST, 25], [FILTERED_HOST, 587], [OPEN_HOSTS[0], 25]]);
    const wall = Date.now() - started;
    assert.strictEqual(p25.status, 'timeout');
    assert.ok(
      p25.timings.total >= CONNECT_TIMEOUT_MS - 5 && p25.timings.total < CONNECT_TIMEOUT_MS + 300,
      `port 25 gave up after ${p25.timings.total.toFixed(0)} ms (timeout ${CONNECT_TIMEOUT_MS} ms)`,
    );
    assert.ok(wall < CONNECT_TIMEOUT_MS + 3_000, `the whole probe run took ${wall} ms`);
    assert.strictEqual(p587.status, 'open');
    assert.ok(p587.timings.total < CONNECT_TIMEOUT_MS / 2, `587 connected in ${p587.timings.total.toFixed(1)} ms`);
    assert.strictEqual(ref25.status, 'open');
  });

  it('a REJECT rule makes the port refuse at once (TCP reset or ICMP port-unreachable)', async () => {
    const [reset, icmp] = await probeFromClient([[FILTERED_HOST, 465], [FILTERED_HOST, 2525]]);
    assert.deepStrictEqual([reset.status, icmp.status], ['refused', 'refused']);
    assert.ok(reset.timings.total < CONNECT_TIMEOUT_MS / 2 && icmp.timings.total < CONNECT_TIMEOUT_MS / 2);
  });

  it('diagnoses the filtered host: references answer on 25, the host drops it', async () => {
    const d = await diagnoseFromClient(FILTERED_HOST, OPEN_HOSTS.slice(0, 2));
    assert.strictEqual(d.verdict, 'host-filtered', d.summary);
    assert.deepStrictEqual(d.evidence.map((e) => `${e.target} ${e.status}`), [
      `${FILTERED_HOST}:25 timeout`,
      `${FILTERED_HOST}:587 open`,
      `${FILTERED_HOST}:465 refused`,
      `${OPEN_HOSTS[0]}:25 open`,
      `${OPEN_HOSTS[1]}:25 open`,
    ]);
  });

  it('diagnoses a host that drops everything as down', async () => {
    const d = await diagnoseFromClient(DEAD_HOST, OPEN_HOSTS.slice(0, 2));
    assert.strictEqual(d.verdict, 'host-down', d.summary);
  });

  it('diagnoses a client network that drops outbound 25', async () => {
    await clientFirewall.withRule({ chain: 'output', dport: 25, action: 'drop' }, async () => {
      const d = await diagnoseFromClient(OPEN_HOSTS[0], OPEN_HOSTS.slice(1));
      assert.strictEqual(d.verdict, 'network-blocks-25', d.summary);
      assert.deepStrictEqual(d.evidence.map((e) => `${e.target} ${e.status}`), [
        `${OPEN_HOSTS[0]}:25 timeout`,
        `${OPEN_HOSTS[0]}:587 open`,
        `${OPEN_HOSTS[0]}:465 open`,
        `${OPEN_HOSTS[1]}:25 timeout`,
        `${OPEN_HOSTS[2]}:25 timeout`,
      ]);
    });
  });

  it('diagnoses a client network that resets outbound 25', async () => {
    await clientFirewall.withRule({ chain: 'output', dport: 25, action: 'tcp-reset' }, async () => {
      const d = await diagnoseFromClient(OPEN_HOSTS[0], OPEN_HOSTS.slice(1));
      assert.strictEqual(d.verdict, 'network-blocks-25', d.summary);
      assert.ok(d.evidence.filter((e) => e.port === 25).every((e) => e.status === 'refused'));
    });
  });

  it('finds port 25 not blocked once the client rule is gone', async () => {
    const d = await diagnoseFromClient(OPEN_HOSTS[0], OPEN_HOSTS.slice(1));
    assert.strictEqual(d.verdict, 'not-blocked', d.summary);
  });
});
