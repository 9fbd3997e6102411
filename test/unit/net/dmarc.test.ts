import * as assert from 'assert';
import fc from 'fast-check';
import { isDmarcRecord, looksLikeDmarc, organizationalDomain, parseDmarc, parseDmarcUri } from '../../../src/core/net/mailAuth/dmarcRecord';

describe('DMARC records', () => {
  it('recognises records that start with the tag v=DMARC1', () => {
    assert.deepStrictEqual(
      ['v=DMARC1; p=none', 'v=DMARC1', 'v = DMARC1 ;p=reject', 'v=dmarc1; p=none', 'p=reject; v=DMARC1', 'v=DMARC1 p=reject', ' v=DMARC1; p=none', 'v=DMARC10; p=none'].map(isDmarcRecord),
      [true, true, true, false, false, false, false, false],
    );
    assert.deepStrictEqual(['v=dmarc1; p=none', 'p=reject; v=DMARC1', 'v=DMARC1 p=reject', '"v=DMARC1; p=none"', 'google-site-verification=x', 'v=DMARC1; p=none'].map(looksLikeDmarc), [true, true, true, true, false, false]);
  });

  it('reads every tag', () => {
    const d = parseDmarc('v=DMARC1; p=Reject; sp=quarantine; pct=50; rua=mailto:agg@example.test,mailto:dmarc@reports.example.net!10m; ruf=mailto:forensic@example.test; adkim=s; aspf=R; fo=1:d; ri=3600; rf=afrf;');
    assert.deepStrictEqual([d.p, d.sp, d.pct, d.adkim, d.aspf], ['reject', 'quarantine', 50, 's', 'r']);
    assert.deepStrictEqual(
      d.rua.map((u) => [u.address, u.domain, u.error]),
      [
        ['agg@example.test', 'example.test', undefined],
        ['dmarc@reports.example.net', 'reports.example.net', undefined],
      ],
    );
    assert.deepStrictEqual(d.ruf.map((u) => u.domain), ['example.test']);
    assert.deepStrictEqual([d.errors, d.warnings], [[], []]);
  });

  it('a missing or invalid p=, or an invalid sp=, leaves no policy (errors)', () => {
    assert.deepStrictEqual(parseDmarc('v=DMARC1; rua=mailto:a@example.test').errors, ['the required p= tag is missing']);
    assert.deepStrictEqual(parseDmarc('v=DMARC1; p=block').errors, ['p=block is not none, quarantine or reject']);
    assert.deepStrictEqual(parseDmarc('v=DMARC1; p=reject; sp=deny').errors, ['sp=deny is not none, quarantine or reject']);
    assert.deepStrictEqual(parseDmarc('v=DMARC1; p=reject; np=deny').errors, [], 'np is DMARCbis: a warning only');
  });

  it('bad values of other tags, unknown and repeated tags, unusable URIs are warnings', () => {
    const w = (r: string) => parseDmarc(r).warnings.join(' | ');
    assert.match(w('v=DMARC1; p=none; pct=150'), /pct=150 is not a whole number from 0 to 100/);
    assert.match(w('v=DMARC1; p=none; pct=-1'), /pct=-1/);
    assert.match(w('v=DMARC1; p=none; adkim=strict'), /adkim=strict is not r or s/);
    assert.match(w('v=DMARC1; p=none; fo=2'), /fo=2/);
    assert.match(w('v=DMARC1; p=none; ri=daily'), /ri=daily/);
    assert.match(w('v=DMARC1; p=none; rf=xml'), /rf=xml/);
    assert.match(w('v=DMARC1; p=none; rau=mailto:a@example.test'), /unknown tag rau= .*\(a typo\?\)/);
    assert.match(w('v=DMARC1; p=none; p=reject'), /p= appears more than once/);
    assert.match(w('v=DMARC1; p=none; rua=dmarc@example.test'), /not a URI \(write mailto:dmarc@example.test\)/);
    assert.match(w('v=DMARC1; p=none; rua=https://example.test/report'), /not a mailto: URI/);
    assert.match(w('v=DMARC1; p=none; rua=mailto:nobody'), /not a valid mail address/);
    assert.match(w('v=DMARC1; p=none; rua=mailto:a@example.test,'), /empty entry/);
    assert.match(w('v=DMARC1; p=none; junk'), /"junk" is not a tag=value pair/);
    assert.strictEqual(w('v=DMARC1; p=none; np=reject; psd=n; t=y'), '', 'DMARCbis tags are known');
  });

  it('decodes mailto: URIs, dropping size limits and headers', () => {
    assert.deepStrictEqual(parseDmarcUri('mailto:dmarc%2Breports@Example.TEST!50k'), { text: 'mailto:dmarc%2Breports@Example.TEST!50k', scheme: 'mailto', address: 'dmarc+reports@Example.TEST', domain: 'example.test' });
    assert.strictEqual(parseDmarcUri('MAILTO:a@example.test?subject=x').domain, 'example.test');
    assert.match(parseDmarcUri('mailto:a@exa%ZZmple.test').error!, /bad %-escape/);
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
