import { legacyOption } from '../../../../../src/core/sources/app/rules/legacyOption';
import { testTransportRule } from '../../../ruleTester';
import { transport } from './transportCode';

/** A pattern that matches `text` as it is written. */
const literally = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
/** A misspelt or mapped option, renamed by the fix. */
const renamed = (written: string, fixed: string) => ({ name: `${written} becomes ${fixed}`, code: transport(`port: 587, ${written}`), findings: [{ output: literally(`port: 587, ${fixed} }`) }] });

describe('nodemailer/legacy-option', () => {
  testTransportRule(legacyOption, {
    valid: [
      {
        name: 'the options nodemailer reads',
        code: transport(
          "host: 'h.example', port: 587, secure: false, requireTLS: true, ignoreTLS: false, servername: 'h.example', name: 'app.example', " +
            "auth: { type: 'OAuth2', user: 'me', clientId: 'id', clientSecret: process.env.S, refreshToken: process.env.R }, tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2' }, " +
            'pool: true, maxConnections: 5, connectionTimeout: 10000, logger: true, debug: false',
        ),
      },
      { name: 'a config file the application maps', code: { file: '/app/config.yaml', text: 'smtp:\n  host: smtp.example.com\n  port: 587\n  ssl: false\n  username: me\n' } },
    ],
    invalid: [
      {
        name: 'nodemailer 0.x secureConnection, on its name, renamed to secure',
        code: [
          "const nodemailer = require('nodemailer');",
          'const transporter = nodemailer.createTransport({',
          "  host: 'smtp.163.com',",
          '  secureConnection: true, // use SSL',
          '  port: 465,',
          '});',
          '',
        ].join('\n'),
        findings: [
          {
            at: '4:3',
            text: 'secureConnection',
            severity: 'warning',
            message: [/nodemailer ignores secureConnection; use secure/, /use secure: true instead\./],
            fixes: ['Rename to secure'],
            output: /\n {2}secure: true, \/\/ use SSL\n/,
          },
        ],
      },
      {
        name: 'the old name removed when the current one is already set',
        code: transport("host: 'h.example', secure: true, secureConnection: true"),
        findings: [{ message: /secure is already set, so remove secureConnection/, fixes: ['Remove secureConnection (secure is already set)'], output: /\{ host: 'h\.example', secure: true \}\);/ }],
      },
      {
        name: 'quoted keys renamed inside the quotes, auth.password / auth.username inside auth',
        code: transport("host: 'h.example', 'ssl': true, auth: { username: 'me', password: process.env.SMTP_PASSWORD }"),
        findings: [
          { text: 'ssl', message: /nodemailer ignores ssl; use secure/, output: /'secure': true/ },
          { text: 'username', output: /auth: \{ user: 'me',/ },
          // The value is never quoted (it is a password).
          { text: 'password', output: /pass: process\.env\.SMTP_PASSWORD \}/, notMessage: /SMTP_PASSWORD|process/ },
        ],
      },
      {
        name: 'tls: true (emailjs STARTTLS), renamed to requireTLS',
        code: transport("host: 'h.example', port: 587, tls: true"),
        findings: [{ text: 'tls', message: /nodemailer ignores tls; use requireTLS/, output: /port: 587, requireTLS: true \}/ }],
      },
      { name: 'tls: false, without a fix', code: transport("host: 'h.example', tls: false"), findings: [{ fixes: [] }] },
      // The spelling of requireTLS / ignoreTLS, starttls mapped to requireTLS.
      renamed('requireTls: true', 'requireTLS: true'),
      renamed('startTLS: true', 'requireTLS: true'),
      renamed('ignoreTls: true', 'ignoreTLS: true'),
      renamed('hostname: "smtp.example.com"', 'host: "smtp.example.com"'),
      {
        name: 'a login or TLS settings outside auth / tls, without a fix',
        code: transport("host: 'h.example', user: 'me', pass: process.env.P, rejectUnauthorized: false"),
        findings: [
          { text: 'user', message: /put the login in auth: \{ user, pass \}/, fixes: [] },
          { text: 'pass', fixes: [] },
          { text: 'rejectUnauthorized', message: /move it into tls: \{ \.\.\. \}/, fixes: [] },
        ],
      },
      {
        name: 'the old XOAuth2 object, once',
        code: transport("service: 'Gmail', auth: { XOAuth2: { user: 'me@gmail.com', clientId: 'id', refreshToken: process.env.T } }"),
        findings: [{ message: [/nodemailer ignores auth\.XOAuth2; use auth: \{ type: 'OAuth2'/, /type: 'OAuth2'/] }],
      },
      {
        name: 'renamed inside an options object cast with `as` (TypeScript)',
        code: { file: '/app/src/mail.ts', text: "import nodemailer from 'nodemailer';\nnodemailer.createTransport({ host: 'h.example', secureConnection: true } as SMTPTransport.Options);\n" },
        findings: [{ output: /\{ host: 'h\.example', secure: true \} as SMTPTransport\.Options/ }],
      },
      {
        name: 'nothing renamed in a shared base object or a shorthand property, but still reported',
        code: "const nodemailer = require('nodemailer');\nconst base = { secureConnection: true };\nconst ssl = true;\nnodemailer.createTransport({ ...base, host: 'h.example', ssl });\n",
        findings: [{ fixes: [] }, { fixes: [] }],
      },
    ],
  });
});
