// TLS mode mix-ups and certificate roles, against a real Postfix (smtp, submission, smtps with
// smtpd_tls_wrappermode) and in-process peers. The probe records the evidence (plainGreetingDuringTls,
// tlsRecordSeen); runLiveChecks turns it into smtp/tls-mode-mismatch on the config line, naming the option.
// All traffic stays on 127.0.0.1: every host below is the literal 127.0.0.1 (no DNS at all).

import * as assert from 'assert';
import * as net from 'net';
import { performance } from 'perf_hooks';
import { checkFiles } from '../../src/core/check';
import type { Finding } from '../../src/core/model';
import { runLiveChecks } from '../../src/core/live/liveChecks';
import { type LiveTargets, collectLiveTargets } from '../../src/core/live/liveTargets';
import type { SmtpProbeOptions, SmtpProbeResult } from '../../src/core/live/probeTypes';
import { probeSmtp } from '../../src/core/live/smtpProbe';
import * as hostile from './peers/hostileSmtp';
import { type PostfixPeer, postfixUnavailableReason, startPostfix } from './peers/postfix';
import { type TestCerts, createTestCerts } from './peers/testCerts';
import { fullText } from '../findingText';

const TIMEOUTS = { connect: 500, greeting: 500, command: 500, tls: 800 };
/** Scheduling slack on a busy 2-core machine. */
const MARGIN = 400;

type Handle = object;
const activeHandles = (): Handle[] => (process as unknown as { _getActiveHandles(): Handle[] })._getActiveHandles();
const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** Probes 127.0.0.1:port and checks that no client socket outlives the probe. */
async function probe(port: number, options: Partial<SmtpProbeOptions> = {}, own?: ReadonlySet<net.Socket>): Promise<{ result: SmtpProbeResult; elapsed: number }> {
  const before = new Set(activeHandles());
  const t = performance.now();
  const result = await probeSmtp({ host: '127.0.0.1', port, timeouts: TIMEOUTS, ...options });
  const elapsed = performance.now() - t;
  await settle();
  const left = activeHandles().filter((h): h is net.Socket => h instanceof net.Socket && !before.has(h) && !own?.has(h));
  assert.deepStrictEqual(left.length, 0, 'the probe left a socket open');
  return { result, elapsed };
}

async function withPeer<T>(peer: hostile.Peer | Promise<hostile.Peer>, fn: (p: hostile.Peer) => Promise<T>): Promise<T> {
  const p = await peer;
  try {
    return await fn(p);
  } finally {
    await p.close();
  }
}

function requirePostfix(ctx: Mocha.Context): void {
  const why = postfixUnavailableReason();
  if (!why) return;
  if (process.env.SMTP_DOCTOR_ALLOW_NO_POSTFIX === '1') ctx.skip();
  throw new Error(`A real Postfix is needed for these tests: ${why}. Set SMTP_DOCTOR_ALLOW_NO_POSTFIX=1 to skip them.`);
}

/** One real Postfix (with a good certificate) for the enclosing describe. */
function withRealPostfix(): { certs: TestCerts; pf: PostfixPeer } {
  const env = {} as { certs: TestCerts; pf: PostfixPeer };
  before(async function () {
    requirePostfix(this);
    env.certs = createTestCerts();
    env.pf = await startPostfix({ cert: env.certs.good });
  });
  after(async () => {
    await env.pf?.stop();
    env.certs?.cleanup();
  });
  return env;
}

