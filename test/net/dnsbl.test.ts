// The DNSBL check end to end against a real dnsmasq on 127.0.0.1 serving made-up blocklist zones under
// .test (never a real list): listed, not listed, refusal codes, a zone that lists everything, a zone that
// never answers (forwarded to a silent UDP socket) and one dnsmasq refuses. No traffic leaves loopback.
import * as assert from 'assert';
import * as dgram from 'dgram';
import { DNSBL_CHECK } from '../../src/core/live/mailAuth/dnsbl';
import { dnsblQueryName } from '../../src/core/live/mailAuth/dnsblCodes';
import type { AuthCheckContext, AuthCheckResult } from '../../src/core/live/mailAuth/types';
import { CheckScheduler } from '../../src/core/live/scheduler';
import { dnsmasqAvailable, DnsmasqPeer, startDnsmasq } from './peers/dnsmasq';
import { fullText } from '../findingText';

/** Public addresses, used only as query names under the test zones; nothing is ever sent to them. */
const V4 = '11.22.33.44';
const V6 = '2a00:1450:4001:81c::200e';
const KEY = 'abcdef0123456789abcdef';
const KEY_ZONE = `${KEY}.keyed.test`;

const q = (address: string, zone: string) => dnsblQueryName(address, zone)!;

const ZONE = {
  hosts: [
    { name: q(V4, 'bl.test'), addresses: ['127.0.0.2'] },
    { name: q(V6, 'bl.test'), addresses: ['127.0.0.3'] },
    { name: q(V4, 'refuse.test'), addresses: ['127.255.255.254'] },
    { name: q(V4, 'rewrite.test'), addresses: ['198.51.100.1'] },
    { name: q(V4, 'retired.test'), addresses: ['127.0.0.1'] },
    { name: q(V4, KEY_ZONE), addresses: ['127.0.0.2'] },
  ],
  txts: [
    { name: q(V4, 'bl.test'), text: [`Listed: see https://bl.test/lookup?ip=${V4}`] },
    { name: q(V4, KEY_ZONE), text: [`Listed: see https://keyed.test/${KEY}/lookup`] },
    { name: q(V4, 'txtonly.test'), text: ['no A record here'] },
  ],
  localZones: ['test'],
};

