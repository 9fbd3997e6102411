import * as assert from 'assert';
import { backslashContinuation } from '../../../../../src/core/sources/postfix/rules/backslashContinuation';
import { syntax } from '../../../../../src/core/sources/postfix/rules/syntax';
import { lintTexts } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const unindented = 'myhostname = mail.example.com\nsmtpd_recipient_restrictions = permit_mynetworks, \\\nreject_unauth_destination\n';
const unindentedFixed = 'myhostname = mail.example.com\nsmtpd_recipient_restrictions = permit_mynetworks, \n    reject_unauth_destination\n';

describe('postfix/backslash-continuation', () => {
  testPostfixRule(backslashContinuation, {
    valid: [
      { name: 'the fixed file: the next line indented, no "\\"', code: unindentedFixed },
      { name: 'a shell command, where "\\" means something', code: 'mailbox_command = /usr/bin/procmail \\\n    -a "$EXTENSION"\n' },
      { name: 'escaped backslashes', code: 'smtpd_expansion_filter = \\t\\40!"#$%&\\\\\n' },
      'myhostname = mail.example.com\n',
    ],
    invalid: [
      {
        name: 'a "\\" before an unindented line: once, as an error, fixed by indenting the line',
        code: unindented,
        findings: [
          {
            at: '2:51',
            text: '\\',
            severity: 'error',
            message: 'Postfix has no "\\" continuation: the next line becomes a statement without "="; indent it and drop the "\\".',
            output: unindentedFixed,
          },
        ],
      },
      { name: 'before an indented line of a restriction list: an error (a stray word stops Postfix)', code: 'smtpd_recipient_restrictions = permit_mynetworks, \\\n    reject_unauth_destination\n', findings: [{ severity: 'error' }] },
      { name: 'after a boolean: an error', code: 'smtpd_tls_auth_only = yes \\\n    \n', findings: [{ severity: 'error' }] },
      {
        name: 'in a domain list: a warning',
        code: 'mydestination = $myhostname, localhost, \\\n    example.com\n',
        findings: [{ severity: 'warning', message: '"\\" is kept in the value of mydestination (Postfix has no backslash continuation); remove it.' }],
      },
      {
        name: 'a "\\" field in master.cf: an error for a daemon, a warning for pipe',
        code: { master: 'submission inet n - y - - smtpd \\\n  -o smtpd_tls_security_level=encrypt\nmaildrop unix - n n - - pipe \\\n  flags=DRhu user=vmail argv=/usr/bin/maildrop -d ${recipient}\n' },
        findings: [
          { file: 'master.cf', text: '\\', severity: 'error' },
          { file: 'master.cf', text: '\\', severity: 'warning' },
        ],
      },
    ],
  });

  it('takes the unindented line from postfix/syntax: that rule says nothing about it', () => {
    assert.deepStrictEqual(lintTexts({ main: unindented }, syntax), []);
  });
});
