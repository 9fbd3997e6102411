// Load: 1,000 probes through runLiveChecks, a DNS server that drops every other query, cancellation in the
// middle — no crash, no unhandled rejection, every target accounted for in the report, no socket left over.
// All traffic stays on 127.0.0.0/8: the SMTP servers are bound to specific 127.x addresses, every DNS query
// goes to the in-process flaky server on 127.0.0.1, and no target uses port 25 (so the outbound-25
// diagnosis never starts; its reference hosts point at loopback anyway).

import * as assert from 'assert';
import * as net from 'net';
import { performance } from 'perf_hooks';
import { type LiveCheckReport, type LiveResult, runLiveChecks } from '../../src/core/live/liveChecks';
import type { LiveTargets, ProbeTarget } from '../../src/core/live/liveTargets';
import type { ProbeStatus, SmtpProbeResult } from '../../src/core/live/probeTypes';
import { type FlakyDnsPeer, reverseName4, startFlakyDns } from './peers/flakyDns';

const PROBES = 1000;
const CONCURRENCY = 64;
const STEP_MS = 1000;
/** Through the flaky DNS server: shorter, since most names wait for at least one retransmission. */
const DNS_STEP_MS = 500;
/** Loopback only, should the diagnosis ever run. */
const REFERENCE_HOSTS = ['127.0.0.2', '127.0.0.3'];

type Kind = 'open' | 'refused' | 'silent' | 'nxdomain';
/** What a probe of each kind ends with when nothing gets in the way. */
const EXPECTED_STATUS: Record<Kind, ProbeStatus> = { open: 'open', refused: 'refused', silent: 'no-greeting', nxdomain: 'dns-failure' };
/** The finding each status puts on the config line (open: no STARTTLS offered). */
const EXPECTED_RULE: Record<ProbeStatus, string | undefined> = {
  open: 'smtp/starttls-missing',
  refused: 'smtp/port-refused',
  'no-greeting': 'smtp/no-greeting',
  'dns-failure': 'dns/lookup-failed',
  timeout: 'smtp/port-timeout',
  unreachable: 'smtp/port-timeout',
  'bad-greeting': 'smtp/bad-greeting',
  cancelled: undefined,
};

type Handle = object;
const activeHandles = (): Handle[] => (process as unknown as { _getActiveHandles(): Handle[] })._getActiveHandles();
const activeTimers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Many small SMTP servers, each bound to one 127.x address; every socket they accept is theirs. */
class Fleet {
  readonly own = new Set<net.Socket>();
  private readonly servers: net.Server[] = [];

  async listen(address: string, kind: 'open' | 'silent', port = 0): Promise<number> {
    const server = net.createServer((socket) => {
      this.own.add(socket);
      socket.on('error', () => undefined);
      socket.once('close', () => this.own.delete(socket));
      if (kind === 'open') smtp(socket);
    });
    this.servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, address, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return (server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    const closed = this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    for (const s of this.own) s.destroy();
    await Promise.all(closed);
  }
}

/** Greeting, EHLO (no STARTTLS), QUIT. */
function smtp(socket: net.Socket): void {
  socket.write('220 load.test ESMTP\r\n');
  let buffer = '';
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
      const verb = buffer.slice(0, nl).trim().split(' ')[0].toUpperCase();
      buffer = buffer.slice(nl + 1);
      if (verb === 'EHLO') socket.write('250-load.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n');
      else if (verb === 'HELO') socket.write('250 load.test\r\n');
      else if (verb === 'QUIT') return void socket.end('221 2.0.0 Bye\r\n');
      else socket.write('502 5.5.2 no\r\n');
    }
  });
}

/** A port on `address` with nothing listening (bound, then released). */
async function closedPort(address: string): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const location = (i: number) => ({ file: `load/targets.cf`, range: { start: { line: i, character: 0 }, end: { line: i, character: 10 } } });
const key = (host: string, port: number) => `${host.toLowerCase()}:${port}`;

