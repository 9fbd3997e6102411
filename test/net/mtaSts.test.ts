// MTA-STS and TLS-RPT checks end to end: a real dnsmasq on 127.0.0.1 serves the TXT, A and MX records, an
// in-process HTTPS server on 127.0.0.1 (certificates from the test CA, chosen by SNI) serves the policies,
// and a silent UDP socket stands in for a DNS server that never answers. No traffic leaves loopback.
import * as assert from 'assert';
import * as dgram from 'dgram';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as tls from 'tls';
import { checkMx } from '../../src/core/live/mxCheck';
import { MTA_STS_CHECK } from '../../src/core/live/mailAuth/mtaSts';
import { TLS_RPT_CHECK } from '../../src/core/live/mailAuth/tlsRpt';
import type { AuthCheckContext, AuthCheckResult } from '../../src/core/live/mailAuth/types';
import { CheckScheduler } from '../../src/core/live/scheduler';
import { dnsmasqAvailable, DnsmasqPeer, startDnsmasq } from './peers/dnsmasq';
import { createTestCerts, issueTestCert, TestCerts } from './peers/testCerts';
import { fullText } from '../findingText';

const POLICY = (mode: string, mx: string[], maxAge = 604800) => ['version: STSv1', `mode: ${mode}`, ...mx.map((m) => `mx: ${m}`), `max_age: ${maxAge}`, ''].join('\r\n');