describe('TLS mode evidence from the probe', function () {
  this.timeout(30_000);
  const env = withRealPostfix();

  it('Postfix: implicit TLS against the plain smtp port ends at its 220, recorded as plainGreetingDuringTls with the banner', async () => {
    const { result, elapsed } = await probe(env.pf.ports.smtp, { implicitTls: true });
    assert.strictEqual(result.status, 'no-greeting');
    assert.strictEqual(result.plainGreetingDuringTls, true);
    assert.strictEqual(result.tlsRecordSeen, undefined);
    assert.strictEqual(result.banner, env.pf.banner);
    assert.strictEqual(result.tls?.mode, 'implicit');
    assert.strictEqual(result.detail, `TLS handshake failed: the server sent a plain-text SMTP greeting ("220 ${env.pf.banner}") instead of a TLS ServerHello`);
    assert.ok(elapsed < 300, `at once, not at a timeout: ${Math.round(elapsed)} ms`);
    // The submission port greets the same way.
    assert.strictEqual((await probe(env.pf.ports.submission, { implicitTls: true })).result.plainGreetingDuringTls, true);
  });

  it('Postfix: plain text against the smtps (wrappermode) port: silence, then a TLS answer to a ClientHello (tlsRecordSeen), one round trip after the greeting timeout', async () => {
    const { result, elapsed } = await probe(env.pf.ports.smtps, { detectImplicitTls: true });
    assert.strictEqual(result.status, 'no-greeting');
    assert.strictEqual(result.tlsRecordSeen, true);
    assert.strictEqual(result.plainGreetingDuringTls, undefined);
    assert.strictEqual(result.detail, `no greeting within ${TIMEOUTS.greeting} ms; a TLS ClientHello sent then was answered with TLS: the port speaks implicit TLS`);
    assert.ok(result.timings.tls! < 200, `the ClientHello was answered in ${result.timings.tls} ms`);
    assert.ok(elapsed >= TIMEOUTS.greeting - 5 && elapsed < TIMEOUTS.greeting + MARGIN, String(elapsed));
    // Without the option nothing is sent after the silence (the old behaviour).
    assert.strictEqual((await probe(env.pf.ports.smtps)).result.tlsRecordSeen, undefined);
  });

  it('Postfix: the right modes carry no evidence flags, with detection on', async () => {
    const plain = (await probe(env.pf.ports.smtp, { detectImplicitTls: true, ca: env.certs.ca })).result;
    const implicit = (await probe(env.pf.ports.smtps, { implicitTls: true, detectImplicitTls: true, ca: env.certs.ca })).result;
    for (const r of [plain, implicit]) {
      assert.strictEqual(r.status, 'open', r.detail);
      assert.strictEqual(r.plainGreetingDuringTls, undefined);
      assert.strictEqual(r.tlsRecordSeen, undefined);
      assert.strictEqual(r.tls?.certificate?.trusted, true);
    }
  });

  it('peers: a 554 plain greeting and a greeting dripped a byte at a time are both plain SMTP to an implicit-TLS probe', async () => {
    const r554 = await withPeer(hostile.startPeer(hostile.greeting554), (p) => probe(p.port, { implicitTls: true }, p.ownSockets));
    assert.strictEqual(r554.result.plainGreetingDuringTls, true);
    assert.strictEqual(r554.result.banner, '5.3.2 peer.test no SMTP service here');
    const drip = await withPeer(hostile.startPeer(hostile.slowDrip(20)), (p) => probe(p.port, { implicitTls: true }, p.ownSockets));
    assert.strictEqual(drip.result.plainGreetingDuringTls, true, drip.result.detail);
    assert.ok(drip.elapsed < 400, `decided after 4 bytes: ${Math.round(drip.elapsed)} ms`);
  });

  it('peers: an implicit-TLS server answers the ClientHello; silence, a late greeting or non-TLS bytes are not evidence', async () => {
    const tlsPeer = await withPeer(hostile.startImplicitTlsPeer(env.certs.good), (p) => probe(p.port, { detectImplicitTls: true }, p.ownSockets));
    assert.strictEqual(tlsPeer.result.tlsRecordSeen, true);

    const silent = await withPeer(hostile.startPeer(hostile.silent), (p) => probe(p.port, { detectImplicitTls: true }, p.ownSockets));
    assert.strictEqual(silent.result.status, 'no-greeting');
    assert.strictEqual(silent.result.tlsRecordSeen, undefined);
    // The greeting timeout, then the ClientHello's wait (the TLS timeout, at most 2 s).
    assert.ok(silent.elapsed >= TIMEOUTS.greeting + TIMEOUTS.tls - 10 && silent.elapsed < TIMEOUTS.greeting + TIMEOUTS.tls + MARGIN, String(silent.elapsed));

    const late = await withPeer(hostile.startPeer(hostile.lateGreeting(700)), (p) => probe(p.port, { detectImplicitTls: true }, p.ownSockets));
    assert.strictEqual(late.result.status, 'no-greeting');
    assert.strictEqual(late.result.tlsRecordSeen, undefined, 'a 220 after the ClientHello is not TLS');
    assert.ok(late.elapsed < 700 + MARGIN, String(late.elapsed));

    const http = await withPeer(hostile.startPeer(hostile.silentUntilSpokenTo('HTTP/1.1 400 Bad Request\r\n\r\n')), (p) => probe(p.port, { detectImplicitTls: true }, p.ownSockets));
    assert.strictEqual(http.result.tlsRecordSeen, undefined);
    assert.ok(http.elapsed < TIMEOUTS.greeting + MARGIN, String(http.elapsed));

    // Bytes that came during the greeting wait (a partial greeting) mean it is not silence: no ClientHello.
    const partial = await withPeer(hostile.startPeer((s) => s.write('220-still thinking\r\n')), (p) => probe(p.port, { detectImplicitTls: true }, p.ownSockets));
    assert.strictEqual(partial.result.tlsRecordSeen, undefined);
    assert.ok(partial.elapsed < TIMEOUTS.greeting + MARGIN, String(partial.elapsed));
  });

  it('peers: cancelled while waiting for the answer to the ClientHello, leaving no socket', async () => {
    await withPeer(hostile.startPeer(hostile.silent), async (p) => {
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(), TIMEOUTS.greeting + 150);
      try {
        const { result, elapsed } = await probe(p.port, { detectImplicitTls: true, signal: ac.signal }, p.ownSockets);
        assert.strictEqual(result.status, 'cancelled');
        assert.ok(elapsed < TIMEOUTS.greeting + 150 + 150, String(elapsed));
      } finally {
        clearTimeout(timer);
      }
    });
  });
});

