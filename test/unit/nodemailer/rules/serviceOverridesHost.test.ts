import * as assert from 'assert';
import { EnvResolver, parseEnvFile } from '../../../../src/core/nodemailer/envFiles';
import { extractConfigTransports } from '../../../../src/core/nodemailer/extractFromConfig';
import { extractEnvTransports } from '../../../../src/core/nodemailer/extractFromEnvFile';
import { lintTransports } from '../../../../src/core/nodemailer/lintTransports';
import { serviceOverridesHost } from '../../../../src/core/nodemailer/rules/serviceOverridesHost';
import { applyFix, coveredText, where } from '../../helpers';
import { ENV, lintScript, transport } from './lintScript';

const lint = (text: string, env?: string) => lintScript(text, serviceOverridesHost, env);

describe('nodemailer/service-overrides-host', () => {
  it('flags service with a port and secure the service overrides, on service, and removes them', () => {
    const text = transport("service: 'gmail', port: 587, secure: false, auth: { user: 'me@gmail.com', pass: process.env.P }");
    const findings = lint(text);
    assert.deepStrictEqual(where(findings), ['2:49 nodemailer/service-overrides-host']);
    const [f] = findings;
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(coveredText(text, f), "'gmail'");
    assert.match(f.message, /service: "gmail" overrides/);
    assert.match(f.message, /overrides port 587, secure false \(mail goes to smtp\.gmail\.com:465\)/);
    assert.deepStrictEqual(
      f.related?.map((r) => [coveredText(text, { ...f, range: r.range }), r.message]),
      [
        ['587', 'ignored: Gmail sets port 465'],
        ['false', 'ignored: Gmail sets secure true'],
      ],
    );
    // No host written: removing the service would send to localhost, so that is not offered.
    assert.deepStrictEqual(f.fixes?.map((x) => x.title), ['Remove port, secure (Gmail decides)']);
    assert.strictEqual(
      applyFix(text, f),
      "const nodemailer = require('nodemailer');\nconst t = nodemailer.createTransport({ service: 'gmail', auth: { user: 'me@gmail.com', pass: process.env.P } });\n",
    );
  });

  it('offers removing the service when a host is written, and handles one option per line', () => {
    const text = [
      "import nodemailer from 'nodemailer';",
      'export const mailer = nodemailer.createTransport({',
      "  service: 'SendGrid',",
      "  host: 'smtp.eu.sendgrid.net', // EU data residency",
      '  port: 587,',
      "  auth: { user: 'apikey', pass: process.env.SENDGRID_API_KEY },",
      '});',
      '',
    ].join('\n');
    const [f] = lint(text);
    assert.ok(f);
    assert.match(f.message, /host "smtp\.eu\.sendgrid\.net" \(mail goes to smtp\.sendgrid\.net:587\)/);
    assert.deepStrictEqual(f.fixes?.map((x) => x.title), ['Remove host (SendGrid decides)', 'Remove service (use the host, port and secure written here)']);
    assert.doesNotMatch(applyFix(text, f), /smtp\.eu\.sendgrid\.net|EU data/);
    assert.match(applyFix(text, f), /\{\n  service: 'SendGrid',\n  port: 587,\n  auth:/);
    assert.match(applyFix(text, f, 'Remove service (use the host, port and secure written here)'), /\{\n  host: 'smtp\.eu\.sendgrid\.net', \/\/ EU data residency\n  port: 587,/);
  });

  it('names an ignored value from .env and links it; the service from .env is linked too', () => {
    const text = transport('service: process.env.MAIL_SERVICE, host: process.env.SMTP_HOST');
    const [f] = lint(text, 'MAIL_SERVICE=Mailgun\nSMTP_HOST=smtp.eu.mailgun.org\n');
    assert.ok(f);
    assert.strictEqual(coveredText(text, f), 'process.env.MAIL_SERVICE');
    assert.match(f.message, /service: "Mailgun" \(from MAIL_SERVICE\)/);
    assert.match(f.message, /host "smtp\.eu\.mailgun\.org" from SMTP_HOST/);
    assert.deepStrictEqual(f.related?.map((r) => r.file), ['/app/src/mail.js', ENV]);
    // The properties are written in the code, whatever their values: they can go.
    assert.match(applyFix(text, f), /\{ service: process\.env\.MAIL_SERVICE \}/);
  });

  it('reports a host from an unset variable: it is ignored whatever it will be', () => {
    const [f] = lint(transport("service: 'Gmail', host: process.env.NOT_SET"));
    assert.ok(f);
    assert.match(f.message, /host \(whatever it is set to\) from NOT_SET/);
  });

  it('works in YAML blocks and .env families, removing whole lines', () => {
    const yaml = 'mail:\n  service: Gmail\n  port: 587 # submission\n  auth:\n    user: me@gmail.com\n';
    const resolver = new EnvResolver([]);
    const [y] = lintTransports(extractConfigTransports({ file: '/app/mail.yaml', text: yaml }, resolver), [serviceOverridesHost]);
    assert.ok(y);
    assert.strictEqual(coveredText(yaml, y), 'Gmail');
    assert.strictEqual(applyFix(yaml, y), 'mail:\n  service: Gmail\n  auth:\n    user: me@gmail.com\n');

    const json = '{\n  "smtp": {\n    "host": "smtp.example.com",\n    "service": "Gmail"\n  }\n}\n';
    const [j] = lintTransports(extractConfigTransports({ file: '/app/mail.json', text: json }, resolver), [serviceOverridesHost]);
    assert.ok(j);
    assert.strictEqual(applyFix(json, j, 'Remove service (use the host, port and secure written here)'), '{\n  "smtp": {\n    "host": "smtp.example.com"\n  }\n}\n');
    assert.strictEqual(applyFix(json, j), '{\n  "smtp": {\n    "service": "Gmail"\n  }\n}\n');

    const envText = 'SMTP_SERVICE=gmail\nSMTP_HOST=smtp.example.com\nSMTP_PORT=2525\n';
    const env = parseEnvFile({ file: ENV, text: envText });
    const [e] = lintTransports(extractEnvTransports({ file: ENV, text: envText }, env), [serviceOverridesHost]);
    assert.ok(e);
    assert.strictEqual(applyFix(envText, e), 'SMTP_SERVICE=gmail\n');
    assert.strictEqual(applyFix(envText, e, 'Remove service (use the host, port and secure written here)'), 'SMTP_HOST=smtp.example.com\nSMTP_PORT=2525\n');
  });

  it('says nothing for the same values, options the service leaves alone, unknown or unresolved services', () => {
    for (const options of [
      "service: 'Gmail'",
      "service: 'Gmail', host: 'SMTP.gmail.com', port: 465, secure: true",
      // AOL sets no `secure`: the option is used (nodemailer/secure-port-mismatch judges it).
      "service: 'AOL', secure: false",
      "service: 'no-such-service', host: 'smtp.example.com', port: 587",
      "service: process.env.NOT_SET, host: 'smtp.example.com'",
      "host: 'smtp.gmail.com', port: 587",
    ]) {
      assert.deepStrictEqual(lint(transport(options)), [], options);
    }
  });
});
