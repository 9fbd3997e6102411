import * as assert from 'assert';
import { clientSaslPlaintext } from '../../../../src/core/postfix/rules/clientSaslPlaintext';
import { clientSaslNoplaintext } from '../../../../src/core/postfix/rules/clientSaslNoplaintext';
import { applyFix, coveredText, lintTexts } from '../../helpers';

const LOGIN = 'relayhost = [smtp.example.net]:587\nsmtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\n';

describe('postfix/client-sasl-plaintext', () => {
  it('flags a relay login over optional TLS with plaintext mechanisms allowed, and requires TLS as the fix', () => {
    const main = `${LOGIN}smtp_sasl_security_options = noanonymous\nsmtp_tls_security_level = may\n`;
    const [f] = lintTexts({ main }, clientSaslPlaintext);
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(coveredText(main, f), 'noanonymous');
    assert.strictEqual(f.message, 'The relay password can go out in clear (TLS optional, plaintext SASL allowed); set smtp_tls_security_level = encrypt.');
    const fixed = applyFix(main, f);
    assert.match(fixed, /^smtp_tls_security_level = encrypt$/m);
    assert.deepStrictEqual(lintTexts({ main: fixed }, clientSaslPlaintext), []);
    // Without TLS at all (and an empty options list) the password always goes out in clear.
    const never = `${LOGIN}smtp_sasl_security_options =\n`;
    assert.match(lintTexts({ main: never }, clientSaslPlaintext)[0].message, /TLS off/);
  });

  it('says nothing with required TLS, wrapper mode, noplaintext, a non-plaintext mechanism filter or a TLS policy table', () => {
    for (const extra of [
      'smtp_sasl_security_options = noanonymous\nsmtp_tls_security_level = encrypt\n',
      'smtp_sasl_security_options = noanonymous\nsmtp_tls_wrappermode = yes\nsmtp_tls_security_level = encrypt\n',
      'smtp_tls_security_level = may\n',
      'smtp_sasl_security_options = noanonymous\nsmtp_tls_security_level = may\nsmtp_sasl_mechanism_filter = cram-md5, scram-sha-256\n',
      'smtp_sasl_security_options = noanonymous\nsmtp_tls_security_level = may\nsmtp_tls_policy_maps = hash:/etc/postfix/tls_policy\n',
    ]) {
      assert.deepStrictEqual(lintTexts({ main: LOGIN + extra }, clientSaslPlaintext), [], extra);
    }
    assert.deepStrictEqual(lintTexts({ main: 'smtp_sasl_security_options = noanonymous\n' }, clientSaslPlaintext), []);
  });

  it('complements client-sasl-noplaintext: the default options make that rule speak, not this one', () => {
    const main = `${LOGIN}smtp_tls_security_level = may\n`;
    assert.deepStrictEqual(lintTexts({ main }, clientSaslPlaintext), []);
    assert.strictEqual(lintTexts({ main }, clientSaslNoplaintext).length, 1);
  });

  it('judges master.cf SMTP client services by their own -o', () => {
    const main = `${LOGIN}smtp_tls_security_level = encrypt\n`;
    const master = 'smtp unix - - y - - smtp\nrelay unix - - y - - smtp\n  -o smtp_tls_security_level=may\n  -o smtp_sasl_security_options=noanonymous\n';
    const findings = lintTexts({ main, master }, clientSaslPlaintext);
    assert.deepStrictEqual(findings.map((f) => [f.file, coveredText(master, f)]), [['master.cf', '-o smtp_sasl_security_options=noanonymous']]);
    assert.match(findings[0].message, /^Service "relay" can send the relay password in clear/);
  });
});
