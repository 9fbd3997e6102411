import * as assert from 'assert';
import { lintAppFiles } from '../../../../../src/core/appLint';
import { hardcodedCredentials } from '../../../../../src/core/sources/app/rules/hardcodedCredentials';
import { REDACTED } from '../../../../../src/core/redact';
import { testTransportRule } from '../../../ruleTester';
import { transport } from './transportCode';

const SECRET = 'hunter2-S3cret!';

describe('nodemailer/hardcoded-credentials', () => {
  testTransportRule(hardcodedCredentials, {
    // Values read from process.env, set in .env or not.
    valid: [
      "host: 'h.example', auth: { user: 'u', pass: process.env.SMTP_PASS }",
      "host: 'h.example', auth: { user: 'u', pass: process.env.UNSET_PASS }",
      "host: 'h.example', auth: { user: 'u', pass: process.env.UNSET_PASS || 'fallback' }",
      'url: process.env.SMTP_URL',
      "host: 'h.example', auth: { user: 'u', pass: '' }",
      "url: 'smtp://user@h.example:587'",
      "host: 'h.example', auth: { user: 'u', pass: getSecret() }",
    ].map((options) => ({ text: transport(options), env: `SMTP_PASS=${SECRET}\nSMTP_URL=smtp://u:${SECRET}@h.example:587\n` })),
    invalid: [
      {
        name: 'a literal auth.pass, on the literal, never shown',
        code: transport(`host: 'smtp.example.com', auth: { user: 'app@example.com', pass: '${SECRET}' }`),
        findings: [
          {
            at: '2:105',
            text: `'${SECRET}'`,
            severity: 'warning',
            message: [/^A password is written in the source \(auth\.pass: ••••••\)/, new RegExp(REDACTED)],
            neverShows: [SECRET, 'hunter2'],
            fixes: ['Read it from process.env.SMTP_PASS'],
            output: /pass: process\.env\.SMTP_PASS \}/,
          },
        ],
      },
      {
        name: 'OAuth2 secrets and a password kept in a constant (not replaced by a fix: the declaration may be used elsewhere)',
        code:
          "const nodemailer = require('nodemailer');\n" +
          `const PASSWORD = '${SECRET}';\n` +
          "nodemailer.createTransport({ service: 'Gmail', auth: { type: 'OAuth2', user: 'me@example.com', clientId: 'id.apps', clientSecret: 'cs-123456', refreshToken: '1//rt-abcdef', accessToken: 'ya29.token', pass: PASSWORD } });\n",
        findings: [
          { text: 'PASSWORD', message: /^A password is a constant in the source \(auth\.pass(:|$)/, fixes: [] },
          { text: "'ya29.token'", message: /^An OAuth2 access token is written in the source \(auth\.accessToken(:|$)/ },
          { text: "'1//rt-abcdef'", message: /^An OAuth2 refresh token is written in the source \(auth\.refreshToken(:|$)/ },
          { text: "'cs-123456'", message: /^An OAuth2 client secret is written in the source \(auth\.clientSecret(:|$)/ },
        ].map((f) => ({ ...f, neverShows: [SECRET, 'cs-123456', 'rt-abcdef', 'ya29.token'] })),
      },
      {
        name: 'the password inside a literal SMTP URL, on the password characters only',
        code: "const nodemailer = require('nodemailer');\nnodemailer.createTransport('smtps://app%40example.com:pa55w0rd@smtp.example.com:465');\n",
        findings: [{ text: 'pa55w0rd', message: /A password is written in the SMTP URL \(smtps:\/\/app%40example\.com:••••••@smtp\.example\.com:465\)/, neverShows: ['pa55w0rd'] }],
      },
    ],
  });
});

describe('nodemailer/hardcoded-credentials and DKIM keys', () => {
  it('flags a DKIM private key written in the source (single and keys[]), never one read from a file or the environment', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\\nMIIBVgIBADANBgkqhkiG9w0BAQEFAASCAUAw\\n-----END PRIVATE KEY-----';
    const text = [
      "const nodemailer = require('nodemailer');",
      "const fs = require('fs');",
      `nodemailer.createTransport({ host: 'smtp.example.com', port: 587, dkim: { domainName: 'example.com', keySelector: 'mail', privateKey: '${pem}' } });`,
      `nodemailer.createTransport({ host: 'smtp.example.com', port: 587, dkim: { keys: [{ domainName: 'example.com', keySelector: 'a', privateKey: fs.readFileSync('/etc/dkim/a.key', 'utf8') }, { domainName: 'example.org', keySelector: 'b', privateKey: '${pem}' }] } });`,
      "nodemailer.createTransport({ host: 'smtp.example.com', port: 587, dkim: { domainName: 'example.com', keySelector: 'mail', privateKey: process.env.DKIM_KEY } });",
    ].join('\n');
    const findings = lintAppFiles([{ file: 'app/mail.js', text }]).findings.filter((f) => f.ruleId === 'nodemailer/hardcoded-credentials');
    assert.deepStrictEqual(findings.map((f) => f.range.start.line + 1), [3, 4]);
    for (const f of findings) {
      assert.match(f.message, /^A DKIM private key is written in the source \(dkim\.(keys\.1\.)?privateKey: ••••••\)/);
      assert.ok(!f.message.includes('BEGIN PRIVATE KEY'));
    }
  });
});
