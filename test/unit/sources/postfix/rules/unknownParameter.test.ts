import { unknownParameter } from '../../../../../src/core/sources/postfix/rules/unknownParameter';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

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
        findings: [{ at: '3:1', text: 'smtpd_tls_securty_level', message: 'Unknown parameter "smtpd_tls_securty_level": Postfix ignores it; did you mean "smtpd_tls_security_level"?', output: /^smtpd_tls_security_level = may$/m }],
      },
      { name: 'a per-transport parameter of a transport master.cf does not define', code: { main: 'fastsmtp_destination_rate_delay = 1s\n', master: perTransportMaster }, findings: [{}] },
      { name: 'no fix when nothing known is close', code: 'completely_made_up_setting_xyz = 1\n', findings: [{ fixes: [] }] },
    ],
  });
});

const spawnAndPipe =
  'policyd-spf unix - n n - 0 spawn user=policyd-spf argv=/usr/bin/policyd-spf\n' +
  'maildrop unix - n n - - pipe flags=DRhu user=vmail argv=/usr/bin/maildrop -d ${recipient}\n' +
  'slow unix - - y - - smtp\n';
const newIn38 = 'smtpd_client_ipv6_prefix_length = 64\n';

describe('postfix/unknown-parameter: names Postfix still honours, per-service names, releases', () => {
  testPostfixRule(unknownParameter, {
    valid: [
      {
        name: 'legacy names that a default refers to (postconf prints them without a warning)',
        code:
          [
            'virtual_maps = hash:/etc/postfix/virtual',
            'postscreen_dnsbl_ttl = 1h',
            'postscreen_whitelist_interfaces = static:all',
            'postscreen_blacklist_action = drop',
            'postscreen_dnsbl_whitelist_threshold = -1',
            'smtpd_client_connection_limit_exceptions = 192.0.2.1',
            'fallback_relay = [backup.example.net]',
            'authorized_verp_clients = $mynetworks',
          ].join('\n') + '\n',
      },
      {
        name: '<service>_time_limit of a spawn or pipe service, and per-transport names of delivery services',
        code: { main: 'policyd-spf_time_limit = 3600\nmaildrop_destination_recipient_limit = 1\nslow_destination_rate_delay = 1s\n', master: spawnAndPipe },
      },
      // Without master.cf, Postfix's standard services are assumed to exist.
      { name: 'per-transport names of the standard services, without master.cf', code: 'smtp_destination_concurrency_limit = 10\nrelay_destination_rate_delay = 1s\n' },
      { name: 'a name of the configured release', code: { main: newIn38, postfixVersion: '3.8' } },
      { name: 'a newer name with the release unknown', code: newIn38 },
      // Back-ported to patch releases: 3.7 has it from 3.7.9 on.
      { name: 'a name back-ported to the release', code: { main: 'smtpd_forbid_bare_newline = normalize\n', postfixVersion: '3.7' } },
    ],
    invalid: [
      {
        // A spawn service has only _time_limit; a name of a service master.cf does not define is unknown.
        name: 'a spawn service with a delivery name, and a service master.cf does not define',
        code: { main: 'policyd-spf_destination_recipient_limit = 1\nnosuch_time_limit = 1\n', master: spawnAndPipe },
        findings: [{ at: '1:1' }, { at: '2:1' }],
      },
      {
        name: 'a name newer than the configured release: "not in Postfix X.Y"',
        code: { main: newIn38, postfixVersion: '3.7' },
        findings: [{ message: '"smtpd_client_ipv6_prefix_length" is not in Postfix 3.7 (added in 3.8): that release ignores it (test).' }],
      },
      { name: 'a patch release before the back-port', code: { main: 'smtpd_forbid_bare_newline = normalize\n', postfixVersion: '3.7.5' }, findings: [{}] },
    ],
  });
});
