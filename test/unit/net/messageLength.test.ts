// Live findings say one sentence (the problem and the fix) in at most 120 characters for ordinary host
// names; the evidence and the runtime errors go to the details.
import * as assert from 'assert';
import type { Finding } from '../../../src/core/model';
import { mxFindings, outbound25Findings, probeFindings, ptrFindings } from '../../../src/core/net/liveFindings';
import type { SmtpProbeResult } from '../../../src/core/net/probeTypes';

const where = { file: 'mailer.js', range: { start: { line: 3, character: 10 }, end: { line: 3, character: 28 } } };
const host = 'smtp.mail-provider.example.com';
const base: SmtpProbeResult = { host, port: 587, address: '203.0.113.10', status: 'open', timings: { total: 12 } };
const cert = { subject: 'CN=other.example.net', subjectAltNames: ['other.example.net', 'www.other.example.net'], issuer: 'CN=Private CA', validFrom: '2026-01-01T00:00:00Z', validTo: '2026-03-01T00:00:00Z', fingerprint256: 'AA', raw: undefined };

describe('live finding messages are one short sentence', () => {
  const all: Finding[] = [];
  before(() => {
    for (const status of ['refused', 'timeout', 'unreachable', 'dns-failure', 'no-greeting', 'bad-greeting'] as const) all.push(...probeFindings(where, { ...base, status, banner: '554 5.7.1 You are not welcome here, go away and never come back', detail: 'ECONNREFUSED 203.0.113.10:587' }));
    all.push(...probeFindings(where, { ...base, extensions: { PIPELINING: '' } }, 'starttls-required'));
    all.push(...probeFindings(where, { ...base, extensions: { STARTTLS: '', AUTH: 'PLAIN LOGIN' }, tls: { mode: 'starttls', version: 'TLSv1', certificate: { ...cert, daysLeft: 5, trusted: false, trustError: 'DEPTH_ZERO_SELF_SIGNED_CERT', hostnameMatches: false } } }));
    all.push(...probeFindings(where, { ...base, extensions: { STARTTLS: '' }, tls: { mode: 'starttls', certificate: { ...cert, daysLeft: -5, trusted: true, hostnameMatches: true } } }));
    all.push(...probeFindings(where, { ...base, extensions: { STARTTLS: '' }, tls: { mode: 'starttls', error: 'write EPROTO 140737:error:0A00010B:SSL routines:ssl3_get_record:wrong version number' } }));
    all.push(...probeFindings(where, { ...base, status: 'no-greeting', plainGreetingDuringTls: true, banner: `${host} ESMTP Postfix (Debian/GNU)` }, 'implicit-tls', { tlsMode: { kind: 'nodemailer', at: where, variable: 'SMTP_SECURE' } }));
    all.push(...probeFindings(where, { ...base, port: 465, status: 'no-greeting', tlsRecordSeen: true }, 'starttls-opportunistic', { tlsMode: { kind: 'postfix-client' } }));
    all.push(...probeFindings(where, { ...base, port: 465, status: 'no-greeting', plainGreetingDuringTls: true }, undefined, { tlsMode: { kind: 'postfix-server', at: where } }));
    all.push(...outbound25Findings(where, { host, verdict: 'network-blocks-25', summary: 'Port 25 timed out on every host tried.', recommendation: 'Relay through 587.', evidence: [] }));
    const domain = 'mail-provider.example.com';
    all.push(...mxFindings(where, { domain, status: 'null-mx', hosts: [], ms: 1 }));
    all.push(...mxFindings(where, { domain, status: 'no-mx', hosts: [], fallbackAddresses: ['203.0.113.10'], ms: 1 }));
    all.push(...mxFindings(where, { domain, status: 'lookup-failed', hosts: [], error: 'ESERVFAIL', ms: 1 }));
    all.push(...mxFindings(where, { domain, status: 'ok', hosts: [{ exchange: `mx1.${domain}`, priority: 10, addresses: [], isCname: true, isIpLiteral: false, error: 'ENODATA' }], ms: 1 }));
    all.push(...ptrFindings(where, { address: '203.0.113.10', status: 'mismatch', names: [`host-203-0-113-10.${domain}`], forwardConfirmed: true, expectedName: host, ms: 1 }));
    all.push(...ptrFindings(where, { address: '203.0.113.10', status: 'not-confirmed', names: [`host-203-0-113-10.${domain}`], forwardConfirmed: false, ms: 1 }));
    all.push(...ptrFindings(where, { address: '203.0.113.10', status: 'no-ptr', names: [], forwardConfirmed: false, expectedName: host, ms: 1 }));
  });

  it('every rule has a case here', () => {
    const ids = new Set(all.map((f) => f.ruleId));
    for (const id of ['smtp/port-refused', 'smtp/port-timeout', 'smtp/no-greeting', 'smtp/bad-greeting', 'smtp/tls-mode-mismatch', 'smtp/starttls-missing', 'smtp/starttls-failed', 'smtp/auth-before-tls', 'smtp/cert-expired', 'smtp/cert-expiring', 'smtp/cert-hostname-mismatch', 'smtp/cert-untrusted', 'smtp/tls-weak-version', 'smtp/outbound-25-blocked', 'dns/no-mx', 'dns/null-mx', 'dns/mx-cname', 'dns/mx-unresolvable', 'dns/no-ptr', 'dns/ptr-not-confirmed', 'dns/ptr-mismatch', 'dns/lookup-failed']) {
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
});