describe('smtp/tls-mode-mismatch and certificate roles through runLiveChecks (real Postfix)', function () {
  this.timeout(30_000);
  const env = withRealPostfix();

  const at = (f: Finding) => `${f.ruleId} ${f.file}:${f.range.start.line + 1}`;

  it('names the option to change, on the line that defines each endpoint', async () => {
    const files = {
      '/ws/app/src/a.js': `const nodemailer = require('nodemailer');\nmodule.exports = nodemailer.createTransport({\n  host: '127.0.0.1',\n  port: ${env.pf.ports.smtp},\n  secure: true,\n});\n`,
      '/ws/app/src/b.js': `const nodemailer = require('nodemailer');\nmodule.exports = nodemailer.createTransport({ host: '127.0.0.1', port: ${env.pf.ports.smtps}, secure: false });\n`,
      // The same host:port with the right mode: probed once (in b.js's mode), judged on what the server speaks.
      '/ws/app/src/c.js': `const nodemailer = require('nodemailer');\nmodule.exports = nodemailer.createTransport({ host: '127.0.0.1', port: ${env.pf.ports.smtps}, secure: true });\n`,
      '/ws/postfix/main.cf': `compatibility_level = 3.6\nrelayhost = [127.0.0.1]:${env.pf.ports.submission}\nsmtp_tls_security_level = encrypt\nsmtp_tls_wrappermode = yes\n`,
    };
    const checked = checkFiles(Object.entries(files).map(([file, text]) => ({ file, text })));
    const targets = collectLiveTargets(checked.postfixInstances, checked.endpoints, checked.transports);
    const t = performance.now();
    const report = await runLiveChecks(targets, { stepTimeoutMs: 1000, ca: env.certs.ca });
    const elapsed = performance.now() - t;
    console.log(`      3 host:ports, 4 config lines: ${Math.round(elapsed)} ms`);
    const live = report.findings.filter((f) => f.ruleId.startsWith('smtp/'));
    // Each on the value that chose the mode (secure, smtp_tls_wrappermode), else on the port.
    assert.deepStrictEqual(live.map(at).sort(), ['smtp/tls-mode-mismatch /ws/app/src/a.js:5', 'smtp/tls-mode-mismatch /ws/app/src/b.js:2', 'smtp/tls-mode-mismatch /ws/postfix/main.cf:4'].sort());
    for (const f of live) assert.strictEqual(f.severity, 'error');

    const a = live.find((f) => f.file.endsWith('a.js'))!;
    assert.match(fullText(a), new RegExp(`speaks plain SMTP: it answered our TLS ClientHello with a plain-text greeting \\("${env.pf.banner}"\\)`));
    assert.match(a.message, /speaks plain SMTP but secure: true starts TLS at connect; set secure: false or use port 465\.$/);
    assert.deepStrictEqual(a.related?.map((r) => r.range.start.line), [2], 'the host it connects to');

    const b = live.find((f) => f.file.endsWith('b.js'))!;
    assert.match(fullText(b), /speaks TLS from the first byte \(implicit TLS\)/);
    assert.match(fullText(b), /set secure: true or use port 587\..*"Greeting never received"/);

    const relay = live.find((f) => f.file.endsWith('main.cf'))!;
    assert.match(fullText(relay), /but smtp_tls_wrappermode = yes; set it to no \(STARTTLS\).*"wrong version number"/);
    assert.deepStrictEqual(relay.related?.map((r) => [r.file, r.range.start.line]), [['/ws/postfix/main.cf', 1]], 'the relayhost it connects to');

    // Fast where the evidence is there at once; one greeting timeout (plus a round trip) for the silent port.
    const smtps = report.probes.find((p) => p.port === env.pf.ports.smtps)!;
    assert.strictEqual(smtps.tlsRecordSeen, true);
    assert.ok(report.probes.filter((p) => p.port !== env.pf.ports.smtps).every((p) => p.timings.total < 300), JSON.stringify(report.probes.map((p) => p.timings)));
    assert.ok(elapsed < 1000 + MARGIN, String(elapsed));
  });

  it('certificate severities: error on a submission port, information on an MX\'s port 25; STARTTLS passes on both', async () => {
    // No test CA: Postfix's certificate is untrusted. Ports are random, so the roles are given as liveTargets gives them.
    const where = (line: number) => ({ file: '/ws/postfix/main.cf', range: { start: { line, character: 0 }, end: { line, character: 5 } } });
    const targets: LiveTargets = {
      probes: [
        { host: '127.0.0.1', port: env.pf.ports.submission, role: 'submission', locations: [{ ...where(1), role: 'submission' }] },
        { host: '127.0.0.1', port: env.pf.ports.smtp, role: 'mx', locations: [{ ...where(2), role: 'mx' }] },
      ],
      domains: [],
      ptrs: [],
    };
    const report = await runLiveChecks(targets, { stepTimeoutMs: 1000 });
    assert.deepStrictEqual(
      report.findings.map((f) => [f.ruleId, f.range.start.line, f.severity]).sort(),
      [
        ['smtp/cert-untrusted', 1, 'error'],
        ['smtp/cert-untrusted', 2, 'information'],
      ],
    );
    assert.match(fullText(report.findings.find((f) => f.severity === 'information')!), /UNABLE_TO_VERIFY_LEAF_SIGNATURE.*do not verify certificates.*DANE or MTA-STS/);
    for (const p of report.probes) assert.ok(p.extensions && 'STARTTLS' in p.extensions && p.tls && !p.tls.error, 'STARTTLS offered and working');
  });
});
