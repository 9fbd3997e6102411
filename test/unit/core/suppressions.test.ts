import * as assert from 'assert';
import { checkFiles } from '../../../src/core/check';
import type { Finding } from '../../../src/core/model';
import { applySuppressions, commentPrefixOf, isSuppressed, parseSuppressions, suppressionEdit } from '../../../src/core/suppressions';

/** Every finding of a set of files, after their suppression comments. */
function lint(files: Record<string, string>): Finding[] {
  const result = checkFiles(Object.entries(files).map(([file, text]) => ({ file, text })));
  return applySuppressions(result.findings, (file) => files[file]);
}

const ids = (findings: readonly Finding[], file?: string) => findings.filter((f) => !file || f.file === file).map((f) => `${f.range.start.line + 1} ${f.ruleId}`).sort();

function applyEdit(text: string, edit: { range: { start: { line: number; character: number } }; newText: string }): string {
  const lines = text.split('\n');
  const at = lines.slice(0, edit.range.start.line).reduce((n, l) => n + l.length + 1, 0) + edit.range.start.character;
  return text.slice(0, at) + edit.newText + text.slice(at);
}

describe('suppression comments', () => {
  it('reads next-line and file directives in #, // and /* */ comments, with rule lists and reasons', () => {
    const text = [
      '# smtp-doctor-disable-next-line postfix/relayhost-mx-lookup -- the ISP relay has no MX',
      'x',
      '  // smtp-doctor-disable-next-line nodemailer/tls-verify-disabled, nodemailer/plaintext-auth',
      '/* smtp-doctor-disable-next-line */',
      '# smtp-doctor-disable-file postfix/no-compatibility-level',
      '# not a directive: smtp-doctor-disable-next-line postfix/syntax',
      '# smtp-doctor-disable-next-liner postfix/syntax',
    ].join('\n');
    assert.deepStrictEqual(parseSuppressions(text), [
      { kind: 'next-line', line: 0, rules: ['postfix/relayhost-mx-lookup'] },
      { kind: 'next-line', line: 2, rules: ['nodemailer/tls-verify-disabled', 'nodemailer/plaintext-auth'] },
      { kind: 'next-line', line: 3, rules: [] },
      { kind: 'file', line: 4, rules: ['postfix/no-compatibility-level'] },
    ]);
    assert.deepStrictEqual(parseSuppressions('relayhost = smtp.example.com\n'), []);
  });

  it('main.cf: a next-line comment silences that rule on the next line only, and a file comment everywhere', () => {
    const main = [
      'myhostname = mail.example.com',
      '# smtp-doctor-disable-next-line postfix/relayhost-mx-lookup',
      'relayhost = smtp.isp.example:587',
      'smtpd_tls_securty_level = may',
      'smtpd_tls_auth_onyl = yes',
    ].join('\n');
    const before = ids(lint({ 'pf/main.cf': main.replace('# smtp-doctor-disable-next-line postfix/relayhost-mx-lookup', '# a comment') }), 'pf/main.cf');
    const after = ids(lint({ 'pf/main.cf': main }), 'pf/main.cf');
    assert.ok(before.includes('3 postfix/relayhost-mx-lookup'), before.join(', '));
    assert.deepStrictEqual(after, before.filter((x) => x !== '3 postfix/relayhost-mx-lookup'));
    // Another rule on the same line, or the same rule two lines down, stays.
    assert.ok(after.includes('4 postfix/unknown-parameter') && after.includes('5 postfix/unknown-parameter'));
    const fileWide = ids(lint({ 'pf/main.cf': `# smtp-doctor-disable-file postfix/unknown-parameter\n${main}` }), 'pf/main.cf');
    assert.ok(!fileWide.some((x) => x.endsWith('postfix/unknown-parameter')), fileWide.join(', '));
  });

  it('stacked directive lines all apply to the line under them; a blank line breaks the stack', () => {
    const js = (gap: string) =>
      [
        "const nodemailer = require('nodemailer');",
        'nodemailer.createTransport({',
        "  host: 'smtp.example.com',",
        '  port: 587,',
        "  auth: { user: 'u', pass: 'hunter2-secret' },",
        '  // smtp-doctor-disable-next-line nodemailer/tls-verify-disabled',
        gap + '  // smtp-doctor-disable-next-line nodemailer/hardcoded-credentials',
        '  tls: { rejectUnauthorized: false },',
        '});',
      ].join('\n');
    const plain = ids(lint({ 'app/mail.js': js('').replace(/\/\/ smtp-doctor.*\n/g, '// note\n') }), 'app/mail.js');
    assert.ok(plain.some((x) => x.endsWith('nodemailer/tls-verify-disabled')), plain.join(', '));
    const stacked = ids(lint({ 'app/mail.js': js('') }), 'app/mail.js');
    assert.ok(!stacked.some((x) => x.endsWith('nodemailer/tls-verify-disabled')), stacked.join(', '));
    const broken = ids(lint({ 'app/mail.js': js('\n') }), 'app/mail.js');
    assert.ok(broken.some((x) => x.endsWith('nodemailer/tls-verify-disabled')), broken.join(', '));
  });

  describe('stacked directives: the boundaries', () => {
    /** Which of the findings (rule on a 1-based line, possibly running on to a later line) the directives in `lines` suppress. */
    const suppressed = (lines: readonly string[], findings: readonly [string, number, number?][]) => {
      const directives = parseSuppressions(lines.join('\n'));
      return findings
        .filter(([ruleId, line, endLine]) =>
          isSuppressed({ ruleId, severity: 'error', file: 'f', message: '', range: { start: { line: line - 1, character: 2 }, end: { line: (endLine ?? line) - 1, character: 5 } } }, directives),
        )
        .map(([ruleId, line]) => `${line} ${ruleId}`);
    };
    const next = (rules = '') => `# smtp-doctor-disable-next-line ${rules}`.trimEnd();

    it('a stack of three: each directive covers the line under the whole stack, whichever rule it names', () => {
      const lines = [next('a/one'), next('b/two'), next('c/three'), 'x', 'y'];
      assert.deepStrictEqual(suppressed(lines, [['a/one', 4], ['b/two', 4], ['c/three', 4], ['d/four', 4], ['a/one', 5]]), ['4 a/one', '4 b/two', '4 c/three']);
    });

    it('a directive for every rule at the top of a stack covers the line under it', () => {
      assert.deepStrictEqual(suppressed([next(), next('b/two'), 'x'], [['d/four', 3], ['b/two', 3]]), ['3 d/four', '3 b/two']);
    });

    it('a plain comment, a blank line or a code line breaks the stack; the part next to the line still counts', () => {
      for (const gap of ['# why the next rule is off', '', 'y = 1']) {
        assert.deepStrictEqual(suppressed([next('a/one'), gap, next('b/two'), 'x'], [['a/one', 4], ['b/two', 4]]), ['4 b/two'], JSON.stringify(gap));
      }
    });

    it('a file directive inside a stack covers the whole file, not only the line under it', () => {
      const lines = ['x', '# smtp-doctor-disable-file a/one', next('b/two'), 'y'];
      assert.deepStrictEqual(suppressed(lines, [['a/one', 1], ['a/one', 4], ['b/two', 4], ['b/two', 1]]), ['1 a/one', '4 a/one', '4 b/two']);
    });

    it('a finding over several lines: the stack above its first line counts, a directive above a later line does not', () => {
      const lines = [next('a/one'), next('b/two'), 'x', next('c/three'), 'y'];
      assert.deepStrictEqual(suppressed(lines, [['a/one', 3, 5], ['c/three', 3, 5], ['c/three', 5]]), ['3 a/one', '5 c/three']);
    });

    it('a directive on the first line has nothing above it: a finding on that line stays', () => {
      assert.deepStrictEqual(suppressed([next('a/one') + ' x'], [['a/one', 1]]), []);
    });
  });

  it('YAML and .env files take # comments', () => {
    const yaml = 'smtp:\n  host: smtp.example.com\n  port: 465\n  # smtp-doctor-disable-next-line nodemailer/secure-port-mismatch\n  secure: false\n';
    const noted = yaml.replace('# smtp-doctor-disable-next-line nodemailer/secure-port-mismatch', '# fine');
    assert.ok(ids(lint({ 'config/mail.yaml': noted })).some((x) => x.endsWith('nodemailer/secure-port-mismatch')));
    assert.ok(!ids(lint({ 'config/mail.yaml': yaml })).some((x) => x.endsWith('nodemailer/secure-port-mismatch')));
  });

  it('the suppress edit goes above the finding with its indent, keeps CRLF, and is a file comment at 0:0', () => {
    const f = (line: number, character: number, end = character + 3) => ({ ruleId: 'postfix/unknown-parameter', range: { start: { line, character }, end: { line, character: end } } });
    assert.deepStrictEqual(suppressionEdit('/w/main.cf', 'a = 1\n    b = 2\n', f(1, 4)), {
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
      newText: '    # smtp-doctor-disable-next-line postfix/unknown-parameter\n',
      scope: 'line',
    });
    assert.strictEqual(suppressionEdit('/w/a.ts', 'x;\r\n  y;\r\n', f(1, 2))?.newText, '  // smtp-doctor-disable-next-line postfix/unknown-parameter\r\n');
    assert.strictEqual(suppressionEdit('/w/a.ts', 'x;\n', f(0, 0, 0))?.scope, 'file');
    assert.strictEqual(suppressionEdit('/w/config.json', '{}', f(0, 0)), undefined);
    assert.deepStrictEqual(['main.cf', 'x.yaml', '.env.local', 'a.tsx', 'b.mjs', 'c.json'].map((p) => commentPrefixOf(p)), ['#', '#', '#', '//', '//', undefined]);
  });

  it('applying the suppress edit silences exactly that finding (main.cf, JS, YAML, .env)', () => {
    const cases: Record<string, string> = {
      'pf/main.cf': 'myhostname = mail.example.com\nrelayhost = smtp.isp.example:587\n',
      'app/mail.js': "require('nodemailer').createTransport({ host: 'smtp.example.com', port: 465, secure: false });\n",
      'config/mail.yml': 'mail:\n  host: smtp.example.com\n  port: 465\n  secure: false\n',
      'app/.env': 'SMTP_HOST=smtp.example.com\nSMTP_PORT=465\nSMTP_SECURE=false\n',
    };
    for (const [file, text] of Object.entries(cases)) {
      const findings = lint({ [file]: text }).filter((f) => f.file === file);
      assert.ok(findings.length > 0, `${file}: no finding to suppress`);
      const target = findings[findings.length - 1];
      const edit = suppressionEdit(file, text, target)!;
      const after = lint({ [file]: applyEdit(text, edit) }).filter((f) => f.file === file);
      const key = (x: Finding) => `${x.ruleId} ${x.message}`;
      assert.ok(!after.some((x) => key(x) === key(target)), `${file}: ${target.ruleId} still reported after "${edit.newText.trim()}"`);
      assert.strictEqual(after.length, findings.length - findings.filter((x) => key(x) === key(target)).length, `${file}: other findings changed`);
    }
  });
});
