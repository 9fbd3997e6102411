import * as assert from 'assert';
import { parsePostfixInstance } from '../../../../../src/core/sources/postfix/instance';
import { encryptOnPublicMx, publicMxEvidence } from '../../../../../src/core/sources/postfix/rules/encryptOnPublicMx';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const SMTP = 'smtp      inet  n       -       y       -       -       smtpd\n';
const SUBMISSION = 'submission inet n       -       y       -       -       smtpd\n';
const MX = 'mydomain = example.com\nmydestination = $myhostname, localhost, $mydomain\n';
const main = readFixture('postfix/rules/encrypt-on-public-mx/main.cf');
const master = readFixture('postfix/rules/encrypt-on-public-mx/master.cf');
const mainFixed = main.replace('smtpd_tls_security_level = encrypt\n', 'smtpd_tls_security_level = may\n');
const postscreen = 'smtp      inet  n       -       y       -       1       postscreen\nsmtpd     pass  -       -       y       -       -       smtpd\n';

describe('postfix/encrypt-on-public-mx', () => {
  testPostfixRule(encryptOnPublicMx, {
    valid: [
      { name: 'the fixed file', code: { main: mainFixed, master } },
      // Not a public MX: no domain of its own, only this machine's names (the default mydestination).
      'myhostname = relay.example.com\nsmtpd_tls_security_level = encrypt\n',
      'myhostname = relay.example.com\nmydestination = $myhostname, localhost.$mydomain, localhost\nsmtpd_tls_security_level = encrypt\n',
      'myhostname = relay.example.com\nmydestination = relay.example.com, localhost\nsmtpd_tls_security_level = encrypt\n',
      // Listening on loopback only.
      `${MX}inet_interfaces = loopback-only\nsmtpd_tls_security_level = encrypt\n`,
      `${MX}inet_interfaces = 127.0.0.1, [::1]\nsmtpd_tls_security_level = encrypt\n`,
      { name: 'a port-25 smtpd on loopback', code: { main: `${MX}smtpd_tls_security_level = encrypt\n`, master: '127.0.0.1:smtp inet n - y - - smtpd\n' } },
      // Port 25 overrides the level, or there is no port-25 smtpd.
      { name: 'port 25 overrides the level', code: { main: `${MX}smtpd_tls_security_level = encrypt\n`, master: `${SMTP}  -o smtpd_tls_security_level=may\n` } },
      { name: 'no port-25 smtpd', code: { main: `${MX}smtpd_tls_security_level = encrypt\n`, master: SUBMISSION } },
      `${MX}smtpd_tls_security_level = may\n`,
      MX,
    ],
    invalid: [
      {
        name: 'main.cf\'s "encrypt" that the port-25 service takes, pointing at that service; changed to "may" when no other listener depends on it',
        code: { main, master },
        findings: [
          {
            at: '5:28',
            text: 'encrypt',
            severity: 'warning',
            message: 'smtpd_tls_security_level = encrypt refuses mail without STARTTLS on a public MX\'s port 25 (RFC 3207); use "may" there.',
            related: [{ file: 'master.cf', text: 'smtp' }],
            output: mainFixed,
          },
        ],
      },
      {
        name: 'no fix when submission takes main.cf\'s level too, and it says so',
        code: { main, master: SMTP + SUBMISSION },
        findings: [
          {
            fixes: [],
            related: [
              { file: 'master.cf', message: '"smtp" receives mail on port 25 with this level' },
              { file: 'master.cf', message: '"submission" takes this level too: give it -o smtpd_tls_security_level=encrypt first' },
            ],
          },
        ],
      },
      {
        name: 'an -o on the port-25 service itself, corrected in place',
        code: { main: `myhostname = mx.example.com\n${MX}smtpd_tls_security_level = may\n`, master: `${SMTP}  -o smtpd_tls_security_level=encrypt\n` },
        findings: [
          {
            at: '2:3',
            file: 'master.cf',
            text: '-o smtpd_tls_security_level=encrypt',
            message: /^-o smtpd_tls_security_level=encrypt of "smtp" refuses mail without STARTTLS/,
            output: `${SMTP}  -o smtpd_tls_security_level=may\n`,
          },
        ],
      },
      {
        name: 'without master.cf, Postfix\'s default "smtp inet" service',
        code: `${MX}smtpd_tls_security_level = encrypt\n`,
        findings: [{ text: 'encrypt', related: [], output: /= may\n$/ }],
      },
      {
        name: 'the smtpd that postscreen hands connections to',
        code: { main: `${MX}smtpd_tls_security_level = encrypt\n`, master: postscreen },
        findings: [{ related: [{ file: 'master.cf', text: 'smtpd' }] }],
      },
      {
        name: 'the obsolete smtpd_enforce_tls, without a fix',
        code: `${MX}smtpd_use_tls = yes\nsmtpd_enforce_tls = yes\n`,
        findings: [{ at: '4:21', text: 'yes', message: /^smtpd_enforce_tls = yes refuses/, fixes: [] }],
      },
    ],
  });

  it('counts virtual and relay domains as receiving mail, but not relay_domains = $mydestination', () => {
    const evidence = (text: string) => publicMxEvidence(parsePostfixInstance({ main: { file: 'main.cf', text } }));
    assert.strictEqual(evidence('virtual_mailbox_domains = example.org, example.net\n'), 'virtual_mailbox_domains = example.org, ...');
    assert.strictEqual(evidence('virtual_alias_domains = hash:/etc/postfix/vdomains\n'), 'virtual_alias_domains = hash:/etc/postfix/vdomains');
    assert.strictEqual(evidence('relay_domains = example.org\n'), 'relay_domains = example.org');
    assert.strictEqual(evidence('relay_domains = $mydestination\n'), undefined);
    assert.strictEqual(evidence('mydestination =\n'), undefined);
    assert.strictEqual(evidence('mydestination = a.example, b.example, c.example, d.example\n'), 'mydestination lists "a.example", "b.example", "c.example", ...');
  });
});
