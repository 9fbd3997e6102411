import * as assert from 'assert';
import fc from 'fast-check';
import { isDmarcRecord, looksLikeDmarc, organizationalDomain, parseDmarc, parseDmarcUri } from '../../../src/core/live/mailAuth/dmarcRecord';

describe('DMARC records', () => {
  it('recognises records that start with the tag v=DMARC1 and a ";" (RFC 7489 6.4: "v" in either case, DMARC1 exactly)', () => {
    assert.deepStrictEqual(
      ['v=DMARC1; p=none', 'V=DMARC1; p=none', 'v = DMARC1 ;p=reject', 'v=DMARC1;', 'v=DMARC1', 'v=dmarc1; p=none', 'p=reject; v=DMARC1', 'v=DMARC1 p=reject', ' v=DMARC1; p=none', 'v=DMARC10; p=none'].map(isDmarcRecord),
      [true, true, true, true, false, false, false, false, false, false],
    );
    assert.deepStrictEqual(['v=dmarc1; p=none', 'p=reject; v=DMARC1', 'v=DMARC1 p=reject', 'v=DMARC1', '"v=DMARC1; p=none"', 'google-site-verification=x', 'v=DMARC1; p=none'].map(looksLikeDmarc), [true, true, true, true, true, false, false]);
  });

  it('reads every tag, tag names in any case and spaces around "=" included', () => {
    const d = parseDmarc('v=DMARC1; p=Reject; sp=quarantine; pct=50; rua=mailto:agg@example.test,mailto:dmarc@reports.example.net!10m; ruf=mailto:forensic@example.test; adkim=s; aspf=R; fo=1:d; ri=3600; rf=afrf;');
    assert.deepStrictEqual([d.p, d.sp, d.pct, d.adkim, d.aspf], ['reject', 'quarantine', 50, 's', 'r']);
    assert.deepStrictEqual(
      d.rua.map((u) => [u.uri, u.address, u.domain, u.maxSize, u.unit, u.error, u.unusable]),
      [
        ['mailto:agg@example.test', 'agg@example.test', 'example.test', undefined, undefined, undefined, undefined],
        ['mailto:dmarc@reports.example.net', 'dmarc@reports.example.net', 'reports.example.net', 10, 'm', undefined, undefined],
      ],
    );
    assert.deepStrictEqual(d.ruf.map((u) => u.domain), ['example.test']);
    assert.deepStrictEqual([d.errors, d.warnings], [[], []]);
    const upper = parseDmarc('V = DMARC1 ; P = reject ; SP=none; RUA = mailto:a@example.test ; Pct = 20');
    assert.deepStrictEqual([upper.p, upper.sp, upper.pct, upper.rua.length], ['reject', 'none', 20, 1]);
    assert.deepStrictEqual(upper.applied('rfc'), { p: 'reject', sp: 'none', pct: 20, adkim: 'r', aspf: 'r', ri: 86400, fo: ['0'], rf: ['afrf'], rua: upper.rua, ruf: [], fallback: false });
    assert.strictEqual(upper.applied('mox')?.p, 'reject');
    // OpenDMARC's lookup skips records without the exact text "v=DMARC": for it the domain has no record.
    assert.deepStrictEqual(
      upper.problems.map((p) => [p.kind, p.text, upper.applied('opendmarc')]),
      [['unseen', 'OpenDMARC finds only records with the exact text "v=DMARC" (lower-case v, no spaces around "=")', undefined]],
    );
  });

  // Each problem with what a receiver that follows RFC 7489, OpenDMARC and mox do about it.
  const problems: [string, string, string, string][] = [
    ['v=DMARC1; rua=mailto:a@example.test', 'missing-p', 'the required p= tag is missing', 'fallback reject fallback'],
    ['v=DMARC1; p=block', 'bad-value', 'p=block is not none, quarantine or reject', 'fallback reject reject'],
    ['v=DMARC1; p=n', 'bad-value', 'p=n is not none, quarantine or reject (OpenDMARC reads it as short for one)', 'fallback accept reject'],
    ['v=DMARC1; sp=reject; p=reject', 'p-order', 'p= is not the first tag after v=DMARC1, as RFC 7489 6.4 requires (OpenDMARC does not mind)', 'fallback accept reject'],
    ['v=DMARC1; p=reject; sp=deny', 'bad-value', 'sp=deny is not none, quarantine or reject', 'fallback reject fallback'],
    ['v=DMARC1; p=none; pct=150', 'bad-value', 'pct=150 is not a whole number from 0 to 100 (receivers that accept the record use 100)', 'default reject reject'],
    ['v=DMARC1; p=none; adkim=strict', 'bad-value', 'adkim=strict is not r or s (receivers that accept the record use r)', 'default accept reject'],
    ['v=DMARC1; p=none; fo=2', 'bad-value', 'fo=2 is not a colon-separated list of 0, 1, d, s (receivers that accept the record use 0)', 'default reject reject'],
    ['v=DMARC1; p=none; ri=daily', 'bad-value', 'ri=daily is not a number of seconds (receivers that accept the record use 86400)', 'default reject reject'],
    ['v=DMARC1; p=none; rf=xml', 'bad-value', 'rf=xml names a report format receivers do not know (they send afrf)', 'ignore reject accept'],
    ['v=DMARC1; p=none; rf=afrf:iodef', 'bad-value', 'rf=afrf:iodef: OpenDMARC reads rf= as a comma-separated list', 'accept reject accept'],
    ['v=DMARC1; p=none; p=reject', 'repeated', 'p= appears more than once', 'ignore accept reject'],
    ['v=DMARC1; p=none; rua=mailto:a@example.test; rua=mailto:b@example.test', 'repeated', 'rua= appears more than once', 'ignore reject reject'],
    ['v=DMARC1; p=none; rau=mailto:a@example.test', 'unknown-tag', 'unknown tag rau= is ignored by receivers (a typo?)', 'ignore ignore ignore'],
    ['v=DMARC1; p=none; rua=dmarc@example.test', 'uri', 'rua: "dmarc@example.test" is not a URI (write mailto:dmarc@example.test)', 'ignore accept reject'],
    ['v=DMARC1; p=none; rua=mailto:a@example.test!10x', 'uri', 'rua: "mailto:a@example.test!10x" has a bad size limit (write !10m, !50k…)', 'ignore accept reject'],
    ['v=DMARC1; p=none; rua=https://example.test/report', 'uri', 'rua: "https://example.test/report" is not a mailto: URI; receivers send reports by mail only', 'ignore accept accept'],
    ['v=DMARC1; p=none; rua=mailto:nobody', 'uri', 'rua: "mailto:nobody" is not a valid mail address', 'ignore accept accept'],
    ['v=DMARC1; p=none; rua=mailto:a@example.test,', 'uri', 'rua= has an empty entry (a stray comma?)', 'ignore accept reject'],
    ['v=DMARC1; p=none; rua=mailto:a@example.test,,mailto:b@example.test', 'uri', 'rua= has an empty entry (a stray comma?)', 'ignore reject reject'],
    ['v=DMARC1; p=none;; rua=mailto:a@example.test', 'syntax', 'an empty tag (";;")', 'ignore accept reject'],
    ['v=DMARC1; p=none; junk', 'syntax', '"junk" is not a tag=value pair', 'ignore accept reject'],
  ];
  for (const [record, kind, text, effects] of problems) {
    it(`${record}: ${text}`, () => {
      const d = parseDmarc(record);
      assert.deepStrictEqual(
        d.problems.map((p) => [p.kind, p.text, `${p.effects.rfc} ${p.effects.opendmarc} ${p.effects.mox}`]),
        [[kind, text, effects]],
      );
      const severe = effects.split(' ').some((e) => e === 'reject' || e === 'fallback');
      assert.deepStrictEqual([d.errors, d.warnings], severe ? [[text], []] : [[], [text]], 'an error when some receiver rejects the record or drops its policy');
    });
  }

  it('says what each receiver applies: the record, p=none in place of an unusable policy (with a usable rua), or nothing', () => {
    const applied = (record: string) => {
      const d = parseDmarc(record);
      return (['rfc', 'opendmarc', 'mox'] as const).map((r) => {
        const a = d.applied(r);
        return a ? `${a.p}${a.sp ? `/${a.sp}` : ''}${a.fallback ? ' fallback' : ''}` : '-';
      });
    };
    assert.deepStrictEqual(applied('v=DMARC1; p=reject; sp=quarantine'), ['reject/quarantine', 'reject/quarantine', 'reject/quarantine']);
    assert.deepStrictEqual(applied('v=DMARC1; p=reject; sp=deny; rua=mailto:a@example.test'), ['none fallback', '-', 'none fallback'], 'an invalid sp= loses p=reject');
    assert.deepStrictEqual(applied('v=DMARC1; p=reject; sp=deny'), ['-', '-', '-'], 'no usable rua: no DMARC at all');
    assert.deepStrictEqual(applied('v=DMARC1; p=n; rua=mailto:a@example.test'), ['none fallback', 'none', '-']);
    assert.deepStrictEqual(applied('v=DMARC1; p=rej'), ['-', 'reject', '-']);
    assert.deepStrictEqual(applied('v=DMARC1; sp=none; p=quarantine; rua=ftp://example.test/r'), ['none fallback', 'quarantine/none', '-'], 'any URI keeps the fallback (RFC 7489 6.6.3)');
    assert.deepStrictEqual(applied('v=DMARC1; p=quarantine; pct=150'), ['quarantine', '-', '-']);
    const d = parseDmarc('v=DMARC1; p=quarantine; pct=150; adkim=x');
    assert.deepStrictEqual([d.applied('rfc')?.pct, d.applied('rfc')?.adkim], [100, 'r'], 'RFC 7489 receivers use the defaults');
  });

  it('decodes mailto: URIs, reading size limits and dropping headers', () => {
    assert.deepStrictEqual(parseDmarcUri('mailto:dmarc%2Breports@Example.TEST!50k'), {
      text: 'mailto:dmarc%2Breports@Example.TEST!50k',
      uri: 'mailto:dmarc%2Breports@Example.TEST',
      scheme: 'mailto',
      maxSize: 50,
      unit: 'k',
      address: 'dmarc+reports@Example.TEST',
      domain: 'example.test',
    });
    assert.strictEqual(parseDmarcUri('MAILTO:a@example.test?subject=x').domain, 'example.test');
    assert.match(parseDmarcUri('mailto:a@exa%ZZmple.test').error!, /bad %-escape/);
    assert.match(parseDmarcUri('mailto:a@example.test!99999999999999999999').error!, /bad size limit/);
    assert.deepStrictEqual([parseDmarcUri('mailto:a@example.test!0G').maxSize, parseDmarcUri('mailto:a@example.test!0G').unit], [0, 'g']);
  });

  it('approximates the organisational domain', () => {
    assert.deepStrictEqual(
      ['example.test', 'mail.example.test', 'a.b.example.com.', 'mail.example.co.uk', 'example.co.uk', 'x.example.com.au', 'x.example.de', 'test', 'Mail.Example.TEST'].map(organizationalDomain),
      ['example.test', 'example.test', 'example.com', 'example.co.uk', 'example.co.uk', 'example.com.au', 'example.de', 'test', 'example.test'],
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        parseDmarc(`v=DMARC1; ${s}`);
        parseDmarcUri(s);
        organizationalDomain(s);
      }),
    );
  });
});
