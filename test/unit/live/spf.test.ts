import * as assert from 'assert';
import fc from 'fast-check';
import type { MxRecord, TxtRecord } from '../../../src/core/live/mailAuth/authDns';
import type { DnsAnswer } from '../../../src/core/live/dnsTypes';
import { analyzeSpf, checkHost, SpfDns } from '../../../src/core/live/mailAuth/spfEval';
import { displayIp, domainSpecError, inNetwork, isSpfRecord, looksLikeSpf, macroStringError, parseIp, parseSpf } from '../../../src/core/live/mailAuth/spfRecord';

/** DNS from a table: TXT/A/AAAA/MX by name; a name in no table is NXDOMAIN; "TYPE name" in `fail` fails. */
class TableDns implements SpfDns {
  readonly asked: string[] = [];
  constructor(
    private readonly t: {
      txt?: Record<string, string[]>;
      a?: Record<string, string[]>;
      aaaa?: Record<string, string[]>;
      mx?: Record<string, string[]>;
      ptr?: Record<string, string[]>;
      fail?: Record<string, string>;
    },
  ) {}
  private known(name: string): boolean {
    return [this.t.txt, this.t.a, this.t.aaaa, this.t.mx, this.t.ptr].some((table) => table && name in table);
  }
  private answer<T>(type: string, name: string, table: Record<string, T[]> | undefined): Promise<DnsAnswer<T>> {
    this.asked.push(`${type} ${name}`);
    const fail = this.t.fail?.[`${type} ${name}`];
    if (fail) return Promise.resolve({ values: [], error: fail });
    const values = table?.[name];
    if (values && values.length > 0) return Promise.resolve({ values });
    return Promise.resolve({ values: [], negative: this.known(name) ? 'ENODATA' : 'ENOTFOUND' });
  }
  txt(name: string): Promise<DnsAnswer<TxtRecord>> {
    const t = this.t.txt && { [name]: (this.t.txt[name] ?? []).map((text) => ({ text, truncated: false })) };
    return this.answer('TXT', name, t);
  }
  addresses(name: string, family: 4 | 6): Promise<DnsAnswer<string>> {
    return this.answer(family === 4 ? 'A' : 'AAAA', name, family === 4 ? this.t.a : this.t.aaaa);
  }
  mx(name: string): Promise<DnsAnswer<MxRecord>> {
    const t = this.t.mx && { [name]: (this.t.mx[name] ?? []).map((exchange, i) => ({ exchange, priority: i * 10 })) };
    return this.answer('MX', name, t);
  }
  ptr(name: string): Promise<DnsAnswer<string>> {
    return this.answer('PTR', name, this.t.ptr);
  }
}

const ip = (a: string) => parseIp(a)!;

