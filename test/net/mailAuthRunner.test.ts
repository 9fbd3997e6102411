// The mail-authentication seam: runLiveChecks hands each check its subjects (domains after their MX
// lookup, public server addresses, DKIM keys), turns problems into findings on the lines that named the
// subject, and the Results tree shows each result under its subject. The checks here are stand-ins, so
// the runner is tested on its own; DNS goes to a loopback server that answers SERVFAIL to everything (every
// lookup fails at once, but the resolver is alive), or to a closed port (a dead resolver).
import * as assert from 'assert';
import * as net from 'net';
import type { RuleMeta } from '../../src/core/model';
import { runLiveChecks } from '../../src/core/live/liveChecks';
import type { LiveTargets } from '../../src/core/live/liveTargets';
import type { AuthCheck, AuthCheckContext, AuthCheckResult } from '../../src/core/live/mailAuth/types';
import { buildResultsTree } from '../../src/core/report/resultsTree';
import { startWireDns, type WireDnsPeer } from './peers/wireDns';

const META: RuleMeta = { id: 'dns/spf-missing', description: 'stand-in', defaultSeverity: 'warning', fixable: false };
const at = (line: number) => ({ file: 'file:///ws/postfix/main.cf', range: { start: { line, character: 0 }, end: { line, character: 5 } } });

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** A stand-in check that records what it was given and answers from `answer`. */
function standIn(name: AuthCheck['name'], subjectKind: AuthCheck['subjectKind'], answer: (subject: string, ctx: AuthCheckContext) => Promise<Partial<AuthCheckResult>>) {
  const seen: { subject: string; ctx: AuthCheckContext }[] = [];
  const check: AuthCheck = {
    name,
    subjectKind,
    rules: [META],
    async run(subject, ctx) {
      seen.push({ subject, ctx });
      return { check: name, subjectKind, subject, summary: 'ok', evidence: [], problems: [], ms: 1, ...(await answer(subject, ctx)) };
    },
  };
  return { check, seen };
}

