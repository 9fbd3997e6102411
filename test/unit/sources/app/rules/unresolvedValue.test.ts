import { unresolvedValue } from '../../../../../src/core/sources/app/rules/unresolvedValue';
import { testTransportRule } from '../../../ruleTester';
import { transport } from './transportCode';

const env = 'SMTP_HOST=smtp.example.com\n';

describe('nodemailer/unresolved-value', () => {
  testTransportRule(unresolvedValue, {
    // Values a .env file sets, code defaults, literals, or other options.
    valid: [
      'host: process.env.SMTP_HOST',
      "host: 'h.example', port: process.env.SMTP_PORT || 587",
      "host: process.env.NOT_SET ?? 'localhost'",
      "host: 'h.example', port: 587, secure: false",
      "host: 'h.example', auth: { user: process.env.NOT_SET, pass: process.env.NOT_SET_EITHER }",
      "host: 'h.example', port: getPort()",
    ].map((options) => ({ text: transport(options), env })),
    invalid: [
      {
        name: 'host and port read from variables no .env file sets, on each value',
        code: { text: transport('host: process.env.SMTP_HOST, port: Number(process.env.SMTP_PORT), secure: false'), env: 'OTHER=1\n' },
        findings: [
          { at: '2:46', text: 'process.env.SMTP_HOST', severity: 'information', message: /^host comes from SMTP_HOST, which no \.env file this code loads sets/, fixes: [] },
          { at: '2:75', text: 'Number(process.env.SMTP_PORT)', message: /^port comes from SMTP_PORT/ },
        ],
      },
      { name: 'secure', code: transport("host: 'h.example', secure: process.env.SMTP_SECURE === 'true'"), findings: [{ message: /^secure comes from SMTP_SECURE/ }] },
      { name: 'service', code: transport('service: process.env.MAIL_SERVICE'), findings: [{ message: /^service comes from MAIL_SERVICE/ }] },
      {
        name: 'a URL passed as the only argument',
        code: "const nodemailer = require('nodemailer');\nnodemailer.createTransport(process.env.SMTP_URL);\n",
        findings: [{ text: 'process.env.SMTP_URL', message: /^url comes from SMTP_URL/ }],
      },
    ],
  });
});
