// The live checks' one DNS query layer (dnsRecords.ts over the wire client) and the checks built on it,
// against the in-process wire server on loopback: what the answers decode to, the codes failures come back
// as (the vocabulary dnsErrorWords reads), truncated answers fetched over TCP, a PTR with many names,
// SERVFAIL, a dead server and a silent one.
import * as assert from 'assert';
import * as dgram from 'dgram';
import { checkResolver, dnsErrorWords, resolveAddresses } from '../../src/core/live/dnsChecks';
import { dnsQuery } from '../../src/core/live/dnsRecords';
import { lookupTxt } from '../../src/core/live/mailAuth/dnsQuery';
import { checkMx } from '../../src/core/live/mxCheck';
import { checkPtr } from '../../src/core/live/ptrCheck';
import { MAX_PTR_NAMES_CHECKED, MAX_TXT_RECORDS_PER_NAME } from '../../src/core/limits';
import { rdata, startWireDnsRetrying, T, type WireDnsPeer, type WireDnsRecord } from './peers/wireDns';

/** 14 PTR names for 192.0.2.60, of which the 8th resolves back to it. */
const MANY = Array.from({ length: 14 }, (_, i) => `n${i}.many.test`);
/** 14 PTR names for 192.0.2.61, of which only the 13th resolves back to it: past the names checked. */
const LATE = Array.from({ length: 14 }, (_, i) => `late${i}.many.test`);

const records: WireDnsRecord[] = [
  { name: 'host.zone.test', type: T.A, data: rdata.a('192.0.2.10') },
  { name: 'host.zone.test', type: T.A, data: rdata.a('192.0.2.11') },
  { name: 'host.zone.test', type: T.AAAA, data: rdata.aaaa('2001:db8::a') },
  { name: 'zone.test', type: T.MX, data: rdata.mx(20, 'host.zone.test') },
  { name: 'zone.test', type: T.MX, data: rdata.mx(10, 'failing.zone.test') },
  { name: 'null.zone.test', type: T.MX, data: rdata.mx(0, '.') },
  { name: 'alias.zone.test', type: T.CNAME, data: rdata.name('host.zone.test') },
  { name: 'loop1.zone.test', type: T.CNAME, data: rdata.name('loop2.zone.test') },
  { name: 'loop2.zone.test', type: T.CNAME, data: rdata.name('loop1.zone.test') },
  { name: 'txt.zone.test', type: T.TXT, data: rdata.txt(['v=STSv1; ', 'id=1']) },
  ...Array.from({ length: 25 }, (_, i) => ({ name: 'many-txt.zone.test', type: T.TXT, data: rdata.txt([`record ${i} `.padEnd(200, 'x')]) })),
  ...MANY.map((name) => ({ name: '60.2.0.192.in-addr.arpa', type: T.PTR, data: rdata.name(name) })),
  ...MANY.map((name, i) => ({ name, type: T.A, data: rdata.a(i === 7 ? '192.0.2.60' : `192.0.2.${100 + i}`) })),
  ...LATE.map((name) => ({ name: '61.2.0.192.in-addr.arpa', type: T.PTR, data: rdata.name(name) })),
  ...LATE.map((name, i) => ({ name, type: T.A, data: rdata.a(i === 12 ? '192.0.2.61' : `192.0.2.${150 + i}`) })),
];

/** A loopback UDP port nothing listens on (bound, then closed): queries to it meet ECONNREFUSED. */
async function closedUdpServer(): Promise<string> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const server = `127.0.0.1:${socket.address().port}`;
  await new Promise<void>((resolve) => socket.close(resolve));
  return server;
}

