// Property-based: whatever the text, the parsers and the whole lint return (never throw, never hang)
// and every range they produce lies inside the document.
import * as assert from 'assert';
import fc from 'fast-check';
import type { Finding } from '../../../src/core/model';
import { LineIndex } from '../../../src/core/text';
import { parseMainCf } from '../../../src/core/sources/postfix/mainCf';
import { parseMasterCf } from '../../../src/core/sources/postfix/masterCf';
import { expandValue, findReferences } from '../../../src/core/sources/postfix/macros';
import { lintPostfix } from '../../../src/core/sources/postfix/lintPostfix';

/** Text built from the pieces Postfix configs are made of, so mutations hit the interesting paths. */
const configText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'myhostname', 'mydestination', 'smtpd_tls_security_level', 'relayhost', 'mynetworks', 'smtpd_use_tls',
        'smtp', 'submission', 'inet', 'unix', 'smtpd', '-o', '=', ' = ', '$', '${', '$(', '}', ')', '{', '?', ':',
        '#', '\n', '\n  ', '\n\t', '\r\n', ' ', ',', 'yes', 'no', '0.0.0.0/0', '[::1]/128', '[mail.example.com]:587',
        'may', 'encrypt', '!SSLv2', '>=TLSv1', 'y', 'n', '-', '60?', '\u0000', 'é', '\uD83D\uDCE7',
      ),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(''));

const anyText = fc.oneof(configText, fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 200 }));

function assertInside(text: string, f: Finding) {
  const lines = new LineIndex(text);
  for (const p of [f.range.start, f.range.end]) {
    assert.ok(p.line >= 0 && p.line < lines.lineCount, `line ${p.line} outside 0..${lines.lineCount - 1}`);
    const len = lines.lineEnd(p.line) - lines.lineStart(p.line);
    assert.ok(p.character >= 0 && p.character <= len, `character ${p.character} outside line ${p.line} (length ${len})`);
  }
  const s = lines.offsetAt(f.range.start);
  const e = lines.offsetAt(f.range.end);
  assert.ok(s <= e, 'range ends before it starts');
}

describe('parsers never fail (property-based)', () => {
  it('main.cf: spans lie inside the text and values are what the spans cover, minus joins', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const cf = parseMainCf({ file: 'main.cf', text });
        // A template is read with its template code masked: same length, same lines, so spans hold.
        const parsed = cf.source.text;
        assert.strictEqual(parsed.length, text.length);
        assert.deepStrictEqual(parsed.split('\n').map((l) => l.length), text.split('\n').map((l) => l.length));
        for (const p of cf.parameters) {
          for (const s of [p.nameSpan, p.valueSpan, p.statementSpan]) assert.ok(s.start >= 0 && s.start <= s.end && s.end <= text.length);
          assert.strictEqual(parsed.slice(p.nameSpan.start, p.nameSpan.end), p.name);
          if (p.firstLine === p.lastLine) assert.strictEqual(parsed.slice(p.valueSpan.start, p.valueSpan.end), p.value);
        }
        for (const pr of cf.problems) assert.ok(pr.span.start >= 0 && pr.span.end <= text.length);
      }),
      { numRuns: 1500 },
    );
  });

  it('master.cf: field and override spans lie inside the text and cover their text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const cf = parseMasterCf({ file: 'master.cf', text });
        assert.strictEqual(cf.source.text.length, text.length);
        for (const s of cf.services) {
          for (const f of s.fields) {
            assert.ok(f.span.start >= 0 && f.span.end <= text.length);
            if (!f.text.includes('{')) assert.strictEqual(cf.source.text.slice(f.span.start, f.span.end), f.text);
          }
          for (const o of s.overrides) {
            for (const sp of [o.span, o.nameSpan, o.valueSpan]) assert.ok(sp.start >= 0 && sp.start <= sp.end && sp.end <= text.length);
          }
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('$reference parsing and expansion terminate on any value', () => {
    fc.assert(
      fc.property(anyText, anyText, (value, other) => {
        const { refs } = findReferences(value);
        for (const r of refs) assert.ok(r.start >= 0 && r.end <= value.length && r.nameStart < r.nameEnd);
        expandValue(value, (n) => (n.length % 2 ? other : value));
      }),
      { numRuns: 1000 },
    );
  });

  it('every rule runs on arbitrary main.cf + master.cf and every finding range lies inside its file', () => {
    fc.assert(
      fc.property(configText, configText, (main, master) => {
        const findings = lintPostfix({ main: { file: 'main.cf', text: main }, master: { file: 'master.cf', text: master } });
        for (const f of findings) {
          assert.ok(!f.message.startsWith('Internal error'), f.message);
          assertInside(f.file === 'main.cf' ? main : master, f);
          for (const fix of f.fixes ?? []) for (const e of fix.edits) assertInside(f.file === 'main.cf' ? main : master, { ...f, range: e.range });
        }
      }),
      { numRuns: 400 },
    );
  });
});