interface Plan {
  readonly targets: LiveTargets;
  /** host:port → what the endpoint does. */
  readonly kinds: Map<string, Kind>;
  /** Expected MX exchanges (with their A records) and PTR names, for the DNS checks. */
  readonly mx: Map<string, { exchange: string; preference: number; address?: string }[] | 'null' | 'nxdomain'>;
  readonly ptr: Map<string, { name?: string }>;
  /** PTR targets given as host names (like myhostname): name → the address it resolves to (none: unknown). */
  readonly ptrNames: Map<string, string | undefined>;
}

/** The run's 1,000 endpoints: 70% answer SMTP, 20% refuse, 10% stay silent (as kinds go by i % 20). */
function kindOf(i: number): Exclude<Kind, 'nxdomain'> {
  const r = i % 20;
  return r < 14 ? 'open' : r < 18 ? 'refused' : 'silent';
}

/**
 * Every problem the report can have with respect to the targets, as readable lines (empty when all is well).
 * Port 25 of the MX hosts of the plan's domains is probed too: those probes are accounted for apart (each
 * host once, on loopback), and the target probes must add up on their own.
 */
function accountingProblems(report: LiveCheckReport, targets: LiveTargets, mxHosts: ReadonlySet<string> = new Set()): string[] {
  const problems: string[] = [];
  const wanted = new Map(targets.probes.map((t) => [key(t.host, t.port), t]));
  const seen = new Map<string, number>();
  const mxProbes = report.probes.filter((p) => p.port === 25 && mxHosts.has(p.host.toLowerCase()) && !wanted.has(key(p.host, p.port)));
  const probes = report.probes.filter((p) => !mxProbes.includes(p));
  for (const p of mxProbes) if (p.address !== undefined && !p.address.startsWith('127.')) problems.push(`MX ${key(p.host, 25)} went to ${p.address}, off loopback`);
  if (new Set(mxProbes.map((p) => p.host.toLowerCase())).size !== mxProbes.length) problems.push('an MX host was probed twice');
  report = { ...report, probes };
  for (const p of report.probes) seen.set(key(p.host, p.port), (seen.get(key(p.host, p.port)) ?? 0) + 1);
  for (const [k, n] of seen) {
    if (!wanted.has(k)) problems.push(`unexpected probe ${k}`);
    else if (n !== 1) problems.push(`${k} reported ${n} times`);
  }
  for (const k of wanted.keys()) if (!seen.has(k)) problems.push(`${k} missing from the report`);
  for (const p of report.probes) if (!(p.status in EXPECTED_RULE)) problems.push(`${key(p.host, p.port)} has no valid status (${p.status})`);
  for (const p of report.probes) if (p.address !== undefined && !p.address.startsWith('127.')) problems.push(`${key(p.host, p.port)} went to ${p.address}, off loopback`);
  if (report.probes.length !== targets.probes.length) problems.push(`${report.probes.length} probes reported, ${targets.probes.length} targets`);
  // Each probe's finding sits on its target's line: exactly the one its status calls for.
  const byLine = new Map<number, string[]>();
  for (const f of report.findings) byLine.set(f.range.start.line, [...(byLine.get(f.range.start.line) ?? []), f.ruleId]);
  for (const p of report.probes) {
    const t = wanted.get(key(p.host, p.port));
    if (!t) continue;
    const rule = EXPECTED_RULE[p.status];
    const got = byLine.get(t.locations[0].range.start.line) ?? [];
    if (JSON.stringify(got) !== JSON.stringify(rule ? [rule] : [])) problems.push(`${key(p.host, p.port)} (${p.status}) has findings ${JSON.stringify(got)}`);
  }
  return problems;
}

/** The plan's MX exchanges, whose port 25 the run probes too. */
function mxHostsOf(plan: Plan): Set<string> {
  return new Set([...plan.mx.values()].flatMap((v) => (Array.isArray(v) ? v.map((m) => m.exchange.toLowerCase()) : [])));
}

/** The report's probes of the plan's own targets (without the MX hosts' port 25). */
function targetProbes(report: LiveCheckReport, plan: Plan): SmtpProbeResult[] {
  const wanted = new Set(plan.targets.probes.map((t) => key(t.host, t.port)));
  return report.probes.filter((p) => wanted.has(key(p.host, p.port)));
}

