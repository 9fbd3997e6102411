import { tlsVerifyDisabled } from '../../../../../src/core/sources/app/rules/tlsVerifyDisabled';
import { testTransportRule } from '../../../ruleTester';
import { ENV, transport } from './transportCode';

const url = (u: string) => `const nodemailer = require('nodemailer');\nnodemailer.createTransport('${u}');\n`;

describe('nodemailer/tls-verify-disabled', () => {
  testTransportRule(tlsVerifyDisabled, {
    valid: [
      transport("host: 'h.example', tls: { rejectUnauthorized: true }"),
      transport("host: 'h.example', tls: { servername: 'h.example' }"),
      transport("host: 'h.example'"),
      transport("host: 'h.example', tls: { rejectUnauthorized: process.env.NOT_SET }"),
      { name: 'a server on this machine', code: transport("host: 'localhost', port: 1025, tls: { rejectUnauthorized: false }") },
      transport("host: '127.0.0.1', tls: { rejectUnauthorized: false }"),
      { name: 'the string "false" is truthy, as Node tests it', code: transport("host: 'h.example', tls: { rejectUnauthorized: 'false' }") },
      { name: 'the URL wins over the options object, as in nodemailer', code: transport("url: 'smtp://h.example:587?tls.rejectUnauthorized=true', tls: { rejectUnauthorized: false }") },
    ],
    invalid: [
      {
        name: 'tls.rejectUnauthorized: false, on the value, set to true',
        code: transport("host: 'smtp.example.com', port: 587, tls: { rejectUnauthorized: false }"),
        findings: [
          {
            at: '2:104',
            text: 'false',
            severity: 'warning',
            message: /tls\.rejectUnauthorized is false, so the server certificate is not checked/,
            fixes: ['Set rejectUnauthorized: true'],
            output: /tls: \{ rejectUnauthorized: true \}/,
          },
        ],
      },
      { name: '0 is false', code: transport("host: 'h.example', tls: { rejectUnauthorized: 0 }"), findings: [{}] },
      { name: '"" is false', code: transport("host: 'h.example', tls: { rejectUnauthorized: '' }"), findings: [{}] },
      {
        name: 'a value from .env, without a fix, linked to the .env line',
        code: { text: transport("host: 'h.example', tls: { rejectUnauthorized: process.env.TLS_VERIFY === 'yes' }"), env: 'TLS_VERIFY=no\n' },
        findings: [{ text: "process.env.TLS_VERIFY === 'yes'", fixes: [], related: [ENV] }],
      },
      {
        name: '?tls.rejectUnauthorized=false in a URL, on the value inside the URL',
        code: url('smtp://smtp.example.com:587?pool=true&tls.rejectUnauthorized=false'),
        findings: [{ text: 'false', message: /The URL sets tls\.rejectUnauthorized=false/, output: /tls\.rejectUnauthorized=true'\)/ }],
      },
      {
        name: 'a URL that turns verification off wins over the options object',
        code: transport("url: 'smtp://h.example:587?tls.rejectUnauthorized=0', tls: { rejectUnauthorized: true }"),
        findings: [{}],
      },
    ],
  });
});
