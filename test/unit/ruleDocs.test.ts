// Every rule has a docs page, and the index in docs/rules/README.md says what the rule's metadata says.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ruleDocsPath } from '../../src/core/model';
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

  for (const [namespace, heading] of [
    ['postfix', '## Postfix'],
    ['nodemailer', '## Application transports (nodemailer)'],
    ['smtp', '## Live SMTP checks'],
    ['dns', '## Live DNS checks'],
  ] as const) {
    it(`the index lists every ${namespace} rule under "${heading}" with its real default severity and fixability`, () => {
      const index = fs.readFileSync(path.join(REPO_ROOT, 'docs/rules/README.md'), 'utf8');
      const lines = index.split('\n');
      const start = lines.indexOf(heading);
      assert.ok(start >= 0, `no "${heading}" section`);
      const next = lines.findIndex((l, i) => i > start && l.startsWith('## '));
      const section = lines.slice(start, next < 0 ? undefined : next);
      const inNamespace = metas.filter((m) => m.id.startsWith(`${namespace}/`));
      assert.ok(inNamespace.length > 0, `no ${namespace} rules`);
      for (const meta of inNamespace) {
        const row = section.find((l) => l.startsWith(`| [${meta.id}](${meta.id}.md)`));
        assert.ok(row, `no row for ${meta.id}`);
        const cells = row.split('|').map((c) => c.trim());
        assert.strictEqual(cells[2], meta.defaultSeverity, `${meta.id} severity`);
        assert.strictEqual(cells[3], meta.fixable ? 'yes' : 'no', `${meta.id} quick fix`);
      }
      const rows = section.filter((l) => l.startsWith('| ['));
      assert.strictEqual(rows.length, inNamespace.length, `${heading} lists rules that do not exist`);
    });
  }

  it('the README lists every rule with its default severity', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    for (const meta of metas) {
      const row = readme.split('\n').find((l) => l.startsWith(`| [\`${meta.id}\`]`));
      assert.ok(row, `README has no row for ${meta.id}`);
      assert.strictEqual(row.split('|')[2].trim(), meta.defaultSeverity, `${meta.id} severity in README`);
      assert.strictEqual(row.split('|')[3].trim() === '✓', meta.fixable, `${meta.id} fix column in README`);
    }
  });
});
