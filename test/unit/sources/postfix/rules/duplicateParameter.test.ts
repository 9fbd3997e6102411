import { duplicateParameter } from '../../../../../src/core/sources/postfix/rules/duplicateParameter';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

describe('postfix/duplicate-parameter', () => {
  testPostfixRule(duplicateParameter, {
    valid: [{ name: 'every name set once', code: 'a_b = 1\nc_d = 2\n' }],
    invalid: [
      {
        name: 'every earlier definition, on its name, pointing at the one in force; the fix removes it, continuation lines included',
        code: readFixture('postfix/rules/duplicate-parameter/main.cf'),
        findings: [
          { at: '1:1', text: 'myhostname', message: /set again on line 5/, related: [{ file: 'main.cf', at: '5:1' }] },
          { at: '3:1', output: 'myhostname = old.example.com\nmydomain = example.com\nmyhostname = mail.example.com\nalias_maps = hash:/etc/aliases\n' },
        ],
      },
      {
        name: 'values are not echoed (they may be secrets)',
        code: 'smtp_sasl_password_maps = static:u:pw1\nsmtp_sasl_password_maps = static:u:pw2\n',
        findings: [{ notMessage: /pw1/ }],
      },
    ],
  });
});
