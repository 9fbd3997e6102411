import * as assert from 'assert';
import { duplicateParameter } from '../../../../src/core/postfix/rules/duplicateParameter';
import { applyFix, coveredText, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/duplicate-parameter', () => {
  const main = readFixture('postfix/rules/duplicate-parameter/main.cf');
  const findings = lintTexts({ main }, duplicateParameter);

  it('flags every earlier definition on its name, pointing at the one in force', () => {
    assert.deepStrictEqual(where(findings), ['1:1 postfix/duplicate-parameter', '3:1 postfix/duplicate-parameter']);
    assert.strictEqual(coveredText(main, findings[0]), 'myhostname');
    assert.match(findings[0].message, /set again on line 5/);
    assert.deepStrictEqual(findings[0].related?.[0].range.start, { line: 4, character: 0 });
  });

  it('removes the earlier definition, continuation lines included', () => {
    const fixed = applyFix(main, findings[1]);
    assert.strictEqual(fixed, 'myhostname = old.example.com\nmydomain = example.com\nmyhostname = mail.example.com\nalias_maps = hash:/etc/aliases\n');
  });

  it('does not echo values (they may be secrets)', () => {
    const [f] = lintTexts({ main: 'smtp_sasl_password_maps = static:u:pw1\nsmtp_sasl_password_maps = static:u:pw2\n' }, duplicateParameter);
    assert.ok(!f.message.includes('pw1'));
  });

  it('is quiet when every name is set once', () => {
    assert.deepStrictEqual(lintTexts({ main: 'a_b = 1\nc_d = 2\n' }, duplicateParameter), []);
  });
});
