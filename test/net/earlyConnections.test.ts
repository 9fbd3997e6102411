// Early connections (`smtp-doctor port` opens its ports before it prepares the probes): a probe that takes one
// reports what a probe that connects itself reports, against a real Postfix on 127.0.0.1; a refusal that comes
// before the probe takes the connection is the probe's refusal; nothing is left open however the run ends.
import * as assert from 'assert';
import * as net from 'net';
import type { SmtpProbeOptions, SmtpProbeResult } from '../../src/core/live/probeTypes';
import { EarlyConnections } from '../../src/core/live/smtpConnection';
import { probeSmtp } from '../../src/core/live/smtpProbe';
import { freePort, requirePostfix, startPostfix, type PostfixPeer } from './peers/postfix';
import { createTestCerts, type TestCerts } from './peers/testCerts';

const TIMEOUTS = { dns: 2000, connect: 2000, greeting: 2000, command: 2000, tls: 2000 };

/** A probe's facts without its timings (which differ from run to run). */
function facts(r: SmtpProbeResult): Omit<SmtpProbeResult, 'timings'> {
  const { timings: _timings, ...rest } = r;
  return rest;
}

const probe = (options: Partial<SmtpProbeOptions> & { port: number }) => probeSmtp({ host: '127.0.0.1', ehloName: 'early.test', timeouts: TIMEOUTS, ...options });

/** Lets pending socket events ('connect', 'error', 'close') run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A listener that counts the connections it accepts and how many of them the client has closed. */
async function countingListener(): Promise<{ port: number; accepted: () => number; closed: () => number; stop: () => Promise<void> }> {
  let accepted = 0;
  let closed = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed++;
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => accepted,
    closed: () => closed,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('early connections', function () {
  this.timeout(30_000);
  let pf: PostfixPeer;
  let certs: TestCerts;

  before(async function () {
    requirePostfix(this);
    certs = createTestCerts();
    pf = await startPostfix({ cert: certs.good });
  });
  after(async () => {
    await pf?.stop();
    certs?.cleanup();
  });

  it('are under way once started() resolves, before any other code runs', async () => {
    const listener = await countingListener();
    const early = new EarlyConnections('127.0.0.1', [listener.port, pf.ports.smtp]);
    const first = early.take('127.0.0.1', listener.port)!;
    const second = early.take('127.0.0.1', pf.ports.smtp)!;
    // A connection request Node has made and libuv not yet reported on.
    const requests = () => process.getActiveResourcesInfo().filter((r) => r === 'ConnectWrap').length;
    try {
      // Node connects on its next tick: no request yet.
      assert.strictEqual(requests(), 0);
      await early.started();
      assert.strictEqual(requests(), 2, 'both connections are requested');
    } finally {
      first.socket.destroy();
      second.socket.destroy();
      await listener.stop();
    }
  });

  it('a probe that takes one reports what a probe that connects itself reports (real Postfix, plain and TLS ports)', async () => {
    for (const [port, implicitTls] of [[pf.ports.smtp, false], [pf.ports.submission, false], [pf.ports.smtps, true]] as const) {
      const own = await probe({ port, implicitTls });
      const early = new EarlyConnections('127.0.0.1', [port]);
      await early.started();
      const taken = early.take('127.0.0.1', port);
      assert.ok(taken, 'the early connection is there to take');
      assert.strictEqual(early.take('127.0.0.1', port), undefined, 'each early connection is taken once');
      const withEarly = await probe({ port, implicitTls, early: taken });
      early.close();
      assert.strictEqual(withEarly.status, 'open', withEarly.detail);
      assert.deepStrictEqual(facts(withEarly), facts(own), `port ${port}`);
      assert.ok(withEarly.timings.connect! >= 0 && withEarly.timings.total >= withEarly.timings.connect!, JSON.stringify(withEarly.timings));
      assert.ok(taken.socket.destroyed, 'the probe closed the connection it took');
    }
  });

  it('a refusal that comes before the probe takes the connection is the probe\'s refusal, worded the same', async () => {
    const port = await freePort();
    const own = await probe({ port });
    const early = new EarlyConnections('127.0.0.1', [port]);
    await early.started();
    const taken = early.take('127.0.0.1', port)!;
    // The refusal arrives while nothing reads the socket: kept, not thrown.
    await settle();
    assert.strictEqual(taken.error?.code, 'ECONNREFUSED');
    const withEarly = await probe({ port, early: taken });
    assert.strictEqual(withEarly.status, 'refused');
    assert.deepStrictEqual(facts(withEarly), facts(own));
  });

  it('close() ends the connections no probe took, and a probe cancelled before it starts ends the one it was given', async () => {
    const listener = await countingListener();
    try {
      const early = new EarlyConnections('127.0.0.1', [listener.port]);
      await early.started();
      early.close();
      const cancelledEarly = new EarlyConnections('127.0.0.1', [listener.port]);
      await cancelledEarly.started();
      const taken = cancelledEarly.take('127.0.0.1', listener.port)!;
      const r = await probe({ port: listener.port, early: taken, signal: AbortSignal.abort() });
      assert.strictEqual(r.status, 'cancelled');
      assert.ok(taken.socket.destroyed, 'the cancelled probe closed the connection it was given');
      for (let i = 0; i < 50 && listener.closed() < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.deepStrictEqual([listener.accepted(), listener.closed()], [2, 2], 'both connections reached the listener and were closed');
    } finally {
      await listener.stop();
    }
  });
});
