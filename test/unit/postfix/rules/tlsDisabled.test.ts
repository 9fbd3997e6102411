import * as assert from 'assert';
import { tlsDisabled } from '../../../../src/core/postfix/rules/tlsDisabled';
import { applyFix, coveredText, lintFixtureDir, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/tls-disabled', () => {
  const dir = 'postfix/rules/tls-disabled';
  const main = readFixture(`${dir}/main.cf`);
  const findings = lintFixtureDir(dir, tlsDisabled);

  it('flags the server level "none" on its value and fixes it to "may"', () => {
    assert.deepStrictEqual(where(findings), ['3:28 postfix/tls-disabled', '2:1 postfix/tls-disabled']);
    const f = findings[0];
    assert.strictEqual(coveredText(main, f), 'none');
    assert.strictEqual(f.message, 'smtpd_tls_security_level = none: the SMTP server offers no STARTTLS; use "may" (opportunistic TLS).');
    assert.match(applyFix(main, f), /^smtpd_tls_security_level = may$/m);
  });

  it('reports an unset client level on the first statement (not the leading comment) and appends the setting', () => {
    const f = findings[1];
    assert.strictEqual(coveredText(main, f), 'myhostname');
    assert.strictEqual(f.message, 'smtp_tls_security_level is not set: the SMTP client never uses STARTTLS; add "smtp_tls_security_level = may".');
    assert.ok(applyFix(main, f).endsWith('smtpd_tls_security_level = none\nsmtp_tls_security_level = may\n'));
  });

  it('accepts the obsolete yes switches and TLS turned on', () => {
    assert.deepStrictEqual(lintTexts({ main: 'smtpd_use_tls = yes\nsmtp_enforce_tls = yes\n' }, tlsDisabled), []);
    assert.deepStrictEqual(lintTexts({ main: 'smtpd_tls_security_level = may\nsmtp_tls_security_level = dane\n' }, tlsDisabled), []);
  });

  it('skips the server side when master.cf runs no SMTP server, and needs a main.cf', () => {
    const master = 'pickup unix n - y 60 1 pickup\n';
    const only = lintTexts({ main: 'smtp_tls_security_level = may\n', master }, tlsDisabled);
    assert.deepStrictEqual(only, []);
    assert.deepStrictEqual(lintTexts({ master }, tlsDisabled), []);
  });
});
