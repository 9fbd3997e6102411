import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../src/cli';
import { parseProjectConfig } from '../../../src/core/projectConfig';
import { allRuleMetas } from '../../../src/core/rules';
import { applyFix, coveredText } from '../helpers';

const RULE_IDS = allRuleMetas().map((r) => r.id);
const parse = (text: string) => parseProjectConfig({ file: '.smtpdoctor.yaml', text }, RULE_IDS);

async function cli(args: string[], cwd: string) {
  let out = '';
  let err = '';
  const code = await main([...args, '--offline'], { out: (s) => (out += s), err: (s) => (err += s), cwd });
  return { code, out, err };
}

function tempTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-project-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('.smtpdoctor.yaml', () => {
  it('reads postfix.version, and reports a bad one (a number YAML would read as 3.1 instead of 3.10)', () => {
    const good = parse('postfix:\n  version: "3.10"\n');
    assert.strictEqual(good.postfixVersion, '3.10');
    assert.deepStrictEqual(good.findings, []);
    const number = parse('postfix:\n  version: 3.10\n');
    assert.strictEqual(number.postfixVersion, undefined);
    assert.match(number.findings[0].message, /Write the Postfix version in quotes/);
    assert.match(parse('postfix:\n  version: "2.11"\n').findings[0].message, /postfix\.version: SMTP Doctor knows Postfix 3\.4 to/);
    assert.match(parse('postfix:\n  release: "3.7"\n').findings[0].message, /Unknown key "release" under "postfix"/);
  });

  it('reads severities and off (also YAML 1.1 false / no) per rule id', () => {
    const c = parse('rules:\n  postfix/relayhost-mx-lookup: off\n  postfix/tls-disabled: Error\n  postfix/unknown-parameter: false\n  smtp/port-refused: no\n');
    assert.deepStrictEqual(c.rules, { 'postfix/relayhost-mx-lookup': 'off', 'postfix/tls-disabled': 'error', 'postfix/unknown-parameter': 'off', 'smtp/port-refused': 'off' });
    assert.deepStrictEqual(c.findings, []);
    assert.deepStrictEqual(parse('').rules, {});
    assert.deepStrictEqual(parse('# nothing yet\n').findings, []);
  });

  it('reports an unknown rule id on its key, with the nearest id as a fix', () => {
    const text = 'rules:\n  postfix/relayhost-mx-lokup: off\n';
    const c = parse(text);
    assert.deepStrictEqual(c.rules, {});
    assert.strictEqual(c.findings.length, 1);
    const [f] = c.findings;
    assert.strictEqual(f.ruleId, 'config/project-file');
    assert.strictEqual(coveredText(text, f), 'postfix/relayhost-mx-lokup');
    assert.match(f.message, /Unknown rule "postfix\/relayhost-mx-lokup"\. Did you mean "postfix\/relayhost-mx-lookup"\?/);
    assert.strictEqual(applyFix(text, f), 'rules:\n  postfix/relayhost-mx-lookup: off\n');
  });

  it('reports a bad severity on the value, an unknown top-level key, a non-mapping and bad YAML', () => {
    const bad = 'rules:\n  postfix/tls-disabled: loud\n';
    const [f] = parse(bad).findings;
    assert.strictEqual(coveredText(bad, f), 'loud');
    assert.match(f.message, /must be one of error, warning, information, hint, off, not "loud"/);
    const extra = 'rule:\n  postfix/tls-disabled: off\n';
    assert.strictEqual(coveredText(extra, parse(extra).findings[0]), 'rule');
    assert.match(parse('- postfix/tls-disabled\n').findings[0].message, /must be a mapping/);
    assert.match(parse('rules: [postfix/tls-disabled]\n').findings[0].message, /"rules" must map rule ids/);
    const broken = parse('rules:\n  postfix/tls-disabled: off\n   x: [\n');
    assert.ok(broken.findings.length >= 1 && /does not parse/.test(broken.findings[0].message), JSON.stringify(broken.findings));
    assert.deepStrictEqual(broken.rules, {}, 'a file that does not parse sets nothing');
  });

  describe('in the CLI', () => {
    const mainCf = 'myhostname = mail.example.com\nrelayhost = smtp.isp.example:587\nsmtpd_tls_securty_level = may\n';

    it('is found in the checked folder or above, and its severities apply', async () => {
      const dir = tempTree({ '.smtpdoctor.yaml': 'rules:\n  postfix/relayhost-mx-lookup: off\n  postfix/unknown-parameter: error\n', 'srv/postfix/main.cf': mainCf });
      const r = await cli(['check', '--format', 'json', 'srv/postfix'], dir);
      const findings = JSON.parse(r.out).findings as { rule: string; severity: string }[];
      assert.ok(!findings.some((f) => f.rule === 'postfix/relayhost-mx-lookup'), r.out);
      assert.strictEqual(findings.find((f) => f.rule === 'postfix/unknown-parameter')?.severity, 'error');
      assert.strictEqual(r.code, 1);
      // Without the project file the defaults are back.
      const plain = JSON.parse((await cli(['check', '--format', 'json', '--no-config', 'srv/postfix'], dir)).out).findings as { rule: string; severity: string }[];
      assert.ok(plain.some((f) => f.rule === 'postfix/relayhost-mx-lookup'));
      assert.strictEqual(plain.find((f) => f.rule === 'postfix/unknown-parameter')?.severity, 'warning');
    });

    it('--config names another file; its problems are findings on it; --disable still wins', async () => {
      const dir = tempTree({ 'ci/smtp.yaml': 'rules:\n  postfix/no-such-rule: off\n  postfix/unknown-parameter: error\n', 'main.cf': mainCf });
      const r = await cli(['check', '--format', 'json', '--config', 'ci/smtp.yaml', '--disable', 'postfix/unknown-parameter', '.'], dir);
      const findings = JSON.parse(r.out).findings as { rule: string; file: string; line: number }[];
      assert.deepStrictEqual(findings.filter((f) => f.file === 'ci/smtp.yaml').map((f) => `${f.line} ${f.rule}`), ['2 config/project-file']);
      assert.ok(!findings.some((f) => f.rule === 'postfix/unknown-parameter'));
      const missing = await cli(['check', '--config', 'nope.yaml', '.'], dir);
      assert.strictEqual(missing.code, 2);
      assert.match(missing.err, /cannot read the project file "nope\.yaml"/);
    });

    it('suppression comments hold in the CLI, in every format', async () => {
      const dir = tempTree({ 'main.cf': mainCf.replace('relayhost', '# smtp-doctor-disable-next-line postfix/relayhost-mx-lookup\nrelayhost') });
      const rulesIn = (format: string, out: string): string[] =>
        format === 'text'
          ? [...out.matchAll(/\[([a-z0-9-]+\/[a-z0-9-]+)\]$/gm)].map((m) => m[1])
          : format === 'json'
            ? JSON.parse(out).findings.map((f: { rule: string }) => f.rule)
            : JSON.parse(out).runs[0].results.map((r: { ruleId: string }) => r.ruleId);
      for (const format of ['text', 'json', 'sarif']) {
        const rules = rulesIn(format, (await cli(['check', '--format', format, '.'], dir)).out);
        assert.ok(rules.includes('postfix/unknown-parameter'), `${format}: ${rules.join(', ')}`);
        assert.ok(!rules.includes('postfix/relayhost-mx-lookup'), `${format}: ${rules.join(', ')}`);
      }
    });
  });
});
