import * as assert from 'assert';
import { tlsVerifyDisabled } from '../../../../src/core/nodemailer/rules/tlsVerifyDisabled';
import { applyFix, coveredText, where } from '../../helpers';
import { ENV, lintScript, transport } from './lintScript';

const lint = (text: string, env?: string) => lintScript(text, tlsVerifyDisabled, env);

describe('nodemailer/tls-verify-disabled', () => {
  it('flags tls.rejectUnauthorized: false on the value and sets it to true', () => {
    const text = transport("host: 'smtp.example.com', port: 587, tls: { rejectUnauthorized: false }");
    const findings = lint(text);
    assert.deepStrictEqual(where(findings), ['2:104 nodemailer/tls-verify-disabled']);
    const [f] = findings;
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(coveredText(text, f), 'false');
    assert.match(f.message, /tls\.rejectUnauthorized is false, so the server certificate is not checked/);
    assert.deepStrictEqual(f.fixes?.map((x) => x.title), ['Set rejectUnauthorized: true']);
    assert.match(applyFix(text, f), /tls: \{ rejectUnauthorized: true \}/);
  });

  it('treats 0 and "" as false but not the string "false" (Node tests truthiness)', () => {
    assert.strictEqual(lint(transport("host: 'h.example', tls: { rejectUnauthorized: 0 }")).length, 1);
    assert.strictEqual(lint(transport("host: 'h.example', tls: { rejectUnauthorized: '' }")).length, 1);
    assert.strictEqual(lint(transport("host: 'h.example', tls: { rejectUnauthorized: 'false' }")).length, 0);
  });

  it('reports a value from .env without a fix, linking to the .env line', () => {
    const text = transport("host: 'h.example', tls: { rejectUnauthorized: process.env.TLS_VERIFY === 'yes' }");
    const [f] = lint(text, 'TLS_VERIFY=no\n');
    assert.ok(f);
    assert.strictEqual(coveredText(text, f), "process.env.TLS_VERIFY === 'yes'");
    assert.strictEqual(f.fixes, undefined);
    assert.deepStrictEqual(f.related?.map((r) => r.file), [ENV]);
  });

  it('flags ?tls.rejectUnauthorized=false in a URL on the value inside the URL', () => {
    const text = "const nodemailer = require('nodemailer');\nnodemailer.createTransport('smtp://smtp.example.com:587?pool=true&tls.rejectUnauthorized=false');\n";
    const [f] = lint(text);
    assert.ok(f);
    assert.strictEqual(coveredText(text, f), 'false');
    assert.match(f.message, /The URL sets tls\.rejectUnauthorized=false/);
    assert.match(applyFix(text, f), /tls\.rejectUnauthorized=true'\)/);
  });

  it('lets the URL win over the options object, as nodemailer does', () => {
    assert.deepStrictEqual(lint(transport("url: 'smtp://h.example:587?tls.rejectUnauthorized=true', tls: { rejectUnauthorized: false }")), []);
    assert.strictEqual(lint(transport("url: 'smtp://h.example:587?tls.rejectUnauthorized=0', tls: { rejectUnauthorized: true }")).length, 1);
  });

  it('says nothing when verification is on, unknown, or the server is on this machine', () => {
    for (const options of [
      "host: 'h.example', tls: { rejectUnauthorized: true }",
      "host: 'h.example', tls: { servername: 'h.example' }",
      "host: 'h.example'",
      "host: 'h.example', tls: { rejectUnauthorized: process.env.NOT_SET }",
      "host: 'localhost', port: 1025, tls: { rejectUnauthorized: false }",
      "host: '127.0.0.1', tls: { rejectUnauthorized: false }",
    ]) {
      assert.deepStrictEqual(lint(transport(options)), [], options);
    }
  });
});
