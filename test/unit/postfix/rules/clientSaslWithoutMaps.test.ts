import * as assert from 'assert';
import { clientSaslWithoutMaps } from '../../../../src/core/postfix/rules/clientSaslWithoutMaps';
import { applyFix, coveredText, lintTexts, readFixture, where } from '../../helpers';

const CLIENT = 'smtp      unix  -       -       y       -       -       smtp\n';

describe('postfix/client-sasl-without-maps', () => {
  const main = readFixture('postfix/rules/client-sasl-without-maps/main.cf');

  it('flags smtp_sasl_auth_enable = yes without a password table, with the fatal error Postfix logs', () => {
    const findings = lintTexts({ main }, clientSaslWithoutMaps);
    assert.deepStrictEqual(where(findings), ['4:1 postfix/client-sasl-without-maps']);
    const [f] = findings;
    assert.strictEqual(f.severity, 'error');
    assert.strictEqual(coveredText(main, f), 'smtp_sasl_auth_enable = yes');
    assert.strictEqual(
      f.message,
      'smtp_sasl_auth_enable = yes without smtp_sasl_password_maps stops the SMTP client at start; add a password table.',
    );
  });

  it('adds the table below smtp_sasl_auth_enable; the result is clean', () => {
    const [f] = lintTexts({ main }, clientSaslWithoutMaps);
    const fixed = applyFix(main, f);
    assert.match(fixed, /^smtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:\/etc\/postfix\/sasl_passwd\nsmtp_sasl_security_options/m);
    assert.deepStrictEqual(lintTexts({ main: fixed }, clientSaslWithoutMaps), []);
  });

  it('fills in an empty smtp_sasl_password_maps, under config_directory', () => {
    const text = 'config_directory = /usr/local/etc/postfix/\nsmtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps =\n';
    const [f] = lintTexts({ main: text }, clientSaslWithoutMaps);
    assert.match(f.message, /without smtp_sasl_password_maps stops the SMTP client/);
    assert.deepStrictEqual(f.related?.map((r) => coveredText(text, { ...f, range: r.range })), ['smtp_sasl_password_maps =']);
    assert.strictEqual(
      applyFix(text, f),
      'config_directory = /usr/local/etc/postfix/\nsmtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/usr/local/etc/postfix/sasl_passwd\n',
    );
  });

  it('says nothing when a table is set, client SASL is off, or no SMTP client runs', () => {
    for (const text of [
      'smtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\n',
      'smtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = $my_maps\nmy_maps = lmdb:/etc/postfix/sasl\n',
      'smtp_sasl_auth_enable = no\n',
      'smtpd_sasl_auth_enable = yes\n',
      'relayhost = [smtp.example.net]:587\n',
    ]) {
      assert.deepStrictEqual(lintTexts({ main: text }, clientSaslWithoutMaps), [], text);
    }
    assert.deepStrictEqual(lintTexts({ main, master: 'smtp inet n - y - - smtpd\n' }, clientSaslWithoutMaps), []);
  });

  it('judges -o overrides of SMTP client services in master.cf', () => {
    const master = `${CLIENT}relay     unix  -       -       y       -       -       smtp\n  -o smtp_sasl_auth_enable=yes\n`;
    const findings = lintTexts({ main: 'myhostname = mail.example.com\n', master }, clientSaslWithoutMaps);
    assert.deepStrictEqual(where(findings), ['3:3 postfix/client-sasl-without-maps']);
    assert.strictEqual(coveredText(master, findings[0]), '-o smtp_sasl_auth_enable=yes');
    assert.match(findings[0].message, /^Service "relay" sets smtp_sasl_auth_enable = yes without smtp_sasl_password_maps/);

    const emptied = `${CLIENT}  -o smtp_sasl_password_maps=\n`;
    const [g] = lintTexts({ main: 'smtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\n', master: emptied }, clientSaslWithoutMaps);
    assert.strictEqual(coveredText(emptied, g), '-o smtp_sasl_password_maps=');

    // Every client brings its own table: main.cf's missing one is never used.
    const ownTables = `${CLIENT}  -o smtp_sasl_password_maps=hash:/etc/postfix/sasl_passwd\n`;
    assert.deepStrictEqual(lintTexts({ main, master: ownTables }, clientSaslWithoutMaps), []);
    // A client that inherits main.cf's settings makes main.cf's line the finding.
    assert.deepStrictEqual(where(lintTexts({ main, master: CLIENT }, clientSaslWithoutMaps)), ['4:1 postfix/client-sasl-without-maps']);
  });
});
