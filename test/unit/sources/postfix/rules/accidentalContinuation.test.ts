import * as assert from 'assert';
import { parseMainCf } from '../../../../../src/core/sources/postfix/mainCf';
import { accidentalContinuation } from '../../../../../src/core/sources/postfix/rules/accidentalContinuation';
import { syntax } from '../../../../../src/core/sources/postfix/rules/syntax';
import { lintTexts, readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const main = readFixture('postfix/rules/accidental-continuation/main.cf');
const securityLevelFixed = main.replace('\n  smtpd_tls_security_level = may\n', '\nsmtpd_tls_security_level = may\n');
const indentedFirst = '  smtpd_tls_security_level = may\n  smtpd_tls_auth_only = yes\nmyhostname = mail.example.com\n';

describe('postfix/accidental-continuation', () => {
  testPostfixRule(accidentalContinuation, {
    valid: [
      // Upstream, Debian, CentOS and SUSE ship this block: "PATH=..." is part of the shell command.
      { name: 'the stock debugger_command', code: 'debugger_command =\n\t PATH=/bin:/usr/bin:/usr/local/bin:/usr/X11R6/bin\n\t ddd $daemon_directory/$process_name $process_id & sleep 5\n' },
      'mydestination = $myhostname,\n    localhost\n',
      { name: 'a comment and a blank line inside a statement', code: 'smtpd_recipient_restrictions =\n    permit_mynetworks,\n    # smtpd_tls_auth_only = yes\n\n    reject_unauth_destination\n' },
      'smtpd_tls_security_level = may\nsmtpd_tls_auth_only = yes\n',
      'postscreen_dnsbl_sites = zen.spamhaus.org*3\n    b.barracudacentral.org=127.0.0.2*2\n',
      '',
      { name: 'an indented first line is left to postfix/syntax (it continues nothing)', code: indentedFirst },
    ],
    invalid: [
      {
        // Not flagged in the fixture: "LANG=C" under import_environment, "timeout=10s, default_action=DUNNO"
        // in a { } group (lines 7-12), and "my_custom_checks = reject" (line 13, no Postfix name: may be meant as text).
        name: 'indented "name = value" lines with a Postfix parameter name, as a warning (a heuristic); the fix removes the indentation',
        code: main,
        findings: [
          {
            at: '4:3',
            text: 'smtpd_tls_security_level = may',
            severity: 'warning',
            message: 'Indented, this line continues "mydestination", so "smtpd_tls_security_level" is not set; remove the indentation.',
            output: securityLevelFixed,
          },
          { at: '6:2', text: 'smtpd_tls_auth_only=yes', severity: 'warning', output: main.replace('\n\tsmtpd_tls_auth_only=yes\n', '\nsmtpd_tls_auth_only=yes\n') },
        ],
      },
      {
        name: 'a parameter under import_environment, but not its NAME=VALUE entries',
        code: 'import_environment = MAIL_CONFIG TZ\n    LANG=C\n    myhostname = mail.example.com\n',
        findings: [{ text: 'myhostname = mail.example.com' }],
      },
    ],
  });

  it('the fixed line is a setting of its own, and the value it continued is whole', () => {
    assert.ok(securityLevelFixed.includes('\n    localhost\nsmtpd_tls_security_level = may\n'));
    const cf = parseMainCf({ file: 'main.cf', text: securityLevelFixed });
    assert.strictEqual(cf.effective.get('smtpd_tls_security_level')?.value, 'may');
    assert.strictEqual(cf.effective.get('mydestination')?.value.replace(/\s+/g, ' '), '$myhostname, localhost.$mydomain, localhost');
  });

  it('an indented first line is a postfix/syntax finding', () => {
    assert.strictEqual(lintTexts({ main: indentedFirst }, syntax).length, 1);
  });
});