describe('DNS query layer (dnsRecords.ts) against the wire server', function () {
  let dns: WireDnsPeer;
  let opts: { servers: string[]; timeoutMs: number };

  before(async () => {
    dns = await startWireDnsRetrying({
      records,
      // Big answers come over UDP truncated, as a real server sends them: the client must ask again over TCP.
      truncate: (name) => name === '60.2.0.192.in-addr.arpa' || name === 'many-txt.zone.test',
      rcode: (name) => (name.startsWith('failing.') || name === 'servfail.zone.test' ? 2 : name === 'refused.zone.test' ? 5 : undefined),
      silent: (name) => name === 'silent.zone.test',
    });
    opts = { servers: [dns.server], timeoutMs: 2000 };
  });
  after(() => dns.close());

  it('decodes A, AAAA, MX, CNAME and TXT records, following a CNAME inside the answer', async () => {
    assert.deepStrictEqual((await dnsQuery('host.zone.test', 'A', opts)).values, ['192.0.2.10', '192.0.2.11']);
    assert.deepStrictEqual((await dnsQuery('host.zone.test', 'AAAA', opts)).values, ['2001:db8::a']);
    assert.deepStrictEqual((await dnsQuery('alias.zone.test', 'A', opts)).values, ['192.0.2.10', '192.0.2.11']);
    assert.deepStrictEqual((await dnsQuery('alias.zone.test', 'CNAME', opts)).values, ['host.zone.test']);
    assert.deepStrictEqual((await dnsQuery('zone.test', 'MX', opts)).values, [
      { priority: 20, exchange: 'host.zone.test' },
      { priority: 10, exchange: 'failing.zone.test' },
    ]);
    assert.deepStrictEqual((await dnsQuery('null.zone.test', 'MX', opts)).values, [{ priority: 0, exchange: '' }]);
    assert.deepStrictEqual((await dnsQuery('txt.zone.test', 'TXT', opts)).values, [{ strings: ['v=STSv1; ', 'id=1'] }]);
    assert.deepStrictEqual((await dnsQuery('host.zone.test', 'A', { ...opts, maxRecords: 1 })).values, ['192.0.2.10']);
  });

  it('answers a failure with the codes the findings word: NXDOMAIN, NODATA, SERVFAIL, REFUSED, a CNAME loop, silence, a closed port', async () => {
    const closedServer = await closedUdpServer();
    const outcome = async (name: string, o: object = opts) => {
      const a = await dnsQuery(name, 'A', { ...opts, ...o });
      return [a.values.length, a.negative, a.error];
    };
    assert.deepStrictEqual(await outcome('missing.zone.test'), [0, 'ENOTFOUND', undefined]);
    assert.deepStrictEqual(await outcome('txt.zone.test'), [0, 'ENODATA', undefined]);
    assert.deepStrictEqual(await outcome('servfail.zone.test'), [0, undefined, 'ESERVFAIL']);
    assert.deepStrictEqual(await outcome('refused.zone.test'), [0, undefined, 'EREFUSED']);
    assert.deepStrictEqual(await outcome('loop1.zone.test'), [0, undefined, 'ECNAMELOOP']);
    assert.deepStrictEqual(await outcome('silent.zone.test', { timeoutMs: 300 }), [0, undefined, 'ETIMEOUT']);
    assert.deepStrictEqual(await outcome('host.zone.test', { servers: [closedServer], timeoutMs: 1000 }), [0, undefined, 'ECONNREFUSED']);
    assert.deepStrictEqual(
      ['ENOTFOUND', 'ENODATA', 'ESERVFAIL', 'EREFUSED', 'ETIMEOUT', 'ECONNREFUSED'].map(dnsErrorWords),
      [
        'no such name (NXDOMAIN)',
        'the name has no such record (NODATA)',
        'the DNS server failed to get an answer (SERVFAIL)',
        'the DNS server refused the query (REFUSED)',
        'no answer from the DNS server in time (timeout)',
        'nothing answers DNS at the server (connection refused)',
      ],
    );
  });

  it('reads a PTR with many names from a truncated answer over TCP, and confirms it through one of the names it checks', async () => {
    const r = await checkPtr('192.0.2.60', { ...opts, expectedName: 'n7.many.test' });
    assert.deepStrictEqual([r.status, r.forwardConfirmed, r.matchesExpectedName], ['ok', true, true]);
    assert.deepStrictEqual(r.names, MANY);
    assert.ok(dns.queries.some((q) => q.name === '60.2.0.192.in-addr.arpa' && q.transport === 'tcp'), 'asked again over TCP');
  });

  it('does not confirm a PTR through a name past the ones it checks', async () => {
    const r = await checkPtr('192.0.2.61', opts);
    assert.deepStrictEqual(r.names, LATE);
    assert.ok(LATE.indexOf('late12.many.test') >= MAX_PTR_NAMES_CHECKED);
    assert.deepStrictEqual([r.status, r.forwardConfirmed], ['not-confirmed', false]);
  });

  it('keeps the first TXT records of a large answer fetched over TCP', async () => {
    const txt = await lookupTxt('many-txt.zone.test', opts);
    assert.strictEqual(txt.values.length, MAX_TXT_RECORDS_PER_NAME);
    assert.ok(txt.values[0].startsWith('record 0 '));
  });

  it('reports a SERVFAIL for the MX set as a failed lookup, and for one MX host as that host\'s error', async () => {
    const failed = await checkMx('servfail.zone.test', opts);
    assert.deepStrictEqual([failed.status, failed.error], ['lookup-failed', 'ESERVFAIL']);
    const r = await checkMx('zone.test', opts);
    assert.strictEqual(r.status, 'ok');
    assert.deepStrictEqual(
      r.hosts.map((h) => [h.priority, h.exchange, [...h.addresses], h.error]),
      [
        [10, 'failing.zone.test', [], 'ESERVFAIL'],
        [20, 'host.zone.test', ['192.0.2.10', '192.0.2.11', '2001:db8::a'], undefined],
      ],
    );
  });

  it('resolves a host name for the SMTP probe, rejecting with the code when it has no address', async () => {
    assert.deepStrictEqual(await resolveAddresses('host.zone.test', opts), ['192.0.2.10', '192.0.2.11', '2001:db8::a']);
    await assert.rejects(resolveAddresses('servfail.zone.test', opts), { code: 'ESERVFAIL' });
  });

  it('calls the resolver alive on any answer (SERVFAIL, NXDOMAIN) and dead on silence or a closed port', async () => {
    assert.deepStrictEqual([(await checkResolver('servfail.zone.test', opts)).status], ['ok']);
    assert.deepStrictEqual([(await checkResolver('missing.zone.test', opts)).status], ['ok']);
    const silent = await checkResolver('silent.zone.test', { ...opts, timeoutMs: 300 });
    assert.deepStrictEqual([silent.status, silent.error, silent.configured, silent.servers], ['dead', 'ETIMEOUT', true, [dns.server]]);
    const dead = await checkResolver('host.zone.test', { servers: [await closedUdpServer()], timeoutMs: 1000 });
    assert.deepStrictEqual([dead.status, dead.error], ['dead', 'ECONNREFUSED']);
  });
});
