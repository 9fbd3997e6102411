// Mail-authentication findings say one sentence (the problem and the fix); the why, the records and the
// RFC go to the details. Every check runs here against the in-process DNS server on 127.0.0.1 (and an
// HTTPS policy host on 127.0.0.1 for MTA-STS) over one scenario table, twice: with ordinary domain names
// (16-24 characters), where a message must fit in 120 characters, and with the same names under a
// 190-character suffix (names near DNS's 253 limit, long report addresses, 39-character IPv6 addresses),
// where it must still fit in 160: messages shorten what they interpolate, the details keep it whole.
// DANE is left to its own tests (its checks need a port-25 peer per MX host).
import * as assert from 'assert';
import { generateKeyPairSync } from 'crypto';
import * as https from 'https';
import type * as net from 'net';
import type { Finding } from '../../../src/core/model';
import type { MxCheckResult } from '../../../src/core/live/dnsTypes';
import { dkimCheck, DKIM_RULES } from '../../../src/core/live/mailAuth/dkim';
import { dmarcCheck, DMARC_RULES } from '../../../src/core/live/mailAuth/dmarc';
import { DNSBL_CHECK, DNSBL_RULES } from '../../../src/core/live/mailAuth/dnsbl';
import { dnsblQueryName } from '../../../src/core/live/mailAuth/dnsblCodes';
import { authFindings } from '../../../src/core/live/mailAuth/findings';
import { MTA_STS_CHECK, MTA_STS_RULES } from '../../../src/core/live/mailAuth/mtaSts';
import { spfCheck, SPF_RULES } from '../../../src/core/live/mailAuth/spf';
import { TLS_RPT_CHECK, TLS_RPT_RULES } from '../../../src/core/live/mailAuth/tlsRpt';
import type { AuthCheck, AuthCheckContext, AuthCheckResult } from '../../../src/core/live/mailAuth/types';
import { LIVE_RULES } from '../../../src/core/live/liveRules';
import { liveCheck } from '../../../src/core/live/liveCheckRegistry';
import { CheckScheduler } from '../../../src/core/live/scheduler';
import { createTestCerts, issueTestCert, type TestCerts } from '../../net/peers/testCerts';
import { rdata, startWireDnsRetrying, T, type WireDnsPeer, type WireDnsRecord } from '../../net/peers/wireDns';

/** The two name sets: every scenario domain is `<label>.<suffix>`. */
const ORDINARY = 'example.org';
const LONG = ['a'.repeat(45), 'b'.repeat(45), 'c'.repeat(45), 'd'.repeat(40), 'example.org'].join('.');
const LIMITS: Record<string, number> = { [ORDINARY]: 120, [LONG]: 160 };

/** Outside the suffix, so that `<policy domain>._report._dmarc.<destination>` stays a valid name. */
const REPORTS = 'reports.example.net';
const LONG_V6 = '2001:db8:ffff:ffff:ffff:ffff:ffff:fffe';

const rsaKey = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
// RFC 8463: the raw 32-byte key, the tail of its SubjectPublicKeyInfo.
const edKey = () => generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('base64');

const POLICY = (mode: string, mx: string[], maxAge = 604800) => ['version: STSv1', `mode: ${mode}`, ...mx.map((m) => `mx: ${m}`), `max_age: ${maxAge}`, ''].join('\r\n');

interface Scenario {
  readonly check: AuthCheck;
  /** The subject's first label(s); the suffix is added (DNSBL subjects are addresses, taken as they are). */
  readonly subject: string;
  /** The rule ids the check must report: the scenario really reaches the path it is here for. */
  readonly ids: readonly string[];
  readonly context?: (sfx: string) => Partial<AuthCheckContext>;
}

const mxOf = (domain: string, hosts: string[]): MxCheckResult => ({
  domain,
  status: 'ok',
  hosts: hosts.map((exchange, i) => ({ exchange, priority: 10 * (i + 1), addresses: ['192.0.2.1'], isCname: false, isIpLiteral: false })),
  ms: 0,
});

