import * as assert from 'assert';
import { displayZone, dnsblQueryName, dnsblSubject, normalizeZone, readDnsblAnswer, zoneKey } from '../../../src/core/live/mailAuth/dnsblCodes';

describe('DNSBL subjects and query names', () => {
  it('accepts public unicast addresses, bare or bracketed', () => {
    assert.deepStrictEqual(dnsblSubject('11.22.33.44'), { kind: 'public', address: '11.22.33.44', family: 4 });
    assert.deepStrictEqual(dnsblSubject('[IPv6:2a00:1450::1]'), { kind: 'public', address: '2a00:1450::1', family: 6 });
    assert.deepStrictEqual(dnsblSubject('::ffff:11.22.33.44'), { kind: 'public', address: '11.22.33.44', family: 4 });
    assert.deepStrictEqual(dnsblSubject('::ffff:b16:212c'), { kind: 'public', address: '11.22.33.44', family: 4 });
  });

  it('skips every non-public range with its reason', () => {
    const cases: [string, RegExp][] = [
      ['10.0.0.1', /private/], ['172.31.255.255', /private/], ['192.168.1.1', /private/], ['127.0.0.2', /loopback/],
      ['169.254.1.1', /link-local/], ['100.127.0.1', /carrier-grade NAT/], ['192.0.2.5', /documentation/], ['198.51.100.5', /documentation/],
      ['203.0.113.5', /documentation/], ['198.19.0.1', /benchmarking/], ['224.0.0.1', /multicast/], ['255.255.255.255', /reserved/], ['0.1.2.3', /this network/],
      ['::1', /loopback/], ['::', /unspecified/], ['fe80::1', /link-local/], ['fd00::1', /unique local/], ['ff02::1', /multicast/],
      ['2001:db8::1', /documentation/], ['3fff::1', /documentation/], ['2002:b16:212c::1', /6to4/], ['2001:0:1::1', /Teredo/], ['64:ff9b::b16:212c', /NAT64/],
      ['::ffff:10.0.0.1', /private/], ['4000::1', /not a global unicast/],
    ];
    for (const [address, why] of cases) {
      const s = dnsblSubject(address);
      assert.strictEqual(s.kind, 'skip', address);
      assert.match((s as { reason: string }).reason, why, address);
    }
    assert.deepStrictEqual([dnsblSubject('example.com'), dnsblSubject('1.2.3'), dnsblSubject('')], [{ kind: 'invalid' }, { kind: 'invalid' }, { kind: 'invalid' }]);
  });

  it('builds reversed-octet and reversed-nibble names (RFC 5782)', () => {
    assert.strictEqual(dnsblQueryName('11.22.33.44', 'bl.example'), '44.33.22.11.bl.example');
    assert.strictEqual(dnsblQueryName('2001:db8:1:2:3:4:567:89ab', 'bl.example'), 'b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.bl.example');
  });
});

describe('DNSBL zones', () => {
  it('normalizes names and refuses non-names', () => {
    assert.strictEqual(normalizeZone(' Zen.Spamhaus.ORG. '), 'zen.spamhaus.org');
    for (const bad of ['', 'bl', 'a b.example', 'bl..example', 'http://bl.example']) assert.strictEqual(normalizeZone(bad), undefined, bad);
  });

  it('hides access keys (Spamhaus DQS, Abusix, any token-like first label)', () => {
    assert.strictEqual(displayZone('abcd1234efgh5678ijkl.zen.dq.spamhaus.net'), '<key>.zen.dq.spamhaus.net');
    assert.strictEqual(displayZone('k3y.combined.mail.abusix.zone'), '<key>.combined.mail.abusix.zone');
    assert.strictEqual(displayZone('a1b2c3d4e5f6a7b8c9.bl.example'), '<key>.bl.example');
    assert.strictEqual(displayZone('zen.spamhaus.org'), 'zen.spamhaus.org');
    assert.strictEqual(displayZone('b.barracudacentral.org'), 'b.barracudacentral.org');
    assert.strictEqual(zoneKey('bl.spamcop.net'), undefined);
  });
});

describe('DNSBL answer codes', () => {
  const verdict = (zone: string, ...answers: string[]) => readDnsblAnswer(zone, answers).verdict;

  it('reads Spamhaus codes: SBL/CSS/XBL/DROP listed, PBL policy, 127.255.255.x refusals', () => {
    for (const code of ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.7', '127.0.0.9']) assert.strictEqual(verdict('zen.spamhaus.org', code), 'listed', code);
    assert.strictEqual(verdict('zen.spamhaus.org', '127.0.0.10'), 'policy');
    assert.strictEqual(verdict('pbl.spamhaus.org', '127.0.0.11'), 'policy');
    for (const code of ['127.255.255.252', '127.255.255.254', '127.255.255.255']) assert.strictEqual(verdict('zen.spamhaus.org', code), 'refused', code);
    assert.strictEqual(verdict('key123.zen.dq.spamhaus.net', '127.255.255.254'), 'refused');
    assert.strictEqual(verdict('dbl.spamhaus.org', '127.0.1.255'), 'refused');
    assert.match(readDnsblAnswer('zen.spamhaus.org', ['127.255.255.254']).meanings[0], /public\/open resolver/);
    assert.deepStrictEqual(readDnsblAnswer('zen.spamhaus.org', ['127.0.0.4']), { verdict: 'listed', meanings: ['127.0.0.4 (XBL: an exploited or infected host (botnet, open proxy))'], list: 'Spamhaus' });
    // A refusal among several answers makes the whole answer a refusal; PBL with SBL is a listing.
    assert.strictEqual(verdict('zen.spamhaus.org', '127.0.0.2', '127.255.255.254'), 'refused');
    assert.strictEqual(verdict('zen.spamhaus.org', '127.0.0.10', '127.0.0.2'), 'listed');
  });

  it('reads SURBL/URIBL 127.0.0.1 as refused and DNSWL answers as allowlist entries', () => {
    assert.strictEqual(verdict('multi.surbl.org', '127.0.0.1'), 'refused');
    assert.strictEqual(verdict('multi.uribl.com', '127.0.0.1'), 'refused');
    assert.strictEqual(verdict('multi.uribl.com', '127.0.0.2'), 'listed');
    assert.strictEqual(verdict('list.dnswl.org', '127.0.15.2'), 'allowlisted');
    assert.strictEqual(verdict('list.dnswl.org', '127.0.0.255'), 'refused');
  });

  it('reads unknown zones safely: 127.0.0.2+ listed; 127.0.0.1, 127.255.255.x and non-127 answers refused', () => {
    assert.strictEqual(verdict('bl.spamcop.net', '127.0.0.2'), 'listed');
    assert.strictEqual(verdict('bl.example', '127.0.1.5'), 'listed');
    assert.strictEqual(verdict('bl.example', '127.255.255.250'), 'refused');
    assert.strictEqual(verdict('bl.example', '127.0.0.1'), 'refused');
    assert.strictEqual(verdict('bl.example', '192.0.2.80'), 'refused');
    assert.strictEqual(readDnsblAnswer('bl.example', ['127.0.0.2']).list, undefined);
  });
});
