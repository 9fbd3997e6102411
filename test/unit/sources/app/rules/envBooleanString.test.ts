import { envBooleanString } from '../../../../../src/core/sources/app/rules/envBooleanString';
import { testTransportRule } from '../../../ruleTester';
import { ENV, transport } from './transportCode';

const script = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('nodemailer/env-boolean-string', () => {
  testTransportRule(envBooleanString, {
    valid: [
      // The code compares or converts, or the value is not from the environment.
      ...[
        "host: 'h.example', secure: process.env.SMTP_SECURE === 'true'",
        "host: 'h.example', secure: process.env.SMTP_SECURE !== 'false'",
        "host: 'h.example', secure: process.env.SMTP_SECURE && process.env.SMTP_SECURE === 'true'",
        "host: 'h.example', secure: Number(process.env.SMTP_PORT) === 465",
        "host: 'h.example', secure: JSON.parse(process.env.SMTP_SECURE)",
        "host: 'h.example', secure: toBool(process.env.SMTP_SECURE)",
        "host: 'h.example', secure: !process.env.SMTP_PLAIN",
        "host: 'h.example', secure: true",
        "host: 'h.example', secure: 'false'",
        'host: process.env.SMTP_HOST, port: process.env.SMTP_PORT',
        // The URL's query decides requireTLS; the option is not read.
        "url: 'smtp://h.example:587?requireTLS=true', requireTLS: process.env.X",
      ].map((options) => ({ text: transport(options), env: 'SMTP_SECURE=false\n' })),
      {
        name: 'a name assigned again after its declaration (it may hold a converted value)',
        code: script("const nodemailer = require('nodemailer');", 'let secure = process.env.SMTP_SECURE;', "secure = secure === 'true';", "nodemailer.createTransport({ host: 'h.example', secure });"),
      },
      // SMTP_SECURE in .env or compose `environment:` is read by the application, which converts it.
      {
        name: 'a compose environment: block',
        code: { file: '/app/docker-compose.yml', text: 'services:\n  app:\n    environment:\n      SMTP_HOST: smtp.example.com\n      SMTP_SECURE: "false"\n', env: 'SMTP_SECURE=false\n' },
      },
    ],
    invalid: [
      {
        name: 'secure: process.env.X, on the expression: "false" is truthy; the fix compares',
        code: { text: transport("host: 'smtp.example.com', port: 587, secure: process.env.SMTP_SECURE"), env: 'SMTP_SECURE=false\n' },
        findings: [
          {
            at: '2:85',
            text: 'process.env.SMTP_SECURE',
            severity: 'warning',
            message: [/secure is SMTP_SECURE as a string, so "false" means true/, /\(it is now\)/],
            related: [ENV],
            fixes: ["Compare: === 'true'"],
            output: /secure: process\.env\.SMTP_SECURE === 'true' \}\);/,
          },
        ],
      },
      {
        name: 'also when no .env file sets the variable (the code is wrong whatever the value)',
        code: transport("host: 'h.example', requireTLS: process.env['SMTP_REQUIRE_TLS']"),
        findings: [{ text: "process.env['SMTP_REQUIRE_TLS']", message: /requireTLS is .* as a string/, notMessage: /It is/, output: /requireTLS: process\.env\['SMTP_REQUIRE_TLS'\] === 'true' \}/ }],
      },
      {
        name: "verification kept on by default: tls.rejectUnauthorized gets !== 'false'",
        code: { text: transport("host: 'h.example', tls: { rejectUnauthorized: process.env.TLS_VERIFY }"), env: 'TLS_VERIFY=false\n' },
        findings: [{ text: 'process.env.TLS_VERIFY', message: /rejectUnauthorized is .* as a string/, output: /rejectUnauthorized: process\.env\.TLS_VERIFY !== 'false' \}/ }],
      },
      {
        name: 'ignoreTLS from import.meta.env',
        code: transport("host: 'h.example', ignoreTLS: import.meta.env.SMTP_IGNORE_TLS"),
        findings: [{ message: /ignoreTLS is .* as a string/, output: /ignoreTLS: import\.meta\.env\.SMTP_IGNORE_TLS === 'true' \}/ }],
      },
      {
        name: 'a shorthand name bound to the variable: the name fixed',
        code: script("const nodemailer = require('nodemailer');", 'const secure = process.env.SMTP_SECURE;', "nodemailer.createTransport({ host: 'h.example', secure });"),
        findings: [{ text: 'secure', output: /\{ host: 'h\.example', secure: secure === 'true' \}/ }],
      },
      {
        name: 'a name bound to the variable',
        code: script("const nodemailer = require('nodemailer');", 'const s = process.env.SMTP_SECURE;', "nodemailer.createTransport({ host: 'h.example', secure: s });"),
        findings: [{ output: /secure: s === 'true' \}/ }],
      },
      // TypeScript casts around the variable are dropped in the fix: a boolean compared with a string does not compile.
      {
        name: 'a TypeScript cast',
        code: { file: '/app/src/mail.ts', text: script("import nodemailer from 'nodemailer';", "nodemailer.createTransport({ host: 'h.example', secure: process.env.SMTP_SECURE as unknown as boolean });") },
        findings: [{ text: 'process.env.SMTP_SECURE as unknown as boolean', output: /secure: process\.env\.SMTP_SECURE === 'true' \}\);/ }],
      },
      {
        name: 'a TypeScript non-null assertion',
        code: { file: '/app/src/mail.ts', text: script("import nodemailer from 'nodemailer';", "nodemailer.createTransport({ host: 'h.example', ignoreTLS: process.env.IGNORE_TLS! });") },
        findings: [{ output: /ignoreTLS: process\.env\.IGNORE_TLS === 'true' \}\);/ }],
      },
      // A default, a string method, Boolean() or !! around the variable: reported without a fix.
      ...[
        'process.env.SMTP_SECURE || false',
        "process.env.SMTP_SECURE ?? 'false'",
        'process.env.SMTP_SECURE.trim()',
        'process.env.SMTP_SECURE?.toLowerCase()',
        'Boolean(process.env.SMTP_SECURE)',
        '!!process.env.SMTP_SECURE',
        '`${process.env.SMTP_SECURE}`',
      ].map((expr) => ({ name: `${expr}: no fix`, code: transport(`host: 'h.example', secure: ${expr}`), findings: [{ text: expr, fixes: [] }] })),
      {
        name: 'secure: ${SMTP_SECURE} in a YAML block with nodemailer keys, on the value, without a fix',
        code: { file: '/app/config/mail.yaml', text: 'mail:\n  host: smtp.example.com\n  port: 587\n  secure: ${SMTP_SECURE}\n', env: 'SMTP_SECURE=false\n' },
        findings: [{ at: '4:11', text: '${SMTP_SECURE}', message: /convert it where it is loaded/, fixes: [] }],
      },
    ],
  });
});
