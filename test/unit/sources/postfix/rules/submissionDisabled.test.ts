import { submissionDisabled } from '../../../../../src/core/sources/postfix/rules/submissionDisabled';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

/** A server that holds mailboxes for its domain: its users submit mail. */
const MAILBOXES = 'myhostname = mail.example.com\nmydestination = $myhostname, localhost, $mydomain\n';
const smtpAndPickup = 'smtp inet n - y - - smtpd\npickup unix n - y 60 1 pickup\n';
const commented = readFixture('postfix/rules/submission-disabled/master.cf');
const uncommentedBlock =
  'submission inet n       -       y       -       -       smtpd\n' +
  '  -o syslog_name=postfix/submission\n' +
  '  -o smtpd_tls_security_level=encrypt\n' +
  '  -o smtpd_sasl_auth_enable=yes\n' +
  '  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject\n' +
  '  -o milter_macro_daemon_name=ORIGINATING\n' +
  '#smtps     inet  n       -       y       -       -       smtpd\n' +
  '#  -o syslog_name=postfix/smtps\n';
const commentedFixed = commented.replace(
  uncommentedBlock
    .split('\n')
    .map((line, i) => (i < 6 ? `#${line}` : line))
    .join('\n'),
  uncommentedBlock,
);
const noSubmission = 'smtp inet n - y - - smtpd\npickup unix n - y 60 1 pickup';

describe('postfix/submission-disabled', () => {
  testPostfixRule(submissionDisabled, {
    valid: [
      // Null clients, relays and gateways: no mailboxes, no users who submit. Postfix's own null-client
      // example, a loopback-only container, and an outbound relay with no local domains.
      { name: "Postfix's null-client example", code: { main: 'myhostname = hostname.example.com\nmyorigin = $mydomain\nrelayhost = $mydomain\ninet_interfaces = loopback-only\nmydestination =\n', master: smtpAndPickup } },
      { name: 'a loopback-only container', code: { main: `${MAILBOXES}inet_interfaces = 127.0.0.1\n`, master: smtpAndPickup } },
      { name: 'an outbound relay with no local domains', code: { main: 'mydestination =\nrelay_domains =\nmynetworks = 10.0.0.0/8\n', master: smtpAndPickup } },
      { name: "only this machine's names", code: { main: 'mydestination = $myhostname, localhost.$mydomain, localhost\n', master: smtpAndPickup } },
      { name: 'no main.cf', code: { master: smtpAndPickup } },
      { name: 'after the fix the service is active', code: { main: MAILBOXES, master: commentedFixed } },
      // Submission written as a service name, a port, or host:port, and smtps on 465.
      ...['submission', '587', '192.0.2.1:587', '[2001:db8::1]:submission', 'smtps', 'submissions'].map((name) => ({ name, code: { main: MAILBOXES, master: `smtp inet n - y - - smtpd\n${name} inet n - y - - smtpd\n` } })),
      { name: 'no master.cf', code: 'myhostname = mail.example.com\n' },
      { name: 'a send-only server with no SMTP listener', code: { main: MAILBOXES, master: 'pickup unix n - y 60 1 pickup\nsmtp unix - - y - - smtp\n' } },
    ],
    invalid: [
      { name: 'virtual mailbox domains', code: { main: 'virtual_mailbox_domains = example.org\n', master: smtpAndPickup }, findings: [{}] },
      {
        name: 'a commented-out submission service, uncommented with its -o lines',
        code: { main: MAILBOXES, master: commented },
        findings: [
          {
            at: '3:1',
            file: 'master.cf',
            severity: 'warning',
            text: '#submission inet n       -       y       -       -       smtpd',
            message: 'The submission service (port 587) is commented out, so mail clients must send on port 25; uncomment it.',
            output: commentedFixed,
          },
        ],
      },
      {
        name: 'the full commented block preferred over a bare loopback variant, prose comments inside it kept',
        code: {
          main: MAILBOXES,
          master:
            'smtp inet n - y - - smtpd\n' +
            '#127.0.0.1:submission inet n -   y       -       -       smtpd\n' +
            '#submission inet n       -       y       -       -       smtpd\n' +
            '#  -o syslog_name=postfix/submission\n' +
            '#     Instead of specifying complex smtpd_<xxx>_restrictions here,\n' +
            '#  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject\n' +
            '# Choose one: enable submissions for loopback clients only, or for any client.\n' +
            '#  -o not_part_of_the_block=1\n' +
            '#submissions     inet  n       -       y       -       -       smtpd\n',
        },
        findings: [
          {
            text: '#submission inet n       -       y       -       -       smtpd',
            output:
              'smtp inet n - y - - smtpd\n' +
              '#127.0.0.1:submission inet n -   y       -       -       smtpd\n' +
              'submission inet n       -       y       -       -       smtpd\n' +
              '  -o syslog_name=postfix/submission\n' +
              '#     Instead of specifying complex smtpd_<xxx>_restrictions here,\n' +
              '  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject\n' +
              '# Choose one: enable submissions for loopback clients only, or for any client.\n' +
              '#  -o not_part_of_the_block=1\n' +
              '#submissions     inet  n       -       y       -       -       smtpd\n',
          },
        ],
      },
      {
        name: 'no submission service: a standard one appended',
        code: { main: MAILBOXES, master: noSubmission },
        findings: [
          {
            at: '1:1',
            message: 'No submission service (port 587): mail clients must send on port 25; add one that requires TLS and a login.',
            output:
              noSubmission +
              '\nsubmission inet n       -       y       -       -       smtpd\n' +
              '  -o syslog_name=postfix/submission\n' +
              '  -o smtpd_tls_security_level=encrypt\n' +
              '  -o smtpd_sasl_auth_enable=yes\n' +
              '  -o smtpd_tls_auth_only=yes\n' +
              '  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject\n',
          },
        ],
      },
    ],
  });
});
