import * as assert from 'assert';
import { ipHostWithoutServername, isIpLiteral } from '../../../../src/core/nodemailer/rules/ipHostWithoutServername';
import { coveredText, where } from '../../helpers';
import { ENV, lintScript, transport } from './lintScript';

const lint = (text: string, env?: string) => lintScript(text, ipHostWithoutServername, env);

describe('nodemailer/ip-host-without-servername', () => {
  it('flags an IP host with implicit TLS on the host, quoting the error Node gives', () => {
    const text = transport("host: '203.0.113.25', port: 465, secure: true");
    const findings = lint(text);
    assert.deepStrictEqual(where(findings), ['2:46 nodemailer/ip-host-without-servername']);
    const [f] = findings;
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(coveredText(text, f), "'203.0.113.25'");
    assert.match(f.message, /which the certificate will not name/);
    assert.match(f.message, /set tls\.servername\./);
    assert.strictEqual(f.fixes, undefined);
  });

  it('flags STARTTLS (offered or required) on port 587, IPv6 in a URL on the address, and a host from .env', () => {
    const [a] = lint(transport("host: '10.0.0.12', port: 587"));
    assert.ok(a);
    assert.match(a.message, /which the certificate will not name/);
    const [b] = lint(transport("host: '10.0.0.12', port: 587, requireTLS: true"));
    assert.ok(b);

    const url = "const nodemailer = require('nodemailer');\nnodemailer.createTransport('smtps://user@[2001:db8::25]:465');\n";
    const [c] = lint(url);
    assert.ok(c);
    assert.strictEqual(coveredText(url, c), '[2001:db8::25]');

    const env = transport('host: process.env.SMTP_HOST, port: 465');
    const [d] = lint(env, 'SMTP_HOST=192.0.2.7\n');
    assert.ok(d);
    assert.strictEqual(coveredText(env, d), 'process.env.SMTP_HOST');
    assert.deepStrictEqual(d.related?.map((r) => r.file), [ENV]);
  });

  it('flags loopback only when TLS is certain (mail catchers there offer no STARTTLS)', () => {
    assert.strictEqual(lint(transport("host: '127.0.0.1', port: 465, secure: true")).length, 1);
    assert.strictEqual(lint(transport("host: '127.0.0.1', port: 587, requireTLS: true")).length, 1);
    assert.deepStrictEqual(lint(transport("host: '127.0.0.1', port: 1025")), []);
  });

  it('says nothing with a servername, verification off, no TLS, a name, or an unknown host', () => {
    for (const options of [
      "host: '203.0.113.25', port: 465, tls: { servername: 'smtp.example.com' }",
      "host: '203.0.113.25', port: 465, servername: 'smtp.example.com'",
      "host: '203.0.113.25', port: 465, tls: { checkServerIdentity: () => undefined }",
      "host: '203.0.113.25', port: 465, tls: { rejectUnauthorized: false }",
      "host: '203.0.113.25', port: 465, tls: { rejectUnauthorized: process.env.NOT_SET }",
      "host: '203.0.113.25', port: 25, ignoreTLS: true",
      "host: 'smtp.example.com', port: 465",
      "host: '203.0.113.25.example.com', port: 465",
      'host: process.env.NOT_SET, port: 465',
      "host: '203.0.113.25', port: 587, secure: process.env.NOT_SET",
      "url: 'smtps://203.0.113.25:465?tls.rejectUnauthorized=false'",
      "service: 'Gmail'",
    ]) {
      assert.deepStrictEqual(lint(transport(options)), [], options);
    }
  });

  it('isIpLiteral: v4 and v6 literals, bracketed or not, and nothing else', () => {
    for (const ip of ['192.0.2.1', '[::1]', '2001:db8::1', 'fe80::1%eth0', '::ffff:192.0.2.1']) assert.ok(isIpLiteral(ip), ip);
    for (const name of ['smtp.example.com', '999.1.1.1', '1.2.3', 'mailpit', '', 'a:b:c:g::']) assert.ok(!isIpLiteral(name), name);
  });
});
