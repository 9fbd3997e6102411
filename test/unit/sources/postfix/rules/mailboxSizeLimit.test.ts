import { mailboxSizeLimit } from '../../../../../src/core/sources/postfix/rules/mailboxSizeLimit';
import { testPostfixRule } from '../../../ruleTester';

const big = 'message_size_limit = 104857600\n';
const localAndVirtual = 'local unix - n n - - local\nvirtual unix - n n - - virtual\n';
const virtual = `${big}mailbox_size_limit = 0\nvirtual_mailbox_domains = example.org\nvirtual_mailbox_limit = 51200000\n`;

describe('postfix/mailbox-size-limit', () => {
  testPostfixRule(mailboxSizeLimit, {
    valid: [
      { name: 'the fixed file: mailbox_size_limit = 0 added', code: 'myhostname = mail.example.com\nmessage_size_limit = 104857600\nmailbox_size_limit = 0\n' },
      // Only where local(8) or virtual(8) delivers.
      { name: 'local_transport = dovecot', code: `${big}local_transport = dovecot\n` },
      { name: 'an empty mydestination', code: `${big}mydestination =\n` },
      `${big}mailbox_size_limit = 0\n`,
      `${big}mailbox_size_limit = 104857600\n`,
      'message_size_limit = 10240000\n',
      { name: 'virtual mail delivered over lmtp', code: { main: `${virtual}virtual_transport = lmtp:unix:private/dovecot-lmtp\n`, master: localAndVirtual } },
      { name: 'a master.cf without a local service: nothing runs local(8)', code: { main: big, master: 'smtp inet n - y - - smtpd\n' } },
    ],
    invalid: [
      {
        name: 'a raised message_size_limit above the default mailbox_size_limit: adds mailbox_size_limit = 0',
        code: 'myhostname = mail.example.com\nmessage_size_limit = 104857600\n',
        findings: [
          {
            text: '104857600',
            severity: 'error',
            message: 'mailbox_size_limit (51200000) is below message_size_limit (104857600): local(8) stops with a fatal error; raise it.',
            output: 'myhostname = mail.example.com\nmessage_size_limit = 104857600\nmailbox_size_limit = 0\n',
          },
        ],
      },
      {
        name: 'a mailbox limit below the message limit, on its own line, raised',
        code: 'message_size_limit = 20000000\nmailbox_size_limit = 10000000\n',
        findings: [{ text: '10000000', output: 'message_size_limit = 20000000\nmailbox_size_limit = 20000000\n' }],
      },
      { name: 'a limited mailbox with unlimited messages', code: 'message_size_limit = 0\nmailbox_size_limit = 10000000\n', findings: [{ message: /^mailbox_size_limit is limited \(10000000\) but message_size_limit is not/ }] },
      { name: 'virtual(8): virtual_mailbox_limit below message_size_limit', code: { main: virtual, master: localAndVirtual }, findings: [{ message: /^virtual_mailbox_limit \(51200000\) is below message_size_limit/ }] },
    ],
  });
});
