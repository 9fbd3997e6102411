// The TLS version and cipher scan against real Postfix instances on loopback — one with the Postfix 3.7 / Debian
// defaults, one that speaks only TLS 1.0 and 1.1 (smtpd_tls_protocols = <=TLSv1.1 with an @SECLEVEL=0 cipher
// list, since Debian's OpenSSL refuses TLS 1.0 signatures otherwise) — compared with nmap's ssl-enum-ciphers on
// the same implicit-TLS ports, and against in-process peers that answer oddly (garbage, silence, a
// HelloRetryRequest). What the scan means for the probe's findings is checked here too: a server speaking
// only TLS 1.0/1.1 gets smtp/tls-weak-version with its versions, not starttls-failed.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as tls from 'tls';
import { probeSmtp } from '../../src/core/live/smtpProbe';
import { probeFindings } from '../../src/core/live/liveFindings';
import { withExtras } from '../../src/core/live/serverChecks';
import { scanTls } from '../../src/core/live/tlsScan';
import { acceptedVersions, tlsScanFindings, type TlsScanResult } from '../../src/core/live/tlsScanFindings';
import { buildClientHello, readHelloAnswer } from '../../src/core/live/tlsHello';
import { dialogue, type Peer, startPeer, starttlsGarbage, starttlsSilent } from './peers/hostileSmtp';
import { hasCommand } from './peers/netns';
import { type PostfixPeer, startPostfix, requirePostfix } from './peers/postfix';
import { createTestCerts, type TestCerts } from './peers/testCerts';
import { OLD_TLS_MAIN } from './peers/worldServers';

const where = { file: 'main.cf', range: { start: { line: 2, character: 0 }, end: { line: 2, character: 10 } } };
const versionsOf = (r: TlsScanResult) => r.versions.map((v) => `${v.version}:${v.accepted}`);
const familiesOf = (r: TlsScanResult) => r.weakCiphers.filter((c) => c.accepted).map((c) => c.family);

/** nmap's ssl-enum-ciphers on one port: the versions it lists and whether any anonymous/RC4/3DES/NULL/export suite is among them. */
function nmapSslEnum(port: number): { versions: string[]; weak: string[] } {
  const r = spawnSync('nmap', ['-Pn', '-n', '-sT', '-p', String(port), '--script', '+ssl-enum-ciphers', '127.0.0.1'], { encoding: 'utf8', timeout: 120_000 });
  const out = r.stdout;
  const versions = [...out.matchAll(/^\|\s+(TLSv1\.[0-3])\s*:/gm)].map((m) => ({ 'TLSv1.0': 'TLSv1', 'TLSv1.1': 'TLSv1.1', 'TLSv1.2': 'TLSv1.2', 'TLSv1.3': 'TLSv1.3' })[m[1]]!);
  const weak = new Set<string>();
  for (const m of out.matchAll(/\b(TLS_\w+)/g)) {
    if (/_anon_/.test(m[1])) weak.add('anonymous');
    if (/_RC4_/.test(m[1])) weak.add('rc4');
    if (/_3DES_/.test(m[1])) weak.add('3des');
    if (/_WITH_NULL_/.test(m[1])) weak.add('null');
    if (/_EXPORT/.test(m[1])) weak.add('export');
  }
  return { versions, weak: [...weak].sort() };
}

