import * as assert from 'assert';
import { invalidPort } from '../../../../src/core/nodemailer/rules/invalidPort';
import { coveredText, where } from '../../helpers';
import { ENV, lintScript, transport } from './lintScript';

const lint = (text: string, env?: string) => lintScript(text, invalidPort, env);

describe('nodemailer/invalid-port', () => {
  it('flags a port that is not a number on its value: nodemailer falls back to the default', () => {
    const text = transport("host: 'smtp.example.com', port: '587a'");
    const findings = lint(text);
    assert.deepStrictEqual(where(findings), ['2:72 nodemailer/invalid-port']);
    const [f] = findings;
    assert.strictEqual(f.severity, 'error');
    assert.strictEqual(coveredText(text, f), "'587a'");
    assert.match(f.message, /^port is "587a", not a whole number from 1 to 65535: Number\(port\) is NaN, so nodemailer silently falls back to port 587/);
    assert.strictEqual(f.fixes, undefined);
  });

  it('flags 0, out-of-range and fractional ports with the error they cause', () => {
    assert.match(lint(transport("host: 'h.example', port: 0"))[0]?.message ?? '', /Number\(port\) is 0, so nodemailer silently falls back to port 587/);
    assert.match(lint(transport("host: 'h.example', port: 0, secure: true"))[0]?.message ?? '', /falls back to port 465/);
    for (const port of ['70000', '587.5', '-1']) {
      assert.match(lint(transport(`host: 'h.example', port: ${port}`))[0]?.message ?? '', /ERR_SOCKET_BAD_PORT/, port);
    }
  });

  it('flags NaN from Number() of a bad .env value, linked to the .env line', () => {
    const text = transport("host: 'h.example', port: Number(process.env.SMTP_PORT)");
    const [f] = lint(text, 'SMTP_PORT=abc\n');
    assert.ok(f);
    assert.strictEqual(coveredText(text, f), 'Number(process.env.SMTP_PORT)');
    assert.match(f.message, /^port is NaN \(from SMTP_PORT\)|^port is NaN/);
    assert.deepStrictEqual(f.related?.map((r) => r.file), [ENV]);
  });

  it('says nothing for ports nodemailer accepts, unresolved ones, or ports a service overrides', () => {
    for (const options of [
      "host: 'h.example', port: 587",
      "host: 'h.example', port: '465'",
      "host: 'h.example', port: ' 2525 '",
      "host: 'h.example', port: 65535",
      "host: 'h.example'",
      "host: 'h.example', port: Number(process.env.NOT_SET)",
      "service: 'Gmail', port: 'abc'",
      "url: 'smtp://h.example:587', port: 'abc'",
    ]) {
      assert.deepStrictEqual(lint(transport(options)), [], options);
    }
  });
});
