import * as assert from 'assert';
import { parameterType } from '../../../../src/core/postfix/parameterTypes';
import { invalidValue } from '../../../../src/core/postfix/rules/invalidValue';
import { applyFix, coveredText, lintFixtureDir, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/invalid-value', () => {
  const dir = 'postfix/rules/invalid-value';
  const main = readFixture(`${dir}/main.cf`);
  const master = readFixture(`${dir}/master.cf`);
  const findings = lintFixtureDir(dir, invalidValue);
  const inMain = findings.filter((f) => f.file === 'main.cf');
  const inMaster = findings.filter((f) => f.file === 'master.cf');

  it('takes types from how the Postfix daemons read each name, and the enumeration table', () => {
    assert.strictEqual(parameterType('smtpd_tls_auth_only').kind, 'boolean');
    assert.strictEqual(parameterType('smtputf8_enable').kind, 'boolean'); // compatibility-level expression default
    assert.strictEqual(parameterType('message_size_limit').kind, 'integer');
    assert.strictEqual(parameterType('smtp_helo_timeout').kind, 'time');
    assert.deepStrictEqual(parameterType('smtp_tls_security_level').values?.includes('dane'), true);
    assert.strictEqual(parameterType('myhostname').kind, 'other');
    // "1/concurrency" is a valid feedback value: not an integer, whatever the shape of the default.
    assert.strictEqual(parameterType('default_destination_concurrency_positive_feedback').kind, 'other');
    // Read with a time conversion although the default is an expression (${stress?{10}:{300}}s).
    assert.strictEqual(parameterType('smtpd_timeout').kind, 'time');
  });

  it('knows the value domains of current Postfix: smtpd_forbid_bare_newline takes normalize, note, reject', () => {
    for (const v of ['normalize', 'yes', 'note', 'reject', 'no', 'Reject']) {
      assert.deepStrictEqual(lintTexts({ main: `smtpd_forbid_bare_newline = ${v}\n` }, invalidValue), [], v);
    }
    const [f] = lintTexts({ main: 'smtpd_forbid_bare_newline = always\n' }, invalidValue);
    assert.strictEqual(f.severity, 'error');
    assert.match(f.message, /^smtpd_forbid_bare_newline does not accept "always": Postfix stops with a fatal error; use normalize, yes, note, reject or no\.$/);
  });

  it('flags each bad main.cf value on its exact characters, and accepts YES and 3.6', () => {
    assert.deepStrictEqual(where(inMain), [
      '4:23 postfix/invalid-value',
      '5:28 postfix/invalid-value',
      '6:22 postfix/invalid-value',
      '7:21 postfix/invalid-value',
      '8:24 postfix/invalid-value',
    ]);
    assert.deepStrictEqual(
      inMain.map((f) => coveredText(main, f)),
      ['true', 'dane', '10M', '30 sec', 'IPv6'],
    );
    assert.ok(inMain.every((f) => f.severity === 'error'));
  });

  it('says what Postfix does with a bad boolean and fixes obvious synonyms', () => {
    const f = inMain[0];
    assert.strictEqual(f.message, 'smtpd_tls_auth_only must be yes or no, not "true": Postfix stops with a fatal error.');
    assert.match(applyFix(main, f), /^smtpd_tls_auth_only = yes$/m);
  });

  it('explains enumerations, units and case, with fixes where the intent is clear', () => {
    const [, level, size, time, proto] = inMain;
    assert.match(level.message, /: Postfix stops with a fatal error; use none, may, encrypt or nothing\.$/);
    assert.strictEqual(level.fixes, undefined);
    assert.match(size.message, /no units: 10M is 10485760/);
    assert.match(applyFix(main, size), /^message_size_limit = 10485760$/m);
    assert.match(applyFix(main, time), /^smtp_helo_timeout = 30s$/m);
    assert.match(proto.message, /write "ipv6" \(case matters\)/);
    assert.match(applyFix(main, proto), /^inet_protocols = ipv4, ipv6$/m);
  });

  it('checks master.cf -o overrides the same way', () => {
    assert.deepStrictEqual(inMaster.map((f) => coveredText(master, f)), ['on', 'ten']);
    assert.match(inMaster[1].message, /^smtpd_client_connection_count_limit must be a whole number, not "ten"/);
    assert.match(applyFix(master, inMaster[0]), /-o smtpd_sasl_auth_enable=yes\n/);
  });

  it('checks $references after expansion and treats client-only server TLS levels as a warning', () => {
    const [f] = lintTexts({ main: 'my_limit = 5x\nsmtpd_recipient_limit = $my_limit\n' }, invalidValue).filter((x) => x.range.start.line === 1);
    assert.match(f.message, /^smtpd_recipient_limit must be a whole number, not "5x": .* \(\$my_limit expands to it\)$/);
    const [v] = lintTexts({ main: 'smtpd_tls_security_level = verify\n' }, invalidValue);
    assert.strictEqual(v.severity, 'warning');
    assert.match(v.message, /uses "encrypt" instead/);
    assert.deepStrictEqual(lintTexts({ main: 'smtp_tls_security_level = dane\nsmtpd_tls_security_level =\nfork_delay = 1w\n' }, invalidValue), []);
  });
});

describe('postfix/invalid-value leaves one root cause to its own rule', () => {
  it('a value spoilt by an inline comment or a joined indented setting is not reported twice', () => {
    const main = 'smtp_sasl_auth_enable = yes # on\nmessage_size_limit = 52428800\n  smtpd_tls_auth_only = yes\nsmtpd_use_tls = maybe\n';
    const all = lintTexts({ main });
    const at = (rule: string) => all.filter((f) => f.ruleId === rule).map((f) => f.range.start.line + 1);
    assert.deepStrictEqual(at('postfix/invalid-value'), [4], 'only the plainly bad value');
    assert.deepStrictEqual(at('postfix/inline-comment'), [1]);
    assert.deepStrictEqual(at('postfix/accidental-continuation'), [3]);
  });
});
