import { plaintextAuth } from '../../../../../src/core/sources/app/rules/plaintextAuth';
import { testTransportRule } from '../../../ruleTester';
import { transport } from './transportCode';

const AUTH = 'auth: { user: process.env.U, pass: process.env.P }';

describe('nodemailer/plaintext-auth', () => {
  testTransportRule(plaintextAuth, {
    // No login, TLS required or implicit, loopback, or unknown.
    valid: [
      ...[
        "host: 'smtp.example.com', port: 587",
        `host: 'smtp.example.com', port: 587, requireTLS: true, ${AUTH}`,
        `host: 'smtp.example.com', port: 465, secure: true, ${AUTH}`,
        `host: 'smtp.example.com', port: 465, ${AUTH}`,
        `host: 'smtp.example.com', port: 465, secure: false, ${AUTH}`,
        `host: 'localhost', port: 1025, ${AUTH}`,
        `host: '127.0.0.1', port: 25, ignoreTLS: true, ${AUTH}`,
        `host: 'smtp.example.com', secure: process.env.NOT_SET, ${AUTH}`,
        `service: 'Gmail', ${AUTH}`,
      ].map(transport),
      { name: 'a URL with ?requireTLS=true', code: transport("url: 'smtp://u:p@smtp.example.com:587?requireTLS=true'") },
    ],
    invalid: [
      {
        name: 'opportunistic STARTTLS with a login, on secure; adds requireTLS: true',
        code: transport(`host: 'smtp.example.com', port: 587, secure: false, ${AUTH}`),
        findings: [{ at: '2:85', text: 'false', severity: 'warning', message: /uses STARTTLS only if offered/, fixes: ['Set requireTLS: true'], output: /pass: process\.env\.P \}, requireTLS: true \}\);/ }],
      },
      { name: 'nodemailer defaults (no secure, no port), on the host', code: transport(`host: 'smtp.example.com', ${AUTH}`), findings: [{ text: "'smtp.example.com'", output: /requireTLS: true \}\);/ }] },
      {
        name: 'a written requireTLS: false set to true instead of adding another',
        code: transport(`host: 'smtp.example.com', requireTLS: false, ${AUTH}`),
        findings: [{ text: 'false', output: transport(`host: 'smtp.example.com', requireTLS: true, ${AUTH}`) }],
      },
      {
        name: 'ignoreTLS: true turned off, with requireTLS: true as the preferred fix',
        code: transport(`host: 'smtp.example.com', port: 587, ignoreTLS: true, ${AUTH}`),
        findings: [
          {
            text: 'true',
            message: /ignoreTLS sends the login and mail to .* in plain text/,
            fixes: ['Set ignoreTLS: false and requireTLS: true', 'Set ignoreTLS: false'],
            preferred: ['Set ignoreTLS: false and requireTLS: true'],
            output: /ignoreTLS: false, auth: .*, requireTLS: true \}\);/,
            outputs: { 'Set ignoreTLS: false': /ignoreTLS: false, auth: [^}]*\} \}\);/ },
          },
        ],
      },
      {
        name: 'a URL with a login, on the URL',
        code: "const nodemailer = require('nodemailer');\nnodemailer.createTransport({ url: 'smtp://u:p@smtp.example.com:587' });\n",
        findings: [{ text: "'smtp://u:p@smtp.example.com:587'", output: /:587', requireTLS: true \}\);/ }],
      },
    ],
  });
});
