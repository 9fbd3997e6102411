import { deprecatedParameter } from '../../../../../src/core/sources/postfix/rules/deprecatedParameter';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const dir = 'postfix/rules/deprecated-parameter';
const main = readFixture(`${dir}/main.cf`);
const legacyNames = 'virtual_maps = hash:/etc/postfix/virtual\npostscreen_dnsbl_ttl = 1h\nsmtpd_client_connection_limit_exceptions = 192.0.2.1\npostscreen_blacklist_action = drop\n';
const ignoredSince36 = 'smtpd_tls_eecdh_grade = strong\nsmtpd_tls_dh512_param_file = /etc/postfix/dh512.pem\n';

describe('postfix/deprecated-parameter', () => {
  testPostfixRule(deprecatedParameter, {
    valid: [
      { name: 'a modern configuration', code: 'smtpd_tls_security_level = may\nsmtp_tls_security_level = may\nvirtual_alias_maps = hash:/etc/postfix/virtual\n' },
      { name: 'settings ignored since 3.6, in files for 3.5', code: { main: ignoredSince36, postfixVersion: '3.5' } },
    ],
    invalid: [
      {
        name: 'each obsolete name on its name; smtpd_use_tls + smtpd_enforce_tls folded into one smtpd_tls_security_level = encrypt; a master.cf -o rewritten in place',
        code: { main, master: readFixture(`${dir}/master.cf`) },
        findings: [
          { at: '3:1', text: 'smtpd_use_tls', message: /write "smtpd_tls_security_level = encrypt" instead/, output: main.replace('smtpd_use_tls = yes\nsmtpd_enforce_tls = yes\n', 'smtpd_tls_security_level = encrypt\n') },
          { at: '4:1', text: 'smtpd_enforce_tls' },
          { at: '5:1', text: 'smtp_use_tls', output: /^smtp_tls_security_level = may$/m },
          { at: '6:1', text: 'disable_dns_lookups', output: /^smtp_dns_support_level = disabled$/m },
          { at: '7:1', text: 'virtual_maps', output: /^virtual_alias_maps = hash:\/etc\/postfix\/virtual$/m },
          { at: '3:6', file: 'master.cf', text: 'smtpd_enforce_tls', message: /use "-o smtpd_tls_security_level=encrypt" instead/, output: /^ {2}-o smtpd_tls_security_level=encrypt$/m },
        ],
      },
      {
        name: 'smtp_enforce_tls = yes maps to "verify", as Postfix does while smtp_tls_enforce_peername is yes',
        code: 'smtp_enforce_tls = yes\n',
        findings: [{ message: /"smtp_tls_security_level = verify"/ }],
      },
      {
        name: 'the obsolete line removed when the modern parameter is already set',
        code: 'smtpd_use_tls = yes\nsmtpd_tls_security_level = may\n',
        findings: [{ message: /ignored: "smtpd_tls_security_level" on line 2 takes precedence/, output: 'smtpd_tls_security_level = may\n' }],
      },
      {
        name: 'the legacy names of DEPRECATION_README renamed, where the target release has the new name',
        code: legacyNames,
        findings: [
          { message: '"virtual_maps" is obsolete; rename it to "virtual_alias_maps".' },
          { message: '"postscreen_dnsbl_ttl" is obsolete; rename it to "postscreen_dnsbl_max_ttl".' },
          { message: '"smtpd_client_connection_limit_exceptions" is obsolete; rename it to "smtpd_client_event_limit_exceptions".' },
          { message: '"postscreen_blacklist_action" is obsolete; rename it to "postscreen_denylist_action".' },
        ],
      },
      {
        // postscreen_denylist_action is Postfix 3.6+: on 3.5 the old name is the right one.
        name: 'postscreen_blacklist_action in files for 3.5',
        code: { main: legacyNames, postfixVersion: '3.5' },
        findings: [{ notMessage: /postscreen_blacklist_action/ }, { notMessage: /postscreen_blacklist_action/ }, { notMessage: /postscreen_blacklist_action/ }],
      },
      {
        name: 'settings current Postfix ignores, from the release that ignores them',
        code: ignoredSince36,
        findings: [{ message: '"smtpd_tls_eecdh_grade" is ignored since Postfix 3.6; remove it.' }, { message: '"smtpd_tls_dh512_param_file" is ignored since Postfix 3.6; remove it.' }],
      },
    ],
  });
});
