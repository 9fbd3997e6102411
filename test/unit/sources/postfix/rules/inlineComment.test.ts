import * as assert from 'assert';
import { parseMainCf } from '../../../../../src/core/sources/postfix/mainCf';
import { inlineComment } from '../../../../../src/core/sources/postfix/rules/inlineComment';
import { applyFix, coveredText, lintTexts, readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const main = readFixture('postfix/rules/inline-comment/main.cf');
const master = readFixture('postfix/rules/inline-comment/master.cf');
/** A pattern that matches `text` as it is written. */
const literally = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

describe('postfix/inline-comment', () => {
  testPostfixRule(inlineComment, {
    valid: [
      // Whole-line comments, a glued "#", "#" inside { } and "#" after "(".
      '# comment\nmyhostname = mail.example.com\n',
      'mydestination = a,\n    # commented-out entry\n    b\n',
      'smtpd_banner = $myhostname ESMTP#1\n',
      'smtpd_client_restrictions = check_policy_service { inet:127.0.0.1:10023, default_action=DUNNO # x }\n',
      '  # indented comment\nbiff = no\n',
      '',
      { name: 'master.cf: a commented-out -o, "#" inside { }', code: { master: 'smtp inet n - y - - smtpd\n#  -o smtpd_tls_security_level=may # off\n  -o { smtpd_reject_footer = call #42 }\n' } },
    ],
    invalid: [
      {
        // Not flagged in the fixture's lines 9-11: "(#1)", "localhost#glued", inline:{ ... # braces }.
        // A yes/no, a number and a restriction list stop Postfix (or answer 451); a daemon refuses a stray argument.
        name: 'each "# ..." after a main.cf value, from "#" to the end of its line, and each "#" field in master.cf; the comment moved above the statement, or removed',
        code: { main, master },
        findings: [
          {
            at: '3:29',
            text: '# on',
            severity: 'error',
            message: '"#" after a value is not a comment: it becomes part of smtp_sasl_auth_enable; move it to its own line.',
            output: literally('myhostname = mail.example.com\n# on\nsmtp_sasl_auth_enable = yes\nmessage_size_limit'),
          },
          { at: '4:31', text: '# 50 MB', severity: 'error', outputs: { 'Remove the comment': literally('\nmessage_size_limit = 52428800\nsmtpd_recipient_restrictions') } },
          { at: '5:51', text: '# local clients', severity: 'error' },
          {
            // A comment on a continuation line goes above the whole statement, not into the middle of it.
            at: '8:31',
            text: '# no relaying',
            severity: 'error',
            message: /part of smtpd_recipient_restrictions;/,
            output: /# no relaying\nsmtpd_recipient_restrictions = permit_mynetworks, # local clients\n[\s\S]*\n {4}reject_unauth_destination\nsmtpd_banner/,
          },
          { at: '1:65', file: 'master.cf', text: '# public port 25', severity: 'error', message: '"#" here is not a comment: it and the words after it are arguments of "smtp"; move it to its own line.' },
          {
            at: '4:41',
            file: 'master.cf',
            text: '# TLS required',
            severity: 'error',
            message: /arguments of "submission"/,
            output: master.replace('submission inet', '# TLS required\nsubmission inet').replace('=encrypt   # TLS required', '=encrypt'),
          },
        ],
      },
      {
        name: 'a warning where the words only add list entries or text (a domain list, a banner)',
        code: 'mydestination = $myhostname, localhost # local ones\nsmtpd_banner = $myhostname ESMTP # hello\n',
        findings: [{ severity: 'warning' }, { severity: 'warning' }],
      },
      {
        name: 'a disable-next-line directive kept on the statement it covers',
        code: 'myhostname = mail.example.com\n# smtp-doctor-disable-next-line postfix/relayhost-mx-lookup\nrelayhost = smtp.example.net # ISP\n',
        findings: [{ text: '# ISP', output: 'myhostname = mail.example.com\n# ISP\n# smtp-doctor-disable-next-line postfix/relayhost-mx-lookup\nrelayhost = smtp.example.net\n' }],
      },
      { name: 'a value that is only a comment', code: 'relayhost = # none yet\n', findings: [{ text: '# none yet', output: '# none yet\nrelayhost =\n' }] },
      { name: 'CRLF line ends and tabs', code: 'myhostname = mail.example.com\r\nbiff = no\t# quiet  \r\n', findings: [{ text: '# quiet', output: 'myhostname = mail.example.com\r\n# quiet\r\nbiff = no\r\n' }] },
    ],
  });

  it('after both fixes on one statement, Postfix reads the value the author meant', () => {
    const fromContinuation = applyFix(main, lintTexts({ main }, inlineComment).find((f) => coveredText(main, f) === '# no relaying')!);
    const again = lintTexts({ main: fromContinuation }, inlineComment).find((f) => coveredText(fromContinuation, f) === '# local clients')!;
    const both = applyFix(fromContinuation, again);
    assert.strictEqual(parseMainCf({ file: 'main.cf', text: both }).effective.get('smtpd_recipient_restrictions')?.value.replace(/\s+/g, ' '), 'permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination');
    assert.deepStrictEqual(lintTexts({ main: both }, inlineComment).map((f) => coveredText(both, f)), ['# on', '# 50 MB']);
  });
});
