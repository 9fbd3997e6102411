import * as assert from 'assert';
import { parseMainCf } from '../../../../src/core/postfix/mainCf';
import { accidentalContinuation } from '../../../../src/core/postfix/rules/accidentalContinuation';
import { syntax } from '../../../../src/core/postfix/rules/syntax';
import { applyFix, coveredText, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/accidental-continuation', () => {
  const main = readFixture('postfix/rules/accidental-continuation/main.cf');
  const findings = lintTexts({ main }, accidentalContinuation);

  it('flags indented "name = value" lines that continue the statement above', () => {
    assert.deepStrictEqual(where(findings), [
      '4:3 postfix/accidental-continuation',
      '6:2 postfix/accidental-continuation',
      '13:5 postfix/accidental-continuation',
    ]);
    assert.deepStrictEqual(
      findings.map((f) => coveredText(main, f)),
      ['smtpd_tls_security_level = may', 'smtpd_tls_auth_only=yes', 'my_custom_checks = reject'],
    );
    assert.ok(findings.every((f) => f.severity === 'error'));
  });

  it('says which value swallows the line and what that does', () => {
    assert.match(findings[0].message, /continues "mydestination" \(line 2\)/);
    assert.match(findings[0].message, /"mydestination" becomes "\$myhostname, localhost\.\$mydomain, localhost smtpd_tls_security_level = may"/);
    assert.match(findings[0].message, /"smtpd_tls_security_level" is not set here/);
    assert.match(findings[1].message, /"smtpd_sasl_auth_enable" takes a yes\/no value, so programs that read it stop with a fatal error/);
    assert.doesNotMatch(findings[0].message, /fatal/);
  });

  it('removes the indentation, which makes the line a setting of its own', () => {
    const fixed = applyFix(main, findings[0]);
    assert.ok(fixed.includes('\n    localhost\nsmtpd_tls_security_level = may\n'), fixed);
    const cf = parseMainCf({ file: 'main.cf', text: fixed });
    assert.strictEqual(cf.effective.get('smtpd_tls_security_level')?.value, 'may');
    assert.strictEqual(cf.effective.get('mydestination')?.value.replace(/\s+/g, ' '), '$myhostname, localhost.$mydomain, localhost');
    assert.strictEqual(applyFix(main, findings[1]).split('\n')[5], 'smtpd_tls_auth_only=yes');
  });

  it('leaves NAME=VALUE entries of import_environment and key=value inside { } alone', () => {
    // Fixture lines 7-12: "LANG=C" under import_environment, "timeout=10s, default_action=DUNNO" in a { } group.
    assert.ok(!findings.some((f) => f.range.start.line >= 6 && f.range.start.line <= 11));
    const env = 'import_environment = MAIL_CONFIG TZ\n    LANG=C\n    myhostname = mail.example.com\n';
    assert.deepStrictEqual(lintTexts({ main: env }, accidentalContinuation).map((f) => coveredText(env, f)), ['myhostname = mail.example.com']);
  });

  it('is quiet on ordinary continuation lines, comments and blank lines inside a statement', () => {
    for (const text of [
      'mydestination = $myhostname,\n    localhost\n',
      'smtpd_recipient_restrictions =\n    permit_mynetworks,\n    # smtpd_tls_auth_only = yes\n\n    reject_unauth_destination\n',
      'smtpd_tls_security_level = may\nsmtpd_tls_auth_only = yes\n',
      'postscreen_dnsbl_sites = zen.spamhaus.org*3\n    b.barracudacentral.org=127.0.0.2*2\n',
      '',
    ]) {
      assert.deepStrictEqual(lintTexts({ main: text }, accidentalContinuation), [], text);
    }
  });

  it('leaves an indented first line to postfix/syntax (it continues nothing)', () => {
    const text = '  smtpd_tls_security_level = may\n  smtpd_tls_auth_only = yes\nmyhostname = mail.example.com\n';
    assert.deepStrictEqual(lintTexts({ main: text }, accidentalContinuation), []);
    assert.strictEqual(lintTexts({ main: text }, syntax).length, 1);
  });
});
