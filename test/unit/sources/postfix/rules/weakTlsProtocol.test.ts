import * as assert from 'assert';
import { allowedProtocols, weakTlsProtocol } from '../../../../../src/core/sources/postfix/rules/weakTlsProtocol';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const dir = 'postfix/rules/weak-tls-protocol';

describe('postfix/weak-tls-protocol', () => {
  it('reads exclusion lists, include lists and >=/<= ranges', () => {
    assert.deepStrictEqual(allowedProtocols('!SSLv2, !SSLv3').allowed, ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
    assert.deepStrictEqual(allowedProtocols('>=TLSv1.1 <=TLSv1.2').allowed, ['TLSv1.1', 'TLSv1.2']);
    assert.deepStrictEqual(allowedProtocols('TLSv1.2:TLSv1.3').allowed, ['TLSv1.2', 'TLSv1.3']);
    assert.deepStrictEqual(allowedProtocols('').allowed.length, 6);
  });

  testPostfixRule(weakTlsProtocol, {
    valid: [{ name: 'modern settings', code: 'smtpd_tls_protocols = >=TLSv1.2\nsmtp_tls_protocols = !SSLv2:!SSLv3:!TLSv1:!TLSv1.1\n' }],
    invalid: [
      {
        name: 'weak settings in main.cf and master.cf, on the offending token, naming what is let through and the fix',
        code: { main: readFixture(`${dir}/main.cf`), master: readFixture(`${dir}/master.cf`) },
        findings: [
          {
            // Opportunistic lists: refusing old protocols sends such peers to plain text, so it is only a note.
            at: '3:23',
            text: '!SSLv2, !SSLv3',
            severity: 'information',
            message: 'smtpd_tls_protocols allows TLSv1 and TLSv1.1; fine for opportunistic TLS, where excluding them means plain text.',
            outputs: { 'Change to "!SSLv2, !SSLv3, !TLSv1, !TLSv1.1"': /^smtpd_tls_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1\.1$/m },
          },
          {
            at: '4:33',
            text: '>=TLSv1',
            severity: 'warning',
            message: 'smtpd_tls_mandatory_protocols allows TLSv1 and TLSv1.1, which are broken (RFC 8996); use ">=TLSv1.2" (Postfix 3.6+).',
            output: /^smtpd_tls_mandatory_protocols = >=TLSv1\.2$/m,
          },
          { at: '3:36', file: 'master.cf', text: 'TLSv1.1', output: /-o smtpd_tls_mandatory_protocols=>=TLSv1\.2$/m },
        ],
      },
    ],
  });
});
