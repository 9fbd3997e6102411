import * as assert from 'assert';
import { encryptOnPublicMx, publicMxEvidence } from '../../../../src/core/postfix/rules/encryptOnPublicMx';
import { parsePostfixInstance } from '../../../../src/core/postfix/instance';
import { applyFix, coveredText, lintTexts, readFixture, where } from '../../helpers';

const SMTP = 'smtp      inet  n       -       y       -       -       smtpd\n';
const SUBMISSION = 'submission inet n       -       y       -       -       smtpd\n';
const MX = 'mydomain = example.com\nmydestination = $myhostname, localhost, $mydomain\n';

describe('postfix/encrypt-on-public-mx', () => {
  const main = readFixture('postfix/rules/encrypt-on-public-mx/main.cf');
  const master = readFixture('postfix/rules/encrypt-on-public-mx/master.cf');

  it('flags main.cf\'s "encrypt" that the port-25 service takes, pointing at that service', () => {
    const findings = lintTexts({ main, master }, encryptOnPublicMx);
    assert.deepStrictEqual(where(findings), ['5:28 postfix/encrypt-on-public-mx']);
    const [f] = findings;
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(coveredText(main, f), 'encrypt');
    assert.strictEqual(
      f.message,
      'smtpd_tls_security_level = encrypt refuses mail without STARTTLS on a public MX\'s port 25 (RFC 3207); use "may" there.',
    );
    assert.deepStrictEqual(f.related?.map((r) => [r.file, coveredText(master, { ...f, range: r.range })]), [['master.cf', 'smtp']]);
  });

  it('changes the level to "may" when no other listener depends on it; the result is clean', () => {
    const [f] = lintTexts({ main, master }, encryptOnPublicMx);
    const fixed = applyFix(main, f);
    assert.match(fixed, /^smtpd_tls_security_level = may$/m);
    assert.deepStrictEqual(lintTexts({ main: fixed, master }, encryptOnPublicMx), []);
  });

  it('offers no fix when submission takes main.cf\'s level too, and says so', () => {
    const [f] = lintTexts({ main, master: SMTP + SUBMISSION }, encryptOnPublicMx);
    assert.strictEqual(f.fixes, undefined);
    assert.deepStrictEqual(
      f.related?.map((r) => r.message),
      ['"smtp" receives mail on port 25 with this level', '"submission" takes this level too: give it -o smtpd_tls_security_level=encrypt first'],
    );
  });

  it('flags an -o on the port-25 service itself and corrects it in place', () => {
    const own = `${SMTP}  -o smtpd_tls_security_level=encrypt\n`;
    const findings = lintTexts({ main: `myhostname = mx.example.com\n${MX}smtpd_tls_security_level = may\n`, master: own }, encryptOnPublicMx);
    assert.deepStrictEqual(where(findings), ['2:3 postfix/encrypt-on-public-mx']);
    assert.strictEqual(coveredText(own, findings[0]), '-o smtpd_tls_security_level=encrypt');
    assert.match(findings[0].message, /^-o smtpd_tls_security_level=encrypt of "smtp" refuses mail without STARTTLS/);
    assert.strictEqual(applyFix(own, findings[0]), `${SMTP}  -o smtpd_tls_security_level=may\n`);
  });

  it('without master.cf, judges Postfix\'s default "smtp inet" service', () => {
    const text = `${MX}smtpd_tls_security_level = encrypt\n`;
    const [f] = lintTexts({ main: text }, encryptOnPublicMx);
    assert.strictEqual(coveredText(text, f), 'encrypt');
    assert.strictEqual(f.related, undefined);
    assert.match(applyFix(text, f), /= may\n$/);
  });

  it('covers the smtpd that postscreen hands connections to, and the obsolete smtpd_enforce_tls', () => {
    const postscreen = 'smtp      inet  n       -       y       -       1       postscreen\nsmtpd     pass  -       -       y       -       -       smtpd\n';
    const [f] = lintTexts({ main: `${MX}smtpd_tls_security_level = encrypt\n`, master: postscreen }, encryptOnPublicMx);
    assert.deepStrictEqual(f.related?.map((r) => coveredText(postscreen, { ...f, range: r.range })), ['smtpd']);

    const legacy = `${MX}smtpd_use_tls = yes\nsmtpd_enforce_tls = yes\n`;
    const [g] = lintTexts({ main: legacy }, encryptOnPublicMx);
    assert.strictEqual(coveredText(legacy, g), 'yes');
    assert.match(g.message, /^smtpd_enforce_tls = yes refuses/);
    assert.strictEqual(g.fixes, undefined);
  });

  it('says nothing for servers that are not a public MX, or when port 25 does not require TLS', () => {
    const cases: [string, string | undefined][] = [
      // No domain of its own: only this machine's names (the default mydestination).
      ['myhostname = relay.example.com\nsmtpd_tls_security_level = encrypt\n', undefined],
      ['myhostname = relay.example.com\nmydestination = $myhostname, localhost.$mydomain, localhost\nsmtpd_tls_security_level = encrypt\n', undefined],
      ['myhostname = relay.example.com\nmydestination = relay.example.com, localhost\nsmtpd_tls_security_level = encrypt\n', undefined],
      // Listening on loopback only.
      [`${MX}inet_interfaces = loopback-only\nsmtpd_tls_security_level = encrypt\n`, undefined],
      [`${MX}inet_interfaces = 127.0.0.1, [::1]\nsmtpd_tls_security_level = encrypt\n`, undefined],
      [`${MX}smtpd_tls_security_level = encrypt\n`, '127.0.0.1:smtp inet n - y - - smtpd\n'],
      // Port 25 overrides the level, or there is no port-25 smtpd.
      [`${MX}smtpd_tls_security_level = encrypt\n`, `${SMTP}  -o smtpd_tls_security_level=may\n`],
      [`${MX}smtpd_tls_security_level = encrypt\n`, SUBMISSION],
      [`${MX}smtpd_tls_security_level = may\n`, undefined],
      [MX, undefined],
    ];
    for (const [m, ms] of cases) assert.deepStrictEqual(lintTexts({ main: m, master: ms }, encryptOnPublicMx), [], `${m}\n${ms}`);
  });

  it('counts virtual and relay domains as receiving mail, but not relay_domains = $mydestination', () => {
    const evidence = (text: string) => publicMxEvidence(parsePostfixInstance({ main: { file: 'main.cf', text } }));
    assert.strictEqual(evidence('virtual_mailbox_domains = example.org, example.net\n'), 'virtual_mailbox_domains = example.org, ...');
    assert.strictEqual(evidence('virtual_alias_domains = hash:/etc/postfix/vdomains\n'), 'virtual_alias_domains = hash:/etc/postfix/vdomains');
    assert.strictEqual(evidence('relay_domains = example.org\n'), 'relay_domains = example.org');
    assert.strictEqual(evidence('relay_domains = $mydestination\n'), undefined);
    assert.strictEqual(evidence('mydestination =\n'), undefined);
    assert.strictEqual(evidence('mydestination = a.example, b.example, c.example, d.example\n'), 'mydestination lists "a.example", "b.example", "c.example", ...');
  });
});
