import { masterSyntax } from '../../../../../src/core/sources/postfix/rules/masterSyntax';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

describe('postfix/master-syntax', () => {
  testPostfixRule(masterSyntax, {
    valid: [
      {
        name: 'valid inet names and field values',
        code: {
          master:
            'smtp inet n - y - - smtpd\n' +
            'submission inet n - y - - smtpd\n' +
            '127.0.0.1:10025 inet n - n - - smtpd\n' +
            '[::1]:25 inet n - n - - smtpd\n' +
            'tlsmgr unix - - y 1000? 1 tlsmgr\n' +
            'postlog unix-dgram n - n - 1 postlogd\n' +
            'pickup fifo n - n 60 1 pickup\n' +
            'smtpd pass - - y - - smtpd\n',
        },
      },
    ],
    invalid: [
      {
        name: 'each bad field exactly, as an error, saying what Postfix does with it',
        code: { master: readFixture('postfix/rules/master-syntax/master.cf') },
        findings: [
          { at: '4:33', text: 'Y', severity: 'error', message: 'The chroot field of "pickup" is "Y", not y, n or -: Postfix refuses to start.' },
          { at: '5:11', text: 'tcp', severity: 'error', message: /Unknown service type "tcp".*inet, unix, unix-dgram, fifo, pass/ },
          { at: '6:41', text: '300s', severity: 'error', message: /wakeup field/ },
          { at: '7:49', text: 'many', severity: 'error', message: /maxproc field/ },
          { at: '8:1', text: 'bounce    unix  -       -       y       -', severity: 'error', message: /has 6 of the 8 fields/ },
          { at: '9:1', text: '::1:2525', severity: 'error', message: /IPv6 address without \[ \] around it/ },
        ],
      },
      {
        name: 'a line with a missing field once, not each field shifted into the wrong place',
        code: { master: '127.0.0.1:2525 inet n - n - smtpd\n' },
        findings: [{ at: '1:1', message: /has 7 of the 8 fields/ }],
      },
      {
        name: 'malformed inet names',
        code: { master: 'host:99999 inet n - n - - smtpd\nsm@tp inet n - n - - smtpd\n[::1] inet n - n - - smtpd\n' },
        findings: [{ text: 'host:99999', message: /outside 1-65535/ }, { text: 'sm@tp' }, { text: '[::1]', message: /no ":port"/ }],
      },
    ],
  });
});
