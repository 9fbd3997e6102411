import * as assert from 'assert';
import { openRelay } from '../../../../src/core/postfix/rules/openRelay';
import { lintPostfix } from '../../../../src/core/postfix/lintPostfix';
import { coveredText, lintTexts, readFixture, where } from '../../helpers';

const SAFE_RELAY = 'smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination\n';

describe('postfix/open-relay', () => {
  it('flags the exact public ranges in mynetworks, across continuation lines', () => {
    const main = readFixture('postfix/rules/open-relay/main.cf');
    const findings = lintTexts({ main }, openRelay);
    // One finding for the statement, on its widest entry; the other wide range is related information.
    assert.deepStrictEqual(where(findings), ['5:5 postfix/open-relay']);
    assert.deepStrictEqual(
      findings.map((f) => coveredText(main, f)),
      ['0.0.0.0/0'],
    );
    assert.deepStrictEqual(findings[0].related?.map((r) => coveredText(main, { ...findings[0], range: r.range })), ['[2001:db8::]/32']);
    assert.strictEqual(findings[0].severity, 'error');
    assert.strictEqual(findings[0].message, 'mynetworks trusts every IPv4 address (0.0.0.0/0): anyone can relay mail through this server.');
  });

  it('accepts private, loopback, CGNAT, link-local, ULA and narrow public ranges, and skips $names and tables', () => {
    const main =
      'compatibility_level = 3.6\n' +
      'mynetworks = 10.0.0.0/8 172.16.0.0/12, 100.64.0.0/10 169.254.0.0/16 203.0.113.0/24 198.51.100.7\n' +
      '  [fe80::]/10 [fd00::]/8 [2001:db8:1::]/48 $extra_networks hash:/etc/postfix/network_table !192.0.2.0/8\n';
    assert.deepStrictEqual(lintTexts({ main }, openRelay), []);
  });

  it('width boundaries: a public IPv4 block wider than /24 or IPv6 block wider than /48 is flagged, the next longer prefix is not', () => {
    const flagged = (network: string) => lintTexts({ main: `compatibility_level = 3.6\nmynetworks = ${network}\n` }, openRelay).length === 1;
    const cases: [string, boolean][] = [
      ['203.0.112.0/23', true],
      ['203.0.113.0/24', false],
      ['203.0.113.128/25', false],
      ['192.0.2.1/32', false],
      ['0.0.0.0/1', true],
      ['[2001:db8::]/47', true],
      ['[2001:db8::]/48', false],
      ['[2001:db8::]/64', false],
      ['[2001:db8::1]', false],
      ['[8000::]/1', true],
    ];
    assert.deepStrictEqual(cases.map(([n]) => [n, flagged(n)]), cases);
  });

  it('private-block boundaries: a block inside one is trusted at any width, one that spills over or sits next to it is not', () => {
    const flagged = (network: string) => lintTexts({ main: `compatibility_level = 3.6\nmynetworks = ${network}\n` }, openRelay).length === 1;
    const cases: [string, boolean][] = [
      ['10.0.0.0/8', false],
      ['10.0.0.0/7', true],
      ['11.0.0.0/8', true],
      ['9.255.0.0/16', true],
      ['172.16.0.0/12', false],
      ['172.31.0.0/16', false],
      ['172.16.0.0/11', true],
      ['172.32.0.0/16', true],
      ['172.15.0.0/16', true],
      ['192.168.0.0/16', false],
      ['192.168.0.0/15', true],
      ['192.169.0.0/16', true],
      ['100.64.0.0/10', false],
      ['100.127.0.0/16', false],
      ['100.128.0.0/16', true],
      ['100.0.0.0/9', true],
      ['127.0.0.0/8', false],
      ['169.254.0.0/16', false],
      ['169.255.0.0/16', true],
      ['[fc00::]/7', false],
      ['[fd00::]/16', false],
      ['[fc00::]/6', true],
      ['[fe80::]/10', false],
      ['[fe80::]/9', true],
      ['[fec0::]/10', true],
    ];
    assert.deepStrictEqual(cases.map(([n]) => [n, flagged(n)]), cases);
  });

  it('flags ::/0 written with and without brackets', () => {
    const main = 'compatibility_level = 3.6\nmynetworks = [::]/0, ::/0 8.0.0.0/8\n';
    const findings = lintTexts({ main }, openRelay);
    assert.deepStrictEqual(
      findings.map((f) => coveredText(main, f)),
      ['[::]/0'],
    );
    assert.deepStrictEqual(findings[0].related?.map((r) => coveredText(main, { ...findings[0], range: r.range })), ['::/0', '8.0.0.0/8']);
    assert.match(findings[0].message, /every IPv6 address/);
  });

  it('is a warning for a wide public range (it may be the owner\'s network), an error only for everything', () => {
    const main = 'compatibility_level = 3.6\nmynetworks = 127.0.0.0/8, 198.18.0.0/15 203.0.0.0/16\n';
    const [f] = lintTexts({ main }, openRelay);
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(coveredText(main, f), '198.18.0.0/15');
    assert.strictEqual(f.message, 'mynetworks trusts the public range 198.18.0.0/15 (131,072 addresses and 1 more range) to relay; list only hosts you run.');
  });

  it('reports lists with no relay check, saying Postfix refuses to start', () => {
    const main = 'compatibility_level = 3.6\nsmtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated\n';
    const findings = lintTexts({ main }, openRelay);
    assert.deepStrictEqual(where(findings), ['2:1 postfix/open-relay']);
    assert.strictEqual(coveredText(main, findings[0]), 'smtpd_relay_restrictions');
    assert.strictEqual(findings[0].severity, 'error');
    assert.match(findings[0].message, /^No reject_unauth_destination in the relay or recipient restrictions: smtpd refuses to start/);

    // Both lists at their defaults: smtpd starts at every compatibility_level (test/net/postfixErrors.test.ts).
    const configured = lintPostfix({ main: { file: 'main.cf', text: 'myhostname = mail.example.com\n' }, postfixVersion: { version: '3.7', why: 'test' } }, [openRelay]);
    assert.deepStrictEqual(configured, []);
    // From level 1 on the default (... defer_unauth_destination) is safe.
    assert.deepStrictEqual(lintTexts({ main: 'compatibility_level = 2\n' }, openRelay), []);
    // A check in smtpd_recipient_restrictions is enough.
    const rcptOnly = 'smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination\n';
    assert.deepStrictEqual(lintTexts({ main: rcptOnly }, openRelay), []);
  });

  it('flags an unconditional permit ahead of the relay check on the "permit" itself (Postfix ignores the check and smtpd stops)', () => {
    const main = 'compatibility_level = 3.6\nsmtpd_relay_restrictions = permit_mynetworks, permit,\n    reject_unauth_destination\n';
    const findings = lintTexts({ main }, openRelay);
    assert.deepStrictEqual(where(findings), ['2:47 postfix/open-relay']);
    assert.strictEqual(findings[0].severity, 'error');
    assert.strictEqual(coveredText(main, findings[0]), 'permit');
    assert.strictEqual(findings[0].message, '"permit" before reject_unauth_destination turns the relay check off: smtpd refuses to start; remove "permit".');
    // The same permit after the check is harmless, and so is one when the other list has a check in force.
    assert.deepStrictEqual(lintTexts({ main: 'compatibility_level = 3.6\n' + SAFE_RELAY + 'smtpd_recipient_restrictions = permit\n' }, openRelay), []);
    assert.deepStrictEqual(lintTexts({ main: main + 'smtpd_recipient_restrictions = reject_unauth_destination\n' }, openRelay), []);
  });

  it('counts a relay check as Postfix does: inside restriction classes, not behind warn_if_reject, without case', () => {
    const classes = 'compatibility_level = 3.6\nsmtpd_restriction_classes = gate\ngate = permit_mynetworks, REJECT_UNAUTH_DESTINATION\n';
    assert.deepStrictEqual(lintTexts({ main: classes + 'smtpd_relay_restrictions = gate\n' }, openRelay), []);
    // A class that is not declared is just a word (unknown-restriction's business): no check in force.
    assert.deepStrictEqual(where(lintTexts({ main: 'compatibility_level = 3.6\ngate = reject_unauth_destination\nsmtpd_relay_restrictions = gate\n' }, openRelay)), ['3:1 postfix/open-relay']);
    const warned = 'compatibility_level = 3.6\nsmtpd_relay_restrictions = permit_mynetworks, warn_if_reject reject_unauth_destination\n';
    assert.match(lintTexts({ main: warned }, openRelay)[0].message, /^No reject_unauth_destination in the relay or recipient restrictions/);
  });

  it('counts smtpd_relay_restrictions at its default as a check in force, at every compatibility_level (measured: Postfix 3.7 at level 0 starts)', () => {
    const rcpt = 'smtpd_recipient_restrictions = permit_sasl_authenticated, permit_mynetworks\n';
    for (const level of ['', 'compatibility_level = 0\n', 'compatibility_level = 3.6\n']) {
      assert.deepStrictEqual(lintTexts({ main: level + rcpt }, openRelay), [], level);
      assert.deepStrictEqual(lintTexts({ main: level }, openRelay), [], level);
    }
  });

  it('says nothing about a list broken by a shell-style backslash (postfix/backslash-continuation reports it)', () => {
    const main = 'compatibility_level = 3.6\nsmtpd_relay_restrictions = permit_mynetworks, \\\nreject_unauth_destination\n';
    assert.deepStrictEqual(lintTexts({ main }, openRelay), []);
  });

  it('checks -o overrides of every smtpd service in master.cf (each checks its lists at start)', () => {
    const master = readFixture('postfix/rules/open-relay/master.cf');
    const findings = lintTexts({ main: 'compatibility_level = 3.6\n', master }, openRelay);
    assert.deepStrictEqual(where(findings), ['2:49 postfix/open-relay']);
    assert.strictEqual(findings[0].file, 'master.cf');
    assert.strictEqual(coveredText(master, findings[0]), 'permit');
    assert.match(findings[0].message, /^"permit" before reject_unauth_destination turns the relay check off/);
    assert.match(findings[0].details ?? '', /^In master\.cf service "smtp", smtpd ignores every restriction after "permit" in smtpd_relay_restrictions/);

    const emptied = 'smtp inet n - y - - smtpd\n  -o smtpd_relay_restrictions=\n';
    const [f] = lintTexts({ main: 'compatibility_level = 3.6\n', master: emptied }, openRelay);
    assert.ok(f);
    assert.strictEqual(coveredText(emptied, f), '-o smtpd_relay_restrictions=');
    assert.match(f.message, /refuses to start/);

    const submission = 'submission inet n - y - - smtpd\n  -o smtpd_relay_restrictions=permit_sasl_authenticated\n';
    assert.deepStrictEqual(where(lintTexts({ main: 'compatibility_level = 3.6\n', master: submission }, openRelay)), ['2:3 postfix/open-relay']);
    const gated = 'submission inet n - y - - smtpd\n  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject\n';
    assert.deepStrictEqual(lintTexts({ main: 'compatibility_level = 3.6\n', master: gated }, openRelay), []);
  });
});
