import * as assert from 'assert';
import { mailboxSizeLimit } from '../../../../src/core/postfix/rules/mailboxSizeLimit';
import { applyFix, coveredText, lintTexts } from '../../helpers';

describe('postfix/mailbox-size-limit', () => {
  it('flags a raised message_size_limit above the default mailbox_size_limit, and adds mailbox_size_limit = 0', () => {
    const main = 'myhostname = mail.example.com\nmessage_size_limit = 104857600\n';
    const [f] = lintTexts({ main }, mailboxSizeLimit);
    assert.strictEqual(f.severity, 'error');
    assert.strictEqual(coveredText(main, f), '104857600');
    assert.strictEqual(f.message, 'mailbox_size_limit (51200000) is below message_size_limit (104857600): local(8) stops with a fatal error; raise it.');
    const fixed = applyFix(main, f);
    assert.strictEqual(fixed, 'myhostname = mail.example.com\nmessage_size_limit = 104857600\nmailbox_size_limit = 0\n');
    assert.deepStrictEqual(lintTexts({ main: fixed }, mailboxSizeLimit), []);
  });

  it('flags a mailbox limit below the message limit on its own line and raises it; a limited mailbox with unlimited messages too', () => {
    const main = 'message_size_limit = 20000000\nmailbox_size_limit = 10000000\n';
    const [f] = lintTexts({ main }, mailboxSizeLimit);
    assert.strictEqual(coveredText(main, f), '10000000');
    assert.strictEqual(applyFix(main, f), 'message_size_limit = 20000000\nmailbox_size_limit = 20000000\n');
    const unlimited = 'message_size_limit = 0\nmailbox_size_limit = 10000000\n';
    assert.match(lintTexts({ main: unlimited }, mailboxSizeLimit)[0].message, /^mailbox_size_limit is limited \(10000000\) but message_size_limit is not/);
  });

  it('only where local(8) or virtual(8) delivers: not for local_transport = dovecot, an empty mydestination, or lmtp', () => {
    const big = 'message_size_limit = 104857600\n';
    for (const main of [
      `${big}local_transport = dovecot\n`,
      `${big}mydestination =\n`,
      `${big}mailbox_size_limit = 0\n`,
      `${big}mailbox_size_limit = 104857600\n`,
      'message_size_limit = 10240000\n',
    ]) {
      assert.deepStrictEqual(lintTexts({ main }, mailboxSizeLimit), [], main);
    }
    const master = 'local unix - n n - - local\nvirtual unix - n n - - virtual\n';
    const virtual = `${big}mailbox_size_limit = 0\nvirtual_mailbox_domains = example.org\nvirtual_mailbox_limit = 51200000\n`;
    assert.match(lintTexts({ main: virtual, master }, mailboxSizeLimit)[0].message, /^virtual_mailbox_limit \(51200000\) is below message_size_limit/);
    assert.deepStrictEqual(lintTexts({ main: `${virtual}virtual_transport = lmtp:unix:private/dovecot-lmtp\n`, master }, mailboxSizeLimit), []);
    // A master.cf without a local service: nothing runs local(8).
    assert.deepStrictEqual(lintTexts({ main: big, master: 'smtp inet n - y - - smtpd\n' }, mailboxSizeLimit), []);
  });
});
