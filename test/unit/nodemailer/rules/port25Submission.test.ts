import * as assert from 'assert';
import { port25Submission } from '../../../../src/core/nodemailer/rules/port25Submission';
import { applyFix, coveredText, where } from '../../helpers';
import { ENV, lintScript, transport } from './lintScript';

const lint = (text: string, env?: string) => lintScript(text, port25Submission, env);

describe('nodemailer/port-25-submission', () => {
  it('flags port 25 to a remote host on the port and changes it to 587', () => {
    const text = transport("host: 'smtp.example.com', port: 25, auth: { user: 'u', pass: process.env.P }");
    const findings = lint(text);
    assert.deepStrictEqual(where(findings), ['2:72 nodemailer/port-25-submission']);
    const [f] = findings;
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(coveredText(text, f), '25');
    assert.match(f.message, /Port 25 to smtp\.example\.com is the relay port/);
    assert.match(f.message, /use 587 with requireTLS \(or 465 with secure\)/);
    assert.deepStrictEqual(f.fixes?.map((x) => x.title), ['Use port 587']);
    assert.match(applyFix(text, f), /port: 587,/);
  });

  it('suggests 465 when secure is on, and reads ports from .env and URLs', () => {
    const secure = transport("host: 'smtp.example.com', port: '25', secure: true");
    const [a] = lint(secure);
    assert.ok(a);
    assert.match(applyFix(secure, a), /port: 465, secure: true/);

    const fromEnv = transport("host: 'smtp.example.com', port: Number(process.env.SMTP_PORT)");
    const [b] = lint(fromEnv, 'SMTP_PORT=25\n');
    assert.ok(b);
    assert.strictEqual(coveredText(fromEnv, b), 'Number(process.env.SMTP_PORT)');
    assert.strictEqual(b.fixes, undefined);
    assert.deepStrictEqual(b.related?.map((r) => [r.file, r.range.start.line]), [[ENV, 0]]);

    const url = "const nodemailer = require('nodemailer');\nnodemailer.createTransport('smtp://smtp.example.com:25');\n";
    const [c] = lint(url);
    assert.ok(c);
    assert.strictEqual(coveredText(url, c), '25');
    assert.match(applyFix(url, c), /'smtp:\/\/smtp\.example\.com:587'/);
  });

  it('flags a well-known service that uses port 25, on the service, without a fix', () => {
    const text = transport("service: 'Godaddy', auth: { user: 'u', pass: process.env.P }");
    const [f] = lint(text);
    assert.ok(f);
    assert.strictEqual(coveredText(text, f), "'Godaddy'");
    assert.match(f.message, /"Godaddy" sends to smtpout\.secureserver\.net on port 25/);
    assert.strictEqual(f.fixes, undefined);
  });

  it('says nothing for local relays, other ports, or unknown hosts', () => {
    for (const options of [
      "host: 'localhost', port: 25",
      "host: '127.0.0.1', port: 25",
      "host: '::1', port: 25",
      "port: 25",
      "host: 'mailpit', port: 25",
      "host: '10.0.3.7', port: 25",
      "host: '192.168.1.20', port: 25",
      "host: 'relay.internal', port: 25",
      "host: 'smtp.example.com', port: 587",
      "host: 'smtp.example.com', port: 2525",
      "host: process.env.NOT_SET, port: 25",
    ]) {
      assert.deepStrictEqual(lint(transport(options)), [], options);
    }
  });
});
