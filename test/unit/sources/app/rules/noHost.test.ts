import { noHost } from '../../../../../src/core/sources/app/rules/noHost';
import { testTransportRule } from '../../../ruleTester';
import { transport } from './transportCode';

const script = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('nodemailer/no-host', () => {
  testTransportRule(noHost, {
    valid: [
      { name: 'a host from a spread constant', code: script("import nodemailer from 'nodemailer';", "const base = { host: 'smtp.example.com' };", 'export const t = nodemailer.createTransport({ ...base, port: 587 });') },
      // Options not fully known.
      { name: 'a spread of something imported or computed', code: script("const nodemailer = require('nodemailer');", "const cfg = require('./config');", 'nodemailer.createTransport({ ...cfg.smtp, port: 587 });') },
      { name: 'a base object changed later', code: script("const nodemailer = require('nodemailer');", 'const base = { port: 587 };', 'base.host = process.env.SMTP_HOST;', 'nodemailer.createTransport({ ...base });') },
      { name: 'a base object passed to Object.assign', code: script("const nodemailer = require('nodemailer');", 'const base = { port: 587 };', 'Object.assign(base, loadHost());', 'nodemailer.createTransport({ ...base });') },
      {
        name: 'a parameter (the caller decides), even when a same-named constant exists elsewhere in the file',
        code: script("const nodemailer = require('nodemailer');", 'function make(options) { return nodemailer.createTransport(options); }', 'function other() { const options = { port: 587 }; return options; }'),
      },
      { name: 'a computed key', code: script("const nodemailer = require('nodemailer');", "nodemailer.createTransport({ [key]: 'smtp.example.com', port: 587 });") },
      { name: 'a getter', code: script("const nodemailer = require('nodemailer');", 'nodemailer.createTransport({ get host() { return h; }, port: 587 });') },
      { name: 'options from a call', code: script("const nodemailer = require('nodemailer');", 'nodemailer.createTransport(makeOptions());') },
      // A host, service, url, a ready socket, or a transport that does not speak SMTP.
      ...[
        "host: 'smtp.example.com'",
        'host: process.env.SMTP_HOST',
        "service: 'Gmail', auth: { user: 'u', pass: process.env.P }",
        "service: 'no-such-service'",
        "url: 'smtp://smtp.example.com:587'",
        'url: process.env.SMTP_URL',
        'connection: socket, port: 587',
        'getSocket: (options, cb) => cb(null, false)',
        'jsonTransport: true',
        'streamTransport: true, newline: "unix"',
        "sendmail: true, path: '/usr/sbin/sendmail'",
        'SES: { sesClient, SendEmailCommand }',
      ].map(transport),
      { name: 'a URL as the only argument', code: script("const nodemailer = require('nodemailer');", "nodemailer.createTransport('smtp://smtp.example.com:587');") },
    ],
    invalid: [
      {
        name: 'options with no host, service or url, on createTransport, with the localhost port nodemailer uses',
        code: transport('port: 587, auth: { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS }'),
        findings: [
          {
            at: '2:22',
            text: 'createTransport',
            severity: 'warning',
            message: "No host, service or url: nodemailer connects to localhost:587; set host (or host: 'localhost' if meant).",
            fixes: ["Add host: 'localhost' (the server runs on this machine)"],
            preferred: [],
            output: /pass: process\.env\.SMTP_PASS \}, host: 'localhost' \}\);/,
          },
        ],
      },
      { name: 'port 465 when secure is set and nothing else', code: transport('secure: true'), findings: [{ message: /localhost:465/ }] },
      {
        name: 'a misspelt host key does not count',
        code: transport("hostname: 'smtp.example.com', port: 587"),
        findings: [{ message: 'No host: nodemailer ignores "hostname" and connects to localhost:587; rename it to host.' }],
      },
      {
        name: 'spreads of constants written in the file are followed',
        code: script("import nodemailer from 'nodemailer';", 'const base = { port: 2525, pool: true };', 'export const t = nodemailer.createTransport({ ...base, secure: false });'),
        findings: [{ at: '3:29' }],
      },
    ],
  });
});
