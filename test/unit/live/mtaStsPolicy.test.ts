import * as assert from 'assert';
import { normalizeDomain } from '../../../src/core/live/mailAuth/mtaSts';
import { isValidMxPattern, mxMatchesPattern, parseStsPolicy, parseStsRecords, unmatchedMxHosts } from '../../../src/core/live/mailAuth/mtaStsPolicy';

describe('MTA-STS TXT record', () => {
  it('accepts one v=STSv1 record with an id, ignoring other TXT records and extensions', () => {
    assert.deepStrictEqual(parseStsRecords(['v=spf1 -all', 'v=STSv1; id=20240601T000000;']), { candidates: ['v=STSv1; id=20240601T000000;'], id: '20240601T000000', errors: [] });
    assert.deepStrictEqual(parseStsRecords(['v=STSv1;id=abc;ext_1=x.y']).id, 'abc');
  });

  it('treats no v=STSv1 record as "no policy", not as an error', () => {
    assert.deepStrictEqual(parseStsRecords([]), { candidates: [], errors: [] });
    assert.deepStrictEqual(parseStsRecords(['v=spf1 -all', 'google-site-verification=x']), { candidates: [], errors: [] });
  });

  const errorsOf = (record: string) => parseStsRecords([record]).errors;
  it('rejects a missing or malformed id, a wrong-case version, duplicates and broken fields', () => {
    assert.match(errorsOf('v=STSv1;').join(), /id= field is missing/);
    assert.match(errorsOf('v=STSv1; id=2024-06-01').join(), /must be 1 to 32 letters and digits/);
    assert.match(errorsOf(`v=STSv1; id=${'a'.repeat(33)}`).join(), /must be 1 to 32/);
    assert.match(errorsOf('v=STSv1; id=').join(), /must be 1 to 32/);
    assert.match(errorsOf('v=stsv1; id=1').join(), /exactly "v=STSv1;" \(case-sensitive\)/);
    assert.match(errorsOf('v=STSv1 id=1').join(), /exactly "v=STSv1;"/);
    assert.match(errorsOf('v=STSv1; id=1; id=2').join(), /id= appears more than once/);
    assert.match(errorsOf('v=STSv1; id=1; junk').join(), /malformed field "junk"/);
    assert.match(errorsOf('v=STSv1;; id=1').join(), /empty field/);
    assert.match(parseStsRecords(['v=STSv1; id=1', 'v=STSv1; id=2']).errors.join(), /2 records start with v=STSv1/);
    assert.strictEqual(parseStsRecords(['v=STSv1; id=1; id=2']).id, undefined);
  });
});

describe('MTA-STS policy file', () => {
  it('parses a valid policy with CRLF or LF lines, trailing blanks and unknown keys', () => {
    const p = parseStsPolicy('version: STSv1\r\nmode: enforce\r\nmx: Mail.Example.com.\r\nmx: *.example.net\r\nmax_age: 604800  \r\nx_note: hi\r\n');
    assert.deepStrictEqual(p, { version: 'STSv1', mode: 'enforce', maxAge: 604800, mx: ['mail.example.com', '*.example.net'], unknownKeys: ['x_note'], errors: [] });
    assert.deepStrictEqual(parseStsPolicy('version: STSv1\nmode: none\nmax_age: 86400\n').errors, []);
  });

  const errors = (text: string) => parseStsPolicy(text).errors.join(' | ');
  it('reports every missing or invalid field', () => {
    assert.match(errors(''), /version field is missing.*mode field is missing.*max_age field is missing.*no mx: line/);
    assert.match(errors('version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1'), /version "STSv2" is not STSv1/);
    assert.match(errors('version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1'), /mode "Enforce" is not enforce, testing or none/);
    assert.match(errors('version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1'), /max_age "-1" is not a number/);
    assert.match(errors('version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601'), /over the limit of 31557600/);
    assert.match(errors('version: STSv1\nmode: enforce\nmax_age: 86400'), /no mx: line/);
    assert.match(errors('version: STSv1\nmode: enforce\nmx: a..example\nmax_age: 86400'), /mx "a\.\.example" is not a host name/);
    assert.match(errors('version: STSv1\nmode: enforce\nmx: *.*.example\nmax_age: 86400'), /is not a host name/);
    assert.match(errors('version: STSv1\nmode: enforce\nmode: testing\nmx: a.example\nmax_age: 86400'), /mode appears more than once/);
    assert.match(errors('version: STSv1\nmode enforce\nmx: a.example\nmax_age: 86400'), /line 2 is not "key: value"/);
    assert.strictEqual(parseStsPolicy('version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557600').errors.length, 0);
  });

  it('stays bounded on huge input', () => {
    const p = parseStsPolicy(`version: STSv1\nmode: enforce\nmax_age: 86400\n${'mx: a.example\n'.repeat(5000)}`);
    assert.strictEqual(p.mx.length, 100);
    assert.match(p.errors.join(), /more than 1000 lines/);
  });
});

describe('MTA-STS mx patterns', () => {
  it('matches exact names case-insensitively and *. patterns for exactly one label', () => {
    assert.ok(mxMatchesPattern('MAIL.example.com.', 'mail.example.com'));
    assert.ok(mxMatchesPattern('mail.example.com', '*.example.com'));
    assert.ok(!mxMatchesPattern('example.com', '*.example.com'));
    assert.ok(!mxMatchesPattern('a.mail.example.com', '*.example.com'));
    assert.ok(!mxMatchesPattern('mailexample.com', '*.example.com'));
    assert.ok(!mxMatchesPattern('mail.example.com', 'example.com'));
    assert.deepStrictEqual(unmatchedMxHosts(['mx1.example.com', 'mx.other.net'], ['*.example.com']), ['mx.other.net']);
  });

  it('knows a valid pattern', () => {
    for (const ok of ['mail.example.com', '*.example.com', 'a-b.example']) assert.ok(isValidMxPattern(ok), ok);
    for (const bad of ['example', '*.com', 'mail.*.example.com', '-a.example', 'a_b.example', '*example.com', '']) assert.ok(!isValidMxPattern(bad), bad);
  });
});

describe('MTA-STS domain subjects', () => {
  it('normalizes case, a trailing dot and IDNs, and rejects what is not a domain', () => {
    assert.strictEqual(normalizeDomain('Example.COM.'), 'example.com');
    assert.strictEqual(normalizeDomain('bücher.example'), 'xn--bcher-kva.example');
    for (const bad of ['', 'a b.example', 'user@example.com', 'https://example.com', 'a..example', '[192.0.2.1]']) assert.strictEqual(normalizeDomain(bad), undefined, bad);
  });
});
