import * as assert from 'assert';
import * as dgram from 'dgram';
import { resolveAddresses, reverseName } from '../../src/core/live/dnsChecks';
import { checkMx } from '../../src/core/live/mxCheck';
import { checkPtr } from '../../src/core/live/ptrCheck';
import type { DnsCheckOptions } from '../../src/core/live/dnsTypes';
import { dnsmasqAvailable, DnsmasqPeer, startDnsmasq } from './peers/dnsmasq';

/** The test zone. dnsmasq also answers the PTR of every host-record address. */
const ZONE = {
  mx: [
    // Declared out of order: the check sorts by preference.
    { domain: 'two.test', exchange: 'mx2.two.test', preference: 20 },
    { domain: 'two.test', exchange: 'mx1.two.test', preference: 10 },
    { domain: 'null.test', exchange: '.', preference: 0 },
    { domain: 'alias.test', exchange: 'mail.alias.test', preference: 10 },
    { domain: 'literal.test', exchange: '192.0.2.5', preference: 10 },
    { domain: 'literal.test', exchange: '[192.0.2.6]', preference: 20 },
    { domain: 'dangling.test', exchange: 'nowhere.dangling.test', preference: 10 },
    { domain: 'dangling.test', exchange: 'mx1.two.test', preference: 20 },
  ],
  hosts: [
    { name: 'mx1.two.test', addresses: ['192.0.2.1'] },
    { name: 'mx2.two.test', addresses: ['192.0.2.2', '2001:db8::2'] },
    { name: 'real.alias.test', addresses: ['192.0.2.7'] },
    { name: 'fallback.test', addresses: ['192.0.2.9'] },
    { name: 'elsewhere.test', addresses: ['192.0.2.51'] },
  ],
  cnames: [{ alias: 'mail.alias.test', target: 'real.alias.test' }],
  ptrs: [
    { reverseName: '50.2.0.192.in-addr.arpa', target: 'elsewhere.test' },
    { reverseName: '52.2.0.192.in-addr.arpa', target: 'ghost.test' },
  ],
  txts: [{ name: 'txt-only.test', text: ['v=spf1 -all'] }],
  // 203.0.113.0/24 stays outside, so dnsmasq (no upstream) refuses those reverse lookups.
  localZones: ['test', '2.0.192.in-addr.arpa', 'ip6.arpa'],
};

