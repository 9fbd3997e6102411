import { unknownService } from '../../../../../src/core/sources/app/rules/unknownService';
import { testTransportRule } from '../../../ruleTester';
import { ENV, transport } from './transportCode';

describe('nodemailer/unknown-service', () => {
  testTransportRule(unknownService, {
    // Known names, aliases, domains, addresses, or unresolved values.
    valid: ["service: 'Gmail'", "service: 'gmail'", "service: 'Google Mail'", "service: 'hotmail.com'", "service: 'me@gmail.com'", "service: 'SES-US-EAST-1'", 'service: process.env.NOT_SET', "host: 'h.example'"].map(transport),
    invalid: [
      {
        name: 'a misspelt service: where nodemailer connects instead, and the name fixed',
        code: transport("service: 'Gmial', auth: { user: 'me@example.com', pass: process.env.P }"),
        findings: [
          {
            at: '2:49',
            text: "'Gmial'",
            severity: 'warning',
            message: [/does not know the service "Gmial"/, /it connects to localhost instead/, /did you mean "Gmail"\?/],
            fixes: ['Change to "Gmail"'],
            output: /service: 'Gmail',/,
          },
        ],
      },
      { name: 'matched without case and against aliases', code: transport("service: 'sendgird'"), findings: [{ message: /did you mean "SendGrid"\?/ }] },
      { name: 'matched against e-mail domains', code: transport("service: 'outlok.com'"), findings: [{ output: /service: 'Outlook365'|service: 'Hotmail'/ }] },
      {
        name: 'with host written: nodemailer uses it, still a warning, no fix',
        code: transport("service: 'my-relay', host: 'smtp.example.com', port: 587"),
        findings: [{ severity: 'warning', message: [/and ignores it; /, /set host and port instead/], fixes: [] }],
      },
      {
        name: 'a name from .env, on the code, linked to the .env line, without a fix',
        code: { text: transport('service: process.env.MAIL_SERVICE'), env: 'MAIL_SERVICE=gmial\n' },
        findings: [{ text: 'process.env.MAIL_SERVICE', message: /"gmial"/, fixes: [], related: [ENV] }],
      },
    ],
  });
});
