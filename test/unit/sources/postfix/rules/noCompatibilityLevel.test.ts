import * as assert from 'assert';
import { parseMainCf } from '../../../../../src/core/sources/postfix/mainCf';
import { noCompatibilityLevel } from '../../../../../src/core/sources/postfix/rules/noCompatibilityLevel';
import { openRelay } from '../../../../../src/core/sources/postfix/rules/openRelay';
import { lintTexts, readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const main = readFixture('postfix/rules/no-compatibility-level/main.cf');
const master = readFixture('postfix/rules/no-compatibility-level/master.cf');
const noEol = 'smtpd_relay_restrictions = reject_unauth_destination';
/** What the whole file lacks: reported at the very start of the file (no other finding is there). */
const atStart = { at: '1:1', text: '' };

describe('postfix/no-compatibility-level', () => {
  testPostfixRule(noCompatibilityLevel, {
    valid: [
      { name: 'a template that may set it where it cannot be seen', code: '{{ extra_settings }}\nmyhostname = {{ fqdn }}\n' },
      { name: 'the fixed file', code: `${main}compatibility_level = 3.6\n` },
      // Set, to any value.
      'compatibility_level = 3.6\n',
      'myhostname = a.example.com\ncompatibility_level = 2\n',
      'compatibility_level = 0\n',
      'compatibility_level = ${{$mail_version} <level {3.6} ? {2} : {3.6}}\n',
      { name: 'no main.cf', code: { master: 'smtp inet n - y - - smtpd\n' } },
    ],
    invalid: [
      {
        name: 'once, at the start of the file, as information, in one sentence; adds compatibility_level = 3.6 (or 2) at the end',
        code: { main, master },
        findings: [
          {
            ...atStart,
            file: 'main.cf',
            severity: 'information',
            message: 'compatibility_level is not set, so Postfix keeps its 2.x defaults; check the mail log, then set it (e.g. 3.6).',
            output: `${main}compatibility_level = 3.6\n`,
            outputs: { 'Add "compatibility_level = 2" (Postfix 3.0 to 3.5)': `${main}compatibility_level = 2\n` },
          },
        ],
      },
      { name: 'a missing final newline', code: noEol, findings: [{ ...atStart, output: `${noEol}\ncompatibility_level = 3.6\n` }] },
      { name: 'CRLF', code: `${noEol}\r\n`, findings: [{ output: `${noEol}\r\ncompatibility_level = 3.6\r\n` }] },
      // The only finding of a file without relay lists: smtpd_relay_restrictions at its default has a check in force.
      { name: 'an empty file', code: '', findings: [{ at: '1:1', output: 'compatibility_level = 3.6\n' }] },
      { name: 'a file without relay lists', code: 'myhostname = mail.example.com\n', findings: [{ at: '1:1', output: 'myhostname = mail.example.com\ncompatibility_level = 3.6\n' }] },
    ],
  });

  it('the fix sets the level Postfix reads', () => {
    assert.strictEqual(parseMainCf({ file: 'main.cf', text: `${main}compatibility_level = 3.6\n` }).effective.get('compatibility_level')?.value, '3.6');
  });

  it('a file without relay lists has no open-relay finding either', () => {
    for (const text of ['', 'myhostname = mail.example.com\n']) assert.deepStrictEqual(lintTexts({ main: text }, openRelay), [], text);
  });
});
