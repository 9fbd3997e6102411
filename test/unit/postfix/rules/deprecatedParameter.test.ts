import { lintPostfix } from '../../../../src/core/postfix/lintPostfix';
import * as assert from 'assert';
import { deprecatedParameter } from '../../../../src/core/postfix/rules/deprecatedParameter';
import { applyFix, coveredText, lintFixtureDir, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/deprecated-parameter', () => {
  const dir = 'postfix/rules/deprecated-parameter';
  const main = readFixture(`${dir}/main.cf`);
  const master = readFixture(`${dir}/master.cf`);
  const findings = lintFixtureDir(dir, deprecatedParameter);
  const inMain = findings.filter((f) => f.file === 'main.cf');

  it('flags each obsolete name on its name', () => {
    assert.deepStrictEqual(where(findings), [
      '3:1 postfix/deprecated-parameter',
      '4:1 postfix/deprecated-parameter',
      '5:1 postfix/deprecated-parameter',
      '6:1 postfix/deprecated-parameter',
      '7:1 postfix/deprecated-parameter',
      '3:6 postfix/deprecated-parameter',
    ]);
    assert.deepStrictEqual(inMain.map((f) => coveredText(main, f)), ['smtpd_use_tls', 'smtpd_enforce_tls', 'smtp_use_tls', 'disable_dns_lookups', 'virtual_maps']);
  });

  it('folds smtpd_use_tls + smtpd_enforce_tls into one smtpd_tls_security_level = encrypt', () => {
    const f = inMain[0];
    assert.match(f.message, /write "smtpd_tls_security_level = encrypt" instead/);
    const fixed = applyFix(main, f);
    assert.match(fixed, /^smtpd_tls_security_level = encrypt$/m);
    assert.doesNotMatch(fixed, /smtpd_use_tls|smtpd_enforce_tls/);
    assert.match(applyFix(main, inMain[2]), /^smtp_tls_security_level = may$/m);
    assert.match(applyFix(main, inMain[3]), /^smtp_dns_support_level = disabled$/m);
    assert.match(applyFix(main, inMain[4]), /^virtual_alias_maps = hash:\/etc\/postfix\/virtual$/m);
  });

  it('maps smtp_enforce_tls = yes to "verify", as Postfix does while smtp_tls_enforce_peername is yes', () => {
    const [f] = lintTexts({ main: 'smtp_enforce_tls = yes\n' }, deprecatedParameter);
    assert.match(f.message, /"smtp_tls_security_level = verify"/);
  });

  it('removes the obsolete line when the modern parameter is already set', () => {
    const text = 'smtpd_use_tls = yes\nsmtpd_tls_security_level = may\n';
    const [f] = lintTexts({ main: text }, deprecatedParameter);
    assert.match(f.message, /ignored: "smtpd_tls_security_level" on line 2 takes precedence/);
    assert.strictEqual(applyFix(text, f), 'smtpd_tls_security_level = may\n');
  });

  it('rewrites a master.cf -o in place', () => {
    const f = findings[5];
    assert.strictEqual(coveredText(master, f), 'smtpd_enforce_tls');
    assert.match(f.message, /use "-o smtpd_tls_security_level=encrypt" instead/);
    assert.match(applyFix(master, f), /^ {2}-o smtpd_tls_security_level=encrypt$/m);
  });

  it('accepts a modern configuration', () => {
    assert.deepStrictEqual(lintTexts({ main: 'smtpd_tls_security_level = may\nsmtp_tls_security_level = may\nvirtual_alias_maps = hash:/etc/postfix/virtual\n' }, deprecatedParameter), []);
  });
});

describe('postfix/deprecated-parameter: names current Postfix renames or ignores', () => {
  const lint = (main: string, version?: string) => lintPostfix({ main: { file: 'main.cf', text: main }, postfixVersion: version ? { version, why: 'test' } : undefined }, [deprecatedParameter]);

  it('renames the legacy names of DEPRECATION_README, where the target release has the new name', () => {
    const text = 'virtual_maps = hash:/etc/postfix/virtual\npostscreen_dnsbl_ttl = 1h\nsmtpd_client_connection_limit_exceptions = 192.0.2.1\npostscreen_blacklist_action = drop\n';
    assert.deepStrictEqual(lint(text).map((f) => f.message), [
      '"virtual_maps" is obsolete; rename it to "virtual_alias_maps".',
      '"postscreen_dnsbl_ttl" is obsolete; rename it to "postscreen_dnsbl_max_ttl".',
      '"smtpd_client_connection_limit_exceptions" is obsolete; rename it to "smtpd_client_event_limit_exceptions".',
      '"postscreen_blacklist_action" is obsolete; rename it to "postscreen_denylist_action".',
    ]);
    // postscreen_denylist_action is Postfix 3.6+: on 3.5 the old name is the right one.
    assert.ok(!lint(text, '3.5').some((f) => f.message.includes('postscreen_blacklist_action')));
  });

  it('reports settings current Postfix ignores, from the release that ignores them', () => {
    const text = 'smtpd_tls_eecdh_grade = strong\nsmtpd_tls_dh512_param_file = /etc/postfix/dh512.pem\n';
    assert.deepStrictEqual(lint(text).map((f) => f.message), [
      '"smtpd_tls_eecdh_grade" is ignored since Postfix 3.6; remove it.',
      '"smtpd_tls_dh512_param_file" is ignored since Postfix 3.6; remove it.',
    ]);
    assert.deepStrictEqual(lint(text, '3.5'), []);
  });
});
