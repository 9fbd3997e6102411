import { serviceOverridesHost } from '../../../../../src/core/sources/app/rules/serviceOverridesHost';
import { testTransportRule } from '../../../ruleTester';
import { ENV, SCRIPT, transport } from './transportCode';

const REMOVE_SERVICE = 'Remove service (use the host, port and secure written here)';
const sendgrid = [
  "import nodemailer from 'nodemailer';",
  'export const mailer = nodemailer.createTransport({',
  "  service: 'SendGrid',",
  "  host: 'smtp.eu.sendgrid.net', // EU data residency",
  '  port: 587,',
  "  auth: { user: 'apikey', pass: process.env.SENDGRID_API_KEY },",
  '});',
  '',
].join('\n');

describe('nodemailer/service-overrides-host', () => {
  testTransportRule(serviceOverridesHost, {
    // The same values, options the service leaves alone, unknown or unresolved services.
    valid: [
      "service: 'Gmail'",
      "service: 'Gmail', host: 'SMTP.gmail.com', port: 465, secure: true",
      // AOL sets no `secure`: the option is used (nodemailer/secure-port-mismatch judges it).
      "service: 'AOL', secure: false",
      "service: 'no-such-service', host: 'smtp.example.com', port: 587",
      "service: process.env.NOT_SET, host: 'smtp.example.com'",
      "host: 'smtp.gmail.com', port: 587",
    ].map(transport),
    invalid: [
      {
        name: 'service with a port and secure the service overrides, on service; the fix removes them',
        code: transport("service: 'gmail', port: 587, secure: false, auth: { user: 'me@gmail.com', pass: process.env.P }"),
        findings: [
          {
            at: '2:49',
            text: "'gmail'",
            severity: 'warning',
            message: [/service: "gmail" overrides/, /overrides port 587, secure false \(mail goes to smtp\.gmail\.com:465\)/],
            related: [
              { file: SCRIPT, text: '587', message: 'ignored: Gmail sets port 465' },
              { file: SCRIPT, text: 'false', message: 'ignored: Gmail sets secure true' },
            ],
            // No host written: removing the service would send to localhost, so that is not offered.
            fixes: ['Remove port, secure (Gmail decides)'],
            output: "const nodemailer = require('nodemailer');\nconst t = nodemailer.createTransport({ service: 'gmail', auth: { user: 'me@gmail.com', pass: process.env.P } });\n",
          },
        ],
      },
      {
        name: 'removing the service offered when a host is written; one option per line',
        code: sendgrid,
        findings: [
          {
            message: /host "smtp\.eu\.sendgrid\.net" \(mail goes to smtp\.sendgrid\.net:587\)/,
            fixes: ['Remove host (SendGrid decides)', REMOVE_SERVICE],
            output: sendgrid.replace("  host: 'smtp.eu.sendgrid.net', // EU data residency\n", ''),
            outputs: { [REMOVE_SERVICE]: /\{\n  host: 'smtp\.eu\.sendgrid\.net', \/\/ EU data residency\n  port: 587,/ },
          },
        ],
      },
      {
        name: 'an ignored value from .env named and linked; the service from .env linked too',
        code: { text: transport('service: process.env.MAIL_SERVICE, host: process.env.SMTP_HOST'), env: 'MAIL_SERVICE=Mailgun\nSMTP_HOST=smtp.eu.mailgun.org\n' },
        findings: [
          {
            text: 'process.env.MAIL_SERVICE',
            message: [/service: "Mailgun" \(from MAIL_SERVICE\)/, /host "smtp\.eu\.mailgun\.org" from SMTP_HOST/],
            related: [SCRIPT, ENV],
            // The properties are written in the code, whatever their values: they can go.
            output: /\{ service: process\.env\.MAIL_SERVICE \}/,
          },
        ],
      },
      { name: 'a host from an unset variable: ignored whatever it will be', code: transport("service: 'Gmail', host: process.env.NOT_SET"), findings: [{ message: /host \(whatever it is set to\) from NOT_SET/ }] },
      {
        name: 'a YAML block: whole lines removed',
        code: { file: '/app/mail.yaml', text: 'mail:\n  service: Gmail\n  port: 587 # submission\n  auth:\n    user: me@gmail.com\n' },
        findings: [{ text: 'Gmail', output: 'mail:\n  service: Gmail\n  auth:\n    user: me@gmail.com\n' }],
      },
      {
        name: 'a JSON block',
        code: { file: '/app/mail.json', text: '{\n  "smtp": {\n    "host": "smtp.example.com",\n    "service": "Gmail"\n  }\n}\n' },
        findings: [{ output: '{\n  "smtp": {\n    "service": "Gmail"\n  }\n}\n', outputs: { [REMOVE_SERVICE]: '{\n  "smtp": {\n    "host": "smtp.example.com"\n  }\n}\n' } }],
      },
      {
        name: 'a .env family',
        code: { file: ENV, text: 'SMTP_SERVICE=gmail\nSMTP_HOST=smtp.example.com\nSMTP_PORT=2525\n' },
        findings: [{ output: 'SMTP_SERVICE=gmail\n', outputs: { [REMOVE_SERVICE]: 'SMTP_HOST=smtp.example.com\nSMTP_PORT=2525\n' } }],
      },
    ],
  });
});
