// The DKIM check end to end against a real dnsmasq on 127.0.0.1: key records for every verdict (RSA keys of
// 2048, 1024 and 512 bits generated here, split into 255-byte TXT strings as DNS needs), and lookups that
// fail. Selectors come from real signing configurations (OpenDKIM KeyTable, rspamd, nodemailer) too.
import * as assert from 'assert';
import { generateKeyPairSync } from 'crypto';
import * as dgram from 'dgram';
import { promises as dnsPromises } from 'dns';
import { checkFiles } from '../../src/core/check';
import { dkimTargets } from '../../src/core/sources/dkimSigning/selectors';
import type { DnsCheckOptions } from '../../src/core/live/dnsTypes';
import { dkimCheck } from '../../src/core/live/mailAuth/dkim';
import { AUTH_RULE_METAS } from '../../src/core/live/mailAuth/index';
import { loadAuthChecks } from '../../src/core/live/liveCheckRegistry';
import type { AuthCheckContext, AuthCheckResult } from '../../src/core/live/mailAuth/types';
import { CheckScheduler } from '../../src/core/live/scheduler';
import { dnsmasqAvailable, DnsmasqPeer, startDnsmasq } from './peers/dnsmasq';
import { fullText } from '../findingText';

function rsaP(bits: number, type: 'spki' | 'pkcs1' = 'spki'): string {
  return generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type, format: 'der' }).toString('base64');
}

function ed25519P(): string {
  const der = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32).toString('base64');
}

/** A record as DNS carries it: character strings of at most 255 bytes. */
function strings(record: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < record.length; i += 250) out.push(record.slice(i, i + 250));
  return out;
}

const rsa2048 = rsaP(2048);
const rsa1024 = rsaP(1024);
const rsa512 = rsaP(512);
const pkcs1 = rsaP(2048, 'pkcs1');
const ed = ed25519P();

const RECORDS: Record<string, string[]> = {
  's2048._domainkey.sign.test': [`v=DKIM1; k=rsa; p=${rsa2048}`],
  's1024._domainkey.sign.test': [`v=DKIM1; k=rsa; p=${rsa1024}`],
  's512._domainkey.sign.test': [`v=DKIM1; k=rsa; p=${rsa512}`],
  'pkcs1._domainkey.sign.test': [`v=DKIM1; p=${pkcs1}`],
  'ed._domainkey.sign.test': [`v=DKIM1; k=ed25519; p=${ed}`],
  'revoked._domainkey.sign.test': ['v=DKIM1; k=rsa; p='],
  'testing._domainkey.sign.test': [`v=DKIM1; t=y; k=rsa; p=${rsa2048}`],
  'badb64._domainkey.sign.test': [`v=DKIM1; k=rsa; p=${rsa2048.slice(0, 100)}!!${rsa2048.slice(100)}`],
  'sha1._domainkey.sign.test': [`v=DKIM1; h=sha1; p=${rsa2048}`],
  'twice._domainkey.sign.test': [`v=DKIM1; p=${rsa2048}`, `v=DKIM1; p=${rsa1024}`],
  'spf._domainkey.sign.test': ['v=spf1 -all'],
  // From the signing configurations below.
  'mail._domainkey.example.test': [`v=DKIM1; k=rsa; p=${rsa2048}`],
  'r1._domainkey.example.test': ['v=DKIM1; k=rsa; p='],
};

