import * as assert from 'assert';
import { EnvResolver, parseEnvFile } from '../../../../src/core/nodemailer/envFiles';
import { extractConfigTransports } from '../../../../src/core/nodemailer/extractFromConfig';
import { lintTransports } from '../../../../src/core/nodemailer/lintTransports';
import { envBooleanString } from '../../../../src/core/nodemailer/rules/envBooleanString';
import { applyFix, coveredText, where } from '../../helpers';
import { ENV, lintScript, transport } from './lintScript';

const lint = (text: string, env?: string) => lintScript(text, envBooleanString, env);

describe('nodemailer/env-boolean-string', () => {
  it('flags secure: process.env.X on the expression, says "false" is truthy, and compares', () => {
    const text = transport("host: 'smtp.example.com', port: 587, secure: process.env.SMTP_SECURE");
    const findings = lint(text, 'SMTP_SECURE=false\n');
    assert.deepStrictEqual(where(findings), ['2:85 nodemailer/env-boolean-string']);
    const [f] = findings;
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(coveredText(text, f), 'process.env.SMTP_SECURE');
    assert.match(f.message, /secure is SMTP_SECURE as a string, so "false" means true/);
    assert.match(f.message, /\(it is now\)/);
    assert.deepStrictEqual(f.related?.map((r) => r.file), [ENV]);
    assert.deepStrictEqual(f.fixes?.map((x) => x.title), ["Compare: === 'true'"]);
    assert.match(applyFix(text, f), /secure: process\.env\.SMTP_SECURE === 'true' \}\);/);
  });

  it('also when no .env file sets the variable (the code is wrong whatever the value)', () => {
    const text = transport("host: 'h.example', requireTLS: process.env['SMTP_REQUIRE_TLS']");
    const [f] = lint(text);
    assert.ok(f);
    assert.strictEqual(coveredText(text, f), "process.env['SMTP_REQUIRE_TLS']");
    assert.match(f.message, /requireTLS is .* as a string/);
    assert.doesNotMatch(f.message, /It is/);
    assert.match(applyFix(text, f), /requireTLS: process\.env\['SMTP_REQUIRE_TLS'\] === 'true' \}/);
  });

  it("keeps verification on by default: tls.rejectUnauthorized gets !== 'false'", () => {
    const text = transport("host: 'h.example', tls: { rejectUnauthorized: process.env.TLS_VERIFY }");
    const [f] = lint(text, 'TLS_VERIFY=false\n');
    assert.ok(f);
    assert.strictEqual(coveredText(text, f), 'process.env.TLS_VERIFY');
    assert.match(f.message, /rejectUnauthorized is .* as a string/);
    assert.match(applyFix(text, f), /rejectUnauthorized: process\.env\.TLS_VERIFY !== 'false' \}/);
  });

  it('flags ignoreTLS from import.meta.env, and a name bound to the variable (fixing the name)', () => {
    const meta = transport("host: 'h.example', ignoreTLS: import.meta.env.SMTP_IGNORE_TLS");
    const [a] = lint(meta);
    assert.ok(a);
    assert.match(a.message, /ignoreTLS is .* as a string/);
    assert.match(applyFix(meta, a), /ignoreTLS: import\.meta\.env\.SMTP_IGNORE_TLS === 'true' \}/);

    const bound = "const nodemailer = require('nodemailer');\nconst secure = process.env.SMTP_SECURE;\nnodemailer.createTransport({ host: 'h.example', secure });\n";
    const [b] = lint(bound);
    assert.ok(b);
    assert.strictEqual(coveredText(bound, b), 'secure');
    assert.match(applyFix(bound, b), /\{ host: 'h\.example', secure: secure === 'true' \}/);

    const named = "const nodemailer = require('nodemailer');\nconst s = process.env.SMTP_SECURE;\nnodemailer.createTransport({ host: 'h.example', secure: s });\n";
    const [c] = lint(named);
    assert.ok(c);
    assert.match(applyFix(named, c), /secure: s === 'true' \}/);
  });

  it('drops TypeScript casts around the variable in the fix (a boolean compared with a string does not compile)', () => {
    const text = "import nodemailer from 'nodemailer';\nnodemailer.createTransport({ host: 'h.example', secure: process.env.SMTP_SECURE as unknown as boolean });\n";
    const [f] = lintScript(text, envBooleanString, undefined, '/app/src/mail.ts');
    assert.ok(f);
    assert.strictEqual(coveredText(text, f), 'process.env.SMTP_SECURE as unknown as boolean');
    assert.match(applyFix(text, f), /secure: process\.env\.SMTP_SECURE === 'true' \}\);/);
    const bang = "import nodemailer from 'nodemailer';\nnodemailer.createTransport({ host: 'h.example', ignoreTLS: process.env.IGNORE_TLS! });\n";
    const [g] = lintScript(bang, envBooleanString, undefined, '/app/src/mail.ts');
    assert.ok(g);
    assert.match(applyFix(bang, g), /ignoreTLS: process\.env\.IGNORE_TLS === 'true' \}\);/);
  });

  it('reports a default, a string method, Boolean() or !! around the variable without a fix', () => {
    for (const expr of [
      'process.env.SMTP_SECURE || false',
      "process.env.SMTP_SECURE ?? 'false'",
      'process.env.SMTP_SECURE.trim()',
      'process.env.SMTP_SECURE?.toLowerCase()',
      'Boolean(process.env.SMTP_SECURE)',
      '!!process.env.SMTP_SECURE',
      '`${process.env.SMTP_SECURE}`',
    ]) {
      const text = transport(`host: 'h.example', secure: ${expr}`);
      const findings = lint(text);
      assert.strictEqual(findings.length, 1, expr);
      assert.strictEqual(coveredText(text, findings[0]), expr, expr);
      assert.strictEqual(findings[0].fixes, undefined, expr);
    }
  });

  it('says nothing when the code compares or converts, or the value is not from the environment', () => {
    for (const options of [
      "host: 'h.example', secure: process.env.SMTP_SECURE === 'true'",
      "host: 'h.example', secure: process.env.SMTP_SECURE !== 'false'",
      "host: 'h.example', secure: process.env.SMTP_SECURE && process.env.SMTP_SECURE === 'true'",
      "host: 'h.example', secure: Number(process.env.SMTP_PORT) === 465",
      "host: 'h.example', secure: JSON.parse(process.env.SMTP_SECURE)",
      "host: 'h.example', secure: toBool(process.env.SMTP_SECURE)",
      "host: 'h.example', secure: !process.env.SMTP_PLAIN",
      "host: 'h.example', secure: true",
      "host: 'h.example', secure: 'false'",
      "host: process.env.SMTP_HOST, port: process.env.SMTP_PORT",
      // The URL's query decides requireTLS; the option is not read.
      "url: 'smtp://h.example:587?requireTLS=true', requireTLS: process.env.X",
    ]) {
      assert.deepStrictEqual(lint(transport(options), 'SMTP_SECURE=false\n'), [], options);
    }
  });

  it('says nothing for a name assigned again after its declaration (it may hold a converted value)', () => {
    const text = "const nodemailer = require('nodemailer');\nlet secure = process.env.SMTP_SECURE;\nsecure = secure === 'true';\nnodemailer.createTransport({ host: 'h.example', secure });\n";
    assert.deepStrictEqual(lint(text), []);
  });

  it('flags secure: ${SMTP_SECURE} in a YAML block with nodemailer keys, on the value, without a fix', () => {
    const yaml = 'mail:\n  host: smtp.example.com\n  port: 587\n  secure: ${SMTP_SECURE}\n';
    const resolver = new EnvResolver([parseEnvFile({ file: '/app/.env', text: 'SMTP_SECURE=false\n' })]);
    const findings = lintTransports(extractConfigTransports({ file: '/app/config/mail.yaml', text: yaml }, resolver), [envBooleanString]);
    assert.deepStrictEqual(where(findings), ['4:11 nodemailer/env-boolean-string']);
    assert.strictEqual(coveredText(yaml, findings[0]), '${SMTP_SECURE}');
    assert.match(findings[0].message, /convert it where it is loaded/);
    assert.strictEqual(findings[0].fixes, undefined);
    // SMTP_SECURE in .env or compose `environment:` is read by the application, which converts it.
    const compose = 'services:\n  app:\n    environment:\n      SMTP_HOST: smtp.example.com\n      SMTP_SECURE: "false"\n';
    assert.deepStrictEqual(lintTransports(extractConfigTransports({ file: '/app/docker-compose.yml', text: compose }, resolver), [envBooleanString]), []);
  });
});
