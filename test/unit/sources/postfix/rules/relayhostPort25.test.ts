import { relayhostPort25 } from '../../../../../src/core/sources/postfix/rules/relayhostPort25';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const LOGIN = 'smtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\n';

describe('postfix/relayhost-port-25', () => {
  testPostfixRule(relayhostPort25, {
    valid: [
      'relayhost =\n',
      'relayhost = [smtp.example.net]:587\n',
      'relayhost = [smtp.example.net]:465\n',
      'relayhost = $my_smarthost\n',
      'myhostname = mail.example.com\n',
      // A relay without a login: an internal hub or a null client relay takes mail on 25 by design.
      { name: "Postfix's own null client (STANDARD_CONFIGURATION_README)", code: 'myhostname = hostname.example.com\nmyorigin = $mydomain\nrelayhost = $mydomain\ninet_interfaces = loopback-only\nmydestination =\n' },
      { name: 'an internal hub without a login', code: 'relayhost = [mailhub.corp.example]\n' },
      { name: 'a private address on :25 without a login', code: 'relayhost = [10.0.0.25]:25\n' },
    ],
    invalid: [
      {
        name: 'an explicit :25, rewritten to [host]:587',
        code: readFixture('postfix/rules/relayhost-port-25/main.cf'),
        findings: [
          {
            at: '3:13',
            text: 'smtp.isp.example:25',
            severity: 'warning',
            message: 'A login relayhost on port 25 is often blocked; smarthosts take 587: use "[smtp.isp.example]:587".',
            output: /^relayhost = \[smtp\.isp\.example\]:587$/m,
          },
        ],
      },
      { name: 'a missing port is 25', code: `relayhost = [smtp.example.net]\n${LOGIN}`, findings: [{ output: `relayhost = [smtp.example.net]:587\n${LOGIN}` }] },
      { name: 'a missing port without brackets', code: `relayhost = smtp.example.net\n${LOGIN}`, findings: [{}] },
      { name: 'the service name smtp', code: `relayhost = [smtp.example.net]:smtp\n${LOGIN}`, findings: [{}] },
      {
        name: 'each entry of a list, keeping an IPv6 literal intact',
        code: `relayhost = [relay1.example.net]:587, [ipv6:2001:db8::25]\n${LOGIN}`,
        findings: [{ text: '[ipv6:2001:db8::25]', output: `relayhost = [relay1.example.net]:587, [ipv6:2001:db8::25]:587\n${LOGIN}` }],
      },
    ],
  });
});
