// Live findings say one sentence (the problem and the fix): at most 140 characters with a 30-character host
// name, and at most 160 with a host name near DNS's 253 limit (messages shorten the names they quote); the
// evidence and the runtime errors go to the details.
import * as assert from 'assert';
import type { Finding } from '../../../src/core/model';
import { mxFindings, outbound25Findings, probeFindings, ptrFindings } from '../../../src/core/live/liveFindings';
import type { SmtpProbeResult } from '../../../src/core/live/probeTypes';
import { MxHostChecks, greetingName } from '../../../src/core/live/mxProbe';
import { relayFindings, type ServerChecks } from '../../../src/core/live/serverChecks';
import { type TlsScanResult, tlsScanFindings } from '../../../src/core/live/tlsScanFindings';

const where = { file: 'mailer.js', range: { start: { line: 3, character: 10 }, end: { line: 3, character: 28 } } };
const ORDINARY_HOST = 'smtp.mail-provider.example.com';
const LONG_HOST = `smtp.${['a', 'b', 'c'].map((c) => c.repeat(60)).join('.')}.example.com`;
const cert = { subject: 'CN=other.example.net', subjectAltNames: ['other.example.net', 'www.other.example.net'], issuer: 'CN=Private CA', validFrom: '2026-01-01T00:00:00Z', validTo: '2026-03-01T00:00:00Z', fingerprint256: 'AA', raw: undefined };

function collect(host: string): Finding[] {
  const all: Finding[] = [];
  const base: SmtpProbeResult = { host, port: 587, address: '203.0.113.10', status: 'open', timings: { total: 12 } };
  {
    for (const status of ['refused', 'timeout', 'unreachable', 'dns-failure', 'no-greeting', 'bad-greeting'] as const) all.push(...probeFindings(where, { ...base, status, banner: '554 5.7.1 You are not welcome here, go away and never come back', detail: 'ECONNREFUSED 203.0.113.10:587' }));
    all.push(...probeFindings(where, { ...base, extensions: { PIPELINING: '' } }, 'starttls-required'));
    all.push(...probeFindings(where, { ...base, extensions: { STARTTLS: '', AUTH: 'PLAIN LOGIN' }, tls: { mode: 'starttls', version: 'TLSv1', certificate: { ...cert, daysLeft: 5, trusted: false, trustError: 'DEPTH_ZERO_SELF_SIGNED_CERT', hostnameMatches: false } } }));
    all.push(...probeFindings(where, { ...base, extensions: { STARTTLS: '' }, tls: { mode: 'starttls', certificate: { ...cert, daysLeft: -5, trusted: true, hostnameMatches: true } } }));
    all.push(...probeFindings(where, { ...base, extensions: { STARTTLS: '' }, tls: { mode: 'starttls', error: 'write EPROTO 140737:error:0A00010B:SSL routines:ssl3_get_record:wrong version number' } }));
    all.push(...probeFindings(where, { ...base, status: 'no-greeting', plainGreetingDuringTls: true, banner: `${host} ESMTP Postfix (Debian/GNU)` }, 'implicit-tls', { tlsMode: { kind: 'nodemailer', at: where, variable: 'SMTP_SECURE' } }));
    all.push(...probeFindings(where, { ...base, port: 465, status: 'no-greeting', tlsRecordSeen: true }, 'starttls-opportunistic', { tlsMode: { kind: 'postfix-client' } }));
    all.push(...probeFindings(where, { ...base, port: 465, status: 'no-greeting', plainGreetingDuringTls: true }, undefined, { tlsMode: { kind: 'postfix-server', at: where } }));
    all.push(...outbound25Findings(where, { host, verdict: 'network-blocks-25', summary: 'Port 25 timed out on every host tried.', recommendation: 'Relay through 587.', evidence: [] }));
    const domain = host.replace(/^smtp\./, '');
    all.push(...mxFindings(where, { domain, status: 'null-mx', hosts: [], ms: 1 }));
    all.push(...mxFindings(where, { domain, status: 'no-mx', hosts: [], fallbackAddresses: ['203.0.113.10'], ms: 1 }));
    all.push(...mxFindings(where, { domain, status: 'lookup-failed', hosts: [], error: 'ESERVFAIL', ms: 1 }));
    all.push(...mxFindings(where, { domain, status: 'ok', hosts: [{ exchange: `mx1.${domain}`, priority: 10, addresses: [], isCname: true, isIpLiteral: false, error: 'ECONNREFUSED' }, { exchange: '2001:db8:ffff:ffff:ffff:ffff:ffff:fffe', priority: 20, addresses: [], isCname: false, isIpLiteral: true }], ms: 1 }));
    all.push(...ptrFindings(where, { address: '203.0.113.10', status: 'mismatch', names: [`host-203-0-113-10.${domain}`], forwardConfirmed: true, expectedName: host, ms: 1 }));
    all.push(...ptrFindings(where, { address: '203.0.113.10', status: 'not-confirmed', names: [`host-203-0-113-10.${domain}`], forwardConfirmed: false, ms: 1 }));
    all.push(...ptrFindings(where, { address: '203.0.113.10', status: 'no-ptr', names: [], forwardConfirmed: false, expectedName: host, ms: 1 }));
    all.push(...ptrFindings(where, { address: host, status: 'lookup-failed', names: [], forwardConfirmed: false, error: 'ECONNREFUSED', ms: 1 }));

    // Past the probe: the TLS scan, the relay test, the MX hosts' port 25.
    const versions = (accepted: string[]): TlsScanResult['versions'] =>
      (['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const).map((version) => ({ version, accepted: accepted.includes(version), ...(accepted.includes(version) ? { suite: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA' } : {}) }));
    const weak = (families: string[]): TlsScanResult['weakCiphers'] =>
      (['anonymous', 'export', 'rc4', '3des', 'null'] as const).map((family) => ({ family, accepted: families.includes(family), ...(families.includes(family) ? { suite: 'TLS_ECDH_anon_WITH_AES_256_CBC_SHA' } : {}) }));
    const scan = (accepted: string[], families: string[]): TlsScanResult => ({ host, port: 587, mode: 'starttls', versions: versions(accepted), weakCiphers: weak(families), ms: 1 });
    const fix = { versions: 'set smtpd_tls_protocols = >=TLSv1.2', ciphers: () => 'set smtpd_tls_exclude_ciphers = aNULL, 3DES' };
    all.push(...tlsScanFindings(where, scan(['TLSv1', 'TLSv1.1'], []), { role: 'submission', owned: false }));
    all.push(...tlsScanFindings(where, scan(['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'], ['anonymous', '3des']), { role: 'submission', owned: true, fix }));
    const attempt = { kind: 'direct' as const, from: 'relay-test@example.org', to: 'relay-test@example.com', mail: '250 2.1.0 Ok', rcpt: '250 2.1.5 Ok', accepted: true };
    const relay = { host, port: 25, address: '203.0.113.10', localAddress: '198.51.100.7', tls: true, verdict: 'open' as const, attempts: [attempt], ms: 1 };
    all.push(...relayFindings(where, relay, undefined));
    all.push(...relayFindings(where, { ...relay, verdict: 'routed-accepted', attempts: [{ ...attempt, kind: 'routed', to: '"relay-test@example.com"@[203.0.113.10]' }] }, undefined));
  }
  return all;
}