interface Route {
  readonly status?: number;
  readonly type?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** Policy host (mta-sts.<domain>) → what the HTTPS server answers for /.well-known/mta-sts.txt. */
const ROUTES: Record<string, Route> = {
  'mta-sts.good.test': { body: POLICY('enforce', ['mx1.good.test', '*.backup.good.test']) },
  'mta-sts.fallback.test': { body: POLICY('enforce', ['mx1.good.test']) },
  'mta-sts.mismatch.test': { body: POLICY('enforce', ['*.mismatch.test']) },
  'mta-sts.testing.test': { body: POLICY('testing', ['mx.testing.test'], 86400) },
  'mta-sts.none.test': { body: POLICY('none', [], 86400) },
  'mta-sts.redirect.test': { status: 301, headers: { location: 'https://mta-sts.good.test/.well-known/mta-sts.txt' }, body: 'moved' },
  'mta-sts.html.test': { type: 'text/html; charset=utf-8', body: POLICY('enforce', ['mx1.good.test']) },
  'mta-sts.badpolicy.test': { body: 'version: STSv1\nmode: enforcing\nmax_age: soon\nmx mail.badpolicy.test\n' },
  'mta-sts.short.test': { body: POLICY('enforce', ['mx1.good.test'], 3600) },
  'mta-sts.big.test': { body: `version: STSv1\n${'# padding\n'.repeat(7000)}` },
  'mta-sts.wrongcert.test': { body: POLICY('enforce', ['mx1.good.test']) },
  'mta-sts.expired.test': { body: POLICY('enforce', ['mx1.good.test']) },
  // mta-sts.notfound.test: no route → 404
};

const STS_DOMAINS = ['good', 'fallback', 'mismatch', 'testing', 'none', 'redirect', 'html', 'badpolicy', 'short', 'big', 'wrongcert', 'expired', 'notfound', 'nohost', 'slowhost'];

/** A TXT record as dnsmasq --dns-rr (type 16, wire-format data in colon-separated hex): any characters. */
function rawTxt(name: string, strings: readonly string[]): string {
  const data = Buffer.concat(strings.map((t) => Buffer.concat([Buffer.from([Buffer.byteLength(t)]), Buffer.from(t)])));
  return `--dns-rr=${name},16,${data.toString('hex').match(/../g)!.join(':')}`;
}

function zone(blackholePort: number) {
  return {
    txts: [
      ...STS_DOMAINS.map((d) => ({ name: `_mta-sts.${d}.test`, text: ['v=STSv1; id=20240601T000000'] })),
      { name: '_mta-sts.missing.test', text: ['some other record'] },
      { name: '_mta-sts.twotxt.test', text: ['v=STSv1; id=1'] },
      { name: '_mta-sts.twotxt.test', text: ['v=STSv1; id=2'] },
      { name: '_mta-sts.badid.test', text: ['v=STSv1; id=2024-06-01'] },
      { name: '_smtp._tls.nomailto.test', text: ['v=TLSRPTv1; rua=tls@nomailto.test'] },
      { name: '_smtp._tls.http.test', text: ['v=TLSRPTv1; rua=http://reports.http.test/'] },
      { name: '_smtp._tls.norua.test', text: ['v=TLSRPTv1;'] },
      { name: '_smtp._tls.tworec.test', text: ['v=TLSRPTv1; rua=mailto:a@tworec.test'] },
      { name: '_smtp._tls.tworec.test', text: ['v=TLSRPTv1; rua=mailto:b@tworec.test'] },
      { name: '_smtp._tls.case.test', text: ['v=tlsrptv1; rua=mailto:a@case.test'] },
    ],
    hosts: [
      ...STS_DOMAINS.filter((d) => d !== 'nohost' && d !== 'slowhost' && d !== 'fallback').map((d) => ({ name: `mta-sts.${d}.test`, addresses: ['127.0.0.1'] })),
      // Nothing listens on 127.0.0.2: the first address refuses, the second serves the policy.
      { name: 'mta-sts.fallback.test', addresses: ['127.0.0.2'] },
      { name: 'mta-sts.fallback.test', addresses: ['127.0.0.1'] },
      { name: 'mx1.good.test', addresses: ['192.0.2.1'] },
    ],
    mx: [
      { domain: 'good.test', exchange: 'mx1.good.test', preference: 10 },
      { domain: 'good.test', exchange: 'a.backup.good.test', preference: 20 },
      { domain: 'mismatch.test', exchange: 'mx1.mismatch.test', preference: 10 },
      { domain: 'mismatch.test', exchange: 'a.b.mismatch.test', preference: 20 },
      { domain: 'mismatch.test', exchange: 'mail.elsewhere.test', preference: 30 },
      { domain: 'testing.test', exchange: 'mx.other.test', preference: 10 },
    ],
    extraArgs: [
      // One record split into two strings, as long records are (the check joins them), with a comma, which
      // dnsmasq's --txt-record cannot carry: written as a raw RR.
      rawTxt('_smtp._tls.good.test', ['v=TLSRPTv1; ', 'rua=mailto:tls@good.test,https://reports.good.test/tlsrpt']),
      `--server=/slow.test/127.0.0.1#${blackholePort}`, `--server=/mta-sts.slowhost.test/127.0.0.1#${blackholePort}`],
  };
}

describe('MTA-STS and TLS-RPT checks against dnsmasq and a local HTTPS policy host', function () {
  this.timeout(20000);
  let dns: DnsmasqPeer | undefined;
  let certs: TestCerts;
  let blackhole: dgram.Socket;
  let httpsServer: https.Server;
  let httpsPort: number;
  let silent: net.Server;
  const silentSockets = new Set<net.Socket>();
  let plainHttp: http.Server;
  let closedPort: number;
  const requests: string[] = [];

  const listen = (server: net.Server): Promise<number> =>
    new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));

