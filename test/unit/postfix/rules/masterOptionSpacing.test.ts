import * as assert from 'assert';
import { parseMasterCf } from '../../../../src/core/postfix/masterCf';
import { masterOptionSpacing } from '../../../../src/core/postfix/rules/masterOptionSpacing';
import { syntax } from '../../../../src/core/postfix/rules/syntax';
import { applyFix, coveredText, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/master-option-spacing', () => {
  const master = readFixture('postfix/rules/master-option-spacing/master.cf');
  const findings = lintTexts({ master }, masterOptionSpacing);

  it('flags "-o name = value", "-o name =value", "-o name= value" and "-oname = value"', () => {
    assert.deepStrictEqual(where(findings), [
      '4:6 postfix/master-option-spacing',
      '5:6 postfix/master-option-spacing',
      '6:6 postfix/master-option-spacing',
      '7:6 postfix/master-option-spacing',
      '9:5 postfix/master-option-spacing',
    ]);
    assert.deepStrictEqual(
      findings.map((f) => coveredText(master, f)),
      [
        'smtpd_tls_security_level = encrypt',
        'smtpd_sasl_auth_enable =yes',
        'smtpd_client_restrictions= permit_sasl_authenticated, reject',
        'smtpd_relay_restrictions = permit_sasl_authenticated,\n     reject',
        'smtpd_tls_auth_only = yes',
      ],
    );
    assert.ok(findings.every((f) => f.severity === 'error'));
  });

  it('says what the daemon does with the split fields', () => {
    assert.match(findings[0].message, /^Spaces around "=": smtpd gets no value and "submission" does not start; write "-o smtpd_tls_security_level=encrypt"\.$/);
    assert.match(findings[2].message, /smtpd gets stray arguments/);
  });

  it('joins name, "=" and value (a list split at ", " too)', () => {
    const fixed = findings.map((f) => applyFix(master, f).split('\n'));
    assert.strictEqual(fixed[0][3], '  -o smtpd_tls_security_level=encrypt');
    assert.strictEqual(fixed[1][4], '  -o smtpd_sasl_auth_enable=yes');
    assert.strictEqual(fixed[2][5], '  -o smtpd_client_restrictions=permit_sasl_authenticated,reject');
    assert.strictEqual(fixed[3][6], '  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject');
    // The list that was split over two lines is one line now.
    assert.strictEqual(fixed[3][7], '  -osmtpd_tls_auth_only = yes');
    assert.strictEqual(fixed[4][8], '  -osmtpd_tls_auth_only=yes');
    // With every fix applied the service reads as intended.
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

  it('offers no fix when a { } group follows, and fixes "-o name =" to "-o name="', () => {
    const braces = 'smtp inet n - y - - smtpd\n  -o smtpd_banner = {$myhostname ESMTP}\n';
    const [b] = lintTexts({ master: braces }, masterOptionSpacing);
    assert.strictEqual(coveredText(braces, b), 'smtpd_banner = {$myhostname ESMTP}');
    assert.strictEqual(b.fixes, undefined);
    const empty = 'smtp inet n - y - - smtpd\n  -o content_filter =\n  -o syslog_name=postfix/smtp\n';
    const [e] = lintTexts({ master: empty }, masterOptionSpacing);
    assert.strictEqual(coveredText(empty, e), 'content_filter =');
    assert.strictEqual(applyFix(empty, e), 'smtp inet n - y - - smtpd\n  -o content_filter=\n  -o syslog_name=postfix/smtp\n');
  });

  it('is quiet on name=value, an empty "-o name=", { } groups and pipe attributes after "-o name="', () => {
    // smtps (lines 11-15) and dovecot (16-17) in the fixture are well-formed.
    assert.ok(!findings.some((f) => f.range.start.line >= 10));
    for (const text of [
      'smtp inet n - y - - smtpd\n  -o smtpd_tls_security_level=may\n  -o content_filter=\n  -o receive_override_options=no_address_mappings\n',
      'submission inet n - y - - smtpd\n  -o { smtpd_client_restrictions = permit_sasl_authenticated, reject }\n',
      'smtp inet n - y - - smtpd -o smtpd_tls_security_level=may -o content_filter=\n',
      'smtp inet n - y - - smtpd\n  -o\n',
      '',
    ]) {
      assert.deepStrictEqual(lintTexts({ master: text }, masterOptionSpacing), [], text);
    }
  });

  it('takes "-o name = value" over from postfix/syntax, which still reports other bad -o', () => {
    assert.deepStrictEqual(lintTexts({ master }, syntax), []);
    const noEquals = 'smtp inet n - y - - smtpd\n  -o smtpd_tls_security_level\n';
    assert.deepStrictEqual(lintTexts({ master: noEquals }, masterOptionSpacing), []);
    assert.strictEqual(lintTexts({ master: noEquals }, syntax).length, 1);
  });
});
