// Never invent a value: what no file states is unknown. Ports of flat settings, examples in .env templates,
// objects handed to code we do not read, and what is not SMTP at all (custom transports, other factories).
import * as assert from 'assert';
import { lintAppFiles } from '../../../../src/core/appLint';
import type { SourceFile } from '../../../../src/core/model';
import { collectLiveTargets } from '../../../../src/core/live/liveTargets';
import type { Outbound25Diagnosis } from '../../../../src/core/live/outbound25';
import type { ReportedEndpoint } from '../../../../src/core/report/reportInput';
import { formatText } from '../../../../src/core/report/text';

/** Endpoints as `file host:port security` (`?` for unknown), findings as `rule@line`, probes as host:port. */
function seen(files: readonly SourceFile[]) {
  const texts = new Map(files.map((f) => [f.file, f.text]));
  const r = lintAppFiles(files, undefined, (id) => (texts.has(id) ? { file: id, text: texts.get(id) as string } : undefined));
  return {
    endpoints: r.endpoints.map((e) => `${e.file} ${e.host ?? '?'}:${e.port ?? '?'} ${e.security}`),
    details: r.findings.map((f) => f.details ?? '').filter(Boolean),
    probes: collectLiveTargets([], r.endpoints, r.transports).probes.map((p) => `${p.host}:${p.port}`),
  };
}

const NM = "import nodemailer from 'nodemailer';\n";

