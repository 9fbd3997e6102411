// A live check added as one file plus its registry line, twice: a test-only BIMI check (the
// `default._bimi.<domain>` TXT record), written as a mail-authentication check's file is (its rules beside its
// code) and registered with authCheck(), and a test-only endpoint check with its own run (does the SMTP
// greeting name the server software?), whose module exports its `rules` and whose entry reads them with
// declaredRules(). Both sit beside the registry's entries: their rules reach the regenerated table and the
// rule catalogue, and runs against a DNS server and SMTP greeters on 127.0.0.1 report their findings on the
// config lines that named the domain or the server.
import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import type { CheckRun, LiveCheck } from '../../../src/core/live/liveCheck';
import { LIVE_CHECKS, MX_CHECK, RESOLVER_CHECK, authCheck, declaredRules } from '../../../src/core/live/liveCheckRegistry';
import { type LiveCheckRuleTable, liveCheckRuleModule, liveCheckRuleTable } from '../../../src/core/live/liveCheckRuleTable';
import { liveRuleMeta } from '../../../src/core/live/liveRules';
import { LiveRun } from '../../../src/core/live/liveRun';
import type { LiveTargets } from '../../../src/core/live/liveTargets';
import { lookupTxt } from '../../../src/core/live/mailAuth/dnsQuery';
import { guardedRun, resultBuilder } from '../../../src/core/live/mailAuth/result';
import type { AuthCheck, AuthProblem } from '../../../src/core/live/mailAuth/types';
import { allRuleMetas } from '../../../src/core/rules';
import { SOURCES } from '../../../src/core/sources/registry';
import { REPO_ROOT } from '../helpers';
import { rdata, startWireDnsRetrying, T, type WireDnsPeer } from '../../net/peers/wireDns';

// ---- the check's one file: its rules and its code ----
const BIMI_RULES = {
  missing: liveRuleMeta('dns/bimi-missing', 'information', 'The domain publishes no BIMI record, so receivers show no brand logo beside its mail.'),
} as const;

const bimiCheck: AuthCheck = {
  name: 'bimi',
  subjectKind: 'domain',
  rules: Object.values(BIMI_RULES),
  run: guardedRun('bimi', 'domain', async (domain, context) => {
    const evidence: string[] = [];
    const problems: AuthProblem[] = [];
    const done = resultBuilder('bimi', 'domain', domain, evidence, problems);
    const name = `default._bimi.${domain}`;
    const txt = await lookupTxt(name, context.dns);
    if (txt.error !== undefined) return done(`TXT lookup of ${name} failed`, `${txt.error} looking up TXT ${name}`);
    const record = txt.values.find((v) => /^v=BIMI1;/i.test(v));
    if (!record) {
      problems.push({ ruleId: BIMI_RULES.missing.id, message: `${domain} publishes no BIMI record; publish "v=BIMI1; l=https://…" at default._bimi.` });
      return done('not published');
    }
    evidence.push(record);
    return done('published');
  }),
};
// ---- its registry line ----
const bimiEntry = (table?: LiveCheckRuleTable) => authCheck({ id: 'bimi', label: 'BIMI', subject: 'domain', dependsOn: ['mx'] }, async () => bimiCheck, table);

// ---- the other check's one file: its rules and its run ----
const BANNER_RULE = liveRuleMeta('smtp/banner-names-software', 'information', 'The SMTP greeting names the server software, which tells an attacker what to try.');

/** The first line a server sends, or '' when it sends none in time. */
function greetingOf(host: string, port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const socket = net.connect({ host, port });
    const done = () => {
      socket.destroy();
      resolve(text.split('\r\n')[0]);
    };
    socket.setTimeout(timeoutMs, done);
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n')) done();
    });
    socket.on('error', done);
    socket.on('end', done);
  });
}

const bannerCode = {
  rules: [BANNER_RULE],
  async run(run: CheckRun): Promise<void> {
    await Promise.all(
      run.targets.probes.map(async (t) => {
        if (!/\b(postfix|exim|sendmail)\b/i.test(await greetingOf(t.host, t.port, run.stepTimeoutMs))) return;
        for (const at of t.locations) run.findings.push({ ruleId: BANNER_RULE.id, severity: BANNER_RULE.defaultSeverity, file: at.file, range: at.range, message: `The greeting of ${t.host}:${t.port} names its software; greet with the host name only.` });
      }),
    );
  },
};
// ---- its registry entry ----
const bannerEntry = (table?: LiveCheckRuleTable): LiveCheck<typeof bannerCode> => ({
  id: 'smtp-banner',
  label: 'SMTP banner',
  subject: 'endpoint',
  dependsOn: [],
  rules: declaredRules('smtp-banner', table),
  results: [],
  load: async () => bannerCode,
  run: (run) => bannerCode.run(run),
});

/** The entries as the registry would hold them once `node scripts/generate-live-check-rules.js` has regenerated the table. */
async function registered() {
  const table = await liveCheckRuleTable([...LIVE_CHECKS, bimiEntry(), bannerEntry()]);
  return { table, bimi: bimiEntry(table), banner: bannerEntry(table) };
}

