import { clientSaslWithoutMaps } from '../../../../../src/core/sources/postfix/rules/clientSaslWithoutMaps';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const CLIENT = 'smtp      unix  -       -       y       -       -       smtp\n';
const main = readFixture('postfix/rules/client-sasl-without-maps/main.cf');
const mainFixed = main.replace('smtp_sasl_auth_enable = yes\n', 'smtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\n');

describe('postfix/client-sasl-without-maps', () => {
  testPostfixRule(clientSaslWithoutMaps, {
    valid: [
      { name: 'the fixed file', code: mainFixed },
      // A table is set, client SASL is off, or no SMTP client runs.
      'smtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\n',
      'smtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = $my_maps\nmy_maps = lmdb:/etc/postfix/sasl\n',
      'smtp_sasl_auth_enable = no\n',
      'smtpd_sasl_auth_enable = yes\n',
      'relayhost = [smtp.example.net]:587\n',
      { name: 'no SMTP client in master.cf', code: { main, master: 'smtp inet n - y - - smtpd\n' } },
      // Every client brings its own table: main.cf's missing one is never used.
      { name: 'every client service with its own table', code: { main, master: `${CLIENT}  -o smtp_sasl_password_maps=hash:/etc/postfix/sasl_passwd\n` } },
    ],
    invalid: [
      {
        name: 'smtp_sasl_auth_enable = yes without a password table: the fatal error; the fix adds the table below it',
        code: main,
        findings: [
          {
            at: '4:1',
            text: 'smtp_sasl_auth_enable = yes',
            severity: 'error',
            message: 'smtp_sasl_auth_enable = yes without smtp_sasl_password_maps stops the SMTP client at start; add a password table.',
            output: mainFixed,
          },
        ],
      },
      {
        name: 'an empty smtp_sasl_password_maps, filled in under config_directory',
        code: 'config_directory = /usr/local/etc/postfix/\nsmtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps =\n',
        findings: [
          {
            message: /without smtp_sasl_password_maps stops the SMTP client/,
            related: [{ file: 'main.cf', text: 'smtp_sasl_password_maps =' }],
            output: 'config_directory = /usr/local/etc/postfix/\nsmtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/usr/local/etc/postfix/sasl_passwd\n',
          },
        ],
      },
      {
        name: 'an -o override of an SMTP client service in master.cf',
        code: { main: 'myhostname = mail.example.com\n', master: `${CLIENT}relay     unix  -       -       y       -       -       smtp\n  -o smtp_sasl_auth_enable=yes\n` },
        findings: [{ at: '3:3', file: 'master.cf', text: '-o smtp_sasl_auth_enable=yes', message: /^Service "relay" sets smtp_sasl_auth_enable = yes without smtp_sasl_password_maps/ }],
      },
      {
        name: 'an -o that empties the table',
        code: { main: 'smtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\n', master: `${CLIENT}  -o smtp_sasl_password_maps=\n` },
        findings: [{ file: 'master.cf', text: '-o smtp_sasl_password_maps=' }],
      },
      { name: "a client that inherits main.cf's settings makes main.cf's line the finding", code: { main, master: CLIENT }, findings: [{ at: '4:1', file: 'main.cf' }] },
    ],
  });
});
