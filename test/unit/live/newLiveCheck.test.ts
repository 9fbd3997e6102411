// A live check added as one file plus its registry line: a test-only BIMI check (the `default._bimi.<domain>`
// TXT record), written as a mail-authentication check's file is (its rules beside its code), registered with
// authCheck() beside the registry's entries. Its rules reach the generated table and the rule catalogue, and
// a run against a DNS server on 127.0.0.1 reports its findings on the config line that named the domain.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { LIVE_CHECKS, MX_CHECK, RESOLVER_CHECK, authCheck, loadAuthChecks } from '../../../src/core/live/liveCheckRegistry';
import { liveCheckRuleModule, liveCheckRuleTable } from '../../../src/core/live/liveCheckRuleTable';
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
// ---- its registry line (the rule table as `node scripts/generate-live-check-rules.js` would regenerate it) ----
const withBimi = async () => {
  const table = liveCheckRuleTable([...(await loadAuthChecks()), bimiCheck]);
  return { table, entry: authCheck({ id: 'bimi', label: 'BIMI', subject: 'domain', dependsOn: ['mx'] }, async () => bimiCheck, table) };
};

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

  it('adds its rules to the generated table, after the registry\'s checks, and to the rule catalogue', async () => {
    const { table, entry } = await withBimi();
    const registryOnly = liveCheckRuleModule(liveCheckRuleTable(await loadAuthChecks()));
    const regenerated = liveCheckRuleModule(table);
    const bimiLines = "  bimi: [\n    liveRuleMeta('dns/bimi-missing', 'information', 'The domain publishes no BIMI record, so receivers show no brand logo beside its mail.'),\n  ],\n";
    assert.strictEqual(regenerated, registryOnly.replace(/\};\n$/, `${bimiLines}};\n`), 'the regenerated file differs only by the new check\'s lines');
    assert.deepStrictEqual(entry.rules, bimiCheck.rules);
    const catalogue = allRuleMetas(SOURCES, [...LIVE_CHECKS, entry]);
    assert.ok(catalogue.includes(BIMI_RULES.missing));
    assert.deepStrictEqual(catalogue.filter((r) => r !== BIMI_RULES.missing), allRuleMetas(), 'nothing else in the catalogue moves');
    assert.ok(!allRuleMetas().includes(BIMI_RULES.missing), 'the registry alone does not know it');
  });

  it('runs on the domains of the targets after their MX answer, its problems as findings on the lines that named them', async () => {
    const { entry } = await withBimi();
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

  it('holds for TLS-RPT: the code of src/ names it only in its file, its registry line and the generated table', () => {
    const src = path.join(REPO_ROOT, 'src');
    const files = (fs.readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    const code = (f: string) => fs.readFileSync(path.join(src, f), 'utf8').replace(/\/\*[^]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const naming = files.filter((f) => /'tls-rpt'|mailAuth\/tlsRpt'|TLS_RPT_/.test(code(f))).map((f) => f.split(path.sep).join('/'));
    assert.deepStrictEqual(naming.sort(), ['core/live/liveCheckRegistry.ts', 'core/live/liveCheckRules.generated.ts', 'core/live/mailAuth/tlsRpt.ts']);
  });
});
