import * as assert from 'assert';
import { plaintextAuth } from '../../../../src/core/nodemailer/rules/plaintextAuth';
import { applyFix, coveredText, where } from '../../helpers';
import { lintScript, transport } from './lintScript';

const lint = (text: string, env?: string) => lintScript(text, plaintextAuth, env);
const AUTH = 'auth: { user: process.env.U, pass: process.env.P }';

describe('nodemailer/plaintext-auth', () => {
  it('flags opportunistic STARTTLS with a login, on secure, and adds requireTLS: true', () => {
    const text = transport(`host: 'smtp.example.com', port: 587, secure: false, ${AUTH}`);
    const findings = lint(text);
    assert.deepStrictEqual(where(findings), ['2:85 nodemailer/plaintext-auth']);
    const [f] = findings;
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(coveredText(text, f), 'false');
    assert.match(f.message, /uses STARTTLS only if offered/);
    assert.deepStrictEqual(f.fixes?.map((x) => x.title), ['Set requireTLS: true']);
    assert.match(applyFix(text, f), /pass: process\.env\.P \}, requireTLS: true \}\);/);
  });

  it('flags nodemailer defaults (no secure, no port) on the host', () => {
    const text = transport(`host: 'smtp.example.com', ${AUTH}`);
    const [f] = lint(text);
    assert.ok(f);
    assert.strictEqual(coveredText(text, f), "'smtp.example.com'");
    assert.match(applyFix(text, f), /requireTLS: true \}\);/);
  });

  it('sets a written requireTLS: false to true instead of adding another', () => {
    const text = transport(`host: 'smtp.example.com', requireTLS: false, ${AUTH}`);
    const [f] = lint(text);
    assert.ok(f);
    assert.strictEqual(coveredText(text, f), 'false');
    assert.strictEqual(applyFix(text, f), transport(`host: 'smtp.example.com', requireTLS: true, ${AUTH}`));
  });

  it('flags ignoreTLS: true and turns it off (with requireTLS: true as the preferred fix)', () => {
    const text = transport(`host: 'smtp.example.com', port: 587, ignoreTLS: true, ${AUTH}`);
    const [f] = lint(text);
    assert.ok(f);
    assert.strictEqual(coveredText(text, f), 'true');
    assert.match(f.message, /ignoreTLS sends the login and mail to .* in plain text/);
    assert.deepStrictEqual(f.fixes?.map((x) => x.title), ['Set ignoreTLS: false and requireTLS: true', 'Set ignoreTLS: false']);
    assert.strictEqual(f.fixes?.[0].preferred, true);
    assert.match(applyFix(text, f), /ignoreTLS: false, auth: .*, requireTLS: true \}\);/);
    assert.match(applyFix(text, f, 'Set ignoreTLS: false'), /ignoreTLS: false, auth: [^}]*\} \}\);/);
  });

  it('flags a URL with a login on the URL, and honours ?requireTLS=true', () => {
    const text = "const nodemailer = require('nodemailer');\nnodemailer.createTransport({ url: 'smtp://u:p@smtp.example.com:587' });\n";
    const [f] = lint(text);
    assert.ok(f);
    assert.strictEqual(coveredText(text, f), "'smtp://u:p@smtp.example.com:587'");
    assert.match(applyFix(text, f), /:587', requireTLS: true \}\);/);
    assert.deepStrictEqual(lint(transport("url: 'smtp://u:p@smtp.example.com:587?requireTLS=true'")), []);
  });

  it('says nothing without a login, with TLS required or implicit, on loopback, or when unknown', () => {
    for (const options of [
      "host: 'smtp.example.com', port: 587",
      `host: 'smtp.example.com', port: 587, requireTLS: true, ${AUTH}`,
      `host: 'smtp.example.com', port: 465, secure: true, ${AUTH}`,
      `host: 'smtp.example.com', port: 465, ${AUTH}`,
      `host: 'smtp.example.com', port: 465, secure: false, ${AUTH}`,
      `host: 'localhost', port: 1025, ${AUTH}`,
      `host: '127.0.0.1', port: 25, ignoreTLS: true, ${AUTH}`,
      `host: 'smtp.example.com', secure: process.env.NOT_SET, ${AUTH}`,
      `service: 'Gmail', ${AUTH}`,
    ]) {
      assert.deepStrictEqual(lint(transport(options)), [], options);
    }
  });
});
