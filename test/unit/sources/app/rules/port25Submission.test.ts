import { port25Submission } from '../../../../../src/core/sources/app/rules/port25Submission';
import { testTransportRule } from '../../../ruleTester';
import { ENV, transport } from './transportCode';

describe('nodemailer/port-25-submission', () => {
  testTransportRule(port25Submission, {
    valid: [
      "host: 'localhost', port: 25",
      "host: '127.0.0.1', port: 25",
      "host: '::1', port: 25",
      'port: 25',
      "host: 'mailpit', port: 25",
      "host: '10.0.3.7', port: 25",
      "host: '192.168.1.20', port: 25",
      "host: 'relay.internal', port: 25",
      "host: 'smtp.example.com', port: 587",
      "host: 'smtp.example.com', port: 2525",
      'host: process.env.NOT_SET, port: 25',
    ].map(transport),
    invalid: [
      {
        name: 'port 25 to a remote host, on the port, changed to 587',
        code: transport("host: 'smtp.example.com', port: 25, auth: { user: 'u', pass: process.env.P }"),
        findings: [
          {
            at: '2:72',
            text: '25',
            severity: 'warning',
            message: [/Port 25 to smtp\.example\.com is the relay port/, /use 587 with requireTLS \(or 465 with secure\)/],
            fixes: ['Use port 587'],
            output: /port: 587,/,
          },
        ],
      },
      { name: '465 when secure is on', code: transport("host: 'smtp.example.com', port: '25', secure: true"), findings: [{ output: /port: 465, secure: true/ }] },
      {
        name: 'a port from .env, without a fix, linked to the .env line',
        code: { text: transport("host: 'smtp.example.com', port: Number(process.env.SMTP_PORT)"), env: 'SMTP_PORT=25\n' },
        findings: [{ text: 'Number(process.env.SMTP_PORT)', fixes: [], related: [{ file: ENV, at: '1:11' }] }],
      },
      {
        name: 'a port in a URL',
        code: "const nodemailer = require('nodemailer');\nnodemailer.createTransport('smtp://smtp.example.com:25');\n",
        findings: [{ text: '25', output: /'smtp:\/\/smtp\.example\.com:587'/ }],
      },
      {
        name: 'a well-known service that uses port 25, on the service, without a fix',
        code: transport("service: 'Godaddy', auth: { user: 'u', pass: process.env.P }"),
        findings: [{ text: "'Godaddy'", message: /"Godaddy" sends to smtpout\.secureserver\.net on port 25/, fixes: [] }],
      },
    ],
  });
});
