// Transports only part of which can be read: options built at run time, a call with no options, a line
// the parser had to skip, nesting deeper than the parser's stack. What is not read is unknown: never
// nodemailer's localhost:587 in its place, and so never a live probe of a guessed host.
import * as assert from 'assert';
import { lintAppFiles } from '../../../../src/core/appLint';
import { collectLiveTargets } from '../../../../src/core/live/liveTargets';
import { EnvResolver } from '../../../../src/core/sources/app/envFiles';
import { extractScriptTransports } from '../../../../src/core/sources/app/extractFromScript';
import { parseScript } from '../../../../src/core/sources/app/parseScript';
import { textInRange } from '../../helpers';

// The real nodemailer (a dev dependency, without type declarations).
const nodemailer = require('nodemailer') as { createTransport(options?: unknown): unknown };

const CT = "const nodemailer = require('nodemailer');\n";
const FILE = 'src/mail.js';

function only(text: string) {
  const transports = extractScriptTransports({ file: FILE, text }, new EnvResolver([]));
  assert.strictEqual(transports.length, 1, `${transports.length} transports in ${JSON.stringify(text)}`);
  const { endpoints, findings } = lintAppFiles([{ file: FILE, text }]);
  const probes = collectLiveTargets([], endpoints, transports).probes.map((p) => `${p.host}:${p.port}`);
  return { transport: transports[0], endpoint: endpoints[0], findings, probes };
}

describe('transports read in part', () => {
  it('options built at run time: host, port and TLS mode unknown, nothing probed', () => {
    const { transport, endpoint, probes } = only(CT + 'nodemailer.createTransport(loadMailOptions());\n');
    assert.strictEqual(transport.options.get('options')?.unresolved?.reason, 'dynamic');
    assert.deepStrictEqual([endpoint.host, endpoint.port, endpoint.security], [undefined, undefined, 'unknown']);
    assert.deepStrictEqual(probes, []);
  });

  it('createTransport() with no options: nothing known (nodemailer itself throws a TypeError), nothing probed', () => {
    assert.throws(() => nodemailer.createTransport(), TypeError);
    const { transport, endpoint, findings, probes } = only(CT + 'nodemailer.createTransport();\n');
    assert.strictEqual(transport.options.get('options')?.unresolved?.description, 'no options are written');
    assert.deepStrictEqual([endpoint.host, endpoint.port, endpoint.security], [undefined, undefined, 'unknown']);
    assert.deepStrictEqual([findings, probes], [[], []]);
  });

  it('an options object fully written with no host still gets nodemailer\'s localhost (and the no-host error)', () => {
    const { endpoint, findings } = only(CT + 'nodemailer.createTransport({ port: 2525 });\n');
    assert.deepStrictEqual([endpoint.host, endpoint.port], ['localhost', 2525]);
    assert.deepStrictEqual(findings.map((f) => f.ruleId), ['nodemailer/no-host']);
  });

  it('a line the parser skipped inside the call: the object is not complete, what the line held is unknown', () => {
    const text = CT + "nodemailer.createTransport({\n  host: 'smtp.example.com',\n  port: 58 7 ==,\n});\n";
    const { transport, endpoint, findings } = only(text);
    assert.strictEqual(transport.complete, false);
    assert.strictEqual(transport.options.get('options')?.unresolved?.description, 'part of the call: it could not be read (a syntax error)');
    // As with an unknown spread there: the line may hold a url, which overrides the host written before it.
    assert.deepStrictEqual([endpoint.host, endpoint.port, endpoint.security], [undefined, undefined, 'unknown']);
    assert.deepStrictEqual(findings, []);
  });

  it('a line skipped outside the call changes nothing about it', () => {
    const text = CT + "const x = = 1;\nnodemailer.createTransport({ host: 'smtp.example.com' });\n";
    const { transport, endpoint } = only(text);
    assert.strictEqual(transport.complete, true);
    assert.deepStrictEqual([endpoint.host, endpoint.port, endpoint.security], ['smtp.example.com', 587, 'starttls-opportunistic']);
  });

  it('nesting deeper than the parser can follow: only that bracket group is given up', () => {
    // Over lines of 100 characters: a line over 3,000 marks a generated bundle, which is not read.
    const deep = `${'('.repeat(100).concat('\n').repeat(30)}465${')'.repeat(100).concat('\n').repeat(30)}`;
    const text = CT + `nodemailer.createTransport({ host: 'smtp.example.com', port: ${deep}, secure: true });\n`;
    const { transport, endpoint } = only(text);
    assert.strictEqual(transport.options.get('port')?.unresolved?.description, 'it is nested deeper than the parser can follow');
    assert.deepStrictEqual([endpoint.host, endpoint.port, endpoint.security], ['smtp.example.com', undefined, 'implicit-tls']);
  });
});

