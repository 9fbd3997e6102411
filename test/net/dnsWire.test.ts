// The DNS wire client against servers on loopback: the in-process wire server (AD bit, TC → TCP, silence,
// SERVFAIL, spoofed and hostile answers) and a real dnsmasq (TLSA from --dns-rr, never AD).
import * as assert from 'assert';
import * as crypto from 'crypto';
import fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DNS_TYPE, queryWire, rcodeError, type WireOutcome } from '../../src/core/live/dnsWire';
import { readSystemResolvers } from '../../src/core/node/systemResolvers';
import { dnsmasqAvailable, startDnsmasq, type DnsmasqPeer } from './peers/dnsmasq';
import { encodeName, rawResponse, rdata, startWireDnsRetrying, T, type WireDnsPeer } from './peers/wireDns';

const HASH = 'a1'.repeat(32);
const TLSA_NAME = '_25._tcp.mx.zone.test';

const records = [
  { name: TLSA_NAME, type: T.TLSA, data: rdata.tlsa(3, 1, 1, HASH) },
  { name: TLSA_NAME, type: T.TLSA, data: rdata.tlsa(2, 0, 1, 'b2'.repeat(32)) },
  { name: 'big.zone.test', type: T.TLSA, data: rdata.tlsa(3, 0, 0, crypto.randomBytes(3000)) },
  { name: 'alias.zone.test', type: T.CNAME, data: rdata.name(TLSA_NAME) },
  { name: 'mx.zone.test', type: T.A, data: rdata.a('127.0.0.1') },
];

function response(outcome: WireOutcome) {
  assert.ok(outcome.response, `no response: ${outcome.error}`);
  return outcome.response;
}

/** The UDP and TCP handles of this process, to see that a query leaves none behind. */
function socketHandles(): number {
  const handles = (process as unknown as { _getActiveHandles(): object[] })._getActiveHandles();
  return handles.filter((h) => /^(Socket|UDP)$/.test(h.constructor.name)).length;
}

