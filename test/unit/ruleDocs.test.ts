// Every rule has a docs page, and the rule tables of README.md and docs/rules/README.md are generated from
// the rules' metadata.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ruleDocsPath } from '../../src/core/model';
import { RULE_TABLES_COMMAND, ruleNamespaces, withReadmeRuleTable, withRuleIndexTables } from '../../src/core/report/ruleTables';
import { allRuleMetas } from '../../src/core/rules';
import { REPO_ROOT } from './helpers';

describe('rule docs', () => {
  const metas = allRuleMetas();

  it('rule ids are unique and namespaced', () => {
    const ids = metas.map((m) => m.id);
    assert.strictEqual(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z]+\/[a-z0-9-]+$/);
  });

  for (const meta of metas) {
    it(`${meta.id} has a docs page that names it`, () => {
      const page = path.join(REPO_ROOT, ruleDocsPath(meta.id));
      assert.ok(fs.existsSync(page), `missing ${ruleDocsPath(meta.id)}`);
      assert.match(fs.readFileSync(page, 'utf8'), new RegExp(meta.id.replace('/', '\\/')));
    });
  }

  // The tables are generated (npm run docs:rules); these tests fail when the committed text is stale.
  for (const [rel, regenerate] of [
    ['README.md', withReadmeRuleTable],
    ['docs/rules/README.md', withRuleIndexTables],
  ] as const) {
    it(`the rule tables in ${rel} are what the rule metadata generates`, () => {
      const committed = fs.readFileSync(path.join(REPO_ROOT, rel), 'utf8');
      const generated = regenerate(committed, metas);
      if (generated !== committed) {
        const a = committed.split('\n');
        const b = generated.split('\n');
        const line = a.findIndex((l, i) => l !== b[i]);
        assert.fail(`${rel} line ${line + 1} differs from the rule metadata: run \`${RULE_TABLES_COMMAND}\` and commit the result.\n  committed: ${a[line]}\n  generated: ${b[line]}`);
      }
    });
  }

  it('every rule appears in exactly one table of docs/rules/README.md', () => {
    const index = fs.readFileSync(path.join(REPO_ROOT, 'docs/rules/README.md'), 'utf8');
    for (const meta of metas) {
      const rows = index.split('\n').filter((l) => l.startsWith(`| [${meta.id}](${meta.id}.md) |`));
      assert.strictEqual(rows.length, 1, `${meta.id}: its namespace is not one of ${ruleNamespaces(metas).join(', ')}`);
    }
  });

  it("gives a namespace without a table in docs/rules/README.md (a new language's) its own section", () => {
    const index = fs.readFileSync(path.join(REPO_ROOT, 'docs/rules/README.md'), 'utf8');
    const toy = { id: 'relaylist/duplicate-entry', description: 'A relay list names the same host twice.', defaultSeverity: 'warning' as const, fixable: false };
    const out = withRuleIndexTables(index, [...metas, toy]);
    assert.ok(out.startsWith(withRuleIndexTables(index, metas).trimEnd()));
    assert.match(out, /\n## relaylist\/ rules\n\n<!-- rule-table:relaylist \(generated[^\n]*\n[^]*\| \[relaylist\/duplicate-entry\]\(relaylist\/duplicate-entry\.md\) \|[^\n]*\n<!-- \/rule-table:relaylist -->\n$/);
    assert.strictEqual(withRuleIndexTables(out, [...metas, toy]), out);
  });

  it('regenerating replaces only what lies between the markers, and a missing marker is an error', () => {
    const text = 'intro\n<!-- rule-table:all -->\nstale row\n<!-- /rule-table:all -->\noutro\n';
    const out = withReadmeRuleTable(text, metas.slice(0, 1));
    assert.ok(out.startsWith('intro\n<!-- rule-table:all (generated'));
    assert.ok(out.endsWith(`| ${metas[0].description} |\n<!-- /rule-table:all -->\noutro\n`));
    assert.doesNotMatch(out, /stale row/);
    assert.strictEqual(withReadmeRuleTable(out, metas.slice(0, 1)), out);
    assert.throws(() => withReadmeRuleTable('no markers\n', metas), /rule-table:all/);
  });
});
