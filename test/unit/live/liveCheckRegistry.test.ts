// The live-check registry is the one list: every live rule belongs to exactly one check, dependencies name
// checks that exist, and each mail-authentication entry loads the check it describes.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { LIVE_CHECK_RULES_FILE, liveCheckRuleModule, liveCheckRuleTable } from '../../../src/core/live/liveCheckRuleTable';
import { liveRuleMeta } from '../../../src/core/live/liveRules';
import { AUTH_LIVE_CHECKS, LIVE_CHECKS, LIVE_CHECK_RULE_METAS, loadAuthChecks, liveRuleMetaById } from '../../../src/core/live/liveCheckRegistry';
import { LIVE_RULES } from '../../../src/core/live/liveRules';
import { SERVER_RULES } from '../../../src/core/live/serverRules';
import { dkimCheck } from '../../../src/core/live/mailAuth/dkim';
import { spfCheck } from '../../../src/core/live/mailAuth/spf';
import { TLS_RPT_CHECK } from '../../../src/core/live/mailAuth/tlsRpt';
import { allRuleMetas } from '../../../src/core/rules';
import { REPO_ROOT } from '../helpers';

describe('live-check registry', () => {
  it('lists every check once', () => {
    assert.deepStrictEqual(
      LIVE_CHECKS.map((c) => c.id).sort(),
      ['dane', 'dkim', 'dmarc', 'dnsbl', 'mta-sts', 'mx', 'mx-host', 'outbound-25', 'ptr', 'relay-test', 'resolver', 'smtp-port', 'spf', 'tls-rpt', 'tls-scan'],
    );
  });

  it('declares every live rule in exactly one check', () => {
    const ids = LIVE_CHECK_RULE_METAS.map((m) => m.id);
    assert.deepStrictEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'a rule declared by two checks');
    for (const meta of [...Object.values(LIVE_RULES), ...Object.values(SERVER_RULES)]) assert.strictEqual(liveRuleMetaById(meta.id), meta, meta.id);
    for (const meta of LIVE_CHECK_RULE_METAS) assert.ok(allRuleMetas().includes(meta), `${meta.id} missing from the rule catalogue`);
  });

  it('depends only on checks it lists, and without a cycle', () => {
    const known = new Set(LIVE_CHECKS.map((c) => c.id));
    for (const c of LIVE_CHECKS) for (const d of c.dependsOn) assert.ok(known.has(d) && d !== c.id, `${c.id} depends on ${d}`);
    for (const c of LIVE_CHECKS) for (const d of c.uses ?? []) assert.ok(known.has(d) && d !== c.id, `${c.id} uses ${d}`);
    const visiting = new Set<string>();
    const visit = (id: string): void => {
      assert.ok(!visiting.has(id), `dependency cycle through ${id}`);
      visiting.add(id);
      for (const d of LIVE_CHECKS.find((c) => c.id === id)!.dependsOn) visit(d);
      visiting.delete(id);
    };
    for (const c of LIVE_CHECKS) visit(c.id);
  });

  it('loads, for each mail-authentication entry, the check with its name, subject and rules', async () => {
    const loaded = await loadAuthChecks();
    assert.strictEqual(loaded.length, AUTH_LIVE_CHECKS.length);
    assert.ok(loaded.includes(spfCheck) && loaded.includes(TLS_RPT_CHECK) && loaded.includes(dkimCheck));
    // One subject kind loads only its own checks.
    assert.deepStrictEqual(await loadAuthChecks('dkim'), [dkimCheck]);
    assert.deepStrictEqual((await loadAuthChecks('domain')).map((c) => c.name), ['spf', 'dmarc', 'mta-sts', 'tls-rpt', 'dane']);
    for (const [i, check] of loaded.entries()) {
      const entry = AUTH_LIVE_CHECKS[i];
      assert.strictEqual(check.name, entry.id);
      assert.strictEqual(check.subjectKind, entry.subject);
      assert.deepStrictEqual(check.rules, entry.rules, entry.id);
    }
  });

  it('reads the rules checks declare in their own files from a generated table that matches them', async () => {
    const committed = fs.readFileSync(path.join(REPO_ROOT, LIVE_CHECK_RULES_FILE), 'utf8');
    const generated = liveCheckRuleModule(await liveCheckRuleTable(LIVE_CHECKS));
    assert.ok(committed === generated, `${LIVE_CHECK_RULES_FILE} is stale: run \`npm run compile-tests && node scripts/generate-live-check-rules.js\` and commit the result`);
  });

  it('writes the table as liveRuleMeta calls, quoting what needs it, and refuses a rule that is not one', () => {
    const rule = liveRuleMeta('dns/x-y', 'warning', "The domain's record says \\ \"no\".");
    const text = liveCheckRuleModule({ 'x-y': [rule] });
    assert.ok(text.includes(`  'x-y': [\n    liveRuleMeta('dns/x-y', 'warning', ${JSON.stringify(rule.description)}),\n  ],\n`), text);
    assert.throws(() => liveCheckRuleModule({ x: [{ ...rule, fixable: true }] }), /dns\/x-y is not a liveRuleMeta/);
    assert.throws(() => liveCheckRuleModule({ x: [{ ...rule, docs: 'y' } as typeof rule] }), /not a liveRuleMeta/);
  });
});
