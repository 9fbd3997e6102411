import * as assert from 'assert';
import { tlsDisabled } from '../../../../src/core/postfix/rules/tlsDisabled';
import { applyFix, coveredText, lintFixtureDir, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/tls-disabled', () => {
  const dir = 'postfix/rules/tls-disabled';
  const main = readFixture(`${dir}/main.cf`);
  const findings = lintFixtureDir(dir, tlsDisabled);

  it('flags the server level "none" on its value and fixes it to "may"', () => {
    assert.deepStrictEqual(where(findings), ['3:28 postfix/tls-disabled', '4:1 postfix/tls-disabled']);
    const f = findings[0];
    assert.strictEqual(coveredText(main, f), 'none');
    assert.strictEqual(f.message, 'smtpd_tls_security_level = none: the SMTP server offers no STARTTLS; use "may" (opportunistic TLS).');
    assert.match(applyFix(main, f), /^smtpd_tls_security_level = may$/m);
  });

  it('reports an unset client level where its line goes (the end of the file) and appends it there', () => {
    const f = findings[1];
    assert.strictEqual(coveredText(main, f), '');
    assert.strictEqual(f.message, 'smtp_tls_security_level is not set: the SMTP client never uses STARTTLS; add "smtp_tls_security_level = may".');
    assert.ok(applyFix(main, f).endsWith('smtpd_tls_security_level = none\nsmtp_tls_security_level = may\n'));
  });

  it('reports an unset level on what makes it matter: the relayhost, the server certificate', () => {
    const main = 'myhostname = mail.example.com\nrelayhost = [smtp.example.net]:587\nsmtpd_tls_cert_file = /etc/ssl/mail.pem\n';
    const master = 'smtp inet n - y - - smtpd\n';
    assert.deepStrictEqual(
      lintTexts({ main, master }, tlsDisabled).map((f) => `${coveredText(main, f)}: ${f.message}`),
      [
        'smtpd_tls_cert_file: smtpd_tls_security_level is not set: the SMTP server offers no STARTTLS; add "smtpd_tls_security_level = may".',
        'relayhost: smtp_tls_security_level is not set: the SMTP client never uses STARTTLS; add "smtp_tls_security_level = may".',
      ],
    );
  });

  it('says both unset levels with nothing to point at once, at the end of the file, and adds both', () => {
    const main = 'myhostname = mail.example.com\n';
    const [f, ...rest] = lintTexts({ main, master: 'smtp inet n - y - - smtpd\n' }, tlsDisabled);
    assert.deepStrictEqual(rest, []);
    assert.deepStrictEqual(f.range.start, { line: 1, character: 0 });
    assert.match(f.message, /^No TLS level is set/);
    assert.strictEqual(applyFix(main, f), `${main}smtpd_tls_security_level = may\nsmtp_tls_security_level = may\n`);
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

describe('postfix/tls-disabled: who can reach the server, and the release\'s defaults', () => {
  it('says nothing about the server side of a loopback-only server (a null client, a container behind a relay)', () => {
    for (const main of ['inet_interfaces = loopback-only\nsmtp_tls_security_level = may\n', 'inet_interfaces = 127.0.0.1, [::1]\nsmtp_tls_security_level = may\n']) {
      assert.deepStrictEqual(lintTexts({ main }, tlsDisabled), [], main);
    }
    const master = '127.0.0.1:smtp inet n - y - - smtpd\n';
    assert.deepStrictEqual(lintTexts({ main: 'smtp_tls_security_level = may\n', master }, tlsDisabled), []);
    // A server that sets its own level is its own business.
    const own = 'smtp inet n - y - - smtpd\n  -o smtpd_tls_security_level=may\n';
    assert.deepStrictEqual(lintTexts({ main: 'smtp_tls_security_level = may\n', master: own }, tlsDisabled), []);
  });

  it('knows that Postfix 3.11 with compatibility_level 3.11 uses opportunistic TLS in the client by default', () => {
    const findings = (main: string) => lintTexts({ main }, tlsDisabled).map((f) => f.message.split(' ')[0]);
    assert.deepStrictEqual(findings('compatibility_level = 3.11\nsmtpd_tls_security_level = may\n'), []);
    assert.deepStrictEqual(findings('compatibility_level = 3.6\nsmtpd_tls_security_level = may\n'), ['smtp_tls_security_level']);
  });
});