describe('a live check added to the registry', () => {
  let dns: WireDnsPeer;
  before(async () => {
    dns = await startWireDnsRetrying({
      records: [
        { name: 'brand.test', type: T.MX, data: rdata.mx(10, 'mx.brand.test') },
        { name: 'plain.test', type: T.MX, data: rdata.mx(10, 'mx.brand.test') },
        { name: 'mx.brand.test', type: T.A, data: rdata.a('192.0.2.25') },
        { name: 'default._bimi.brand.test', type: T.TXT, data: rdata.txt(['v=BIMI1; l=https://brand.test/logo.svg']) },
      ],
    });
  });
  after(() => dns.close());

  it('adds their rules to the generated table, after the registry\'s checks, and to the rule catalogue', async () => {
    const { table, bimi, banner } = await registered();
    const registryOnly = liveCheckRuleModule(await liveCheckRuleTable(LIVE_CHECKS));
    const added = [
      "  bimi: [\n    liveRuleMeta('dns/bimi-missing', 'information', 'The domain publishes no BIMI record, so receivers show no brand logo beside its mail.'),\n  ],\n",
      "  'smtp-banner': [\n    liveRuleMeta('smtp/banner-names-software', 'information', 'The SMTP greeting names the server software, which tells an attacker what to try.'),\n  ],\n",
    ];
    assert.strictEqual(liveCheckRuleModule(table), registryOnly.replace(/\};\n$/, `${added.join('')}};\n`), 'the regenerated file differs only by the new checks\' lines');
    assert.deepStrictEqual([bimi.rules, banner.rules], [bimiCheck.rules, bannerCode.rules]);
    assert.deepStrictEqual([bimiEntry().rules, bannerEntry().rules], [[], []], 'before the table is regenerated, the registry has no rules for them');
    const catalogue = allRuleMetas(SOURCES, [...LIVE_CHECKS, bimi, banner]);
    assert.ok(catalogue.includes(BIMI_RULES.missing) && catalogue.includes(BANNER_RULE));
    assert.deepStrictEqual(catalogue.filter((r) => r !== BIMI_RULES.missing && r !== BANNER_RULE), allRuleMetas(), 'nothing else in the catalogue moves');
    assert.ok(!allRuleMetas().includes(BIMI_RULES.missing), 'the registry alone does not know it');
  });

  it('runs the mail-authentication one on the domains of the targets after their MX answer, its problems as findings on the lines that named them', async () => {
    const { bimi: entry } = await registered();
    const at = (line: number) => ({ file: '/w/main.cf', range: { start: { line, character: 10 }, end: { line, character: 20 } } });
    const targets: LiveTargets = { probes: [], ptrs: [], domains: [{ domain: 'brand.test', locations: [at(1)] }, { domain: 'plain.test', locations: [at(2), at(7)] }] };
    const streamed: string[] = [];
    const report = await new LiveRun(targets, { dnsServers: [dns.server], stepTimeoutMs: 3000, onResult: (r) => void streamed.push(r.kind) }).runAll([RESOLVER_CHECK, MX_CHECK, entry]);
    assert.strictEqual(report.incomplete, false);
    assert.deepStrictEqual(
      report.auth.map((r) => `${r.check} ${r.subject}: ${r.summary} ${r.problems.map((p) => p.ruleId).join(',')}`).sort(),
      ['bimi brand.test: published ', 'bimi plain.test: not published dns/bimi-missing'],
    );
    assert.deepStrictEqual(
      report.findings.filter((f) => f.ruleId === BIMI_RULES.missing.id).map((f) => `${f.range.start.line} ${f.severity} ${f.message}`),
      ['2 information plain.test publishes no BIMI record; publish "v=BIMI1; l=https://…" at default._bimi.', '7 information plain.test publishes no BIMI record; publish "v=BIMI1; l=https://…" at default._bimi.'],
    );
    assert.ok(streamed.includes('auth') && streamed.indexOf('mx') < streamed.indexOf('auth'), `its results stream after the MX answers: ${streamed}`);
    assert.ok(dns.queries.some((q) => q.name === 'default._bimi.plain.test'), 'it asked the DNS server on 127.0.0.1');
  });

  it('runs the endpoint one on every endpoint of the targets, its findings on the lines that named the server', async () => {
    const greeters = await Promise.all(
      ['220 mx.test ESMTP Postfix (Debian/GNU)\r\n', '220 mx.test ESMTP\r\n'].map(
        (greeting) =>
          new Promise<net.Server>((resolve) => {
            const server = net.createServer((socket) => socket.end(greeting));
            server.listen(0, '127.0.0.1', () => resolve(server));
          }),
      ),
    );
    try {
      const [talkative, quiet] = greeters.map((g) => (g.address() as net.AddressInfo).port);
      const at = (line: number) => ({ file: '/w/mailer.js', range: { start: { line, character: 2 }, end: { line, character: 9 } } });
      const targets: LiveTargets = { domains: [], ptrs: [], probes: [{ host: '127.0.0.1', port: talkative, locations: [at(3), at(9)] }, { host: '127.0.0.1', port: quiet, locations: [at(5)] }] };
      const { banner } = await registered();
      const report = await new LiveRun(targets, { stepTimeoutMs: 3000 }).runAll([banner]);
      assert.deepStrictEqual(
        report.findings.map((f) => `${f.ruleId} ${f.range.start.line} ${f.severity} ${f.message}`),
        [3, 9].map((line) => `smtp/banner-names-software ${line} information The greeting of 127.0.0.1:${talkative} names its software; greet with the host name only.`),
      );
    } finally {
      await Promise.all(greeters.map((g) => new Promise((resolve) => g.close(resolve))));
    }
  });

  it('holds for TLS-RPT: the code of src/ names it only in its file, its registry line and the generated table', () => {
    const src = path.join(REPO_ROOT, 'src');
    const files = (fs.readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    const code = (f: string) => fs.readFileSync(path.join(src, f), 'utf8').replace(/\/\*[^]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const naming = files.filter((f) => /'tls-rpt'|mailAuth\/tlsRpt'|TLS_RPT_/.test(code(f))).map((f) => f.split(path.sep).join('/'));
    assert.deepStrictEqual(naming.sort(), ['core/live/liveCheckRegistry.ts', 'core/live/liveCheckRules.generated.ts', 'core/live/mailAuth/tlsRpt.ts']);
  });
});