describe('SPF records', () => {
  it('recognises v=spf1 records exactly (case-insensitive, then a space or the end)', () => {
    assert.deepStrictEqual(
      ['v=spf1 -all', 'V=SPF1 mx', 'v=spf1', 'v=spf10 -all', 'v=spf1;-all', ' v=spf1 -all', 'spf2.0/pra -all', '"v=spf1 -all"'].map(isSpfRecord),
      [true, true, true, false, false, false, false, false],
    );
    assert.deepStrictEqual(['"v=spf1 -all"', 'v=spf1;-all', 'v = spf1 a', 'hello'].map(looksLikeSpf), [true, true, true, false]);
  });

  it('parses every mechanism and modifier with its qualifier, domain and prefixes', () => {
    const p = parseSpf('v=spf1 +a -a:mail.example.test/24 ~mx//64 ?mx:example.test/28//60 ip4:192.0.2.0/24 ip6:2001:db8::/32 ip4:198.51.100.7 include:_spf.example.net exists:%{i}._spf.%{d} ptr:example.test redirect=_spf.example.test exp=explain.%{d} ra=postmaster');
    assert.deepStrictEqual(p.errors, []);
    const m = p.mechanisms.map((t) => [t.qualifier, t.name, t.domain ?? t.network, t.cidr4, t.cidr6, t.hasMacro]);
    assert.deepStrictEqual(m, [
      ['+', 'a', undefined, undefined, undefined, false],
      ['-', 'a', 'mail.example.test', 24, undefined, false],
      ['~', 'mx', undefined, undefined, 64, false],
      ['?', 'mx', 'example.test', 28, 60, false],
      ['+', 'ip4', '192.0.2.0', 24, undefined, false],
      ['+', 'ip6', '2001:db8::', undefined, 32, false],
      ['+', 'ip4', '198.51.100.7', 32, undefined, false],
      ['+', 'include', '_spf.example.net', undefined, undefined, false],
      ['+', 'exists', '%{i}._spf.%{d}', undefined, undefined, true],
      ['+', 'ptr', 'example.test', undefined, undefined, false],
    ]);
    assert.strictEqual(p.redirect, '_spf.example.test');
    assert.strictEqual(p.all, undefined);
    assert.deepStrictEqual(p.warnings, []);
  });

  it('reports unknown mechanisms, bad addresses and prefixes, bad macros, duplicate modifiers', () => {
    const errors = (r: string) => parseSpf(r).errors;
    assert.match(errors('v=spf1 ipv4:192.0.2.1 -all').join(), /unknown mechanism "ipv4:192\.0\.2\.1" \(did you mean ip4:\?\)/);
    assert.match(errors('v=spf1 ip4:192.0.2.300 -all').join(), /not an IPv4 address/);
    assert.match(errors('v=spf1 ip4:2001:db8::1 -all').join(), /use ip6:/);
    assert.match(errors('v=spf1 ip4:192.0.2.0/33 -all').join(), /bad prefix length/);
    assert.match(errors('v=spf1 ip6:2001:db8::/129 -all').join(), /bad prefix length/);
    assert.match(errors('v=spf1 ip4:192.0.2.0/024 -all').join(), /bad prefix length/);
    assert.match(errors('v=spf1 a/40 -all').join(), /bad prefix length/);
    assert.match(errors('v=spf1 include -all').join(), /include needs a domain/);
    assert.match(errors('v=spf1 include:localhost -all').join(), /not a fully qualified domain name/);
    assert.match(errors('v=spf1 include:foo..example.test -all').join(), /empty label/);
    assert.match(errors('v=spf1 exists:%{z}.example.test -all').join(), /unknown macro letter/);
    assert.match(errors('v=spf1 exists:%{c}.example.test -all').join(), /unknown macro letter/, 'c is for explanations only');
    assert.match(errors('v=spf1 exists:50%.example.test -all').join(), /lone "%"/);
    assert.match(errors('v=spf1 exists:%{i0}.example.test -all').join(), /bad label count/);
    assert.match(errors('v=spf1 redirect=a.example.test redirect=b.example.test').join(), /redirect= appears more than once/);
    assert.match(errors('v=spf1 all:foo').join(), /all takes no argument/);
    assert.match(errors('v=spf1\ta -all').join(), /whitespace other than spaces/);
    assert.match(errors('v=spf1 a:mail.example.test: -all').join(), /top-level label/);
    // Macros are parsed, not mis-split: delimiters, reversal, %% %_ %-.
    assert.deepStrictEqual(errors('v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d2} include:%{d}.%%._x.example.test -all'), []);
    assert.deepStrictEqual(errors('v=spf1 exp=%{d}.explain.example.test -all'), []);
    assert.deepStrictEqual(errors('v=spf1 a -all '), [], 'trailing spaces are allowed');
  });

  it('warns about what is legal but surely not meant', () => {
    const w = (r: string) => parseSpf(r).warnings.join(' | ');
    assert.match(w('v=spf1 -all ip4:192.0.2.1'), /"ip4:192\.0\.2\.1" after "-all" is never evaluated/);
    assert.match(w('v=spf1 a ~all redirect=_spf.example.test'), /redirect=_spf\.example\.test" is ignored because the record has "~all"/);
    assert.match(w('v=spf1 include=_spf.example.net -all'), /unknown modifier .* write include:_spf\.example\.net/);
    assert.match(w('v=spf1 a -all v=spf1 mx -all'), /two SPF records were probably pasted into one/);
    assert.strictEqual(parseSpf('v=spf1 a ~all redirect=_spf.example.test').redirect, undefined);
    assert.deepStrictEqual(parseSpf('v=spf1 unknown-mod=%{d} foo.bar=1 -all').warnings, [], 'unknown modifiers are ignored by design');
  });

  it('checks domain-specs and macro strings on their own', () => {
    assert.strictEqual(domainSpecError('_spf.example.test'), undefined);
    assert.strictEqual(domainSpecError('example.test.'), undefined);
    assert.strictEqual(domainSpecError('%{d}'), undefined);
    assert.match(domainSpecError('example.123')!, /top-level label/);
    assert.strictEqual(domainSpecError('example.1-2'), undefined);
    assert.strictEqual(macroStringError('%{c}.%{r}.%{t}', true), undefined);
    assert.match(macroStringError('%{c}')!, /unknown macro letter/);
    assert.match(macroStringError('%{d')!, /malformed macro/);
  });

  it('matches addresses against networks, IPv4-mapped IPv6 as IPv4', () => {
    assert.ok(inNetwork(ip('192.0.2.77'), '192.0.2.0', 24));
    assert.ok(!inNetwork(ip('192.0.3.1'), '192.0.2.0', 24));
    assert.ok(inNetwork(ip('192.0.2.77'), '192.0.2.64', 26));
    assert.ok(!inNetwork(ip('192.0.2.77'), '192.0.2.0', 26));
    assert.ok(inNetwork(ip('203.0.113.9'), '0.0.0.0', 0));
    assert.ok(inNetwork(ip('2001:db8:1::5'), '2001:db8::', 32));
    assert.ok(!inNetwork(ip('2001:db9::5'), '2001:db8::', 32));
    assert.ok(inNetwork(ip('2001:db8::ff'), '2001:db8::f0', 124));
    assert.ok(!inNetwork(ip('2001:db8::ff'), '2001:db8::f0', 125));
    assert.ok(!inNetwork(ip('192.0.2.1'), '::ffff:0:0', 96), 'families never mix');
    assert.deepStrictEqual(ip('::ffff:192.0.2.1'), ip('192.0.2.1'));
    assert.strictEqual(displayIp('::ffff:192.0.2.1'), '192.0.2.1');
    assert.strictEqual(parseIp('not-an-ip'), undefined);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const p = parseSpf(`v=spf1 ${s}`);
        assert.ok(Array.isArray(p.errors));
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'mx', 'ip4:', 'ip6:', '/', '//', ':', '%{', '}', 'd', 'i', '.', 'x', '1', '-', '+', '~', '?', '=', ' ', 'include', 'redirect', 'all', '%', '_')), (parts) => {
        parseSpf(`v=spf1 ${parts.join('')}`);
      }),
    );
  });
});

