// Property-based: whatever the text, the DKIM selector extractors and the key-record parser return (never
// throw, never hang), every range lies inside its file, and every selector names a real DNS name.
import * as assert from 'assert';
import fc from 'fast-check';
import { dkimPublicKey, parseDkimRecord } from '../../../../src/core/sources/dkimSigning/record';
import { parseKeyTable, parseSigningTable, selectorsFromOpendkimConf } from '../../../../src/core/sources/dkimSigning/opendkim';
import { parseUcl, selectorsFromRspamd } from '../../../../src/core/sources/dkimSigning/rspamd';
import { type DkimSelector, dkimTargets, findDkimSelectors, isDkimDomainName, isDkimSelectorName } from '../../../../src/core/sources/dkimSigning/selectors';
import { evaluateDkimRecord } from '../../../../src/core/live/mailAuth/dkim';
import { EnvResolver, parseEnvFile } from '../../../../src/core/sources/app/envFiles';
import { extractConfigTransports } from '../../../../src/core/sources/app/extractFromConfig';
import { extractScriptTransports } from '../../../../src/core/sources/app/extractFromScript';
import { selectorsFromTransports } from '../../../../src/core/sources/app/dkimOption';
import { LineIndex } from '../../../../src/core/text';

const PIECES = [
  'domain', 'selector', 'selectors', 'path', 'dkim_signing', 'example.com', '"example.org"', 'mail', '"2024"', "'s1'", '=', ' = ', ':', ';', ',', '{', '}', '[', ']',
  '#', '/*', '*/', '"', "'", '\\', '\n', '\r\n', '\t', ' ', '<<EOD\n', '\nEOD\n', '.include', '.include(try=true)', '$domain', '%', 'Selector', 'Domain', 'KeyTable',
  'KeyFile', '/etc/opendkim/keys/a.private', 'example.com:mail:/k', '%:x:/k', 'mail._domainkey.example.com', '*@example.com', 'csl:', 'refile:', '\u0000', 'é', '\uD83D\uDCE7',
];
const text = fc.oneof(
  fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 6 })), { maxLength: 80 }).map((p) => p.join('')),
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

function assertSelectors(source: { file: string; text: string }, selectors: readonly DkimSelector[]): void {
  const lines = new LineIndex(source.text);
  for (const s of selectors) {
    assert.strictEqual(s.file, source.file);
    assert.ok(isDkimSelectorName(s.selector) && isDkimDomainName(s.domain), `${s.selector} / ${s.domain}`);
    for (const p of [s.range.start, s.range.end]) {
      assert.ok(p.line >= 0 && p.line < lines.lineCount, `line ${p.line}`);
      assert.ok(p.character >= 0 && p.character <= lines.lineEnd(p.line) - lines.lineStart(p.line), `character ${p.character}`);
    }
    const covered = source.text.slice(lines.offsetAt(s.range.start), lines.offsetAt(s.range.end));
    // The range covers the selector as written (escapes in a quoted rspamd string aside).
    if (!covered.includes('\\')) assert.strictEqual(covered, s.selector);
  }
}

