// Whatever the application files hold (half-typed code, truncated configs, binary junk, huge or deeply
// nested expressions), lintAppFiles returns quickly without throwing, and every range it reports lies
// inside the file it names.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { lintAppFiles, type AppLintResult } from '../../../../src/core/appLint';
import type { Range, SourceFile } from '../../../../src/core/model';
import { collectLiveTargets } from '../../../../src/core/live/liveTargets';
import { LineIndex } from '../../../../src/core/text';
import { FIXTURES, textInRange } from '../../helpers';

const CORPUS = path.join(FIXTURES, 'nodemailer/corpus');

function filesUnder(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...filesUnder(dir, r));
    else if (r !== 'expected.json') out.push(r);
  }
  return out;
}

/** Every corpus case as the files lintAppFiles is given (ids `<case>/<path>`). */
const corpusCases: SourceFile[][] = fs.existsSync(CORPUS)
  ? fs
      .readdirSync(CORPUS)
      .sort()
      .map((name) => filesUnder(path.join(CORPUS, name)).map((rel) => ({ file: `${name}/${rel}`, text: fs.readFileSync(path.join(CORPUS, name, rel), 'utf8') })))
  : [];

function assertRangeInside(files: ReadonlyMap<string, string>, file: string, range: Range, what: string): void {
  const text = files.get(file);
  assert.ok(text !== undefined, `${what}: file ${file} is not one of the inputs`);
  const lines = new LineIndex(text);
  for (const p of [range.start, range.end]) {
    assert.ok(Number.isInteger(p.line) && p.line >= 0 && p.line < lines.lineCount, `${what}: line ${p.line} outside 0..${lines.lineCount - 1} of ${file}`);
    const len = lines.lineEnd(p.line) - lines.lineStart(p.line);
    assert.ok(Number.isInteger(p.character) && p.character >= 0 && p.character <= len, `${what}: character ${p.character} outside line ${p.line} (length ${len}) of ${file}`);
  }
  assert.ok(lines.offsetAt(range.start) <= lines.offsetAt(range.end), `${what}: range ends before it starts in ${file}`);
}

/** Every range in a result (definitions, option values, findings, related lines, fix edits) lies inside its file. */
function assertAllInside(files: readonly SourceFile[], result: AppLintResult): void {
  const texts = new Map(files.map((f) => [f.file, f.text]));
  for (const t of result.transports) {
    assertRangeInside(texts, t.file, t.range, 'transport');
    for (const [name, o] of t.options) {
      assertRangeInside(texts, o.file, o.range, `option ${name}`);
      if (o.optionRange) assertRangeInside(texts, o.file, o.optionRange, `option ${name} (whole)`);
      if (o.env?.file && o.env.range) assertRangeInside(texts, o.env.file, o.env.range, `option ${name} (.env line)`);
    }
  }
  for (const e of result.endpoints) {
    assertRangeInside(texts, e.file, e.range, 'endpoint');
    for (const [name, o] of Object.entries(e.optionRanges)) assertRangeInside(texts, o.file, o.range, `endpoint option ${name}`);
  }
  for (const f of result.findings) {
    assertRangeInside(texts, f.file, f.range, f.ruleId);
    for (const r of f.related ?? []) assertRangeInside(texts, r.file, r.range, `${f.ruleId} related`);
    for (const fix of f.fixes ?? []) for (const edit of fix.edits) assertRangeInside(texts, f.file, edit.range, `${f.ruleId} fix "${fix.title}"`);
  }
}

// The limits catch hangs and runaway work, not slowness: a loaded 2-core CI machine may be several
// times slower than a quiet one (speed itself is measured by scripts/measure-*.js).
const HANG_FACTOR = 4;

/** Lints, checking it returns within `ms` (times HANG_FACTOR) and that every range is inside its file. */
function lintChecked(files: readonly SourceFile[], ms = 1000): AppLintResult {
  const started = Date.now();
  const result = lintAppFiles(files);
  const took = Date.now() - started;
  assert.ok(took < ms * HANG_FACTOR, `lintAppFiles took ${took} ms (limit ${ms * HANG_FACTOR})`);
  assertAllInside(files, result);
  return result;
}

