import { clientSaslNoplaintext } from '../../../../../src/core/sources/postfix/rules/clientSaslNoplaintext';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const CLIENT = 'smtp      unix  -       -       y       -       -       smtp\n';
const BASE = 'smtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\n';
const main = readFixture('postfix/rules/client-sasl-noplaintext/main.cf');
const mainFixed = main.replace('smtp_sasl_auth_enable = yes\n', 'smtp_sasl_auth_enable = yes\nsmtp_sasl_tls_security_options = noanonymous\n');
const written = `${BASE}smtp_sasl_security_options = noplaintext, noanonymous, mutual_auth\nsmtp_tls_security_level = may\n`;
// Sessions without TLS keep noplaintext: only the TLS options change.
const writtenFixed = `${BASE}smtp_sasl_security_options = noplaintext, noanonymous, mutual_auth\nsmtp_sasl_tls_security_options = noanonymous, mutual_auth\nsmtp_tls_security_level = may\n`;
const verified = `${BASE}smtp_sasl_tls_security_options = noanonymous\nsmtp_sasl_tls_verified_security_options = noplaintext, noanonymous\nsmtp_tls_security_level = secure\n`;
const verifiedFixed = verified.replace('smtp_sasl_tls_verified_security_options = noplaintext, noanonymous\n', 'smtp_sasl_tls_verified_security_options = noanonymous\n');
const tlsOn = `${CLIENT}  -o smtp_tls_security_level=encrypt\n`;

describe('postfix/client-sasl-noplaintext', () => {
  testPostfixRule(clientSaslNoplaintext, {
    valid: [
      { name: 'the fixed fixture', code: mainFixed },
      { name: 'the fixed options, the others kept', code: writtenFixed },
      { name: 'the fixed verified options', code: verifiedFixed },
      // With "encrypt" the certificate is not matched: the verified options do not apply.
      { name: 'verified options with encrypt (no certificate match)', code: verified.replace('= secure', '= encrypt') },
      // Without TLS, with plaintext allowed, without client SASL, or with a non-plaintext mechanism filter.
      `${BASE}smtp_sasl_security_options = noanonymous\nsmtp_tls_security_level = encrypt\n`,
      `${BASE}smtp_sasl_tls_security_options = noanonymous\nsmtp_tls_security_level = may\n`,
      `${BASE}smtp_tls_security_level = none\n`,
      `${BASE}`,
      'smtp_sasl_auth_enable = no\nsmtp_tls_security_level = encrypt\n',
      'smtp_tls_security_level = encrypt\n',
      `${BASE}smtp_tls_security_level = encrypt\nsmtp_sasl_mechanism_filter = cram-md5, digest-md5\n`,
    ],
    invalid: [
      {
        name: 'the default "noplaintext" with required TLS, on smtp_sasl_auth_enable; the fix adds smtp_sasl_tls_security_options = noanonymous',
        code: main,
        findings: [
          {
            at: '4:1',
            text: 'smtp_sasl_auth_enable = yes',
            severity: 'warning',
            message: '"noplaintext" in smtp_sasl_tls_security_options blocks PLAIN/LOGIN even inside TLS; use noanonymous there.',
            fixes: ['Set smtp_sasl_tls_security_options = noanonymous'],
            output: mainFixed,
          },
        ],
      },
      {
        name: '"noplaintext" where it is written, the other options kept',
        code: written,
        findings: [{ text: 'noplaintext', message: /^"noplaintext" in smtp_sasl_tls_security_options blocks/, output: writtenFixed }],
      },
      {
        name: '"noplaintext" in smtp_sasl_tls_security_options',
        code: `${BASE}smtp_sasl_tls_security_options = noplaintext\nsmtp_tls_security_level = encrypt\n`,
        findings: [{ text: 'noplaintext', output: /^smtp_sasl_tls_security_options = noanonymous$/m }],
      },
      {
        name: 'the verified options when the certificate is checked (verify, secure)',
        code: verified,
        findings: [{ text: 'noplaintext', message: /^"noplaintext" in smtp_sasl_tls_verified_security_options blocks/, output: verifiedFixed }],
      },
      // A filter that still allows PLAIN/LOGIN does not help.
      { name: 'a mechanism filter that allows PLAIN/LOGIN', code: `${BASE}smtp_tls_security_level = encrypt\nsmtp_sasl_mechanism_filter = plain, login\n`, findings: [{}] },
      { name: 'the obsolete switches count as TLS', code: `${BASE}smtp_use_tls = yes\n`, findings: [{}] },
      {
        name: 'an -o override of an SMTP client service in master.cf',
        code: { main: `${BASE}smtp_sasl_security_options = noanonymous\nsmtp_tls_security_level = encrypt\n`, master: `${CLIENT}  -o smtp_sasl_tls_security_options=noplaintext,noanonymous\n` },
        findings: [
          {
            at: '2:3',
            file: 'master.cf',
            text: '-o smtp_sasl_tls_security_options=noplaintext,noanonymous',
            message: /^Service "smtp": /,
            output: `${CLIENT}  -o smtp_sasl_tls_security_options=noanonymous\n`,
          },
        ],
      },
      {
        name: 'a service that turns TLS on while main.cf has none: the service is the finding; the fix adds an -o',
        code: { main: BASE, master: tlsOn },
        findings: [{ file: 'master.cf', text: '-o smtp_tls_security_level=encrypt', output: `${tlsOn}  -o smtp_sasl_tls_security_options=noanonymous\n` }],
      },
      // main.cf's finding covers services that only inherit it.
      { name: 'a service that inherits main.cf', code: { main, master: CLIENT }, findings: [{ at: '4:1', file: 'main.cf' }] },
      { name: 'a service that only raises the TLS level', code: { main, master: `${CLIENT}  -o smtp_tls_security_level=secure\n` }, findings: [{ at: '4:1', file: 'main.cf' }] },
    ],
  });
});
