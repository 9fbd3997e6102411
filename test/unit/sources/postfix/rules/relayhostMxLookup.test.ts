import { relayhostMxLookup } from '../../../../../src/core/sources/postfix/rules/relayhostMxLookup';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

describe('postfix/relayhost-mx-lookup', () => {
  testPostfixRule(relayhostMxLookup, {
    valid: [
      'relayhost = [smtp.example.net]:587\n',
      { name: 'a bare IPv4 address (no MX lookup is done for it)', code: 'relayhost = 192.0.2.10:587\n' },
      'relayhost = $smarthost\n',
      'relayhost =\n',
    ],
    invalid: [
      {
        name: 'a host without brackets gets them, keeping the port',
        code: readFixture('postfix/rules/relayhost-mx-lookup/main.cf'),
        findings: [
          {
            at: '3:13',
            text: 'smtp.provider.example:587',
            severity: 'information',
            message: /^Without \[ \] Postfix sends to the MX hosts of "smtp\.provider\.example"; write "\[smtp\.provider\.example\]:587"/,
            output: /^relayhost = \[smtp\.provider\.example\]:587$/m,
          },
        ],
      },
      { name: 'a host with no port', code: 'relayhost = smtp.example.net\n', findings: [{ output: 'relayhost = [smtp.example.net]\n' }] },
      { name: 'only the unbracketed entries of a list', code: 'relayhost = [a.example.net]:587 b.example.net:587\n', findings: [{ text: 'b.example.net:587' }] },
    ],
  });
});
