import { masterUnknownOption } from '../../../../../src/core/sources/postfix/rules/masterUnknownOption';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const dir = 'postfix/rules/master-unknown-option';
const master = readFixture(`${dir}/master.cf`);
const unusedCustom = 'smtp inet n - y - - smtpd\n  -o my_cr=permit_mynetworks,reject\n';

describe('postfix/master-unknown-option', () => {
  testPostfixRule(masterUnknownOption, {
    valid: [
      { name: 'a restriction class', code: { main: 'smtpd_restriction_classes = strict\nstrict = reject\n', master: 'smtp inet n - y - - smtpd\n  -o strict=permit\n' } },
      { name: 'a name main.cf references as $name', code: { main: 'smtpd_client_restrictions = $my_cr\n', master: 'smtp inet n - y - - smtpd\n  -o my_cr=permit_mynetworks,reject\n' } },
      { name: 'known names', code: { master: 'smtp inet n - y - - smtpd\n  -o syslog_name=postfix/smtp\n  -o smtpd_tls_security_level=may\n' } },
    ],
    invalid: [
      {
        // The fixture also holds mua_client_restrictions (main.cf), my_helo_checks ($my_helo_checks) and
        // relay_destination_concurrency_limit, which are accepted.
        name: 'names Postfix does not know and nothing uses, on the name; the nearest known name suggested and fixed, also inside { }',
        code: { main: readFixture(`${dir}/main.cf`), master },
        findings: [
          {
            at: '4:6',
            file: 'master.cf',
            text: 'smtpd_tls_securty_level',
            severity: 'warning',
            message: 'Unknown parameter "smtpd_tls_securty_level" in -o has no effect; did you mean "smtpd_tls_security_level"?',
            output: master.replace('  -o smtpd_tls_securty_level=encrypt', '  -o smtpd_tls_security_level=encrypt'),
          },
          { at: '7:8', file: 'master.cf', text: 'smtpd_sasl_auth_enabled', severity: 'warning', output: master.replace('  -o { smtpd_sasl_auth_enabled = yes }', '  -o { smtpd_sasl_auth_enable = yes }') },
          { at: '10:6', file: 'master.cf', text: 'totally_custom_thing', severity: 'warning', notMessage: /Did you mean/, fixes: [] },
        ],
      },
      { name: 'a user-defined name nothing references, without main.cf', code: { master: unusedCustom }, findings: [{ text: 'my_cr' }] },
      { name: 'a user-defined name nothing references, with main.cf', code: { main: 'myhostname = mail.example.com\n', master: unusedCustom }, findings: [{}] },
    ],
  });
});
