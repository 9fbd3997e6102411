// The one address classifier: parsing, networks, the class of every special range, and the named policies.
import * as assert from 'assert';
import fc from 'fast-check';
import { isIPv6 } from 'net';
import {
  addressKey,
  type AddressClass,
  cidrContains,
  cidrWithin,
  classifyAddress,
  dnsblSkipReason,
  isLocalNetwork,
  isIpv6Text,
  isPublicAddress,
  parseCidr,
  parseIpAddress,
  parsePeerAddress,
} from '../../../src/core/hosts';

const ip = (text: string) => {
  const parsed = parseIpAddress(text);
  assert.ok(parsed, `${text} parses`);
  return parsed;
};
const cidr = (text: string) => {
  const parsed = parseCidr(text);
  assert.ok(parsed, `${text} parses`);
  return parsed;
};

describe('address classifier (core/hosts.ts)', () => {
  it("reads IPv6 syntax exactly as Node's net.isIPv6 does (on addresses written every way, and on near misses)", () => {
    const group = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
    const written = fc
      .tuple(fc.array(group, { minLength: 8, maxLength: 8 }), fc.nat(8), fc.nat(8), fc.boolean(), fc.boolean())
      .map(([groups, from, length, v4Tail, upper]) => {
        // Compress a run of groups with ::, and write the last 32 bits as a dotted quad, as people do.
        const tail = v4Tail ? [[parseInt(groups[6], 16) >> 8, parseInt(groups[6], 16) & 255, parseInt(groups[7], 16) >> 8, parseInt(groups[7], 16) & 255].join('.')] : [];
        const parts = v4Tail ? groups.slice(0, 6) : groups;
        const start = Math.min(from, parts.length);
        const end = Math.min(start + length, parts.length);
        const text = length > 0 ? `${parts.slice(0, start).join(':')}::${[...parts.slice(end), ...tail].join(':')}` : [...parts, ...tail].join(':');
        return upper ? text.toUpperCase() : text;
      });
    const nearMiss = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFg:.%'), maxLength: 45 });
    fc.assert(
      fc.property(fc.oneof(written, nearMiss), (text) => assert.strictEqual(isIpv6Text(text), isIPv6(text), text)),
      { numRuns: 5000 },
    );
  });

  it('parses IPv4, IPv6 (compressed, embedded IPv4, zone id) and refuses the rest', () => {
    assert.deepStrictEqual(parseIpAddress('192.0.2.1'), { family: 4, bytes: [192, 0, 2, 1] });
    assert.deepStrictEqual(parseIpAddress('2001:DB8::1')?.bytes, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.deepStrictEqual(parseIpAddress('::ffff:192.0.2.1')?.bytes.slice(10), [0xff, 0xff, 192, 0, 2, 1]);
    assert.strictEqual(parseIpAddress('fe80::1%eth0')?.family, 6);
    for (const bad of ['', 'example.com', '1.2.3', '256.1.1.1', '010.0.0.1', '1::2::3', '[::1]', 'foo:bar']) assert.strictEqual(parseIpAddress(bad), undefined, bad);
  });

  it('sees an IPv4-mapped IPv6 address as the IPv4 address it carries (RFC 4291 §2.5.5.2)', () => {
    assert.deepStrictEqual(parsePeerAddress('::ffff:192.0.2.1'), { family: 4, bytes: [192, 0, 2, 1] });
    assert.deepStrictEqual(parsePeerAddress('::ffff:c000:201'), { family: 4, bytes: [192, 0, 2, 1] });
    assert.strictEqual(parsePeerAddress('::1')?.family, 6);
  });

  it('spells each address one way', () => {
    assert.strictEqual(addressKey(ip('2001:0DB8:0::1')), '2001:db8:0:0:0:0:0:1');
    assert.strictEqual(addressKey(ip('2001:db8::0:1')), addressKey(ip('2001:db8::1')));
    assert.strictEqual(addressKey(ip('192.0.2.1')), '192.0.2.1');
  });

  it('parses networks as Postfix writes them, and tells what they contain', () => {
    assert.deepStrictEqual(parseCidr('192.0.2.0/24'), { address: { family: 4, bytes: [192, 0, 2, 0] }, prefix: 24 });
    assert.strictEqual(parseCidr('[2001:db8::]/32')?.prefix, 32);
    assert.strictEqual(parseCidr('::/0')?.prefix, 0);
    assert.strictEqual(parseCidr('192.0.2.1')?.prefix, 32);
    assert.strictEqual(parseCidr('2001:db8::1')?.prefix, 128);
    for (const bad of ['192.0.2.0/33', '[192.0.2.0]/24', '2001:db8::/129', 'hash:/etc/postfix/network', '$mynetworks', 'fe80::%eth0/64']) {
      assert.strictEqual(parseCidr(bad), undefined, bad);
    }
    assert.ok(cidrContains(cidr('10.0.0.0/8'), ip('10.255.0.1')));
    assert.ok(!cidrContains(cidr('10.0.0.0/8'), ip('11.0.0.1')));
    assert.ok(cidrContains(cidr('2001:db8::/33'), ip('2001:db8:7fff::1')));
    assert.ok(!cidrContains(cidr('2001:db8::/33'), ip('2001:db8:8000::1')));
    assert.ok(!cidrContains(cidr('0.0.0.0/0'), ip('::1')), 'families never mix');
    assert.ok(cidrContains(cidr('::/0'), ip('::1')));
    assert.ok(cidrWithin(cidr('10.1.0.0/16'), cidr('10.0.0.0/8')));
    assert.ok(!cidrWithin(cidr('10.0.0.0/7'), cidr('10.0.0.0/8')));
  });

  it('classifies every special range, and everything else as public', () => {
    const table: [string, AddressClass][] = [
      ['0.1.2.3', 'this-network'],
      ['10.0.0.1', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['172.32.0.1', 'public'],
      ['192.168.1.1', 'private'],
      ['100.64.0.1', 'shared'],
      ['100.127.255.255', 'shared'],
      ['100.128.0.1', 'public'],
      ['127.0.0.1', 'loopback'],
      ['169.254.1.1', 'link-local'],
      ['192.0.0.8', 'ietf-protocol'],
      ['192.0.2.5', 'documentation'],
      ['198.51.100.5', 'documentation'],
      ['203.0.113.5', 'documentation'],
      ['192.88.99.1', '6to4-relay'],
      ['198.18.0.1', 'benchmarking'],
      ['198.19.255.255', 'benchmarking'],
      ['224.0.0.1', 'multicast'],
      ['239.255.255.255', 'multicast'],
      ['240.0.0.1', 'reserved'],
      ['255.255.255.255', 'reserved'],
      ['8.8.8.8', 'public'],
      ['11.22.33.44', 'public'],
      ['::', 'unspecified'],
      ['::1', 'loopback'],
      ['::ffff:10.0.0.1', 'private'],
      ['::ffff:8.8.8.8', 'public'],
      ['64:ff9b::808:808', 'nat64'],
      ['64:ff9b:1::1', 'nat64'],
      ['100::1', 'discard'],
      ['2001:0:1::1', 'teredo'],
      ['2001:2::1', 'benchmarking'],
      ['2001:db8::1', 'documentation'],
      ['2002:b16:212c::1', '6to4'],
      ['3fff::1', 'documentation'],
      ['fc00::1', 'unique-local'],
      ['fd12:3456::1', 'unique-local'],
      ['fe80::1', 'link-local'],
      ['fe80::1%eth0', 'link-local'],
      ['fec0::1', 'site-local'],
      ['ff02::1', 'multicast'],
      ['4000::1', 'not-global-unicast'],
      ['2a00:1450::1', 'public'],
      ['2606:4700::1111', 'public'],
    ];
    for (const [address, expected] of table) assert.strictEqual(classifyAddress(ip(address)).class, expected, address);
  });

  it('public (seen from the Internet): tunnels yes, NAT64 and every other special range no', () => {
    const publicOnes = ['8.8.8.8', '::ffff:8.8.8.8', '[2a00:1450::1]', '[IPv6:2a00:1450::1]', '2002:b16:212c::1', '2001:0:1::1'];
    const notPublic = ['10.0.0.1', '100.64.0.1', '192.0.0.8', '192.88.99.1', '64:ff9b::808:808', '3fff::1', 'fec0::1', '4000::1', '::', 'example.com', 'foo:bar', ''];
    for (const a of publicOnes) assert.ok(isPublicAddress(a), a);
    for (const a of notPublic) assert.ok(!isPublicAddress(a), a);
  });

  it('DNSBL policy: stricter than public, tunnels and translations are skipped with the reason', () => {
    assert.strictEqual(dnsblSkipReason(ip('11.22.33.44')), undefined);
    assert.strictEqual(dnsblSkipReason(ip('2a00:1450::1')), undefined);
    assert.match(dnsblSkipReason(ip('2002:b16:212c::1')) ?? '', /6to4/);
    assert.match(dnsblSkipReason(ip('2001:0:1::1')) ?? '', /Teredo/);
    assert.match(dnsblSkipReason(ip('64:ff9b::b16:212c')) ?? '', /NAT64/);
    assert.match(dnsblSkipReason(ip('::ffff:192.168.0.1')) ?? '', /private/);
  });

  it('local-network policy (open relay): a network wholly inside loopback, RFC 1918, CGNAT, link-local or ULA', () => {
    for (const local of ['10.0.0.0/8', '10.1.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '169.254.0.0/16', '100.64.0.0/10', '::1', 'fe80::/10', 'fc00::/7', 'fd00::/8']) {
      assert.ok(isLocalNetwork(cidr(local)), local);
    }
    for (const wide of ['0.0.0.0/0', '10.0.0.0/7', '172.0.0.0/8', '8.8.0.0/16', '::/0', '2001:db8::/32', '64:ff9b::/96', '::ffff:10.0.0.0/104']) {
      assert.ok(!isLocalNetwork(cidr(wide)), wide);
    }
  });
});
