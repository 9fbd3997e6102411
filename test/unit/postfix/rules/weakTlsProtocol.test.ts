import * as assert from 'assert';
import { allowedProtocols, weakTlsProtocol } from '../../../../src/core/postfix/rules/weakTlsProtocol';
import { applyFix, coveredText, lintFixtureDir, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/weak-tls-protocol', () => {
  const dir = 'postfix/rules/weak-tls-protocol';
  const main = readFixture(`${dir}/main.cf`);
  const master = readFixture(`${dir}/master.cf`);
  const findings = lintFixtureDir(dir, weakTlsProtocol);

  it('reads exclusion lists, include lists and >=/<= ranges', () => {
    assert.deepStrictEqual(allowedProtocols('!SSLv2, !SSLv3').allowed, ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
    assert.deepStrictEqual(allowedProtocols('>=TLSv1.1 <=TLSv1.2').allowed, ['TLSv1.1', 'TLSv1.2']);
    assert.deepStrictEqual(allowedProtocols('TLSv1.2:TLSv1.3').allowed, ['TLSv1.2', 'TLSv1.3']);
    assert.deepStrictEqual(allowedProtocols('').allowed.length, 6);
  });

  it('flags weak settings, underlining the offending token when there is one', () => {
    assert.deepStrictEqual(where(findings), ['3:23 postfix/weak-tls-protocol', '4:33 postfix/weak-tls-protocol', '3:36 postfix/weak-tls-protocol']);
    assert.deepStrictEqual(
      findings.map((f) => coveredText(f.file === 'main.cf' ? main : master, f)),
      ['!SSLv2, !SSLv3', '>=TLSv1', 'TLSv1.1'],
    );
  });

  it('names the protocols let through and the replacement', () => {
    // Opportunistic lists: refusing old protocols sends such peers to plain text, so it is only a note.
    assert.strictEqual(findings[0].severity, 'information');
    assert.strictEqual(findings[0].message, 'smtpd_tls_protocols allows TLSv1 and TLSv1.1; fine for opportunistic TLS, where excluding them means plain text.');
    assert.strictEqual(findings[1].severity, 'warning');
    assert.strictEqual(findings[1].message, 'smtpd_tls_mandatory_protocols allows TLSv1 and TLSv1.1, which are broken (RFC 8996); use ">=TLSv1.2" (Postfix 3.6+).');
  });

  it('fixes main.cf and master.cf values', () => {
    assert.match(applyFix(main, findings[1]), /^smtpd_tls_mandatory_protocols = >=TLSv1\.2$/m);
    assert.match(applyFix(main, findings[0], 'Change to "!SSLv2, !SSLv3, !TLSv1, !TLSv1.1"'), /^smtpd_tls_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1\.1$/m);
    assert.match(applyFix(master, findings[2]), /-o smtpd_tls_mandatory_protocols=>=TLSv1\.2$/m);
  });

  it('accepts modern settings', () => {
    assert.deepStrictEqual(lintTexts({ main: 'smtpd_tls_protocols = >=TLSv1.2\nsmtp_tls_protocols = !SSLv2:!SSLv3:!TLSv1:!TLSv1.1\n' }, weakTlsProtocol), []);
  });
});
