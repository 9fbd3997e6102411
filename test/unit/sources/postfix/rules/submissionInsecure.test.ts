import { submissionInsecure } from '../../../../../src/core/sources/postfix/rules/submissionInsecure';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const main = readFixture('postfix/rules/submission-insecure/main.cf');
const master = readFixture('postfix/rules/submission-insecure/master.cf');
const wrapperFixed = master.replace('  -o smtpd_tls_wrappermode=no\n', '  -o smtpd_tls_wrappermode=yes\n');

describe('postfix/submission-insecure', () => {
  testPostfixRule(submissionInsecure, {
    valid: [
      { name: "the settings taken from main.cf when the service does not override them", code: { main: 'smtpd_tls_security_level = encrypt\nsmtpd_sasl_auth_enable = yes\n', master: 'submission inet n - y - - smtpd\n' } },
      { name: 'a submission service with TLS and SASL', code: { main, master: 'submission inet n - y - - smtpd\n  -o smtpd_tls_security_level=encrypt\n  -o smtpd_sasl_auth_enable=yes\n' } },
      { name: 'port 25 and a commented-out service', code: { main, master: 'smtp inet n - y - - smtpd\n#submission inet n - y - - smtpd\n' } },
    ],
    invalid: [
      {
        name: 'submission without TLS and SASL (the -o lines appended), smtps without wrapper mode (corrected in place), on the service name',
        code: { main, master },
        findings: [
          {
            at: '2:1',
            file: 'master.cf',
            text: 'submission',
            message: 'No TLS required and no login on port 587: add -o smtpd_tls_security_level=encrypt -o smtpd_sasl_auth_enable=yes.',
            output: /  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject\n  -o smtpd_tls_security_level=encrypt\n  -o smtpd_sasl_auth_enable=yes\nsmtps/,
          },
          { at: '5:1', file: 'master.cf', text: 'smtps', message: /^No TLS at connect on port 465/, notMessage: /SASL/, output: wrapperFixed },
        ],
      },
      { name: 'after the smtps fix, only submission is left', code: { main, master: wrapperFixed }, findings: [{ text: 'submission' }] },
    ],
  });
});
