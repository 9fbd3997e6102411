import { unknownParameter } from '../../../../src/core/postfix/rules/unknownParameter';
import { readFixture } from '../../helpers';
import { testPostfixRule } from '../../ruleTester';

const perTransportMaster = 'slowsmtp unix - - y - - smtp\n';

describe('postfix/unknown-parameter', () => {
  testPostfixRule(unknownParameter, {
    valid: [
      { name: 'a user-defined name that another value references as $name', code: 'my_networks_list = 10.0.0.0/8\nmynetworks = $my_networks_list\n' },
      {
        name: 'a user-defined name used in a master.cf -o override',
        code: {
          main: 'mua_client_restrictions = permit_sasl_authenticated, reject\n',
          master: 'submission inet n - y - - smtpd\n  -o smtpd_client_restrictions=$mua_client_restrictions\n',
        },
      },
      { name: 'a per-transport parameter of a transport defined in master.cf', code: { main: 'slowsmtp_destination_rate_delay = 1s\n', master: perTransportMaster } },
    ],
    invalid: [
      {
        name: 'a misspelt name, on its exact characters, with the known one suggested',
        code: readFixture('postfix/rules/unknown-parameter/main.cf'),
        findings: [{ at: '3:1', text: 'smtpd_tls_securty_level', message: /Did you mean "smtpd_tls_security_level"\?/, output: /^smtpd_tls_security_level = may$/m }],
      },
      { name: 'a per-transport parameter of a transport master.cf does not define', code: { main: 'fastsmtp_destination_rate_delay = 1s\n', master: perTransportMaster }, findings: [{}] },
      { name: 'no fix when nothing known is close', code: 'completely_made_up_setting_xyz = 1\n', findings: [{ fixes: [] }] },
    ],
  });
});
