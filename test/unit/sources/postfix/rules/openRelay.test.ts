import { openRelay } from '../../../../../src/core/sources/postfix/rules/openRelay';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const SAFE_RELAY = 'smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination\n';
const LEVEL = 'compatibility_level = 3.6\n';
const networks = (network: string) => ({ name: `mynetworks = ${network}`, code: `${LEVEL}mynetworks = ${network}\n` });
const flagged = (network: string) => ({ ...networks(network), findings: [{}] });
const permitFirst = `${LEVEL}smtpd_relay_restrictions = permit_mynetworks, permit,\n    reject_unauth_destination\n`;
const rcptWithoutCheck = 'smtpd_recipient_restrictions = permit_sasl_authenticated, permit_mynetworks\n';

describe('postfix/open-relay', () => {
  testPostfixRule(openRelay, {
    valid: [
      {
        name: 'private, loopback, CGNAT, link-local, ULA and narrow public ranges; $names and tables skipped',
        code:
          LEVEL +
          'mynetworks = 10.0.0.0/8 172.16.0.0/12, 100.64.0.0/10 169.254.0.0/16 203.0.113.0/24 198.51.100.7\n' +
          '  [fe80::]/10 [fd00::]/8 [2001:db8:1::]/48 $extra_networks hash:/etc/postfix/network_table !192.0.2.0/8\n',
      },
      // Width boundaries: a public IPv4 block no wider than /24, an IPv6 block no wider than /48.
      ...['203.0.113.0/24', '203.0.113.128/25', '192.0.2.1/32', '[2001:db8::]/48', '[2001:db8::]/64', '[2001:db8::1]'].map(networks),
      // Private-block boundaries: a block inside one is trusted at any width.
      ...['10.0.0.0/8', '172.16.0.0/12', '172.31.0.0/16', '192.168.0.0/16', '100.64.0.0/10', '100.127.0.0/16', '127.0.0.0/8', '169.254.0.0/16', '[fc00::]/7', '[fd00::]/16', '[fe80::]/10'].map(networks),
      // Both lists at their defaults: smtpd starts at every compatibility_level (test/net/postfixErrors.test.ts).
      { name: 'both lists at their defaults, release 3.7', code: { main: 'myhostname = mail.example.com\n', postfixVersion: '3.7' } },
      // From level 1 on the default (... defer_unauth_destination) is safe.
      'compatibility_level = 2\n',
      { name: 'a check in smtpd_recipient_restrictions', code: 'smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination\n' },
      { name: 'a permit after the check, the other list having a check in force', code: `${LEVEL}${SAFE_RELAY}smtpd_recipient_restrictions = permit\n` },
      { name: 'a permit ahead of the check in one list, a check in force in the other', code: `${permitFirst}smtpd_recipient_restrictions = reject_unauth_destination\n` },
      { name: 'a relay check inside a restriction class, in any case', code: `${LEVEL}smtpd_restriction_classes = gate\ngate = permit_mynetworks, REJECT_UNAUTH_DESTINATION\nsmtpd_relay_restrictions = gate\n` },
      // smtpd_relay_restrictions at its default is a check in force at every compatibility_level (measured: Postfix 3.7 at level 0 starts).
      ...['', 'compatibility_level = 0\n', LEVEL].flatMap((level) => [
        { name: `recipient list without a check, relay list at its default${level ? `, ${level.trim()}` : ''}`, code: level + rcptWithoutCheck },
        { name: `both lists at their defaults${level ? `, ${level.trim()}` : ', no level'}`, code: level },
      ]),
      { name: 'a list broken by a shell-style backslash (postfix/backslash-continuation reports it)', code: `${LEVEL}smtpd_relay_restrictions = permit_mynetworks, \\\nreject_unauth_destination\n` },
      { name: 'a master.cf service whose list ends in reject', code: { main: LEVEL, master: 'submission inet n - y - - smtpd\n  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject\n' } },
    ],
    invalid: [
      {
        // One finding for the statement, on its widest entry; the other wide range is related information.
        name: 'the exact public ranges in mynetworks, across continuation lines',
        code: readFixture('postfix/rules/open-relay/main.cf'),
        findings: [
          {
            at: '5:5',
            text: '0.0.0.0/0',
            related: [{ file: 'main.cf', text: '[2001:db8::]/32' }],
            severity: 'error',
            message: 'mynetworks trusts every IPv4 address (0.0.0.0/0): anyone can relay mail through this server.',
          },
        ],
      },
      // Width boundaries: a public IPv4 block wider than /24 or IPv6 block wider than /48.
      ...['203.0.112.0/23', '0.0.0.0/1', '[2001:db8::]/47', '[8000::]/1'].map(flagged),
      // Private-block boundaries: one that spills over or sits next to it is not trusted.
      ...['10.0.0.0/7', '11.0.0.0/8', '9.255.0.0/16', '172.16.0.0/11', '172.32.0.0/16', '172.15.0.0/16', '192.168.0.0/15', '192.169.0.0/16', '100.128.0.0/16', '100.0.0.0/9', '169.255.0.0/16', '[fc00::]/6', '[fe80::]/9', '[fec0::]/10'].map(flagged),
      {
        name: '::/0 written with and without brackets',
        code: `${LEVEL}mynetworks = [::]/0, ::/0 8.0.0.0/8\n`,
        findings: [{ text: '[::]/0', related: [{ file: 'main.cf', text: '::/0' }, { file: 'main.cf', text: '8.0.0.0/8' }], message: /every IPv6 address/ }],
      },
      {
        name: "a wide public range: a warning (it may be the owner's network), an error only for everything",
        code: `${LEVEL}mynetworks = 127.0.0.0/8, 198.18.0.0/15 203.0.0.0/16\n`,
        findings: [{ severity: 'warning', text: '198.18.0.0/15', message: 'mynetworks trusts the public range 198.18.0.0/15 (131,072 addresses and 1 more range) to relay; list only hosts you run.' }],
      },
      {
        name: 'lists with no relay check: Postfix refuses to start',
        code: `${LEVEL}smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated\n`,
        findings: [{ at: '2:1', text: 'smtpd_relay_restrictions', severity: 'error', message: /^No reject_unauth_destination in the relay or recipient restrictions: smtpd refuses to start/ }],
      },
      {
        name: 'an unconditional permit ahead of the relay check, on the "permit" itself (Postfix ignores the check and smtpd stops)',
        code: permitFirst,
        findings: [{ at: '2:47', text: 'permit', severity: 'error', message: '"permit" before reject_unauth_destination turns the relay check off: smtpd refuses to start; remove "permit".' }],
      },
      // A class that is not declared is just a word (unknown-restriction's business): no check in force.
      { name: 'a class that is not declared', code: `${LEVEL}gate = reject_unauth_destination\nsmtpd_relay_restrictions = gate\n`, findings: [{ at: '3:1' }] },
      {
        name: 'a check behind warn_if_reject does not count',
        code: `${LEVEL}smtpd_relay_restrictions = permit_mynetworks, warn_if_reject reject_unauth_destination\n`,
        findings: [{ message: /^No reject_unauth_destination in the relay or recipient restrictions/ }],
      },
      {
        name: '-o overrides of every smtpd service in master.cf (each checks its lists at start)',
        code: { main: LEVEL, master: readFixture('postfix/rules/open-relay/master.cf') },
        findings: [
          {
            at: '2:49',
            file: 'master.cf',
            text: 'permit',
            message: /^"permit" before reject_unauth_destination turns the relay check off/,
            details: /^In master\.cf service "smtp", smtpd ignores every restriction after "permit" in smtpd_relay_restrictions/,
          },
        ],
      },
      { name: 'an -o that empties the relay list', code: { main: LEVEL, master: 'smtp inet n - y - - smtpd\n  -o smtpd_relay_restrictions=\n' }, findings: [{ text: '-o smtpd_relay_restrictions=', message: /refuses to start/ }] },
      { name: 'an -o relay list without a check', code: { main: LEVEL, master: 'submission inet n - y - - smtpd\n  -o smtpd_relay_restrictions=permit_sasl_authenticated\n' }, findings: [{ at: '2:3' }] },
    ],
  });
});
