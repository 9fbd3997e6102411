import { undefinedReference } from '../../../../../src/core/sources/postfix/rules/undefinedReference';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const dir = 'postfix/rules/undefined-reference';

describe('postfix/undefined-reference', () => {
  testPostfixRule(undefinedReference, {
    valid: [
      { name: 'legacy names Postfix itself still reads, as postconf does', code: 'virtual_alias_maps = $virtual_maps\nsmtp_fallback_relay = $fallback_relay\n' },
      {
        name: 'raw parameters and a clean configuration',
        code: 'mailbox_command = /usr/bin/procmail -a "$EXTENSION"\nsmtpd_reject_footer = $client_address\nmyorigin = $mydomain\nfoo = 1\nbar = ${foo}$(foo)\n',
      },
    ],
    invalid: [
      {
        name: 'exactly the undefined names, including inside ${name?text}, and in master.cf -o values ($service_name and main.cf names accepted)',
        code: { main: readFixture(`${dir}/main.cf`), master: readFixture(`${dir}/master.cf`) },
        findings: [
          {
            at: '3:13',
            text: 'myhostnme',
            severity: 'warning',
            message: '"$myhostnme" is not set in main.cf nor known to Postfix, so it expands to nothing; did you mean "$myhostname"?',
            output: /^myorigin = \$myhostname$/m,
          },
          { at: '5:36', text: 'mail_nam', output: /\$\{mail_name\?\(\$mail_name\)\}/ },
          { at: '5:33', file: 'master.cf', text: 'mua_sender_restrictions', fixes: [] },
        ],
      },
    ],
  });
});
