import * as assert from 'assert';
import { ipHostWithoutServername, isIpLiteral } from '../../../../../src/core/sources/app/rules/ipHostWithoutServername';
import { testTransportRule } from '../../../ruleTester';
import { ENV, transport } from './transportCode';

describe('nodemailer/ip-host-without-servername', () => {
  testTransportRule(ipHostWithoutServername, {
    valid: [
      // A servername, verification off, no TLS, a name, or an unknown host.
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
      // Loopback only when TLS is certain: mail catchers there offer no STARTTLS.
      "host: '127.0.0.1', port: 1025",
    ].map(transport),
    invalid: [
      {
        name: 'an IP host with implicit TLS, on the host, quoting the error Node gives',
        code: transport("host: '203.0.113.25', port: 465, secure: true"),
        findings: [{ at: '2:46', text: "'203.0.113.25'", severity: 'warning', message: [/which the certificate will not name/, /set tls\.servername\./], fixes: [] }],
      },
      { name: 'STARTTLS offered on port 587', code: transport("host: '10.0.0.12', port: 587"), findings: [{ message: /which the certificate will not name/ }] },
      { name: 'STARTTLS required on port 587', code: transport("host: '10.0.0.12', port: 587, requireTLS: true"), findings: [{}] },
      { name: 'IPv6 in a URL, on the address', code: "const nodemailer = require('nodemailer');\nnodemailer.createTransport('smtps://user@[2001:db8::25]:465');\n", findings: [{ text: '[2001:db8::25]' }] },
      { name: 'a host from .env', code: { text: transport('host: process.env.SMTP_HOST, port: 465'), env: 'SMTP_HOST=192.0.2.7\n' }, findings: [{ text: 'process.env.SMTP_HOST', related: [ENV] }] },
      { name: 'loopback with implicit TLS', code: transport("host: '127.0.0.1', port: 465, secure: true"), findings: [{}] },
      { name: 'loopback with STARTTLS required', code: transport("host: '127.0.0.1', port: 587, requireTLS: true"), findings: [{}] },
    ],
  });

  it('isIpLiteral: v4 and v6 literals, bracketed or not, and nothing else', () => {
    for (const ip of ['192.0.2.1', '[::1]', '2001:db8::1', 'fe80::1%eth0', '::ffff:192.0.2.1']) assert.ok(isIpLiteral(ip), ip);
    for (const name of ['smtp.example.com', '999.1.1.1', '1.2.3', 'mailpit', '', 'a:b:c:g::']) assert.ok(!isIpLiteral(name), name);
  });
});
