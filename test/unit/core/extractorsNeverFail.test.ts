// Property-based: the parsers and extractors that parsersNeverFail.test.ts (main.cf, master.cf, macros,
// lintPostfix) and nodemailer/robustness.test.ts (lintAppFiles over a corpus) do not call directly never
// throw, never hang, and every range or span they return lies inside its document. Where more is known
// (what a span covers, what a round trip gives back, what a limit allows), that is asserted too.
import * as assert from 'assert';
import fc from 'fast-check';
import { parse as parseDotenv } from 'dotenv';
import { parse as babelParse } from '@babel/parser';
import { parseAllDocuments } from 'yaml';
import type { File as BabelFile, Node as BabelNode } from '@babel/types';
import { checkFiles } from '../../../src/core/check';
import type { Range, SourceFile, TextEdit } from '../../../src/core/model';
import { DEFAULT_READ_LIMITS, LineSplitter, type MalformedReply, type ReadLimits, type SmtpReply, authMechanisms, decodeLine, parseEhloExtensions, parseReply, parseReplyLine, sizeLimit } from '../../../src/core/live/smtpReply';
import { type EnvFile, EnvResolver, parseEnvFile } from '../../../src/core/sources/app/envFiles';
import { extractConfigTransports, isConfigFile } from '../../../src/core/sources/app/extractFromConfig';
import { type FlatRole, classifyFlatKey, extractEnvTransports } from '../../../src/core/sources/app/extractFromEnvFile';
import { extractScriptTransports, isScriptFile } from '../../../src/core/sources/app/extractFromScript';
import { parseScript } from '../../../src/core/sources/app/parseScript';
import { looksLikeSmtpUrl, parseSmtpUrl } from '../../../src/core/sources/app/smtpUrl';
import { type TransportDefinition, rangeInsideValue } from '../../../src/core/sources/app/transport';
import { describeParameter } from '../../../src/core/sources/postfix/describe';
import { parsePostfixInstance } from '../../../src/core/sources/postfix/instance';
import { parseMainCf } from '../../../src/core/sources/postfix/mainCf';
import { parseMasterCf } from '../../../src/core/sources/postfix/masterCf';
import { parameterNameAt } from '../../../src/core/sources/postfix/nameAt';
import { relayhostEndpoints, relayhostEntries } from '../../../src/core/sources/postfix/relayhost';
import { showMainCf, showMasterCf } from '../../../src/core/sources/postfix/show';
import { editDistance, nearest } from '../../../src/core/suggest';
import { REDACTED, isSecretName } from '../../../src/core/redact';
import { LineIndex } from '../../../src/core/text';
import { applyEdit } from '../helpers';

// ---------------------------------------------------------------------------------------------
// Shared helpers

/** Generous: catches hangs and runaway work, not slowness (a loaded CI machine is several times slower). */
const HANG_MS = 3000;

function timed<T>(what: string, f: () => T): T {
  const started = Date.now();
  const result = f();
  const took = Date.now() - started;
  assert.ok(took < HANG_MS, `${what} took ${took} ms`);
  return result;
}

function assertRangeInside(text: string, range: Range, what: string): void {
  const lines = new LineIndex(text);
  for (const p of [range.start, range.end]) {
    assert.ok(Number.isInteger(p.line) && p.line >= 0 && p.line < lines.lineCount, `${what}: line ${p.line} outside 0..${lines.lineCount - 1}`);
    const len = lines.lineEnd(p.line) - lines.lineStart(p.line);
    assert.ok(Number.isInteger(p.character) && p.character >= 0 && p.character <= len, `${what}: character ${p.character} outside line ${p.line} (length ${len})`);
  }
  assert.ok(lines.offsetAt(range.start) <= lines.offsetAt(range.end), `${what}: range ends before it starts`);
}

function assertSpanInside(text: string, span: { start: number; end: number }, what: string): void {
  assert.ok(
    Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= text.length,
    `${what}: span ${span.start}..${span.end} outside 0..${text.length}`,
  );
}

/** The text a range covers. */
function covered(text: string, range: Range): string {
  const lines = new LineIndex(text);
  return text.slice(lines.offsetAt(range.start), lines.offsetAt(range.end));
}

const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);

/** Pieces every text format here is made of: separators, quotes, line breaks, odd code points. */
const COMMON_PIECES = [
  '\n', '\r\n', '\r', ' ', '  ', '\t', '=', ':', ': ', '"', "'", '`', '${', '}', '{', '#', '\\', ',', '[', ']',
  '\u0000', '\uFEFF', '\uD800', '\uDFFF', '\u2028', '\u00A0', 'é', '\uD83D\uDCE7', 'constructor', '__proto__', 'toString',
];

/** Text joined from `pieces` (and short random strings), so mutations reach the interesting paths. */
function textFrom(pieces: readonly string[], maxParts = 50): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof({ arbitrary: fc.constantFrom(...pieces, ...COMMON_PIECES), weight: 4 }, { arbitrary: fc.string({ maxLength: 6 }), weight: 1 }), { maxLength: maxParts })
    .map((parts) => parts.join(''));
}

/** Text from pieces, or fully arbitrary text, or arbitrary binary strings (lone surrogates and all). */
function anyTextFrom(pieces: readonly string[], maxParts = 50): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: textFrom(pieces, maxParts), weight: 4 },
    { arbitrary: fc.string({ maxLength: 200 }), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 1 },
  );
}

const eolOf = fc.constantFrom('\n', '\r\n');

/** Pieces of .env files that define (or almost define) mail settings. */
const ENV_PIECES_FOR_TRANSPORTS = [
  'SMTP_HOST=', 'SMTP_PORT=', 'SMTP_SECURE=', 'SMTP_USER=', 'SMTP_PASS=', 'SMTP_URL=', 'MAIL_MAILER=', 'MAIL_HOST=', 'MAIL_PORT=', 'MAIL_ENCRYPTION=',
  'MAIL_USERNAME=', 'MAIL_SCHEME=', 'EMAIL_HOST=', 'EMAIL_USE_TLS=', 'EMAIL_USE_SSL=', 'EMAIL_HOST_USER=', 'EMAIL_BACKEND=', 'MAILER_DSN=', 'smtpHost=',
  'mail.port=', 'SMTP_CONSTRUCTOR=', 'APP_SMTP_HOST=', 'export ', '"', "'", '#', ' #', '\n', '\r\n', 'smtp://u:p@smtp.example.com:587', 'smtps://h',
  'smtp://a\\%zz', 'smtp.example.com', '465', '587', '25', 'true', 'false', 'ssl', 'tls', 'null', 'smtp', 'log', '\\n',
];

/** .env text made of whole `KEY=value` lines, so that many inputs define a transport. */
const envLines = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.constantFrom(...ENV_PIECES_FOR_TRANSPORTS.filter((p) => p.endsWith('='))),
        fc.oneof(fc.constantFrom('smtp.example.com', 'smtp://u:p@smtp.example.com:587', 'smtp://a\\%zz', '465', '587', '25', 'true', 'ssl', 'tls', 'null', 'smtp', 'log', '"p w"', "'x'", ''), fc.string({ maxLength: 6 })),
        fc.constantFrom('', ' # c', '#c'),
      ),
      { maxLength: 8 },
    ),
    fc.constantFrom('\n', '\r\n'),
  )
  .map(([lines, eol]) => lines.map(([k, v, c]) => k + v + c).join(eol));

// ---------------------------------------------------------------------------------------------
// Transports: every range inside its file, literal values covered character for character

/** Nodemailer option names the extractors produce; any other name (tls.ciphers, a key in a script) must be written in the file. */
const OPTION_NAMES = new Set([
  'host', 'port', 'secure', 'requireTLS', 'ignoreTLS', 'service', 'url', 'pool', 'name', 'from', 'localAddress', 'connectionTimeout',
  'greetingTimeout', 'socketTimeout', 'maxConnections', 'maxMessages', 'authMethod', 'proxy', 'auth.user', 'auth.pass', 'options',
]);

/**
 * Every range of every transport lies inside its file; transports come sorted; a literal string written
 * on one line is covered character for character (what rangeInsideValue, and so every fix inside a value,
 * relies on); option names are nodemailer's or written in the file.
 */
function assertTransports(files: ReadonlyMap<string, string>, source: SourceFile, transports: readonly TransportDefinition[]): void {
  const text = source.text;
  for (let i = 0; i < transports.length; i++) {
    const t = transports[i];
    assert.strictEqual(t.file, source.file);
    assertRangeInside(text, t.range, 'transport');
    if (i > 0) assert.ok(before(transports[i - 1].range.start, t.range.start), 'transports are sorted by position');
    for (const [name, o] of t.options) {
      assert.strictEqual(typeof name, 'string', 'option names are strings');
      // Escapes ("\u0041", 'it''s') write a key with other characters than it has.
      const written = OPTION_NAMES.has(name) || name.split('.').every((part) => text.includes(part)) || text.includes('\\') || text.includes("''");
      assert.ok(written, `option "${String(name)}" is neither nodemailer's nor written in the file`);
      const optionText = files.get(o.file);
      assert.ok(optionText !== undefined, `option ${name} points at ${o.file}, not an input`);
      assertRangeInside(optionText, o.range, `option ${name}`);
      if (o.optionRange) assertRangeInside(optionText, o.optionRange, `option ${name} (whole)`);
      if (o.removeRange) assertRangeInside(optionText, o.removeRange, `option ${name} (removal)`);
      if (o.envString) assertRangeInside(optionText, o.envString.range, `option ${name} (environment string)`);
      if (o.keyRange) {
        assertRangeInside(optionText, o.keyRange, `option ${name} (key)`);
        const key = covered(optionText, o.keyRange);
        assert.ok(key === name.split('.').pop() || key.includes('\\'), `option ${name}: the key range covers ${JSON.stringify(key)}`);
      }
      if (o.env?.range) {
        const envText = files.get(o.env.file ?? '');
        assert.ok(envText !== undefined, `option ${name}: .env file ${o.env.file} is not an input`);
        assertRangeInside(envText, o.env.range, `option ${name} (.env value)`);
      }
      assert.ok(o.value !== undefined || o.unresolved || o.nullish, `option ${name} has neither a value nor a reason`);
      if (o.verbatim) {
        assertRangeInside(optionText, o.verbatim, `option ${name} (verbatim)`);
        assert.strictEqual(covered(optionText, o.verbatim), o.value, `option ${name}: verbatim covers other text than the value`);
      }
      if (typeof o.value === 'string' && o.file === source.file) {
        const inner = rangeInsideValue(o, 0, o.value.length);
        if (inner) assert.strictEqual(covered(text, inner), o.value, `option ${name}: the range inside the value covers other text`);
      }
    }
  }
}