describe('DNS checks against dnsmasq', function () {
  let dns: DnsmasqPeer | undefined;
  let opts: DnsCheckOptions;

  before(async function () {
    if (!dnsmasqAvailable()) this.skip();
    dns = await startDnsmasq(ZONE);
    opts = { servers: [dns.server], timeoutMs: 2000 };
  });

  after(async () => {
    await dns?.stop();
  });

  describe('checkMx', () => {
    it('lists MX hosts by preference with their A and AAAA addresses', async () => {
      const r = await checkMx('two.test', opts);
      assert.strictEqual(r.status, 'ok');
      assert.deepStrictEqual(
        r.hosts.map((h) => [h.priority, h.exchange, [...h.addresses].sort(), h.isCname, h.isIpLiteral, h.error]),
        [
          [10, 'mx1.two.test', ['192.0.2.1'], false, false, undefined],
          [20, 'mx2.two.test', ['192.0.2.2', '2001:db8::2'], false, false, undefined],
        ],
      );
      assert.ok(r.ms >= 0 && r.ms < 2000);
    });

    it('reports a null MX (dnsmasq serves "." as an empty exchange)', async () => {
      const r = await checkMx('null.test', opts);
      assert.deepStrictEqual([r.status, r.hosts, r.error], ['null-mx', [], undefined]);
    });

    it('marks an MX that points at an alias, and still resolves it', async () => {
      const r = await checkMx('alias.test', opts);
      assert.strictEqual(r.status, 'ok');
      assert.deepStrictEqual(r.hosts.map((h) => [h.exchange, h.isCname, h.addresses]), [['mail.alias.test', true, ['192.0.2.7']]]);
    });

    it('marks MX exchanges written as IP addresses, bare or bracketed, without looking them up', async () => {
      const r = await checkMx('literal.test', opts);
      assert.strictEqual(r.status, 'ok');
      assert.deepStrictEqual(r.hosts.map((h) => [h.exchange, h.isIpLiteral, h.addresses, h.error]), [
        ['192.0.2.5', true, [], undefined],
        ['[192.0.2.6]', true, [], undefined],
      ]);
    });

    it('records why an MX host does not resolve, next to the hosts that do', async () => {
      const r = await checkMx('dangling.test', opts);
      assert.strictEqual(r.status, 'ok');
      assert.deepStrictEqual(r.hosts.map((h) => [h.exchange, h.addresses, h.error]), [
        ['nowhere.dangling.test', [], 'ENOTFOUND'],
        ['mx1.two.test', ['192.0.2.1'], undefined],
      ]);
    });

    it('falls back to the A record of a domain without MX', async () => {
      const r = await checkMx('fallback.test', opts);
      assert.deepStrictEqual([r.status, r.hosts, r.fallbackAddresses, r.error], ['no-mx', [], ['192.0.2.9'], undefined]);
    });

    it('says a domain with records but neither MX nor address has nowhere to deliver', async () => {
      const r = await checkMx('txt-only.test', opts);
      assert.deepStrictEqual([r.status, r.fallbackAddresses, r.error], ['no-mx', [], undefined]);
    });

    it('says a domain that does not exist (NXDOMAIN inside a local zone) has no MX, with ENOTFOUND', async () => {
      const r = await checkMx('missing.test', opts);
      assert.deepStrictEqual([r.status, r.fallbackAddresses, r.error], ['no-mx', [], 'ENOTFOUND']);
    });

    it('reports a refused query (a name outside dnsmasq\'s zones, no upstream) as a failed lookup', async () => {
      const r = await checkMx('unserved.invalid', opts);
      assert.deepStrictEqual([r.status, r.hosts, r.error], ['lookup-failed', [], 'EREFUSED']);
    });
  });

  describe('checkPtr', () => {
    it('confirms a PTR whose name resolves back to the address', async () => {
      const r = await checkPtr('192.0.2.1', opts);
      assert.deepStrictEqual([r.status, r.names, r.forwardConfirmed, r.matchesExpectedName], ['ok', ['mx1.two.test'], true, undefined]);
    });

    it('matches the expected name case-insensitively, ignoring a trailing dot', async () => {
      const r = await checkPtr('192.0.2.1', { ...opts, expectedName: 'MX1.Two.test.' });
      assert.deepStrictEqual([r.status, r.expectedName, r.matchesExpectedName], ['ok', 'MX1.Two.test.', true]);
    });

    it('reports a mismatch when the PTR is confirmed but names another host than expected', async () => {
      const r = await checkPtr('192.0.2.1', { ...opts, expectedName: 'mail.other.test' });
      assert.deepStrictEqual([r.status, r.names, r.forwardConfirmed, r.matchesExpectedName], ['mismatch', ['mx1.two.test'], true, false]);
    });

    it('reports not-confirmed when the PTR name resolves to another address', async () => {
      const r = await checkPtr('192.0.2.50', { ...opts, expectedName: 'mail.other.test' });
      assert.deepStrictEqual([r.status, r.names, r.forwardConfirmed, r.matchesExpectedName], ['not-confirmed', ['elsewhere.test'], false, false]);
    });

    it('reports not-confirmed when the PTR name does not resolve at all', async () => {
      const r = await checkPtr('192.0.2.52', opts);
      assert.deepStrictEqual([r.status, r.names, r.forwardConfirmed], ['not-confirmed', ['ghost.test'], false]);
    });

    it('reports an address without PTR', async () => {
      const r = await checkPtr('192.0.2.99', opts);
      assert.deepStrictEqual([r.status, r.names, r.forwardConfirmed, r.error], ['no-ptr', [], false, 'ENOTFOUND']);
    });

    it('confirms an IPv6 PTR, however the address is spelled', async () => {
      const r = await checkPtr('2001:DB8:0::2', opts);
      assert.deepStrictEqual([r.status, r.names, r.forwardConfirmed], ['ok', ['mx2.two.test'], true]);
    });

    it('reports a refused reverse lookup as failed, not as a missing PTR', async () => {
      const r = await checkPtr('203.0.113.1', opts);
      assert.deepStrictEqual([r.status, r.error], ['lookup-failed', 'EREFUSED']);
    });

    it('refuses what is not an IP address without asking DNS', async () => {
      const r = await checkPtr('mail.example.test', opts);
      assert.deepStrictEqual([r.status, r.error], ['lookup-failed', 'EINVAL']);
    });
  });

  describe('resolveAddresses', () => {
    it('returns A and AAAA addresses', async () => {
      assert.deepStrictEqual((await resolveAddresses('mx2.two.test', opts)).sort(), ['192.0.2.2', '2001:db8::2']);
    });

    it('returns an IP literal as it is', async () => {
      assert.deepStrictEqual(await resolveAddresses('192.0.2.77', opts), ['192.0.2.77']);
      assert.deepStrictEqual(await resolveAddresses('[2001:db8::77]', opts), ['2001:db8::77']);
    });

    it('rejects with the resolver code when the name has no address', async () => {
      await assert.rejects(resolveAddresses('missing.test', opts), { code: 'ENOTFOUND' });
      await assert.rejects(resolveAddresses('txt-only.test', opts), { code: 'ENODATA' });
    });
  });
});

