import * as assert from 'assert';
import { EnvResolver } from '../../../../src/core/nodemailer/envFiles';
import { extractConfigTransports } from '../../../../src/core/nodemailer/extractFromConfig';
import { lintTransports } from '../../../../src/core/nodemailer/lintTransports';
import { legacyCiphers } from '../../../../src/core/nodemailer/rules/legacyCiphers';
import { applyFix, coveredText, where } from '../../helpers';
import { lintScript, transport } from './lintScript';

const lint = (text: string, env?: string) => lintScript(text, legacyCiphers, env);

describe('nodemailer/legacy-ciphers', () => {
  it("flags the Outlook work-around tls: { ciphers: 'SSLv3' } on the value and removes it", () => {
    const text = [
      "const nodemailer = require('nodemailer');",
      'const transporter = nodemailer.createTransport({',
      "  host: 'smtp-mail.outlook.com',",
      '  port: 587,',
      '  tls: {',
      "    ciphers: 'SSLv3',",
      '  },',
      '});',
      '',
    ].join('\n');
    const findings = lint(text);
    assert.deepStrictEqual(where(findings), ['6:14 nodemailer/legacy-ciphers']);
    const [f] = findings;
    assert.strictEqual(f.severity, 'information');
    assert.strictEqual(coveredText(text, f), "'SSLv3'");
    assert.match(f.message, /is a copied work-around that only weakens or breaks TLS/);
    assert.deepStrictEqual(f.fixes?.map((x) => x.title), ['Remove ciphers']);
    assert.match(applyFix(text, f), /\n {2}tls: \{\n {2}\},\n/);
  });

  it('raises protocol pins that always fail to warnings', () => {
    const [a] = lint(transport("host: 'h.example', tls: { secureProtocol: 'SSLv3_method' }"));
    assert.ok(a);
    assert.strictEqual(a.severity, 'warning');
    assert.match(a.message, /is refused by Node before connecting/);
    const text = transport("host: 'h.example', tls: { secureProtocol: 'TLSv1_method', rejectUnauthorized: true }");
    const [b] = lint(text);
    assert.ok(b);
    assert.strictEqual(b.severity, 'warning');
    assert.match(applyFix(text, b), /tls: \{ rejectUnauthorized: true \}/);
    const [c] = lint(transport("host: 'h.example', tls: { maxVersion: 'TLSv1.1' }"));
    assert.ok(c);
    assert.strictEqual(c.severity, 'warning');
  });

  it("flags minVersion: 'TLSv1' as information, and SECLEVEL=0 without a fix", () => {
    const text = transport("host: 'h.example', tls: { minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' }");
    const findings = lint(text);
    assert.deepStrictEqual(findings.map((f) => [coveredText(text, f), f.severity, f.fixes?.length ?? 0]), [
      ["'DEFAULT:@SECLEVEL=0'", 'information', 0],
      ["'TLSv1'", 'information', 1],
    ]);
    assert.match(findings[1].message, /does nothing useful/);
    assert.match(applyFix(text, findings[1]), /tls: \{ ciphers: 'DEFAULT:@SECLEVEL=0' \}/);
  });

  it('works in YAML tls blocks too', () => {
    const yaml = 'smtp:\n  host: smtp.example.com\n  port: 587\n  tls:\n    ciphers: SSLv3\n    rejectUnauthorized: true\n';
    const [f] = lintTransports(extractConfigTransports({ file: '/app/mail.yaml', text: yaml }, new EnvResolver([])), [legacyCiphers]);
    assert.ok(f);
    assert.strictEqual(coveredText(yaml, f), 'SSLv3');
    assert.strictEqual(applyFix(yaml, f), 'smtp:\n  host: smtp.example.com\n  port: 587\n  tls:\n    rejectUnauthorized: true\n');
  });

  it('says nothing for modern settings or values from elsewhere', () => {
    for (const options of [
      "host: 'h.example', tls: { minVersion: 'TLSv1.2' }",
      "host: 'h.example', tls: { ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:HIGH:!aNULL' }",
      "host: 'h.example', tls: { secureProtocol: 'TLS_method' }",
      "host: 'h.example', tls: { secureProtocol: 'SSLv23_method' }",
      "host: 'h.example', tls: { maxVersion: 'TLSv1.3' }",
      "host: 'h.example', tls: { ciphers: process.env.SMTP_CIPHERS }",
      "host: 'h.example', ciphers: 'SSLv3'",
    ]) {
      assert.deepStrictEqual(lint(transport(options)), [], options);
    }
  });
});
