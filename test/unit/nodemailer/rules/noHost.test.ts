import * as assert from 'assert';
import { noHost } from '../../../../src/core/nodemailer/rules/noHost';
import { applyFix, coveredText, where } from '../../helpers';
import { lintScript, transport } from './lintScript';

const lint = (text: string, env?: string) => lintScript(text, noHost, env);

describe('nodemailer/no-host', () => {
  it('flags options with no host, service or url on createTransport, with the localhost port nodemailer uses', () => {
    const text = transport("port: 587, auth: { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS }");
    const findings = lint(text);
    assert.deepStrictEqual(where(findings), ['2:22 nodemailer/no-host']);
    const [f] = findings;
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(coveredText(text, f), 'createTransport');
    assert.strictEqual(f.message, "No host, service or url: nodemailer connects to localhost:587; set host (or host: 'localhost' if meant).");
    assert.deepStrictEqual(f.fixes?.map((x) => x.title), ["Add host: 'localhost' (the server runs on this machine)"]);
    assert.strictEqual(f.fixes?.[0].preferred, undefined);
    assert.match(applyFix(text, f), /pass: process\.env\.SMTP_PASS \}, host: 'localhost' \}\);/);
  });

  it('uses port 465 when secure is set and nothing else, and a misspelt host key does not count', () => {
    const [a] = lint(transport('secure: true'));
    assert.ok(a);
    assert.match(a.message, /localhost:465/);
    const [b] = lint(transport("hostname: 'smtp.example.com', port: 587"));
    assert.ok(b);
    assert.strictEqual(b.message, 'No host: nodemailer ignores "hostname" and connects to localhost:587; rename it to host.');
  });

  it('follows spreads of constants written in the file', () => {
    const text = "import nodemailer from 'nodemailer';\nconst base = { port: 2525, pool: true };\nexport const t = nodemailer.createTransport({ ...base, secure: false });\n";
    assert.deepStrictEqual(where(lint(text)), ['3:29 nodemailer/no-host']);
    const withHost = "import nodemailer from 'nodemailer';\nconst base = { host: 'smtp.example.com' };\nexport const t = nodemailer.createTransport({ ...base, port: 587 });\n";
    assert.deepStrictEqual(lint(withHost), []);
  });

  it('says nothing when the options are not fully known', () => {
    for (const text of [
      // spread of something imported or computed
      "const nodemailer = require('nodemailer');\nconst cfg = require('./config');\nnodemailer.createTransport({ ...cfg.smtp, port: 587 });\n",
      // a base object that is changed later
      "const nodemailer = require('nodemailer');\nconst base = { port: 587 };\nbase.host = process.env.SMTP_HOST;\nnodemailer.createTransport({ ...base });\n",
      "const nodemailer = require('nodemailer');\nconst base = { port: 587 };\nObject.assign(base, loadHost());\nnodemailer.createTransport({ ...base });\n",
      // a parameter (the caller decides), even when a same-named constant exists elsewhere in the file
      "const nodemailer = require('nodemailer');\nfunction make(options) { return nodemailer.createTransport(options); }\nfunction other() { const options = { port: 587 }; return options; }\n",
      // computed keys and getters
      "const nodemailer = require('nodemailer');\nnodemailer.createTransport({ [key]: 'smtp.example.com', port: 587 });\n",
      "const nodemailer = require('nodemailer');\nnodemailer.createTransport({ get host() { return h; }, port: 587 });\n",
      "const nodemailer = require('nodemailer');\nnodemailer.createTransport(makeOptions());\n",
    ]) {
      assert.deepStrictEqual(lint(text), [], text);
    }
  });

  it('says nothing with a host, service, url, a ready socket, or a transport that does not speak SMTP', () => {
    for (const options of [
      "host: 'smtp.example.com'",
      'host: process.env.SMTP_HOST',
      "service: 'Gmail', auth: { user: 'u', pass: process.env.P }",
      "service: 'no-such-service'",
      "url: 'smtp://smtp.example.com:587'",
      'url: process.env.SMTP_URL',
      'connection: socket, port: 587',
      'getSocket: (options, cb) => cb(null, false)',
      'jsonTransport: true',
      'streamTransport: true, newline: "unix"',
      "sendmail: true, path: '/usr/sbin/sendmail'",
      'SES: { sesClient, SendEmailCommand }',
    ]) {
      assert.deepStrictEqual(lint(transport(options)), [], options);
    }
    const url = "const nodemailer = require('nodemailer');\nnodemailer.createTransport('smtp://smtp.example.com:587');\n";
    assert.deepStrictEqual(lint(url), []);
  });
});
