import { saslWithoutTlsOnly } from '../../../../../src/core/sources/postfix/rules/saslWithoutTlsOnly';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const dir = 'postfix/rules/sasl-without-tls-only';
const saslMain = 'smtpd_sasl_auth_enable = yes\n';
const tlsOwnServices =
  'smtp inet n - y - - postscreen\nsmtpd pass - - y - - smtpd\n  -o smtpd_sasl_auth_enable=no\n' +
  'submission inet n - y - - smtpd\n  -o smtpd_tls_security_level=encrypt\n' +
  'smtps inet n - y - - smtpd\n  -o smtpd_tls_wrappermode=yes\n';

describe('postfix/sasl-without-tls-only', () => {
  testPostfixRule(saslWithoutTlsOnly, {
    valid: [
      { name: 'SASL with smtpd_tls_auth_only = yes', code: 'smtpd_sasl_auth_enable = yes\nsmtpd_tls_auth_only = yes\n' },
      // Only where AUTH in clear can happen.
      { name: 'every reachable service that offers AUTH requires TLS itself', code: { main: saslMain, master: tlsOwnServices } },
      { name: 'loopback-only listeners', code: `${saslMain}inet_interfaces = loopback-only\n` },
      { name: 'a server on a loopback address', code: { main: saslMain, master: '127.0.0.1:10025 inet n - n - - smtpd\n' } },
    ],
    invalid: [
      {
        name: 'main.cf and the one service that allows AUTH in clear (not encrypt or wrapper mode), without quoting a secret',
        code: { main: readFixture(`${dir}/main.cf`), master: readFixture(`${dir}/master.cf`) },
        findings: [
          {
            at: '4:1',
            file: 'main.cf',
            text: 'smtpd_sasl_auth_enable = yes',
            message: 'SMTP AUTH is offered before STARTTLS, so passwords can cross the network in clear; set smtpd_tls_auth_only = yes.',
            // Added after the SASL line.
            output: /^smtpd_sasl_auth_enable = yes\nsmtpd_tls_auth_only = yes\n/m,
          },
          {
            at: '9:3',
            file: 'master.cf',
            text: '-o smtpd_sasl_auth_enable=yes',
            message: 'Service "2525" offers AUTH before STARTTLS (passwords in clear); add -o smtpd_tls_auth_only=yes.',
            // An existing -o is flipped.
            output: /-o smtpd_tls_auth_only=yes\n$/,
          },
        ],
      },
      {
        name: 'a service without the -o gets one on its own line',
        code: { main: 'smtpd_tls_security_level = may\n', master: 'submission inet n - y - - smtpd\n  -o smtpd_sasl_auth_enable=yes\n' },
        findings: [{ output: 'submission inet n - y - - smtpd\n  -o smtpd_sasl_auth_enable=yes\n  -o smtpd_tls_auth_only=yes\n' }],
      },
      {
        name: "one service that takes main.cf's values as they are is enough to report main.cf",
        code: { main: saslMain, master: `${tlsOwnServices}2525 inet n - y - - smtpd\n` },
        findings: [{}],
      },
    ],
  });
});