const SPF = SPF_RULES;
const DMARC = DMARC_RULES;
const STS = MTA_STS_RULES;
const SCENARIOS: readonly Scenario[] = [
  { check: spfCheck, subject: 'good', ids: [SPF.senderNotAuthorized.id, SPF.senderNotAuthorized.id, SPF.senderNotAuthorized.id], context: () => ({ sendingAddresses: ['203.0.113.9', '2001:db8:bb::1', LONG_V6] }) },
  { check: spfCheck, subject: 'nospf', ids: [SPF.missing.id] },
  { check: spfCheck, subject: 'absent', ids: [SPF.missing.id] },
  { check: spfCheck, subject: 'two', ids: [SPF.multiple.id] },
  { check: spfCheck, subject: 'badsyntax', ids: [SPF.syntax.id] },
  { check: spfCheck, subject: 'warn', ids: [SPF.syntax.id] },
  { check: spfCheck, subject: 'lookalike', ids: [SPF.syntax.id] },
  { check: spfCheck, subject: 'huge', ids: [SPF.syntax.id] },
  { check: spfCheck, subject: 'many', ids: [SPF.tooManyLookups.id] },
  { check: spfCheck, subject: 'loop', ids: [SPF.tooManyLookups.id] },
  { check: spfCheck, subject: 'mxmany', ids: [SPF.tooManyLookups.id] },
  { check: spfCheck, subject: 'voids', ids: [SPF.voidLookups.id] },
  { check: spfCheck, subject: 'brokeninc', ids: [SPF.includeBroken.id] },
  { check: spfCheck, subject: 'brokenredir', ids: [SPF.includeBroken.id, SPF.permissiveAll.id] },
  { check: spfCheck, subject: 'plusall', ids: [SPF.permissiveAll.id] },
  { check: spfCheck, subject: 'redirplus', ids: [SPF.permissiveAll.id] },
  { check: spfCheck, subject: 'neutral', ids: [SPF.permissiveAll.id] },
  { check: spfCheck, subject: 'noall', ids: [SPF.permissiveAll.id, SPF.senderNotAuthorized.id], context: () => ({ sendingAddresses: ['203.0.113.9'] }) },
  { check: spfCheck, subject: 'openinc', ids: [SPF.permissiveAll.id] },
  { check: spfCheck, subject: 'ptr', ids: [SPF.ptr.id, SPF.senderNotAuthorized.id], context: () => ({ sendingAddresses: ['192.0.2.1'] }) },
  { check: spfCheck, subject: 'sender', ids: [SPF.senderNotAuthorized.id], context: () => ({ sendingAddresses: ['203.0.113.9'] }) },
  { check: spfCheck, subject: 'servfail', ids: [LIVE_RULES.lookupFailed.id] },

  { check: dmarcCheck, subject: 'none', ids: [DMARC.policyNone.id, DMARC.reportDestinationUnverified.id] },
  { check: dmarcCheck, subject: 'wrongverify', ids: [DMARC.reportDestinationUnverified.id] },
  { check: dmarcCheck, subject: 'multi', ids: [DMARC.multiple.id] },
  { check: dmarcCheck, subject: 'bad', ids: [DMARC.syntax.id] },
  { check: dmarcCheck, subject: 'lower', ids: [DMARC.syntax.id] },
  { check: dmarcCheck, subject: 'upper', ids: [DMARC.syntax.id] },
  { check: dmarcCheck, subject: 'order', ids: [DMARC.syntax.id] },
  { check: dmarcCheck, subject: 'badsp', ids: [DMARC.syntax.id] },
  { check: dmarcCheck, subject: 'warns', ids: [DMARC.syntax.id, DMARC.syntax.id, DMARC.policyNone.id] },
  { check: dmarcCheck, subject: 'spnone', ids: [DMARC.policyNone.id] },
  { check: dmarcCheck, subject: 'pct0', ids: [DMARC.policyNone.id] },
  { check: dmarcCheck, subject: 'nodmarc', ids: [DMARC.missing.id] },
  { check: dmarcCheck, subject: 'mail.nodmarc', ids: [DMARC.missing.id] },
  { check: dmarcCheck, subject: 'servfail', ids: [LIVE_RULES.lookupFailed.id] },

  { check: TLS_RPT_CHECK, subject: 'nodmarc', ids: [TLS_RPT_RULES.missing.id] },
  { check: TLS_RPT_CHECK, subject: 'badrpt', ids: [TLS_RPT_RULES.invalid.id] },
  { check: TLS_RPT_CHECK, subject: 'servfail', ids: [LIVE_RULES.lookupFailed.id] },

  { check: MTA_STS_CHECK, subject: 'nodmarc', ids: [STS.missing.id] },
  { check: MTA_STS_CHECK, subject: 'badid', ids: [STS.invalid.id] },
  { check: MTA_STS_CHECK, subject: 'nohost', ids: [STS.policyUnreachable.id] },
  { check: MTA_STS_CHECK, subject: 'notfound', ids: [STS.policyUnreachable.id] },
  { check: MTA_STS_CHECK, subject: 'badpolicy', ids: [STS.invalid.id] },
  { check: MTA_STS_CHECK, subject: 'html', ids: [STS.invalid.id] },
  { check: MTA_STS_CHECK, subject: 'big', ids: [STS.invalid.id] },
  { check: MTA_STS_CHECK, subject: 'short', ids: [STS.invalid.id] },
  { check: MTA_STS_CHECK, subject: 'testing', ids: [STS.testing.id, STS.mxMismatch.id], context: (sfx) => ({ mx: mxOf(`testing.${sfx}`, [`mx.other.${sfx}`]) }) },
  { check: MTA_STS_CHECK, subject: 'modenone', ids: [STS.testing.id] },
  { check: MTA_STS_CHECK, subject: 'mismatch', ids: [STS.mxMismatch.id], context: (sfx) => ({ mx: mxOf(`mismatch.${sfx}`, [`mx1.mismatch.${sfx}`, `mail.elsewhere.${sfx}`]) }) },
  { check: MTA_STS_CHECK, subject: 'servfail', ids: [LIVE_RULES.lookupFailed.id] },

  { check: dkimCheck, subject: 'sel._domainkey.nodmarc', ids: [DKIM_RULES.missing.id] },
  { check: dkimCheck, subject: 'sel._domainkey.notdkim', ids: [DKIM_RULES.missing.id] },
  { check: dkimCheck, subject: 'sel._domainkey.revoked', ids: [DKIM_RULES.revoked.id] },
  { check: dkimCheck, subject: 'sel._domainkey.junk', ids: [DKIM_RULES.invalid.id] },
  { check: dkimCheck, subject: 'sel._domainkey.keytype', ids: [DKIM_RULES.invalid.id] },
  { check: dkimCheck, subject: 'sel._domainkey.badkey', ids: [DKIM_RULES.invalid.id] },
  { check: dkimCheck, subject: 'sel._domainkey.restricted', ids: [DKIM_RULES.invalid.id, DKIM_RULES.invalid.id, DKIM_RULES.invalid.id] },
  { check: dkimCheck, subject: 'sel._domainkey.two', ids: [DKIM_RULES.invalid.id] },
  { check: dkimCheck, subject: 'sel._domainkey.ed', ids: [DKIM_RULES.ed25519.id] },
  { check: dkimCheck, subject: 'sel._domainkey.weak', ids: [DKIM_RULES.weakKey.id] },
  { check: dkimCheck, subject: 'sel._domainkey.tiny', ids: [DKIM_RULES.weakKey.id, DKIM_RULES.testing.id] },
  { check: dkimCheck, subject: 'sel._domainkey.servfail', ids: [LIVE_RULES.lookupFailed.id] },

  { check: DNSBL_CHECK, subject: '11.22.33.44', ids: [DNSBL_RULES.listed.id, DNSBL_RULES.refused.id], context: (sfx) => ({ dnsblZones: [`bl.${sfx}`, 'zen.spamhaus.org', `clean.${sfx}`] }) },
  { check: DNSBL_CHECK, subject: '11.22.33.45', ids: [DNSBL_RULES.listed.id], context: () => ({ dnsblZones: ['zen.spamhaus.org'] }) },
  { check: DNSBL_CHECK, subject: '11.22.33.44', ids: [LIVE_RULES.lookupFailed.id], context: (sfx) => ({ dnsblZones: [`servfail.${sfx}`] }) },
];

