import * as assert from 'assert';
import { mxFindings, probeFindings, ptrFindings } from '../../../src/core/net/liveFindings';
import type { SmtpProbeResult } from '../../../src/core/net/probeTypes';

const where = { file: 'main.cf', range: { start: { line: 4, character: 12 }, end: { line: 4, character: 30 } } };
const base: SmtpProbeResult = { host: 'mail.example.test', port: 587, address: '127.0.0.1', status: 'open', timings: { total: 12 } };
const ids = (fs: { ruleId: string }[]) => fs.map((f) => f.ruleId);

describe('live findings', () => {
  it('map each failed connection to its finding on the config line', () => {
    const cases: [SmtpProbeResult['status'], string][] = [
      ['refused', 'smtp/port-refused'],
      ['timeout', 'smtp/port-timeout'],
      ['no-greeting', 'smtp/no-greeting'],
      ['bad-greeting', 'smtp/bad-greeting'],
      ['dns-failure', 'dns/lookup-failed'],
    ];
    for (const [status, id] of cases) {
      const [f] = probeFindings(where, { ...base, status, banner: '554 go away' });
      assert.strictEqual(f.ruleId, id, status);
      assert.deepStrictEqual(f.range, where.range);
      assert.strictEqual(f.file, 'main.cf');
    }
    assert.match(probeFindings(where, { ...base, status: 'bad-greeting', banner: '554 go away' })[0].message, /"554 go away"/);
  });

  it('say nothing for a healthy server with STARTTLS and a good certificate', () => {
    const healthy: SmtpProbeResult = {
      ...base,
      extensions: { STARTTLS: '', PIPELINING: '' },
      tls: {
        mode: 'starttls',
        version: 'TLSv1.3',
        cipher: 'TLS_AES_256_GCM_SHA384',
        certificate: { subject: 'mail.example.test', subjectAltNames: ['mail.example.test'], issuer: 'Test CA', validFrom: '2026-01-01T00:00:00Z', validTo: '2027-01-01T00:00:00Z', daysLeft: 40, fingerprint256: 'AA', trusted: true, hostnameMatches: true },
      },
    };
    assert.deepStrictEqual(probeFindings(where, healthy), []);
  });

  it('report certificate, TLS version and AUTH-before-TLS problems together', () => {
    const r: SmtpProbeResult = {
      ...base,
      extensions: { STARTTLS: '', AUTH: 'PLAIN LOGIN' },
      tls: {
        mode: 'starttls',
        version: 'TLSv1.1',
        certificate: { subject: 'other.test', subjectAltNames: ['other.test'], issuer: 'self', validFrom: '2026-01-01T00:00:00Z', validTo: '2026-12-01T00:00:00Z', daysLeft: 9, fingerprint256: 'BB', trusted: false, trustError: 'DEPTH_ZERO_SELF_SIGNED_CERT', hostnameMatches: false },
      },
    };
    assert.deepStrictEqual(ids(probeFindings(where, r)), ['smtp/auth-before-tls', 'smtp/tls-weak-version', 'smtp/cert-expiring', 'smtp/cert-hostname-mismatch', 'smtp/cert-untrusted']);
    const expired = { ...r, tls: { ...r.tls!, version: 'TLSv1.3', certificate: { ...r.tls!.certificate!, daysLeft: -3, hostnameMatches: true } } };
    assert.deepStrictEqual(ids(probeFindings(where, expired)), ['smtp/auth-before-tls', 'smtp/cert-expired']);
  });

  it('make a missing STARTTLS an error where the configuration requires TLS', () => {
    const plain: SmtpProbeResult = { ...base, extensions: { PIPELINING: '' } };
    assert.strictEqual(probeFindings(where, plain)[0].severity, 'warning');
    assert.strictEqual(probeFindings(where, plain, 'starttls-required')[0].severity, 'error');
  });

  it('map MX and PTR results', () => {
    assert.deepStrictEqual(ids(mxFindings(where, { domain: 'x.test', status: 'null-mx', hosts: [], ms: 1 })), ['dns/null-mx']);
    assert.deepStrictEqual(ids(mxFindings(where, { domain: 'x.test', status: 'no-mx', hosts: [], fallbackAddresses: ['127.0.0.9'], ms: 1 })), ['dns/no-mx']);
    const hosts = [
      { exchange: '127.0.0.5', priority: 5, addresses: ['127.0.0.5'], isCname: false, isIpLiteral: true },
      { exchange: 'alias.x.test', priority: 10, addresses: ['127.0.0.6'], isCname: true, isIpLiteral: false },
      { exchange: 'gone.x.test', priority: 20, addresses: [], isCname: false, isIpLiteral: false, error: 'ENOTFOUND' },
    ];
    assert.deepStrictEqual(ids(mxFindings(where, { domain: 'x.test', status: 'ok', hosts, ms: 1 })), ['dns/mx-ip-literal', 'dns/mx-cname', 'dns/mx-unresolvable']);
    assert.deepStrictEqual(ids(ptrFindings(where, { address: '127.0.0.7', status: 'mismatch', names: ['a.test'], forwardConfirmed: true, expectedName: 'mail.test', ms: 1 })), ['dns/ptr-mismatch']);
    assert.deepStrictEqual(ptrFindings(where, { address: '127.0.0.7', status: 'ok', names: ['mail.test'], forwardConfirmed: true, ms: 1 }), []);
  });
});
