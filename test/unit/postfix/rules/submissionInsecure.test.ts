import * as assert from 'assert';
import { submissionInsecure } from '../../../../src/core/postfix/rules/submissionInsecure';
import { applyFix, coveredText, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/submission-insecure', () => {
  const main = readFixture('postfix/rules/submission-insecure/main.cf');
  const master = readFixture('postfix/rules/submission-insecure/master.cf');

  it('flags submission without TLS and SASL, and smtps without wrapper mode, on the service name', () => {
    const findings = lintTexts({ main, master }, submissionInsecure);
    assert.deepStrictEqual(where(findings), ['2:1 postfix/submission-insecure', '5:1 postfix/submission-insecure']);
    assert.deepStrictEqual(
      findings.map((f) => coveredText(master, f)),
      ['submission', 'smtps'],
    );
    assert.strictEqual(
      findings[0].message,
      'No TLS required and no login on port 587: add -o smtpd_tls_security_level=encrypt -o smtpd_sasl_auth_enable=yes.',
    );
    assert.match(findings[1].message, /^No TLS at connect on port 465/);
    assert.doesNotMatch(findings[1].message, /SASL/);
  });

  it('appends the missing -o lines to the submission service', () => {
    const [f] = lintTexts({ main, master }, submissionInsecure);
    assert.ok(
      applyFix(master, f).includes(
        '  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject\n' +
          '  -o smtpd_tls_security_level=encrypt\n' +
          '  -o smtpd_sasl_auth_enable=yes\n' +
          'smtps',
      ),
    );
  });

  it('corrects a wrong override in place', () => {
    const findings = lintTexts({ main, master }, submissionInsecure);
    const fixed = applyFix(master, findings[1]);
    assert.match(fixed, /^ {2}-o smtpd_tls_wrappermode=yes$/m);
    assert.doesNotMatch(fixed, /wrappermode=no/);
    assert.deepStrictEqual(lintTexts({ main, master: fixed }, submissionInsecure).length, 1);
  });

  it('takes the settings from main.cf when the service does not override them', () => {
    const secureMain = 'smtpd_tls_security_level = encrypt\nsmtpd_sasl_auth_enable = yes\n';
    assert.deepStrictEqual(lintTexts({ main: secureMain, master: 'submission inet n - y - - smtpd\n' }, submissionInsecure), []);
    const good = 'submission inet n - y - - smtpd\n  -o smtpd_tls_security_level=encrypt\n  -o smtpd_sasl_auth_enable=yes\n';
    assert.deepStrictEqual(lintTexts({ main, master: good }, submissionInsecure), []);
  });

  it('ignores port 25 and commented-out services', () => {
    const m = 'smtp inet n - y - - smtpd\n#submission inet n - y - - smtpd\n';
    assert.deepStrictEqual(lintTexts({ main, master: m }, submissionInsecure), []);
  });
});
