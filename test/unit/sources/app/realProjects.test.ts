// The classes of mistakes found on real projects (issue 14), each with its own minimal fixture: files in,
// endpoints and findings out, through lintAppFiles (the editor's path) or the CLI's streamed check.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lintAppFiles } from '../../../../src/core/appLint';
import { checkStreamed } from '../../../../src/core/check';
import { diskModuleLoader, readCandidate, scanWorkspace } from '../../../../src/core/fileWalk';
import type { Endpoint, SourceFile } from '../../../../src/core/model';
import { parseProjectConfig } from '../../../../src/core/projectConfig';
import { capTestSeverity } from '../../../../src/core/testScope';

const files = (map: Record<string, string>): SourceFile[] => Object.entries(map).map(([file, text]) => ({ file, text }));
const ends = (eps: readonly Endpoint[]) => eps.map((e) => `${e.file}:${e.range.start.line + 1} ${e.host ?? '?'}:${e.port ?? '?'} ${e.security}`);
const lint = (map: Record<string, string>) => lintAppFiles(files(map));
const rules = (map: Record<string, string>) => lint(map).findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}:${f.range.start.line + 1}`);
const NM = "const nodemailer = require('nodemailer');\n";

describe('real projects (issue 14)', () => {
  describe('1. never invent an endpoint', () => {
    it('options from a parameter, a require, a call or an unknown spread: unknown parts stay unknown, no no-host', () => {
      for (const code of [
        'function make(opts) { return nodemailer.createTransport(opts); }\n',
        "nodemailer.createTransport(require('some-config').smtp);\n",
        'nodemailer.createTransport(pick(cfg, ["host", "port"]));\n',
        'function make(options) { return nodemailer.createTransport({ ...options, pool: true }); }\n',
      ]) {
        const r = lint({ '/a/mail.js': NM + code });
        assert.deepStrictEqual(ends(r.endpoints), ['/a/mail.js:2 ?:? unknown'], code);
        assert.deepStrictEqual(r.findings.filter((f) => f.ruleId === 'nodemailer/no-host'), [], code);
      }
    });

    it('an unknown spread may set anything: even keys written after it (its url would override them)', () => {
      const r = lint({ '/a/mail.js': NM + "function f(base) { return nodemailer.createTransport({ host: 'a.example.com', ...base, port: 2525 }); }\n" });
      assert.deepStrictEqual(ends(r.endpoints), ['/a/mail.js:2 ?:? unknown']);
    });
  });

  describe('2. follow real code', () => {
    it('options built step by step, with Object.assign and a reassignment', () => {
      const code =
        NM +
        "const o = {};\no.host = 'smtp.example.com';\no.port = 465;\nObject.assign(o, { secure: true });\nlet p = { ...o };\np = { ...p, auth: { user: 'u', pass: process.env.P } };\nnodemailer.createTransport(p);\n";
      assert.deepStrictEqual(ends(lint({ '/a/mail.js': code }).endpoints), ['/a/mail.js:8 smtp.example.com:465 implicit-tls']);
    });

    it('a change under a condition makes the key unknown', () => {
      const code = NM + "const o = { host: 'smtp.example.com', port: 587 };\nif (process.env.TLS) o.port = 465;\nnodemailer.createTransport(o);\n";
      assert.deepStrictEqual(ends(lint({ '/a/mail.js': code }).endpoints), ['/a/mail.js:4 smtp.example.com:? unknown']);
    });

    it('options imported from another module are followed, and its hard-coded password is found there', () => {
      const r = lint({
        '/a/src/mail.ts': "import nodemailer from 'nodemailer';\nimport cfg from './mailConfig';\nexport const t = nodemailer.createTransport(cfg.smtp);\n",
        '/a/src/mailConfig.ts': "export default { smtp: { host: 'smtp.example.com', port: 587, requireTLS: true, auth: { user: 'me', pass: 'hunter2-secret' } } };\n",
      });
      assert.deepStrictEqual(ends(r.endpoints), ['/a/src/mail.ts:3 smtp.example.com:587 starttls-required']);
      assert.deepStrictEqual(
        r.findings.map((f) => `${f.ruleId} ${f.file}:${f.range.start.line + 1}`),
        ['nodemailer/hardcoded-credentials /a/src/mailConfig.ts:1'],
      );
    });

    it('const { SMTP_HOST, SMTP_PORT = 587 } = process.env is bound to the variables', () => {
      const r = lint({
        '/a/mail.js': NM + 'const { SMTP_HOST, SMTP_PORT = 587 } = process.env;\nnodemailer.createTransport({ host: SMTP_HOST, port: Number(SMTP_PORT), requireTLS: true });\n',
        '/a/.env': 'SMTP_HOST=smtp.example.com\n',
      });
      assert.deepStrictEqual(ends(r.endpoints), ['/a/mail.js:3 smtp.example.com:587 starttls-required']);
    });

    it("await import('nodemailer'), default or destructured", () => {
      for (const code of [
        "const nodemailer = await import('nodemailer');\nnodemailer.default.createTransport({ host: 'smtp.example.com', port: 465 });\n",
        "const { createTransport } = await import('nodemailer');\ncreateTransport({ host: 'smtp.example.com', port: 465 });\n",
      ]) assert.deepStrictEqual(ends(lint({ '/a/mail.mjs': code }).endpoints), ['/a/mail.mjs:2 smtp.example.com:465 implicit-tls'], code);
    });

    it('decorated classes parse; a script that mentions nodemailer and cannot be read gets a visible note', () => {
      const decorated = "import nodemailer from 'nodemailer';\n@Injectable()\nexport class Mail {\n  @Inject() cfg: unknown;\n  t = nodemailer.createTransport({ host: 'smtp.example.com', port: 587 });\n}\n";
      assert.deepStrictEqual(ends(lint({ '/a/mail.ts': decorated }).endpoints), ['/a/mail.ts:5 smtp.example.com:587 starttls-opportunistic']);
      const broken = lint({ '/a/bad.ts': "import nodemailer from 'nodemailer';\n" + '<<<<<<< HEAD\n'.repeat(40) + '}}}}'.repeat(20) });
      assert.deepStrictEqual(broken.findings.map((f) => `${f.ruleId} ${f.severity}`), ['config/skipped-file information']);
    });
  });

  describe('3. not every object is SMTP', () => {
    it('custom transports, other packages\' transport factories and sendmail/JSON/SES give no endpoint and no no-host', () => {
      for (const code of [
        'nodemailer.createTransport({ name: "x", version: "1", send(mail, cb) { cb(); } });\n',
        "const mg = require('nodemailer-mailgun-transport');\nnodemailer.createTransport(mg({ auth: { api_key: 'k' } }));\n",
        "const { MailtrapTransport } = require('mailtrap');\nnodemailer.createTransport(MailtrapTransport({ token: 't' }));\n",
        'nodemailer.createTransport({ SES: { ses, aws } });\n',
        'nodemailer.createTransport({ jsonTransport: true });\n',
      ]) {
        const r = lint({ '/a/mail.js': NM + code });
        assert.deepStrictEqual([ends(r.endpoints), r.findings.map((f) => f.ruleId)], [[], []], code);
      }
    });
  });

  describe('4. wrappers', () => {
    it('MailerModule.forRoot / forRootAsync, EmailProvider / Nodemailer server, Strapi providerOptions, nodemailer-smtp-transport', () => {
      const r = lint({
        '/a/app.module.ts':
          "import { MailerModule } from '@nestjs-modules/mailer';\n@Module({ imports: [MailerModule.forRoot({ transport: { host: 'smtp.a.example', port: 465 } })] })\nexport class A {}\n" +
          "export const m = MailerModule.forRootAsync({ useFactory: (config: ConfigService) => ({ transport: { host: config.get('MAIL_HOST'), port: 587, requireTLS: true } }) });\n",
        '/a/.env': 'MAIL_HOST=smtp.b.example\n',
        '/a/auth.ts': "import EmailProvider from 'next-auth/providers/email';\nexport const p = EmailProvider({ server: 'smtps://u:p@smtp.c.example:465', from: 'x@c.example' });\n",
        '/a/config/plugins.js': "module.exports = ({ env }) => ({ email: { config: { provider: 'nodemailer', providerOptions: { host: env('SMTP_HOST', 'smtp.d.example'), port: env.int('SMTP_PORT', 587) } } } });\n",
        '/a/old.js': "const nodemailer = require('nodemailer');\nconst smtp = require('nodemailer-smtp-transport');\nnodemailer.createTransport(smtp({ host: 'smtp.e.example', port: 25 }));\n",
      });
      assert.deepStrictEqual(ends(r.endpoints).sort(), [
        '/a/app.module.ts:2 smtp.a.example:465 implicit-tls',
        '/a/app.module.ts:4 smtp.b.example:587 starttls-required',
        '/a/auth.ts:2 smtp.c.example:465 implicit-tls',
        '/a/config/plugins.js:1 smtp.d.example:587 starttls-opportunistic',
        '/a/old.js:3 smtp.e.example:25 starttls-opportunistic',
      ]);
    });
  });

  describe('5. flat keys and URLs must look like settings', () => {
    it('labels, numbers and prose are not hosts or URLs; translation files and service tables are not read', () => {
      const r = lint({
        '/a/config.json': JSON.stringify({ requireEmailAddress: 0, mail: { host: 'SMTP host', port: 'Port' }, status: 'SMTP: not configured' }),
        '/a/locales/en.json': JSON.stringify({ smtp: { host: 'smtp.example.com', port: 587 } }),
        '/a/i18n/de.yml': 'email:\n  host: smtp.example.com\n  port: 587\n',
        '/a/lib/well-known/services.json': JSON.stringify(
          Object.fromEntries(['Gmail', 'Outlook365', 'Yahoo', 'Zoho', 'SendGrid', 'Mailgun'].map((n, i) => [n, { domains: [`${n.toLowerCase()}.com`], host: `smtp.${n.toLowerCase()}.com`, port: 465 + i, secure: true }])),
        ),
      });
      assert.deepStrictEqual([ends(r.endpoints), r.findings], [[], []]);
    });
  });

  describe('6. scope like the ecosystem does', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-scope-'));
      const write = (rel: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), text);
      };
      const bad = NM + "nodemailer.createTransport({ host: 'smtp.example.com', port: 587, secure: true });\n";
      write('.gitignore', 'generated/\n*.local.js\n!keep.local.js\n');
      write('src/mail.js', bad);
      write('generated/mail.js', bad);
      write('src/x.local.js', bad);
      write('src/keep.local.js', bad);
      write('.svelte-kit/output/mail.js', bad);
      write('vendor/lib/mail.js', bad);
      write('legacy/mail.js', bad);
      write('test/fixtures/mail.js', bad);
      write('.env', 'SMTP_HOST=smtp.example.com\n');
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const run = (exclude: string[] = []) => {
      const scan = scanWorkspace([dir], { exclude });
      const result = checkStreamed(scan.eager, scan.candidates, (f, sniff) => readCandidate(f, 1 << 20, sniff), diskModuleLoader);
      const findings = capTestSeverity(result.findings, (f) => scan.relative.get(f));
      return findings.map((f) => `${path.relative(dir, f.file)} ${f.severity}`).sort();
    };

    it('.gitignore (with !), generated and vendored folders, --exclude; tests and fixtures at most warnings', () => {
      assert.deepStrictEqual(run(['legacy/**']), ['src/keep.local.js error', 'src/mail.js error', 'test/fixtures/mail.js warning']);
    });

    it('exclude: in .smtpdoctor.yaml', () => {
      const project = parseProjectConfig({ file: '.smtpdoctor.yaml', text: 'exclude:\n  - legacy/**\n  - "**/keep.local.js"\n' }, []);
      assert.deepStrictEqual(project.findings, []);
      assert.deepStrictEqual(run([...(project.exclude ?? [])]), ['src/mail.js error', 'test/fixtures/mail.js warning']);
    });
  });

  describe('7. .env semantics', () => {
    it('blanks in .env.example are placeholders: no invalid-port, no unknown-service ""', () => {
      const r = lint({
        '/a/mail.js': NM + 'nodemailer.createTransport({ host: process.env.SMTP_HOST, port: Number(process.env.SMTP_PORT), service: process.env.SMTP_SERVICE });\n',
        '/a/.env.example': 'SMTP_HOST=\nSMTP_PORT=\nSMTP_SERVICE=\n',
      });
      assert.deepStrictEqual(r.findings.filter((f) => f.severity !== 'information').map((f) => f.ruleId), []);
      assert.deepStrictEqual(ends(r.endpoints), ['/a/mail.js:2 ?:? unknown']);
    });

    it('a compose file interpolates only the .env next to it (never .env.example)', () => {
      const r = lint({
        '/a/docker-compose.yml': 'services:\n  app:\n    environment:\n      SMTP_HOST: ${SMTP_HOST}\n      SMTP_PORT: "587"\n',
        '/a/.env.example': 'SMTP_HOST=smtp.example.com\n',
      });
      assert.deepStrictEqual(ends(r.endpoints), ['/a/docker-compose.yml:4 ?:587 starttls-opportunistic']);
    });

    it('monorepo: packages/emails code takes apps/web/.env when apps/web depends on it, and nothing from unrelated apps', () => {
      const base = {
        '/m/packages/emails/package.json': '{ "name": "@m/emails" }',
        '/m/packages/emails/src/send.ts': "import nodemailer from 'nodemailer';\nexport const t = nodemailer.createTransport({ host: process.env.SMTP_HOST, port: 587 });\n",
        '/m/apps/web/package.json': '{ "name": "web", "dependencies": { "@m/emails": "workspace:*" } }',
        '/m/apps/web/.env': 'SMTP_HOST=smtp.web.example\n',
      };
      assert.deepStrictEqual(ends(lint(base).endpoints), ['/m/packages/emails/src/send.ts:2 smtp.web.example:587 starttls-opportunistic']);
      const other = { '/m/apps/admin/package.json': '{ "name": "admin" }', '/m/apps/admin/.env': 'SMTP_HOST=smtp.admin.example\n' };
      const both = lint({ ...base, ...other });
      assert.deepStrictEqual(ends(both.endpoints).filter((e) => e.startsWith('/m/packages')), ['/m/packages/emails/src/send.ts:2 smtp.web.example:587 starttls-opportunistic']);
    });

    it('results for one folder do not change because an unrelated folder is checked too', () => {
      const a = { '/w/a/.env': 'SMTP_HOST=smtp.a.example\nSMTP_PORT=587\n' };
      const b = { '/w/b/mail.js': NM + 'nodemailer.createTransport({ host: process.env.SMTP_HOST, port: 587 });\n' };
      const alone = lint(a);
      const together = lint({ ...a, ...b });
      const ofA = (r: ReturnType<typeof lint>) => [ends(r.endpoints.filter((e) => e.file.startsWith('/w/a/'))), r.findings.filter((f) => f.file.startsWith('/w/a/')).map((f) => f.message)];
      assert.deepStrictEqual(ofA(together), ofA(alone));
      assert.deepStrictEqual(ends(alone.endpoints), ['/w/a/.env:1 smtp.a.example:587 starttls-opportunistic']);
    });
  });

  describe('8. resolve as the project\'s nodemailer version does', () => {
    const project = (version: string, options: string) =>
      ends(
        lint({
          '/p/package.json': JSON.stringify({ dependencies: { nodemailer: version } }),
          '/p/mail.js': NM + `nodemailer.createTransport(${options});\n`,
        }).endpoints,
      );

    it('url next to other options: dropped before 10, merged from 10', () => {
      assert.deepStrictEqual(project('^7.0.0', "{ url: 'smtp://smtp.example.com', port: 2525 }"), ['/p/mail.js:2 smtp.example.com:587 starttls-opportunistic']);
      assert.deepStrictEqual(project('^10.0.0', "{ url: 'smtp://smtp.example.com', port: 2525 }"), ['/p/mail.js:2 smtp.example.com:2525 starttls-opportunistic']);
    });

    it("a service's requireTLS applies; 465 with secure unset is implicit TLS even with requireTLS; an unknown port is unknown", () => {
      assert.deepStrictEqual(project('^7.0.0', "{ service: 'Proton' }"), ['/p/mail.js:2 smtp.protonmail.ch:587 starttls-required']);
      // The service table of the version: Resend came with nodemailer 7 (6 ignores it and uses the host).
      assert.deepStrictEqual(project('^6.0.0', "{ service: 'Resend', host: 'x.example.com' }"), ['/p/mail.js:2 x.example.com:587 starttls-opportunistic']);
      assert.deepStrictEqual(project('^7.0.0', "{ service: 'Resend', host: 'x.example.com' }"), ['/p/mail.js:2 smtp.resend.com:465 implicit-tls']);
      assert.deepStrictEqual(project('^7.0.0', "{ host: 'smtp.example.com', port: 465, requireTLS: true }"), ['/p/mail.js:2 smtp.example.com:465 implicit-tls']);
      assert.deepStrictEqual(project('^7.0.0', "{ host: 'smtp.example.com', port: process.env.NOT_SET }"), ['/p/mail.js:2 smtp.example.com:? unknown']);
    });

    it("port 0, '587a', host '' and smtp://:2525 as nodemailer resolves them", () => {
      assert.deepStrictEqual(project('^7.0.0', "{ host: 'smtp.example.com', port: 0 }"), ['/p/mail.js:2 smtp.example.com:587 starttls-opportunistic']);
      assert.deepStrictEqual(project('^7.0.0', "{ host: 'smtp.example.com', port: '587a', secure: true }"), ['/p/mail.js:2 smtp.example.com:465 implicit-tls']);
      assert.deepStrictEqual(project('^7.0.0', "{ host: '', port: 2525 }"), ['/p/mail.js:2 localhost:2525 starttls-opportunistic']);
      assert.deepStrictEqual(project('^7.0.0', "'smtp://:2525'"), ['/p/mail.js:2 localhost:2525 starttls-opportunistic']);
    });

    it('Django and Laravel conventions only in their own settings, not for nodemailer', () => {
      const django = lint({ '/d/.env': 'EMAIL_HOST=smtp.example.com\nEMAIL_PORT=465\nEMAIL_USE_TLS=True\nEMAIL_HOST_USER=u\n' });
      assert.deepStrictEqual(ends(django.endpoints), ['/d/.env:1 smtp.example.com:465 starttls-required']);
      assert.deepStrictEqual(project('^7.0.0', "{ host: 'smtp.example.com', port: 465, requireTLS: true }"), ['/p/mail.js:2 smtp.example.com:465 implicit-tls']);
    });
  });

  describe('9. non-nodemailer YAML', () => {
    it("notifier.smtp.address: 'smtp://127.0.0.1:25' is a URL, not a host", () => {
      const r = lint({ '/a/configuration.yml': "notifier:\n  smtp:\n    address: 'smtp://127.0.0.1:25'\n    sender: 'x <x@example.com>'\n" });
      assert.deepStrictEqual(ends(r.endpoints), ['/a/configuration.yml:3 127.0.0.1:25 starttls-opportunistic']);
    });
  });

  it('rules are applied to files without panicking on findings about other files (a smoke check of rules())', () => {
    assert.ok(Array.isArray(rules({ '/a/x.js': NM + "nodemailer.createTransport({ host: 'h.example.com' });\n" })));
  });
});

describe('nodemailer/* messages are one short sentence (the why is in the docs)', () => {
  it('every message over the fixture corpus is at most 160 characters and ends with a fix', () => {
    const root = path.join(__dirname, '../../../../../test/fixtures/nodemailer/corpus');
    const all: { file: string; text: string }[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name !== 'expected.json') all.push({ file: p, text: fs.readFileSync(p, 'utf8') });
      }
    };
    walk(root);
    const findings = lintAppFiles(all).findings.filter((f) => f.ruleId.startsWith('nodemailer/'));
    assert.ok(findings.length > 30, `${findings.length} findings`);
    const long = findings.filter((f) => f.message.length > 160).map((f) => `${f.ruleId} (${f.message.length}): ${f.message}`);
    assert.deepStrictEqual(long, []);
    for (const f of findings) assert.match(f.message, /[.?]$/, f.message);
  });
});