describe('DNS wire client', function () {
  let dns: WireDnsPeer;
  const peers: { close(): Promise<void> }[] = [];
  const start = async (options: Parameters<typeof startWireDnsRetrying>[0]) => {
    const p = await startWireDnsRetrying(options);
    peers.push(p);
    return p;
  };

  before(async () => {
    dns = await start({
      records,
      ad: (name) => name !== 'mx.zone.test',
      truncate: (name) => name === 'big.zone.test',
      silent: (name) => name === 'silent.zone.test',
      rcode: (name) => (name === 'servfail.zone.test' ? 2 : undefined),
    });
  });
  after(async () => {
    for (const p of peers) await p.close();
  });

  it('asks with RD, AD and EDNS0 DO, and returns the TLSA records with the AD bit', async () => {
    const r = response(await queryWire(TLSA_NAME, DNS_TYPE.TLSA, { servers: [dns.server], timeoutMs: 2000 }));
    assert.deepStrictEqual([r.rcode, r.ad, r.transport, r.server], [0, true, 'udp', dns.server]);
    assert.deepStrictEqual(r.answers.map((a) => a.data), [
      { usage: 3, selector: 1, matchingType: 1, association: HASH },
      { usage: 2, selector: 0, matchingType: 1, association: 'b2'.repeat(32) },
    ]);
    const seen = dns.queries.find((q) => q.name === TLSA_NAME)!;
    assert.deepStrictEqual([seen.type, seen.transport, seen.rd, seen.ad, seen.edns, seen.dnssecOk], [52, 'udp', true, true, true, true]);
  });

  it('reports no AD bit when the server does not set it', async () => {
    const r = response(await queryWire('mx.zone.test', DNS_TYPE.A, { servers: [dns.server], timeoutMs: 2000 }));
    assert.deepStrictEqual([r.ad, r.answers.map((a) => a.data)], [false, ['127.0.0.1']]);
  });

  it('asks again over TCP when the UDP answer is truncated (TC), and takes a 3 KB record', async () => {
    const r = response(await queryWire('big.zone.test', DNS_TYPE.TLSA, { servers: [dns.server], timeoutMs: 2000 }));
    assert.strictEqual(r.transport, 'tcp');
    assert.strictEqual((r.answers[0].data as { association: string }).association.length, 6000);
    assert.deepStrictEqual(dns.queries.filter((q) => q.name === 'big.zone.test').map((q) => q.transport), ['udp', 'tcp']);
  });

  it('returns the CNAME and the records it leads to', async () => {
    const r = response(await queryWire('alias.zone.test', DNS_TYPE.TLSA, { servers: [dns.server], timeoutMs: 2000 }));
    assert.deepStrictEqual(r.answers.map((a) => [a.name, a.type]), [['alias.zone.test', 5], [TLSA_NAME, 52], [TLSA_NAME, 52]]);
  });

  it('tells NXDOMAIN from NODATA', async () => {
    const nx = response(await queryWire('nowhere.zone.test', DNS_TYPE.TLSA, { servers: [dns.server], timeoutMs: 2000 }));
    const nodata = response(await queryWire('mx.zone.test', DNS_TYPE.TLSA, { servers: [dns.server], timeoutMs: 2000 }));
    assert.deepStrictEqual([rcodeError(nx.rcode), nx.answers.length, rcodeError(nodata.rcode), nodata.answers.length], ['ENOTFOUND', 0, undefined, 0]);
  });

  it('gives up with ETIMEOUT within timeoutMs, having retried', async () => {
    const started = Date.now();
    const r = await queryWire('silent.zone.test', DNS_TYPE.TLSA, { servers: [dns.server], timeoutMs: 400, tries: 2 });
    const ms = Date.now() - started;
    assert.strictEqual(r.error, 'ETIMEOUT');
    assert.ok(ms >= 350 && ms < 1000, `${ms} ms`);
    assert.strictEqual(dns.queries.filter((q) => q.name === 'silent.zone.test').length, 2);
  });

  it('moves on to the next server after SERVFAIL, and reports SERVFAIL when every server says so', async () => {
    const second = await start({ records: [{ name: 'servfail.zone.test', type: T.TLSA, data: rdata.tlsa(3, 1, 1, HASH) }] });
    const r = response(await queryWire('servfail.zone.test', DNS_TYPE.TLSA, { servers: [dns.server, second.server], timeoutMs: 2000 }));
    assert.deepStrictEqual([r.rcode, r.server, r.answers.length], [0, second.server, 1]);
    const only = response(await queryWire('servfail.zone.test', DNS_TYPE.TLSA, { servers: [dns.server], timeoutMs: 2000 }));
    assert.strictEqual(rcodeError(only.rcode), 'ESERVFAIL');
    // An answer is an answer: the same server is not asked twice for it.
    assert.strictEqual(dns.queries.filter((q) => q.name === 'servfail.zone.test').length, 2);
  });

  it('skips a server whose port is closed (ECONNREFUSED) and asks the next', async () => {
    const closed = await start({});
    const server = closed.server;
    await closed.close();
    peers.splice(peers.indexOf(closed), 1);
    const started = Date.now();
    const r = await queryWire(TLSA_NAME, DNS_TYPE.TLSA, { servers: [server, dns.server], timeoutMs: 2000 });
    assert.strictEqual(response(r).server, dns.server);
    assert.ok(Date.now() - started < 1000);
    assert.strictEqual((await queryWire(TLSA_NAME, DNS_TYPE.TLSA, { servers: [server], timeoutMs: 2000 })).error, 'ECONNREFUSED');
  });

  it('ignores answers with another id or another question, and malformed ones, until the real one comes', async () => {
    const hostile = await start({
      records,
      respond: (q, transport) => {
        if (transport !== 'udp') return undefined;
        const tlsa = Buffer.concat([Buffer.from([0xc0, 12, 0, 52, 0, 1, 0, 0, 0, 60, 0, 35]), rdata.tlsa(3, 1, 1, 'ff'.repeat(32))]);
        const otherQuestion = Buffer.concat([encodeName('evil.zone.test'), Buffer.from([0, 52, 0, 1])]);
        return [
          rawResponse(q, tlsa, { an: 1 }, 0x85a0, (q.id + 1) & 0xffff), // wrong id
          rawResponse({ ...q, raw: otherQuestion }, tlsa, { an: 1 }, 0x85a0), // wrong question
          rawResponse(q, Buffer.from([0xc0, 12, 0, 52]), { an: 1 }, 0x85a0), // cut short
          rawResponse(q, Buffer.concat([Buffer.from([0xc0, 12, 0, 52, 0, 1, 0, 0, 0, 60, 0, 35]), rdata.tlsa(3, 1, 1, HASH)]), { an: 1 }, 0x8580),
        ];
      },
    });
    const r = response(await queryWire(TLSA_NAME, DNS_TYPE.TLSA, { servers: [hostile.server], timeoutMs: 2000 }));
    assert.deepStrictEqual([r.ad, r.answers.map((a) => (a.data as { association: string }).association)], [false, [HASH]]);
  });

  it('says EBADRESP when only malformed answers come (a compression loop, a count lie)', async () => {
    let n = 0;
    const hostile = await start({
      respond: (q) => (n++ % 2 === 0 ? rawResponse(q, Buffer.from([0xc0, 12 + q.raw.length, 0, 52]), { an: 1 }) : rawResponse(q, Buffer.alloc(0), { an: 4000 })),
    });
    const started = Date.now();
    const r = await queryWire(TLSA_NAME, DNS_TYPE.TLSA, { servers: [hostile.server], timeoutMs: 300, tries: 2 });
    assert.strictEqual(r.error, 'EBADRESP');
    assert.ok(Date.now() - started < 800);
  });

  it('says EBADRESP when the answer over TCP does not answer the question', async () => {
    const hostile = await start({
      truncate: () => true,
      respond: (q, transport) => (transport === 'tcp' ? rawResponse(q, Buffer.alloc(0), {}, 0x8580, q.id ^ 1) : undefined),
    });
    assert.strictEqual((await queryWire('wrong-id.zone.test', DNS_TYPE.TLSA, { servers: [hostile.server], timeoutMs: 1000 })).error, 'EBADRESP');
  });

  it('never throws on mutated answers over UDP and TCP: a response or an error code, within the time limit', async () => {
    let mutate: (bytes: Buffer) => Buffer = (b) => b;
    const real = (q: { id: number; raw: Buffer }) =>
      rawResponse(q as never, Buffer.concat([Buffer.from([0xc0, 12, 0, 52, 0, 1, 0, 0, 0, 60, 0, 35]), rdata.tlsa(3, 1, 1, HASH)]), { an: 1 }, 0x85a0);
    const hostile = await start({
      truncate: (name) => name.startsWith('tcp'),
      respond: (q, transport) => (transport === 'tcp' || !q.name.startsWith('tcp') ? mutate(real(q)) : undefined),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(fc.record({ at: fc.nat(200), value: fc.nat(255), cut: fc.boolean() }), { minLength: 1, maxLength: 4 }),
        async (overTcp, changes) => {
          mutate = (bytes) => {
            let b = Buffer.from(bytes);
            for (const c of changes) {
              if (c.cut) b = b.subarray(0, c.at % (b.length + 1));
              else if (b.length > 0) b[c.at % b.length] = c.value;
            }
            return b;
          };
          const started = Date.now();
          const r = await queryWire(`${overTcp ? 'tcp' : 'udp'}.zone.test`, DNS_TYPE.TLSA, { servers: [hostile.server], timeoutMs: 100, tries: 1 });
          assert.ok(r.response || /^E[A-Z]+$/.test(r.error), JSON.stringify(r));
          assert.ok(Date.now() - started < 400);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('stops at once when the signal aborts, leaving no socket behind', async () => {
    const before = socketHandles();
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const r = await queryWire('silent.zone.test', DNS_TYPE.TLSA, { servers: [dns.server], timeoutMs: 5000, signal: controller.signal });
    assert.strictEqual(r.error, 'ECANCELLED');
    assert.ok(Date.now() - started < 500);
    // Closed at once; libuv lets go of a closed handle on a later loop turn.
    for (let i = 0; i < 20 && socketHandles() !== before; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.strictEqual(socketHandles(), before);
    assert.strictEqual((await queryWire('x.test', 1, { servers: [dns.server], signal: controller.signal })).error, 'ECANCELLED');
  });

  it('refuses a name it cannot ask and servers that are not addresses', async () => {
    assert.strictEqual((await queryWire(`${'a'.repeat(64)}.test`, 52, { servers: [dns.server] })).error, 'EBADNAME');
    assert.strictEqual((await queryWire('x.test', 52, { servers: ['dns.example:53'] })).error, 'EINVAL');
  });

  it('with no servers configured, asks the nameservers of resolv.conf (port 53)', async function () {
    // A loopback address of our own, so port 53 is free there.
    const address = `127.${crypto.randomInt(1, 255)}.${crypto.randomInt(0, 255)}.${crypto.randomInt(1, 255)}`;
    let own: WireDnsPeer;
    try {
      own = await start({ records, address, port: 53, ad: true });
    } catch (e) {
      this.skip(); // not root, or the address:53 is taken
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-resolv-'));
    const conf = path.join(dir, 'resolv.conf');
    fs.writeFileSync(conf, `# test\nnameserver ${address}\n`);
    try {
      const r = response(await queryWire(TLSA_NAME, DNS_TYPE.TLSA, { systemServers: await readSystemResolvers(conf), timeoutMs: 2000 }));
      assert.deepStrictEqual([r.server, r.ad, r.answers.length], [`${address}:53`, true, 2]);
      assert.strictEqual(own!.queries.length, 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('talks to an IPv6 loopback server', async function () {
    let v6: WireDnsPeer;
    try {
      v6 = await start({ records, address: '::1', ad: true });
    } catch {
      this.skip(); // no IPv6 loopback here
    }
    const r = response(await queryWire(TLSA_NAME, DNS_TYPE.TLSA, { servers: [v6!.server], timeoutMs: 2000 }));
    assert.deepStrictEqual([r.ad, r.answers.length], [true, 2]);
  });

  describe('against dnsmasq', function () {
    let dnsmasq: DnsmasqPeer | undefined;
    before(async function () {
      if (!dnsmasqAvailable()) this.skip();
      dnsmasq = await startDnsmasq({
        hosts: [{ name: 'mx.dm.test', addresses: ['127.0.0.1'] }],
        extraArgs: [`--dns-rr=_25._tcp.mx.dm.test,52,030101${HASH}`],
      });
    });
    after(async () => {
      await dnsmasq?.stop();
    });

    it('reads the TLSA record dnsmasq serves, without the AD bit (dnsmasq does not validate local data)', async () => {
      const r = response(await queryWire('_25._tcp.mx.dm.test', DNS_TYPE.TLSA, { servers: [dnsmasq!.server], timeoutMs: 2000 }));
      assert.deepStrictEqual([r.rcode, r.ad, r.answers.map((a) => a.data)], [0, false, [{ usage: 3, selector: 1, matchingType: 1, association: HASH }]]);
    });

    it('gets NXDOMAIN inside the local zone, NODATA for another type, REFUSED outside it', async () => {
      const opts = { servers: [dnsmasq!.server], timeoutMs: 2000 };
      const nx = response(await queryWire('_25._tcp.none.dm.test', DNS_TYPE.TLSA, opts));
      const nodata = response(await queryWire('mx.dm.test', DNS_TYPE.TLSA, opts));
      const refused = response(await queryWire('example.org', DNS_TYPE.TLSA, opts));
      assert.deepStrictEqual([nx.rcode, nodata.rcode, nodata.answers.length, rcodeError(refused.rcode)], [3, 0, 0, 'EREFUSED']);
    });
  });
});