/** An addOption edit lies inside the file. */
function assertEditInside(text: string, edit: TextEdit | undefined, what: string): void {
  if (edit) assertRangeInside(text, edit.range, what);
}

// ---------------------------------------------------------------------------------------------

describe('extractors never fail (property-based)', function () {
  this.timeout(60000);

  describe('SMTP URLs', () => {
    const URL_PIECES = [
      'smtp://', 'smtps://', 'direct://', 'SMTP://', 'Smtps:', 'smtp:', 'http://', 'user', 'me%40example.com', 'p@ss', '@', ':', '//',
      'smtp.example.com', 'localhost', '[', ']', '::1', '2001:db8::25', '465', '587', '0', '25', '65535', '65536', '0587',
      '99999999999999999999', '/', '?', '#', '&', 'pool=true', 'secure=false', 'maxConnections=3', 'name=%20x', '%', '%zz', '%C3', '%41',
      '${SMTP_PASSWORD}',
    ];
    const urlText = fc.oneof(
      anyTextFrom(URL_PIECES, 14),
      fc.tuple(fc.constantFrom('smtp://', 'smtps://', 'direct://'), textFrom(URL_PIECES, 10)).map(([a, b]) => a + b),
    );

    it('parseSmtpUrl never throws; an ok result agrees with the text it was read from', () => {
      fc.assert(
        fc.property(urlText, (text) => {
          const r = parseSmtpUrl(text);
          if (!looksLikeSmtpUrl(text)) assert.strictEqual(r.ok, false, 'only smtp:, smtps: and direct: URLs parse');
          if (!r.ok) {
            assert.ok(typeof r.error === 'string' && r.error.length > 0);
            return;
          }
          const u = r.url;
          const scheme = /^(smtps?|direct):\/\//i.exec(text);
          assert.ok(scheme, 'an ok URL starts with smtp://, smtps:// or direct://');
          assert.strictEqual(u.secure, scheme[1].toLowerCase() === 'smtps');
          // Port: 1..65535 and exactly the digits its span covers.
          assert.strictEqual(u.portSpan !== undefined, u.port !== undefined);
          if (u.port !== undefined && u.portSpan) {
            assert.ok(Number.isInteger(u.port) && u.port >= 1 && u.port <= 65535, `port ${u.port}`);
            assertSpanInside(text, u.portSpan, 'port');
            const digits = text.slice(u.portSpan.start, u.portSpan.end);
            assert.match(digits, /^\d+$/);
            assert.strictEqual(Number(digits), u.port);
            assert.strictEqual(text[u.portSpan.start - 1], ':');
          }
          // Host: only direct:// may go without one; the span covers it as written.
          assert.strictEqual(u.hostSpan !== undefined, u.host !== undefined);
          if (u.hostSpan) {
            assertSpanInside(text, u.hostSpan, 'host');
            const written = text.slice(u.hostSpan.start, u.hostSpan.end);
            assert.ok(written.length > 0 && !/[/?#]/.test(written), `host written as ${JSON.stringify(written)}`);
            if (!/[%[\]]/.test(written)) assert.strictEqual(u.host, written);
            if (u.portSpan) assert.strictEqual(u.hostSpan.end + 1, u.portSpan.start);
            if (!u.userInfoSpan) assert.strictEqual(u.hostSpan.start, scheme[0].length);
          } else {
            assert.strictEqual(scheme[1].toLowerCase(), 'direct', 'only direct:// has no host');
          }
          // User info: right after the scheme, ended by the @ before the host.
          if (u.userInfoSpan) {
            assertSpanInside(text, u.userInfoSpan, 'user info');
            assert.strictEqual(u.userInfoSpan.start, scheme[0].length);
            assert.strictEqual(text[u.userInfoSpan.end], '@');
            assert.ok(!/[/?#]/.test(text.slice(u.userInfoSpan.start, u.userInfoSpan.end)));
            if (u.hostSpan) assert.strictEqual(u.hostSpan.start, u.userInfoSpan.end + 1);
          }
          assert.strictEqual(u.authPresent, !!u.userInfoSpan && u.userInfoSpan.end > u.userInfoSpan.start);
          for (const [k, v] of Object.entries(u.options)) {
            assert.ok(['string', 'number', 'boolean'].includes(typeof v), `option ${k}`);
            if (typeof v === 'number') assert.ok(v >= 0, `option ${k} = ${v}`);
          }
        }),
        { numRuns: 3000 },
      );
    });

    it('a well-formed URL round-trips: scheme, user info, host, port and query options', () => {
      const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,6}[a-z0-9])?$/);
      const host = fc.oneof(
        fc.constantFrom('smtp.example.com', 'localhost', '127.0.0.1', '[::1]', '[2001:db8::25]'),
        fc.array(label.filter((l) => !l.startsWith('xn--')), { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.')), // xn-- labels must be valid punycode
      );
      const query = fc.uniqueArray(
        fc.tuple(fc.stringMatching(/^[A-Za-z]{1,8}$/), fc.oneof(fc.constantFrom('true', 'false'), fc.nat({ max: 100000 }).map(String), fc.stringMatching(/^[a-z]{1,6}$/))),
        { selector: ([k]) => k, maxLength: 3 },
      );
      fc.assert(
        fc.property(
          fc.constantFrom('smtp', 'smtps', 'direct', 'SMTP', 'Smtps'),
          fc.option(fc.tuple(fc.stringMatching(/^[a-z0-9]{1,8}$/), fc.option(fc.stringMatching(/^[A-Za-z0-9]{0,8}$/)))),
          host,
          fc.option(fc.integer({ min: 1, max: 65535 })),
          query,
          (scheme, auth, h, port, q) => {
            const userInfo = auth ? (auth[1] === null ? auth[0] : `${auth[0]}:${auth[1]}`) : undefined;
            const text =
              `${scheme}://${userInfo !== undefined ? userInfo + '@' : ''}${h}${port !== null ? `:${port}` : ''}` +
              (q.length ? '/?' + q.map(([k, v]) => `${k}=${v}`).join('&') : '');
            const r = parseSmtpUrl(text);
            assert.ok(r.ok, `${text}: ${r.ok ? '' : r.error}`);
            assert.strictEqual(r.url.secure, scheme.toLowerCase() === 'smtps');
            assert.strictEqual(r.url.host, h.replace(/^\[|\]$/g, ''));
            assert.strictEqual(text.slice(r.url.hostSpan!.start, r.url.hostSpan!.end), h);
            assert.strictEqual(r.url.port, port ?? undefined);
            assert.strictEqual(r.url.authPresent, userInfo !== undefined);
            if (userInfo !== undefined) assert.strictEqual(text.slice(r.url.userInfoSpan!.start, r.url.userInfoSpan!.end), userInfo);
            const expected = Object.fromEntries(q.map(([k, v]) => [k, v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v]));
            assert.deepStrictEqual({ ...r.url.options }, expected);
          },
        ),
        { numRuns: 1000 },
      );
    });
  });

  describe('.env files', () => {
    const ENV_PIECES = [
      'SMTP_HOST', 'SMTP_PORT', 'SMTP_SECURE', 'SMTP_USER', 'SMTP_PASS', 'SMTP_URL', 'MAIL_MAILER', 'MAIL_HOST', 'MAIL_PORT', 'MAIL_ENCRYPTION',
      'MAIL_USERNAME', 'EMAIL_HOST', 'EMAIL_USE_TLS', 'EMAIL_HOST_USER', 'EMAIL_BACKEND', 'MAILER_DSN', 'smtpHost', 'mail.port', 'SMTP_CONSTRUCTOR',
      'export ', '=', ' = ', ': ', '"', "'", '`', '#', ' #', '\n', '\r\n', 'smtp://u:p@smtp.example.com:587', 'smtps://h', 'smtp.example.com',
      '465', '587', '25', 'true', 'false', 'ssl', 'tls', 'null', 'smtp', 'log', '\\n', '${SMTP_HOST}',
    ];
    const envFileName = fc.constantFrom('.env', 'app/.env.local', 'app/.env.production', 'C:\\app\\.env.example');

    it('parseEnvFile agrees with dotenv: the same variables, each value range holding what dotenv reads, each removable line removing just it', () => {
      fc.assert(
        fc.property(envFileName, anyTextFrom(ENV_PIECES, 60), (file, text) => {
          const env = timed('parseEnvFile', () => parseEnvFile({ file, text }));
          assert.strictEqual(env.file, file);
          const dotenv = parseDotenv(text);
          assert.deepStrictEqual([...env.variables.keys()].sort(), Object.keys(dotenv).sort(), 'the variables dotenv sets');
          const lines = new LineIndex(text);
          for (const [key, v] of env.variables) {
            assert.strictEqual(key, v.name);
            assert.strictEqual(v.file, file);
            assert.strictEqual(v.value, dotenv[key]);
            for (const [what, r] of [['line', v.lineRange], ['name', v.nameRange], ['value', v.valueRange]] as const) assertRangeInside(text, r, `${v.name} ${what}`);
            assert.strictEqual(covered(text, v.nameRange), v.name);
            assert.deepStrictEqual(v.lineRange.start, v.nameRange.start, 'the line range starts at the name');
            assert.ok(before(v.nameRange.end, v.valueRange.start) && before(v.valueRange.end, v.lineRange.end), `${v.name}: value outside its line`);
            // What the value range covers is the value as written: dotenv reads it back as the same value.
            const written = covered(text, v.valueRange);
            assert.strictEqual(parseDotenv(`K=${written}`).K ?? '', v.value, `${v.name}: the value range covers ${JSON.stringify(written)}`);
            if (v.verbatim) {
              assert.strictEqual(v.verbatim.start.line, v.verbatim.end.line);
              assert.strictEqual(covered(text, v.verbatim), v.value, `${v.name}: verbatim covers other text`);
            }
            if (v.aloneOnLine) {
              // Deleting the line leaves every other variable as it was.
              const line = v.nameRange.start.line;
              const after = text.slice(0, lines.lineStart(line)) + text.slice(line + 1 < lines.lineCount ? lines.lineStart(line + 1) : text.length);
              const rest = parseDotenv(after);
              for (const [other, value] of Object.entries(dotenv)) if (other !== key) assert.strictEqual(rest[other], value, `deleting ${key}'s line changed ${other}`);
            }
          }
        }),
        { numRuns: 1500 },
      );
    });

    /** One `NAME=value` line of a well-formed file, with the value dotenv reads and the text the value range covers. */
    type EnvLine = { readonly line: string; readonly nameAt: number; readonly name: string; readonly value: string; readonly written: string };
    const NAMES = ['SMTP_HOST', 'SMTP_PORT', 'SMTP_SECURE', 'MAIL_HOST', 'MAIL_ENCRYPTION', 'EMAIL_HOST_USER', 'smtp.host', 'A', 'x-y_z.1', 'export'];
    const plain = fc.array(fc.constantFrom(...'abcXYZ019.:/@-_é'.split(''), '\uD83D\uDCE7', ' ', '='), { maxLength: 12 }).map((cs) => cs.join('').trim());
    const quotedContent = (q: string) =>
      fc.array(fc.constantFrom(...'abc 01.:/@=é'.split(''), '#', ' #', '"', "'", '`').filter((c) => c !== q), { maxLength: 10 }).map((cs) => cs.join(''));
    const envValue: fc.Arbitrary<{ value: string; written: string; comment: string }> = fc.oneof(
      fc.tuple(plain, fc.constantFrom('', ' # note', '\t# note', '#note', '# note')).map(([v, comment]) => ({ value: v, written: v, comment })),
      fc
        .constantFrom("'", '"', '`')
        .chain((q) => fc.tuple(fc.constant(q), quotedContent(q), fc.constantFrom('', ' # note', '#note', '  ')))
        .map(([q, c, comment]) => ({ value: c, written: q + c + q, comment })),
    );
    const envLine: fc.Arbitrary<EnvLine> = fc
      .record({
        indent: fc.constantFrom('', ' ', '\t'),
        exported: fc.boolean(),
        name: fc.constantFrom(...NAMES),
        around: fc.constantFrom(['', ''], [' ', ' '], ['', ' '], ['\t', '']),
        value: envValue,
      })
      .map(({ indent, exported, name, around, value }) => ({
        line: `${indent}${exported ? 'export ' : ''}${name}${around[0]}=${around[1]}${value.written}${value.comment}`,
        nameAt: indent.length + (exported ? 'export '.length : 0),
        name,
        value: value.value,
        written: value.written,
      }));
    const envDoc = fc.array(fc.oneof({ arbitrary: envLine, weight: 5 }, { arbitrary: fc.constantFrom('', '# SMTP_HOST=commented.example', '   '), weight: 1 }), { maxLength: 10 });

    it('parseEnvFile on well-formed lines: the last definition wins, with dotenv\'s value and the value as written', () => {
      fc.assert(
        fc.property(envDoc, eolOf, fc.boolean(), (lines, eol, finalEol) => {
          const text = lines.map((l) => (typeof l === 'string' ? l : l.line)).join(eol) + (finalEol ? eol : '');
          const env = parseEnvFile({ file: '.env', text });
          const last = new Map<string, EnvLine>();
          for (const l of lines) if (typeof l !== 'string') last.set(l.name, l);
          assert.deepStrictEqual([...env.variables.keys()].sort(), [...last.keys()].sort());
          for (const [name, l] of last) {
            const v = env.variables.get(name)!;
            assert.strictEqual(v.value, l.value, `${name}: value`);
            assert.strictEqual(covered(text, v.valueRange), l.written, `${name}: the value range covers other text than the value`);
            assert.strictEqual(covered(text, v.lineRange), l.line.slice(l.nameAt), `${name}: line`);
          }
        }),
        { numRuns: 1500 },
      );
    });

    it('EnvResolver: the nearest folder wins, then .env.local, .env, others; templates are examples, never values', () => {
      const DIRS = ['', 'a', 'a/b', 'a/b/c', 'd', 'a\\b'];
      const ORDER = ['.env.local', '.env', '.env.production', '.env.staging', '.env.example'];
      const VARS = ['SMTP_HOST', 'SMTP_PORT', 'X'];
      const dirOf = (p: string) => {
        const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
        return i < 0 ? '' : p.slice(0, i);
      };
      const envFiles = fc.uniqueArray(
        fc.record({ dir: fc.constantFrom(...DIRS), name: fc.constantFrom(...ORDER), vars: fc.subarray(VARS) }),
        { selector: (f) => `${f.dir}/${f.name}`, maxLength: 10 },
      );
      fc.assert(
        fc.property(envFiles, fc.constantFrom(...DIRS, 'a/b/c/d', 'e/f'), fc.constantFrom(...VARS, 'NOPE', 'constructor'), (specs, fromDir, name) => {
          const path = (s: { dir: string; name: string }) => (s.dir ? `${s.dir}/${s.name}` : s.name);
          const parsed: EnvFile[] = specs.map((s) => parseEnvFile({ file: path(s), text: s.vars.map((v) => `${v}=${path(s)}`).join('\n') }));
          const resolver = new EnvResolver(parsed);
          assert.strictEqual(resolver.files.length, parsed.length);
          const from = fromDir ? `${fromDir}/app.js` : 'app.js';
          // The model: walk up the folders; in the first that sets the name, the best-ranked real file wins;
          // templates (.env.example) give the example, never the value.
          for (const templates of [false, true]) {
            const found = timed('lookup', () => (templates ? resolver.example(name, from) : resolver.lookup(name, from)));
            let expected: string | undefined;
            for (let dir = dirOf(from); ; dir = dirOf(dir)) {
              const here = specs
                .filter((s) => s.dir === dir && s.vars.includes(name) && (s.name === '.env.example') === templates)
                .sort((a, b) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name));
              if (here.length) {
                expected = path(here[0]);
                break;
              }
              if (dir === '') break;
            }
            assert.strictEqual(found?.value, expected);
            if (found) {
              assert.strictEqual(found.name, name);
              assert.strictEqual(found.file, expected);
            }
          }
        }),
        { numRuns: 1500 },
      );
    });
  });

  describe('flat SMTP_* / MAIL_* / EMAIL_* keys', () => {
    const ROLES: readonly FlatRole[] = ['host', 'port', 'secure', 'encryption', 'requireTLS', 'ignoreTLS', 'auth.user', 'auth.pass', 'url', 'service', 'driver', 'transport', 'from', 'pool'];
    const WORDS = [
      'SMTP', 'smtp', 'Smtp', 'MAIL', 'mail', 'EMAIL', 'Email', 'MAILER', 'APP', 'DB', 'HOST', 'host', 'Host', 'PORT', 'USER', 'NAME', 'PASSWORD',
      'pass', 'FROM', 'ADDRESS', 'USE', 'TLS', 'SSL', 'URL', 'DSN', 'DRIVER', 'ENCRYPTION', 'x', '1', '2fa', 'CONSTRUCTOR', 'constructor', 'proto',
      'hasOwnProperty', 'valueOf',
    ];
    const key = fc.oneof(
      fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom('_', '.', '-', '', '__')), { maxLength: 8 }).map((p) => p.join('')),
      fc.string({ maxLength: 20 }),
    );

    it('classifyFlatKey: a known role, and prefix, separator and family taken from the key itself', () => {
      fc.assert(
        fc.property(key, (k) => {
          const c = classifyFlatKey(k);
          if (!c) return;
          assert.match(k, /^[A-Za-z][A-Za-z0-9_.-]*$/);
          assert.ok(ROLES.includes(c.role), `role ${String(c.role)} of ${k}`);
          assert.ok(k.startsWith(c.prefix), `prefix ${c.prefix} of ${k}`);
          assert.ok(['_', '.', '-', ''].includes(c.separator));
          assert.ok(k.slice(c.prefix.length).startsWith(c.separator));
          assert.ok(k.length > c.prefix.length + c.separator.length, 'something follows the prefix');
          assert.ok(['smtp', 'mail', 'email', 'mailer'].includes(c.family.split('_').pop()!), `family ${c.family}`);
          assert.strictEqual(c.family.replace(/_/g, ''), c.prefix.toLowerCase().replace(/[_.-]/g, ''), 'the family is the prefix\'s words');
        }),
        { numRuns: 3000 },
      );
    });

    it('classifyFlatKey: case does not matter for words joined by _ . -', () => {
      const word = fc.constantFrom(...WORDS.map((w) => w.toLowerCase()));
      fc.assert(
        fc.property(fc.array(fc.tuple(word, fc.constantFrom('_', '.', '-')), { minLength: 1, maxLength: 5 }), (parts) => {
          const k = parts.map(([w, s], i) => (i ? s : '') + w).join('');
          const lower = classifyFlatKey(k);
          const upper = classifyFlatKey(k.toUpperCase());
          assert.deepStrictEqual(upper && { ...upper, prefix: upper.prefix.toLowerCase() }, lower);
        }),
        { numRuns: 1000 },
      );
    });

    it('classifyFlatKey: <prefix><sep><suffix> gets the suffix\'s role and the prefix\'s family', () => {
      const SUFFIXES: readonly [string, FlatRole][] = [
        ['HOST', 'host'], ['PORT', 'port'], ['SECURE', 'secure'], ['ENCRYPTION', 'encryption'], ['USE_TLS', 'requireTLS'], ['IGNORE_TLS', 'ignoreTLS'],
        ['HOST_USER', 'auth.user'], ['USERNAME', 'auth.user'], ['HOST_PASSWORD', 'auth.pass'], ['PASS', 'auth.pass'], ['DSN', 'url'], ['URL', 'url'],
        ['SERVICE', 'service'], ['DRIVER', 'driver'], ['MAILER', 'driver'], ['TRANSPORT', 'transport'], ['FROM_ADDRESS', 'from'], ['POOL', 'pool'],
      ];
      fc.assert(
        fc.property(
          fc.array(fc.constantFrom('APP', 'MY', 'PROD', 'EU'), { maxLength: 2 }),
          fc.constantFrom('SMTP', 'MAIL', 'EMAIL', 'MAILER'),
          fc.constantFrom('_', '.', '-'),
          fc.constantFrom(...SUFFIXES),
          fc.boolean(),
          (extra, token, sep, [suffix, role], lower) => {
            let k = [...extra, token].join('_') + sep + suffix;
            if (lower) k = k.toLowerCase();
            const c = classifyFlatKey(k);
            assert.ok(c, k);
            assert.strictEqual(c.role, role);
            assert.strictEqual(c.family, [...extra, token].join('_').toLowerCase());
            assert.strictEqual(c.separator, sep);
          },
        ),
        { numRuns: 500 },
      );
    });

    it('extractEnvTransports: ranges inside the file, one family per transport, additions appended at the end', () => {
      fc.assert(
        fc.property(fc.constantFrom('.env', 'app/.env.local'), fc.oneof(anyTextFrom(ENV_PIECES_FOR_TRANSPORTS, 60), envLines), (file, text) => {
          const source = { file, text };
          const transports = timed('extractEnvTransports', () => extractEnvTransports(source, parseEnvFile(source)));
          assertTransports(new Map([[file, text]]), source, transports);
          for (const t of transports) {
            assert.strictEqual(t.source, 'env');
            const families = new Set([...t.options.values()].map((o) => classifyFlatKey(o.env!.name)?.family));
            assert.strictEqual(families.size, 1, `one transport mixes families ${[...families].join(', ')}`);
            assert.ok(!families.has(undefined));
            for (const o of t.options.values()) {
              assert.strictEqual(o.env?.file, file);
              assert.ok(before(t.range.start, o.optionRange!.start) && before(o.optionRange!.end, t.range.end), 'the transport covers its lines');
            }
            for (const [option, value] of [['host', 'smtp.example.com'], ['port', 587], ['secure', true], ['requireTLS', true]] as const) {
              if (t.options.has(option)) continue;
              const edit = t.addOption(option, value);
              if (!edit) continue;
              assertEditInside(text, edit, `addOption ${option}`);
              assert.strictEqual(new LineIndex(text).offsetAt(edit.range.start), text.length, 'a new variable goes at the end');
              assert.match(edit.newText, /^(\r?\n)?[\w.-]+=[^\r\n]*\r?\n$/);
            }
          }
        }),
        { numRuns: 1500 },
      );
    });

    it('extractEnvTransports: an option added with addOption is read back with its value', () => {
      const FAMILY_LINES = [
        'SMTP_HOST=smtp.example.com', 'SMTP_PORT=465', 'SMTP_USER=me', 'smtp_host=mail.example.org', 'MAIL_MAILER=smtp', 'MAIL_HOST=mail.example.com',
        'MAIL_PORT=2525', 'MAIL_USERNAME=null', 'MAIL_SCHEME=smtps', 'EMAIL_HOST=smtp.example.net', 'EMAIL_HOST_USER=me', 'EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend',
        'MAILER_DSN=smtp://u:p@smtp.example.com:587', 'APP_MAIL_HOST=h.example.com', 'mail.host=m.example.com', 'OTHER=1', '# comment', '',
      ];
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...FAMILY_LINES), { minLength: 1, maxLength: 8 }), eolOf, fc.boolean(), (lines, eol, finalEol) => {
          const text = lines.join(eol) + (finalEol ? eol : '');
          const source = { file: '.env', text };
          const env = parseEnvFile(source);
          for (const t of extractEnvTransports(source, env)) {
            for (const [option, value] of [['host', 'smtp.example.com'], ['port', 587], ['secure', true], ['requireTLS', true]] as const) {
              if (t.options.has(option)) continue;
              const edit = t.addOption(option, value);
              if (!edit) continue;
              const after = applyEdit(text, edit);
              const added = /([\w.-]+)=/.exec(edit.newText)![1];
              const env2 = parseEnvFile({ file: '.env', text: after });
              for (const [name, v] of env.variables) if (name !== added) assert.strictEqual(env2.variables.get(name)?.value, v.value, `${name} changed`);
              const back = extractEnvTransports({ file: '.env', text: after }, env2).find((t2) => [...t2.options.values()].some((o) => o.env?.name === added));
              assert.ok(back, `no transport reads ${added}`);
              assert.strictEqual(back.options.get(option)?.value, value, `${option} after adding ${JSON.stringify(edit.newText)}`);
            }
          }
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('JSON and YAML configuration', () => {
    const CONFIG_PIECES = [
      '{', '}', '[', ']', '"', "'", ':', ': ', ',', '- ', '\n', '\n  ', '\n    ', '\r\n', 'smtp', 'mail', 'mailer', 'transport', 'host', 'port', '465', '587',
      'secure', 'true', 'auth', 'user', 'pass', 'tls', 'service', 'Gmail', 'url', 'SMTP_HOST', 'SMTP_PORT', 'MAIL_ENCRYPTION', 'environment', 'env',
      'name', 'value', 'valueFrom', '=', '${SMTP_HOST}', '${X:-587}', 'smtp://u:p@h:587', '&a ', '*a', '<<', '---\n', '#', '//', '/*', '*/', '{{', '}}',
      '!!str ', '|', '>', 'null', '~', 'constructor', 'CONSTRUCTOR',
    ];
    const CONFIG_NAMES = ['config/mail.json', 'mail.jsonc', 'config/mail.yaml', 'mail.yml', 'docker-compose.yml', 'compose.yaml', 'k8s/deployment.yaml', 'values.json5'];

    // Structured documents: random trees of the keys and values mail settings are written with, so most
    // inputs parse and many hold a transport (arbitrary text rarely gets past the YAML parser).
    type Tree = string | { readonly map: readonly (readonly [string, Tree])[] } | { readonly seq: readonly Tree[] };
    const KEYS = [
      'smtp', 'mail', 'mailer', 'transport', 'email', 'host', 'hostname', 'port', 'secure', 'auth', 'user', 'pass', 'password', 'username', 'encryption',
      'tls', 'rejectUnauthorized', 'service', 'url', 'environment', 'env', 'name', 'value', 'valueFrom', 'SMTP_HOST', 'SMTP_PORT', 'MAIL_ENCRYPTION',
      'MAIL_MAILER', 'EMAIL_USE_TLS', 'services', 'app', 'spec', 'db', 'imap', 'constructor', 'requireTLS', 'pool',
    ];
    const SCALARS = [
      'smtp.example.com', 'mail.example.com', 'localhost', 'imap.example.com', '25', '465', '587', '2525', '993', 'true', 'false', 'yes', 'ssl', 'tls', 'starttls',
      'null', '~', '""', '"smtp.example.com"', "'smtp.example.com'", '"smtp://u:p@smtp.example.com:587"', '"smtps://me:${SMTP_PASSWORD}@smtp.example.com"',
      '"${SMTP_HOST}"', '"${SMTP_PORT:-587}"', '"${UNSET}"', '"{{ .Values.host }}"', 'Gmail', 'SendGrid', 'SMTP_HOST=smtp.example.com', 'MAIL_PORT=587',
      '"SMTP_HOST=${SMTP_HOST}"', 'SMTP_PASSWORD', 'smtp', 'log', '"a\\tb"', "'it''s'", '"\\u00e9"', 'é', '"\uD83D\uDCE7"',
    ];
    const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree; map: Tree; seq: Tree }>((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.constantFrom(...SCALARS), tie('map'), tie('seq')),
      map: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('node')), { maxLength: 5 }).map((map) => ({ map })),
      seq: fc.array(tie('node'), { maxLength: 4 }).map((seq) => ({ seq })),
    })).map;

    /** The text after `key:` (or `-`) in block style, for a value at indentation `ind`. */
    function blockYaml(t: Tree, ind: number): string {
      if (typeof t === 'string') return ' ' + t;
      const pad = ' '.repeat(ind);
      if ('map' in t) return t.map.length ? t.map.map(([k, v]) => `\n${pad}${k}:${blockYaml(v, ind + 2)}`).join('') : ' {}';
      return t.seq.length ? t.seq.map((v) => `\n${pad}-${blockYaml(v, ind + 2)}`).join('') : ' []';
    }

    function jsonValue(t: Tree): unknown {
      if (typeof t === 'string') {
        if (/^\d+$/.test(t)) return Number(t);
        if (t === 'true' || t === 'false') return t === 'true';
        if (t === 'null' || t === '~') return null;
        return /^["']/.test(t) ? t.slice(1, -1) : t;
      }
      if ('map' in t) return Object.fromEntries(t.map.map(([k, v]) => [k, jsonValue(v)]));
      return t.seq.map(jsonValue);
    }

    /** A document and a file name it fits. */
    const structured = fc.oneof(
      fc.tuple(tree, eolOf, fc.constantFrom('config/mail.yaml', 'docker-compose.yml', 'k8s/deployment.yaml')).map(([t, eol, file]) => ({
        file,
        text: blockYaml(t, 0).replace(/^\n/, '').replace(/\n/g, eol) + eol,
      })),
      fc.tuple(tree, fc.constantFrom(0, 2), fc.constantFrom('config/mail.json', 'mail.jsonc')).map(([t, indent, file]) => ({
        file,
        text: (file.endsWith('c') ? '// mail settings\n' : '') + JSON.stringify(jsonValue(t), null, indent) + '\n',
      })),
    );

    const ENV_FOR_CONFIG = { file: '.env', text: 'SMTP_HOST=smtp.env.example\nSMTP_PORT=2525\nSMTP_PASSWORD=secret\nEMPTY=\n' };
    const resolver = new EnvResolver([parseEnvFile(ENV_FOR_CONFIG)]);

    function checkConfig(source: SourceFile): TransportDefinition[] {
      assert.ok(isConfigFile(source.file));
      const transports = timed('extractConfigTransports', () => extractConfigTransports(source, resolver));
      assertTransports(new Map([[source.file, source.text], [ENV_FOR_CONFIG.file, ENV_FOR_CONFIG.text]]), source, transports);
      for (const t of transports) {
        assert.strictEqual(t.source, /\.json[c5]?$/.test(source.file) ? 'json' : 'yaml');
        for (const [option, value] of [['port', 587], ['secure', true], ['requireTLS', true], ['auth.user', 'me'], ['tls.rejectUnauthorized', false]] as const) {
          if (!t.options.has(option)) assertEditInside(source.text, t.addOption(option, value), `addOption ${option}`);
        }
      }
      return transports;
    }

    it('arbitrary text under JSON, YAML, compose and k8s names: ranges inside, literal values covered exactly', () => {
      fc.assert(
        fc.property(fc.constantFrom(...CONFIG_NAMES), anyTextFrom(CONFIG_PIECES, 60), (file, text) => {
          checkConfig({ file, text });
        }),
        { numRuns: 1500 },
      );
    });

    it('structured YAML and JSON: ranges inside, and an option added with addOption is read back', () => {
      fc.assert(
        fc.property(structured, (source) => {
          for (const t of checkConfig(source)) {
            for (const [option, value] of [['port', 587], ['requireTLS', true]] as const) {
              if (t.options.has(option)) continue;
              const edit = t.addOption(option, value);
              if (!edit) continue;
              const after = { file: source.file, text: applyEdit(source.text, edit) };
              const back = extractConfigTransports(after, resolver).find((t2) => t2.range.start.line === t.range.start.line && t2.range.start.character === t.range.start.character && t2.options.get(option)?.value === value);
              assert.ok(back, `${option} added as ${JSON.stringify(edit.newText)} is not read back:\n${after.text}`);
            }
          }
        }),
        { numRuns: 800 },
      );
    });

    it('structured YAML and JSON: removing an option where removeRange says leaves a valid document', () => {
      const valid = (file: string, text: string) => {
        if (file.endsWith('.json')) {
          try {
            JSON.parse(text);
            return true;
          } catch {
            return false;
          }
        }
        return parseAllDocuments(text).every((d) => d.errors.length === 0);
      };
      fc.assert(
        fc.property(structured, (source) => {
          if (!valid(source.file, source.text)) return;
          for (const t of extractConfigTransports(source, resolver)) {
            for (const [name, o] of t.options) {
              if (!o.removeRange || o.file !== source.file) continue;
              const after = applyEdit(source.text, { range: o.removeRange, newText: '' });
              assert.ok(valid(source.file, after), `removing ${name} breaks the document:\n${after}`);
            }
          }
        }),
        { numRuns: 600 },
      );
    });
  });

  describe('JS/TS scripts', () => {
    const SCRIPT_NAMES = ['src/mail.js', 'src/mail.ts', 'src/mail.tsx', 'src/mail.mjs', 'src/mail.jsx', 'src/mail.cjs'];
    const HEADERS = [
      "import nodemailer from 'nodemailer';\n",
      "const nodemailer = require('nodemailer');\n",
      "import { createTransport as ct } from 'nodemailer';\n",
      "const { createTransport } = require('nodemailer');\n",
      "import * as mailer from 'nodemailer';\n",
    ];
    const CALLEES = ['nodemailer.createTransport', 'ct', 'createTransport', "require('nodemailer').createTransport", 'mailer.createTransport', 'nodemailer?.createTransport'];
    const JS_KEYS = ['host', 'port', 'secure', 'auth', 'tls', 'service', 'url', 'requireTLS', 'ignoreTLS', 'pool', '"host"', "'port'", '[k]', 'name', 'constructor', '"a b"'];
    const JS_VALUES = [
      "'smtp.example.com'", '"smtp.example.com"', '`smtp.${domain}`', '`smtp.example.com`', '465', '587', 'true', 'false', "'true'", 'process.env.SMTP_HOST',
      "process.env['SMTP_PORT']", 'process.env.SMTP_PORT || 587', "Number(process.env.SMTP_PORT ?? '587')", "process.env.SMTP_SECURE === 'true'", 'host',
      'cfg.port', "'smtp://u:p@smtp.example.com:587'", '{ user: process.env.SMTP_USER, pass: "x" }', '{ rejectUnauthorized: false }', '-1', 'undefined',
      "'a\\'b'", "'\\u0041'", '"é\uD83D\uDCE7"', 'x as any', 'port!',
    ];
    const PRELUDE = "const host = 'smtp.example.com';\nconst base = { port: 465 };\nconst cfg = { port: 2525 };\nconst k = 'x';\n";
    const property = fc.oneof(
      { arbitrary: fc.tuple(fc.constantFrom(...JS_KEYS), fc.constantFrom(...JS_VALUES)).map(([k, v]) => `${k}: ${v}`), weight: 6 },
      { arbitrary: fc.constantFrom('...base', 'host', 'get x() { return 1; }'), weight: 1 },
    );
    const argument = fc.oneof(
      { arbitrary: fc.tuple(fc.array(property, { maxLength: 6 }), fc.constantFrom('', ',', ' ')).map(([ps, tail]) => `{ ${ps.join(', ')}${ps.length ? tail : ''} }`), weight: 5 },
      { arbitrary: fc.constantFrom("'smtp://u:p@smtp.example.com:465'", 'process.env.SMTP_URL', 'opts', "smtpTransport({ host: 'h.example.com', port: 25 })", '...args', ''), weight: 1 },
    );
    const script = fc.record({
      file: fc.constantFrom(...SCRIPT_NAMES),
      header: fc.constantFrom(...HEADERS),
      callee: fc.constantFrom(...CALLEES),
      argument,
      eol: eolOf,
    }).map(({ file, header, callee, argument, eol }) => ({ file, text: (header + PRELUDE + `export const t = ${callee}(${argument});\n`).replace(/\n/g, eol) }));

    const SCRIPT_PIECES = [
      '{', '}', '(', ')', '[', ']', ';', '=>', '...', '?.', '??', '||', '===', '/*', '*/', '//', '<', '>', '</', 'process.env.', 'process.env.SMTP_PORT',
      'nodemailer.createTransport(', 'createTransport(', "require('nodemailer')", "'nodemailer'", 'import ', 'export ', 'const ', 'as ', 'secure: true',
      'port: 465', 'host: ', "'smtp.example.com'", 'smtp://', 'function', 'return', 'async ', 'await ', 'new ', '<T>', 'type X = ', '@dec\n',
    ];
    const ENV_FOR_SCRIPTS = { file: 'src/.env', text: 'SMTP_HOST=smtp.env.example\nSMTP_PORT=2525\nSMTP_URL=smtp://a\\%zz\n' };
    const scriptResolver = new EnvResolver([parseEnvFile(ENV_FOR_SCRIPTS)]);

    /** Every AST node, depth first (iterative, as deep nesting must not overflow the stack). */
    function nodesOf(root: BabelNode): BabelNode[] {
      const out: BabelNode[] = [];
      const stack: unknown[] = [root];
      while (stack.length) {
        const n = stack.pop();
        if (!n || typeof n !== 'object') continue;
        if (Array.isArray(n)) {
          stack.push(...n);
          continue;
        }
        const node = n as BabelNode & Record<string, unknown>;
        if (typeof node.type !== 'string') continue;
        out.push(node);
        for (const k of Object.keys(node)) if (!['loc', 'extra', 'leadingComments', 'trailingComments', 'innerComments', 'comments', 'tokens', 'errors'].includes(k)) stack.push(node[k]);
      }
      return out;
    }

    it('parseScript: returns an AST or nothing, and every identifier in the text is where the AST says', () => {
      fc.assert(
        fc.property(fc.constantFrom(...SCRIPT_NAMES), fc.oneof(anyTextFrom(SCRIPT_PIECES, 40), script.map((s) => s.text)), fc.nat(), (file, text, cut) => {
          // Half-typed: sometimes only a prefix of the text.
          const t = cut % 3 === 0 ? text.slice(0, cut % (text.length + 1)) : text;
          const parsed = timed('parseScript', () => parseScript(t, file));
          if (!parsed) return;
          const ast: BabelFile = parsed.ast;
          for (const u of parsed.unread) assertSpanInside(t, u, 'unread text');
          assert.strictEqual(ast.type, 'File');
          for (const n of nodesOf(ast.program)) {
            if (typeof n.start !== 'number' || typeof n.end !== 'number') continue;
            assert.ok(n.start >= 0 && n.start <= n.end, `${n.type} at ${n.start}..${n.end}`);
            // Repairs append closers after the text, but never move what was written.
            if (n.type === 'Identifier' && n.end <= t.length) {
              const written = t.slice(n.start, n.end);
              if (!written.includes('\\')) assert.ok(written === n.name || written.startsWith(n.name), `identifier ${n.name} covers ${JSON.stringify(written)}`);
            }
          }
        }),
        { numRuns: 600 },
      );
    });

    it('extractScriptTransports: ranges inside, literal values covered exactly, addOption read back', () => {
      fc.assert(
        fc.property(fc.oneof({ arbitrary: script, weight: 3 }, { arbitrary: fc.record({ file: fc.constantFrom(...SCRIPT_NAMES), text: anyTextFrom(SCRIPT_PIECES, 40) }), weight: 1 }), fc.nat(), (s, cut) => {
          const truncated = cut % 4 === 0;
          const source = truncated ? { file: s.file, text: s.text.slice(0, cut % (s.text.length + 1)) } : s;
          assert.ok(isScriptFile(source.file));
          const transports = timed('extractScriptTransports', () => extractScriptTransports(source, scriptResolver));
          assertTransports(new Map([[source.file, source.text], [ENV_FOR_SCRIPTS.file, ENV_FOR_SCRIPTS.text]]), source, transports);
          for (const t of transports) {
            assert.strictEqual(t.source, 'nodemailer');
            for (const [option, value] of [['port', 587], ['requireTLS', true], ['name', "it's"]] as const) {
              if (t.options.has(option)) continue;
              const edit = t.addOption(option, value);
              if (!edit) continue;
              assertEditInside(source.text, edit, `addOption ${option}`);
              if (truncated) continue;
              const after = { file: source.file, text: applyEdit(source.text, edit) };
              const back = extractScriptTransports(after, scriptResolver).find((t2) => t2.range.start.line === t.range.start.line && t2.range.start.character === t.range.start.character);
              assert.ok(back, `the transport is gone after adding ${JSON.stringify(edit.newText)}:\n${after.text}`);
              assert.strictEqual(back.options.get(option)?.value, value, `${option} added as ${JSON.stringify(edit.newText)}:\n${after.text}`);
            }
          }
        }),
        { numRuns: 800 },
      );
    });

    /** Whether Babel reads the text without any error recovery. */
    function parsesStrictly(text: string, file: string): boolean {
      try {
        babelParse(text, { sourceType: 'module', plugins: /\.tsx$/.test(file) ? ['typescript', 'jsx'] : /ts$/.test(file) ? ['typescript'] : ['jsx'] });
        return true;
      } catch {
        return false;
      }
    }

    it('extractScriptTransports: removing an option where removeRange says leaves valid code and the transport without it', () => {
      fc.assert(
        fc.property(script, (source) => {
          if (!parsesStrictly(source.text, source.file)) return;
          for (const t of extractScriptTransports(source, scriptResolver)) {
            for (const [name, o] of t.options) {
              if (!o.removeRange) continue;
              const after = applyEdit(source.text, { range: o.removeRange, newText: '' });
              assert.ok(parsesStrictly(after, source.file), `removing ${name} breaks the code:\n${after}`);
              const back = extractScriptTransports({ file: source.file, text: after }, scriptResolver).find((t2) => t2.range.start.line === t.range.start.line && t2.range.start.character === t.range.start.character);
              assert.ok(back, `the transport is gone after removing ${name}:\n${after}`);
              // A key written earlier too (or in a spread before it) is what is left.
              const left = back.options.get(name)?.optionRange;
              assert.ok(!left || before(left.start, o.removeRange.start), `${name} is still there:\n${after}`);
            }
          }
        }),
        { numRuns: 600 },
      );
    });
  });

  describe('SMTP replies', () => {
    // eslint-disable-next-line no-control-regex
    const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;
    const b = (s: string) => Buffer.from(s, 'utf8');
    const piece: fc.Arbitrary<Buffer> = fc.oneof(
      {
        arbitrary: fc
          .tuple(fc.constantFrom('220', '250', '354', '421', '550', '199', '600'), fc.constantFrom(' ', '-', ''), fc.constantFrom('', 'OK', 'SIZE 1000', 'AUTH PLAIN', 'é\u001b[0m'), fc.constantFrom('\r\n', '\n'))
          .map(([code, sep, text, eol]) => b(code + (sep ? sep + text : '') + eol)),
        weight: 8,
      },
      {
        arbitrary: fc
          .constantFrom('250', '250-', '250 ', '220 mail.example.com ESMTP', '354', '421 ', '550-', '199 ', '600 ', 'OK', 'PIPELINING', 'AUTH PLAIN LOGIN',
            'SIZE 10240000', '\r\n', '\n', '\r', ' ', '\t', '\u001b[31m', '\u0000', '\u007f', '\u0085', 'é', '\uD83D\uDCE7')
          .map(b),
        weight: 8,
      },
      { arbitrary: fc.uint8Array({ maxLength: 12 }).map((u) => Buffer.from(u)), weight: 2 },
      { arbitrary: fc.record({ byte: fc.integer({ min: 0, max: 255 }), n: fc.integer({ min: 1, max: 40 }) }).map(({ byte, n }) => Buffer.alloc(n, byte)), weight: 1 },
      { arbitrary: fc.integer({ min: 4090, max: 4100 }).map((n) => Buffer.alloc(n, 0x61)), weight: 1 },
    );
    const stream = fc.array(piece, { maxLength: 40 }).map((ps) => Buffer.concat(ps));
    const limits: fc.Arbitrary<ReadLimits> = fc.oneof(
      fc.constant(DEFAULT_READ_LIMITS),
      fc.record({ maxLineBytes: fc.integer({ min: 1, max: 24 }), maxReplyLines: fc.integer({ min: 1, max: 5 }), maxTotalBytes: fc.integer({ min: 0, max: 400 }) }),
    );

    function chunksOf(buf: Buffer, cuts: readonly number[]): Buffer[] {
      const at = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((x, y) => x - y);
      const out: Buffer[] = [];
      let prev = 0;
      for (const c of [...at, buf.length]) {
        out.push(buf.subarray(prev, c));
        prev = c;
      }
      return out;
    }

    type Taken = SmtpReply | MalformedReply;
    interface Run {
      readonly taken: Taken[];
      readonly byteError: boolean;
      readonly error: boolean;
      readonly pending: number;
      readonly partial: boolean;
      readonly total: number;
    }

    /** Pushes the chunks (taking replies after each one when `interleave`), then takes what is left. */
    function run(chunks: readonly Buffer[], lim: ReadLimits, interleave: boolean): Run {
      const s = new LineSplitter(lim);
      const taken: Taken[] = [];
      const drain = () => {
        for (let r = s.takeReply(); r !== undefined; r = s.takeReply()) taken.push(r);
      };
      for (const c of chunks) {
        s.push(c);
        if (s.error) assert.strictEqual(s.pendingLines + (s.hasPartial ? 1 : 0), 0, 'a failed reader keeps nothing');
        if (interleave) drain();
      }
      const byteError = s.error !== undefined && s.error !== 'too-many-lines';
      const pending = s.pendingLines;
      const partial = s.hasPartial;
      const total = s.totalBytes;
      drain();
      return { taken, byteError, error: s.error !== undefined, pending, partial, total };
    }

    /** What a reader must hold after reading `buf`: its complete lines (CR removed) and the unfinished tail. */
    function model(buf: Buffer, lim: ReadLimits): { lines: Buffer[]; tail: Buffer; overLimit: boolean } {
      const lines: Buffer[] = [];
      let start = 0;
      for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a, start)) {
        let line = buf.subarray(start, nl);
        if (line.length && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
        lines.push(line);
        start = nl + 1;
      }
      const tail = buf.subarray(start);
      const overLimit = buf.length > lim.maxTotalBytes || lines.some((l) => l.length > lim.maxLineBytes) || tail.length > lim.maxLineBytes + 1;
      return { lines, tail, overLimit };
    }

    function assertTaken(taken: readonly Taken[], lim: ReadLimits): void {
      for (const t of taken) {
        if ('malformed' in t) {
          assert.ok(!CONTROL.test(t.malformed), `control character in ${JSON.stringify(t.malformed)}`);
          assert.ok(t.malformed.length <= lim.maxLineBytes);
          assert.strictEqual(parseReplyLine(t.malformed), undefined);
        } else {
          assert.ok(Number.isInteger(t.code) && t.code >= 200 && t.code <= 599, `code ${t.code}`);
          assert.ok(t.lines.length >= 1 && t.lines.length <= lim.maxReplyLines, `${t.lines.length} lines (limit ${lim.maxReplyLines})`);
          for (const l of t.lines) {
            assert.ok(!CONTROL.test(l), `control character in ${JSON.stringify(l)}`);
            assert.ok(l.length <= Math.max(0, lim.maxLineBytes - 4), `line of ${l.length} (limit ${lim.maxLineBytes} bytes)`);
          }
        }
      }
    }

    it('LineSplitter: limits hold whatever the bytes, and chunk boundaries change nothing', () => {
      fc.assert(
        fc.property(stream, fc.array(fc.nat(), { maxLength: 12 }), limits, (buf, cuts, lim) => {
          const whole = run([buf], lim, false);
          const chunked = run(chunksOf(buf, cuts), lim, false);
          const m = model(buf, lim);
          for (const r of [whole, chunked]) {
            assert.strictEqual(r.byteError, m.overLimit, `reader ${r.byteError ? 'failed' : 'did not fail'} on ${buf.length} bytes`);
            if (!r.byteError) {
              assert.strictEqual(r.pending, m.lines.length);
              assert.strictEqual(r.partial, m.tail.length > 0);
              assert.strictEqual(r.total, buf.length);
            }
            assertTaken(r.taken, lim);
          }
          assert.deepStrictEqual(chunked.taken, whole.taken);
          assert.strictEqual(chunked.error, whole.error);
          if (!m.overLimit) {
            // The replies are the model's lines, decoded, grouped up to each final line.
            let i = 0;
            for (const t of whole.taken) {
              if ('malformed' in t) {
                // The continuation lines before a malformed line are dropped with it.
                for (let p = parseReplyLine(decodeLine(m.lines[i])); p && !p.final; p = parseReplyLine(decodeLine(m.lines[i]))) i++;
                assert.strictEqual(t.malformed, decodeLine(m.lines[i++]));
                continue;
              }
              for (let j = 0; j < t.lines.length; j++) {
                const p = parseReplyLine(decodeLine(m.lines[i++]));
                assert.ok(p && p.text === t.lines[j] && p.final === (j === t.lines.length - 1));
                if (p.final) assert.strictEqual(p.code, t.code);
              }
            }
          }
        }),
        { numRuns: 1500 },
      );
    });

    it('LineSplitter: taking replies while reading gives the same replies up to the first failure', () => {
      /** The replies before the first malformed line or error, and whether reading failed. */
      const outcome = (r: Run) => {
        const bad = r.taken.findIndex((t) => 'malformed' in t);
        return { replies: bad < 0 ? r.taken : r.taken.slice(0, bad), failed: bad >= 0 || r.error };
      };
      fc.assert(
        fc.property(stream, fc.array(fc.nat(), { maxLength: 12 }), limits, (buf, cuts, lim) => {
          const whole = run([buf], lim, false);
          if (whole.byteError) return; // byte limits stop a whole read before any reply; not comparable
          const interleaved = run(chunksOf(buf, cuts), lim, true);
          assert.ok(!interleaved.byteError);
          assertTaken(interleaved.taken, lim);
          assert.deepStrictEqual(outcome(interleaved), outcome(whole));
        }),
        { numRuns: 1500 },
      );
    });

    it('parseReply, parseReplyLine, decodeLine: never throw; well-formed replies round-trip', () => {
      const printable = fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(new RegExp(CONTROL.source, 'g'), ''));
      const reply = fc.record({ code: fc.integer({ min: 200, max: 599 }), texts: fc.array(printable, { minLength: 1, maxLength: 5 }), eol: eolOf });
      fc.assert(
        fc.property(anyTextFrom(['250', '250-', '250 ', '220 ', '500', '\r\n', 'OK'], 30), fc.uint8Array({ maxLength: 60 }), reply, (text, bytes, r) => {
          // Any text: a reply, a malformed line, a limit, or nothing yet.
          const any = parseReply(text);
          if (typeof any === 'object') assertTaken([any], DEFAULT_READ_LIMITS);
          else assert.ok(any === undefined || ['line-too-long', 'too-many-lines', 'too-much-data'].includes(any));
          // Any line: parsed back to exactly what it says.
          const p = parseReplyLine(text);
          if (p) assert.strictEqual(text.length === 3 ? String(p.code) : `${p.code}${p.final ? ' ' : '-'}${p.text}`, text);
          // Any bytes: no control characters survive, no more characters than bytes; clean UTF-8 is unchanged.
          const buf = Buffer.from(bytes);
          const decoded = decodeLine(buf);
          assert.ok(!CONTROL.test(decoded) && decoded.length <= buf.length);
          const utf8 = buf.toString('utf8');
          if (!utf8.includes('\uFFFD') && !CONTROL.test(utf8)) assert.strictEqual(decoded, utf8);
          // A well-formed reply comes back as written.
          const wire = r.texts.map((t, i) => `${r.code}${i === r.texts.length - 1 ? ' ' : '-'}${t}`).join(r.eol) + r.eol;
          assert.deepStrictEqual(parseReply(wire), { code: r.code, lines: r.texts.map((t) => t.replace(/\r$/, '')) });
        }),
        { numRuns: 1500 },
      );
    });

    it('parseEhloExtensions: upper-case keywords from the lines after the first, parameters normalized and merged', () => {
      const ehloLine = fc.oneof(
        textFrom(['AUTH', 'auth', 'AUTH=LOGIN', 'PLAIN', 'LOGIN', 'SIZE', '10240000', 'STARTTLS', '8BITMIME', 'X-EXT', '-', '=', ' ', '  ', '\t', '\u00A0', '__proto__', 'constructor', 'hasOwnProperty'], 6),
        fc.string({ maxLength: 20 }),
      );
      fc.assert(
        fc.property(fc.integer({ min: 200, max: 599 }), fc.array(ehloLine, { maxLength: 8 }), (code, lines) => {
          const ext = parseEhloExtensions({ code, lines });
          assert.strictEqual(Object.getPrototypeOf(ext), Object.prototype);
          const written = lines.slice(1).map((l) => /^([A-Za-z0-9][A-Za-z0-9-]*)(?:[ =](.*))?$/.exec(l.trim())).filter((m): m is RegExpExecArray => !!m);
          assert.deepStrictEqual(Object.keys(ext).sort(), [...new Set(written.map((m) => m[1].toUpperCase()))].sort());
          for (const [k, v] of Object.entries(ext)) {
            assert.match(k, /^[A-Z0-9][A-Z0-9-]*$/);
            assert.strictEqual(v, v.trim());
            assert.ok(!/\s\s|[^\S ]/.test(v), `parameters ${JSON.stringify(v)} not normalized`);
            for (const m of written) {
              if (m[1].toUpperCase() !== k) continue;
              for (const w of (m[2] ?? '').trim().split(/\s+/).filter(Boolean)) assert.ok(v.split(' ').includes(w), `${k}: ${w} lost`);
            }
          }
          const mechanisms = authMechanisms(ext);
          assert.ok(mechanisms.every((m) => m !== '' && m === m.toUpperCase()));
          const size = sizeLimit(ext);
          assert.ok(size === undefined || Number.isFinite(size));
        }),
        { numRuns: 1500 },
      );
    });
  });

  describe('Postfix helpers', () => {
    const POSTFIX_PIECES = [
      'myhostname', 'mydomain', 'relayhost', 'smtp_sasl_password_maps', 'smtpd_tls_security_level', 'smtp', 'submission', 'inet', 'unix', 'smtpd', '-o',
      ' = ', '$', '${', '$(', ')', '?', '$mydomain', '${myhostname}', '\n  ', '\n\t', 'yes', 'may', '[mail.example.com]:587', 'static:u:p', 'y', 'n', '-',
    ];
    const postfixText = anyTextFrom(POSTFIX_PIECES, 50);

    it('relayhostEntries: each entry is the text its span covers, split as Postfix does', () => {
      const value = anyTextFrom(
        ['[', ']', ':', 'mail.example.com', 'ipv6:2001:db8::1', '[2001:db8::1]', '587', '25', '0', '99999', 'submission', 'smtps', 'constructor', 'toString',
          '__proto__', ',', ', ', ' ', '\t', '$', '$relay', '${x}', '\n  ', '\n\t', '#'],
        16,
      );
      fc.assert(
        fc.property(fc.constantFrom('', 'myhostname = mx.example.com\n', 'relayhost = first.example\n'), value, fc.constantFrom('', '\n', '\nmydomain = example.com\n'), (head, v, tail) => {
          const text = `${head}relayhost = ${v}${tail}`;
          const main = parseMainCf({ file: 'main.cf', text });
          const p = main.effective.get('relayhost');
          if (!p) return;
          const entries = relayhostEntries(p);
          let last = -1;
          for (const e of entries) {
            assertSpanInside(text, e.span, 'entry');
            assert.ok(e.span.start > last, 'entries in order, not overlapping');
            last = e.span.end - 1;
            const written = text.slice(e.span.start, e.span.end);
            assert.ok(!/[\s,$]/.test(written) && e.host !== '', `entry ${JSON.stringify(written)}`);
            // A `user:password@` before the host is masked in the entry's text and is not part of the host.
            const at = written.lastIndexOf('@');
            if (at < 0) assert.strictEqual(e.text, written);
            else {
              assert.ok(e.text.endsWith(written.slice(at)), `entry ${JSON.stringify(e.text)} of ${JSON.stringify(written)}`);
              const masked = e.text.slice(0, e.text.length - (written.length - at));
              const userInfo = written.slice(written.startsWith('[') ? 1 : 0, at);
              if (userInfo && !userInfo.includes(REDACTED[0])) assert.ok(!masked.includes(userInfo), `entry ${JSON.stringify(e.text)} shows ${JSON.stringify(userInfo)}`);
            }
            const destination = at < 0 ? written : (written.startsWith('[') ? '[' : '') + written.slice(at + 1);
            assert.strictEqual(e.bracketed, destination.startsWith('['));
            const port = e.port !== undefined ? `:${e.port}` : '';
            assert.strictEqual(destination, e.bracketed ? `[${e.host}]${port}` : e.host + port);
            if (!e.bracketed) assert.ok(!e.host.includes(':') && !(e.port ?? '').includes(':'));
          }
          const endpoints = relayhostEndpoints(parsePostfixInstance({ main: { file: 'main.cf', text } }));
          assert.strictEqual(endpoints.length, entries.length);
          for (const [i, ep] of endpoints.entries()) {
            assertRangeInside(text, ep.range, 'relayhost endpoint');
            assert.strictEqual(ep.host, entries[i].host.replace(/^ipv6:/i, ''));
            assert.ok(ep.port === undefined || Number.isInteger(ep.port), `port ${String(ep.port)} of ${entries[i].text}`);
            if (entries[i].port === undefined) assert.strictEqual(ep.port, 25);
          }
        }),
        { numRuns: 1500 },
      );
    });

    it('showMainCf / showMasterCf: one line per parameter or service, white space collapsed', () => {
      fc.assert(
        fc.property(postfixText, (text) => {
          const main = parseMainCf({ file: 'main.cf', text });
          const shown = showMainCf(main);
          const names = [...main.effective.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          assert.strictEqual(shown === '', names.length === 0);
          if (names.length) {
            const lines = shown.slice(0, -1).split('\n');
            assert.deepStrictEqual(lines.map((l) => l.slice(0, l.indexOf(' ='))), names);
            for (const l of lines) assert.ok(!/[\t\n\v\f\r]|  /.test(l.slice(l.indexOf(' =') + 2)) && !l.endsWith(' '), `line ${JSON.stringify(l)}`);
          }
          const master = parseMasterCf({ file: 'master.cf', text });
          const services = showMasterCf(master);
          assert.strictEqual(services === '' ? 0 : services.slice(0, -1).split('\n').length, master.services.length);
          services
            .split('\n')
            .slice(0, master.services.length)
            .forEach((l, i) => assert.ok(l.startsWith(master.services[i].fields[0]?.text ?? ''), `service line ${JSON.stringify(l)}`));
        }),
        { numRuns: 1000 },
      );
    });

    it('describeParameter: any name, and a secret written in main.cf never shows', () => {
      const secret = fc.stringMatching(/^[A-Za-z0-9]{4,10}$/).map((s) => `S3cr3t${s}`);
      const name = fc.oneof(
        fc.constantFrom('smtp_sasl_password_maps', 'my_secret', 'api_token', 'smtpd_tls_security_level', 'myhostname', 'constructor', '__proto__', 'hasOwnProperty', ''),
        fc.string({ maxLength: 12 }),
      );
      fc.assert(
        fc.property(postfixText, name, secret, fc.boolean(), fc.constantFrom('smtp_sasl_password_maps', 'relay_password', 'my_api_key'), (text, n, s, table, secretName) => {
          const main = `${text}\n${secretName} = ${table ? `static:user:${s}` : s}\n`;
          const instance = parsePostfixInstance({ main: { file: 'main.cf', text: main } });
          for (const asked of [n, secretName]) {
            const d = timed('describeParameter', () => describeParameter(instance, asked));
            assert.strictEqual(d.name, asked);
            assert.strictEqual(d.known, instance.isKnownParameter(asked));
            assert.strictEqual(d.definedAt, instance.main!.effective.get(asked));
          }
          assert.ok(isSecretName(secretName));
          const d = describeParameter(instance, secretName);
          if (d.definedAt?.value.startsWith(table ? 'static:' : s)) {
            assert.ok(!JSON.stringify({ ...d, definedAt: undefined }).includes('S3cr3t'), `secret shown: ${JSON.stringify(d)}`);
            assert.ok(d.rawValue === REDACTED || d.rawValue === `static:${REDACTED}`);
          }
        }),
        { numRuns: 500 },
      );
    });

    it('parameterNameAt: any offset; a name found is under the offset and is what its span covers', () => {
      fc.assert(
        fc.property(postfixText, postfixText, fc.nat(), (main, master, at) => {
          const instance = parsePostfixInstance({ main: { file: 'main.cf', text: main }, master: { file: 'master.cf', text: master } });
          for (const [file, text] of [['main', main], ['master', master]] as const) {
            for (const offset of [at % (text.length + 1), 0, text.length]) {
              const found = parameterNameAt(instance, file, offset);
              if (!found) continue;
              assertSpanInside(text, found.span, `name at ${offset}`);
              assert.ok(found.span.start <= offset && offset <= found.span.end, `offset ${offset} outside ${found.span.start}..${found.span.end}`);
              assert.ok(found.name.length > 0);
              const written = text.slice(found.span.start, found.span.end);
              if (!/\s/.test(written)) assert.strictEqual(written, found.name);
            }
          }
        }),
        { numRuns: 800 },
      );
    });

    it('nearest: the closest candidate within the typo budget, on any strings', () => {
      const word = fc.oneof(fc.constantFrom('myhostname', 'mydomain', 'relayhost', 'smtpd_tls_security_level', ''), fc.string({ maxLength: 14 }), fc.string({ unit: 'binary', maxLength: 14 }));
      fc.assert(
        fc.property(word, fc.array(word, { maxLength: 8 }), (w, candidates) => {
          const got = nearest(w, candidates);
          const budget = Math.max(1, Math.min(3, Math.floor(w.length / 4)));
          const distances = candidates.map((c) => editDistance(w, c));
          const best = Math.min(...distances);
          if (best > budget) {
            assert.strictEqual(got, undefined);
            return;
          }
          assert.ok(got !== undefined, `no suggestion though one is ${best} edits away`);
          assert.strictEqual(editDistance(w, got), best);
          assert.strictEqual(got, candidates.filter((_, i) => distances[i] === best).sort()[0]);
          assert.strictEqual(nearest(w, candidates), got, 'the memo gives the same answer');
          assert.strictEqual(editDistance(got, w), best, 'distance is symmetric');
        }),
        { numRuns: 1500 },
      );
    });
  });

  describe('checkFiles', () => {
    const ALL_PIECES = [
      'myhostname = mail.example.com\n', 'relayhost = [smtp.example.com]:25\n', 'smtpd_tls_security_level = none\n', 'smtp inet n - y - - smtpd\n',
      '  -o smtpd_tls_security_level=$tls\n', 'submission inet n - n - - smtpd\n', 'SMTP_HOST=smtp.example.com\n', 'SMTP_PORT=25\n', 'SMTP_SECURE=false\n',
      'MAIL_ENCRYPTION=tls\n', 'smtp:\n  host: smtp.example.com\n  port: 465\n  secure: false\n', "import nodemailer from 'nodemailer';\n",
      "nodemailer.createTransport({ host: process.env.SMTP_HOST, port: 465, secure: false, tls: { rejectUnauthorized: false } });\n",
      "nodemailer.createTransport('smtp://u:p@smtp.example.com:465');\n", 'url: smtp://a\\%zz\n', '$', '${', '=', ':', '\n', '\r\n', '{', '}', '(', ')', '"', "'",
    ];
    const content = fc.option(fc.oneof(anyTextFrom(ALL_PIECES, 30), fc.array(fc.constantFrom(...ALL_PIECES), { maxLength: 12 }).map((p) => p.join(''))), { nil: undefined });

    it('any main.cf, master.cf, .env, YAML and script together: every range inside its file, no internal errors', () => {
      fc.assert(
        fc.property(fc.record({ main: content, master: content, env: content, yaml: content, js: content }), (texts) => {
          const names: Record<keyof typeof texts, string> = { main: 'p/main.cf', master: 'p/master.cf', env: 'p/.env', yaml: 'p/mail.yaml', js: 'p/app.js' };
          const files = (Object.keys(texts) as (keyof typeof texts)[]).filter((k) => texts[k] !== undefined).map((k) => ({ file: names[k], text: texts[k]! }));
          const byName = new Map(files.map((f) => [f.file, f.text]));
          const inside = (file: string, r: Range, what: string) => {
            const text = byName.get(file);
            assert.ok(text !== undefined, `${what}: ${file} is not an input`);
            assertRangeInside(text, r, `${what} in ${file}`);
          };
          const result = timed('checkFiles', () => checkFiles(files));
          for (const f of result.findings) {
            assert.ok(!f.message.startsWith('Internal error'), f.message);
            inside(f.file, f.range, f.ruleId);
            for (const r of f.related ?? []) inside(r.file, r.range, `${f.ruleId} related`);
            for (const fix of f.fixes ?? []) for (const e of fix.edits) inside(f.file, e.range, `${f.ruleId} fix`);
          }
          for (const e of result.endpoints) {
            inside(e.file, e.range, 'endpoint');
            for (const [name, o] of Object.entries(e.optionRanges)) inside(o.file, o.range, `endpoint option ${name}`);
            for (const [name, o] of Object.entries(e.envOrigins ?? {})) if (o.file && o.range) inside(o.file, o.range, `endpoint env ${name}`);
          }
          for (const t of result.transports) inside(t.file, t.range, 'transport');
          assert.ok(result.postfixInstances.length <= 1, 'one folder, one Postfix instance');
        }),
        { numRuns: 600 },
      );
    });
  });
});