  before(async function () {
    if (!dnsmasqAvailable()) this.skip();
    certs = createTestCerts();
    const sans = Object.keys(ROUTES).concat('mta-sts.notfound.test').filter((h) => h !== 'mta-sts.wrongcert.test' && h !== 'mta-sts.expired.test');
    const policyCert = issueTestCert(certs, 'policy', 'mta-sts.good.test', sans.map((h) => `DNS:${h}`).join(', '));
    const byName: Record<string, tls.SecureContext> = {
      'mta-sts.wrongcert.test': tls.createSecureContext({ key: certs.wrongName.key, cert: certs.wrongName.cert }),
      'mta-sts.expired.test': tls.createSecureContext({ key: certs.expired.key, cert: certs.expired.cert }),
    };
    httpsServer = https.createServer(
      { key: policyCert.key, cert: policyCert.cert, SNICallback: (name, cb) => cb(null, byName[name] ?? tls.createSecureContext({ key: policyCert.key, cert: policyCert.cert })) },
      (req, res) => {
        const host = (req.headers.host ?? '').replace(/:\d+$/, '');
        requests.push(`${host}${req.url}`);
        const route = ROUTES[host];
        if (!route || req.url !== '/.well-known/mta-sts.txt') {
          res.writeHead(404, { 'content-type': 'text/plain' });
          res.end('not found');
          return;
        }
        res.writeHead(route.status ?? 200, { 'content-type': route.type ?? 'text/plain', ...route.headers });
        res.end(route.body ?? '');
      },
    );
    httpsPort = await listen(httpsServer);
    silent = net.createServer((s) => {
      silentSockets.add(s);
      s.on('close', () => silentSockets.delete(s));
    });
    await listen(silent);
    plainHttp = http.createServer((_req, res) => res.end('plain'));
    await listen(plainHttp);
    const closed = net.createServer();
    closedPort = await listen(closed);
    await new Promise((r) => closed.close(r));
    blackhole = dgram.createSocket('udp4');
    await new Promise<void>((r) => blackhole.bind(0, '127.0.0.1', () => r()));
    dns = await startDnsmasq(zone(blackhole.address().port));
  });

  after(async () => {
    await dns?.stop();
    for (const s of silentSockets) s.destroy();
    await Promise.all([httpsServer, silent, plainHttp].filter(Boolean).map((s) => new Promise((r) => s.close(r))));
    blackhole?.close();
    certs?.cleanup();
  });

  const context = (over: Partial<AuthCheckContext> = {}): AuthCheckContext => ({
    dns: { servers: [dns!.server], timeoutMs: 2000 },
    scheduler: new CheckScheduler(),
    sendingAddresses: [],
    dnsblZones: [],
    ca: certs.ca,
    httpsPort,
    ...over,
  });
  const withMx = async (domain: string, over: Partial<AuthCheckContext> = {}) => context({ mx: await checkMx(domain, { servers: [dns!.server], timeoutMs: 2000 }), ...over });
  const ids = (r: AuthCheckResult) => r.problems.map((p) => [p.ruleId, p.severity ?? 'default']);
  const sts = async (domain: string, over?: Partial<AuthCheckContext>) => MTA_STS_CHECK.run(domain, await withMx(domain, over));

