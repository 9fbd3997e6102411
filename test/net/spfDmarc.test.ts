// The SPF and DMARC checks end to end (check.run) against a real dnsmasq on 127.0.0.1 that serves every
// record below, plus a silent UDP socket for timeouts. Names outside the "test" zone (outside.example) get
// REFUSED from dnsmasq, which has no upstream: that is the "could not find out" case. No packet leaves
// the loopback interface.
import * as assert from 'assert';
import * as dgram from 'dgram';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { redactStrings } from '../../src/core/redact';
import { AuthDns } from '../../src/core/live/mailAuth/authDns';
import { dmarcCheck } from '../../src/core/live/mailAuth/dmarc';
import { spfCheck } from '../../src/core/live/mailAuth/spf';
import type { AuthCheckContext, AuthCheckResult } from '../../src/core/live/mailAuth/types';
import { CheckScheduler } from '../../src/core/live/scheduler';
import { dnsmasqAvailable, DnsmasqPeer, startDnsmasq } from './peers/dnsmasq';

/** TXT records, written to a dnsmasq config file (on the command line dnsmasq would split at commas). */
const TXT: [string, string][] = [
  // SPF
  ['good.test', 'v=spf1 ip4:192.0.2.0/25 mx include:_spf.provider.test ~all'],
  ['good.test', 'google-site-verification=abc123'],
  ['_spf.provider.test', 'v=spf1 ip4:198.51.100.0/24 ip6:2001:db8:aa::/48 -all'],
  ['nospf.test', 'google-site-verification=abc123'],
  ['two.test', 'v=spf1 mx -all'],
  ['two.test', 'v=spf1 ip4:192.0.2.1 -all'],
  ['badsyntax.test', 'v=spf1 ipv4:192.0.2.1 ip4:192.0.2.0/33 -all'],
  ['lookalike.test', 'v=spf1;mx -all'],
  ['many.test', 'v=spf1 include:i1.many.test include:i2.many.test include:i3.many.test -all'],
  ['i1.many.test', 'v=spf1 a:h.many.test mx:many.test a:h.many.test -all'],
  ['i2.many.test', 'v=spf1 a:h.many.test mx:many.test a:h.many.test -all'],
  ['i3.many.test', 'v=spf1 a:h.many.test mx:many.test a:h.many.test -all'],
  ['voids.test', 'v=spf1 a:gone1.voids.test a:gone2.voids.test mx:gone3.voids.test ip4:192.0.2.1 -all'],
  ['brokeninc.test', 'v=spf1 include:_spf.gone.test ip4:192.0.2.1 -all'],
  ['plusall.test', 'v=spf1 mx +all'],
  ['neutral.test', 'v=spf1 mx ?all'],
  ['noall.test', 'v=spf1 mx'],
  ['redirect.test', 'v=spf1 redirect=good.test'],
  ['openinc.test', 'v=spf1 include:open.test -all'],
  ['open.test', 'v=spf1 all'],
  ['ptr.test', 'v=spf1 ptr -all'],
  ['loop.test', 'v=spf1 include:loop2.test -all'],
  ['loop2.test', 'v=spf1 include:loop.test -all'],
  ['refinc.test', 'v=spf1 include:_spf.outside.example ip4:192.0.2.1 -all'],
  ['macro.test', 'v=spf1 ip4:192.0.2.1 exists:%{i}._spf.macro.test -all'],
  ['sender.test', 'v=spf1 exists:%{l}._u.%{d} -all exp=why.sender.test'],
  ['why.sender.test', '%{l} may not send from %{c}'],
  // More TXT records than fit in a UDP answer, the SPF record last among them.
  ...Array.from({ length: 40 }, (_, i): [string, string] => ['crowded.test', `site-verification-${i}=${'x'.repeat(40)}`]),
  ['crowded.test', 'v=spf1 ip4:198.51.100.0/24 -all'],
  // 10 lookups (include 2, a 6, mx 1, exists 1), the last one the address check needs; then 11.
  ['budget10.test', 'v=spf1 include:b.budget.test include:b.budget.test mx:many.test exists:%{i}.allow.budget.test -all'],
  ['budget11.test', 'v=spf1 include:b.budget.test include:b.budget.test mx:many.test a:h.many.test exists:%{i}.allow.budget.test -all'],
  ['b.budget.test', 'v=spf1 a:h.many.test a:h.many.test a:h.many.test ?all'],
  // DMARC
  ['_dmarc.good.test', 'v=DMARC1; p=reject; rua=mailto:dmarc@good.test,mailto:agg@reports.vendor.test; ruf=mailto:forensic@good.test'],
  ['good.test._report._dmarc.reports.vendor.test', 'v=DMARC1'],
  ['_dmarc.none.test', 'v=DMARC1; p=none; rua=mailto:x@unverified.test'],
  ['_dmarc.multi.test', 'v=DMARC1; p=none'],
  ['_dmarc.multi.test', 'v=DMARC1; p=reject'],
  ['_dmarc.bad.test', 'v=DMARC1; rua=mailto:a@bad.test; pct=200'],
  ['_dmarc.lower.test', 'v=dmarc1; p=reject'],
  ['_dmarc.upper.test', 'V = DMARC1 ; P = reject ; RUA = mailto:d@upper.test'],
  ['_dmarc.order.test', 'v=DMARC1; sp=reject; p=reject'],
  ['_dmarc.badsp.test', 'v=DMARC1; p=reject; sp=deny; rua=mailto:d@badsp.test'],
  ['_dmarc.spnone.test', 'v=DMARC1; p=quarantine; sp=none'],
  ['_dmarc.refdest.test', 'v=DMARC1; p=reject; rua=mailto:agg@reports.outside.example'],
  ['_dmarc.wrongverify.test', 'v=DMARC1; p=reject; ruf=mailto:f@other.test'],
  ['wrongverify.test._report._dmarc.other.test', 'not a dmarc record'],
];