describe('transports read in part, from wherever the options are written', () => {
  const lintFiles = (map: Record<string, string>) => lintAppFiles(Object.entries(map).map(([file, text]) => ({ file, text })));
  const ends = (map: Record<string, string>) => lintFiles(map).endpoints.map((e) => `${e.file} ${e.host ?? '?'}:${e.port ?? '?'} ${e.security}`);
  const transportOf = (map: Record<string, string>) => {
    const r = lintFiles(map);
    assert.strictEqual(r.transports.length, 1);
    return r.transports[0];
  };

  it('options in a variable with a line the parser skipped: not complete, nothing about them known', () => {
    const files = { '/a/mail.js': CT + "const options = {\n  host: 'smtp.example.com',\n  port: 58 7 ==,\n};\nnodemailer.createTransport(options);\n" };
    const t = transportOf(files);
    assert.strictEqual(t.complete, false);
    assert.strictEqual(t.options.get('options')?.unresolved?.description, 'part of the options: it could not be read (a syntax error)');
    assert.deepStrictEqual(ends(files), ['/a/mail.js ?:? unknown']);
    assert.deepStrictEqual(lintFiles(files).findings, []);
  });

  it('the same with the options complete: host and port read, 587 from the port written', () => {
    const files = { '/a/mail.js': CT + "const options = {\n  host: 'smtp.example.com',\n  port: 587,\n};\nnodemailer.createTransport(options);\n" };
    assert.strictEqual(transportOf(files).complete, true);
    assert.deepStrictEqual(ends(files), ['/a/mail.js smtp.example.com:587 starttls-opportunistic']);
  });

  it('options imported from a module with a line the parser skipped: nothing about them known, nothing probed', () => {
    const files = {
      '/a/src/mail.ts': "import nodemailer from 'nodemailer';\nimport cfg from './mailConfig';\nexport const t = nodemailer.createTransport(cfg.smtp);\n",
      '/a/src/mailConfig.ts': "export default {\n  smtp: {\n    host: 'smtp.example.com',\n    port: 5 87,\n    secure: false,\n  },\n};\n",
    };
    const r = lintFiles(files);
    assert.deepStrictEqual(ends(files), ['/a/src/mail.ts ?:? unknown']);
    assert.strictEqual(r.transports[0].complete, false);
    assert.strictEqual(r.transports[0].options.get('options')?.unresolved?.description, 'part of the options: it could not be read (a syntax error)');
    assert.deepStrictEqual(collectLiveTargets([], r.endpoints, r.transports).probes, []);
  });

  it('a value nested too deep in an imported module: that value unknown, the rest read', () => {
    const deep = `${'('.repeat(100).concat('\n').repeat(30)}465${')'.repeat(100).concat('\n').repeat(30)}`;
    const files = {
      '/a/src/mail.ts': "import nodemailer from 'nodemailer';\nimport { smtp } from './mailConfig';\nexport const t = nodemailer.createTransport(smtp);\n",
      '/a/src/mailConfig.ts': `export const smtp = { host: 'smtp.example.com', port: ${deep}, secure: true };\n`,
    };
    const t = transportOf(files);
    assert.strictEqual(t.options.get('port')?.unresolved?.description, 'it is nested deeper than the parser can follow');
    assert.deepStrictEqual(ends(files), ['/a/src/mail.ts smtp.example.com:? implicit-tls']);
  });

  it('a wrapper (MailerModule.forRoot, EmailProvider, Strapi providerOptions) with a line the parser skipped in its call', () => {
    for (const [file, text] of [
      ['/a/app.module.ts', "import { MailerModule } from '@nestjs-modules/mailer';\nexport const m = MailerModule.forRoot({\n  transport: { host: 'smtp.example.com', port: 587 },\n  defaults: { from: 'x@example.com' ==  },\n});\n"],
      ['/a/auth.ts', "import EmailProvider from 'next-auth/providers/email';\nexport const p = EmailProvider({\n  server: { host: 'smtp.example.com', port: 587 },\n  from: 'x@example.com' ==,\n});\n"],
      ['/a/config/plugins.js', "module.exports = ({ env }) => ({ email: { config: { provider: 'nodemailer', providerOptions: {\n  host: 'smtp.example.com',\n  port: 5 87,\n} } } });\n"],
    ]) {
      const t = transportOf({ [file]: text });
      assert.strictEqual(t.complete, false, file);
      assert.match(t.options.get('options')?.unresolved?.description ?? '', /^part of the (call|options): it could not be read \(a syntax error\)$/, file);
      assert.deepStrictEqual(ends({ [file]: text }), [`${file} ?:? unknown`], file);
    }
  });

  it('the end of a text cut off inside the options is no unread text: what is written there is read', () => {
    const files = { '/a/mail.js': CT + "nodemailer.createTransport({\n  host: 'smtp.example.com',\n  port: 465," };
    const t = transportOf(files);
    assert.strictEqual(t.options.has('options'), false);
    assert.deepStrictEqual(ends(files), ['/a/mail.js smtp.example.com:465 implicit-tls']);
  });
});