describe('never invent a value', () => {
  describe('flat settings (.env, JSON, YAML) state no port unless they write one', () => {
    const cases: [string, string, string][] = [
      ['.env', 'SMTP_HOST=mail.example.com\n', '.env mail.example.com:? unknown'],
      ['.env', 'SMTP_HOST=mail.example.com\nSMTP_SECURE=true\n', '.env mail.example.com:? implicit-tls'],
      ['.env', 'SMTP_HOST=mail.example.com\nSMTP_PORT=\n', '.env mail.example.com:? unknown'],
      ['.env', 'SMTP_HOST=mail.example.com\nSMTP_PORT=2525\n', '.env mail.example.com:2525 starttls-opportunistic'],
      ['config/mail.json', '{ "smtp": { "host": "mail.example.com" } }', 'config/mail.json mail.example.com:? unknown'],
      ['config/mail.yml', 'smtp:\n  host: mail.example.com\n', 'config/mail.yml mail.example.com:? unknown'],
      // The scheme states it: smtps:// is TLS at connect on 465.
      ['config/mail.yml', 'smtp:\n  url: smtps://mail.example.com\n', 'config/mail.yml mail.example.com:465 implicit-tls'],
      ['config/mail.yml', 'smtp:\n  url: smtp://mail.example.com\n', 'config/mail.yml mail.example.com:? starttls-opportunistic'],
      ['config/mail.yml', 'smtp:\n  url: smtp://mail.example.com:2525\n', 'config/mail.yml mail.example.com:2525 starttls-opportunistic'],
    ];
    for (const [file, text, endpoint] of cases) {
      it(`${file}: ${JSON.stringify(text)} → ${endpoint}`, () => {
        const r = seen([{ file, text }]);
        assert.deepStrictEqual(r.endpoints, [endpoint]);
        // A port nothing states is never probed.
        assert.deepStrictEqual(r.probes, endpoint.includes(':?') ? [] : [endpoint.split(' ')[1]]);
      });
    }

    it('code still gets nodemailer\'s own default port: createTransport({ host }) connects to 587', () => {
      assert.deepStrictEqual(seen([{ file: 'a.js', text: NM + "nodemailer.createTransport({ host: 'mail.example.com' });\n" }]).endpoints, ['a.js mail.example.com:587 starttls-opportunistic']);
    });
  });

  describe('.env templates document variables, they do not set them', () => {
    const code = NM + 'nodemailer.createTransport({ host: process.env.MAIL_HOST, port: Number(process.env.MAIL_PORT), secure: false });\n';
    for (const template of ['.env.example', '.env.sample', '.env.template', 'example.env']) {
      it(`${template}: its value is an example in the details, never the endpoint`, () => {
        const r = seen([
          { file: 'app/mail.js', text: code },
          { file: `app/${template}`, text: 'MAIL_HOST=127.0.0.1\nMAIL_PORT=2500\nMAIL_PASSWORD=hunter2\n' },
        ]);
        assert.deepStrictEqual(r.endpoints, ['app/mail.js ?:? starttls-opportunistic']);
        assert.deepStrictEqual(r.probes, []);
        assert.ok(r.details.some((d) => d.includes(`example in ${template}: 127.0.0.1`)), JSON.stringify(r.details));
      });
    }

    it('a real .env wins, and a secret\'s example is never shown', () => {
      const r = seen([
        { file: 'app/mail.js', text: NM + 'nodemailer.createTransport({ host: process.env.MAIL_HOST, port: 25, secure: false, auth: { user: "u", pass: process.env.MAIL_PASSWORD } });\n' },
        { file: 'app/.env', text: 'MAIL_HOST=mail.example.com\n' },
        { file: 'app/.env.example', text: 'MAIL_HOST=127.0.0.1\nMAIL_PASSWORD=hunter2\n' },
      ]);
      assert.deepStrictEqual(r.endpoints, ['app/mail.js mail.example.com:25 starttls-opportunistic']);
      assert.ok(!JSON.stringify(r).includes('hunter2'));
    });

    it("the code's own default still applies: process.env.MAIL_HOST || 'localhost'", () => {
      const r = seen([
        { file: 'mail.js', text: NM + "nodemailer.createTransport({ host: process.env.MAIL_HOST || 'smtp.example.org', port: 465 });\n" },
        { file: '.env.example', text: 'MAIL_HOST=127.0.0.1\n' },
      ]);
      assert.deepStrictEqual(r.endpoints, ['mail.js smtp.example.org:465 implicit-tls']);
    });
  });

  describe('options that code we do not read may change: what they leave out is unknown', () => {
    const cases: [string, SourceFile[]][] = [
      ['handed to a function before use', [{ file: 'a.js', text: NM + 'const cfg = { mail: {} };\nloadConfig(cfg);\nnodemailer.createTransport({ ...cfg.mail, port: 25 });\n' }]],
      ['a member handed to a function', [{ file: 'a.js', text: NM + 'const cfg = { mail: {} };\nmerge(cfg.mail, overrides);\nnodemailer.createTransport({ ...cfg.mail, port: 25 });\n' }]],
      ['passed to a constructor', [{ file: 'a.js', text: NM + 'const base = {};\nnew Loader(base);\nnodemailer.createTransport({ ...base, port: 25 });\n' }]],
      ['a key another module does not write', [{ file: 'a.js', text: NM + "import cfg from './cfg';\nnodemailer.createTransport({ ...cfg.mail, port: 25 });\n" }, { file: 'cfg.js', text: 'export default { other: 1 };\n' }]],
      ['a key a JSON module does not have', [{ file: 'a.js', text: NM + "const cfg = require('./cfg.json');\nnodemailer.createTransport({ ...cfg.mail, port: 25 });\n" }, { file: 'cfg.json', text: '{ "other": 1 }' }]],
    ];
    for (const [what, files] of cases) {
      it(`${what}: host unknown, not localhost`, () => {
        const r = seen(files);
        assert.strictEqual(r.endpoints.length, 1);
        assert.match(r.endpoints[0], /^a\.js \?:/);
        assert.deepStrictEqual(r.probes, []);
      });
    }

    it('logging or serialising the options changes nothing: still known in full', () => {
      const r = seen([{ file: 'a.js', text: NM + "const o = { host: 'mail.example.com', port: 2525 };\nconsole.log(o);\nJSON.stringify(o);\nnodemailer.createTransport({ ...o });\n" }]);
      assert.deepStrictEqual(r.endpoints, ['a.js mail.example.com:2525 starttls-opportunistic']);
    });

    it('handing a string member to a function changes nothing: `assert(o.host)` keeps it known', () => {
      const r = seen([{ file: 'a.js', text: NM + "const o = { host: 'mail.example.com', port: 2525 };\nassert(o.host);\ncheckPort(o.port);\nnodemailer.createTransport(o);\n" }]);
      assert.deepStrictEqual(r.endpoints, ['a.js mail.example.com:2525 starttls-opportunistic']);
    });

    it('a call after the transport is made does not reach back', () => {
      const r = seen([{ file: 'a.js', text: NM + "const o = { host: 'mail.example.com', port: 2525 };\nnodemailer.createTransport(o);\nsave(o);\n" }]);
      assert.deepStrictEqual(r.endpoints, ['a.js mail.example.com:2525 starttls-opportunistic']);
    });
  });

  describe('transports picked at run time, and transports that are not SMTP', () => {
    it("a factory chosen at run time (`provider ?? createTransport`) is followed; its jsonTransport call is not SMTP", () => {
      const text = `import { createTransport } from 'nodemailer';
export class EmailService {
  constructor(email, transportProvider) {
    const provider = transportProvider ? transportProvider : createTransport;
    if (email.host === 'test') this.mailer = provider({ jsonTransport: true });
    else this.mailer = provider({ host: email.host, port: email.port, secure: email.secure, ...email.transportOptions });
  }
}
`;
      assert.deepStrictEqual(seen([{ file: 'email-service.ts', text }]).endpoints, ['email-service.ts ?:? unknown']);
    });

    for (const [what, text] of [
      ['an alias', "const nodemailer = require('nodemailer');\nconst make = nodemailer.createTransport;\nmake({ host: 'mail.example.com', port: 25 });\n"],
      ['a default', "import { createTransport } from 'nodemailer';\nexport function build(factory) { const f = factory || createTransport; return f({ host: 'mail.example.com', port: 25 }); }\n"],
      ['a bound copy', "import nodemailer from 'nodemailer';\nconst make = nodemailer.createTransport.bind(nodemailer);\nmake({ host: 'mail.example.com', port: 25 });\n"],
    ]) {
      it(`createTransport through ${what}`, () => {
        assert.deepStrictEqual(seen([{ file: 'a.js', text }]).endpoints, ['a.js mail.example.com:25 starttls-opportunistic']);
      });
    }

    const transportClass = 'export class MailChannelsTransport {\n  static makeTransport(options) { return new MailChannelsTransport(options); }\n  send(mail, callback) {}\n}\n';
    const cases: [string, SourceFile[]][] = [
      ['a static factory of a workspace class with send()', [{ file: 'm.ts', text: "import { createTransport } from 'nodemailer';\nimport { MailChannelsTransport } from './transports/mailchannels';\nexport const t = createTransport(MailChannelsTransport.makeTransport({ apiKey: 'k', endpoint: 'https://api.example.com/send' }));\n" }, { file: 'transports/mailchannels.ts', text: transportClass }]],
      ['an instance of a class in the same file', [{ file: 'm.ts', text: "import { createTransport } from 'nodemailer';\n" + transportClass.replace('export ', '') + 'export const t = createTransport(MailChannelsTransport.makeTransport({}));\n' }]],
      ['a default-exported class', [{ file: 'm.js', text: "const nodemailer = require('nodemailer');\nconst Custom = require('./custom');\nnodemailer.createTransport(new Custom({ host: 'api.example.com' }));\nnodemailer.createTransport(Custom.create());\n" }, { file: 'custom.js', text: 'class Custom { send(mail, cb) {} static create() { return new Custom(); } }\nmodule.exports = Custom;\n' }]],
    ];
    for (const [what, files] of cases) {
      it(`${what}: no endpoint`, () => {
        assert.deepStrictEqual(seen(files).endpoints, []);
      });
    }

    it('a workspace function that builds options (no send()) is still an SMTP transport, with unknown values', () => {
      const r = seen([
        { file: 'm.js', text: "const nodemailer = require('nodemailer');\nconst { smtpOptions } = require('./options');\nnodemailer.createTransport(smtpOptions());\n" },
        { file: 'options.js', text: 'exports.smtpOptions = () => ({ host: process.env.H });\n' },
      ]);
      assert.deepStrictEqual(r.endpoints, ['m.js ?:? unknown']);
    });
  });

  it('the text report says which endpoints a live run left alone because their host or port is unknown', () => {
    const endpoint = { host: 'mail.example.com', port: undefined, security: 'unknown', authPresent: false, file: '.env', line: 1, source: 'env', env: [] } as unknown as ReportedEndpoint;
    const outbound25: Outbound25Diagnosis = { host: 'mx.example.com', verdict: 'host-down', summary: 'Nothing answers.', recommendation: 'Check the host.', evidence: [] };
    const live = formatText({ findings: [], endpoints: [endpoint], checkedFiles: 1, live: { probes: [], mx: [], ptr: [], outbound25: [outbound25] } });
    assert.match(live, /mail\.example\.com:\(unresolved port\)/);
    assert.match(live, /1 endpoint not probed: host or port unknown until the program runs\./);
    assert.doesNotMatch(formatText({ findings: [], endpoints: [endpoint], checkedFiles: 1 }), /not probed/);
  });
});