/** Pieces the files are made of, so insertions hit the parsers' interesting paths. */
const snippet = fc.oneof(
  fc.constantFrom(
    '{', '}', '(', ')', '[', ']', '`', '${', "'", '"', ':', ',', ';', '\n', '\r\n', '\t', ' ', '=', '#', '//', '/*', '*/',
    '...', '?.', '??', '||', '===', 'process.env.', 'process.env.SMTP_PORT', 'nodemailer.createTransport(', 'require(',
    "'nodemailer'", 'import ', 'export ', 'secure: true', 'port: 465', 'host: ', '- ', ': ', '  ', '---\n', '&a', '*a', '!!binary',
    '"smtp": {', 'SMTP_HOST=', 'MAIL_PORT=', 'smtp://', 'smtps://u:p@', '%', '\\', '\u0000', '\uFEFF', '\uD800', '\uDFFF', 'é', '\uD83D\uDCE7',
  ),
  fc.string({ maxLength: 6 }),
);

type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'junk'; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: snippet }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('junk' as const), at: fc.nat(), text: fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }) }),
);

function mutate(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % (text.length + 1);
  switch (m.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'insert':
    case 'junk':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'truncate':
      return text.slice(0, at);
  }
}

const CT = "import nodemailer from 'nodemailer';\n";

/**
 * What a user sees for some files: each transport as `file host:port security` (`?` for what is not known),
 * each finding as `rule severity "text it underlines"`, and the host:port pairs a live check would probe.
 */
function seen(files: readonly SourceFile[], ms?: number): { endpoints: string[]; findings: string[]; probes: string[] } {
  const r = lintChecked(files, ms);
  const texts = new Map(files.map((f) => [f.file, f.text]));
  return {
    endpoints: r.endpoints.map((e) => `${e.file} ${e.host ?? '?'}:${e.port ?? '?'} ${e.security}`),
    findings: r.findings.map((f) => `${f.ruleId} ${f.severity} ${JSON.stringify(textInRange(texts.get(f.file)!, f.range))}`),
    probes: collectLiveTargets([], r.endpoints, r.transports).probes.map((p) => `${p.host}:${p.port}`),
  };
}

/** The host of the single transport in a one-file lint, or a message saying what was found instead. */
function onlyHost(file: string, text: string): string | undefined {
  const r = lintChecked([{ file, text }]);
  assert.strictEqual(r.endpoints.length, 1, `expected one transport, found ${r.endpoints.length}`);
  return r.endpoints[0].host;
}

