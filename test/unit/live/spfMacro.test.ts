// SPF macro expansion (RFC 7208 7), pure: the examples of RFC 7208 7.4, escapes, transformers, the letters
// only explanations may use, and the 253-character cut of query names.
import * as assert from 'assert';
import fc from 'fast-check';
import { expandTokens, type MacroValues, parseMacroString, queryName } from '../../../src/core/live/mailAuth/spfMacro';
import { parseIp } from '../../../src/core/live/mailAuth/spfRecord';

const values = (ip: string, extra: Partial<MacroValues> = {}): MacroValues => ({
  sender: 'strong-bad@email.example.com',
  local: 'strong-bad',
  senderDomain: 'email.example.com',
  domain: 'email.example.com',
  ip: parseIp(ip)!,
  ...extra,
});

function expand(spec: string, v: MacroValues, explanation = false): string {
  const parsed = parseMacroString(spec, explanation);
  assert.ok(parsed.tokens, parsed.error);
  const out = expandTokens(parsed.tokens, v);
  assert.ok(out.text !== undefined, `missing %{${out.missing}}`);
  return out.text;
}

describe('SPF macros', () => {
  it('expands the examples of RFC 7208 7.4', () => {
    const v4 = values('192.0.2.3');
    const table: [string, string][] = [
      ['%{s}', 'strong-bad@email.example.com'],
      ['%{o}', 'email.example.com'],
      ['%{d}', 'email.example.com'],
      ['%{d4}', 'email.example.com'],
      ['%{d3}', 'email.example.com'],
      ['%{d2}', 'example.com'],
      ['%{d1}', 'com'],
      ['%{dr}', 'com.example.email'],
      ['%{d2r}', 'example.email'],
      ['%{l}', 'strong-bad'],
      ['%{l-}', 'strong.bad'],
      ['%{lr}', 'strong-bad'],
      ['%{lr-}', 'bad.strong'],
      ['%{l1r-}', 'strong'],
      ['%{ir}.%{v}._spf.%{d2}', '3.2.0.192.in-addr._spf.example.com'],
      ['%{lr-}.lp._spf.%{d2}', 'bad.strong.lp._spf.example.com'],
      ['%{lr-}.lp.%{ir}.%{v}._spf.%{d2}', 'bad.strong.lp.3.2.0.192.in-addr._spf.example.com'],
      ['%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}', '3.2.0.192.in-addr.strong.lp._spf.example.com'],
      ['%{d2}.trusted-domains.example.net', 'example.com.trusted-domains.example.net'],
    ];
    for (const [spec, expected] of table) assert.strictEqual(expand(spec, v4), expected, spec);
    assert.strictEqual(expand('%{ir}.%{v}._spf.%{d2}', values('2001:db8::cb01')), '1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com');
  });

  it('escapes: %% %_ %-, several delimiters at once, URL escaping for upper-case letters', () => {
    const v = values('192.0.2.3', { local: 'foo-bar+zip+quux', sender: '~jack&jill=up@example.com' });
    assert.strictEqual(expand('a%%b%_c%-d', v), 'a%b c%20d');
    assert.strictEqual(expand('%{l2r+-}', v), 'bar.foo');
    assert.strictEqual(expand('%{S}', v), '~jack%26jill%3Dup%40example.com');
    assert.strictEqual(expand('%{D2R}', v), 'example.email', 'the letter and "r" in either case');
  });

  it('c, r and t in explanations only; p and h only when known', () => {
    const v = values('2001:DB8:0:0::CB01', { receiver: 'mx.receiver.example', now: 1234567890, helo: 'mail.example.org' });
    assert.strictEqual(expand('%{c} %{r} %{t} %{h}', v, true), '2001:db8::cb01 mx.receiver.example 1234567890 mail.example.org');
    assert.strictEqual(expand('%{r}', values('192.0.2.3'), true), 'unknown');
    for (const letter of ['c', 'r', 't']) assert.match(parseMacroString(`%{${letter}}.example.com`).error!, /unknown macro letter/);
    const h = parseMacroString('%{h}.example.com').tokens!;
    assert.deepStrictEqual(expandTokens(h, values('192.0.2.3')), { missing: 'h' });
    assert.deepStrictEqual(expandTokens(parseMacroString('%{p}').tokens!, values('192.0.2.3')), { missing: 'p' });
  });

  it('rejects what RFC 7208 7.1 does not allow', () => {
    for (const bad of ['%(ir)', 'foo%', '%{d0}', '%{x}', '%{d', 'a b', 'caf\u00e9', 'tab\there']) assert.ok(parseMacroString(bad).error, bad);
    assert.strictEqual(parseMacroString('Connections from %{c} not authorized.', true).error, undefined, 'spaces in explanations');
    assert.strictEqual(parseMacroString('%{d1000}').error, undefined, 'any nonzero digit count');
  });

  it('cuts names over 253 characters at the left, on a label boundary, and drops one trailing dot', () => {
    assert.strictEqual(queryName('example.com.'), 'example.com');
    const long = `${'abcdefghi.'.repeat(30)}example.com`;
    const cut = queryName(long);
    assert.ok(cut.length <= 253 && long.endsWith(cut) && long[long.length - cut.length - 1] === '.');
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.boolean(), (s, explanation) => {
        const parsed = parseMacroString(s, explanation);
        if (parsed.tokens) expandTokens(parsed.tokens, values('192.0.2.3', { helo: 'h.example', validatedName: 'p.example' }));
      }),
    );
  });
});
