import * as assert from 'assert';
import { syntax } from '../../../../src/core/postfix/rules/syntax';
import { coveredText, lintFixtureDir, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/syntax', () => {
  const main = readFixture('postfix/rules/syntax/main.cf');
  const master = readFixture('postfix/rules/syntax/master.cf');
  const findings = lintFixtureDir('postfix/rules/syntax', syntax);

  it('reports each unreadable statement on its exact text: an error, but a warning for a line Postfix only ignores', () => {
    assert.deepStrictEqual(where(findings), ['1:1 postfix/syntax', '3:1 postfix/syntax', '4:1 postfix/syntax', '2:3 postfix/syntax']);
    assert.deepStrictEqual(findings.map((f) => f.severity), ['warning', 'error', 'error', 'error']);
    const inMain = findings.filter((f) => f.file === 'main.cf').map((f) => coveredText(main, f));
    assert.deepStrictEqual(inMain, ['  indented_first_line = 1', 'this line has no equals sign', '= value without a name']);
  });

  it('says what Postfix does with each', () => {
    assert.match(findings[0].message, /continues nothing, so Postfix ignores it/);
    assert.strictEqual(findings[1].message, 'Missing "=" after "this": Postfix refuses to read main.cf; write "name = value".');
    assert.match(findings[2].message, /Missing parameter name/);
  });

  it('reports an "-o name" without "=" in master.cf', () => {
    const f = findings.find((x) => x.file === 'master.cf')!;
    assert.strictEqual(coveredText(master, f), '-o smtpd_tls_security_level');
    assert.match(f.message, /no "="/);
  });

  it('leaves "-o name = value" to postfix/master-option-spacing', () => {
    assert.deepStrictEqual(lintTexts({ master: 'smtp inet n - y - - smtpd\n  -o smtpd_tls_security_level = may\n  -o smtpd_sasl_auth_enable =yes\n' }, syntax), []);
  });

  it('is quiet on a well-formed file', () => {
    assert.deepStrictEqual(lintTexts({ main: 'myhostname = a.example.com\nmydestination = a,\n  b\n' }, syntax), []);
  });
});
