import * as assert from 'assert';
import { masterUnknownOption } from '../../../../src/core/postfix/rules/masterUnknownOption';
import { applyFix, coveredText, lintFixtureDir, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/master-unknown-option', () => {
  const master = readFixture('postfix/rules/master-unknown-option/master.cf');
  const findings = lintFixtureDir('postfix/rules/master-unknown-option', masterUnknownOption);

  it('flags -o names Postfix does not know and nothing uses, on the name', () => {
    assert.deepStrictEqual(where(findings), ['4:6 postfix/master-unknown-option', '7:8 postfix/master-unknown-option', '10:6 postfix/master-unknown-option']);
    assert.deepStrictEqual(
      findings.map((f) => coveredText(master, f)),
      ['smtpd_tls_securty_level', 'smtpd_sasl_auth_enabled', 'totally_custom_thing'],
    );
    assert.ok(findings.every((f) => f.severity === 'warning' && f.file === 'master.cf'));
  });

  it('suggests the nearest known name and fixes it, also inside { }', () => {
    assert.strictEqual(findings[0].message, 'Unknown parameter "smtpd_tls_securty_level" in -o has no effect; did you mean "smtpd_tls_security_level"?');
    assert.strictEqual(applyFix(master, findings[0]).split('\n')[3], '  -o smtpd_tls_security_level=encrypt');
    assert.strictEqual(applyFix(master, findings[1]).split('\n')[6], '  -o { smtpd_sasl_auth_enable = yes }');
    assert.doesNotMatch(findings[2].message, /Did you mean/);
    assert.strictEqual(findings[2].fixes, undefined);
  });

  it('accepts names defined in main.cf, referenced as $name, restriction classes and per-transport names', () => {
    // Fixture: mua_client_restrictions (main.cf), my_helo_checks ($my_helo_checks), relay_destination_concurrency_limit.
    assert.ok(!findings.some((f) => /mua_client|my_helo|relay_destination/.test(coveredText(master, f))));
    const classes = { main: 'smtpd_restriction_classes = strict\nstrict = reject\n', master: 'smtp inet n - y - - smtpd\n  -o strict=permit\n' };
    assert.deepStrictEqual(lintTexts(classes, masterUnknownOption), []);
    const refFromMain = { main: 'smtpd_client_restrictions = $my_cr\n', master: 'smtp inet n - y - - smtpd\n  -o my_cr=permit_mynetworks,reject\n' };
    assert.deepStrictEqual(lintTexts(refFromMain, masterUnknownOption), []);
    assert.deepStrictEqual(lintTexts({ master: 'smtp inet n - y - - smtpd\n  -o syslog_name=postfix/smtp\n  -o smtpd_tls_security_level=may\n' }, masterUnknownOption), []);
  });

  it('flags a user-defined -o name that nothing references, with or without main.cf', () => {
    const text = 'smtp inet n - y - - smtpd\n  -o my_cr=permit_mynetworks,reject\n';
    assert.deepStrictEqual(lintTexts({ master: text }, masterUnknownOption).map((f) => coveredText(text, f)), ['my_cr']);
    assert.deepStrictEqual(lintTexts({ main: 'myhostname = mail.example.com\n', master: text }, masterUnknownOption).length, 1);
  });
});