describe('DKIM check against dnsmasq', function () {
  let dns: DnsmasqPeer | undefined;
  let context: AuthCheckContext;

  before(async function () {
    if (!dnsmasqAvailable()) this.skip();
    dns = await startDnsmasq({
      txts: Object.entries(RECORDS).flatMap(([name, records]) => records.map((r) => ({ name, text: strings(r) }))),
      hosts: [{ name: 'aonly._domainkey.sign.test', addresses: ['192.0.2.1'] }],
      // elsewhere.example stays outside, so dnsmasq (no upstream) refuses it.
      localZones: ['test'],
    });
    context = { dns: { servers: [dns.server], timeoutMs: 2000 }, scheduler: new CheckScheduler(), sendingAddresses: [], dnsblZones: [] };
  });

  after(async () => {
    await dns?.stop();
  });

  const run = (selector: string, domain = 'sign.test') => dkimCheck.run(`${selector}._domainkey.${domain}`, context);
  const verdict = (r: AuthCheckResult) => [r.summary, r.problems.map((p) => `${p.ruleId}${p.severity ? `:${p.severity}` : ''}`), r.error];

  it('is registered with its rules', async () => {
    assert.ok((await loadAuthChecks()).includes(dkimCheck));
    for (const id of ['dns/dkim-missing', 'dns/dkim-revoked', 'dns/dkim-weak-key', 'dns/dkim-invalid', 'dns/dkim-testing', 'dns/dkim-ed25519']) {
      assert.ok(AUTH_RULE_METAS.some((m) => m.id === id), id);
    }
  });

  it('a 2048-bit RSA key split over several TXT strings passes, with the joined record as evidence', async () => {
    const resolver = new dnsPromises.Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([dns!.server]);
    const [chunks] = await resolver.resolveTxt('s2048._domainkey.sign.test');
    assert.ok(chunks.length >= 2 && chunks.every((c) => c.length <= 255), `${chunks.length} strings`);
    const r = await run('s2048');
    assert.deepStrictEqual(verdict(r), ['RSA 2048-bit key', [], undefined]);
    assert.deepStrictEqual([r.check, r.subjectKind, r.subject], ['dkim', 'dkim', 's2048._domainkey.sign.test']);
    assert.deepStrictEqual(r.evidence, [`TXT "v=DKIM1; k=rsa; p=${rsa2048}"`]);
    assert.ok(r.ms >= 0 && r.ms < 2000);
  });

  it('RSA keys under 2048 bits are weak: 1024 a warning, 512 an error', async () => {
    assert.deepStrictEqual(verdict(await run('s1024')), ['RSA 1024-bit key', ['dns/dkim-weak-key'], undefined]);
    const weak = await run('s512');
    assert.deepStrictEqual(verdict(weak), ['RSA 512-bit key', ['dns/dkim-weak-key:error'], undefined]);
    assert.match(fullText(weak.problems[0]), /under 1024 bits/);
  });

  it('a bare RSAPublicKey (PKCS#1) is read too', async () => {
    assert.deepStrictEqual(verdict(await run('pkcs1')), ['RSA 2048-bit key (RSAPublicKey)', [], undefined]);
  });

  it('Ed25519 is noted, revoked and testing keys are reported', async () => {
    assert.deepStrictEqual(verdict(await run('ed')), ['Ed25519 key', ['dns/dkim-ed25519'], undefined]);
    assert.deepStrictEqual(verdict(await run('revoked')), ['revoked (empty p=)', ['dns/dkim-revoked'], undefined]);
    assert.deepStrictEqual(verdict(await run('testing')), ['RSA 2048-bit key, testing (t=y)', ['dns/dkim-testing'], undefined]);
  });

  it('malformed base64, a SHA-1-only key and two records are invalid', async () => {
    const bad = await run('badb64');
    assert.deepStrictEqual(verdict(bad), ['invalid key', ['dns/dkim-invalid'], undefined]);
    assert.match(fullText(bad.problems[0]), /not valid base64/);
    assert.deepStrictEqual(verdict(await run('sha1')), ['RSA 2048-bit key', ['dns/dkim-invalid'], undefined]);
    const twice = await run('twice');
    assert.deepStrictEqual(verdict(twice).slice(1), [['dns/dkim-invalid', 'dns/dkim-weak-key'], undefined]);
    assert.strictEqual(twice.evidence.length, 2);
  });

  it('missing: no such name, no TXT record, or only TXT records that are not DKIM keys', async () => {
    for (const selector of ['nope', 'aonly', 'spf']) {
      const r = await run(selector);
      assert.deepStrictEqual(verdict(r), ['not published', ['dns/dkim-missing'], undefined], selector);
      assert.match(fullText(r.problems[0]), /No DKIM key is published at .*fail/);
    }
    assert.deepStrictEqual((await run('nope')).evidence, ['nope._domainkey.sign.test: no such name (NXDOMAIN)']);
  });

  it('a refused lookup is an error without a verdict, never "missing"', async () => {
    const r = await run('sel', 'elsewhere.example');
    assert.deepStrictEqual(verdict(r), ['lookup failed (EREFUSED)', [], 'EREFUSED']);
  });

  it('a subject that is not selector._domainkey.domain asks nothing', async () => {
    const r = await dkimCheck.run('example.test', context);
    assert.ok(r.error?.startsWith('EINVAL') && r.problems.length === 0);
  });

  it('selectors from OpenDKIM, rspamd and nodemailer configurations, checked end to end', async () => {
    const result = checkFiles([
      { file: '/etc/opendkim/KeyTable', text: 'mail._domainkey.example.test example.test:mail:/etc/opendkim/keys/mail.private\n' },
      { file: '/etc/rspamd/local.d/dkim_signing.conf', text: 'domain {\n  example.test { selector = "r1"; path = "/var/lib/rspamd/dkim/r1.key"; }\n}\n' },
      { file: '/app/mail.js', text: "require('nodemailer').createTransport({ host: 'smtp.example.test', dkim: { domainName: 'example.test', keySelector: 'mail', privateKey: process.env.DKIM_KEY } });\n" },
    ]);
    const targets = dkimTargets(result.dkimSelectors);
    assert.deepStrictEqual(targets.map((t) => [t.name, t.locations.map((l) => l.file)]), [
      ['mail._domainkey.example.test', ['/app/mail.js', '/etc/opendkim/KeyTable']],
      ['r1._domainkey.example.test', ['/etc/rspamd/local.d/dkim_signing.conf']],
    ]);
    const results = await Promise.all(targets.map((t) => dkimCheck.run(t.name, context)));
    assert.deepStrictEqual(results.map(verdict), [
      ['RSA 2048-bit key', [], undefined],
      ['revoked (empty p=)', ['dns/dkim-revoked'], undefined],
    ]);
  });
});

describe('DKIM check when the server does not answer', () => {
  let silent: dgram.Socket;
  let options: DnsCheckOptions;
  const contextOf = (dns: DnsCheckOptions): AuthCheckContext => ({ dns, scheduler: new CheckScheduler(), sendingAddresses: [], dnsblZones: [] });

  before(async () => {
    // Bound, so queries are neither refused nor answered.
    silent = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    options = { servers: [`127.0.0.1:${silent.address().port}`] };
  });

  after(() => silent.close());

  it('times out: an error, no verdict', async () => {
    const started = Date.now();
    const r = await dkimCheck.run('mail._domainkey.example.test', contextOf({ ...options, timeoutMs: 300 }));
    assert.deepStrictEqual([r.summary, r.problems, r.error], ['lookup failed (ETIMEOUT)', [], 'ETIMEOUT']);
    assert.ok(Date.now() - started < 1000);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const r = await dkimCheck.run('mail._domainkey.example.test', contextOf({ ...options, timeoutMs: 5000, signal: controller.signal }));
    assert.deepStrictEqual([r.problems, r.error], [[], 'ECANCELLED']);
    assert.ok(Date.now() - started < 1000);
  });
});