describe('SPF through DNS (table)', () => {
  it('counts lookups over includes and redirects, in evaluation order, and finds the effective all', async () => {
    const dns = new TableDns({
      txt: {
        'example.test': ['v=spf1 mx a:mail.example.test include:_spf.one.test redirect=_spf.example.test', 'google-site-verification=abc'],
        '_spf.one.test': ['v=spf1 ip4:192.0.2.0/24 include:_spf.two.test ?all'],
        '_spf.two.test': ['v=spf1 ip6:2001:db8::/32 -all'],
        '_spf.example.test': ['v=spf1 ptr exists:%{i}.bl.example.test ~all'],
      },
      mx: { 'example.test': ['mx.example.test'] },
      a: { 'mail.example.test': ['192.0.2.25'], 'mx.example.test': ['192.0.2.26'] },
    });
    const a = await analyzeSpf(dns, 'example.test');
    assert.strictEqual(a.root.status, 'found');
    assert.strictEqual(a.lookups, 7);
    assert.deepStrictEqual(a.lookupsByKind, { mx: 1, a: 1, include: 2, redirect: 1, ptr: 1, exists: 1 });
    assert.ok(a.complete);
    assert.deepStrictEqual(
      a.nodes.map((n) => [n.depth, n.via]),
      [
        [0, ''],
        [1, 'include:_spf.one.test'],
        [2, 'include:_spf.two.test'],
        [1, 'redirect=_spf.example.test'],
      ],
    );
    assert.deepStrictEqual([a.effectiveAll?.domain, a.effectiveAll?.mechanism.text], ['_spf.example.test', '~all']);
    assert.deepStrictEqual(a.ptrTerms.map((p) => p.domain), ['_spf.example.test']);
    assert.deepStrictEqual([a.voids, a.broken, a.loops, a.failed], [[], [], [], []]);
  });

  it('finds broken includes, void lookups, loops, too many MX hosts and failed lookups', async () => {
    const dns = new TableDns({
      txt: {
        'example.test': ['v=spf1 include:gone.test include:nospf.test include:two.test include:bad.test include:loop1.test a:ghost.example.test mx:many.test mx:timeout.test -all'],
        'nospf.test': ['some other text'],
        'two.test': ['v=spf1 -all', 'v=spf1 ~all'],
        'bad.test': ['v=spf1 ipv4:192.0.2.1 -all'],
        'loop1.test': ['v=spf1 include:loop2.test -all'],
        'loop2.test': ['v=spf1 include:LOOP1.test. -all'],
      },
      mx: { 'many.test': Array.from({ length: 11 }, (_, i) => `mx${i}.many.test`) },
      fail: { 'MX timeout.test': 'ETIMEOUT' },
    });
    const a = await analyzeSpf(dns, 'example.test');
    assert.deepStrictEqual(a.broken.map((b) => [b.term, b.detail.replace(/:.*/, '')]), [
      ['include:gone.test', 'gone.test publishes no SPF record'],
      ['include:nospf.test', 'nospf.test publishes no SPF record'],
      ['include:two.test', 'two.test publishes 2 SPF records'],
      ['include:bad.test', "bad.test's record is invalid"],
    ]);
    assert.deepStrictEqual(a.voids.map((v) => v.term).sort(), ['a:ghost.example.test', 'include:gone.test']);
    assert.deepStrictEqual(a.loops, ['example.test → loop1.test → loop2.test → loop1.test']);
    assert.deepStrictEqual(a.mxOverLimit.map((m) => m.term), ['mx:many.test']);
    assert.deepStrictEqual(a.failed.map((m) => [m.term, m.detail]), [['mx:timeout.test', 'MX lookup failed (ETIMEOUT)']]);
    assert.strictEqual(a.complete, false);
    assert.strictEqual(a.lookups, 10, '8 terms at the top, 1 in loop1, and the include of loop2 that closes the loop');
  });

  it('stops following at the record cap and the depth cap', async () => {
    const txt: Record<string, string[]> = { 'example.test': [`v=spf1 ${Array.from({ length: 30 }, () => 'include:wide.test').join(' ')} -all`], 'wide.test': ['v=spf1 include:deep0.test -all'] };
    for (let i = 0; i < 20; i++) txt[`deep${i}.test`] = [`v=spf1 include:deep${i + 1}.test -all`];
    const dns = new TableDns({ txt });
    const a = await analyzeSpf(dns, 'example.test');
    assert.strictEqual(a.complete, false);
    assert.ok(a.unfollowed.length > 0);
    assert.ok(a.nodes.length <= 41, `${a.nodes.length} records`);
    assert.ok(a.lookups > 10);
  });

  it('flags includes of records that end in +all', async () => {
    const dns = new TableDns({ txt: { 'example.test': ['v=spf1 include:open.test -all'], 'open.test': ['v=spf1 all'] } });
    const a = await analyzeSpf(dns, 'example.test');
    assert.deepStrictEqual(a.permissiveIncludes.map((p) => [p.term, p.detail]), [['include:open.test', 'open.test ends in "all"']]);
  });

  describe('check_host()', () => {
    const dns = new TableDns({
      txt: {
        'example.test': ['v=spf1 ip4:192.0.2.0/28 a:web.example.test/30 mx//126 include:_spf.partner.test exists:%{i}.allow.example.test ~all'],
        '_spf.partner.test': ['v=spf1 ip4:198.51.100.0/24 ip6:2001:db8:beef::/48 -all'],
        'plain.test': ['v=spf1 a mx'],
        'redir.test': ['v=spf1 ip4:203.0.113.1 redirect=example.test'],
        'redir-none.test': ['v=spf1 redirect=nothing.test'],
        'ptr.test': ['v=spf1 ptr -all'],
        'dead.test': ['v=spf1 include:gone.test -all'],
        'flaky.test': ['v=spf1 a:slow.test -all'],
        'voids.test': ['v=spf1 a:v1.test a:v2.test a:v3.test ip4:192.0.2.1 -all'],
        'lots.test': [`v=spf1 ${Array.from({ length: 11 }, (_, i) => `a:h${i}.lots.test`).join(' ')} ip4:192.0.2.99 -all`],
        'early.test': [`v=spf1 ip4:192.0.2.99 ${Array.from({ length: 11 }, (_, i) => `a:h${i}.lots.test`).join(' ')} -all`],
        'users.test': ['v=spf1 exists:%{l}._u.%{o} -all exp=why.users.test'],
        'why.users.test': ['%{l} may not send from %{c} (ask %{d})'],
        'helo.test': ['v=spf1 a:%{h} -all'],
        'big.test': ['v=spf1 exists:%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.big.test -all'],
        // Includes whose records end in ?all / ~all (or give neutral / softfail on a term): RFC 7208 5.2 says
        // "not match", so evaluation goes on with the next term of the including record.
        'includes.test': ['v=spf1 include:n.test include:s.test ip4:203.0.113.7 -all'],
        'n.test': ['v=spf1 ?ip4:203.0.113.9 ip4:192.0.2.77 ?all'],
        's.test': ['v=spf1 ~ip4:203.0.113.10 ip4:198.51.100.77 ~all'],
        'softened.test': ['v=spf1 include:s.test ~include:n.test ?all'],
      },
      a: {
        'web.example.test': ['192.0.2.130'],
        'plain.test': ['192.0.2.200'],
        '203.0.113.51.allow.example.test': ['127.0.0.2'],
        'mail.ptr.test': ['203.0.113.7'],
        'fake.ptr.test': ['198.51.100.1'],
        'alice._u.users.test': ['127.0.0.2'],
        'mail.helo.test': ['203.0.113.9'],
        ...Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`h${i}.lots.test`, ['10.0.0.1']])),
      },
      mx: { 'example.test': ['mx.example.test'] },
      aaaa: { 'mx.example.test': ['2001:db8:5::1'] },
      ptr: { '7.113.0.203.in-addr.arpa': ['mail.ptr.test'], '8.113.0.203.in-addr.arpa': ['fake.ptr.test'] },
      fail: { 'A slow.test': 'ETIMEOUT', 'PTR 9.113.0.203.in-addr.arpa': 'ESERVFAIL' },
    });
    const cases: [string, string, string][] = [
      ['192.0.2.5', 'example.test', 'pass ip4:192.0.2.0/28'],
      ['::ffff:192.0.2.5', 'example.test', 'pass ip4:192.0.2.0/28'],
      ['192.0.2.131', 'example.test', 'pass a:web.example.test/30'],
      ['2001:db8:5::2', 'example.test', 'pass mx//126'],
      ['198.51.100.9', 'example.test', 'pass include:_spf.partner.test'],
      ['2001:db8:beef:1::1', 'example.test', 'pass include:_spf.partner.test'],
      ['203.0.113.51', 'example.test', 'pass exists:%{i}.allow.example.test'],
      ['203.0.113.50', 'example.test', 'softfail ~all'],
      ['192.0.2.200', 'plain.test', 'pass a'],
      ['192.0.2.201', 'plain.test', 'neutral -'],
      ['203.0.113.1', 'redir.test', 'pass ip4:203.0.113.1'],
      ['198.51.100.9', 'redir.test', 'pass include:_spf.partner.test'],
      ['203.0.113.2', 'redir-none.test', 'permerror redirect=nothing.test'],
      ['203.0.113.7', 'ptr.test', 'pass ptr'],
      ['203.0.113.8', 'ptr.test', 'fail -all'],
      ['203.0.113.9', 'ptr.test', 'fail -all'],
      ['203.0.113.2', 'dead.test', 'permerror include:gone.test'],
      ['203.0.113.2', 'flaky.test', 'temperror a:slow.test'],
      ['192.0.2.1', 'voids.test', 'permerror a:v3.test'],
      ['192.0.2.99', 'lots.test', 'permerror a:h10.lots.test'],
      ['192.0.2.99', 'early.test', 'pass ip4:192.0.2.99'],
      ['203.0.113.2', 'nothing.test', 'none -'],
      ['203.0.113.7', 'includes.test', 'pass ip4:203.0.113.7'],
      ['203.0.113.8', 'includes.test', 'fail -all'],
      ['203.0.113.9', 'includes.test', 'fail -all'],
      ['203.0.113.10', 'includes.test', 'fail -all'],
      ['192.0.2.77', 'includes.test', 'pass include:n.test'],
      ['198.51.100.77', 'includes.test', 'pass include:s.test'],
      ['192.0.2.77', 'softened.test', 'softfail ~include:n.test'],
      ['203.0.113.8', 'softened.test', 'neutral ?all'],
    ];
    for (const [address, domain, expected] of cases) {
      it(`${address} at ${domain}: ${expected}`, async () => {
        const v = await checkHost(dns, { ip: ip(address), sender: `postmaster@${domain}` }, domain);
        assert.strictEqual(`${v.result} ${v.term ?? '-'}`, expected, JSON.stringify(v));
      });
    }

    it('evaluates sender macros for the stated sender, says so, and explains a fail with exp=', async () => {
      const alice = await checkHost(dns, { ip: ip('192.0.2.1'), sender: 'alice@users.test' });
      assert.deepStrictEqual([alice.result, alice.term, alice.senderDependent], ['pass', 'exists:%{l}._u.%{o}', true]);
      const bob = await checkHost(dns, { ip: ip('2001:db8::1'), sender: 'bob@users.test' });
      assert.deepStrictEqual([bob.result, bob.explanation, bob.voidLookups], ['fail', 'bob may not send from 2001:db8::1 (ask users.test)', 1]);
      const noLocal = await checkHost(dns, { ip: ip('192.0.2.1'), sender: '@users.test' });
      assert.strictEqual(noLocal.explanation, 'postmaster may not send from 192.0.2.1 (ask users.test)', 'no local part: postmaster');
    });

    it('says "unknown" when a macro needs the HELO name and none is known', async () => {
      const known = await checkHost(dns, { ip: ip('203.0.113.9'), sender: 'x@helo.test', helo: 'mail.helo.test' });
      assert.strictEqual(`${known.result} ${known.term}`, 'pass a:%{h}');
      const unknown = await checkHost(dns, { ip: ip('203.0.113.9'), sender: 'x@helo.test' });
      assert.deepStrictEqual([unknown.result, unknown.term, unknown.detail], ['unknown', 'a:%{h}', 'needs the HELO name (%{h}), which is not known']);
    });

    it('cuts an expanded name longer than 253 characters from the left before asking DNS', async () => {
      const sender = `${'x'.repeat(40)}@big.test`;
      await checkHost(dns, { ip: ip('192.0.2.1'), sender });
      const asked = dns.asked.filter((q) => q.endsWith('.big.test') && q.startsWith('A '));
      assert.strictEqual(asked.length, 1);
      const name = asked[0].slice(2);
      assert.ok(name.length <= 253 && name.length > 200, `${name.length}: ${name}`);
      assert.ok(!name.startsWith('.') && name.endsWith(`${sender}.big.test`));
    });

    it('a domain that is not a valid host name gives none without asking DNS (RFC 7208 4.3)', async () => {
      const before = dns.asked.length;
      for (const sender of [`a@${'l'.repeat(64)}.test`, 'a@x..test', 'a@localhost', 'a@[192.0.2.1]']) {
        assert.strictEqual((await checkHost(dns, { ip: ip('192.0.2.1'), sender })).result, 'none', sender);
      }
      assert.strictEqual(dns.asked.length, before);
    });
  });
});
