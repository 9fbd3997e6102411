import * as assert from 'assert';
import { certificateSeverity, mxFindings, probeFindings, ptrFindings, serverTlsMode } from '../../../src/core/live/liveFindings';
import { LIVE_RULES } from '../../../src/core/live/liveRules';
import type { CertificateFacts, SmtpProbeResult } from '../../../src/core/live/probeTypes';

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

  describe('smtp/tls-mode-mismatch', () => {
    const app = 'src/mailer.js';
    const transport = { file: app, range: { start: { line: 2, character: 0 }, end: { line: 6, character: 3 } } };
    const secureLine = { file: app, range: { start: { line: 4, character: 2 }, end: { line: 4, character: 14 } } };
    /** Implicit TLS met a plain 220 (what the probe reports for secure: true against 587). */
    const plainDuringTls: SmtpProbeResult = {
      ...base,
      status: 'no-greeting',
      plainGreetingDuringTls: true,
      banner: 'mail.example.test ESMTP Postfix',
      tls: { mode: 'implicit', error: 'the server sent a plain-text SMTP greeting ("220 mail.example.test ESMTP Postfix") instead of a TLS ServerHello' },
      detail: 'TLS handshake failed: the server sent a plain-text SMTP greeting ("220 mail.example.test ESMTP Postfix") instead of a TLS ServerHello',
    };
    /** Plain text met silence, then a TLS answer to a ClientHello (secure: false against 465). */
    const tlsAfterSilence: SmtpProbeResult = { ...base, port: 465, status: 'no-greeting', tlsRecordSeen: true, detail: 'no greeting within 5000 ms', timings: { greeting: 5000, tls: 2, total: 5003 } };

    it('nodemailer secure: true against a plain port: one error on the transport, naming secure: false and its line', () => {
      const fs = probeFindings(transport, plainDuringTls, 'implicit-tls', { role: 'submission', tlsMode: { kind: 'nodemailer', at: secureLine } });
      assert.deepStrictEqual(ids(fs), ['smtp/tls-mode-mismatch'], 'replaces no-greeting');
      const [f] = fs;
      assert.strictEqual(f.severity, 'error');
      assert.deepStrictEqual([f.file, f.range], [app, secureLine.range], 'on the secure option that chose the mode');
      assert.strictEqual(f.message, 'mail.example.test:587 speaks plain SMTP but secure: true starts TLS at connect; set secure: false or use port 465.');
      assert.match(f.details!, /speaks plain SMTP: it answered our TLS ClientHello with a plain-text greeting \("mail\.example\.test ESMTP Postfix"\)/);
      assert.match(f.details!, /"wrong version number"/);
      assert.deepStrictEqual(f.related, [{ file: app, range: transport.range, message: 'the server mail.example.test:587 is named here' }]);
    });

    it('nodemailer secure: false against an implicit-TLS port: names secure: true; a default or an env variable is said so', () => {
      const [f] = probeFindings(transport, tlsAfterSilence, 'starttls-opportunistic', { tlsMode: { kind: 'nodemailer', at: secureLine } });
      assert.strictEqual(f.ruleId, 'smtp/tls-mode-mismatch');
      assert.match(f.details!, /speaks TLS from the first byte \(implicit TLS\): it sent no greeting, and answered the TLS ClientHello we sent then with a TLS record/);
      assert.match(f.message, /speaks implicit TLS but secure: false waits for a plain greeting; set secure: true or use port 587\.$/);
      assert.match(f.details!, /"Greeting never received"/);

      // No secure option written: the finding sits on the port (else on the host), and says what nodemailer does by itself.
      const portAt = { file: app, range: { start: { line: 3, character: 8 }, end: { line: 3, character: 11 } } };
      const unset = probeFindings(transport, { ...plainDuringTls, port: 465 }, 'implicit-tls', { tlsMode: { kind: 'nodemailer' }, portAt })[0];
      assert.match(unset.message, /speaks plain SMTP but nodemailer starts TLS at connect on port 465; set secure: false\.$/);
      assert.deepStrictEqual(unset.range, portAt.range);
      assert.deepStrictEqual(unset.related?.map((r) => r.range), [transport.range]);

      const env = { file: '.env', range: { start: { line: 3, character: 0 }, end: { line: 3, character: 16 } } };
      const fromEnv = probeFindings(transport, tlsAfterSilence, 'starttls-opportunistic', { tlsMode: { kind: 'nodemailer', at: env, variable: 'SMTP_SECURE' } })[0];
      assert.match(fromEnv.message, /speaks implicit TLS but SMTP_SECURE makes secure false; set SMTP_SECURE=true or use port 587\.$/);
      assert.strictEqual(fromEnv.file, '.env', 'on the .env line that sets it');
      assert.deepStrictEqual(fromEnv.related?.map((r) => r.file), [app]);

      const url = probeFindings(transport, plainDuringTls, 'implicit-tls', { tlsMode: { kind: 'nodemailer', at: transport, viaUrl: true } })[0];
      assert.match(url.message, /the URL's smtps:\/\/ starts TLS at connect; use smtp:\/\/ or port 465\.$/);
    });

    it('Postfix relayhost: names smtp_tls_wrappermode (and the security level it needs)', () => {
      const main = 'main.cf';
      const relay = { file: main, range: { start: { line: 4, character: 12 }, end: { line: 4, character: 40 } } };
      const wrapper = { file: main, range: { start: { line: 9, character: 23 }, end: { line: 9, character: 26 } } };
      const yes = probeFindings(relay, plainDuringTls, 'implicit-tls', { tlsMode: { kind: 'postfix-client', at: wrapper } })[0];
      assert.match(yes.message, /speaks plain SMTP but smtp_tls_wrappermode = yes; set it to no \(STARTTLS\) or relay to port 465\./);
      assert.deepStrictEqual(yes.range, wrapper.range, 'on the wrappermode value');
      assert.match(yes.details!, /"wrong version number"/);
      const no = probeFindings(relay, tlsAfterSilence, 'starttls-required', { tlsMode: { kind: 'postfix-client' } })[0];
      assert.match(no.message, /speaks implicit TLS; set smtp_tls_wrappermode = yes with smtp_tls_security_level = encrypt\./);
      assert.deepStrictEqual(no.range, relay.range, 'no wrappermode line: on the relayhost');
    });

    it('the Postfix server\'s own port 465 speaking plain SMTP: names smtpd_tls_wrappermode in master.cf', () => {
      const service = { file: 'master.cf', range: { start: { line: 17, character: 0 }, end: { line: 17, character: 5 } } };
      const [f] = probeFindings(where, { ...plainDuringTls, port: 465 }, undefined, { role: 'submission', tlsMode: { kind: 'postfix-server', at: service } });
      assert.strictEqual(f.ruleId, 'smtp/tls-mode-mismatch');
      assert.strictEqual(f.message, 'Port 465 speaks plain SMTP but its clients start TLS at connect; add -o smtpd_tls_wrappermode=yes (line 18).');
      assert.strictEqual(f.file, 'master.cf', 'on the service in master.cf');
      assert.match(f.details!, /RFC 8314/);
      // A host checked by hand, no setting known: the port's convention, and both clients' options in the details.
      const [hand465] = probeFindings(where, { ...plainDuringTls, port: 465 }, undefined);
      assert.match(hand465.message, /speaks plain SMTP, not TLS at connect; use STARTTLS on this port or TLS on port 465\./);
      assert.match(hand465.details!, /nodemailer secure: false; Postfix smtp_tls_wrappermode = no/);
      const [hand2525] = probeFindings(where, { ...tlsAfterSilence, port: 2525 }, undefined);
      assert.match(hand2525.message, /speaks implicit TLS, not a plain greeting/);
      assert.match(hand2525.details!, /nodemailer secure: true; Postfix smtp_tls_wrappermode = yes/);
    });

    it('judges each line against what the server speaks, whatever mode the shared probe used', () => {
      const implicitOpen: SmtpProbeResult = { ...base, port: 465, extensions: { AUTH: 'PLAIN' }, tls: { mode: 'implicit', version: 'TLSv1.3' } };
      assert.strictEqual(serverTlsMode(implicitOpen), 'implicit');
      assert.deepStrictEqual(ids(probeFindings(where, implicitOpen, 'implicit-tls')), []);
      assert.deepStrictEqual(ids(probeFindings(where, implicitOpen, 'starttls-opportunistic')), ['smtp/tls-mode-mismatch']);
      const plainOpen: SmtpProbeResult = { ...base, banner: 'mail.example.test ESMTP', extensions: { STARTTLS: '' } };
      assert.match(probeFindings(where, plainOpen, 'implicit-tls')[0].details!, /greets in plain text \("mail\.example\.test ESMTP"\) and offers STARTTLS/);
      // The evidence agrees with this line's mode: the probe ran in another line's mode, nothing is wrong here.
      assert.deepStrictEqual(probeFindings(where, plainDuringTls, 'starttls-required'), []);
      assert.deepStrictEqual(probeFindings(where, tlsAfterSilence, 'implicit-tls'), []);
      // Without evidence a silent port stays smtp/no-greeting.
      assert.deepStrictEqual(ids(probeFindings(where, { ...base, status: 'no-greeting', detail: 'no greeting within 5000 ms' }, 'starttls-required')), ['smtp/no-greeting']);
      assert.strictEqual(serverTlsMode({ ...base, status: 'no-greeting' }), undefined);
    });
  });

  describe('certificate severities follow the port\'s role', () => {
    const cert = (c: Partial<CertificateFacts>): SmtpProbeResult => ({
      ...base,
      extensions: { STARTTLS: '' },
      tls: {
        mode: 'starttls',
        version: 'TLSv1.3',
        certificate: { subject: 'mail.example.test', subjectAltNames: ['mail.example.test'], issuer: 'CN=Private CA', validFrom: '2026-01-01T00:00:00Z', validTo: '2027-01-01T00:00:00Z', daysLeft: 40, fingerprint256: 'AA', trusted: true, hostnameMatches: true, ...c },
      },
    });
    const bad = [cert({ trusted: false, trustError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), cert({ daysLeft: -2, trusted: false, trustError: 'CERT_HAS_EXPIRED' }), cert({ hostnameMatches: false, subjectAltNames: ['other.test'] })];

    it('submission (465/587, authenticated, an application\'s server): untrusted, expired, misnamed are errors; expiring stays a warning', () => {
      for (const r of bad) {
        const fs = probeFindings(where, r, 'starttls-required', { role: 'submission' });
        assert.strictEqual(fs.length, 1, JSON.stringify(fs));
        assert.strictEqual(fs[0].severity, 'error', fs[0].ruleId);
        // The port alone decides it when no role is given: 587 is submission.
        assert.strictEqual(probeFindings(where, r)[0].severity, 'error', `${fs[0].ruleId} on 587`);
      }
      assert.strictEqual(probeFindings(where, cert({ daysLeft: 9 }), undefined, { role: 'submission' })[0].severity, 'warning');
    });

    it('an MX\'s port 25: information (an expired certificate: a warning), saying why; a policy (the hook) makes them errors', () => {
      for (const r of [...bad, cert({ daysLeft: 9 })]) {
        const mx = { ...r, port: 25 };
        const [f] = probeFindings(where, mx, undefined, { role: 'mx' });
        const expected = f.ruleId === 'smtp/cert-expired' ? 'warning' : 'information';
        assert.strictEqual(f.severity, expected, f.ruleId);
        assert.match(f.details!, /opportunistic TLS and do not verify certificates.*DANE or MTA-STS.*not checked here/);
        assert.strictEqual(probeFindings(where, mx)[0].severity, expected, `${f.ruleId}: port 25 is an MX's by default`);
        // An MX host's probe looked the policies up: the details say none is in force rather than "not checked".
        const [checked] = probeFindings(where, mx, undefined, { role: 'mx', policyChecked: true });
        assert.match(checked.details!, /opportunistic TLS here \(no MTA-STS policy in enforce mode\) and deliver anyway\.$/);
      }
      assert.strictEqual(probeFindings(where, { ...bad[0], port: 25 }, undefined, { role: 'mx', certificatePolicy: 'dane' })[0].severity, 'error');
      assert.strictEqual(certificateSeverity(LIVE_RULES.certExpiring, 'mx', 'mta-sts'), 'warning');
    });

    it('other roles keep the rules\' defaults', () => {
      const other = bad.map((r) => probeFindings(where, { ...r, port: 2525 })[0]);
      assert.deepStrictEqual(other.map((f) => [f.ruleId, f.severity]), [
        ['smtp/cert-untrusted', 'warning'],
        ['smtp/cert-expired', 'error'],
        ['smtp/cert-hostname-mismatch', 'warning'],
      ]);
    });

    it('STARTTLS and the certificate are judged apart: an offered, working STARTTLS with a bad certificate has only the certificate finding', () => {
      assert.deepStrictEqual(ids(probeFindings(where, bad[0], 'starttls-required', { role: 'submission' })), ['smtp/cert-untrusted']);
      const failed: SmtpProbeResult = { ...base, extensions: { STARTTLS: '' }, tls: { mode: 'starttls', error: 'ECONNRESET' } };
      assert.deepStrictEqual(ids(probeFindings(where, failed, 'starttls-required')), ['smtp/starttls-failed'], 'no certificate verdict without a certificate');
    });
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

  it('makes a forward-confirmed PTR that differs from the HELO name information, as Postfix does not compare them', () => {
    const [f] = ptrFindings(where, { address: '127.0.0.7', status: 'mismatch', names: ['a.test'], forwardConfirmed: true, expectedName: 'mail.test', ms: 1 });
    assert.strictEqual(f.severity, 'information');
    assert.strictEqual(f.message, 'The PTR of 127.0.0.7 is not the HELO name mail.test; most receivers accept that, as the PTR resolves back.');
    assert.ok(f.message.length <= 120, f.message);
    // Who does compare them, and the PTR found, are in the details.
    assert.match(f.details!, /Its PTR is a\.test.*Postfix, Gmail and Microsoft.*Exim's "verify = helo"/);
  });
});
