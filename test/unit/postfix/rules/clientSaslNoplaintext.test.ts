import * as assert from 'assert';
import { clientSaslNoplaintext } from '../../../../src/core/postfix/rules/clientSaslNoplaintext';
import { applyFix, coveredText, lintTexts, readFixture, where } from '../../helpers';

const CLIENT = 'smtp      unix  -       -       y       -       -       smtp\n';
const BASE = 'smtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\n';

describe('postfix/client-sasl-noplaintext', () => {
  const main = readFixture('postfix/rules/client-sasl-noplaintext/main.cf');

  it('flags the default "noplaintext" with required TLS, on smtp_sasl_auth_enable', () => {
    const findings = lintTexts({ main }, clientSaslNoplaintext);
    assert.deepStrictEqual(where(findings), ['4:1 postfix/client-sasl-noplaintext']);
    const [f] = findings;
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(coveredText(main, f), 'smtp_sasl_auth_enable = yes');
    assert.strictEqual(
      f.message,
      '"noplaintext" in smtp_sasl_tls_security_options blocks PLAIN/LOGIN even inside TLS; use noanonymous there.',
    );
  });

  it('adds smtp_sasl_tls_security_options = noanonymous; the result is clean', () => {
    const [f] = lintTexts({ main }, clientSaslNoplaintext);
    assert.strictEqual(f.fixes?.[0].title, 'Set smtp_sasl_tls_security_options = noanonymous');
    const fixed = applyFix(main, f);
    assert.match(fixed, /^smtp_sasl_auth_enable = yes\nsmtp_sasl_tls_security_options = noanonymous\n/m);
    assert.deepStrictEqual(lintTexts({ main: fixed }, clientSaslNoplaintext), []);
  });

  it('points at "noplaintext" where it is written, and keeps the other options', () => {
    const text = `${BASE}smtp_sasl_security_options = noplaintext, noanonymous, mutual_auth\nsmtp_tls_security_level = may\n`;
    const [f] = lintTexts({ main: text }, clientSaslNoplaintext);
    assert.strictEqual(coveredText(text, f), 'noplaintext');
    assert.match(f.message, /^"noplaintext" in smtp_sasl_tls_security_options blocks/);
    // Sessions without TLS keep noplaintext: only the TLS options change.
    const fixed = applyFix(text, f);
    assert.match(fixed, /^smtp_sasl_security_options = noplaintext, noanonymous, mutual_auth\nsmtp_sasl_tls_security_options = noanonymous, mutual_auth$/m);
    assert.deepStrictEqual(lintTexts({ main: fixed }, clientSaslNoplaintext), []);

    const tls = `${BASE}smtp_sasl_tls_security_options = noplaintext\nsmtp_tls_security_level = encrypt\n`;
    const [g] = lintTexts({ main: tls }, clientSaslNoplaintext);
    assert.strictEqual(coveredText(tls, g), 'noplaintext');
    assert.match(applyFix(tls, g), /^smtp_sasl_tls_security_options = noanonymous$/m);
  });

  it('uses the verified options when the certificate is checked (verify, secure)', () => {
    const text = `${BASE}smtp_sasl_tls_security_options = noanonymous\nsmtp_sasl_tls_verified_security_options = noplaintext, noanonymous\nsmtp_tls_security_level = secure\n`;
    const [f] = lintTexts({ main: text }, clientSaslNoplaintext);
    assert.match(f.message, /^"noplaintext" in smtp_sasl_tls_verified_security_options blocks/);
    assert.strictEqual(coveredText(text, f), 'noplaintext');
    const fixed = applyFix(text, f);
    assert.match(fixed, /^smtp_sasl_tls_verified_security_options = noanonymous$/m);
    assert.deepStrictEqual(lintTexts({ main: fixed }, clientSaslNoplaintext), []);
    // With "encrypt" the certificate is not matched: the verified options do not apply.
    assert.deepStrictEqual(lintTexts({ main: text.replace('= secure', '= encrypt') }, clientSaslNoplaintext), []);
  });

  it('says nothing without TLS, with plaintext allowed, without client SASL, or with a non-plaintext mechanism filter', () => {
    for (const text of [
      `${BASE}smtp_sasl_security_options = noanonymous\nsmtp_tls_security_level = encrypt\n`,
      `${BASE}smtp_sasl_tls_security_options = noanonymous\nsmtp_tls_security_level = may\n`,
      `${BASE}smtp_tls_security_level = none\n`,
      `${BASE}`,
      'smtp_sasl_auth_enable = no\nsmtp_tls_security_level = encrypt\n',
      'smtp_tls_security_level = encrypt\n',
      `${BASE}smtp_tls_security_level = encrypt\nsmtp_sasl_mechanism_filter = cram-md5, digest-md5\n`,
    ]) {
      assert.deepStrictEqual(lintTexts({ main: text }, clientSaslNoplaintext), [], text);
    }
    // A filter that still allows PLAIN/LOGIN does not help.
    assert.strictEqual(lintTexts({ main: `${BASE}smtp_tls_security_level = encrypt\nsmtp_sasl_mechanism_filter = plain, login\n` }, clientSaslNoplaintext).length, 1);
    // The obsolete switches count as TLS too.
    assert.strictEqual(lintTexts({ main: `${BASE}smtp_use_tls = yes\n` }, clientSaslNoplaintext).length, 1);
  });

  it('judges -o overrides of SMTP client services in master.cf', () => {
    const master = `${CLIENT}  -o smtp_sasl_tls_security_options=noplaintext,noanonymous\n`;
    const good = `${BASE}smtp_sasl_security_options = noanonymous\nsmtp_tls_security_level = encrypt\n`;
    const findings = lintTexts({ main: good, master }, clientSaslNoplaintext);
    assert.deepStrictEqual(where(findings), ['2:3 postfix/client-sasl-noplaintext']);
    assert.strictEqual(coveredText(master, findings[0]), '-o smtp_sasl_tls_security_options=noplaintext,noanonymous');
    assert.match(findings[0].message, /^Service "smtp": /);
    assert.strictEqual(applyFix(master, findings[0]), `${CLIENT}  -o smtp_sasl_tls_security_options=noanonymous\n`);

    // A service that turns TLS on while main.cf has none: the service is the finding; the fix adds an -o.
    const tlsOn = `${CLIENT}  -o smtp_tls_security_level=encrypt\n`;
    const [g] = lintTexts({ main: BASE, master: tlsOn }, clientSaslNoplaintext);
    assert.strictEqual(coveredText(tlsOn, g), '-o smtp_tls_security_level=encrypt');
    assert.strictEqual(applyFix(tlsOn, g), `${tlsOn}  -o smtp_sasl_tls_security_options=noanonymous\n`);

    // main.cf's finding covers services that only inherit it.
    assert.deepStrictEqual(where(lintTexts({ main, master: CLIENT }, clientSaslNoplaintext)), ['4:1 postfix/client-sasl-noplaintext']);
    assert.deepStrictEqual(where(lintTexts({ main, master: `${CLIENT}  -o smtp_tls_security_level=secure\n` }, clientSaslNoplaintext)), ['4:1 postfix/client-sasl-noplaintext']);
  });
});
