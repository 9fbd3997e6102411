import { relayhostPort25 } from '../../../../src/core/postfix/rules/relayhostPort25';
import { readFixture } from '../../helpers';
import { testPostfixRule } from '../../ruleTester';

describe('postfix/relayhost-port-25', () => {
  testPostfixRule(relayhostPort25, {
    valid: ['relayhost =\n', 'relayhost = [smtp.example.net]:587\n', 'relayhost = [smtp.example.net]:465\n', 'relayhost = $my_smarthost\n', 'myhostname = mail.example.com\n'],
    invalid: [
      {
        name: 'an explicit :25, rewritten to [host]:587',
        code: readFixture('postfix/rules/relayhost-port-25/main.cf'),
        findings: [
          {
            at: '3:13',
            text: 'smtp.isp.example:25',
            severity: 'warning',
            message: [/commonly blocked by ISPs and cloud providers/, /Use "\[smtp\.isp\.example\]:587"/],
            output: /^relayhost = \[smtp\.isp\.example\]:587$/m,
          },
        ],
      },
      {
        name: 'a missing port is 25',
        code: 'relayhost = [smtp.example.net]\n',
        findings: [{ message: /has no port, so Postfix uses port 25/, output: 'relayhost = [smtp.example.net]:587\n' }],
      },
      { name: 'a missing port without brackets', code: 'relayhost = smtp.example.net\n', findings: [{}] },
      { name: 'the service name smtp', code: 'relayhost = [smtp.example.net]:smtp\n', findings: [{}] },
      {
        name: 'each entry of a list, keeping an IPv6 literal intact',
        code: 'relayhost = [relay1.example.net]:587, [ipv6:2001:db8::25]\n',
        findings: [{ text: '[ipv6:2001:db8::25]', output: 'relayhost = [relay1.example.net]:587, [ipv6:2001:db8::25]:587\n' }],
      },
    ],
  });
});
