import * as assert from 'assert';
import { unresolvedValue } from '../../../../src/core/nodemailer/rules/unresolvedValue';
import { coveredText, where } from '../../helpers';
import { lintScript, transport } from './lintScript';

const lint = (text: string, env?: string) => lintScript(text, unresolvedValue, env);

describe('nodemailer/unresolved-value', () => {
  it('reports host and port read from variables no .env file sets, on each value', () => {
    const text = transport("host: process.env.SMTP_HOST, port: Number(process.env.SMTP_PORT), secure: false");
    const findings = lint(text, 'OTHER=1\n');
    assert.deepStrictEqual(where(findings), ['2:46 nodemailer/unresolved-value', '2:75 nodemailer/unresolved-value']);
    assert.deepStrictEqual(findings.map((f) => coveredText(text, f)), ['process.env.SMTP_HOST', 'Number(process.env.SMTP_PORT)']);
    assert.strictEqual(findings[0].severity, 'information');
    assert.match(findings[0].message, /^host comes from SMTP_HOST, which no \.env file this code loads sets/);
    assert.match(findings[1].message, /^port comes from SMTP_PORT/);
    assert.strictEqual(findings[0].fixes, undefined);
  });

  it('covers secure, service and a URL passed as the only argument', () => {
    assert.match(lint(transport("host: 'h.example', secure: process.env.SMTP_SECURE === 'true'"))[0]?.message ?? '', /^secure comes from SMTP_SECURE/);
    assert.match(lint(transport('service: process.env.MAIL_SERVICE'))[0]?.message ?? '', /^service comes from MAIL_SERVICE/);
    const call = "const nodemailer = require('nodemailer');\nnodemailer.createTransport(process.env.SMTP_URL);\n";
    const [f] = lint(call);
    assert.ok(f);
    assert.strictEqual(coveredText(call, f), 'process.env.SMTP_URL');
    assert.match(f.message, /^url comes from SMTP_URL/);
  });

  it('says nothing for values a .env file sets, code defaults, literals, or other options', () => {
    const env = 'SMTP_HOST=smtp.example.com\n';
    for (const options of [
      'host: process.env.SMTP_HOST',
      "host: 'h.example', port: process.env.SMTP_PORT || 587",
      "host: process.env.NOT_SET ?? 'localhost'",
      "host: 'h.example', port: 587, secure: false",
      "host: 'h.example', auth: { user: process.env.NOT_SET, pass: process.env.NOT_SET_EITHER }",
      "host: 'h.example', port: getPort()",
    ]) {
      assert.deepStrictEqual(lint(transport(options), env), [], options);
    }
  });
});
