import { legacyCiphers } from '../../../../../src/core/sources/app/rules/legacyCiphers';
import { testTransportRule } from '../../../ruleTester';
import { transport } from './transportCode';

describe('nodemailer/legacy-ciphers', () => {
  testTransportRule(legacyCiphers, {
    // Modern settings or values from elsewhere.
    valid: [
      "host: 'h.example', tls: { minVersion: 'TLSv1.2' }",
      "host: 'h.example', tls: { ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:HIGH:!aNULL' }",
      "host: 'h.example', tls: { secureProtocol: 'TLS_method' }",
      "host: 'h.example', tls: { secureProtocol: 'SSLv23_method' }",
      "host: 'h.example', tls: { maxVersion: 'TLSv1.3' }",
      "host: 'h.example', tls: { ciphers: process.env.SMTP_CIPHERS }",
      "host: 'h.example', ciphers: 'SSLv3'",
    ].map(transport),
    invalid: [
      {
        name: "the Outlook work-around tls: { ciphers: 'SSLv3' }, on the value, removed",
        code: [
          "const nodemailer = require('nodemailer');",
          'const transporter = nodemailer.createTransport({',
          "  host: 'smtp-mail.outlook.com',",
          '  port: 587,',
          '  tls: {',
          "    ciphers: 'SSLv3',",
          '  },',
          '});',
          '',
        ].join('\n'),
        findings: [
          {
            at: '6:14',
            text: "'SSLv3'",
            severity: 'information',
            message: /is a copied work-around that only weakens or breaks TLS/,
            fixes: ['Remove ciphers'],
            output: /\n {2}tls: \{\n {2}\},\n/,
          },
        ],
      },
      // Protocol pins that always fail are warnings.
      { name: 'secureProtocol SSLv3_method', code: transport("host: 'h.example', tls: { secureProtocol: 'SSLv3_method' }"), findings: [{ severity: 'warning', message: /is refused by Node before connecting/ }] },
      {
        name: 'secureProtocol TLSv1_method',
        code: transport("host: 'h.example', tls: { secureProtocol: 'TLSv1_method', rejectUnauthorized: true }"),
        findings: [{ severity: 'warning', output: /tls: \{ rejectUnauthorized: true \}/ }],
      },
      { name: 'maxVersion TLSv1.1', code: transport("host: 'h.example', tls: { maxVersion: 'TLSv1.1' }"), findings: [{ severity: 'warning' }] },
      {
        name: "minVersion: 'TLSv1' as information, and SECLEVEL=0 without a fix",
        code: transport("host: 'h.example', tls: { minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' }"),
        findings: [
          { text: "'DEFAULT:@SECLEVEL=0'", severity: 'information', fixes: [] },
          { text: "'TLSv1'", severity: 'information', fixes: ['Remove minVersion'], message: /does nothing useful/, output: /tls: \{ ciphers: 'DEFAULT:@SECLEVEL=0' \}/ },
        ],
      },
      {
        name: 'a YAML tls block',
        code: { file: '/app/mail.yaml', text: 'smtp:\n  host: smtp.example.com\n  port: 587\n  tls:\n    ciphers: SSLv3\n    rejectUnauthorized: true\n' },
        findings: [{ text: 'SSLv3', output: 'smtp:\n  host: smtp.example.com\n  port: 587\n  tls:\n    rejectUnauthorized: true\n' }],
      },
    ],
  });
});
