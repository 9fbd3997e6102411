import * as assert from 'assert';
import { parseMasterCf } from '../../../../../src/core/sources/postfix/masterCf';
import { masterOptionSpacing } from '../../../../../src/core/sources/postfix/rules/masterOptionSpacing';
import { syntax } from '../../../../../src/core/sources/postfix/rules/syntax';
import { applyFix, lintTexts, readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const master = readFixture('postfix/rules/master-option-spacing/master.cf');
const fixed = (written: string, joined: string) => master.replace(`${written}\n`, `${joined}\n`);
const noEquals = 'smtp inet n - y - - smtpd\n  -o smtpd_tls_security_level\n';

describe('postfix/master-option-spacing', () => {
  testPostfixRule(masterOptionSpacing, {
    valid: [
      // name=value, an empty "-o name=", { } groups and pipe attributes after "-o name=".
      { name: 'name=value and an empty "-o name="', code: { master: 'smtp inet n - y - - smtpd\n  -o smtpd_tls_security_level=may\n  -o content_filter=\n  -o receive_override_options=no_address_mappings\n' } },
      { name: 'a { } group', code: { master: 'submission inet n - y - - smtpd\n  -o { smtpd_client_restrictions = permit_sasl_authenticated, reject }\n' } },
      { name: '-o on the service line', code: { master: 'smtp inet n - y - - smtpd -o smtpd_tls_security_level=may -o content_filter=\n' } },
      { name: 'a lone -o', code: { master: 'smtp inet n - y - - smtpd\n  -o\n' } },
      { name: 'an empty file', code: { master: '' } },
      { name: '"-o name" without "=" is left to postfix/syntax', code: { master: noEquals } },
    ],
    invalid: [
      {
        // smtps (lines 11-15) and dovecot (16-17) in the fixture are well-formed.
        name: '"-o name = value", "-o name =value", "-o name= value" and "-oname = value": name, "=" and value joined (a list split at ", " too)',
        code: { master },
        findings: [
          {
            at: '4:6',
            text: 'smtpd_tls_security_level = encrypt',
            severity: 'error',
            message: /^Spaces around "=": smtpd gets no value and "submission" does not start; write "-o smtpd_tls_security_level=encrypt"\.$/,
            output: fixed('  -o smtpd_tls_security_level = encrypt', '  -o smtpd_tls_security_level=encrypt'),
          },
          { at: '5:6', text: 'smtpd_sasl_auth_enable =yes', severity: 'error', output: fixed('  -o smtpd_sasl_auth_enable =yes', '  -o smtpd_sasl_auth_enable=yes') },
          {
            at: '6:6',
            text: 'smtpd_client_restrictions= permit_sasl_authenticated, reject',
            severity: 'error',
            message: /smtpd gets stray arguments/,
            output: fixed('  -o smtpd_client_restrictions= permit_sasl_authenticated, reject', '  -o smtpd_client_restrictions=permit_sasl_authenticated,reject'),
          },
          {
            // The list that was split over two lines is one line now.
            at: '7:6',
            text: 'smtpd_relay_restrictions = permit_sasl_authenticated,\n     reject',
            severity: 'error',
            output: fixed('  -o smtpd_relay_restrictions = permit_sasl_authenticated,\n     reject', '  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject'),
          },
          { at: '9:5', text: 'smtpd_tls_auth_only = yes', severity: 'error', output: fixed('  -osmtpd_tls_auth_only = yes', '  -osmtpd_tls_auth_only=yes') },
        ],
      },
      { name: 'a { } group after "-o name =": no fix', code: { master: 'smtp inet n - y - - smtpd\n  -o smtpd_banner = {$myhostname ESMTP}\n' }, findings: [{ text: 'smtpd_banner = {$myhostname ESMTP}', fixes: [] }] },
      {
        name: '"-o name =" fixed to "-o name="',
        code: { master: 'smtp inet n - y - - smtpd\n  -o content_filter =\n  -o syslog_name=postfix/smtp\n' },
        findings: [{ text: 'content_filter =', output: 'smtp inet n - y - - smtpd\n  -o content_filter=\n  -o syslog_name=postfix/smtp\n' }],
      },
    ],
  });

  it('with every fix applied the service reads as intended', () => {
    let all = master;
    for (let f = lintTexts({ master: all }, masterOptionSpacing)[0]; f; f = lintTexts({ master: all }, masterOptionSpacing)[0]) all = applyFix(all, f);
    const submission = parseMasterCf({ file: 'master.cf', text: all }).services[1];
    assert.deepStrictEqual(
      submission.overrides.map((o) => `${o.name}=${o.value}`),
      [
        'syslog_name=postfix/submission',
        'smtpd_tls_security_level=encrypt',
        'smtpd_sasl_auth_enable=yes',
        'smtpd_client_restrictions=permit_sasl_authenticated,reject',
        'smtpd_relay_restrictions=permit_sasl_authenticated,reject',
        'smtpd_tls_auth_only=yes',
        'milter_macro_daemon_name=ORIGINATING',
      ],
    );
  });

  it('takes "-o name = value" over from postfix/syntax, which still reports other bad -o', () => {
    assert.deepStrictEqual(lintTexts({ master }, syntax), []);
    assert.strictEqual(lintTexts({ master: noEquals }, syntax).length, 1);
  });
});
