import { hostnameNotFqdn } from '../../../../../src/core/sources/postfix/rules/hostnameNotFqdn';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

/** A name Postfix refuses at startup: an error on the whole value. */
const refused = (value: string, why: RegExp) => ({
  name: `"${value}": Postfix refuses to start`,
  code: `myhostname = ${value}\n`,
  findings: [{ text: value, severity: 'error' as const, message: [why, /Postfix refuses to start/] }],
});

describe('postfix/hostname-not-fqdn', () => {
  testPostfixRule(hostnameNotFqdn, {
    valid: [
      { name: 'a $name value judged by its expansion', code: 'myhostname = mail.$mydomain\nmydomain = example.com\n' },
      { name: 'smtp_helo_name = $myhostname (the default)', code: 'myhostname = mail.example.com\nsmtp_helo_name = $myhostname\n' },
      { name: 'smtp_helo_name as an address literal', code: 'smtp_helo_name = [192.0.2.1]\n' },
      { name: 'a good FQDN', code: 'myhostname = mx-1.mail.example.com\n' },
      { name: 'an unset myhostname', code: 'mydomain = example.com\n' },
    ],
    invalid: [
      {
        name: 'a myhostname without a dot, on its value',
        code: readFixture('postfix/rules/hostname-not-fqdn/main.cf'),
        findings: [{ at: '2:14', text: 'mailserver', severity: 'warning', message: /is not fully qualified, so receivers may reject its HELO/ }],
      },
      refused('mail.example.com.', /ends with a dot/),
      refused('mail_server!.example.com', /contains "!"/),
      refused('mail..example.com', /empty label/),
      refused('-mail.example.com', /starts or ends with "-"/),
      refused('192.0.2.1', /IP address/),
      { name: 'a $name value whose expansion is short', code: 'myhostname = $myshortname\nmyshortname = mail\n', findings: [{ text: '$myshortname', message: /"\$myshortname" \(= "mail"\)/ }] },
      {
        name: 'a literal smtp_helo_name',
        code: 'myhostname = mail.example.com\nsmtp_helo_name = localhost\n',
        findings: [{ at: '2:18', text: 'localhost', message: /smtp_helo_name "localhost"/ }],
      },
    ],
  });
});
