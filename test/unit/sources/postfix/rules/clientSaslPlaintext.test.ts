import * as assert from 'assert';
import { clientSaslNoplaintext } from '../../../../../src/core/sources/postfix/rules/clientSaslNoplaintext';
import { clientSaslPlaintext } from '../../../../../src/core/sources/postfix/rules/clientSaslPlaintext';
import { lintTexts } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const LOGIN = 'relayhost = [smtp.example.net]:587\nsmtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\n';
const optionalTls = `${LOGIN}smtp_sasl_security_options = noanonymous\nsmtp_tls_security_level = may\n`;
const optionalTlsFixed = `${LOGIN}smtp_sasl_security_options = noanonymous\nsmtp_tls_security_level = encrypt\n`;
const defaultOptions = `${LOGIN}smtp_tls_security_level = may\n`;

describe('postfix/client-sasl-plaintext', () => {
  testPostfixRule(clientSaslPlaintext, {
    valid: [
      { name: 'the fixed file: TLS required', code: optionalTlsFixed },
      ...[
        'smtp_sasl_security_options = noanonymous\nsmtp_tls_security_level = encrypt\n',
        'smtp_sasl_security_options = noanonymous\nsmtp_tls_wrappermode = yes\nsmtp_tls_security_level = encrypt\n',
        'smtp_tls_security_level = may\n',
        'smtp_sasl_security_options = noanonymous\nsmtp_tls_security_level = may\nsmtp_sasl_mechanism_filter = cram-md5, scram-sha-256\n',
        'smtp_sasl_security_options = noanonymous\nsmtp_tls_security_level = may\nsmtp_tls_policy_maps = hash:/etc/postfix/tls_policy\n',
      ].map((extra) => LOGIN + extra),
      { name: 'no relay login', code: 'smtp_sasl_security_options = noanonymous\n' },
      { name: 'the default options: postfix/client-sasl-noplaintext speaks, not this rule', code: defaultOptions },
    ],
    invalid: [
      {
        name: 'a relay login over optional TLS with plaintext mechanisms allowed: TLS required as the fix',
        code: optionalTls,
        findings: [
          {
            text: 'noanonymous',
            severity: 'warning',
            message: 'The relay password can go out in clear (TLS optional, plaintext SASL allowed); set smtp_tls_security_level = encrypt.',
            output: optionalTlsFixed,
          },
        ],
      },
      // Without TLS at all (and an empty options list) the password always goes out in clear.
      { name: 'TLS off and an empty options list', code: `${LOGIN}smtp_sasl_security_options =\n`, findings: [{ message: /TLS off/ }] },
      {
        name: 'a master.cf SMTP client service judged by its own -o',
        code: {
          main: `${LOGIN}smtp_tls_security_level = encrypt\n`,
          master: 'smtp unix - - y - - smtp\nrelay unix - - y - - smtp\n  -o smtp_tls_security_level=may\n  -o smtp_sasl_security_options=noanonymous\n',
        },
        findings: [{ file: 'master.cf', text: '-o smtp_sasl_security_options=noanonymous', message: /^Service "relay" can send the relay password in clear/ }],
      },
    ],
  });

  it('complements client-sasl-noplaintext: the default options make that rule speak', () => {
    assert.strictEqual(lintTexts({ main: defaultOptions }, clientSaslNoplaintext).length, 1);
  });
});