/**
 * Longer than a 1232-byte UDP answer, in strings of 200 characters cut mid-term (so they must be joined
 * with nothing between them): dnsmasq answers over TCP. On the command line, as its config file lines are
 * too short for it.
 */
const LONG_SPF = `v=spf1 ${Array.from({ length: 100 }, (_, i) => `ip4:198.18.${i}.0/24`).join(' ')} -all`;

const ZONE = {
  txts: [{ name: 'long.test', text: Array.from({ length: Math.ceil(LONG_SPF.length / 200) }, (_, i) => LONG_SPF.slice(i * 200, (i + 1) * 200)) }],
  mx: [
    { domain: 'good.test', exchange: 'mx.good.test', preference: 10 },
    { domain: 'many.test', exchange: 'h.many.test', preference: 10 },
    { domain: 'plusall.test', exchange: 'mx.good.test', preference: 10 },
    { domain: 'neutral.test', exchange: 'mx.good.test', preference: 10 },
    { domain: 'noall.test', exchange: 'mx.good.test', preference: 10 },
  ],
  hosts: [
    { name: 'mx.good.test', addresses: ['192.0.2.200', '2001:db8:1::25'] },
    { name: 'h.many.test', addresses: ['192.0.2.50'] },
    // dnsmasq answers the PTR of each address too: 192.0.2.77 → mail.ptr.test.
    { name: 'mail.ptr.test', addresses: ['192.0.2.77'] },
    { name: '203.0.113.9._spf.macro.test', addresses: ['127.0.0.2'] },
    { name: 'alerts._u.sender.test', addresses: ['127.0.0.2'] },
    { name: '198.51.100.77.allow.budget.test', addresses: ['127.0.0.2'] },
  ],
};

