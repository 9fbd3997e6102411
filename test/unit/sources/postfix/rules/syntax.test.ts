import { syntax } from '../../../../../src/core/sources/postfix/rules/syntax';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

describe('postfix/syntax', () => {
  testPostfixRule(syntax, {
    valid: [
      { name: 'a well-formed file', code: 'myhostname = a.example.com\nmydestination = a,\n  b\n' },
      { name: '"-o name = value" is left to postfix/master-option-spacing', code: { master: 'smtp inet n - y - - smtpd\n  -o smtpd_tls_security_level = may\n  -o smtpd_sasl_auth_enable =yes\n' } },
    ],
    invalid: [
      {
        name: 'each unreadable statement on its exact text, saying what Postfix does: an error, a warning for a line Postfix only ignores',
        code: { main: readFixture('postfix/rules/syntax/main.cf'), master: readFixture('postfix/rules/syntax/master.cf') },
        findings: [
          { at: '1:1', file: 'main.cf', text: '  indented_first_line = 1', severity: 'warning', message: /continues nothing, so Postfix ignores it/ },
          { at: '3:1', file: 'main.cf', text: 'this line has no equals sign', severity: 'error', message: 'Missing "=" after "this": Postfix refuses to read main.cf; write "name = value".' },
          { at: '4:1', file: 'main.cf', text: '= value without a name', severity: 'error', message: /Missing parameter name/ },
          { at: '2:3', file: 'master.cf', text: '-o smtpd_tls_security_level', severity: 'error', message: /no "="/ },
        ],
      },
    ],
  });
});
