import { securePortMismatch } from '../../../../../src/core/sources/app/rules/securePortMismatch';
import { readFixture } from '../../../helpers';
import { testTransportRule } from '../../../ruleTester';
import { ENV, transport } from './transportCode';

const port25 = /on port 25:? TLS at connect fails/;

describe('nodemailer/secure-port-mismatch', () => {
  testTransportRule(securePortMismatch, {
    valid: [
      // Matching settings, nodemailer defaults, or values only known at run time.
      ...[
        "host: 'h.example', port: 465, secure: true",
        "host: 'h.example', port: 587, secure: false",
        "host: 'h.example', port: 587",
        // secure not given on 465: smtp-connection turns it on by itself.
        "host: 'h.example', port: 465",
        "host: 'h.example', secure: true",
        "host: 'h.example', port: 2525, secure: true",
        "service: 'Gmail'",
        "host: 'h.example', port: 587, secure: process.env.NOT_SET",
        "host: 'h.example', port: process.env.NOT_SET, secure: true",
        "url: 'smtps://h.example'",
        "url: 'smtp://h.example:587'",
        "url: 'direct://h.example:465'",
        // URL data beats the options object.
        "url: 'smtps://smtp.example.com:465', secure: false",
        // Port 25: nothing without TLS at once, nor on the ports next to it or on 2525.
        "host: 'mx.example.com', port: 25, secure: false",
        "host: 'mx.example.com', port: 25",
        "url: 'smtp://mx.example.com:25'",
        "host: 'mx.example.com', port: 24, secure: true",
        "host: 'mx.example.com', port: 26, secure: true",
        "host: 'mx.example.com', port: 2525, secure: true",
        "host: 'mx.example.com', port: 250, secure: true",
        // Both fixes of secure: true on 25 give a clean transport.
        "host: 'mx.example.com', port: 465, secure: true",
      ].map(transport),
    ],
    invalid: [
      {
        name: 'secure: true on port 587, on the secure value, flipped',
        code: { file: '/app/src/mailer.ts', text: readFixture('nodemailer/rules/secure-port-mismatch/mailer.ts') },
        findings: [
          {
            at: '6:11',
            text: 'true',
            severity: 'error',
            message: [/wrong version number/, /use secure: false on 587/],
            fixes: ['Set secure: false', 'Use port 465'],
            output: /port: 587,\n {2}secure: false,/,
            outputs: { 'Use port 465': /port: 465,\n {2}secure: true,/ },
          },
        ],
      },
      { name: 'secure: true on port 25, a string port counting', code: transport("host: 'mx.example.com', port: '25', secure: true"), findings: [{ text: 'true', message: /on port 25: TLS at connect fails/ }] },
      // Port 25: the boundaries of "TLS at once on a STARTTLS port".
      {
        name: 'secure: true on 25 written as a number: the port fix is 465, the secure fix false',
        code: transport("host: 'mx.example.com', port: 25, secure: true"),
        findings: [
          {
            text: 'true',
            message: port25,
            fixes: ['Set secure: false', 'Use port 465'],
            output: transport("host: 'mx.example.com', port: 25, secure: false"),
            outputs: { 'Use port 465': transport("host: 'mx.example.com', port: 465, secure: true") },
          },
        ],
      },
      { name: 'secure: true on 25 from a .env file', code: { text: transport("host: 'mx.example.com', port: Number(process.env.SMTP_PORT), secure: true"), env: 'SMTP_PORT=25\n' }, findings: [{ text: 'true', message: port25 }] },
      { name: "secure: 'false' on 25 (a truthy string)", code: transport("host: 'mx.example.com', port: 25, secure: 'false'"), findings: [{ text: "'false'", message: port25 }] },
      { name: 'secure: 1 on 25', code: transport("host: 'mx.example.com', port: 25, secure: 1"), findings: [{ text: '1', message: port25 }] },
      { name: 'an smtps:// URL on port 25, on the port digits', code: transport("url: 'smtps://mx.example.com:25'"), findings: [{ text: '25', message: /smtps:\/\/ on port 25: TLS at connect fails/ }] },
      {
        name: 'secure: false on port 465, set to true',
        code: transport("host: 'smtp.example.com', port: 465, secure: false"),
        findings: [{ text: 'false', message: /the greeting never comes/, output: /port: 465, secure: true \}/, outputs: { 'Use port 587': /port: 587, secure: false \}/ } }],
      },
      {
        name: 'the string "false" is truthy',
        code: transport("host: 'smtp.example.com', port: 587, secure: 'false'"),
        findings: [{ text: "'false'", message: /secure is the string "false", which is true/, output: /secure: false \}/ }],
      },
      {
        name: 'the string "false" from a .env file: no "Set secure" fix',
        code: { text: transport("host: 'smtp.example.com', port: 587, secure: process.env.SMTP_SECURE"), env: 'SMTP_SECURE=false\n' },
        findings: [
          {
            text: 'process.env.SMTP_SECURE',
            message: [/the string "false" \(SMTP_SECURE\)/, /compare it to 'true'/],
            fixes: ['Use port 465'],
            related: [{ file: ENV, message: 'SMTP_SECURE is set here' }],
          },
        ],
      },
      {
        name: 'an smtps:// URL on 587: on the port digits, the scheme fixed',
        code: "const nodemailer = require('nodemailer');\nnodemailer.createTransport('smtps://smtp.example.com:587');\n",
        findings: [
          {
            text: '587',
            message: /smtps:\/\/ on port 587: TLS at connect fails/,
            output: /'smtp:\/\/smtp\.example\.com:587'/,
            outputs: { 'Use port 465': /'smtps:\/\/smtp\.example\.com:465'/ },
          },
        ],
      },
      { name: 'an smtp:// URL on 465', code: transport("url: 'smtp://user@smtp.example.com:465'"), findings: [{ text: '465', message: /the greeting never comes/, output: /'smtps:\/\/user@smtp\.example\.com:465'/ }] },
      // nodemailer: smtp:// sets secure: false, overriding secure: true.
      { name: 'URL data beats the options object', code: transport("url: 'smtp://smtp.example.com:465', secure: true"), findings: [{}] },
      { name: 'secure: true with a well-known service on port 587, on secure', code: transport("service: 'AOL', secure: true"), findings: [{ text: 'true', fixes: ['Set secure: false'] }] },
    ],
  });
});