describe('SPF and DMARC checks against dnsmasq', function () {
  this.timeout(20_000);
  let dns: DnsmasqPeer | undefined;
  let dir: string;
  let silent: dgram.Socket;
  let silentServer: string;

  const context = (extra: Partial<AuthCheckContext> = {}): AuthCheckContext => ({
    dns: { servers: [dns!.server], timeoutMs: 2000 },
    scheduler: new CheckScheduler(),
    sendingAddresses: [],
    dnsblZones: [],
    ...extra,
  });
  const ids = (r: AuthCheckResult) => r.problems.map((p) => p.ruleId);
  /** The evidence line that starts with `start` (an address's verdict, say), or a failure listing all lines. */
  const line = (r: AuthCheckResult, start: string): string => {
    const found = r.evidence.find((l) => l.startsWith(start));
    assert.ok(found, `no evidence line starts with ${JSON.stringify(start)}:\n${r.evidence.join('\n')}`);
    return found;
  };
  /** Every result also checks that redaction leaves it alone: records and report addresses are not secrets. */
  const unredacted = (r: AuthCheckResult) => {
    assert.deepStrictEqual(redactStrings(r), r);
    return r;
  };
  const spf = (domain: string, extra: Partial<AuthCheckContext> = {}) => spfCheck.run(domain, context(extra)).then(unredacted);
  const dmarc = (domain: string, extra: Partial<AuthCheckContext> = {}) => dmarcCheck.run(domain, context(extra)).then(unredacted);

  before(async function () {
    if (!dnsmasqAvailable()) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spf-dmarc-'));
    const conf = path.join(dir, 'txt.conf');
    fs.writeFileSync(conf, TXT.map(([name, text]) => `txt-record=${name},"${text}"\n`).join(''));
    dns = await startDnsmasq({ ...ZONE, extraArgs: [`--conf-file=${conf}`] });
    silent = dgram.createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', r));
    silentServer = `127.0.0.1:${silent.address().port}`;
  });

  after(async () => {
    await dns?.stop();
    silent?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('SPF', () => {
    it('passes a good record, follows its include, and authorises each sending address it lists', async () => {
      const r = await spf('good.test', { sendingAddresses: ['192.0.2.25', '198.51.100.7', '::ffff:192.0.2.200', '2001:db8:1::25'] });
      assert.deepStrictEqual(r.problems, []);
      assert.strictEqual(r.error, undefined);
      assert.strictEqual(r.check, 'spf');
      assert.match(r.summary, /^v=spf1 ip4:192\.0\.2\.0\/25 mx include:_spf\.provider\.test ~all — 2\/10 lookups$/);
      assert.ok(r.evidence.includes('TXT good.test: "v=spf1 ip4:192.0.2.0/25 mx include:_spf.provider.test ~all"'), r.evidence.join('\n'));
      assert.ok(r.evidence.includes('  include:_spf.provider.test → "v=spf1 ip4:198.51.100.0/24 ip6:2001:db8:aa::/48 -all"'), r.evidence.join('\n'));
      assert.strictEqual(line(r, '192.0.2.25: '), '192.0.2.25: pass (ip4:192.0.2.0/25) [0/10 lookups, 0/2 void]');
      assert.strictEqual(line(r, '198.51.100.7: '), '198.51.100.7: pass (include:_spf.provider.test) [2/10 lookups, 0/2 void]');
      line(r, '192.0.2.200: pass (mx) [');
      line(r, '2001:db8:1::25: pass (mx) [');
      assert.ok(r.evidence.includes('DNS lookups: 2 of 10 (mx 1, include 1)'));
      line(r, 'check_host() for the envelope sender postmaster@good.test (no sender configured in this domain; RFC 7208 4.3), HELO name not configured');
    });

    it('warns about a sending address the record does not authorise, naming the address and the record', async () => {
      const r = await spf('good.test', { sendingAddresses: ['203.0.113.9', '2001:db8:bb::1'] });
      assert.deepStrictEqual(ids(r), ['dns/spf-sender-not-authorized', 'dns/spf-sender-not-authorized']);
      assert.strictEqual(r.problems[0].message, 'The SPF record of good.test does not authorise 203.0.113.9 (softfail); add it as ip4:.');
      assert.match(r.problems[0].details!, /^203\.0\.113\.9 sends mail .* SPF record of good\.test \("v=spf1 ip4:192\.0\.2\.0\/25 mx include:_spf\.provider\.test ~all"\) does not authorise it: it matches "~all" \(softfail\)\. .* Add "ip4:203\.0\.113\.9"/);
      assert.strictEqual(r.problems[1].message, 'The SPF record of good.test does not authorise 2001:db8:bb::1 (softfail); add it as ip6:.');
      assert.match(r.problems[1].details!, /Add "ip6:2001:db8:bb::1"/);
      assert.strictEqual(r.problems[0].severity, undefined, 'the rule default: warning');
    });

    it('says when there is no SPF record: no v=spf1 TXT, or no such domain', async () => {
      for (const domain of ['nospf.test', 'absent.test']) {
        const r = await spf(domain, { sendingAddresses: ['192.0.2.1'] });
        assert.deepStrictEqual(ids(r), ['dns/spf-missing'], domain);
        assert.strictEqual(r.summary, 'no SPF record');
        assert.strictEqual(r.error, undefined);
      }
      assert.deepStrictEqual((await spf('absent.test')).evidence, ['TXT absent.test: no such domain (NXDOMAIN)']);
    });

    it('reports several SPF records as a permerror', async () => {
      const r = await spf('two.test');
      assert.deepStrictEqual(ids(r), ['dns/spf-multiple']);
      assert.strictEqual(r.summary, '2 SPF records (permerror)');
      assert.strictEqual(r.evidence.length, 2);
    });

    it('reports syntax errors, and does not evaluate senders against an invalid record', async () => {
      const r = await spf('badsyntax.test', { sendingAddresses: ['203.0.113.9'] });
      assert.deepStrictEqual(ids(r), ['dns/spf-syntax']);
      assert.strictEqual(r.problems[0].message, 'The SPF record of badsyntax.test is invalid (unknown mechanism "ipv4:192.0.2.1", …); fix it.');
      assert.match(r.problems[0].details!, /unknown mechanism "ipv4:192\.0\.2\.1" \(did you mean ip4:\?\); "ip4:192\.0\.2\.0\/33": bad prefix length.*\. Receivers return permerror/);
      assert.match(r.summary, /permerror/);
      assert.ok(r.evidence.includes('sending addresses not evaluated: the record is invalid (permerror for every sender)'));
    });

    it('reports a TXT record that looks like SPF but is not one', async () => {
      const r = await spf('lookalike.test');
      assert.deepStrictEqual(ids(r), ['dns/spf-syntax']);
      assert.strictEqual(r.problems[0].message, 'lookalike.test has a TXT record like SPF that receivers ignore; start it with exactly "v=spf1 ".');
      assert.match(r.problems[0].details!, /"v=spf1;mx -all" of lookalike\.test does not start with "v=spf1 "/);
      assert.strictEqual(r.summary, 'no valid SPF record');
    });

    it('counts DNS lookups through includes: 12 of 10 is a permerror', async () => {
      const r = await spf('many.test', { sendingAddresses: ['192.0.2.50'] });
      assert.deepStrictEqual(ids(r), ['dns/spf-too-many-lookups']);
      assert.strictEqual(r.problems[0].message, 'The SPF record of many.test needs 12 DNS lookups, over 10; use ip4:/ip6: for a:/mx: or drop includes.');
      assert.match(r.problems[0].details!, /it needs 12 DNS lookups \(include 3, a 6, mx 3\), over the limit of 10/);
      assert.match(r.summary, /12\/10 lookups/);
      // The receiver's lazy count: a:h.many.test in i1 matches at lookup 2, so that sender passes anyway.
      line(r, '192.0.2.50: pass (include:i1.many.test) [2/10 lookups');
    });

    it('counts void lookups: three terms that find nothing are a permerror', async () => {
      const r = await spf('voids.test');
      assert.deepStrictEqual(ids(r), ['dns/spf-void-lookups']);
      assert.match(r.problems[0].message, /^The SPF record of voids\.test has 3 lookups that find nothing \(over 2\); remove/);
      assert.match(r.problems[0].details!, /a:gone1\.voids\.test: .*Receivers allow 2 lookups/);
      assert.ok(r.evidence.includes('void lookups: 3 of 2'));
    });

    it('reports an include of a domain with no SPF record', async () => {
      const r = await spf('brokeninc.test', { sendingAddresses: ['192.0.2.1'] });
      assert.deepStrictEqual(ids(r), ['dns/spf-include-broken']);
      assert.strictEqual(r.problems[0].message, 'The SPF include "include:_spf.gone.test" of brokeninc.test is broken; fix or remove it.');
      assert.match(r.problems[0].details!, /"include:_spf\.gone\.test" in the SPF record of brokeninc\.test is broken: _spf\.gone\.test publishes no SPF record/);
      line(r, '192.0.2.1: permerror (include:_spf.gone.test): _spf.gone.test has no SPF record [');
    });

    it('judges the final all: +all is an error, ?all and no all are warnings, -all/~all (also via redirect) are fine', async () => {
      const plus = await spf('plusall.test');
      assert.deepStrictEqual(plus.problems.map((p) => [p.ruleId, p.severity]), [['dns/spf-permissive-all', 'error']]);
      assert.match(plus.problems[0].message, /ends in "\+all", so anyone passes SPF for it; use "~all" or "-all"\.$/);
      assert.match(plus.problems[0].details!, /Every server on the internet passes SPF for plusall\.test/);
      const neutral = await spf('neutral.test');
      assert.deepStrictEqual(neutral.problems.map((p) => [p.ruleId, p.severity]), [['dns/spf-permissive-all', undefined]]);
      assert.match(neutral.problems[0].message, /"\?all"/);
      const none = await spf('noall.test', { sendingAddresses: ['203.0.113.9'] });
      assert.deepStrictEqual(ids(none), ['dns/spf-permissive-all', 'dns/spf-sender-not-authorized']);
      assert.match(none.problems[0].message, /has no "all" at the end/);
      assert.match(none.problems[1].message, /does not authorise 203\.0\.113\.9 \(neutral\)/);
      assert.match(none.problems[1].details!, /no term matches it \(neutral\)/);
      const redirect = await spf('redirect.test', { sendingAddresses: ['198.51.100.7'] });
      assert.deepStrictEqual(redirect.problems, []);
      line(redirect, '198.51.100.7: pass (include:_spf.provider.test in good.test) [3/10 lookups');
      assert.match(redirect.summary, /3\/10 lookups/);
    });

    it('flags an include whose record ends in +all', async () => {
      const r = await spf('openinc.test');
      assert.deepStrictEqual(r.problems.map((p) => [p.ruleId, p.severity]), [['dns/spf-permissive-all', 'error']]);
      assert.strictEqual(r.problems[0].message, 'The SPF include "include:open.test" lets any server pass SPF for openinc.test; remove it.');
      assert.match(r.problems[0].details!, /open\.test ends in "all", so that include matches every address/);
    });

    it('flags the deprecated ptr mechanism, and evaluates it as receivers do: PTR names that resolve back', async () => {
      const r = await spf('ptr.test', { sendingAddresses: ['192.0.2.77', '192.0.2.1'] });
      assert.deepStrictEqual(ids(r), ['dns/spf-ptr', 'dns/spf-sender-not-authorized']);
      line(r, '192.0.2.77: pass (ptr) [1/10 lookups, 0/2 void]');
      line(r, '192.0.2.1: fail (-all) [1/10 lookups, 1/2 void]');
    });

    it('reports an include loop', async () => {
      const r = await spf('loop.test');
      assert.deepStrictEqual(ids(r), ['dns/spf-too-many-lookups']);
      assert.strictEqual(r.problems[0].message, 'The SPF record of loop.test has an include loop; remove the include that closes it.');
      assert.match(r.problems[0].details!, /includes loop \(loop\.test → loop2\.test → loop\.test\)/);
    });

    it('evaluates macros for each address: exists:%{i}…', async () => {
      const r = await spf('macro.test', { sendingAddresses: ['192.0.2.1', '203.0.113.9', '203.0.113.10'] });
      assert.deepStrictEqual(ids(r), ['dns/spf-sender-not-authorized']);
      line(r, '192.0.2.1: pass (ip4:192.0.2.1) [');
      line(r, '203.0.113.9: pass (exists:%{i}._spf.macro.test) [1/10 lookups, 0/2 void]');
      line(r, '203.0.113.10: fail (-all) [1/10 lookups, 1/2 void]');
    });

    it('evaluates sender macros for the sender the configuration states, names it, and shows the explanation', async () => {
      const stated = await spf('sender.test', { sendingAddresses: ['203.0.113.9'], sender: { address: 'alerts@sender.test', helo: 'mail.sender.test', origin: 'from (mailer.js)' } });
      assert.deepStrictEqual(stated.problems, []);
      line(stated, 'check_host() for the envelope sender alerts@sender.test (from (mailer.js)), HELO mail.sender.test');
      line(stated, '203.0.113.9: pass (exists:%{l}._u.%{d}) [1/10 lookups, 0/2 void; depends on the sender]');
      const assumed = await spf('sender.test', { sendingAddresses: ['203.0.113.9'] });
      assert.deepStrictEqual(ids(assumed), ['dns/spf-sender-not-authorized']);
      assert.strictEqual(assumed.problems[0].message, 'The SPF record of sender.test does not authorise 203.0.113.9 (fail); add it as ip4:.');
      assert.match(assumed.problems[0].details!, /does not authorise it for the sender postmaster@sender\.test: it matches "-all" \(fail\)/);
      line(assumed, '203.0.113.9: fail (-all) [1/10 lookups, 1/2 void; depends on the sender]; explanation "postmaster may not send from 203.0.113.9"');
    });

    it('an include that cannot be looked up (REFUSED) makes the count partial, not broken', async () => {
      const r = await spf('refinc.test', { sendingAddresses: ['192.0.2.1', '203.0.113.9'] });
      assert.deepStrictEqual(r.problems, []);
      assert.strictEqual(r.error, undefined);
      assert.match(r.summary, /1\+\/10 lookups \(incomplete: 1 lookup failed\)$/);
      assert.ok(r.evidence.includes('  include:_spf.outside.example → lookup failed (EREFUSED)'), r.evidence.join('\n'));
      line(r, '203.0.113.9: temperror (include:_spf.outside.example): TXT lookup of _spf.outside.example failed (EREFUSED) [');
      line(r, '192.0.2.1: temperror (include:_spf.outside.example): TXT lookup of _spf.outside.example failed (EREFUSED) [');
    });

    it('joins a record dnsmasq split into several strings (and sent over TCP)', async () => {
      const r = await spf('long.test', { sendingAddresses: ['198.18.99.5', '198.18.100.5'] });
      assert.deepStrictEqual(ids(r), ['dns/spf-sender-not-authorized']);
      line(r, '198.18.99.5: pass (ip4:198.18.99.0/24) [');
      line(r, '198.18.100.5: fail (-all) [');
    });

    it('finds the SPF record among more than 32 TXT records', async () => {
      const r = await spf('crowded.test', { sendingAddresses: ['198.51.100.7'] });
      assert.deepStrictEqual(r.problems, []);
      assert.match(r.summary, /^v=spf1 ip4:198\.51\.100\.0\/24 -all/);
      line(r, '198.51.100.7: pass (ip4:198.51.100.0/24) [');
    });

    it('the analysis and each address check count the same 10-lookup budget', async () => {
      const addresses = ['198.51.100.77', '192.0.2.50', '203.0.113.5'];
      const ten = await spf('budget10.test', { sendingAddresses: addresses });
      assert.ok(ten.evidence.includes('DNS lookups: 10 of 10 (include 2, mx 1, exists 1, a 6)'), ten.evidence.join('\n'));
      assert.deepStrictEqual(ids(ten), ['dns/spf-sender-not-authorized']);
      line(ten, '198.51.100.77: pass (exists:%{i}.allow.budget.test) [10/10 lookups, 0/2 void]');
      line(ten, '192.0.2.50: pass (include:b.budget.test) [2/10 lookups');
      line(ten, '203.0.113.5: fail (-all) [10/10 lookups, 1/2 void]');
      const eleven = await spf('budget11.test', { sendingAddresses: addresses });
      assert.deepStrictEqual(ids(eleven), ['dns/spf-too-many-lookups'], 'a permerror is not a "not authorised"');
      assert.match(eleven.problems[0].message, /needs 11 DNS lookups, over 10/);
      line(eleven, '198.51.100.77: permerror (exists:%{i}.allow.budget.test): more than 10 DNS lookups [11/10 lookups');
      line(eleven, '192.0.2.50: pass (include:b.budget.test) [2/10 lookups');
      line(eleven, '203.0.113.5: permerror (exists:%{i}.allow.budget.test): more than 10 DNS lookups [');
    });

    it('gives no verdict when the lookup fails: REFUSED, timeout, cancelled', async () => {
      const refused = await spf('outside.example', { sendingAddresses: ['192.0.2.1'] });
      assert.deepStrictEqual([refused.error, refused.problems, refused.summary], ['EREFUSED', [], 'lookup failed (EREFUSED)']);
      const started = Date.now();
      const timeout = await spfCheck.run('good.test', context({ dns: { servers: [silentServer], timeoutMs: 300, tries: 1 } }));
      assert.deepStrictEqual([timeout.error, timeout.problems], ['ETIMEOUT', []]);
      assert.ok(Date.now() - started < 1500, `${Date.now() - started} ms`);
      const controller = new AbortController();
      const pending = spfCheck.run('good.test', context({ dns: { servers: [silentServer], timeoutMs: 5000, signal: controller.signal } }));
      setTimeout(() => controller.abort(), 50);
      const cancelled = await pending;
      assert.deepStrictEqual([cancelled.error, cancelled.problems], ['ECANCELLED', []]);
      assert.ok(cancelled.ms < 1000);
    });
  });

  describe('DMARC', () => {
    it('passes an enforcing record whose external report address is verified', async () => {
      const r = await dmarc('good.test');
      assert.deepStrictEqual(r.problems, []);
      assert.strictEqual(r.summary, 'p=reject, reports to good.test, reports.vendor.test');
      assert.ok(r.evidence.includes('TXT _dmarc.good.test: "v=DMARC1; p=reject; rua=mailto:dmarc@good.test,mailto:agg@reports.vendor.test; ruf=mailto:forensic@good.test"'), r.evidence.join('\n'));
      assert.ok(r.evidence.includes('rua agg@reports.vendor.test: verified by TXT good.test._report._dmarc.reports.vendor.test "v=DMARC1"'), r.evidence.join('\n'));
      assert.ok(r.evidence.includes('rua mailto:dmarc@good.test: same organisational domain, no verification needed'));
    });

    it('p=none is monitoring only (information), and an unverified external rua is a warning', async () => {
      const r = await dmarc('none.test');
      assert.deepStrictEqual(ids(r), ['dns/dmarc-policy-none', 'dns/dmarc-report-destination-unverified']);
      assert.strictEqual(r.problems[1].message, 'The DMARC rua address x@unverified.test gets no reports; add this domain at its report service.');
      assert.match(r.problems[1].details!, /x@unverified\.test is in another domain \(unverified\.test\), which has not agreed to take reports for none\.test: there is no TXT "v=DMARC1" at none\.test\._report\._dmarc\.unverified\.test/);
      assert.ok(r.evidence.includes('rua x@unverified.test: TXT none.test._report._dmarc.unverified.test: no such name'));
    });

    it('a verification name with no v=DMARC1 record does not verify', async () => {
      const r = await dmarc('wrongverify.test');
      assert.deepStrictEqual(ids(r), ['dns/dmarc-report-destination-unverified']);
      assert.match(r.problems[0].message, /DMARC ruf address f@other\.test/);
    });

    it('a report destination that cannot be looked up is not reported unverified', async () => {
      const r = await dmarc('refdest.test');
      assert.deepStrictEqual(r.problems, []);
      assert.ok(r.evidence.includes('rua agg@reports.outside.example: could not verify, TXT refdest.test._report._dmarc.reports.outside.example lookup failed (EREFUSED)'), r.evidence.join('\n'));
    });

    it('says when there is no DMARC record, also at the organisational domain', async () => {
      const r = await dmarc('nospf.test');
      assert.deepStrictEqual(ids(r), ['dns/dmarc-missing']);
      assert.strictEqual(r.summary, 'no DMARC record');
      const sub = await dmarc('mail.nospf.test');
      assert.deepStrictEqual(ids(sub), ['dns/dmarc-missing']);
      assert.deepStrictEqual(sub.evidence, ['TXT _dmarc.mail.nospf.test: no such name (NXDOMAIN)', 'TXT _dmarc.nospf.test: no such name (NXDOMAIN)']);
    });

    it('falls back to the organisational domain, using its sp= (or p=)', async () => {
      const good = await dmarc('mail.good.test');
      assert.deepStrictEqual(good.problems, []);
      assert.match(good.summary, /^from good\.test: p=reject/);
      assert.ok(good.evidence.includes('rua agg@reports.vendor.test: verified by TXT good.test._report._dmarc.reports.vendor.test "v=DMARC1"'));
      const spnone = await dmarc('shop.spnone.test');
      assert.deepStrictEqual(ids(spnone), ['dns/dmarc-policy-none']);
      assert.strictEqual(spnone.problems[0].message, 'The DMARC policy of shop.spnone.test is sp=none; move to p=quarantine, then p=reject, once reports are clean.');
      assert.match(spnone.problems[0].details!, /^sp=none is monitoring only/);
      assert.match(spnone.summary, /^from spnone\.test: p=none/);
    });

    it('sp=none beside an enforcing p= is monitoring for subdomains', async () => {
      const r = await dmarc('spnone.test');
      assert.deepStrictEqual(ids(r), ['dns/dmarc-policy-none']);
      assert.strictEqual(r.problems[0].message, 'The DMARC policy of spnone.test has sp=none beside p=quarantine, so subdomains are unprotected; drop sp=.');
      assert.match(r.problems[0].details!, /p=quarantine but sp=none: its subdomains are monitored only/);
    });

    it('several DMARC records: none applies', async () => {
      const r = await dmarc('multi.test');
      assert.deepStrictEqual(ids(r), ['dns/dmarc-multiple']);
      assert.strictEqual(r.summary, '2 DMARC records (none applies)');
    });

    it('a record with no p= and a bad pct is invalid, saying what receivers do; one in lower case is not a DMARC record', async () => {
      const bad = await dmarc('bad.test');
      assert.deepStrictEqual(bad.problems.map((p) => [p.ruleId, p.severity]), [['dns/dmarc-syntax', undefined]]);
      assert.strictEqual(bad.problems[0].message, 'The DMARC record of bad.test has 2 errors (the required p= tag is missing, …); fix them.');
      assert.match(
        bad.problems[0].details!,
        /is not read as written by every receiver: the required p= tag is missing; pct=200 is not a whole number from 0 to 100 .*\. So receivers that follow RFC 7489 act as if it said p=none for the domain and its subdomains \(reports still go to rua\); OpenDMARC rejects the record; strict parsers such as mox reject it\./,
      );
      assert.strictEqual(bad.summary, 'p=none (fallback for an invalid policy), reports to bad.test');
      const lower = await dmarc('lower.test');
      assert.deepStrictEqual(ids(lower), ['dns/dmarc-syntax']);
      assert.strictEqual(lower.problems[0].message, 'The TXT record at _dmarc.lower.test is not a DMARC record to receivers; start it with "v=DMARC1;".');
      assert.match(lower.problems[0].details!, /must start with "v=DMARC1;"/);
      assert.strictEqual(lower.summary, 'no valid DMARC record');
    });

    it('tag names in any case and spaces around "=" are RFC 7489, but OpenDMARC does not find such a record', async () => {
      const r = await dmarc('upper.test');
      assert.deepStrictEqual(ids(r), ['dns/dmarc-syntax']);
      assert.strictEqual(r.problems[0].message, 'The DMARC record of upper.test has an error (OpenDMARC finds only records with the exact…); fix it.');
      assert.match(r.problems[0].details!, /OpenDMARC finds only records with the exact text "v=DMARC" .*\. So receivers that follow RFC 7489 apply it; OpenDMARC does not find it, as if the domain had no DMARC record\./);
      assert.strictEqual(r.summary, 'p=reject, reports to upper.test');
    });

    it('p= must come right after v=DMARC1: strict receivers reject the record, OpenDMARC does not mind', async () => {
      const r = await dmarc('order.test');
      assert.deepStrictEqual(r.problems.map((p) => [p.ruleId, p.severity]), [['dns/dmarc-syntax', undefined]]);
      assert.strictEqual(r.problems[0].message, 'The DMARC record of order.test has an error (p= is not the first tag after v=DMARC1); fix it.');
      assert.match(r.problems[0].details!, /p= is not the first tag after v=DMARC1.*So receivers that follow RFC 7489 apply no DMARC policy; strict parsers such as mox reject it\./);
      assert.strictEqual(r.summary, 'no valid policy, no aggregate reports');
    });

    it('an invalid sp= says what receivers fall back to: p=none in place of p=reject', async () => {
      const r = await dmarc('badsp.test');
      assert.deepStrictEqual(ids(r), ['dns/dmarc-syntax']);
      assert.strictEqual(r.problems[0].message, 'The DMARC record of badsp.test has an error (sp=deny is not none, quarantine or reject); fix it.');
      assert.match(r.problems[0].details!, /sp=deny is not none, quarantine or reject\. So receivers that follow RFC 7489 act as if it said p=none, not p=reject, for the domain and its subdomains \(reports still go to rua\); OpenDMARC rejects the record\./);
      assert.strictEqual(r.summary, 'p=none (fallback for an invalid policy), reports to badsp.test');
    });

    it('gives no verdict when the lookup fails', async () => {
      const refused = await dmarc('outside.example');
      assert.deepStrictEqual([refused.error, refused.problems], ['EREFUSED', []]);
      const timeout = await dmarcCheck.run('good.test', context({ dns: { servers: [silentServer], timeoutMs: 300, tries: 1 } }));
      assert.deepStrictEqual([timeout.error, timeout.problems], ['ETIMEOUT', []]);
    });
  });

  describe('AuthDns', () => {
    it('asks for a name once per check and stops at its query cap', async () => {
      const d = new AuthDns({ servers: [dns!.server], timeoutMs: 2000 }, 2);
      const [a, b] = await Promise.all([d.txt('good.test'), d.txt('GOOD.test.')]);
      assert.strictEqual(a, b);
      assert.strictEqual(d.queries, 1);
      assert.strictEqual(a.values.length, 2);
      assert.deepStrictEqual((await d.txt('absent.test')).negative, 'ENOTFOUND');
      assert.deepStrictEqual(await d.mx('good.test'), { values: [], error: 'EQUERYLIMIT' });
    });
  });
});
