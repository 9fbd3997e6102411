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
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(coveredText(text, f), "'587a'");
    assert.strictEqual(f.message, 'port "587a" is not a port number, so nodemailer uses 587; write the port you mean.');
    assert.strictEqual(f.fixes, undefined);
  });

  it('warns on 0 (the default is used) and errs on out-of-range and fractional ports (sending fails)', () => {
    const zero = lint(transport("host: 'h.example', port: 0"));
    assert.deepStrictEqual(zero.map((f) => [f.severity, f.message]), [['warning', 'port 0 is not a port number, so nodemailer uses 587; write the port you mean.']]);
    assert.match(lint(transport("host: 'h.example', port: 0, secure: true"))[0]?.message ?? '', /nodemailer uses 465/);
    for (const port of ['70000', '587.5', '-1', "'70000'"]) {
      const [f] = lint(transport(`host: 'h.example', port: ${port}`));
      assert.strictEqual(f?.severity, 'error', port);
      assert.match(f.message, /is out of range, so sending fails \(ERR_SOCKET_BAD_PORT\)/, port);
    }
  });

  it('flags NaN from Number() of a bad .env value, linked to the .env line', () => {
    const text = transport("host: 'h.example', port: Number(process.env.SMTP_PORT)");
    const [f] = lint(text, 'SMTP_PORT=abc\n');
    assert.ok(f);
    assert.strictEqual(coveredText(text, f), 'Number(process.env.SMTP_PORT)');
    assert.strictEqual(f.message, 'port NaN is not a port number, so nodemailer uses 587; write the port you mean.');
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
