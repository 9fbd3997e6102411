import * as assert from 'assert';
import { parseMainCf } from '../../../../src/core/postfix/mainCf';
import { noCompatibilityLevel } from '../../../../src/core/postfix/rules/noCompatibilityLevel';
import { applyFix, coveredText, lintFixtureDir, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/no-compatibility-level', () => {
  const main = readFixture('postfix/rules/no-compatibility-level/main.cf');
  const findings = lintFixtureDir('postfix/rules/no-compatibility-level', noCompatibilityLevel);

  it('reports once, on the first statement (not the leading comment), as information', () => {
    assert.deepStrictEqual(where(findings), ['2:1 postfix/no-compatibility-level']);
    assert.strictEqual(coveredText(main, findings[0]), 'smtpd_banner');
    assert.strictEqual(findings[0].severity, 'information');
    assert.strictEqual(findings[0].file, 'main.cf');
  });

  it('lists only the legacy defaults this configuration still gets', () => {
    const m = findings[0].message;
    assert.match(m, /backwards-compatible defaults \(level 0\)/);
    assert.match(m, /Postfix is using backwards-compatible default settings/);
    assert.match(m, /smtpd_relay_restrictions is empty/);
    assert.match(m, /relay_domains = \$mydestination/);
    assert.match(m, /smtputf8_enable = no/);
    assert.match(m, /chroot = y for the 2 master\.cf services with "-" in the chroot column/);
    // append_dot_mydomain and mynetworks are set in the fixture.
    assert.doesNotMatch(m, /append_dot_mydomain/);
    assert.doesNotMatch(m, /mynetworks_style/);
    assert.match(m, /compatibility_level = 3\.6 \(on Postfix 3\.0 to 3\.5, which only accept whole numbers: 2\)/);
  });

  it('adds compatibility_level = 3.6 (or 2) at the end', () => {
    const fixed = applyFix(main, findings[0]);
    assert.strictEqual(fixed, `${main}compatibility_level = 3.6\n`);
    assert.strictEqual(parseMainCf({ file: 'main.cf', text: fixed }).effective.get('compatibility_level')?.value, '3.6');
    assert.strictEqual(applyFix(main, findings[0], 'Add "compatibility_level = 2" (Postfix 3.0 to 3.5)'), `${main}compatibility_level = 2\n`);
    assert.deepStrictEqual(lintTexts({ main: fixed }, noCompatibilityLevel), []);
  });

  it('handles an empty file, a missing final newline and CRLF', () => {
    const [e] = lintTexts({ main: '' }, noCompatibilityLevel);
    assert.deepStrictEqual(e.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.match(e.message, /mynetworks_style = subnet/);
    assert.strictEqual(applyFix('', e), 'compatibility_level = 3.6\n');
    const noEol = 'myhostname = mail.example.com';
    assert.strictEqual(applyFix(noEol, lintTexts({ main: noEol }, noCompatibilityLevel)[0]), 'myhostname = mail.example.com\ncompatibility_level = 3.6\n');
    const crlf = 'myhostname = mail.example.com\r\n';
    assert.strictEqual(applyFix(crlf, lintTexts({ main: crlf }, noCompatibilityLevel)[0]), 'myhostname = mail.example.com\r\ncompatibility_level = 3.6\r\n');
  });

  it('is quiet when compatibility_level is set (to any value) or there is no main.cf', () => {
    for (const text of ['compatibility_level = 3.6\n', 'myhostname = a.example.com\ncompatibility_level = 2\n', 'compatibility_level = 0\n', 'compatibility_level = ${{$mail_version} <level {3.6} ? {2} : {3.6}}\n']) {
      assert.deepStrictEqual(lintTexts({ main: text }, noCompatibilityLevel), [], text);
    }
    assert.deepStrictEqual(lintTexts({ master: 'smtp inet n - y - - smtpd\n' }, noCompatibilityLevel), []);
  });
});
