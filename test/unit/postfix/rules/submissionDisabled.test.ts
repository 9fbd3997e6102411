import * as assert from 'assert';
import { submissionDisabled } from '../../../../src/core/postfix/rules/submissionDisabled';
import { applyFix, coveredText, lintTexts, readFixture, where } from '../../helpers';

/** A server that holds mailboxes for its domain: its users submit mail. */
const MAILBOXES = 'myhostname = mail.example.com\nmydestination = $myhostname, localhost, $mydomain\n';

describe('postfix/submission-disabled', () => {
  it('says nothing for null clients, relays and gateways: no mailboxes, no users who submit', () => {
    const master = 'smtp inet n - y - - smtpd\npickup unix n - y 60 1 pickup\n';
    // Postfix's own null-client example, a loopback-only container, and an outbound relay with no local domains.
    for (const main of [
      'myhostname = hostname.example.com\nmyorigin = $mydomain\nrelayhost = $mydomain\ninet_interfaces = loopback-only\nmydestination =\n',
      `${MAILBOXES}inet_interfaces = 127.0.0.1\n`,
      'mydestination =\nrelay_domains =\nmynetworks = 10.0.0.0/8\n',
      'mydestination = $myhostname, localhost.$mydomain, localhost\n',
    ]) {
      assert.deepStrictEqual(lintTexts({ main, master }, submissionDisabled), [], main);
    }
    assert.deepStrictEqual(lintTexts({ master }, submissionDisabled), []);
    assert.strictEqual(lintTexts({ main: 'virtual_mailbox_domains = example.org\n', master }, submissionDisabled).length, 1);
  });

  it('reports a commented-out submission service and uncomments it with its -o lines', () => {
    const master = readFixture('postfix/rules/submission-disabled/master.cf');
    const findings = lintTexts({ main: MAILBOXES, master }, submissionDisabled);
    assert.deepStrictEqual(where(findings), ['3:1 postfix/submission-disabled']);
    assert.strictEqual(findings[0].severity, 'warning');
    assert.strictEqual(coveredText(master, findings[0]), '#submission inet n       -       y       -       -       smtpd');
    assert.strictEqual(findings[0].message, 'The submission service (port 587) is commented out, so mail clients must send on port 25; uncomment it.');
    const fixed = applyFix(master, findings[0]);
    assert.ok(
      fixed.includes(
        'submission inet n       -       y       -       -       smtpd\n' +
          '  -o syslog_name=postfix/submission\n' +
          '  -o smtpd_tls_security_level=encrypt\n' +
          '  -o smtpd_sasl_auth_enable=yes\n' +
          '  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject\n' +
          '  -o milter_macro_daemon_name=ORIGINATING\n' +
          '#smtps     inet  n       -       y       -       -       smtpd\n' +
          '#  -o syslog_name=postfix/smtps\n',
      ),
      fixed,
    );
    // After the fix the service is active and the rule is satisfied.
    assert.deepStrictEqual(lintTexts({ main: MAILBOXES, master: fixed }, submissionDisabled), []);
  });

  it('prefers the full commented block over a bare loopback variant and keeps prose comments inside it', () => {
    const master =
      'smtp inet n - y - - smtpd\n' +
      '#127.0.0.1:submission inet n -   y       -       -       smtpd\n' +
      '#submission inet n       -       y       -       -       smtpd\n' +
      '#  -o syslog_name=postfix/submission\n' +
      '#     Instead of specifying complex smtpd_<xxx>_restrictions here,\n' +
      '#  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject\n' +
      '# Choose one: enable submissions for loopback clients only, or for any client.\n' +
      '#  -o not_part_of_the_block=1\n' +
      '#submissions     inet  n       -       y       -       -       smtpd\n';
    const [f] = lintTexts({ main: MAILBOXES, master }, submissionDisabled);
    assert.ok(f);
    assert.strictEqual(coveredText(master, f), '#submission inet n       -       y       -       -       smtpd');
    assert.strictEqual(
      applyFix(master, f),
      'smtp inet n - y - - smtpd\n' +
        '#127.0.0.1:submission inet n -   y       -       -       smtpd\n' +
        'submission inet n       -       y       -       -       smtpd\n' +
        '  -o syslog_name=postfix/submission\n' +
        '#     Instead of specifying complex smtpd_<xxx>_restrictions here,\n' +
        '  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject\n' +
        '# Choose one: enable submissions for loopback clients only, or for any client.\n' +
        '#  -o not_part_of_the_block=1\n' +
        '#submissions     inet  n       -       y       -       -       smtpd\n',
    );
  });

  it('appends a standard submission service when there is none', () => {
    const master = 'smtp inet n - y - - smtpd\npickup unix n - y 60 1 pickup';
    const findings = lintTexts({ main: MAILBOXES, master }, submissionDisabled);
    assert.deepStrictEqual(where(findings), ['1:1 postfix/submission-disabled']);
    assert.strictEqual(findings[0].message, 'No submission service (port 587): mail clients must send on port 25; add one that requires TLS and a login.');
    assert.strictEqual(
      applyFix(master, findings[0]),
      master +
        '\nsubmission inet n       -       y       -       -       smtpd\n' +
        '  -o syslog_name=postfix/submission\n' +
        '  -o smtpd_tls_security_level=encrypt\n' +
        '  -o smtpd_sasl_auth_enable=yes\n' +
        '  -o smtpd_tls_auth_only=yes\n' +
        '  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject\n',
    );
  });

  it('accepts submission written as a service name, a port, or host:port, and smtps on 465', () => {
    for (const name of ['submission', '587', '192.0.2.1:587', '[2001:db8::1]:submission', 'smtps', 'submissions']) {
      const master = `smtp inet n - y - - smtpd\n${name} inet n - y - - smtpd\n`;
      assert.deepStrictEqual(lintTexts({ main: MAILBOXES, master }, submissionDisabled), [], name);
    }
  });

  it('says nothing without master.cf or for a send-only server with no SMTP listener', () => {
    assert.deepStrictEqual(lintTexts({ main: 'myhostname = mail.example.com\n' }, submissionDisabled), []);
    assert.deepStrictEqual(lintTexts({ main: MAILBOXES, master: 'pickup unix n - y 60 1 pickup\nsmtp unix - - y - - smtp\n' }, submissionDisabled), []);
  });
});
