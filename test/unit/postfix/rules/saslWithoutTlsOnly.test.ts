import * as assert from 'assert';
import { saslWithoutTlsOnly } from '../../../../src/core/postfix/rules/saslWithoutTlsOnly';
import { applyFix, coveredText, lintFixtureDir, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/sasl-without-tls-only', () => {
  const dir = 'postfix/rules/sasl-without-tls-only';
  const main = readFixture(`${dir}/main.cf`);
  const master = readFixture(`${dir}/master.cf`);
  const findings = lintFixtureDir(dir, saslWithoutTlsOnly);

  it('flags main.cf and the one service that allows AUTH in clear text (not encrypt or wrapper mode)', () => {
    assert.deepStrictEqual(where(findings), ['4:1 postfix/sasl-without-tls-only', '9:3 postfix/sasl-without-tls-only']);
    assert.strictEqual(coveredText(main, findings[0]), 'smtpd_sasl_auth_enable = yes');
    assert.strictEqual(coveredText(master, findings[1]), '-o smtpd_sasl_auth_enable=yes');
  });

  it('explains the risk without quoting any secret', () => {
    assert.strictEqual(findings[0].message, 'SMTP AUTH is offered before STARTTLS, so passwords can cross the network in clear; set smtpd_tls_auth_only = yes.');
    assert.strictEqual(findings[1].message, 'Service "2525" offers AUTH before STARTTLS (passwords in clear); add -o smtpd_tls_auth_only=yes.');
  });

  it('adds smtpd_tls_auth_only = yes after the SASL line in main.cf', () => {
    assert.match(applyFix(main, findings[0]), /^smtpd_sasl_auth_enable = yes\nsmtpd_tls_auth_only = yes\n/m);
  });

  it('fixes a service: flips an existing -o, or adds one on its own line', () => {
    assert.match(applyFix(master, findings[1]), /-o smtpd_tls_auth_only=yes\n$/);
    const text = 'submission inet n - y - - smtpd\n  -o smtpd_sasl_auth_enable=yes\n';
    const [f] = lintTexts({ main: 'smtpd_tls_security_level = may\n', master: text }, saslWithoutTlsOnly);
    assert.strictEqual(applyFix(text, f), 'submission inet n - y - - smtpd\n  -o smtpd_sasl_auth_enable=yes\n  -o smtpd_tls_auth_only=yes\n');
  });

  it('accepts SASL with smtpd_tls_auth_only = yes', () => {
    assert.deepStrictEqual(lintTexts({ main: 'smtpd_sasl_auth_enable = yes\nsmtpd_tls_auth_only = yes\n' }, saslWithoutTlsOnly), []);
  });
});

describe('postfix/sasl-without-tls-only: only where AUTH in clear can happen', () => {
  it('says nothing on main.cf when every reachable service that offers AUTH requires TLS itself', () => {
    const main = 'smtpd_sasl_auth_enable = yes\n';
    const master =
      'smtp inet n - y - - postscreen\nsmtpd pass - - y - - smtpd\n  -o smtpd_sasl_auth_enable=no\n' +
      'submission inet n - y - - smtpd\n  -o smtpd_tls_security_level=encrypt\n' +
      'smtps inet n - y - - smtpd\n  -o smtpd_tls_wrappermode=yes\n';
    assert.deepStrictEqual(lintTexts({ main, master }, saslWithoutTlsOnly), []);
    // One service that takes main.cf's values as they are is enough to report main.cf.
    assert.strictEqual(lintTexts({ main, master: `${master}2525 inet n - y - - smtpd\n` }, saslWithoutTlsOnly).length, 1);
    // Loopback-only listeners and servers are not reachable from the network.
    assert.deepStrictEqual(lintTexts({ main: `${main}inet_interfaces = loopback-only\n` }, saslWithoutTlsOnly), []);
    assert.deepStrictEqual(lintTexts({ main, master: '127.0.0.1:10025 inet n - n - - smtpd\n' }, saslWithoutTlsOnly), []);
  });
});