/** TXT record data: the text in strings of at most 255 bytes, as long records are published. */
const txt = (name: string, text: string): WireDnsRecord => ({ name, type: T.TXT, data: rdata.txt(text.match(/[^]{1,255}/g) ?? ['']) });
const a = (name: string, address: string): WireDnsRecord => ({ name, type: T.A, data: rdata.a(address) });
const mx = (domain: string, exchange: string, preference = 10): WireDnsRecord => ({ name: domain, type: T.MX, data: rdata.mx(preference, exchange) });

/** Policy host → what the HTTPS server answers. */
interface Route {
  readonly status?: number;
  readonly type?: string;
  readonly body?: string;
}

function zone(sfx: string, keys: { rsa2048: string; rsa1024: string; rsa512: string; ed: string }): { records: WireDnsRecord[]; routes: Record<string, Route> } {
  const d = (label: string) => `${label}.${sfx}`;
  const records: WireDnsRecord[] = [
    // SPF
    txt(d('good'), `v=spf1 ip4:192.0.2.0/25 mx include:_spf.provider.${sfx} ~all`),
    txt(d('good'), 'google-site-verification=abc123'),
    txt(d('_spf.provider'), 'v=spf1 ip4:198.51.100.0/24 ip6:2001:db8:aa::/48 -all'),
    mx(d('good'), d('mx.good')),
    a(d('mx.good'), '192.0.2.200'),
    txt(d('nospf'), 'google-site-verification=abc123'),
    txt(d('two'), 'v=spf1 mx -all'),
    txt(d('two'), 'v=spf1 ip4:192.0.2.1 -all'),
    txt(d('badsyntax'), 'v=spf1 ipv4:192.0.2.1 ip4:192.0.2.0/33 -all'),
    txt(d('warn'), `v=spf1 -all ip4:192.0.2.1 include=_spf.provider.${sfx}`),
    txt(d('lookalike'), 'v=spf1;mx -all'),
    txt(d('huge'), `v=spf1 ${Array.from({ length: 300 }, (_, i) => `ip4:198.18.${i % 256}.${i >> 8}`).join(' ')} -all`),
    txt(d('many'), `v=spf1 include:i1.many.${sfx} include:i2.many.${sfx} include:i3.many.${sfx} -all`),
    ...['i1', 'i2', 'i3'].map((i) => txt(d(`${i}.many`), `v=spf1 a:h.many.${sfx} mx:many.${sfx} a:h.many.${sfx} -all`)),
    mx(d('many'), d('h.many')),
    a(d('h.many'), '192.0.2.50'),
    txt(d('loop'), `v=spf1 include:loop2.${sfx} -all`),
    txt(d('loop2'), `v=spf1 include:loop.${sfx} -all`),
    txt(d('mxmany'), `v=spf1 mx:hosts.mxmany.${sfx} -all`),
    ...Array.from({ length: 11 }, (_, i) => mx(d('hosts.mxmany'), d(`mx${i}.mxmany`), i)),
    txt(d('voids'), `v=spf1 a:gone1.voids.${sfx} a:gone2.voids.${sfx} mx:gone3.voids.${sfx} ip4:192.0.2.1 -all`),
    txt(d('brokeninc'), `v=spf1 include:_spf.gone.${sfx} ip4:192.0.2.1 -all`),
    txt(d('brokenredir'), `v=spf1 redirect=_spf.gone2.${sfx}`),
    txt(d('plusall'), 'v=spf1 mx +all'),
    mx(d('plusall'), d('mx.good')),
    txt(d('redirplus'), `v=spf1 redirect=plusall.${sfx}`),
    txt(d('neutral'), 'v=spf1 mx ?all'),
    mx(d('neutral'), d('mx.good')),
    txt(d('noall'), 'v=spf1 mx'),
    mx(d('noall'), d('mx.good')),
    txt(d('openinc'), `v=spf1 include:open.${sfx} -all`),
    txt(d('open'), 'v=spf1 all'),
    txt(d('ptr'), 'v=spf1 ptr -all'),
    txt(d('sender'), 'v=spf1 exists:%{l}._u.%{d} -all'),
    // DMARC
    txt(d('_dmarc.none'), `v=DMARC1; p=none; rua=mailto:${sfx === LONG ? 'dmarc-aggregate-reports-for-every-domain' : 'x'}@${REPORTS}`),
    txt(d('_dmarc.wrongverify'), `v=DMARC1; p=reject; ruf=mailto:forensic@other.${REPORTS}`),
    txt(`wrongverify.${sfx}._report._dmarc.other.${REPORTS}`, 'not a dmarc record'),
    txt(d('_dmarc.multi'), 'v=DMARC1; p=none'),
    txt(d('_dmarc.multi'), 'v=DMARC1; p=reject'),
    txt(d('_dmarc.bad'), `v=DMARC1; rua=mailto:a@bad.${sfx}; pct=200`),
    txt(d('_dmarc.lower'), 'v=dmarc1; p=reject'),
    txt(d('_dmarc.upper'), `V = DMARC1 ; P = reject ; RUA = mailto:d@upper.${sfx}`),
    txt(d('_dmarc.order'), 'v=DMARC1; sp=reject; p=reject'),
    txt(d('_dmarc.badsp'), `v=DMARC1; p=reject; sp=deny; rua=mailto:d@badsp.${sfx}`),
    txt(d('_dmarc.warns'), `v=DMARC1; p=none; rau=mailto:a@warns.${sfx}; rf=xml; ri=daily-but-much-longer-than-any-value-should-ever-be`),
    txt(d('_dmarc.spnone'), 'v=DMARC1; p=quarantine; sp=none'),
    txt(d('_dmarc.pct0'), 'v=DMARC1; p=reject; pct=0'),
    txt(d('nodmarc'), 'google-site-verification=abc123'),
    // TLS-RPT
    txt(d('_smtp._tls.badrpt'), `v=TLSRPTv1; rua=tls-reports@badrpt.${sfx}`),
    // MTA-STS
    txt(d('_mta-sts.badid'), 'v=STSv1; id=2024-06-01'),
    ...['nohost', 'notfound', 'badpolicy', 'html', 'big', 'short', 'testing', 'modenone', 'mismatch'].map((l) => txt(d(`_mta-sts.${l}`), 'v=STSv1; id=20240601T000000')),
    ...['notfound', 'badpolicy', 'html', 'big', 'short', 'testing', 'modenone', 'mismatch'].map((l) => a(d(`mta-sts.${l}`), '127.0.0.1')),
    // DKIM
    txt(d('sel._domainkey.notdkim'), 'v=spf1 -all'),
    txt(d('sel._domainkey.revoked'), 'v=DKIM1; k=rsa; p='),
    txt(d('sel._domainkey.junk'), 'v=DKIM1; k=rsa; this is not a tag list at all, it is a sentence someone pasted'),
    txt(d('sel._domainkey.keytype'), `v=DKIM1; k=${'x'.repeat(60)}; p=${keys.rsa2048}`),
    txt(d('sel._domainkey.badkey'), 'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'),
    txt(d('sel._domainkey.restricted'), `k=rsa; v=DKIM1; h=sha1:${'md5:'.repeat(20)}md5; s=${'other:'.repeat(20)}x; p=${keys.rsa2048}`),
    txt(d('sel._domainkey.two'), `v=DKIM1; k=rsa; p=${keys.rsa2048}`),
    txt(d('sel._domainkey.two'), `v=DKIM1; k=rsa; p=${keys.rsa2048}`),
    txt(d('sel._domainkey.ed'), `v=DKIM1; k=ed25519; p=${keys.ed}`),
    txt(d('sel._domainkey.weak'), `v=DKIM1; k=rsa; p=${keys.rsa1024}`),
    txt(d('sel._domainkey.tiny'), `v=DKIM1; k=rsa; t=y; p=${keys.rsa512}`),
    // DNSBL
    a(dnsblQueryName('11.22.33.44', `bl.${sfx}`)!, '127.0.0.2'),
    txt(dnsblQueryName('11.22.33.44', `bl.${sfx}`)!, `Listed since 2026-01-01 for sending spam to our traps; see https://bl.${sfx}/lookup?ip=11.22.33.44 for the removal form`),
    a(dnsblQueryName('11.22.33.44', 'zen.spamhaus.org')!, '127.255.255.254'),
    a(dnsblQueryName('11.22.33.45', 'zen.spamhaus.org')!, '127.0.0.10'),
  ];
  const routes: Record<string, Route> = {
    [d('mta-sts.badpolicy')]: { body: 'version: STSv1\nmode: enforcing\nmax_age: soon\nmx mail.badpolicy.example\n' },
    [d('mta-sts.html')]: { type: 'text/html; charset=utf-8', body: POLICY('enforce', [d('mx1.html')]) },
    [d('mta-sts.big')]: { body: `version: STSv1\n${'# padding\n'.repeat(7000)}` },
    [d('mta-sts.short')]: { body: POLICY('enforce', [d('mx1.short')], 3600) },
    [d('mta-sts.testing')]: { body: POLICY('testing', [d('mx.testing')], 86400) },
    [d('mta-sts.modenone')]: { body: POLICY('none', [], 86400) },
    [d('mta-sts.mismatch')]: { body: POLICY('enforce', [`*.mismatch.${sfx}`]) },
  };
  return { records, routes };
}