describe('reverseName', () => {
  it('builds in-addr.arpa and ip6.arpa names', () => {
    assert.strictEqual(reverseName('192.0.2.1'), '1.2.0.192.in-addr.arpa');
    assert.strictEqual(reverseName('2001:db8::2'), '2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
    assert.strictEqual(reverseName('::ffff:192.0.2.1'), '1.0.2.0.0.0.0.c.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa');
    assert.strictEqual(reverseName('fe80::1%eth0'), '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.e.f.ip6.arpa');
    assert.strictEqual(reverseName('not-an-address'), undefined);
  });
});

describe('DNS checks when the server does not answer', () => {
  let silent: dgram.Socket;
  let silentServer: string;

  before(async () => {
    // Bound, so queries are neither refused nor answered.
    silent = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    silentServer = `127.0.0.1:${silent.address().port}`;
  });

  after(() => silent.close());

  it('gives up on an MX lookup after timeoutMs', async () => {
    const started = Date.now();
    const r = await checkMx('two.test', { servers: [silentServer], timeoutMs: 300 });
    const took = Date.now() - started;
    assert.deepStrictEqual([r.status, r.error], ['lookup-failed', 'ETIMEOUT']);
    assert.ok(took >= 250 && took < 800, `took ${took} ms`);
  });

  it('gives up on a reverse lookup after timeoutMs', async () => {
    const started = Date.now();
    const r = await checkPtr('192.0.2.1', { servers: [silentServer], timeoutMs: 300 });
    assert.deepStrictEqual([r.status, r.error], ['lookup-failed', 'ETIMEOUT']);
    assert.ok(Date.now() - started < 800);
  });

  it('stops at once when the signal aborts mid-query', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const r = await checkMx('two.test', { servers: [silentServer], timeoutMs: 5000, signal: controller.signal });
    const took = Date.now() - started;
    assert.deepStrictEqual([r.status, r.error], ['lookup-failed', 'ECANCELLED']);
    assert.ok(took >= 90 && took < 500, `took ${took} ms`);
  });

  it('asks nothing when the signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await checkPtr('192.0.2.1', { servers: [silentServer], signal: controller.signal });
    assert.deepStrictEqual([r.status, r.error], ['lookup-failed', 'ECANCELLED']);
    await assert.rejects(resolveAddresses('mx1.two.test', { servers: [silentServer], signal: controller.signal }), { code: 'ECANCELLED' });
  });
});
