import * as assert from 'assert';
import type { Finding } from '../../../../src/core/model';
import { hardcodedCredentials } from '../../../../src/core/nodemailer/rules/hardcodedCredentials';
import { REDACTED } from '../../../../src/core/redact';
import { applyFix, coveredText, where } from '../../helpers';
import { lintScript, transport } from './lintScript';
import { lintAppFiles } from '../../../../src/core/appLint';

const lint = (text: string, env?: string) => lintScript(text, hardcodedCredentials, env);

/** Every piece of text a finding shows a user. */
function shownText(f: Finding): string {
  return [f.message, ...(f.related ?? []).map((r) => r.message), ...(f.fixes ?? []).map((x) => x.title)].join('\n');
}

describe('nodemailer/hardcoded-credentials', () => {
  const SECRET = 'hunter2-S3cret!';

  it('flags a literal auth.pass on the literal, without ever showing it', () => {
    const text = transport(`host: 'smtp.example.com', auth: { user: 'app@example.com', pass: '${SECRET}' }`);
    const findings = lint(text);
    assert.deepStrictEqual(where(findings), ['2:105 nodemailer/hardcoded-credentials']);
    const [f] = findings;
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(coveredText(text, f), `'${SECRET}'`);
    assert.match(f.message, /^A password is written in the source \(auth\.pass: ••••••\)/);
    assert.ok(f.message.includes(REDACTED));
    assert.ok(!shownText(f).includes(SECRET));
    assert.ok(!shownText(f).includes('hunter2'));
    assert.deepStrictEqual(f.fixes?.map((x) => x.title), ['Read it from process.env.SMTP_PASS']);
    assert.match(applyFix(text, f), /pass: process\.env\.SMTP_PASS \}/);
  });

  it('flags OAuth2 secrets and a password kept in a constant', () => {
    const text =
      "const nodemailer = require('nodemailer');\n" +
      `const PASSWORD = '${SECRET}';\n` +
      "nodemailer.createTransport({ service: 'Gmail', auth: { type: 'OAuth2', user: 'me@example.com', clientId: 'id.apps', clientSecret: 'cs-123456', refreshToken: '1//rt-abcdef', accessToken: 'ya29.token', pass: PASSWORD } });\n";
    const findings = lint(text);
    assert.deepStrictEqual(
      findings.map((f) => [coveredText(text, f), f.message.split(':')[0]]),
      [
        ['PASSWORD', 'A password is a constant in the source (auth.pass'],
        ["'ya29.token'", 'An OAuth2 access token is written in the source (auth.accessToken'],
        ["'1//rt-abcdef'", 'An OAuth2 refresh token is written in the source (auth.refreshToken'],
        ["'cs-123456'", 'An OAuth2 client secret is written in the source (auth.clientSecret'],
      ],
    );
    for (const f of findings) {
      for (const secret of [SECRET, 'cs-123456', 'rt-abcdef', 'ya29.token']) assert.ok(!shownText(f).includes(secret), `${f.message} shows ${secret}`);
    }
    // A constant is not replaced by the fix: the declaration may be used elsewhere.
    assert.strictEqual(findings[0].fixes, undefined);
  });

  it('flags the password inside a literal SMTP URL on the password characters only', () => {
    const text = "const nodemailer = require('nodemailer');\nnodemailer.createTransport('smtps://app%40example.com:pa55w0rd@smtp.example.com:465');\n";
    const [f] = lint(text);
    assert.ok(f);
    assert.strictEqual(coveredText(text, f), 'pa55w0rd');
    assert.match(f.message, /A password is written in the SMTP URL \(smtps:\/\/app%40example\.com:••••••@smtp\.example\.com:465\)/);
    assert.ok(!shownText(f).includes('pa55w0rd'));
  });

  it('says nothing for values read from process.env, set in .env or not', () => {
    const env = `SMTP_PASS=${SECRET}\nSMTP_URL=smtp://u:${SECRET}@h.example:587\n`;
    for (const options of [
      "host: 'h.example', auth: { user: 'u', pass: process.env.SMTP_PASS }",
      "host: 'h.example', auth: { user: 'u', pass: process.env.UNSET_PASS }",
      "host: 'h.example', auth: { user: 'u', pass: process.env.UNSET_PASS || 'fallback' }",
      "url: process.env.SMTP_URL",
      "host: 'h.example', auth: { user: 'u', pass: '' }",
      "url: 'smtp://user@h.example:587'",
      "host: 'h.example', auth: { user: 'u', pass: getSecret() }",
    ]) {
      assert.deepStrictEqual(lint(transport(options), env), [], options);
    }
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