describe('where values are written one for one, in every producer', () => {
  const transportsOf = (map: Record<string, string>) => lintAppFiles(Object.entries(map).map(([file, text]) => ({ file, text }))).transports;

  it('an option written in an imported module: verbatim is inside its quotes, in that module', () => {
    const config = "export default { smtp: { host: 'smtp.example.com', url: \"smtps://smtp.example.com:465\" } };\n";
    const [t] = transportsOf({
      '/a/src/mail.ts': "import nodemailer from 'nodemailer';\nimport cfg from './mailConfig';\nexport const t = nodemailer.createTransport(cfg.smtp);\n",
      '/a/src/mailConfig.ts': config,
    });
    for (const [key, value] of [['host', 'smtp.example.com'], ['url', 'smtps://smtp.example.com:465']]) {
      const o = t.options.get(key)!;
      assert.strictEqual(o.file, '/a/src/mailConfig.ts');
      assert.ok(o.verbatim, key);
      assert.strictEqual(textInRange(config, o.verbatim), value);
    }
  });

  it('a wrapper\'s options: verbatim inside the quotes; none for an escape, a concatenation or a template with a line break', () => {
    const text =
      "import { MailerModule } from '@nestjs-modules/mailer';\nexport const m = MailerModule.forRoot({ transport: {\n" +
      "  host: `smtp.example.com`,\n  service: 'Gm\\x61il',\n  name: 'mail.' + 'example.com',\n  url: `smtp://a\nb`,\n} });\n";
    const [t] = transportsOf({ '/a/app.module.ts': text });
    assert.strictEqual(textInRange(text, t.options.get('host')!.verbatim!), 'smtp.example.com');
    assert.strictEqual(t.options.get('service')!.value, 'Gmail');
    for (const key of ['service', 'name', 'url']) assert.strictEqual(t.options.get(key)!.verbatim, undefined, key);
  });
});

describe('parseScript: the text it could not read', () => {
  it('a line it blanked out, whole', () => {
    const text = 'const a = 1;\nconst b = = 2;\nconst c = 3;\n';
    const parsed = parseScript(text, 'a.js')!;
    assert.deepStrictEqual(parsed.unread.map((u) => [textInRange(text, { start: pos(text, u.start), end: pos(text, u.end) }), u.reason]), [['const b = = 2;', 'syntax']]);
  });

  it('the end of a text that stops inside brackets', () => {
    const text = 'f({ a: 1,';
    assert.deepStrictEqual(parseScript(text, 'a.js')!.unread, [{ start: text.length, end: text.length, reason: 'syntax' }]);
  });

  it('a bracket group nested too deep, from just inside its opening bracket to its closing one', () => {
    const text = `x = [1, ${'['.repeat(5000)}${']'.repeat(5000)}];\ny = 2;\n`;
    const parsed = parseScript(text, 'a.js')!;
    assert.strictEqual(parsed.unread.length, 1);
    const [u] = parsed.unread;
    assert.strictEqual(u.reason, 'depth');
    assert.ok(u.start > text.indexOf('[[') && u.end <= text.lastIndexOf(']]') + 1, `${u.start}..${u.end}`);
    assert.match(text.slice(u.start, u.end), /^\[*\]*$/);
    assert.strictEqual(parsed.ast.program.body.length, 2, 'the statement after it is read');
  });

  it('nothing when nothing was skipped', () => {
    assert.deepStrictEqual(parseScript('const a = (((1)));\n', 'a.js')!.unread, []);
  });
});

function pos(text: string, offset: number) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}
