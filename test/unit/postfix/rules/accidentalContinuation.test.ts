import * as assert from 'assert';
import { parseMainCf } from '../../../../src/core/postfix/mainCf';
import { accidentalContinuation } from '../../../../src/core/postfix/rules/accidentalContinuation';
import { syntax } from '../../../../src/core/postfix/rules/syntax';
import { applyFix, coveredText, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/accidental-continuation', () => {
  const main = readFixture('postfix/rules/accidental-continuation/main.cf');
  const findings = lintTexts({ main }, accidentalContinuation);

  it('flags indented "name = value" lines with a Postfix parameter name, as a warning', () => {
    assert.deepStrictEqual(where(findings), ['4:3 postfix/accidental-continuation', '6:2 postfix/accidental-continuation']);
    assert.deepStrictEqual(
      findings.map((f) => coveredText(main, f)),
      ['smtpd_tls_security_level = may', 'smtpd_tls_auth_only=yes'],
    );
    // A heuristic: the text may be meant as part of the value, so it is never an error.
    assert.ok(findings.every((f) => f.severity === 'warning'));
  });

  it('says which value swallows the line, in one short sentence', () => {
    assert.strictEqual(
      findings[0].message,
      'Indented, this line continues "mydestination", so "smtpd_tls_security_level" is not set; remove the indentation.',
    );
  });

  it('leaves names that are not Postfix parameters alone: the stock debugger_command, a user-defined list', () => {
    // Upstream, Debian, CentOS and SUSE ship this block: "PATH=..." is part of the shell command.
    const stock = 'debugger_command =\n\t PATH=/bin:/usr/bin:/usr/local/bin:/usr/X11R6/bin\n\t ddd $daemon_directory/$process_name $process_id & sleep 5\n';
    assert.deepStrictEqual(lintTexts({ main: stock }, accidentalContinuation), []);
    // Fixture line 13: "    my_custom_checks = reject" is no Postfix name, so it may be meant as text.
    assert.ok(!findings.some((f) => f.range.start.line === 12));
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