/** Ends in a full stop, and no sentence ends before it (". The"), no line breaks. */
function oneSentence(message: string): boolean {
  return /\.$/.test(message) && !/[.!?]["')]?\s+[A-Z]/.test(message) && !/\n/.test(message);
}

describe('mail-authentication finding messages are one short sentence', function () {
  this.timeout(60_000);
  let dns: WireDnsPeer;
  let certs: TestCerts;
  let server: https.Server;
  let httpsPort: number;
  const routes: Record<string, Route> = {};
  const bySuffix = new Map<string, { scenario: Scenario; result: AuthCheckResult; findings: Finding[] }[]>();

  before(async () => {
    const keys = { rsa2048: rsaKey(2048), rsa1024: rsaKey(1024), rsa512: rsaKey(512), ed: edKey() };
    const zones = [ORDINARY, LONG].map((sfx) => zone(sfx, keys));
    for (const z of zones) Object.assign(routes, z.routes);
    dns = await startWireDnsRetrying({
      records: zones.flatMap((z) => z.records),
      rcode: (name) => (/(^|\.)servfail\./.test(name) ? 2 : undefined),
    });
    certs = createTestCerts();
    const hosts = [ORDINARY, LONG].flatMap((sfx) => ['notfound', 'badpolicy', 'html', 'big', 'short', 'testing', 'modenone', 'mismatch'].map((l) => `mta-sts.${l}.${sfx}`));
    const cert = issueTestCert(certs, 'policy', 'mta-sts.example.org', hosts.map((h) => `DNS:${h}`).join(', '));
    server = https.createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
      const route = routes[(req.headers.host ?? '').replace(/:\d+$/, '')];
      if (!route || req.url !== '/.well-known/mta-sts.txt') {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        return;
      }
      res.writeHead(route.status ?? 200, { 'content-type': route.type ?? 'text/plain' });
      res.end(route.body ?? '');
    });
    httpsPort = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));

    const at = { file: 'main.cf', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 10 } } };
    for (const sfx of [ORDINARY, LONG]) {
      const runs = [];
      for (const scenario of SCENARIOS) {
        const subject = scenario.check === DNSBL_CHECK ? scenario.subject : `${scenario.subject}.${sfx}`;
        const context: AuthCheckContext = {
          dns: { servers: [dns.server], timeoutMs: 2000 },
          scheduler: new CheckScheduler(),
          sendingAddresses: [],
          dnsblZones: [],
          ca: certs.ca,
          httpsPort,
          ...scenario.context?.(sfx),
        };
        const result = await scenario.check.run(subject, context);
        runs.push({ scenario, result, findings: authFindings(at, result, liveCheck(result.check)) });
      }
      bySuffix.set(sfx, runs);
    }
  });

  after(async () => {
    await dns?.close();
    await new Promise((r) => server?.close(r));
    certs?.cleanup();
  });

  for (const sfx of [ORDINARY, LONG]) {
    const label = sfx === ORDINARY ? 'ordinary names' : 'names near the 253-character limit';

    it(`with ${label}: every scenario reaches the path it is for`, () => {
      for (const { scenario, result, findings } of bySuffix.get(sfx)!) {
        assert.deepStrictEqual(findings.map((f) => f.ruleId).sort(), [...scenario.ids].sort(), `${scenario.check.name} ${scenario.subject}: ${result.summary} ${result.error ?? ''}\n${result.evidence.join('\n')}`);
      }
      const rules = new Set(bySuffix.get(sfx)!.flatMap((r) => r.findings.map((f) => f.ruleId)));
      for (const check of [spfCheck, dmarcCheck, TLS_RPT_CHECK, MTA_STS_CHECK, dkimCheck, DNSBL_CHECK]) {
        for (const rule of check.rules) assert.ok(rules.has(rule.id), `no scenario for ${rule.id}`);
      }
    });

    it(`with ${label}: at most ${LIMITS[sfx]} characters, one sentence, and the long story in the details`, () => {
      const findings = bySuffix.get(sfx)!.flatMap((r) => r.findings);
      const bad = findings.filter((f) => f.message.length > LIMITS[sfx] || !oneSentence(f.message)).map((f) => `${f.ruleId} (${f.message.length}): ${f.message}`);
      assert.deepStrictEqual(bad, []);
      const bare = findings.filter((f) => !f.details || f.details.length < 40).map((f) => `${f.ruleId}: ${f.message}`);
      assert.deepStrictEqual(bare, [], 'every finding has more to say in its details');
    });
  }

  it('the details keep what the message shortened: the whole domain name', () => {
    const lost: string[] = [];
    for (const { findings, result } of bySuffix.get(LONG)!) {
      if (result.check === 'dnsbl') continue;
      for (const f of findings) if (f.message.includes('…') && !`${f.details}`.includes(LONG)) lost.push(`${f.ruleId}: ${f.message} / ${f.details}`);
    }
    assert.deepStrictEqual(lost, []);
  });
});