function countByStatus(probes: readonly { readonly status: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of probes) counts[p.status] = (counts[p.status] ?? 0) + 1;
  return counts;
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe('live checks under load (1,000 probes on loopback)', function () {
  this.timeout(60_000);
  const unhandled: unknown[] = [];
  const uncaught: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const onUncaught = (error: unknown) => uncaught.push(error);
  let handlesBefore: Set<Handle>;
  const fleets: Fleet[] = [];
  const dnsPeers: FlakyDnsPeer[] = [];

  /** Client sockets alive now that were not there before and are not a test server's. */
  const straySockets = () =>
    activeHandles().filter((h): h is net.Socket => h instanceof net.Socket && !handlesBefore.has(h) && !fleets.some((f) => f.own.has(h)));

  /** Waits (up to `ms`) for stray sockets to finish closing; returns those still open. */
  async function settledStraySockets(ms = 1000): Promise<net.Socket[]> {
    const until = performance.now() + ms;
    while (straySockets().length && performance.now() < until) await sleep(20);
    return straySockets();
  }

  before(() => {
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUncaught);
    handlesBefore = new Set(activeHandles());
  });

  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUncaught);
    await Promise.all([...fleets.map((f) => f.close()), ...dnsPeers.map((d) => d.close())]);
  });

  afterEach(async () => {
    await tick();
    assert.deepStrictEqual(unhandled.splice(0), [], 'no unhandled rejection');
    assert.deepStrictEqual(uncaught.splice(0), [], 'no uncaught exception');
  });

  /** 1,000 endpoints given as IP literals, each on its own 127.77.x.y address: no DNS at all. */
  async function literalPlan(): Promise<Plan> {
    const fleet = new Fleet();
    fleets.push(fleet);
    const refusedPort = await closedPort('127.77.0.1');
    const kinds = new Map<string, Kind>();
    const probes: ProbeTarget[] = await Promise.all(
      Array.from({ length: PROBES }, async (_, i) => {
        const host = `127.77.${Math.floor(i / 250)}.${1 + (i % 250)}`;
        const kind = kindOf(i);
        const port = kind === 'refused' ? refusedPort : await fleet.listen(host, kind);
        kinds.set(key(host, port), kind);
        return { host, port, locations: [location(i)] };
      }),
    );
    return { targets: { probes, domains: [], ptrs: [] }, kinds, mx: new Map(), ptr: new Map(), ptrNames: new Map() };
  }

  /**
   * 1,000 names h0000.load.test…h0999.load.test resolved by `dns`: 20 SMTP servers on 127.79.0.1-20, 5 silent
   * ones on 127.79.2.1-5, refused ports on 127.79.1.x, and 5% names the server does not know (NXDOMAIN).
   * Plus 30 MX domains (26 with MX hosts, a null MX, 3 unknown) and 30 PTR addresses (20 with a forward-
   * confirmed PTR, 10 without one).
   */
  async function dnsPlan(dropEveryOther: boolean): Promise<{ plan: Plan; dns: FlakyDnsPeer }> {
    const fleet = new Fleet();
    fleets.push(fleet);
    const open = await Promise.all(Array.from({ length: 20 }, async (_, s) => ({ address: `127.79.0.${s + 1}`, port: await fleet.listen(`127.79.0.${s + 1}`, 'open') })));
    const silent = await Promise.all(Array.from({ length: 5 }, async (_, s) => ({ address: `127.79.2.${s + 1}`, port: await fleet.listen(`127.79.2.${s + 1}`, 'silent') })));
    const refusedPort = await closedPort('127.79.1.1');

    const a: Record<string, string[]> = {};
    const kinds = new Map<string, Kind>();
    const probes: ProbeTarget[] = [];
    for (let i = 0; i < PROBES; i++) {
      const host = `h${String(i).padStart(4, '0')}.load.test`;
      const kind: Kind = i % 20 === 19 ? 'nxdomain' : kindOf(i);
      let address: string;
      let port: number;
      if (kind === 'open') ({ address, port } = open[i % open.length]);
      else if (kind === 'silent') ({ address, port } = silent[i % silent.length]);
      else {
        address = `127.79.1.${1 + (i % 200)}`;
        port = refusedPort;
      }
      if (kind !== 'nxdomain') a[host] = [address];
      kinds.set(key(host, port), kind);
      probes.push({ host, port, locations: [location(i)] });
    }

    const mxRecords: Record<string, { preference: number; exchange: string }[]> = {};
    const mx: Plan['mx'] = new Map();
    const domains = Array.from({ length: 30 }, (_, d) => {
      const domain = `d${d}.load.test`;
      if (d === 26) {
        mxRecords[domain] = [{ preference: 0, exchange: '.' }];
        mx.set(domain, 'null');
      } else if (d > 26) mx.set(domain, 'nxdomain');
      else {
        const hosts = [
          { exchange: `mx1.${domain}`, preference: 10, address: open[d % 20].address },
          { exchange: `mx2.${domain}`, preference: 20, address: open[(d + 1) % 20].address },
        ];
        mxRecords[domain] = hosts.map(({ exchange, preference }) => ({ exchange, preference }));
        for (const h of hosts) a[h.exchange] = [h.address];
        mx.set(domain, hosts);
      }
      return { domain, locations: [location(PROBES + d)] };
    });

    const ptrRecords: Record<string, string[]> = {};
    const ptr: Plan['ptr'] = new Map();
    const ptrs = Array.from({ length: 30 }, (_, p) => {
      const address = p < 20 ? open[p].address : `127.79.3.${p}`;
      const name = p < 20 ? `smtp${p}.load.test` : undefined;
      if (name) {
        ptrRecords[reverseName4(address)] = [name];
        a[name] = [address];
      }
      ptr.set(address, { name });
      return { hostOrAddress: address, expectedName: name ?? `smtp${p}.load.test`, locations: [location(PROBES + 100 + p)] };
    });

    // Five more PTR targets given by name: three resolve (to addresses with a confirmed PTR), two do not.
    const ptrNames: Plan['ptrNames'] = new Map();
    for (let k = 0; k < 5; k++) {
      const name = `named${k}.load.test`;
      const address = k < 3 ? `127.79.4.${k + 1}` : undefined;
      if (address) {
        a[name] = [address];
        ptrRecords[reverseName4(address)] = [name];
        ptr.set(address, { name });
      }
      ptrNames.set(name, address);
      ptrs.push({ hostOrAddress: name, expectedName: name, locations: [location(PROBES + 200 + k)] });
    }

    const dns = await startFlakyDns({ a, mx: mxRecords, ptr: ptrRecords, dropEveryOther });
    dnsPeers.push(dns);
    return { plan: { targets: { probes, domains, ptrs }, kinds, mx, ptr, ptrNames }, dns };
  }

  /** MX/PTR results: one per target, each either what the zone says or a clear timeout. */
  function dnsCheckProblems(report: LiveCheckReport, plan: Plan, allowCancelled: boolean): string[] {
    const problems: string[] = [];
    const timedOut = (error?: string) => error === 'ETIMEOUT' || (allowCancelled && (error === 'cancelled' || error === 'ECANCELLED'));
    const mxDomains = report.mx.map((m) => m.domain).sort();
    if (JSON.stringify(mxDomains) !== JSON.stringify([...plan.mx.keys()].sort())) problems.push(`MX results for ${mxDomains.length} domains, expected ${plan.mx.size}`);
    for (const m of report.mx) {
      const want = plan.mx.get(m.domain);
      if (m.status === 'lookup-failed' && timedOut(m.error)) continue;
      if (want === 'null' && m.status === 'null-mx') continue;
      if (want === 'nxdomain' && m.status === 'no-mx' && m.error === 'ENOTFOUND') continue;
      if (Array.isArray(want) && m.status === 'ok' && m.hosts.length === want.length) {
        const bad = m.hosts.filter((h, i) => h.exchange !== want[i].exchange || !(JSON.stringify(h.addresses) === JSON.stringify([want[i].address]) || (h.addresses.length === 0 && timedOut(h.error))));
        if (!bad.length) continue;
      }
      problems.push(`MX ${m.domain}: ${JSON.stringify(m)}`);
    }
    // One result per PTR target: an address target under its address; a name target under the address it
    // resolved to, or under its own name when resolving it failed.
    const expected = [...plan.ptr.keys()].filter((ad) => ![...plan.ptrNames.values()].includes(ad));
    for (const [name, address] of plan.ptrNames) expected.push(address && report.ptr.some((p) => p.address === address) ? address : name);
    const ptrAddresses = report.ptr.map((p) => p.address).sort();
    if (JSON.stringify(ptrAddresses) !== JSON.stringify(expected.sort())) problems.push(`PTR results for ${JSON.stringify(ptrAddresses)}, expected ${JSON.stringify(expected)}`);
    for (const p of report.ptr) {
      const want = plan.ptr.get(p.address);
      if (p.status === 'lookup-failed' && timedOut(p.error)) continue;
      if (plan.ptrNames.has(p.address) && p.status === 'lookup-failed') {
        // The name's own lookup failed: it timed out, was cancelled, or (unknown names only) does not exist.
        const code = p.error?.replace(/^no address: /, '');
        if (timedOut(code) || (plan.ptrNames.get(p.address) === undefined && code === 'ENOTFOUND')) continue;
      }
      if (want?.name && p.status === 'ok' && JSON.stringify(p.names) === JSON.stringify([want.name]) && p.forwardConfirmed) continue;
      if (want && !want.name && p.status === 'no-ptr' && p.error === 'ENOTFOUND') continue;
      problems.push(`PTR ${p.address}: ${JSON.stringify(p)}`);
    }
    return problems;
  }

  it('1,000 probes of IP literals: every target reported once with its status, counts add up, nothing leaks', async () => {
    const plan = await literalPlan();
    const results: LiveResult[] = [];
    const t = performance.now();
    const report = await runLiveChecks(plan.targets, {
      concurrency: CONCURRENCY,
      stepTimeoutMs: STEP_MS,
      ehloName: 'load-tester.test',
      referenceHosts: REFERENCE_HOSTS,
      onResult: (r) => results.push(r),
    });
    const ms = performance.now() - t;

    assert.deepStrictEqual(accountingProblems(report, plan.targets), []);
    for (const p of report.probes) assert.strictEqual(p.status, EXPECTED_STATUS[plan.kinds.get(key(p.host, p.port))!], `${key(p.host, p.port)}: ${p.detail}`);
    const counts = countByStatus(report.probes);
    assert.deepStrictEqual(counts, { open: 700, refused: 200, 'no-greeting': 100 });
    assert.strictEqual(sum(counts), PROBES);
    assert.strictEqual(report.incomplete, false);
    assert.deepStrictEqual(report.outbound25, []);
    assert.strictEqual(results.filter((r) => r.kind === 'probe').length, PROBES, 'onResult saw every probe once');
    assert.deepStrictEqual(await settledStraySockets(), [], 'no client socket left open');
    console.log(`      1,000 probes in ${Math.round(ms)} ms: ${JSON.stringify(counts)}`);
  });

  /** Options of the runs whose names resolve through the flaky DNS server. */
  const viaDns = (server: string) => ({ concurrency: CONCURRENCY, stepTimeoutMs: DNS_STEP_MS, dnsServers: [server], ehloName: 'load-tester.test', referenceHosts: REFERENCE_HOSTS });

  it('1,000 probes by name through a DNS server that drops every other query: resolved by retries or a clear DNS failure, MX/PTR included', async () => {
    const { plan, dns } = await dnsPlan(true);
    const t = performance.now();
    const report = await runLiveChecks(plan.targets, viaDns(dns.server));
    const ms = performance.now() - t;

    assert.deepStrictEqual(accountingProblems(report, plan.targets, mxHostsOf(plan)), []);
    let resolved = 0;
    for (const p of targetProbes(report, plan)) {
      const kind = plan.kinds.get(key(p.host, p.port))!;
      if (p.status === 'dns-failure') {
        // A clear reason: the name does not exist, or no answer came in time.
        assert.match(p.detail ?? '', kind === 'nxdomain' ? /ENOTFOUND|ETIMEOUT/ : /ETIMEOUT/, `${key(p.host, p.port)}: ${p.detail}`);
      } else {
        assert.notStrictEqual(kind, 'nxdomain', `${p.host} does not exist but was probed`);
        assert.strictEqual(p.status, EXPECTED_STATUS[kind], `${key(p.host, p.port)}: ${p.detail}`);
        resolved++;
      }
    }
    const counts = countByStatus(targetProbes(report, plan));
    assert.strictEqual(sum(counts), PROBES);
    assert.deepStrictEqual(dnsCheckProblems(report, plan, false), []);
    assert.strictEqual(report.incomplete, false);
    assert.deepStrictEqual(report.outbound25, []);

    const stats = dns.stats();
    assert.ok(stats.dropped >= stats.received / 2 - 1 && stats.dropped <= stats.received / 2 + 1, `every other query dropped: ${JSON.stringify(stats)}`);
    assert.ok(stats.retriesAnswered > 0, `some retries got through: ${JSON.stringify(stats)}`);
    // Two tries per query against a server that drops half: most names still resolve.
    assert.ok(resolved >= PROBES * 0.5, `only ${resolved} of ${PROBES} names resolved: ${JSON.stringify(counts)}`);
    assert.deepStrictEqual(await settledStraySockets(), [], 'no client socket left open');
    const mxCounts = countByStatus(report.mx);
    const ptrCounts = countByStatus(report.ptr);
    console.log(`      1,000 probes + 30 MX + 30 PTR in ${Math.round(ms)} ms: ${JSON.stringify(counts)}; MX ${JSON.stringify(mxCounts)}; PTR ${JSON.stringify(ptrCounts)}; DNS ${JSON.stringify(stats)}`);
  });

  it('cancelled after ~25% of 1,000 probes: settles within 2 s, accounts for every target, leaves nothing running', async () => {
    const { plan, dns } = await dnsPlan(true);
    await null; // mocha arms its test timer after the test function returns its promise
    const timersBefore = activeTimers();
    const controller = new AbortController();
    const finishedBeforeAbort = new Map<string, SmtpProbeResult>();
    let abortedAt = 0;
    const report = await runLiveChecks(plan.targets, {
      ...viaDns(dns.server),
      signal: controller.signal,
      onResult: (r) => {
        if (r.kind !== 'probe' || r.target.mxOf || controller.signal.aborted) return;
        finishedBeforeAbort.set(key(r.result.host, r.result.port), r.result);
        if (finishedBeforeAbort.size === PROBES / 4) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
    });
    const settleMs = performance.now() - abortedAt;

    assert.ok(abortedAt > 0, 'the run was aborted in the middle');
    assert.ok(settleMs < 2000, `settled ${Math.round(settleMs)} ms after the abort`);
    assert.strictEqual(report.incomplete, true);
    assert.deepStrictEqual(accountingProblems(report, plan.targets, mxHostsOf(plan)), []);
    const counts = countByStatus(targetProbes(report, plan));
    assert.strictEqual(sum(counts), PROBES);
    for (const p of targetProbes(report, plan)) {
      const k = key(p.host, p.port);
      const before = finishedBeforeAbort.get(k);
      if (before) assert.strictEqual(p, before, `${k}: a result finished before the abort is kept as it was`);
      else if (p.status !== 'cancelled') {
        // Finished in the same turn as the abort: a real result, like the others.
        const kind = plan.kinds.get(k)!;
        assert.ok(p.status === EXPECTED_STATUS[kind] || (p.status === 'dns-failure' && /ETIMEOUT|ENOTFOUND/.test(p.detail ?? '')), `${k}: ${p.status} ${p.detail}`);
      }
    }
    assert.strictEqual(finishedBeforeAbort.size, PROBES / 4);
    assert.ok((counts.cancelled ?? 0) >= PROBES / 2, `most of the rest was cancelled: ${JSON.stringify(counts)}`);
    assert.deepStrictEqual(dnsCheckProblems(report, plan, true), []);

    // Everything stops: sockets close, and no timer (probe steps, DNS deadlines, the run's deadline) lingers.
    assert.deepStrictEqual(await settledStraySockets(), [], 'no client socket left open');
    const until = performance.now() + 500;
    while (activeTimers() > timersBefore && performance.now() < until) await sleep(20);
    assert.ok(activeTimers() <= timersBefore, `timers left after cancellation: ${activeTimers()} > ${timersBefore}`);
    console.log(`      aborted after ${finishedBeforeAbort.size} probes, settled in ${Math.round(settleMs)} ms: ${JSON.stringify(counts)}`);
  });
});
