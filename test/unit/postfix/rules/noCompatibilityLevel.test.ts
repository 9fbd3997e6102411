import * as assert from 'assert';
import { parseMainCf } from '../../../../src/core/postfix/mainCf';
import { noCompatibilityLevel } from '../../../../src/core/postfix/rules/noCompatibilityLevel';
import { openRelay } from '../../../../src/core/postfix/rules/openRelay';
import { applyFix, lintFixtureDir, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/no-compatibility-level', () => {
  const main = readFixture('postfix/rules/no-compatibility-level/main.cf');
  const findings = lintFixtureDir('postfix/rules/no-compatibility-level', noCompatibilityLevel);

  it('reports once, at the very start of the file (what the whole file lacks: no other finding is there), as information', () => {
    assert.deepStrictEqual(where(findings), ['1:1 postfix/no-compatibility-level']);
    assert.deepStrictEqual(findings[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.strictEqual(findings[0].severity, 'information');
    assert.strictEqual(findings[0].file, 'main.cf');
  });

  it('says it in one sentence (the legacy defaults are listed on the docs page)', () => {
    assert.strictEqual(findings[0].message, 'compatibility_level is not set, so Postfix keeps its 2.x defaults; check the mail log, then set it (e.g. 3.6).');
  });

  it('says nothing about a template that may set it where it cannot be seen', () => {
    assert.deepStrictEqual(lintTexts({ main: '{{ extra_settings }}\nmyhostname = {{ fqdn }}\n' }, noCompatibilityLevel), []);
  });

  it('adds compatibility_level = 3.6 (or 2) at the end', () => {
    const fixed = applyFix(main, findings[0]);
    assert.strictEqual(fixed, `${main}compatibility_level = 3.6\n`);
    assert.strictEqual(parseMainCf({ file: 'main.cf', text: fixed }).effective.get('compatibility_level')?.value, '3.6');
    assert.strictEqual(applyFix(main, findings[0], 'Add "compatibility_level = 2" (Postfix 3.0 to 3.5)'), `${main}compatibility_level = 2\n`);
    assert.deepStrictEqual(lintTexts({ main: fixed }, noCompatibilityLevel), []);
  });

  it('handles a missing final newline and CRLF', () => {
    const noEol = 'smtpd_relay_restrictions = reject_unauth_destination';
    const [e] = lintTexts({ main: noEol }, noCompatibilityLevel);
    assert.deepStrictEqual(e.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.strictEqual(applyFix(noEol, e), `${noEol}\ncompatibility_level = 3.6\n`);
    const crlf = `${noEol}\r\n`;
    assert.strictEqual(applyFix(crlf, lintTexts({ main: crlf }, noCompatibilityLevel)[0]), `${noEol}\r\ncompatibility_level = 3.6\r\n`);
  });

  it('is the only finding of a file without relay lists: smtpd_relay_restrictions at its default has a check in force', () => {
    for (const text of ['', 'myhostname = mail.example.com\n']) {
      const [f, ...rest] = lintTexts({ main: text }, noCompatibilityLevel);
      assert.deepStrictEqual(rest, []);
      assert.deepStrictEqual(f.range.start, { line: 0, character: 0 });
      assert.strictEqual(applyFix(text, f), `${text}compatibility_level = 3.6\n`);
      assert.deepStrictEqual(lintTexts({ main: text }, openRelay), [], text);
    }
  });

  it('is quiet when compatibility_level is set (to any value) or there is no main.cf', () => {
    for (const text of ['compatibility_level = 3.6\n', 'myhostname = a.example.com\ncompatibility_level = 2\n', 'compatibility_level = 0\n', 'compatibility_level = ${{$mail_version} <level {3.6} ? {2} : {3.6}}\n']) {
      assert.deepStrictEqual(lintTexts({ main: text }, noCompatibilityLevel), [], text);
    }
    assert.deepStrictEqual(lintTexts({ master: 'smtp inet n - y - - smtpd\n' }, noCompatibilityLevel), []);
  });
});