  describe('MTA-STS', () => {
    it('passes a valid enforce policy whose mx patterns cover every MX (exact and *. wildcard)', async () => {
      const r = await sts('good.test');
      assert.deepStrictEqual([r.check, r.subjectKind, r.subject, r.error, ids(r)], ['mta-sts', 'domain', 'good.test', undefined, []]);
      assert.match(r.summary, /^mode enforce, max_age 604800 s, 7 days, 2 mx patterns \(id 20240601T000000\)$/);
      assert.ok(r.evidence.includes('_mta-sts.good.test TXT "v=STSv1; id=20240601T000000"'), r.evidence.join('\n'));
      assert.ok(r.evidence.some((e) => e.startsWith(`GET https://mta-sts.good.test/.well-known/mta-sts.txt (127.0.0.1 port ${httpsPort}): HTTP 200, Content-Type text/plain`)), r.evidence.join('\n'));
      assert.ok(r.evidence.includes('policy: mx: *.backup.good.test'));
      assert.ok(r.evidence.includes('MX a.backup.good.test: matches the policy'));
      assert.ok(r.evidence.some((e) => /^certificate CN=mta-sts\.good\.test, issued by CN=SMTP Doctor Test CA/.test(e)));
      assert.ok(r.ms >= 0 && r.ms < 5000);
    });

    it('says "not published" (information) when no record starts with v=STSv1', async () => {
      const r = await sts('missing.test');
      assert.deepStrictEqual([r.summary, r.error, ids(r)], ['not published', undefined, [['dns/mta-sts-missing', 'default']]]);
      assert.ok(r.evidence.includes('_mta-sts.missing.test: no record starts with v=STSv1'));
      const none = await sts('nothing.test');
      assert.deepStrictEqual([none.summary, ids(none)], ['not published', [['dns/mta-sts-missing', 'default']]]);
      assert.ok(none.evidence.includes('_mta-sts.nothing.test: no TXT record (ENOTFOUND)'));
    });

    it('flags two v=STSv1 records and an id with dashes as invalid, without fetching a policy', async () => {
      const before = requests.length;
      const two = await sts('twotxt.test');
      assert.deepStrictEqual(ids(two), [['dns/mta-sts-invalid', 'default']]);
      assert.match(fullText(two.problems[0]), /2 records start with v=STSv1/);
      const bad = await sts('badid.test');
      assert.deepStrictEqual(ids(bad), [['dns/mta-sts-invalid', 'default']]);
      assert.match(fullText(bad.problems[0]), /id "2024-06-01" must be 1 to 32 letters and digits/);
      assert.strictEqual(requests.length, before);
    });

    it('reports mx patterns that miss an MX as errors in enforce mode (*. matches exactly one label)', async () => {
      const r = await sts('mismatch.test');
      assert.deepStrictEqual(ids(r), [['dns/mta-sts-mx-mismatch', 'default'], ['dns/mta-sts-mx-mismatch', 'default']]);
      assert.match(fullText(r.problems[0]), /MX a\.b\.mismatch\.test .* enforce mode: senders that honour MTA-STS refuse to deliver/);
      assert.match(fullText(r.problems[1]), /MX mail\.elsewhere\.test /);
      assert.ok(r.evidence.includes('MX mx1.mismatch.test: matches the policy'));
      assert.match(r.summary, /MX not in policy: a\.b\.mismatch\.test, mail\.elsewhere\.test$/);
    });

    it('reports testing mode as information and its MX mismatch as a warning', async () => {
      const r = await sts('testing.test');
      assert.deepStrictEqual(ids(r), [['dns/mta-sts-testing', 'default'], ['dns/mta-sts-mx-mismatch', 'warning']]);
      assert.match(r.summary, /^mode testing, max_age 86400 s, 1 day, 1 mx pattern/);
    });

    it('reports mode none as information and compares no MX', async () => {
      const r = await sts('none.test');
      assert.deepStrictEqual(ids(r), [['dns/mta-sts-testing', 'default']]);
      assert.match(fullText(r.problems[0]), /mode none/);
      assert.ok(!r.evidence.some((e) => e.startsWith('MX ')));
    });

    it('does not compare patterns when the run has no MX answer, and says so', async () => {
      const r = await MTA_STS_CHECK.run('good.test', context());
      assert.deepStrictEqual(ids(r), []);
      assert.ok(r.evidence.includes('MX hosts not known to this run: mx patterns not compared'));
    });

    it('flags a policy with syntax errors, a wrong Content-Type, a short enforce max_age and a >64 KB body as invalid', async () => {
      const bad = await sts('badpolicy.test');
      assert.deepStrictEqual(ids(bad), [['dns/mta-sts-invalid', 'default']]);
      for (const part of [/line 4 is not "key: value"/, /mode "enforcing" is not enforce, testing or none/, /max_age "soon" is not a number/, /no mx: line/]) assert.match(fullText(bad.problems[0]), part);
      const html = await sts('html.test');
      assert.deepStrictEqual(ids(html), [['dns/mta-sts-invalid', 'default']]);
      assert.match(fullText(html.problems[0]), /served as "text\/html; charset=utf-8", not text\/plain/);
      const short = await sts('short.test');
      assert.deepStrictEqual(ids(short), [['dns/mta-sts-invalid', 'default']]);
      assert.match(fullText(short.problems[0]), /max_age 3600 s, under a day/);
      const big = await sts('big.test');
      assert.deepStrictEqual([big.summary, ids(big)], ['policy larger than 64 KB', [['dns/mta-sts-invalid', 'default']]]);
    });

    it('reports a redirect (not followed) and a 404 as an unreachable policy', async () => {
      const before = requests.filter((r) => r.startsWith('mta-sts.good.test')).length;
      const redirect = await sts('redirect.test');
      assert.deepStrictEqual(ids(redirect), [['dns/mta-sts-policy-unreachable', 'default']]);
      assert.match(fullText(redirect.problems[0]), /HTTP 301, a redirect to https:\/\/mta-sts\.good\.test\/.*senders do not follow redirects/);
      assert.strictEqual(requests.filter((r) => r.startsWith('mta-sts.good.test')).length, before, 'the redirect was followed');
      const missing = await sts('notfound.test');
      assert.deepStrictEqual(ids(missing), [['dns/mta-sts-policy-unreachable', 'default']]);
      assert.match(missing.summary, /^policy unreachable: HTTP 404/);
    });

    it('reports certificates that do not validate: wrong name, expired, unknown CA', async () => {
      const wrong = await sts('wrongcert.test');
      assert.deepStrictEqual(ids(wrong), [['dns/mta-sts-policy-unreachable', 'default']]);
      assert.match(fullText(wrong.problems[0]), /ERR_TLS_CERT_ALTNAME_INVALID/);
      const expired = await sts('expired.test');
      assert.match(expired.problems[0] ? fullText(expired.problems[0]) : '', /CERT_HAS_EXPIRED/);
      const untrusted = await sts('good.test', { ca: undefined });
      assert.deepStrictEqual(ids(untrusted), [['dns/mta-sts-policy-unreachable', 'default']]);
      assert.match(fullText(untrusted.problems[0]), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
    });

    it('reports a policy host without an address, a refused port and a non-TLS port as unreachable', async () => {
      const nohost = await sts('nohost.test');
      assert.deepStrictEqual([nohost.summary, ids(nohost)], ['policy host mta-sts.nohost.test does not resolve', [['dns/mta-sts-policy-unreachable', 'default']]]);
      const refused = await sts('good.test', { httpsPort: closedPort });
      assert.deepStrictEqual(ids(refused), [['dns/mta-sts-policy-unreachable', 'default']]);
      assert.match(fullText(refused.problems[0]), /ECONNREFUSED/);
      const plain = await sts('good.test', { httpsPort: (plainHttp.address() as net.AddressInfo).port });
      assert.deepStrictEqual(ids(plain), [['dns/mta-sts-policy-unreachable', 'default']]);
      assert.match(fullText(plain.problems[0]), /EPROTO: TLS handshake failed \(wrong version number\)/);
    });

    it('tries the next address of the policy host when one refuses the connection', async () => {
      const r = await MTA_STS_CHECK.run('fallback.test', context());
      assert.deepStrictEqual([r.error, ids(r)], [undefined, []]);
      const addresses = r.evidence.find((e) => e.startsWith('mta-sts.fallback.test has address '));
      assert.deepStrictEqual(addresses?.slice(34).split(', ').sort(), ['127.0.0.1', '127.0.0.2'], r.evidence.join('\n'));
    });

    it('gives no verdict when a lookup or the HTTPS fetch times out, or the query is refused', async () => {
      const quick = { dns: { servers: [dns!.server], timeoutMs: 500 } };
      const started = Date.now();
      const [txt, host, hang, refused] = await Promise.all([
        MTA_STS_CHECK.run('slow.test', context(quick)),
        MTA_STS_CHECK.run('slowhost.test', context(quick)),
        MTA_STS_CHECK.run('good.test', context({ ...quick, httpsPort: (silent.address() as net.AddressInfo).port })),
        MTA_STS_CHECK.run('unserved.invalid', context(quick)),
      ]);
      assert.ok(Date.now() - started < 4000, 'timeouts are bounded');
      assert.deepStrictEqual([txt.error, txt.problems], ['ETIMEOUT looking up TXT _mta-sts.slow.test', []]);
      assert.deepStrictEqual([host.error, host.problems], ['ETIMEOUT looking up the address of mta-sts.slowhost.test', []]);
      assert.deepStrictEqual([hang.error, hang.problems], ['ETIMEDOUT fetching https://mta-sts.good.test/.well-known/mta-sts.txt', []]);
      assert.deepStrictEqual([refused.error, refused.problems], ['EREFUSED looking up TXT _mta-sts.unserved.invalid', []]);
    });

    it('stops at once when the run is cancelled', async () => {
      const controller = new AbortController();
      const pending = MTA_STS_CHECK.run('good.test', context({ dns: { servers: [dns!.server], timeoutMs: 2000, signal: controller.signal }, httpsPort: (silent.address() as net.AddressInfo).port }));
      setTimeout(() => controller.abort(), 100);
      const started = Date.now();
      const r = await pending;
      assert.ok(Date.now() - started < 1000);
      assert.strictEqual(r.error, 'ECANCELLED');
    });
  });

  describe('TLS-RPT', () => {
    const rpt = (domain: string, over?: Partial<AuthCheckContext>) => TLS_RPT_CHECK.run(domain, context(over));

    it('passes one record with mailto: and https: destinations (split TXT strings joined)', async () => {
      const r = await rpt('good.test');
      assert.deepStrictEqual([r.check, r.subjectKind, r.error, ids(r)], ['tls-rpt', 'domain', undefined, []]);
      assert.strictEqual(r.summary, 'reports to mailto:tls@good.test, https://reports.good.test/tlsrpt');
      assert.deepStrictEqual(r.evidence, ['_smtp._tls.good.test TXT "v=TLSRPTv1; rua=mailto:tls@good.test,https://reports.good.test/tlsrpt"']);
    });

    it('says "not published" (information) when there is no record', async () => {
      const r = await rpt('missing.test');
      assert.deepStrictEqual([r.summary, ids(r)], ['not published', [['dns/tls-rpt-missing', 'default']]]);
    });

    it('flags records senders cannot use as invalid', async () => {
      const cases: [string, RegExp][] = [
        ['nomailto.test', /"tls@nomailto\.test" is not a URI/],
        ['http.test', /uses http:, but reports go only to mailto: or https:/],
        ['norua.test', /rua= field .* is missing/],
        ['tworec.test', /2 records start with v=TLSRPTv1/],
        ['case.test', /must start with exactly "v=TLSRPTv1;" \(case-sensitive\)/],
      ];
      for (const [domain, why] of cases) {
        const r = await rpt(domain);
        assert.deepStrictEqual(ids(r), [['dns/tls-rpt-invalid', 'default']], domain);
        assert.match(fullText(r.problems[0]), why, domain);
      }
    });

    it('gives no verdict when the lookup times out or is refused', async () => {
      const quick = { dns: { servers: [dns!.server], timeoutMs: 500 } };
      const [slow, refused] = await Promise.all([rpt('slow.test', quick), rpt('unserved.invalid', quick)]);
      assert.deepStrictEqual([slow.error, slow.problems], ['ETIMEOUT looking up TXT _smtp._tls.slow.test', []]);
      assert.deepStrictEqual([refused.error, refused.problems], ['EREFUSED looking up TXT _smtp._tls.unserved.invalid', []]);
    });
  });
});
