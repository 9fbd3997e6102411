import * as assert from 'assert';
import { EnvResolver } from '../../../../src/core/nodemailer/envFiles';
import { extractConfigTransports } from '../../../../src/core/nodemailer/extractFromConfig';
import { lintTransports } from '../../../../src/core/nodemailer/lintTransports';
import { legacyOption } from '../../../../src/core/nodemailer/rules/legacyOption';
import { applyFix, coveredText, where } from '../../helpers';
import { lintScript, transport } from './lintScript';

const lint = (text: string, env?: string) => lintScript(text, legacyOption, env);

describe('nodemailer/legacy-option', () => {
  it('flags nodemailer 0.x secureConnection on its name and renames it to secure', () => {
    const text = [
      "const nodemailer = require('nodemailer');",
      'const transporter = nodemailer.createTransport({',
      "  host: 'smtp.163.com',",
      '  secureConnection: true, // use SSL',
      '  port: 465,',
      '});',
      '',
    ].join('\n');
    const findings = lint(text);
    assert.deepStrictEqual(where(findings), ['4:3 nodemailer/legacy-option']);
    const [f] = findings;
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(coveredText(text, f), 'secureConnection');
    assert.match(f.message, /nodemailer ignores secureConnection; use secure/);
    assert.match(f.message, /use secure: true instead\./);
    assert.deepStrictEqual(f.fixes?.map((x) => x.title), ['Rename to secure']);
    assert.match(applyFix(text, f), /\n {2}secure: true, \/\/ use SSL\n/);
  });

  it('removes the old name when the current one is already set', () => {
    const text = transport("host: 'h.example', secure: true, secureConnection: true");
    const [f] = lint(text);
    assert.ok(f);
    assert.match(f.message, /secure is already set, so remove secureConnection/);
    assert.deepStrictEqual(f.fixes?.map((x) => x.title), ['Remove secureConnection (secure is already set)']);
    assert.match(applyFix(text, f), /\{ host: 'h\.example', secure: true \}\);/);
  });

  it("renames quoted keys inside the quotes, and auth.password / auth.username inside auth", () => {
    const text = transport("host: 'h.example', 'ssl': true, auth: { username: 'me', password: process.env.SMTP_PASSWORD }");
    const findings = lint(text);
    assert.deepStrictEqual(findings.map((f) => coveredText(text, f)), ['ssl', 'username', 'password']);
    const [ssl, user, pass] = findings;
    assert.match(ssl.message, /nodemailer ignores ssl; use secure/);
    assert.match(applyFix(text, ssl), /'secure': true/);
    assert.match(applyFix(text, user), /auth: \{ user: 'me',/);
    assert.match(applyFix(text, pass), /pass: process\.env\.SMTP_PASSWORD \}/);
    // The value is never quoted (it is a password).
    assert.doesNotMatch(pass.message, /SMTP_PASSWORD|process/);
  });

  it('flags tls: true (emailjs STARTTLS) and renames it to requireTLS; tls: false without a fix', () => {
    const on = transport("host: 'h.example', port: 587, tls: true");
    const [a] = lint(on);
    assert.ok(a);
    assert.strictEqual(coveredText(on, a), 'tls');
    assert.match(a.message, /nodemailer ignores tls; use requireTLS/);
    assert.match(applyFix(on, a), /port: 587, requireTLS: true \}/);
    const off = transport("host: 'h.example', tls: false");
    const [b] = lint(off);
    assert.ok(b);
    assert.strictEqual(b.fixes, undefined);
  });

  it('fixes the spelling of requireTLS / ignoreTLS and maps starttls to requireTLS', () => {
    for (const [written, fixed] of [
      ['requireTls: true', 'requireTLS: true'],
      ['startTLS: true', 'requireTLS: true'],
      ['ignoreTls: true', 'ignoreTLS: true'],
      ['hostname: "smtp.example.com"', 'host: "smtp.example.com"'],
    ]) {
      const text = transport(`port: 587, ${written}`);
      const [f] = lint(text);
      assert.ok(f, written);
      assert.ok(applyFix(text, f).includes(`port: 587, ${fixed} }`), written);
    }
  });

  it('flags a login or TLS settings outside auth / tls, without a fix', () => {
    const text = transport("host: 'h.example', user: 'me', pass: process.env.P, rejectUnauthorized: false");
    const findings = lint(text);
    assert.deepStrictEqual(findings.map((f) => coveredText(text, f)), ['user', 'pass', 'rejectUnauthorized']);
    assert.match(findings[0].message, /put the login in auth: \{ user, pass \}/);
    assert.match(findings[2].message, /move it into tls: \{ \.\.\. \}/);
    for (const f of findings) assert.strictEqual(f.fixes, undefined);
  });

  it('flags the old XOAuth2 object once', () => {
    const text = transport("service: 'Gmail', auth: { XOAuth2: { user: 'me@gmail.com', clientId: 'id', refreshToken: process.env.T } }");
    const findings = lint(text);
    assert.strictEqual(findings.length, 1);
    assert.match(findings[0].message, /nodemailer ignores auth\.XOAuth2; use auth: \{ type: 'OAuth2'/);
    assert.match(findings[0].message, /type: 'OAuth2'/);
  });

  it('renames inside an options object cast with `as` (TypeScript)', () => {
    const text = "import nodemailer from 'nodemailer';\nnodemailer.createTransport({ host: 'h.example', secureConnection: true } as SMTPTransport.Options);\n";
    const [f] = lintScript(text, legacyOption, undefined, '/app/src/mail.ts');
    assert.ok(f);
    assert.match(applyFix(text, f), /\{ host: 'h\.example', secure: true \} as SMTPTransport\.Options/);
  });

  it('renames nothing in a shared base object or a shorthand property, but still reports', () => {
    const text = "const nodemailer = require('nodemailer');\nconst base = { secureConnection: true };\nconst ssl = true;\nnodemailer.createTransport({ ...base, host: 'h.example', ssl });\n";
    const findings = lint(text);
    assert.strictEqual(findings.length, 2);
    for (const f of findings) assert.strictEqual(f.fixes, undefined);
  });

  it('says nothing for the options nodemailer reads, or in config files the application maps', () => {
    const ok = transport(
      "host: 'h.example', port: 587, secure: false, requireTLS: true, ignoreTLS: false, servername: 'h.example', name: 'app.example', " +
        "auth: { type: 'OAuth2', user: 'me', clientId: 'id', clientSecret: process.env.S, refreshToken: process.env.R }, tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2' }, " +
        'pool: true, maxConnections: 5, connectionTimeout: 10000, logger: true, debug: false',
    );
    assert.deepStrictEqual(lint(ok), []);
    const yaml = 'smtp:\n  host: smtp.example.com\n  port: 587\n  ssl: false\n  username: me\n';
    assert.deepStrictEqual(lintTransports(extractConfigTransports({ file: '/app/config.yaml', text: yaml }, new EnvResolver([])), [legacyOption]), []);
  });
});