describe('mail-authentication checks in runLiveChecks', function () {
  this.timeout(20_000);
  let servfail: WireDnsPeer;
  before(async () => {
    servfail = await startWireDns({ rcode: () => 2 });
  });
  after(() => servfail?.close());

  it('runs domain checks after MX, address checks on public addresses only, DKIM checks on keys; findings land on every naming line', async () => {
    const spf = standIn('spf', 'domain', async (d) => (d === 'bad.test' ? { summary: 'no record', problems: [{ ruleId: 'dns/spf-missing', message: `${d} publishes no SPF record` }] } : {}));
    const dnsbl = standIn('dnsbl', 'address', async () => ({ summary: 'listed on bl.test', problems: [{ ruleId: 'dns/spf-missing', message: 'listed', severity: 'error' }] }));
    const dkim = standIn('dkim', 'dkim', async () => ({ error: 'ETIMEOUT' }));
    const targets: LiveTargets = {
      probes: [],
      domains: [
        { domain: 'good.test', locations: [at(1)] },
        { domain: 'bad.test', locations: [at(2), at(3)] },
      ],
      // 203.0.114.7 is a public address (no packet goes to it: the PTR lookup goes to the DNS server); 10.1.2.3 is private.
      ptrs: [
        { hostOrAddress: '203.0.114.7', locations: [at(4)] },
        { hostOrAddress: '10.1.2.3', locations: [at(5)] },
      ],
      dkim: [{ selector: 'mail', domain: 'good.test', locations: [at(6)] }],
    };
    const report = await runLiveChecks(targets, { dnsServers: [servfail.server], stepTimeoutMs: 500, authChecks: [spf.check, dnsbl.check, dkim.check] });

    assert.deepStrictEqual(spf.seen.map((s) => s.subject).sort(), ['bad.test', 'good.test']);
    for (const s of spf.seen) {
      assert.strictEqual(s.ctx.mx?.domain, s.subject, 'a domain check gets its MX answer');
      assert.deepStrictEqual(s.ctx.sendingAddresses, ['203.0.114.7'], 'only the public address is a sending address');
      assert.ok(s.ctx.dns.signal instanceof AbortSignal && s.ctx.dns.servers?.length === 1);
    }
    assert.deepStrictEqual(dnsbl.seen.map((s) => s.subject), ['203.0.114.7']);
    assert.deepStrictEqual(dkim.seen.map((s) => s.subject), ['mail._domainkey.good.test']);
    assert.strictEqual(report.auth.length, 4);

    const on = (line: number) => report.findings.filter((f) => f.range.start.line === line && f.ruleId !== 'dns/lookup-failed' && f.ruleId !== 'dns/no-ptr').map((f) => `${f.ruleId} ${f.severity}`);
    assert.deepStrictEqual(on(1), []);
    assert.deepStrictEqual(on(2), ['dns/spf-missing warning']);
    assert.deepStrictEqual(on(3), ['dns/spf-missing warning']);
    assert.deepStrictEqual(on(4), ['dns/spf-missing error']);
    assert.deepStrictEqual(on(5), []);
    const dkimLine = report.findings.filter((f) => f.range.start.line === 6);
    assert.deepStrictEqual(dkimLine.map((f) => f.ruleId), ['dns/lookup-failed']);
    assert.strictEqual(dkimLine[0].message, 'No DKIM verdict for mail._domainkey.good.test: the DNS server failed (timeout); check it or try again.');
    assert.strictEqual(dkimLine[0].details, 'The DKIM check of mail._domainkey.good.test could not run, so it says nothing either way. Error: no answer from the DNS server in time (timeout) (ETIMEOUT).');

    // The tree: checks under the domain (after MX), under the address (after PTR), and a DKIM key node.
    const tree = buildResultsTree({
      files: new Map(),
      endpoints: [],
      live: { running: false, targets, results: [...report.mx.map((result) => ({ kind: 'mx' as const, result })), ...report.ptr.map((result) => ({ kind: 'ptr' as const, result })), ...report.auth.map((result) => ({ kind: 'auth' as const, result }))], findings: report.findings },
    });
    const all = (nodes = tree.roots): typeof tree.roots => nodes.flatMap((n) => [n, ...all(n.children)]);
    const node = (label: string) => all().find((n) => n.label === label)!;
    assert.deepStrictEqual(node('bad.test').children.map((c) => `${c.label}:${c.state}`).slice(-1), ['SPF:warning']);
    assert.deepStrictEqual(node('good.test').children.map((c) => `${c.label}:${c.state}`).slice(-1), ['SPF:pass']);
    assert.match(node('bad.test').description, /check SPF$/);
    assert.ok(node('203.0.114.7').children.some((c) => c.label === 'DNSBL 203.0.114.7' && c.state === 'error'));
    assert.deepStrictEqual(node('mail._domainkey.good.test').children.map((c) => `${c.label}:${c.state}:${c.description}`), ['DKIM:warning:not checked: no answer from the DNS server in time (timeout)']);
  });

  it('a check that throws becomes a result with the error; a cancelled run reports cancelled checks without findings', async () => {
    const broken = standIn('dmarc', 'domain', async () => {
      throw new Error('bug in the check');
    });
    const dns = [servfail.server];
    const targets: LiveTargets = { probes: [], domains: [{ domain: 'x.test', locations: [at(1)] }], ptrs: [] };
    const report = await runLiveChecks(targets, { dnsServers: dns, stepTimeoutMs: 500, authChecks: [broken.check] });
    assert.strictEqual(report.auth.length, 1);
    assert.match(report.auth[0].error ?? '', /^internal error: bug in the check$/);

    const slow = standIn('spf', 'domain', (_d, ctx) => new Promise((resolve) => ctx.dns.signal?.addEventListener('abort', () => resolve({ error: 'ECANCELLED' }))));
    const controller = new AbortController();
    const run = runLiveChecks(targets, { dnsServers: dns, stepTimeoutMs: 500, authChecks: [slow.check], signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const cancelled = await run;
    assert.strictEqual(cancelled.auth.length, 1);
    assert.match(cancelled.auth[0].error ?? '', /cancel/i);
    assert.deepStrictEqual(cancelled.findings.filter((f) => /verdict for/.test(f.message)), [], 'a cancelled check is no finding');
  });

  it('a dead resolver is one finding on the first line that needs DNS, and no check that needs DNS runs', async () => {
    const spf = standIn('spf', 'domain', async () => ({}));
    const dkim = standIn('dkim', 'dkim', async () => ({}));
    const port = await closedPort();
    const targets: LiveTargets = {
      probes: [
        { host: 'localhost', port: await closedPort(), locations: [at(7)] },
        { host: 'mail.example.test', port: 587, locations: [at(8)] },
      ],
      domains: [{ domain: 'good.test', locations: [at(3), at(1)] }],
      ptrs: [{ hostOrAddress: '203.0.114.7', locations: [at(4)] }],
      dkim: [{ selector: 'mail', domain: 'good.test', locations: [at(6)] }],
    };
    const report = await runLiveChecks(targets, { dnsServers: [`127.0.0.1:${port}`], dnsSetting: 'smtpDoctor.dnsServers', stepTimeoutMs: 500, authChecks: [spf.check, dkim.check] });
    assert.strictEqual(report.resolver?.status, 'dead');
    assert.strictEqual(report.resolver?.error, 'ECONNREFUSED');
    assert.deepStrictEqual(spf.seen, [], 'no domain check ran');
    assert.deepStrictEqual(dkim.seen, [], 'no DKIM check ran');
    assert.deepStrictEqual([report.mx, report.ptr, report.auth], [[], [], []]);
    // localhost never goes to DNS: it is probed (and refused); the name that needs DNS is not.
    assert.deepStrictEqual(report.probes.map((p) => `${p.host} ${p.status}`), ['localhost refused']);
    const dns = report.findings.filter((f) => f.ruleId.startsWith('dns/'));
    assert.deepStrictEqual(dns.map((f) => [f.ruleId, f.range.start.line]), [['dns/resolver-unreachable', 1]], 'one finding, on the first line that needed DNS');
    assert.strictEqual(dns[0].message, `DNS server 127.0.0.1:${port} refused the query: live DNS checks skipped; fix smtpDoctor.dnsServers.`);
    assert.deepStrictEqual(dns[0].related?.map((r) => r.range.start.line), [3, 4, 6, 8], 'the other lines that needed DNS');
  });
});