describe('TLS version and cipher scan', function () {
  this.timeout(120_000);
  let certs: TestCerts;
  let modern: PostfixPeer;
  let old: PostfixPeer;

  before(async function () {
    requirePostfix(this);
    certs = createTestCerts();
    [modern, old] = await Promise.all([startPostfix({ cert: certs.good }), startPostfix({ cert: certs.good, main: OLD_TLS_MAIN })]);
  });

  after(async () => {
    await Promise.all([modern?.stop(), old?.stop()]);
    certs?.cleanup();
  });

  it('finds the versions and weak families Postfix 3.7 accepts by default: TLS 1.0 to 1.3, and anonymous suites', async () => {
    const r = await scanTls({ host: 'mail.test', port: modern.ports.smtp, implicitTls: false, stepTimeoutMs: 5000, lookup: async () => ['127.0.0.1'] });
    assert.strictEqual(r.error, undefined);
    assert.deepStrictEqual(versionsOf(r), ['TLSv1:true', 'TLSv1.1:true', 'TLSv1.2:true', 'TLSv1.3:true']);
    assert.deepStrictEqual(familiesOf(r), ['anonymous']);
    // Debian's OpenSSL has no RC4, 3DES or export suites: the server refuses those families with an alert.
    for (const c of r.weakCiphers.filter((x) => !x.accepted)) assert.match(c.detail ?? '', /refused \(handshake_failure\)/, c.family);
    assert.strictEqual(r.mode, 'starttls');
  });

  it('finds TLS 1.0 and 1.1 only on the old server, on every port (STARTTLS and implicit TLS)', async () => {
    for (const [port, implicitTls] of [[old.ports.smtp, false], [old.ports.submission, false], [old.ports.smtps, true]] as const) {
      const r = await scanTls({ host: '127.0.0.1', port, implicitTls, stepTimeoutMs: 5000 });
      assert.deepStrictEqual(versionsOf(r), ['TLSv1:true', 'TLSv1.1:true', 'TLSv1.2:false', 'TLSv1.3:false'], `port ${port}`);
      assert.match(r.versions[2].detail!, /answered with TLS 1\.1 instead/);
      assert.deepStrictEqual(familiesOf(r), []);
    }
  });

  it("agrees with nmap's ssl-enum-ciphers on the same implicit-TLS ports", async function () {
    if (!hasCommand('nmap')) {
      console.log('      nmap is not installed: comparison skipped');
      this.skip();
    }
    for (const peer of [modern, old]) {
      const ours = await scanTls({ host: '127.0.0.1', port: peer.ports.smtps, implicitTls: true, stepTimeoutMs: 5000 });
      const theirs = nmapSslEnum(peer.ports.smtps);
      assert.deepStrictEqual(acceptedVersions(ours), theirs.versions, `versions on ${peer.ports.smtps}`);
      assert.deepStrictEqual(familiesOf(ours).sort(), theirs.weak, `weak families on ${peer.ports.smtps}`);
    }
  });

  it('turns the probe of a TLS 1.0/1.1-only server from starttls-failed into tls-weak-version naming its versions', async () => {
    const probe = await probeSmtp({ host: '127.0.0.1', port: old.ports.submission, timeouts: { connect: 3000, greeting: 3000, command: 3000, tls: 3000 } });
    assert.ok(probe.tls?.error, 'Node (TLS 1.2 floor) cannot finish the handshake');
    const before = probeFindings(where, probe, 'starttls-required', { role: 'submission' });
    assert.deepStrictEqual(before.map((f) => f.ruleId), ['smtp/starttls-failed']);
    const scan = await scanTls({ host: '127.0.0.1', port: old.ports.submission, implicitTls: false, stepTimeoutMs: 5000 });
    const after = withExtras(before, tlsScanFindings(where, scan, { role: 'submission', owned: true }), { tlsScan: scan });
    assert.deepStrictEqual(after.map((f) => [f.ruleId, f.severity]), [['smtp/tls-weak-version', 'error']]);
    assert.strictEqual(after[0].message, `127.0.0.1:${old.ports.submission} speaks only TLS 1.0 and TLS 1.1, which clients with a TLS 1.2 floor refuse; enable TLS 1.2 and 1.3.`);
    assert.ok(after[0].message.length <= 125, after[0].message);
  });

  it('on an MX the same server is a warning (senders fall back to plain text), and extras on a server no config runs say nothing', async () => {
    const scan = await scanTls({ host: '127.0.0.1', port: old.ports.smtp, implicitTls: false, stepTimeoutMs: 5000 });
    assert.deepStrictEqual(tlsScanFindings(where, scan, { role: 'mx', owned: false }).map((f) => [f.ruleId, f.severity]), [['smtp/tls-weak-version', 'warning']]);
    const defaults = await scanTls({ host: '127.0.0.1', port: modern.ports.smtp, implicitTls: false, stepTimeoutMs: 5000 });
    assert.deepStrictEqual(tlsScanFindings(where, defaults, { role: 'submission', owned: false }), []);
    assert.deepStrictEqual(
      tlsScanFindings(where, defaults, { role: 'submission', owned: true }).map((f) => [f.ruleId, f.severity]),
      [['smtp/tls-weak-version', 'warning'], ['smtp/tls-weak-cipher', 'warning']],
    );
    // Anonymous suites on an MX cost nothing (opportunistic senders authenticate nobody): information.
    assert.deepStrictEqual(
      tlsScanFindings(where, defaults, { role: 'mx', owned: true }).map((f) => [f.ruleId, f.severity]),
      [['smtp/tls-weak-version', 'warning'], ['smtp/tls-weak-cipher', 'information']],
    );
  });

  describe('odd answers', () => {
    const peers: Peer[] = [];
    after(async () => Promise.all(peers.splice(0).map((p) => p.close())));
    const start = async (...args: Parameters<typeof startPeer>) => {
      const p = await startPeer(...args);
      peers.push(p);
      return p;
    };

    it('gives no verdict (not "refused") when the server answers the ClientHello with garbage or not at all', async () => {
      const garbage = await start(starttlsGarbage);
      const g = await scanTls({ host: '127.0.0.1', port: garbage.port, implicitTls: false, stepTimeoutMs: 1000, parallel: 9 });
      assert.ok(g.versions.every((v) => v.accepted === undefined && /not a TLS answer/.test(v.detail!)), JSON.stringify(g.versions));
      assert.match(g.error!, /not a TLS answer/);
      const silentPeer = await start(starttlsSilent);
      const started = Date.now();
      const s = await scanTls({ host: '127.0.0.1', port: silentPeer.port, implicitTls: false, stepTimeoutMs: 500, parallel: 9 });
      assert.ok(s.versions.every((v) => v.accepted === undefined && v.detail === 'no answer in time'));
      assert.ok(Date.now() - started < 3000, 'nine questions at once, each bounded by the step timeout');
      assert.deepStrictEqual(tlsScanFindings(where, s, { role: 'submission', owned: true }), []);
    });

    it('says why it could not scan a server that does not offer STARTTLS', async () => {
      const plain = await start(dialogue());
      const r = await scanTls({ host: '127.0.0.1', port: plain.port, implicitTls: false, stepTimeoutMs: 1000 });
      assert.strictEqual(r.error, 'the server does not offer STARTTLS');
    });

    it('counts a HelloRetryRequest as TLS 1.3 spoken (the server only wants another key share)', async () => {
      const p384 = await start(() => undefined, { key: certs.good.key, cert: certs.good.cert, ecdhCurve: 'secp384r1', minVersion: 'TLSv1.3' } as tls.TlsOptions);
      const r = await scanTls({ host: '127.0.0.1', port: p384.port, implicitTls: true, stepTimeoutMs: 2000 });
      assert.deepStrictEqual(versionsOf(r), ['TLSv1:false', 'TLSv1.1:false', 'TLSv1.2:false', 'TLSv1.3:true']);
    });

    it('reads a ServerHello split over two records, and an alert, from raw bytes', () => {
      const hello = buildClientHello({ version: 'TLSv1.2', serverName: 'mail.test' });
      assert.strictEqual(hello[0], 0x16);
      assert.strictEqual(hello.readUInt16BE(3), hello.length - 5);
      assert.ok(hello.includes(Buffer.from('mail.test')));
      assert.ok(!buildClientHello({ version: 'TLSv1.2', serverName: '127.0.0.1' }).includes(Buffer.from('127.0.0.1')), 'no SNI for an address');
      const body = Buffer.concat([Buffer.from([0x03, 0x03]), Buffer.alloc(32, 7), Buffer.from([0]), Buffer.from([0xc0, 0x2f, 0])]);
      const message = Buffer.concat([Buffer.from([2, 0, 0, body.length]), body]);
      const record = (part: Buffer) => Buffer.concat([Buffer.from([0x16, 3, 3, 0, part.length]), part]);
      const split = Buffer.concat([record(message.subarray(0, 10)), record(message.subarray(10))]);
      assert.deepStrictEqual(readHelloAnswer(split), { kind: 'server-hello', version: 0x0303, suite: 0xc02f, retry: false });
      assert.deepStrictEqual(readHelloAnswer(split.subarray(0, 20)), { kind: 'incomplete' });
      assert.deepStrictEqual(readHelloAnswer(Buffer.from([0x15, 3, 1, 0, 2, 2, 70])), { kind: 'alert', level: 2, description: 70 });
      assert.strictEqual(readHelloAnswer(Buffer.from('220 hello\r\n')).kind, 'not-tls');
    });
  });
});