describe('DNSBL check against dnsmasq', function () {
  this.timeout(20000);
  let dns: DnsmasqPeer | undefined;
  let blackhole: dgram.Socket;

  before(async function () {
    if (!dnsmasqAvailable()) this.skip();
    blackhole = dgram.createSocket('udp4');
    await new Promise<void>((r) => blackhole.bind(0, '127.0.0.1', () => r()));
    dns = await startDnsmasq({
      ...ZONE,
      extraArgs: ['--address=/everything.test/127.0.0.2', `--server=/slow.test/127.0.0.1#${blackhole.address().port}`],
    });
  });

  after(async () => {
    await dns?.stop();
    blackhole?.close();
  });

  const context = (zones: string[], over: Partial<AuthCheckContext> = {}): AuthCheckContext => ({
    dns: { servers: [dns!.server], timeoutMs: 600 },
    scheduler: new CheckScheduler(),
    sendingAddresses: [],
    dnsblZones: zones,
    ...over,
  });
  const run = (address: string, zones: string[], over?: Partial<AuthCheckContext>) => DNSBL_CHECK.run(address, context(zones, over));
  const ids = (r: AuthCheckResult) => r.problems.map((p) => [p.ruleId, p.severity ?? 'default']);

  it('reports a listing with the answer code and the TXT reason, and a clean zone as not listed', async () => {
    const r = await run(V4, ['bl.test', 'clean.test']);
    assert.deepStrictEqual([r.check, r.subjectKind, r.subject, r.error, ids(r)], ['dnsbl', 'address', V4, undefined, [['dns/dnsbl-listed', 'default']]]);
    assert.strictEqual(r.summary, 'listed on 1 of 2 zones: bl.test; not listed on 1');
    assert.match(fullText(r.problems[0]), /^11\.22\.33\.44 is listed on the blocklist bl\.test; .* Listed as 127\.0\.0\.2 \(listed\); the list says: "Listed: see https:\/\/bl\.test\/lookup\?ip=11\.22\.33\.44"\. Receivers/);
    assert.deepStrictEqual(r.evidence, [
      `44.33.22.11.bl.test A: 127.0.0.2 (listed); TXT "Listed: see https://bl.test/lookup?ip=${V4}"`,
      '44.33.22.11.clean.test A: not listed (NXDOMAIN)',
    ]);
  });

  it('queries IPv6 addresses by reversed nibbles, and IPv4-mapped ones as IPv4', async () => {
    const v6 = await run(V6, ['bl.test']);
    assert.deepStrictEqual(ids(v6), [['dns/dnsbl-listed', 'default']]);
    assert.match(v6.evidence[0], /^e\.0\.0\.2\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.c\.1\.8\.0\.1\.0\.0\.4\.0\.5\.4\.1\.0\.0\.a\.2\.bl\.test A: 127\.0\.0\.3 \(listed\)$/);
    const mapped = await run(`::ffff:${V4}`, ['bl.test']);
    assert.deepStrictEqual(ids(mapped), [['dns/dnsbl-listed', 'default']]);
    assert.match(mapped.evidence[0], /^44\.33\.22\.11\.bl\.test A:/);
  });

  it('says "not listed" for NXDOMAIN and for a name with no A record', async () => {
    const r = await run(V4, ['clean.test', 'txtonly.test']);
    assert.deepStrictEqual([r.summary, r.error, ids(r)], ['not listed on 2 zones', undefined, []]);
    assert.ok(r.evidence.includes('44.33.22.11.txtonly.test A: not listed (no A record)'));
  });

  it('never reports refusal codes, rewritten answers or a zone that lists everything as a listing', async () => {
    const r = await run(V4, ['refuse.test', 'rewrite.test', 'retired.test', 'everything.test', 'clean.test']);
    assert.strictEqual(r.error, undefined);
    assert.deepStrictEqual(ids(r), [['dns/dnsbl-refused', 'default'], ['dns/dnsbl-refused', 'default'], ['dns/dnsbl-refused', 'default'], ['dns/dnsbl-refused', 'default']]);
    assert.strictEqual(r.summary, 'not listed on 1 zone; 4 refused the query');
    const text = r.problems.map((p) => fullText(p)).join('\n');
    assert.match(text, /refuse\.test gave no verdict on .* 127\.255\.255\.254 \(an error code \(127\.255\.255\.0\/24\), not a listing\)/);
    assert.match(text, /rewrite\.test gave no verdict on .* 198\.51\.100\.1 \(an answer outside 127\.0\.0\.0\/8/);
    assert.match(text, /retired\.test gave no verdict on .* 127\.0\.0\.1 \(the "query refused \/ list retired" answer/);
    assert.match(text, /everything\.test gave no verdict on .* also lists the test address 127\.0\.0\.1/);
    assert.ok(!r.problems.some((p) => p.ruleId === 'dns/dnsbl-listed'));
  });

  it('gives no verdict (error) when no zone answers, and notes a silent zone next to answers', async () => {
    const started = Date.now();
    const [none, refused, mixed] = await Promise.all([run(V4, ['slow.test']), run(V4, ['unserved.invalid']), run(V4, ['bl.test', 'slow.test'])]);
    assert.ok(Date.now() - started < 3000, 'timeouts are bounded');
    assert.deepStrictEqual([none.error, none.problems, none.summary], ['ETIMEOUT querying slow.test', [], 'no verdict: 1 of 1 zone did not answer (ETIMEOUT)']);
    assert.deepStrictEqual([refused.error, refused.problems], ['EREFUSED querying unserved.invalid', []]);
    assert.strictEqual(mixed.error, undefined);
    assert.deepStrictEqual(ids(mixed), [['dns/dnsbl-listed', 'default']]);
    assert.strictEqual(mixed.summary, 'listed on 1 of 2 zones: bl.test; 1 did not answer (ETIMEOUT)');
    assert.ok(mixed.evidence.includes('44.33.22.11.slow.test A: no answer (ETIMEOUT)'));
  });

  it('skips addresses no list covers, and says why', async () => {
    for (const [address, why] of [
      ['10.1.2.3', 'a private address (RFC 1918)'],
      ['192.0.2.1', 'a documentation address (RFC 5737)'],
      ['100.64.1.1', 'a carrier-grade NAT address (RFC 6598)'],
      ['2001:db8::1', 'a documentation address (RFC 3849)'],
      ['fe80::1', 'a link-local address'],
      ['::ffff:127.0.0.1', 'a loopback address'],
    ]) {
      const r = await run(address, ['bl.test']);
      assert.deepStrictEqual([r.error, r.problems, r.evidence], [undefined, [], []], address);
      assert.match(r.summary, new RegExp(`^skipped: .* is ${why.replace(/[()]/g, '\\$&')}; DNSBLs list only public addresses$`), address);
    }
    const notIp = await run('mail.example.test', ['bl.test']);
    assert.deepStrictEqual([notIp.error, notIp.problems], ['EINVAL', []]);
    const noZones = await run(V4, []);
    assert.deepStrictEqual([noZones.summary, noZones.error, noZones.problems], ['no DNSBL zones configured', undefined, []]);
  });

  it('never shows the access key of a keyed zone (e.g. Spamhaus DQS)', async () => {
    const r = await run(V4, [KEY_ZONE, 'not a zone!']);
    assert.deepStrictEqual(ids(r), [['dns/dnsbl-listed', 'default']]);
    const all = JSON.stringify(r);
    assert.ok(!all.includes(KEY), all);
    assert.match(r.summary, /<key>\.keyed\.test/);
    assert.ok(r.evidence.includes('zone "not a zone!" skipped: not a DNS name'));
    assert.ok(r.evidence.some((e) => e.includes('TXT "Listed: see https://keyed.test/<key>/lookup"')), r.evidence.join('\n'));
  });

  it('stops at once when the run is cancelled', async () => {
    const controller = new AbortController();
    const pending = run(V4, ['slow.test'], { dns: { servers: [dns!.server], timeoutMs: 5000, signal: controller.signal } });
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const r = await pending;
    assert.ok(Date.now() - started < 1000);
    assert.deepStrictEqual([r.error, r.problems], ['ECANCELLED', []]);
  });
});
