import * as assert from 'assert';
import { parseMainCf } from '../../../../src/core/postfix/mainCf';
import { inlineComment } from '../../../../src/core/postfix/rules/inlineComment';
import { applyFix, coveredText, lintFixtureDir, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/inline-comment', () => {
  const main = readFixture('postfix/rules/inline-comment/main.cf');
  const master = readFixture('postfix/rules/inline-comment/master.cf');
  const findings = lintFixtureDir('postfix/rules/inline-comment', inlineComment);
  const inMain = findings.filter((f) => f.file === 'main.cf');
  const inMaster = findings.filter((f) => f.file === 'master.cf');

  it('flags each "# ..." after a main.cf value, from "#" to the end of its line', () => {
    assert.deepStrictEqual(where(inMain), ['3:29 postfix/inline-comment', '4:31 postfix/inline-comment', '5:51 postfix/inline-comment', '8:31 postfix/inline-comment']);
    assert.deepStrictEqual(
      inMain.map((f) => coveredText(main, f)),
      ['# on', '# 50 MB', '# local clients', '# no relaying'],
    );
    // A yes/no, a number and a restriction list stop Postfix (or answer 451); a daemon refuses a stray argument.
    assert.ok(findings.every((f) => f.severity === 'error'));
  });

  it('says in one sentence which setting takes the words, and where the comment goes', () => {
    assert.strictEqual(inMain[0].message, '"#" after a value is not a comment: it becomes part of smtp_sasl_auth_enable; move it to its own line.');
    assert.match(inMain[3].message, /part of smtpd_recipient_restrictions;/);
  });

  it('is a warning where the words only add list entries or text (a domain list, a banner)', () => {
    const text = 'mydestination = $myhostname, localhost # local ones\nsmtpd_banner = $myhostname ESMTP # hello\n';
    const findings = lintTexts({ main: text }, inlineComment);
    assert.deepStrictEqual(findings.map((f) => f.severity), ['warning', 'warning']);
  });

  it('moves the comment to its own line above the statement, or removes it', () => {
    const moved = applyFix(main, inMain[0]);
    assert.ok(moved.includes('myhostname = mail.example.com\n# on\nsmtp_sasl_auth_enable = yes\nmessage_size_limit'), moved);
    const removed = applyFix(main, inMain[1], 'Remove the comment');
    assert.ok(removed.includes('\nmessage_size_limit = 52428800\nsmtpd_recipient_restrictions'), removed);
    // A comment on a continuation line goes above the whole statement, not into the middle of it.
    const fromContinuation = applyFix(main, inMain[3]);
    assert.ok(fromContinuation.includes('# no relaying\nsmtpd_recipient_restrictions = permit_mynetworks, # local clients\n'), fromContinuation);
    assert.ok(fromContinuation.includes('\n    reject_unauth_destination\nsmtpd_banner'), fromContinuation);
    // After both fixes Postfix reads the value the author meant.
    const again = lintTexts({ main: fromContinuation }, inlineComment).find((f) => coveredText(fromContinuation, f) === '# local clients')!;
    const both = applyFix(fromContinuation, again);
    assert.strictEqual(parseMainCf({ file: 'main.cf', text: both }).effective.get('smtpd_recipient_restrictions')?.value.replace(/\s+/g, ' '), 'permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination');
    assert.deepStrictEqual(lintTexts({ main: both }, inlineComment).map((f) => coveredText(both, f)), ['# on', '# 50 MB']);
  });

  it('keeps a disable-next-line directive on the statement it covers', () => {
    const text = 'myhostname = mail.example.com\n# smtp-doctor-disable-next-line postfix/relayhost-mx-lookup\nrelayhost = smtp.example.net # ISP\n';
    const [f] = lintTexts({ main: text }, inlineComment);
    assert.strictEqual(coveredText(text, f), '# ISP');
    assert.strictEqual(
      applyFix(text, f),
      'myhostname = mail.example.com\n# ISP\n# smtp-doctor-disable-next-line postfix/relayhost-mx-lookup\nrelayhost = smtp.example.net\n',
    );
  });

  it('handles a value that is only a comment, CRLF line ends and tabs', () => {
    const empty = 'relayhost = # none yet\n';
    const [f] = lintTexts({ main: empty }, inlineComment);
    assert.strictEqual(coveredText(empty, f), '# none yet');
    assert.strictEqual(applyFix(empty, f), '# none yet\nrelayhost =\n');
    const crlf = 'myhostname = mail.example.com\r\nbiff = no\t# quiet  \r\n';
    const [g] = lintTexts({ main: crlf }, inlineComment);
    assert.strictEqual(coveredText(crlf, g), '# quiet');
    assert.strictEqual(applyFix(crlf, g), 'myhostname = mail.example.com\r\n# quiet\r\nbiff = no\r\n');
  });

  it('flags a "#" field in master.cf: the daemon would get it as an argument', () => {
    assert.deepStrictEqual(where(inMaster), ['1:65 postfix/inline-comment', '4:41 postfix/inline-comment']);
    assert.deepStrictEqual(
      inMaster.map((f) => coveredText(master, f)),
      ['# public port 25', '# TLS required'],
    );
    assert.strictEqual(inMaster[0].message, '"#" here is not a comment: it and the words after it are arguments of "smtp"; move it to its own line.');
    assert.match(inMaster[1].message, /arguments of "submission"/);
    assert.strictEqual(
      applyFix(master, inMaster[1]),
      master.replace('submission inet', '# TLS required\nsubmission inet').replace('=encrypt   # TLS required', '=encrypt'),
    );
  });

  it('is quiet on whole-line comments, a glued "#", "#" inside { } and "#" after "("', () => {
    // The fixture's lines 9-11: "(#1)", "localhost#glued", inline:{ ... # braces }.
    assert.ok(!findings.some((f) => f.file === 'main.cf' && f.range.start.line >= 8));
    for (const text of [
      '# comment\nmyhostname = mail.example.com\n',
      'mydestination = a,\n    # commented-out entry\n    b\n',
      'smtpd_banner = $myhostname ESMTP#1\n',
      'smtpd_client_restrictions = check_policy_service { inet:127.0.0.1:10023, default_action=DUNNO # x }\n',
      '  # indented comment\nbiff = no\n',
      '',
    ]) {
      assert.deepStrictEqual(lintTexts({ main: text }, inlineComment), [], text);
    }
    assert.deepStrictEqual(lintTexts({ master: 'smtp inet n - y - - smtpd\n#  -o smtpd_tls_security_level=may # off\n  -o { smtpd_reject_footer = call #42 }\n' }, inlineComment), []);
  });
});
