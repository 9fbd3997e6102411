// The DANE check end to end: check.run(domain, context) against an in-process DNS server on loopback (which
// sets the AD bit where a validating resolver would, truncates, stays silent), a real dnsmasq (TLSA from
// --dns-rr, never AD), and STARTTLS SMTP peers on 127.x addresses presenting test certificates.
import * as assert from 'assert';
import * as crypto from 'crypto';
import { checkMx } from '../../src/core/live/mxCheck';
import { createDaneCheck, daneCheck, DANE_RULES } from '../../src/core/live/mailAuth/dane';
import { loadAuthChecks } from '../../src/core/live/liveCheckRegistry';
import type { AuthCheckContext, AuthCheckResult } from '../../src/core/live/mailAuth/types';
import { CheckScheduler } from '../../src/core/live/scheduler';
import { probeSmtp } from '../../src/core/live/smtpProbe';
import { dnsmasqAvailable, startDnsmasq } from './peers/dnsmasq';
import { startStarttlsSni, type StarttlsSniPeer } from './peers/starttlsSni';
import { createTestCerts, type TestCerts } from './peers/testCerts';
import { rawResponse, rdata, startWireDnsRetrying, T, type WireDnsPeer } from './peers/wireDns';
import { fullText } from '../findingText';

const der = (pem: string) => Buffer.from(new crypto.X509Certificate(pem).raw);
const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const spkiSha256 = (pem: string) => sha256(new crypto.X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }));

const summaryOf = (r: AuthCheckResult) => ({ error: r.error, problems: r.problems.map((p) => [p.ruleId, p.severity ?? 'default']) });