describe('DKIM parsers never fail (property-based)', () => {
  it('KeyTable, SigningTable, opendkim.conf: ranges inside, covering the selector', () => {
    fc.assert(
      fc.property(text, (t) => {
        assertSelectors({ file: 'KeyTable', text: t }, parseKeyTable({ file: 'KeyTable', text: t }).flatMap((e) => (e.selector ? [e.selector] : [])));
        assertSelectors({ file: 'SigningTable', text: t }, parseSigningTable({ file: 'SigningTable', text: t }).flatMap((e) => (e.selector ? [e.selector] : [])));
        assertSelectors({ file: 'opendkim.conf', text: t }, selectorsFromOpendkimConf({ file: 'opendkim.conf', text: t }));
      }),
      { numRuns: 800 },
    );
  });

  it('rspamd dkim_signing.conf (UCL): ranges inside, covering the selector', () => {
    fc.assert(
      fc.property(text, (t) => {
        parseUcl(t);
        assertSelectors({ file: 'dkim_signing.conf', text: t }, selectorsFromRspamd({ file: 'dkim_signing.conf', text: t }));
      }),
      { numRuns: 800 },
    );
  });

  it('findDkimSelectors and dkimTargets over any files', () => {
    fc.assert(
      fc.property(text, text, text, (a, b, c) => {
        const files = [
          { file: '/etc/opendkim/KeyTable', text: a },
          { file: '/etc/opendkim/SigningTable', text: b },
          { file: '/etc/rspamd/local.d/dkim_signing.conf', text: c },
        ];
        const found = findDkimSelectors(files);
        for (const s of found) assertSelectors(files.find((f) => f.file === s.file)!, [s]);
        for (const t of dkimTargets(found)) assert.strictEqual(t.name, `${t.selector}._domainkey.${t.domain}`);
      }),
      { numRuns: 300 },
    );
  });

  it('nodemailer dkim options in scripts, YAML and JSON: selectors lie inside the file', () => {
    const env = new EnvResolver([parseEnvFile({ file: '.env', text: 'DKIM_SELECTOR=envsel\nDKIM_DOMAIN=example.org\n' })]);
    const value = fc.constantFrom("'example.com'", "'s1'", '`k${1}`', 'process.env.DKIM_SELECTOR', 'process.env.DKIM_DOMAIN', 'process.env.UNSET', "'$x'", "'a b'", '"\\u0041"', 'sel', '42');
    const key = fc.constantFrom('domainName', 'keySelector', 'privateKey', "'keySelector'", 'keys');
    const obj = fc.array(fc.tuple(key, value), { maxLength: 4 }).map((ps) => `{ ${ps.map(([k, v]) => `${k}: ${v}`).join(', ')} }`);
    const dkim = fc.oneof(obj, fc.array(obj, { maxLength: 3 }).map((os) => `{ keys: [${os.join(', ')}] }`), fc.constant('{ keys }'), fc.constant('dk'));
    const script = dkim.map((d) => `import nodemailer from 'nodemailer';\nconst sel = 's2';\nconst keys = [{ domainName: 'example.net', keySelector: sel }];\nconst dk = { domainName: 'example.com', keySelector: 'k' };\nnodemailer.createTransport({ host: 'smtp.example.com', dkim: ${d} });\n`);
    const yamlValue = fc.constantFrom('example.com', '"s1"', "'s2'", '${DKIM_SELECTOR}', '${UNSET}', '42', '"a b"', '');
    const yamlKey = fc.constantFrom('domainName', 'keySelector', 'privateKey', 'domain_name', 'constructor');
    const yaml = fc.array(fc.tuple(yamlKey, yamlValue), { maxLength: 4 }).map((ps) => `mail:\n  host: smtp.example.com\n  port: 587\n  dkim:\n${ps.map(([k, v]) => `    ${k}: ${v}`).join('\n')}\n`);
    fc.assert(
      fc.property(fc.oneof(script.map((text) => ({ file: 'mail.ts', text })), yaml.map((text) => ({ file: 'mail.yaml', text }))), (source) => {
        const transports = source.file.endsWith('.ts') ? extractScriptTransports(source, env) : extractConfigTransports(source, env);
        const selectors = selectorsFromTransports(transports);
        const lines = new LineIndex(source.text);
        for (const sel of selectors) {
          assert.ok(isDkimSelectorName(sel.selector) && isDkimDomainName(sel.domain));
          const covered = source.text.slice(lines.offsetAt(sel.range.start), lines.offsetAt(sel.range.end));
          assert.ok(covered.length > 0 && source.text.includes(covered));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('key records: parseDkimRecord, dkimPublicKey and evaluateDkimRecord return on any text', () => {
    const record = fc.oneof(
      text,
      fc.array(fc.oneof(fc.constantFrom('v=DKIM1', 'k=rsa', 'k=ed25519', 'p=', 'p=MIIB', 't=y', 'h=sha1', 's=email', ';', ' ', '=', 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A', '=='), fc.base64String({ maxLength: 40 })), { maxLength: 20 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(record, (t) => {
        const r = parseDkimRecord(t);
        if (r.ok) dkimPublicKey(r.record.keyType, r.record.publicKey);
        const v = evaluateDkimRecord(t, 'x._domainkey.example.com');
        assert.ok(typeof v.summary === 'string' && v.summary.length < 200);
        for (const p of v.problems) assert.ok(p.ruleId.startsWith('dns/dkim-'));
      }),
      { numRuns: 800 },
    );
  });
});