describe('application lint robustness', function () {
  this.timeout(60000);

  it('the corpus is there to mutate', () => {
    assert.ok(corpusCases.length >= 45);
  });

  it('mutated, truncated and junk-filled corpus files (property-based)', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat(),
        fc.array(mutation, { minLength: 1, maxLength: 8 }),
        (caseIndex, fileIndex, mutations) => {
          const files = corpusCases[caseIndex % corpusCases.length];
          const target = fileIndex % files.length;
          const mutated = files.map((f, i) => (i === target ? { file: f.file, text: mutations.reduce(mutate, f.text) } : f));
          lintChecked(mutated);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('every file of every case mutated at once (property-based)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (caseIndex, mutations) => {
        const files = corpusCases[caseIndex % corpusCases.length].map((f) => ({ file: f.file, text: mutations.reduce(mutate, f.text) }));
        lintChecked(files);
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary text under every file name the app linter reads (property-based)', () => {
    const names = ['src/mail.ts', 'src/mail.js', 'src/mail.tsx', 'src/mail.jsx', 'src/mail.mjs', 'src/mail.cjs', 'config/mail.yml', 'config/mail.json', 'compose.yaml', '.env', '.env.local'];
    const text = fc.oneof(
      fc.array(snippet, { maxLength: 60 }).map((parts) => parts.join('')),
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
    );
    fc.assert(
      fc.property(fc.array(fc.record({ name: fc.constantFrom(...names), text }), { minLength: 1, maxLength: 4 }), (entries) => {
        const seen = new Set<string>();
        const files = entries.filter((e) => !seen.has(e.name) && seen.add(e.name)).map((e) => ({ file: `p/${e.name}`, text: e.text }));
        lintChecked(files);
      }),
      { numRuns: 600 },
    );
  });

  describe('half-typed editor states', () => {
    it('a port being typed at the end of the file: the host before it is found', () => {
      assert.strictEqual(onlyHost('src/mail.ts', CT + "export const t = nodemailer.createTransport({ host: 'smtp.example.com', port: "), 'smtp.example.com');
    });

    it('an options object cut off after a complete option, over several lines', () => {
      const text = CT + "const t = nodemailer.createTransport({\n  host: 'smtp.example.net',\n  port: 465,\n  secure: tr";
      assert.strictEqual(onlyHost('src/mail.js', text), 'smtp.example.net');
    });

    it('a call with nothing typed after the parenthesis: one transport at the call, nothing about it known, nothing probed', () => {
      const text = CT + 'const t = nodemailer.createTransport(';
      const r = lintChecked([{ file: 'src/mail.ts', text }]);
      assert.strictEqual(r.transports.length, 1);
      assert.strictEqual(textInRange(text, r.transports[0].range), 'nodemailer.createTransport(');
      assert.deepStrictEqual(seen([{ file: 'src/mail.ts', text }]), { endpoints: ['src/mail.ts ?:? unknown'], findings: [], probes: [] });
    });

    it('a missing argument being typed (`loadConfig(, cfg)`, `Object.assign(cfg,, x)`): the script is still read, not skipped', () => {
      const text = CT + "const cfg = { host: 'smtp.example.com' };\nloadConfig(, cfg);\nObject.assign(cfg,, extra);\nconst t = nodemailer.createTransport(cfg);\nnodemailer.createTransport(,";
      const r = lintChecked([{ file: 'src/mail.ts', text }]);
      assert.deepStrictEqual(r.findings.filter((f) => f.ruleId === 'config/skipped-file').map((f) => f.message), []);
      assert.strictEqual(r.transports.length, 2);
      assert.ok(r.transports.every((t) => textInRange(text, t.range).startsWith('nodemailer.createTransport(')));
    });

    it('an unclosed template literal after the options', () => {
      const text = CT + "const t = nodemailer.createTransport({ host: 'smtp.example.org', port: 587 });\nconst greeting = `Hello ${name";
      assert.deepStrictEqual(seen([{ file: 'src/mail.ts', text }]), {
        endpoints: ['src/mail.ts smtp.example.org:587 starttls-opportunistic'],
        findings: [],
        probes: ['smtp.example.org:587'],
      });
    });

    it('an unclosed template literal as a value: the line being typed is not read, nothing is guessed', () => {
      // On the call's own line: the line is blanked to parse the rest, so no transport shows yet.
      assert.deepStrictEqual(seen([{ file: 'src/mail.ts', text: CT + 'const t = nodemailer.createTransport({ host: `smtp.${domain' }]), { endpoints: [], findings: [], probes: [] });
      // On a line of its own: the transport is there, and nothing about it is known (not localhost): the unread
      // line may set any option, a url that overrides the port written before it too.
      const text = CT + 'const t = nodemailer.createTransport({\n  port: 465,\n  host: `smtp.${domain';
      assert.deepStrictEqual(seen([{ file: 'src/mail.ts', text }]), { endpoints: ['src/mail.ts ?:? unknown'], findings: [], probes: [] });
    });

    it('a stray closing brace before the transport', () => {
      const text = CT + "function send() {\n  return 1;\n}\n}\nconst t = nodemailer.createTransport({ host: 'smtp.example.com', port: 587 });\n";
      assert.strictEqual(onlyHost('src/mail.js', text), 'smtp.example.com');
    });

    it('a half-written line between complete options: what it would set is unknown, no default and no finding instead', () => {
      // The line may set any option, as an unknown spread there may: a url too, which overrides host, port and TLS mode.
      const port = CT + "const t = nodemailer.createTransport({\n  host: 'smtp.example.com',\n  port: 58 7 ==,\n  secure: false,\n});\n";
      assert.deepStrictEqual(seen([{ file: 'src/mail.js', text: port }]), { endpoints: ['src/mail.js ?:? unknown'], findings: [], probes: [] });
      // Not "no host, so nodemailer connects to localhost" (an error) while the host line is being typed.
      const host = CT + "const t = nodemailer.createTransport({\n  host: 'smtp.exa mple.com' ==,\n  port: 465,\n  secure: true,\n});\n";
      assert.deepStrictEqual(seen([{ file: 'src/mail.js', text: host }]), { endpoints: ['src/mail.js ?:? unknown'], findings: [], probes: [] });
    });

    it('a string being typed (unterminated quote): the line is not read, nothing is guessed', () => {
      assert.deepStrictEqual(seen([{ file: 'src/mail.js', text: CT + "const t = nodemailer.createTransport({ host: 'smtp.exa\n" }]), { endpoints: [], findings: [], probes: [] });
      const text = CT + "const t = nodemailer.createTransport({\n  port: 587,\n  host: 'smtp.exa\n";
      assert.deepStrictEqual(seen([{ file: 'src/mail.js', text }]), { endpoints: ['src/mail.js ?:? unknown'], findings: [], probes: [] });
    });

    it('YAML mid-edit: a key without its value reads as YAML does (null: the port is not stated, so unknown, never probed); broken YAML shows nothing', () => {
      assert.deepStrictEqual(seen([{ file: 'config/mail.yml', text: 'smtp:\n  host: smtp.example.com\n  port:' }]), {
        endpoints: ['config/mail.yml smtp.example.com:? unknown'],
        findings: [],
        probes: [],
      });
      // A tab for indentation, an unclosed flow mapping, an unclosed quote: the YAML parser rejects them.
      for (const text of ['smtp:\n\thost: smtp.example.com\n', 'smtp: { host: smtp.example.com, port: 465', 'mail:\n  smtp:\n    host: "smtp.example.com\n']) {
        assert.deepStrictEqual(seen([{ file: 'config/mail.yml', text }]), { endpoints: [], findings: [], probes: [] }, JSON.stringify(text));
      }
    });

    it('JSON mid-edit: a trailing comma is tolerated; an unclosed object or a missing value shows nothing', () => {
      assert.deepStrictEqual(seen([{ file: 'config/mail.json', text: '{ "smtp": { "host": "smtp.example.com", } }' }]), {
        endpoints: ['config/mail.json smtp.example.com:? unknown'],
        findings: [],
        probes: [],
      });
      for (const text of ['{ "smtp": { "host": "smtp.example.com", "port": 465', '{ "smtp": { "host": }', '{"smtp":']) {
        assert.deepStrictEqual(seen([{ file: 'config/mail.json', text }]), { endpoints: [], findings: [], probes: [] }, JSON.stringify(text));
      }
    });

    it('.env mid-edit: each value as dotenv reads it, an unset variable said to be unset', () => {
      const script = { file: 'src/mail.js', text: CT + 'nodemailer.createTransport({ host: process.env.SMTP_HOST, port: Number(process.env.SMTP_PORT) });' };
      const unsetHost = 'nodemailer/unresolved-value information "process.env.SMTP_HOST"';
      const unsetPort = 'nodemailer/unresolved-value information "Number(process.env.SMTP_PORT)"';
      // A key without "=" sets nothing (and with the port unknown, so is whether TLS starts at once, as on 465).
      assert.deepStrictEqual(seen([{ file: '.env', text: 'SMTP_HOST=smtp.example.com\nSMTP_PORT' }, script]), {
        endpoints: ['src/mail.js smtp.example.com:? unknown'],
        findings: [unsetPort],
        probes: [],
      });
      // An unclosed quote is part of the value (dotenv reads `"smtp.example.com`); the next line is a variable.
      const unclosed = seen([{ file: '.env', text: 'SMTP_HOST="smtp.example.com\nSMTP_PORT=465\n' }, script]);
      assert.deepStrictEqual(unclosed.endpoints, ['src/mail.js "smtp.example.com:465 implicit-tls']);
      assert.deepStrictEqual(unclosed.findings, []);
      // A URL cut short: the .env file's own transport is reported as invalid (a warning: createTransport does not
      // throw on it), the script's variables as unset.
      assert.deepStrictEqual(seen([{ file: '.env', text: 'SMTP_URL=smtps://' }, script]).findings, [unsetHost, unsetPort, 'nodemailer/invalid-url warning "smtps://"']);
      // Nothing that names a variable.
      assert.deepStrictEqual(seen([{ file: '.env', text: '=\n==\nSMTP_=1' }, script]), { endpoints: ['src/mail.js ?:? unknown'], findings: [unsetHost, unsetPort], probes: [] });
    });
  });

  describe('size and depth', () => {
    // Deep nesting written over lines of 100 characters: a line over 3,000 marks a generated bundle, which is not read.
    const inLines = (unit: string, n: number) => {
      const perLine = Math.max(1, Math.floor(100 / unit.length));
      return Array.from({ length: Math.ceil(n / perLine) }, (_, i) => unit.repeat(Math.min(perLine, n - i * perLine))).join('\n');
    };

    it('a 2 MB minified bundle with a transport in the middle is skipped as generated output', () => {
      const chunk = 'var a=function(b,c){return b&&c?b+c:b||c},d={x:1,y:"two",z:[1,2,3]};';
      let half = '';
      for (let i = 0; half.length < 1_000_000; i++) half += chunk.replace('a=', `a${i}=`);
      const text = half + 'var t=require("nodemailer").createTransport({host:"smtp.example.com",port:465,secure:!0});' + half;
      assert.ok(text.length >= 2_000_000);
      // A bundle is generated output, not the project's settings: recognised without parsing it, quickly.
      const r = lintChecked([{ file: 'public/bundle.min.js', text }], 500);
      assert.strictEqual(r.endpoints.length, 0);
    });

    it('10,000 nested parentheses: the host is read, the port (nested deeper than the parser can follow) is unknown', () => {
      const n = 10_000;
      const text = `const nodemailer = require('nodemailer');\nnodemailer.createTransport({ host: 'smtp.example.com', port: ${inLines('(', n)}587${inLines(')', n)} });\n`;
      assert.deepStrictEqual(seen([{ file: 'src/mail.js', text }], 2000), { endpoints: ['src/mail.js smtp.example.com:? unknown'], findings: [], probes: [] });
      const r = lintChecked([{ file: 'src/mail.js', text }], 2000);
      assert.match(r.transports[0].options.get('port')!.unresolved!.description, /nested deeper than the parser can follow/);
    });

    it('a 10,000-term a || a || ... chain: the transport is found, its host and port unknown (not localhost:587)', () => {
      const text = `const nodemailer = require('nodemailer');\nconst a = process.env.SMTP_HOST;\nnodemailer.createTransport({ host: ${inLines('a || ', 10_000)}'smtp.example.com' });\n`;
      assert.deepStrictEqual(seen([{ file: 'src/mail.js', text }], 2000), { endpoints: ['src/mail.js ?:? unknown'], findings: [], probes: [] });
      // The same chain short enough to parse: past 20 terms it is too deep to follow, so the host is unknown there too.
      const short = `const nodemailer = require('nodemailer');\nconst a = process.env.SMTP_HOST;\nnodemailer.createTransport({ host: ${'a || '.repeat(100)}'smtp.example.com' });\n`;
      assert.deepStrictEqual(seen([{ file: 'src/mail.js', text: short }]).endpoints, ['src/mail.js ?:587 starttls-opportunistic']);
    });

    it('nesting deeper than the parser can follow elsewhere in the file does not hide the transport', () => {
      const text = `const nodemailer = require('nodemailer');\nconst table = ${inLines('[', 5000)}${inLines(']', 5000)};\nnodemailer.createTransport({ host: 'smtp.example.com', port: 465 });\n`;
      assert.deepStrictEqual(seen([{ file: 'src/mail.js', text }], 2000), {
        endpoints: ['src/mail.js smtp.example.com:465 implicit-tls'],
        findings: [],
        probes: ['smtp.example.com:465'],
      });
    });

    it('10,000 nested objects as options and a long chain of spreads', () => {
      const nested = `const nodemailer = require('nodemailer');\nnodemailer.createTransport(${'{ a: '.repeat(10_000)}1${' }'.repeat(10_000)});\n`;
      lintChecked([{ file: 'src/a.js', text: nested }], 2000);
      let chain = "const nodemailer = require('nodemailer');\nconst o0 = { host: 'smtp.example.com' };\n";
      for (let i = 1; i <= 3000; i++) chain += `const o${i} = { ...o${i - 1} };\n`;
      chain += 'nodemailer.createTransport(o3000);\n';
      lintChecked([{ file: 'src/b.js', text: chain }], 2000);
    });

    it('self-referencing constants do not loop', () => {
      const text = "const nodemailer = require('nodemailer');\nconst a = b || 'x', b = a;\nconst o = { ...o, host: a, port: o.port };\nnodemailer.createTransport(o);\n";
      lintChecked([{ file: 'src/mail.js', text }], 2000);
    });

    it('deeply nested YAML and JSON', () => {
      const n = 10_000;
      lintChecked([{ file: 'config/a.yml', text: `smtp: ${'['.repeat(n)}${']'.repeat(n)}\n` }], 2000);
      lintChecked([{ file: 'config/b.yml', text: Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}mail${i}:`).join('\n') + ' smtp.example.com\n' }], 2000);
      lintChecked([{ file: 'config/c.json', text: `{"smtp":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}` }], 2000);
    });

    it('a .env file with 50,000 variables', () => {
      const text = Array.from({ length: 50_000 }, (_, i) => `SMTP_HOST_${i}=h${i}.example.com`).join('\n');
      lintChecked([{ file: '.env', text }], 2000);
    });
  });
});