describe('live finding messages are one short sentence', () => {
  const all = collect(ORDINARY_HOST);
  const long = collect(LONG_HOST);
  const base: SmtpProbeResult = { host: ORDINARY_HOST, port: 587, address: '203.0.113.10', status: 'open', timings: { total: 12 } };

  it('MX hosts: unreachable, and port 25 blocked here, said once', async () => {
    const domain = 'mail-provider.example.com';
    const mxHosts = (status: 'refused' | 'timeout', verdict?: 'network-blocks-25') =>
      new MxHostChecks({
        probe: async (h, port) => ({ ...base, host: h, port, status, detail: `connect ${status === 'refused' ? 'ECONNREFUSED' : 'ETIMEDOUT'} 203.0.113.10:25` }),
        servers: { examine: async () => ({}) } as unknown as ServerChecks,
        relayScope: 'off',
        ownServer: () => undefined,
        reportedAsEndpoint: () => false,
        diagnoseTimeout: async (h) => ({ host: h, verdict: verdict ?? 'inconclusive', summary: 'Port 25 timed out on this host and on every reference host.', recommendation: 'Relay through 587.', evidence: [] }),
      });
    for (const [status, verdict] of [['refused'], ['timeout', 'network-blocks-25']] as const) {
      const checks = mxHosts(status, verdict);
      checks.add({ domain, locations: [where] }, { domain, status: 'ok', hosts: [1, 2].map((n) => ({ exchange: `mx${n}.${domain}`, priority: 10 * n, addresses: ['203.0.113.10'], isCname: false, isIpLiteral: false })), ms: 1 });
      const found = await checks.findings([]);
      assert.deepStrictEqual(found.map((f) => f.ruleId), status === 'refused' ? ['smtp/port-refused', 'smtp/port-refused'] : ['smtp/outbound-25-blocked']);
      all.push(...found);
    }
  });

  it("MX hosts: the reverse DNS of an answering MX against the name it greets with, once per host, as information", async () => {
    const domain = 'mail-provider.example.com';
    const asked: string[] = [];
    for (const status of ['mismatch', 'no-ptr', 'not-confirmed', 'ok'] as const) {
      const checks = new MxHostChecks({
        probe: async (h, port) => ({ ...base, host: h, port, banner: `${h} ESMTP Postfix`, extensions: {} }),
        servers: { examine: async () => ({}) } as unknown as ServerChecks,
        relayScope: 'off',
        ownServer: () => undefined,
        reportedAsEndpoint: () => false,
        diagnoseTimeout: async () => assert.fail('no timeout here'),
        checkPtr: async (address, expectedName) => {
          asked.push(`${address} ${expectedName}`);
          return { address, status, names: status === 'no-ptr' ? [] : [`host-203-0-113-10.isp-network.example.net`], forwardConfirmed: status !== 'not-confirmed', expectedName, ms: 1 };
        },
      });
      checks.add({ domain, locations: [where] }, { domain, status: 'ok', hosts: [{ exchange: `mx1.${domain}`, priority: 10, addresses: ['203.0.113.10'], isCname: false, isIpLiteral: false }], ms: 1 });
      const found = (await checks.findings([])).filter((f) => f.ruleId.startsWith('dns/'));
      assert.deepStrictEqual(found.map((f) => [f.ruleId, f.severity]), status === 'ok' ? [] : [[status === 'mismatch' ? 'dns/ptr-mismatch' : status === 'no-ptr' ? 'dns/no-ptr' : 'dns/ptr-not-confirmed', 'information']]);
      all.push(...found);
    }
    assert.deepStrictEqual(new Set(asked), new Set([`203.0.113.10 mx1.${domain}`]), 'the address it answered on, against its greeting name');
  });

  it('the name a server greets with: the first word of its banner, when it is a host name', () => {
    assert.strictEqual(greetingName('mx1.example.com ESMTP Postfix (Debian/GNU)'), 'mx1.example.com');
    assert.strictEqual(greetingName('220 mx1.example.com. ESMTP\nsecond line'), 'mx1.example.com');
    assert.strictEqual(greetingName('ESMTP ready'), undefined);
    assert.strictEqual(greetingName('192.0.2.1 ESMTP'), undefined);
    assert.strictEqual(greetingName(undefined), undefined);
  });

  it('every rule has a case here', () => {
    const ids = new Set(all.map((f) => f.ruleId));
    for (const id of ['smtp/port-refused', 'smtp/port-timeout', 'smtp/no-greeting', 'smtp/bad-greeting', 'smtp/tls-mode-mismatch', 'smtp/starttls-missing', 'smtp/starttls-failed', 'smtp/auth-before-tls', 'smtp/cert-expired', 'smtp/cert-expiring', 'smtp/cert-hostname-mismatch', 'smtp/cert-untrusted', 'smtp/tls-weak-version', 'smtp/outbound-25-blocked', 'dns/no-mx', 'dns/null-mx', 'dns/mx-cname', 'dns/mx-unresolvable', 'dns/mx-ip-literal', 'dns/no-ptr', 'dns/ptr-not-confirmed', 'dns/ptr-mismatch', 'dns/lookup-failed', 'smtp/tls-weak-cipher', 'smtp/open-relay']) {
      assert.ok(ids.has(id), id);
    }
  });

  it('at most 140 characters with a 30-character host name, one sentence, and the long story in the details', () => {
    for (const f of all) {
      assert.ok(f.message.length <= 140, `${f.ruleId} (${f.message.length}): ${f.message}`);
      assert.ok(!/\n/.test(f.message), f.ruleId);
      assert.ok(/\.$/.test(f.message) && !/[.!?]\s+[A-Z]/.test(f.message), `${f.ruleId}: one sentence: ${f.message}`);
    }
    assert.ok(all.filter((f) => f.details).length >= all.length - 2, 'nearly every finding has more to say in its details');
  });

  it('at most 160 characters with a 199-character host name, still one sentence', () => {
    assert.strictEqual(long.length, collect(ORDINARY_HOST).length);
    for (const f of long) {
      assert.ok(f.message.length <= 160, `${f.ruleId} (${f.message.length}): ${f.message}`);
      assert.ok(/\.$/.test(f.message) && !/[.!?]\s+[A-Z]/.test(f.message), `${f.ruleId}: one sentence: ${f.message}`);
    }
  });
});
