import * as assert from 'assert';
import { backslashContinuation } from '../../../../src/core/postfix/rules/backslashContinuation';
import { syntax } from '../../../../src/core/postfix/rules/syntax';
import { applyFix, coveredText, lintTexts, where } from '../../helpers';

describe('postfix/backslash-continuation', () => {
  it('reports a "\\" before an unindented line once, as an error, instead of a syntax error on that line', () => {
    const main = 'myhostname = mail.example.com\nsmtpd_recipient_restrictions = permit_mynetworks, \\\nreject_unauth_destination\n';
    const findings = lintTexts({ main }, backslashContinuation);
    assert.deepStrictEqual(where(findings), ['2:51 postfix/backslash-continuation']);
    assert.strictEqual(coveredText(main, findings[0]), '\\');
    assert.strictEqual(findings[0].severity, 'error');
    assert.strictEqual(findings[0].message, 'Postfix has no "\\" continuation: the next line becomes a statement without "="; indent it and drop the "\\".');
    assert.deepStrictEqual(lintTexts({ main }, syntax), []);
    const fixed = applyFix(main, findings[0]);
    assert.strictEqual(fixed, 'myhostname = mail.example.com\nsmtpd_recipient_restrictions = permit_mynetworks, \n    reject_unauth_destination\n');
    assert.deepStrictEqual(lintTexts({ main: fixed }, backslashContinuation), []);
  });

  it('before an indented line: an error where a stray word stops Postfix, a warning elsewhere', () => {
    const restriction = 'smtpd_recipient_restrictions = permit_mynetworks, \\\n    reject_unauth_destination\n';
    assert.strictEqual(lintTexts({ main: restriction }, backslashContinuation)[0].severity, 'error');
    const boolean = 'smtpd_tls_auth_only = yes \\\n    \n';
    assert.strictEqual(lintTexts({ main: boolean }, backslashContinuation)[0].severity, 'error');
    const domains = 'mydestination = $myhostname, localhost, \\\n    example.com\n';
    const [f] = lintTexts({ main: domains }, backslashContinuation);
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(f.message, '"\\" is kept in the value of mydestination (Postfix has no backslash continuation); remove it.');
  });

  it('leaves shell commands and escaped backslashes alone', () => {
    for (const main of ['mailbox_command = /usr/bin/procmail \\\n    -a "$EXTENSION"\n', 'smtpd_expansion_filter = \\t\\40!"#$%&\\\\\n', 'myhostname = mail.example.com\n']) {
      assert.deepStrictEqual(lintTexts({ main }, backslashContinuation), [], main);
    }
  });

  it('reports a "\\" field in master.cf: an error for a daemon, a warning for pipe', () => {
    const master = 'submission inet n - y - - smtpd \\\n  -o smtpd_tls_security_level=encrypt\nmaildrop unix - n n - - pipe \\\n  flags=DRhu user=vmail argv=/usr/bin/maildrop -d ${recipient}\n';
    const findings = lintTexts({ master }, backslashContinuation);
    assert.deepStrictEqual(findings.map((f) => [coveredText(master, f), f.severity]), [['\\', 'error'], ['\\', 'warning']]);
  });
});
