import { tlsDisabled } from '../../../../../src/core/sources/postfix/rules/tlsDisabled';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const pickupOnly = 'pickup unix n - y 60 1 pickup\n';

describe('postfix/tls-disabled', () => {
  testPostfixRule(tlsDisabled, {
    valid: [
      { name: 'the obsolete yes switches', code: 'smtpd_use_tls = yes\nsmtp_enforce_tls = yes\n' },
      { name: 'TLS turned on', code: 'smtpd_tls_security_level = may\nsmtp_tls_security_level = dane\n' },
      { name: 'no server side when master.cf runs no SMTP server', code: { main: 'smtp_tls_security_level = may\n', master: pickupOnly } },
      { name: 'no main.cf', code: { master: pickupOnly } },
      // Who can reach the server: a null client, a container behind a relay.
      { name: 'a loopback-only server', code: 'inet_interfaces = loopback-only\nsmtp_tls_security_level = may\n' },
      { name: 'a server on loopback addresses', code: 'inet_interfaces = 127.0.0.1, [::1]\nsmtp_tls_security_level = may\n' },
      { name: 'a master.cf server on a loopback address', code: { main: 'smtp_tls_security_level = may\n', master: '127.0.0.1:smtp inet n - y - - smtpd\n' } },
      { name: 'a server that sets its own level', code: { main: 'smtp_tls_security_level = may\n', master: 'smtp inet n - y - - smtpd\n  -o smtpd_tls_security_level=may\n' } },
      // Postfix 3.11 with compatibility_level 3.11 uses opportunistic TLS in the client by default.
      { name: 'compatibility_level 3.11: the client default is may', code: 'compatibility_level = 3.11\nsmtpd_tls_security_level = may\n' },
    ],
    invalid: [
      {
        name: 'the server level "none" on its value, fixed to "may"; an unset client level where its line goes (the end of the file), appended there',
        code: readFixture('postfix/rules/tls-disabled/main.cf'),
        findings: [
          {
            at: '3:28',
            text: 'none',
            message: 'smtpd_tls_security_level = none: the SMTP server offers no STARTTLS; use "may" (opportunistic TLS).',
            output: /^smtpd_tls_security_level = may$/m,
          },
          {
            at: '4:1',
            text: '',
            message: 'smtp_tls_security_level is not set: the SMTP client never uses STARTTLS; add "smtp_tls_security_level = may".',
            output: /smtpd_tls_security_level = none\nsmtp_tls_security_level = may\n$/,
          },
        ],
      },
      {
        name: 'an unset level on what makes it matter: the server certificate, the relayhost',
        code: { main: 'myhostname = mail.example.com\nrelayhost = [smtp.example.net]:587\nsmtpd_tls_cert_file = /etc/ssl/mail.pem\n', master: 'smtp inet n - y - - smtpd\n' },
        findings: [
          { text: 'smtpd_tls_cert_file', message: 'smtpd_tls_security_level is not set: the SMTP server offers no STARTTLS; add "smtpd_tls_security_level = may".' },
          { text: 'relayhost', message: 'smtp_tls_security_level is not set: the SMTP client never uses STARTTLS; add "smtp_tls_security_level = may".' },
        ],
      },
      {
        name: 'both unset levels with nothing to point at: once, at the end of the file, adding both',
        code: { main: 'myhostname = mail.example.com\n', master: 'smtp inet n - y - - smtpd\n' },
        findings: [{ at: '2:1', message: /^No TLS level is set/, output: 'myhostname = mail.example.com\nsmtpd_tls_security_level = may\nsmtp_tls_security_level = may\n' }],
      },
      { name: 'compatibility_level 3.6: the client level still matters', code: 'compatibility_level = 3.6\nsmtpd_tls_security_level = may\n', findings: [{ message: /^smtp_tls_security_level( |$)/ }] },
    ],
  });
});
