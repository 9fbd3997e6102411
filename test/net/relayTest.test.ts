// The open-relay test against real Postfix on loopback — an open relay (mynetworks = 0.0.0.0/0) and a closed
// one (mynetworks naming another address, so this client is a stranger) — compared with nmap's
// smtp-open-relay on the same ports, and against a recording peer that says yes to everything: no DATA is
// ever sent, every attempt ends with RSET, and the Postfix queues stay empty.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import { PostfixServer } from '../../src/core/live/postfixServer';
import { relayFindings } from '../../src/core/live/serverChecks';
import { relayForms, testRelay } from '../../src/core/live/relayTest';
import { parsePostfixInstance } from '../../src/core/sources/postfix/instance';
import { type Peer, startPeer } from './peers/hostileSmtp';
import { hasCommand } from './peers/netns';
import { POSTFIX, type PostfixPeer, startPostfix, requirePostfix } from './peers/postfix';
import { createTestCerts, type TestCerts } from './peers/testCerts';

const where = { file: 'main.cf', range: { start: { line: 4, character: 13 }, end: { line: 4, character: 22 } } };

/** nmap's smtp-open-relay on one port: how many of its tests relayed, and of how many. */
function nmapOpenRelay(port: number): { relayed: number; of: number } | 'none' {
  const r = spawnSync('nmap', ['-Pn', '-n', '-sT', '-p', String(port), '--script', '+smtp-open-relay', '--script-args', 'smtp-open-relay.domain=example.com', '127.0.0.1'], { encoding: 'utf8', timeout: 120_000 });
  const m = /Server is an open relay \((\d+)\/(\d+) tests\)/.exec(r.stdout);
  if (m) return { relayed: Number(m[1]), of: Number(m[2]) };
  assert.match(r.stdout, /Server doesn't seem to be an open relay, all tests failed/, r.stdout);
  return 'none';
}

function queueIsEmpty(peer: PostfixPeer): boolean {
  return /Mail queue is empty/.test(execFileSync(POSTFIX.replace(/postfix$/, 'postqueue'), ['-c', peer.configDir, '-p'], { encoding: 'utf8' }));
}

describe('open-relay test', function () {
  this.timeout(120_000);
  let certs: TestCerts;
  let open: PostfixPeer;
  let closed: PostfixPeer;

  before(async function () {
    requirePostfix(this);
    certs = createTestCerts();
    // smtpd_error_sleep_time = 0: nmap makes all its attempts on one connection, and Postfix would make it
    // wait a second more for each refused recipient after the tenth (smtpd_soft_error_limit).
    [open, closed] = await Promise.all([
      startPostfix({ cert: certs.good, main: ['mynetworks = 0.0.0.0/0', 'smtpd_error_sleep_time = 0'] }),
      startPostfix({ cert: certs.good, main: ['mynetworks = 127.0.0.2/32', 'smtpd_error_sleep_time = 0'] }),
    ]);
  });

  after(async () => {
    await Promise.all([open?.stop(), closed?.stop()]);
    certs?.cleanup();
  });

  it('finds the open relay: every form accepted, over STARTTLS, and the queue stays empty (no DATA)', async () => {
    const r = await testRelay({ host: '127.0.0.1', port: open.ports.smtp, stepTimeoutMs: 5000, localDomain: 'test' });
    assert.strictEqual(r.verdict, 'open');
    assert.strictEqual(r.tls, true);
    assert.strictEqual(r.attempts.length, relayForms('mail.test', '127.0.0.1', 'test').length);
    assert.ok(r.attempts.every((a) => a.accepted && /^250 /.test(a.rcpt!)), JSON.stringify(r.attempts));
    assert.ok(queueIsEmpty(open));
    assert.doesNotMatch(open.log(), /queued as|message-id=|postfix\/qmgr\[\d+\]: \w+: from=/i);
  });

  it('finds the closed relay closed: every recipient refused with 554 5.7.1 Relay access denied', async () => {
    const r = await testRelay({ host: '127.0.0.1', port: closed.ports.smtp, stepTimeoutMs: 5000, localDomain: 'test' });
    assert.strictEqual(r.verdict, 'refused');
    assert.ok(r.attempts.every((a) => !a.accepted && /^554 5\.7\.1 .*Relay access denied/.test(a.rcpt!)), JSON.stringify(r.attempts));
    assert.deepStrictEqual(relayFindings(where, r, undefined), []);
  });

  it("agrees with nmap's smtp-open-relay on both servers", async function () {
    if (!hasCommand('nmap')) {
      console.log('      nmap is not installed: comparison skipped');
      this.skip();
    }
    const [ours, theirs] = [await testRelay({ host: '127.0.0.1', port: open.ports.smtp, stepTimeoutMs: 5000 }), nmapOpenRelay(open.ports.smtp)];
    assert.notStrictEqual(theirs, 'none');
    if (theirs === 'none') return;
    assert.strictEqual(theirs.relayed, theirs.of, 'nmap: every test relayed');
    assert.strictEqual(ours.attempts.filter((a) => a.accepted).length, ours.attempts.length);
    assert.strictEqual(nmapOpenRelay(closed.ports.smtp), 'none');
    assert.strictEqual((await testRelay({ host: '127.0.0.1', port: closed.ports.smtp, stepTimeoutMs: 5000 })).verdict, 'refused');
  });

  it('calls the open relay an error only when this client is outside mynetworks; inside, it says nothing', async () => {
    const r = await testRelay({ host: '127.0.0.1', port: open.ports.smtp, stepTimeoutMs: 5000 });
    // A server no workspace config describes: this machine may be one it trusts, so a warning.
    assert.deepStrictEqual(relayFindings(where, r, undefined).map((f) => [f.ruleId, f.severity]), [['smtp/open-relay', 'warning']]);
    const stranger = { ...r, localAddress: '198.51.100.7', address: '198.51.100.9' };
    const config = (mynetworks: string) => new PostfixServer(parsePostfixInstance({ main: { file: 'main.cf', text: `compatibility_level = 3.6\nmynetworks = ${mynetworks}\n` } }), 25);
    const [error] = relayFindings(where, stranger, config('127.0.0.0/8'));
    assert.deepStrictEqual([error.ruleId, error.severity], ['smtp/open-relay', 'error']);
    assert.strictEqual(error.message, `127.0.0.1:${open.ports.smtp} relays for anyone: it accepted <relay-test@example.com> from a client outside mynetworks; close the relay.`);
    assert.ok(error.message.length - String(open.ports.smtp).length + 2 <= 120, `on port 25: ${error.message}`);
    assert.deepStrictEqual(relayFindings(where, stranger, config('198.51.100.0/24')), [], 'a trusted client may relay: test from outside');
    assert.strictEqual(relayFindings(where, stranger, config('hash:/etc/postfix/trusted'))[0].severity, 'warning', 'a table: not known who is in it');
  });

  for (const pipelining of [true, false]) {
    describe(`with a peer that accepts everything (${pipelining ? 'with' : 'without'} PIPELINING)`, () => {
      let peer: Peer;
      /** The commands of each connection, in order. */
      const sessions: string[][] = [];
      before(async () => {
        // Yes to every command: what an open relay that also takes DATA would say.
        peer = await startPeer((socket) => {
          socket.write('220 peer.test ESMTP yes-to-everything\r\n');
          const lines: string[] = [];
          sessions.push(lines);
          let buffer = '';
          socket.on('data', (chunk: Buffer) => {
            buffer += chunk.toString('latin1');
            for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
              const line = buffer.slice(0, nl).replace(/\r$/, '');
              buffer = buffer.slice(nl + 1);
              lines.push(line);
              const verb = line.split(/[ :]/)[0].toUpperCase();
              if (verb === 'EHLO') socket.write(pipelining ? '250-peer.test\r\n250 PIPELINING\r\n' : '250 peer.test\r\n');
              else if (verb === 'QUIT') socket.end('221 bye\r\n');
              else if (verb === 'DATA') socket.write('354 go ahead\r\n');
              else socket.write('250 2.0.0 Ok\r\n');
            }
          });
        });
      });
      after(() => peer?.close());

      it('never sends DATA, and sends RSET after every attempt, at most eight attempts per connection', async () => {
        const r = await testRelay({ host: '127.0.0.1', port: peer.port, stepTimeoutMs: 2000, localDomain: 'peer.test' });
        assert.strictEqual(r.verdict, 'open');
        assert.strictEqual(r.tls, false);
        const all = sessions.flat();
        assert.ok(!all.some((l) => /^DATA\b/i.test(l)), 'DATA was sent');
        assert.strictEqual(all.filter((l) => /^RCPT TO:/i.test(l)).length, r.attempts.length);
        // Each MAIL FROM is followed, after its RCPT TO, by RSET on the same connection.
        for (const lines of sessions) {
          for (let i = 0; i < lines.length; i++) {
            if (!/^MAIL FROM:/i.test(lines[i])) continue;
            assert.match(lines[i + 1], /^RCPT TO:/i);
            assert.match(lines[i + 2], /^RSET$/i);
          }
          assert.ok(lines.filter((l) => /^MAIL FROM:/i.test(l)).length <= 8, 'at most eight attempts on one connection');
        }
        // Below Postfix's soft error limit on each connection, and no connection more than that needs.
        assert.strictEqual(peer.connections, Math.ceil(r.attempts.length / 8));
        assert.ok(r.attempts.some((a) => a.from === 'postmaster@peer.test'), 'a local sender form');
        assert.ok(r.attempts.some((a) => a.to.startsWith('"')) && r.attempts.some((a) => a.to.includes('!')) && r.attempts.some((a) => a.to.startsWith('@')), 'quoted, ! path and source route forms');
      });
    });
  }
});
