// `smtp-doctor port` honours --concurrency, and by default probes every port it was given at once:
// loopback servers that greet late count how many of our connections wait for a greeting at the same time
// (not how many are open: a finished probe's close may reach the server after the next probe connects).
import * as assert from 'assert';
import * as net from 'net';
import { main } from '../../src/cli';

interface CountingServers {
  readonly ports: number[];
  /** Most connections waiting for their greeting at once, across all servers. */
  readonly peak: () => number;
  reset(): void;
  close(): Promise<void>;
}

/** COUNT servers on 127.0.0.1 that greet after `delayMs` and answer EHLO and QUIT. */
async function countingServers(count: number, delayMs: number): Promise<CountingServers> {
  let waiting = 0;
  let peak = 0;
  const sockets = new Set<net.Socket>();
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = net.createServer((socket) => {
        sockets.add(socket);
        peak = Math.max(peak, ++waiting);
        let greeted = false;
        const greet = () => {
          if (greeted) return;
          greeted = true;
          waiting--;
          if (socket.writable) socket.write('220 late.test ESMTP\r\n');
        };
        const timer = setTimeout(greet, delayMs);
        socket.on('data', (d) => {
          const line = d.toString('latin1');
          if (/^EHLO/i.test(line)) socket.write('250-late.test\r\n250 8BITMIME\r\n');
          else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
          else socket.write('502 no\r\n');
        });
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearTimeout(timer);
          sockets.delete(socket);
          greet();
        });
      });
      return new Promise<net.Server>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
    }),
  );
  return {
    ports: servers.map((s) => (s.address() as net.AddressInfo).port),
    peak: () => peak,
    reset: () => (peak = waiting),
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    },
  };
}

async function port(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(['port', ...args], { out: (s) => (out += s), err: (s) => (err += s), cwd: process.cwd() });
  return { code, out, err };
}

describe('smtp-doctor port --concurrency', function () {
  this.timeout(30_000);
  let servers: CountingServers;
  before(async () => (servers = await countingServers(12, 300)));
  after(() => servers.close());
  beforeEach(() => servers.reset());

  it('probes every given port at once by default', async () => {
    const r = await port(['127.0.0.1', '--port', servers.ports.join(','), '--format', 'json', '--timeout', '5000']);
    const json = JSON.parse(r.out);
    assert.deepStrictEqual(
      json.probes.map((p: { port: number; status: string }) => [p.port, p.status]),
      servers.ports.map((p) => [p, 'open']),
    );
    assert.strictEqual(servers.peak(), 12);
  });

  it('opens at most N connections at once with --concurrency N, and still probes every port', async () => {
    const r = await port(['127.0.0.1', '--port', servers.ports.join(','), '--format', 'json', '--timeout', '5000', '--concurrency', '3']);
    const json = JSON.parse(r.out);
    assert.strictEqual(json.probes.filter((p: { status: string }) => p.status === 'open').length, 12);
    assert.ok(servers.peak() <= 3, `peak ${servers.peak()} connections at once`);
    assert.ok(servers.peak() >= 2, `peak ${servers.peak()}: the probes ran one at a time`);
  });

  it('takes --concurrency=N too, and refuses a value that is not a positive whole number', async () => {
    const r = await port(['127.0.0.1', '--port', servers.ports.slice(0, 4).join(','), '--format=json', '--concurrency=1']);
    assert.strictEqual(JSON.parse(r.out).probes.length, 4);
    assert.strictEqual(servers.peak(), 1);
    for (const bad of ['0', '-2', '1.5', 'many']) {
      const refused = await port(['127.0.0.1', '--concurrency', bad]);
      assert.strictEqual(refused.code, 2, bad);
      assert.match(refused.err, /--concurrency takes a positive whole number/);
      assert.match(refused.err, /smtp-doctor port HOST/);
      assert.doesNotMatch(refused.err, /smtp-doctor check/, 'only the port usage');
    }
  });
});