describe('DANE check', function () {
  let certs: TestCerts;
  let dns: WireDnsPeer;
  let smtp: StarttlsSniPeer;
  let plain: StarttlsSniPeer | undefined;
  let port: number;
  let context: (extra?: Partial<AuthCheckContext>) => AuthCheckContext;
  let check: ReturnType<typeof createDaneCheck>;

  before(async () => {
    certs = createTestCerts();
    smtp = await startStarttlsSni({
      // mail.test gets the leaf and its CA (for DANE-TA); every other name just the leaf.
      tls: { default: certs.good, byName: { 'mail.test': { key: certs.good.key, cert: certs.good.cert + certs.ca } } },
    });
    port = smtp.port;
    plain = await startStarttlsSni({ address: '127.0.0.4', port }).catch(() => undefined);
    check = createDaneCheck({ port });

    const good311 = spkiSha256(certs.good.cert);
    const mx = (domain: string, host: string, preference = 10) => ({ name: domain, type: T.MX, data: rdata.mx(preference, host) });
    const a = (name: string, address = '127.0.0.1') => ({ name, type: T.A, data: rdata.a(address) });
    const tlsa = (host: string, u: number, s: number, m: number, hex: string) => ({ name: `_25._tcp.${host}`, type: T.TLSA, data: rdata.tlsa(u, s, m, hex) });
    const simple = (domain: string, ...rest: { name: string; type: number; data: Buffer }[]) => [mx(domain, `mx.${domain}`), a(`mx.${domain}`), ...rest];
    dns = await startWireDnsRetrying({
      records: [
        { name: '', type: T.SOA, data: rdata.soa() },
        ...simple('ee311.test', tlsa('mx.ee311.test', 3, 1, 1, good311)),
        ...simple('ee301.test', tlsa('mx.ee301.test', 3, 0, 1, sha256(der(certs.good.cert)))),
        ...simple('mismatch.test', tlsa('mx.mismatch.test', 3, 1, 1, spkiSha256(certs.wrongName.cert))),
        ...simple('pkix.test', tlsa('mx.pkix.test', 1, 1, 1, good311)),
        ...simple('nodane.test'),
        ...simple('noad.test', tlsa('mx.noad.test', 3, 1, 1, good311)),
        ...simple('slow.test', tlsa('mx.slow.test', 3, 1, 1, good311)),
        ...simple('tc.test', tlsa('mx.tc.test', 3, 1, 1, good311)),
        ...simple('servfail.test'),
        mx('refused.test', 'mx.refused.test'),
        a('mx.refused.test', '127.0.0.2'),
        tlsa('mx.refused.test', 3, 1, 1, good311),
        mx('plain.test', 'mx.plain.test'),
        a('mx.plain.test', '127.0.0.4'),
        tlsa('mx.plain.test', 3, 1, 1, good311),
        mx('partial.test', 'mx1.partial.test', 10),
        mx('partial.test', 'mx2.partial.test', 20),
        a('mx1.partial.test'),
        a('mx2.partial.test'),
        tlsa('mx1.partial.test', 3, 1, 1, good311),
        ...simple('insecuremx.test', tlsa('mx.insecuremx.test', 3, 1, 1, good311)),
        ...simple('insecuremxbad.test', tlsa('mx.insecuremxbad.test', 3, 1, 1, spkiSha256(certs.wrongName.cert))),
        ...simple('unsignedbad.test', tlsa('mx.unsignedbad.test', 3, 1, 1, spkiSha256(certs.wrongName.cert))),
        mx('unsignedpartial.test', 'mx1.unsignedpartial.test', 10),
        mx('unsignedpartial.test', 'mx2.unsignedpartial.test', 20),
        a('mx1.unsignedpartial.test'),
        a('mx2.unsignedpartial.test'),
        tlsa('mx1.unsignedpartial.test', 3, 1, 1, good311),
        mx('ta.test', 'mail.test'),
        a('mail.test'),
        tlsa('mail.test', 2, 0, 1, sha256(der(certs.ca))),
        mx('nullmx.test', '.', 0),
        ...simple('hostile.test'),
        ...simple('many.test', tlsa('mx.many.test', 3, 1, 1, good311), ...Array.from({ length: 40 }, () => tlsa('mx.many.test', 3, 1, 1, crypto.randomBytes(32).toString('hex')))),
      ],
      // A compression pointer into nowhere, every time.
      respond: (q) => (q.name === '_25._tcp.mx.hostile.test' ? rawResponse(q, Buffer.from([0xc0, 0xff, 0, 52]), { an: 1 }) : undefined),
      ad: (name, type) =>
        !['_25._tcp.mx.noad.test', '_25._tcp.mx.unsignedbad.test', '_25._tcp.mx1.unsignedpartial.test'].includes(name) &&
        !(['insecuremx.test', 'insecuremxbad.test'].includes(name) && type === T.MX),
      silent: (name) => name === '_25._tcp.mx.slow.test',
      truncate: (name) => name === '_25._tcp.mx.tc.test',
      rcode: (name) => (name === '_25._tcp.mx.servfail.test' ? 2 : undefined),
    });
    context = (extra = {}) => ({ dns: { servers: [dns.server], timeoutMs: 1500 }, scheduler: new CheckScheduler(), sendingAddresses: [], dnsblZones: [], ...extra });
  });

  after(async () => {
    await smtp?.close();
    await plain?.close();
    await dns?.close();
    certs?.cleanup();
  });

  it('is registered, with its rules', async () => {
    assert.ok((await loadAuthChecks()).includes(daneCheck));
    assert.deepStrictEqual(
      daneCheck.rules.map((r) => [r.id, r.defaultSeverity]),
      [
        ['dns/dane-missing', 'information'],
        ['dns/dane-unvalidated', 'warning'],
        ['dns/dane-mismatch', 'error'],
        ['dns/dane-unusable-usage', 'warning'],
        ['dns/dane-unreachable', 'error'],
      ],
    );
  });

  it('passes a DNSSEC-validated 3 1 1 record that matches the public key on port 25', async () => {
    const r = await check.run('EE311.test.', context());
    assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [] });
    assert.deepStrictEqual([r.check, r.subjectKind, r.subject], ['dane', 'domain', 'ee311.test']);
    assert.strictEqual(r.summary, 'TLSA on 1 of 1 MX host, certificate matches, DNSSEC-validated');
    assert.ok(r.evidence.some((e) => /_25\._tcp\.mx\.ee311\.test TLSA 3 1 1 .*\(AD: DNSSEC-validated\)/.test(e)), r.evidence.join('\n'));
    assert.ok(r.evidence.some((e) => e.includes(`as TLSA 3 1 1: ${spkiSha256(certs.good.cert)}`)));
    assert.ok(r.evidence.some((e) => /3 1 1 .* matches the server's certificate/.test(e)));
    assert.ok(!JSON.stringify(r).includes('PRIVATE KEY'));
  });

  it('passes a 3 0 1 record (hash of the whole certificate)', async () => {
    const r = await check.run('ee301.test', context());
    assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [] });
    assert.ok(r.evidence.some((e) => /3 0 1 .* matches/.test(e)));
  });

  it('passes a 2 0 1 record (DANE-TA) matching the CA the server sends, the leaf naming the MX host', async () => {
    const r = await check.run('ta.test', context());
    assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [] });
    assert.ok(r.evidence.some((e) => /2 0 1 .* matches certificate 1 of its chain/.test(e)), r.evidence.join('\n'));
    assert.ok(smtp.serverNames.includes('mail.test'));
  });

  it('reports an error when no TLSA record matches the certificate, giving the record to publish', async () => {
    const r = await check.run('mismatch.test', context());
    assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [['dns/dane-mismatch', 'default']] });
    assert.match(fullText(r.problems[0]), /will not deliver/);
    assert.ok(fullText(r.problems[0]).includes(`_25._tcp.mx.mismatch.test. IN TLSA 3 1 1 ${spkiSha256(certs.good.cert)}`));
    assert.match(r.summary, /1 mismatched/);
  });

  it('warns about PKIX usages, which SMTP ignores, without probing', async () => {
    const before = smtp.connections;
    const r = await check.run('pkix.test', context());
    assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [['dns/dane-unusable-usage', 'default']] });
    assert.match(fullText(r.problems[0]), /not usable for SMTP \(RFC 7672/);
    assert.strictEqual(smtp.connections, before);
  });

  it('says "no DANE" (information) when no MX host has TLSA records', async () => {
    const r = await check.run('nodane.test', context());
    assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [['dns/dane-missing', 'default']] });
    assert.strictEqual(r.summary, 'no TLSA records (no DANE)');
    assert.ok(r.evidence.includes('_25._tcp.mx.nodane.test: no TLSA (NXDOMAIN)'));
  });

  it('warns when one MX host has TLSA records and another has none', async () => {
    const r = await check.run('partial.test', context());
    assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [['dns/dane-missing', 'warning']] });
    assert.match(fullText(r.problems[0]), /^MX mx2\.partial\.test of partial\.test has no TLSA record while other MX hosts have.*mx1\.partial\.test has DANE-protected TLSA records/);
  });

  it('warns when the TLSA answer has no AD bit although the resolver validates (the root answer has it)', async () => {
    const r = await check.run('noad.test', context());
    assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [['dns/dane-unvalidated', 'default']] });
    assert.match(fullText(r.problems[0]), /resolver validates DNSSEC.*zone is unsigned or its chain of trust is broken/);
    assert.match(r.summary, /certificate matches, not DNSSEC-validated/);
  });

  it('warns when the TLSA records are validated but the MX records that lead to them are not', async () => {
    const r = await check.run('insecuremx.test', context());
    assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [['dns/dane-unvalidated', 'default']] });
    assert.match(fullText(r.problems[0]), /MX records of insecuremx\.test are not.*RFC 7672 §2\.2\.1/);
  });

  describe('reports only what a DANE-validating sender does', () => {
    it('in an unsigned zone, no "missing" warning for a sibling MX host: senders use DANE for none of them', async () => {
      const r = await check.run('unsignedpartial.test', context());
      assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [['dns/dane-unvalidated', 'default']] });
      assert.ok(r.evidence.includes('mx2.unsignedpartial.test: no TLSA, and no sibling is DANE-protected for senders, so nothing is missing'), r.evidence.join('\n'));
    });

    it('in an unsigned zone, a TLSA record that matches nothing is evidence, not an error: senders ignore it', async () => {
      const r = await check.run('unsignedbad.test', context());
      assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [['dns/dane-unvalidated', 'default']] });
      assert.ok(r.evidence.some((e) => /^mx\.unsignedbad\.test, not used by DANE senders \(not DNSSEC-authenticated\): No TLSA record/.test(e)), r.evidence.join('\n'));
    });

    it('with signed TLSA records behind an unsigned MX answer, a mismatch is evidence too', async () => {
      const r = await check.run('insecuremxbad.test', context());
      assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [['dns/dane-unvalidated', 'default']] });
    });
  });

  it('asks TLSA again over TCP when the UDP answer is truncated', async () => {
    const r = await check.run('tc.test', context());
    assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [] });
    assert.deepStrictEqual(dns.queries.filter((q) => q.name === '_25._tcp.mx.tc.test').map((q) => q.transport), ['udp', 'tcp']);
  });

  it('gives no verdict when the TLSA lookup times out', async () => {
    const started = Date.now();
    const r = await check.run('slow.test', context({ dns: { servers: [dns.server], timeoutMs: 300 } }));
    assert.deepStrictEqual(summaryOf(r), { error: 'TLSA lookup failed for _25._tcp.mx.slow.test (ETIMEOUT)', problems: [] });
    assert.strictEqual(r.summary, 'TLSA lookup failed (ETIMEOUT)');
    assert.ok(Date.now() - started < 1500);
  });

  it('gives no verdict on SERVFAIL, and says DANE senders defer mail then', async () => {
    const r = await check.run('servfail.test', context());
    assert.deepStrictEqual(r.problems, []);
    assert.match(r.error!, /ESERVFAIL.*DANE senders then defer mail/);
  });

  it('gives no verdict when the TLSA answers are malformed', async () => {
    const r = await check.run('hostile.test', context({ dns: { servers: [dns.server], timeoutMs: 300 } }));
    assert.deepStrictEqual(summaryOf(r), { error: 'TLSA lookup failed for _25._tcp.mx.hostile.test (EBADRESP)', problems: [] });
  });

  it('uses at most 32 TLSA records of a host', async () => {
    const r = await check.run('many.test', context());
    assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [] });
    assert.ok(r.evidence.includes('_25._tcp.mx.many.test: only the first 32 of 41 TLSA records are used'));
    assert.ok(r.evidence.length < 45);
  });

  it('reports the MX host unreachable on port 25 with no verdict on the match', async () => {
    const r = await check.run('refused.test', context());
    assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [['dns/dane-unreachable', 'default']] });
    assert.match(fullText(r.problems[0]), /Could not reach mx\.refused\.test:\d+ \(refused.*no verdict on the match/);
    assert.match(r.summary, /1 not compared \(unreachable\)/);
  });

  it('reports an MX host with TLSA records that offers no STARTTLS', async function () {
    if (!plain) this.skip();
    const r = await check.run('plain.test', context());
    assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [['dns/dane-unreachable', 'default']] });
    assert.match(fullText(r.problems[0]), /offers no STARTTLS, so DANE senders defer mail to it/);
  });

  it('says a null MX accepts no mail, with no problems', async () => {
    const r = await check.run('nullmx.test', context());
    assert.deepStrictEqual([r.summary, r.problems, r.error], ['null MX: accepts no mail, DANE does not apply', [], undefined]);
  });

  it("uses the run's MX answer when given, and shares the port-25 probe through the scheduler", async () => {
    const scheduler = new CheckScheduler({ cacheTtlMs: 60_000 });
    const mx = await checkMx('ee311.test', { servers: [dns.server], timeoutMs: 1500 });
    // The run probed the MX host already (same key as the runner's probes).
    const probed = await scheduler.run(`smtp:mx.ee311.test:${port}`, (signal) => probeSmtp({ host: '127.0.0.1', port, signal }));
    // The probe keeps the DER for DANE, hidden from JSON and deep comparisons.
    const cert = probed.tls!.certificate!;
    assert.deepStrictEqual([Buffer.isBuffer(cert.raw), cert.chain?.length], [true, 1]);
    assert.ok(!('raw' in JSON.parse(JSON.stringify(cert))) && !Object.keys(cert).includes('chain'));
    const connections = smtp.connections;
    const mxQueries = dns.queries.filter((q) => q.type === T.MX && !q.edns).length;
    const r = await check.run('ee311.test', context({ scheduler, mx }));
    assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [] });
    assert.strictEqual(smtp.connections, connections);
    assert.strictEqual(dns.queries.filter((q) => q.type === T.MX && !q.edns).length, mxQueries);
    assert.ok(scheduler.stats().hits >= 1);
  });

  it('stops at once when the signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const r = await check.run('slow.test', context({ dns: { servers: [dns.server], timeoutMs: 5000, signal: controller.signal } }));
    assert.deepStrictEqual([r.error, r.problems], ['ECANCELLED', []]);
    assert.ok(Date.now() - started < 1000);
  });

  it('the registered check probes port 25 of the MX host', async function () {
    const address = `127.${crypto.randomInt(1, 255)}.${crypto.randomInt(0, 255)}.${crypto.randomInt(1, 255)}`;
    let peer: StarttlsSniPeer;
    try {
      peer = await startStarttlsSni({ address, port: 25, tls: { default: certs.good } });
    } catch {
      this.skip(); // not root, or that address:25 is taken
    }
    const zone = await startWireDnsRetrying({
      ad: true,
      records: [
        { name: 'port25.test', type: T.MX, data: rdata.mx(10, 'mx.port25.test') },
        { name: 'mx.port25.test', type: T.A, data: rdata.a(address) },
        { name: '_25._tcp.mx.port25.test', type: T.TLSA, data: rdata.tlsa(3, 1, 1, spkiSha256(certs.good.cert)) },
      ],
    });
    try {
      const r = await daneCheck.run('port25.test', { dns: { servers: [zone.server], timeoutMs: 1500 }, scheduler: new CheckScheduler(), sendingAddresses: [], dnsblZones: [] });
      assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [] });
      assert.strictEqual(peer!.connections, 1);
    } finally {
      await peer!.close();
      await zone.close();
    }
  });

  describe('with dnsmasq (a resolver that does not validate)', function () {
    it('says DNSSEC could not be confirmed (information) and still compares the records', async function () {
      if (!dnsmasqAvailable()) this.skip();
      const dnsmasq = await startDnsmasq({
        mx: [{ domain: 'dm.test', exchange: 'mx.dm.test', preference: 10 }],
        hosts: [{ name: 'mx.dm.test', addresses: ['127.0.0.1'] }],
        extraArgs: [`--dns-rr=_25._tcp.mx.dm.test,52,030101${spkiSha256(certs.good.cert)}`],
      });
      try {
        const r = await check.run('dm.test', context({ dns: { servers: [dnsmasq.server], timeoutMs: 1500 } }));
        assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [['dns/dane-unvalidated', 'information']] });
        assert.match(fullText(r.problems[0]), /DANE of dm\.test cannot be confirmed.*the resolver did not validate DNSSEC \(no AD bit\)/);
        assert.match(fullText(r.problems[0]), /smtpDoctor\.dnsServers/);
        assert.strictEqual(r.summary, 'TLSA on 1 of 1 MX host, certificate matches, not DNSSEC-validated');
        assert.strictEqual(DANE_RULES.unvalidated.id, r.problems[0].ruleId);
      } finally {
        await dnsmasq.stop();
      }
    });

    it('makes a mismatch a warning: whether senders use the records depends on a signature it cannot see', async function () {
      if (!dnsmasqAvailable()) this.skip();
      const dnsmasq = await startDnsmasq({
        mx: [{ domain: 'dmbad.test', exchange: 'mx.dmbad.test', preference: 10 }],
        hosts: [{ name: 'mx.dmbad.test', addresses: ['127.0.0.1'] }],
        extraArgs: [`--dns-rr=_25._tcp.mx.dmbad.test,52,030101${spkiSha256(certs.wrongName.cert)}`],
      });
      try {
        const r = await check.run('dmbad.test', context({ dns: { servers: [dnsmasq.server], timeoutMs: 1500 } }));
        assert.deepStrictEqual(summaryOf(r), { error: undefined, problems: [['dns/dane-unvalidated', 'information'], ['dns/dane-mismatch', 'warning']] });
      } finally {
        await dnsmasq.stop();
      }
    });
  });
});
