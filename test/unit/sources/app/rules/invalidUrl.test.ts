import * as assert from 'assert';
import { invalidUrl, redactUrl } from '../../../../../src/core/sources/app/rules/invalidUrl';
import { testTransportRule } from '../../../ruleTester';
import { transport } from './transportCode';

const call = (arg: string) => `const nodemailer = require('nodemailer');\nnodemailer.createTransport(${arg});\n`;

describe('nodemailer/invalid-url', () => {
  testTransportRule(invalidUrl, {
    // Valid or unresolved URLs, or no URL.
    valid: ["'smtp://smtp.example.com:587'", "'smtps://u:p@smtp.example.com'", "'smtp://[::1]:25/?pool=true'", "'direct://h.example'", 'process.env.NOT_SET', "{ host: 'h.example' }"].map(call),
    invalid: [
      {
        name: "a wrong protocol, on the whole URL, with parseSmtpUrl's reason",
        code: call("'https://smtp.example.com:587'"),
        findings: [
          {
            at: '2:28',
            text: "'https://smtp.example.com:587'",
            severity: 'warning',
            message: /^"https:\/\/smtp\.example\.com:587" is not a valid SMTP URL \(not an smtp:\/\/, smtps:\/\/ or direct:\/\/ URL\)/,
            fixes: [],
          },
        ],
      },
      { name: 'mailto: in the url option', code: transport("url: 'mailto:me@example.com'"), findings: [{ message: /not an smtp:\/\// }] },
      { name: 'a port that is not a number', code: transport("url: 'smtp://smtp.example.com:587a'"), findings: [{ message: /"587a" is not a port number \(1-65535\)/ }] },
      { name: 'a port out of range', code: transport("url: 'smtp://smtp.example.com:70000'"), findings: [{ message: /"70000" is not a port number/ }] },
      { name: 'no host', code: transport("url: 'smtp://:587'"), findings: [{ message: /the URL has no host name/ }] },
      {
        name: 'the password of the URL never shown',
        code: call("'smtp://app:S3cr3t-pw@smtp.example.com:58 7'"),
        findings: [{ message: /smtp:\/\/app:••••••@smtp\.example\.com:58 7/, neverShows: ['S3cr3t'] }],
      },
      {
        // user:password with the @host forgotten: the "port" is the password.
        name: 'user:password without @host: the "port" is the password, never shown',
        code: call("'smtp://app:S3cr3t-pw'"),
        findings: [{ message: /"smtp:\/\/app:••••••" is not a valid SMTP URL \("••••••" is not a port number/, neverShows: ['S3cr3t'] }],
      },
      {
        name: 'a URL from .env, naming the variable',
        code: { text: call('process.env.SMTP_URL'), env: 'SMTP_URL=smtp.example.com:587\n' },
        findings: [{ text: 'process.env.SMTP_URL', message: /"smtp\.example\.com:587" \(from SMTP_URL\) is not a valid SMTP URL/ }],
      },
    ],
  });

  it('redactUrl masks the password and nothing else', () => {
    assert.strictEqual(redactUrl('smtps://u:p@ss@h.example:465'), 'smtps://u:••••••@h.example:465');
    assert.strictEqual(redactUrl('smtp://h.example:587a'), 'smtp://h.example:587a');
  });
});
