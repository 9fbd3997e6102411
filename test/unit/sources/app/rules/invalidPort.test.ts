import { invalidPort } from '../../../../../src/core/sources/app/rules/invalidPort';
import { testTransportRule } from '../../../ruleTester';
import { ENV, transport } from './transportCode';

const outOfRange = (port: string) => ({
  name: `${port} is out of range: sending fails`,
  code: transport(`host: 'h.example', port: ${port}`),
  findings: [{ severity: 'error' as const, message: /is out of range, so sending fails \(ERR_SOCKET_BAD_PORT\)/ }],
});

describe('nodemailer/invalid-port', () => {
  testTransportRule(invalidPort, {
    valid: [
      "host: 'h.example', port: 587",
      "host: 'h.example', port: '465'",
      "host: 'h.example', port: ' 2525 '",
      "host: 'h.example', port: 65535",
      "host: 'h.example'",
      "host: 'h.example', port: Number(process.env.NOT_SET)",
      "service: 'Gmail', port: 'abc'",
      "url: 'smtp://h.example:587', port: 'abc'",
    ].map(transport),
    invalid: [
      {
        name: 'a port that is not a number, on its value: nodemailer falls back to the default',
        code: transport("host: 'smtp.example.com', port: '587a'"),
        findings: [
          {
            at: '2:72',
            text: "'587a'",
            severity: 'warning',
            message: 'port "587a" is not a port number, so nodemailer uses 587; write the port you mean.',
            fixes: [],
          },
        ],
      },
      {
        name: '0: the default is used',
        code: transport("host: 'h.example', port: 0"),
        findings: [{ severity: 'warning', message: 'port 0 is not a port number, so nodemailer uses 587; write the port you mean.' }],
      },
      { name: '0 with secure: the default is 465', code: transport("host: 'h.example', port: 0, secure: true"), findings: [{ message: /nodemailer uses 465/ }] },
      ...['70000', '587.5', '-1', "'70000'"].map(outOfRange),
      {
        name: 'NaN from Number() of a bad .env value, linked to the .env line',
        code: { text: transport("host: 'h.example', port: Number(process.env.SMTP_PORT)"), env: 'SMTP_PORT=abc\n' },
        findings: [{ text: 'Number(process.env.SMTP_PORT)', message: 'port NaN is not a port number, so nodemailer uses 587; write the port you mean.', related: [ENV] }],
      },
    ],
  });
});
