// In-process SMTP peers on 127.0.0.1:0 that do what a real server won't: stay silent, flood, drip, drop,
// break the TLS handshake or stall in the middle of it, send invalid UTF-8 — plus small healthy STARTTLS / implicit-TLS servers whose
// certificates we choose (expired, wrong name). Every socket a peer creates is tracked, so tests can tell the
// probe's sockets from the peer's and `close()` leaves nothing behind.

import * as net from 'net';
import * as stream from 'stream';
import * as tls from 'tls';

export interface Peer {
  readonly port: number;
  /** Sockets the peer owns (accepted and TLS-upgraded), to tell them apart from the probe's. */
  readonly ownSockets: ReadonlySet<net.Socket>;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/** What the peer does with each accepted connection; `later` registers timers that close() clears. */
export type Behaviour = (socket: net.Socket, ctx: PeerContext) => void;

export interface PeerContext {
  own(socket: net.Socket): void;
  later(ms: number, fn: () => void): void;
  every(ms: number, fn: () => void): void;
}

/** Starts a TCP (or, with `tlsOptions`, implicit-TLS) server on 127.0.0.1 with an ephemeral port. */
export async function startPeer(behaviour: Behaviour, tlsOptions?: tls.TlsOptions): Promise<Peer> {
  const ownSockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let connections = 0;
  const ctx: PeerContext = {
    own(socket) {
      ownSockets.add(socket);
      socket.on('error', () => undefined);
      socket.once('close', () => ownSockets.delete(socket));
    },
    later(ms, fn) {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      timers.add(t);
    },
    every(ms, fn) {
      const t = setInterval(fn, ms);
      timers.add(t);
    },
  };
  const onConnection = (socket: net.Socket): void => {
    connections++;
    ctx.own(socket);
    behaviour(socket, ctx);
  };
  const server = tlsOptions ? tls.createServer(tlsOptions, onConnection) : net.createServer(onConnection);
  if (tlsOptions) {
    // The raw TCP socket under a TLS connection is also the peer's.
    server.on('connection', (raw: net.Socket) => ctx.own(raw));
    server.on('tlsClientError', () => undefined);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    ownSockets,
    get connections() {
      return connections;
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of ownSockets) s.destroy();
      await closed;
    },
  };
}

// ---- a tiny SMTP server dialogue, for the peers that behave until a chosen point ----------------------------

export interface DialogueOptions {
  /** Full greeting bytes; default `220 peer.test ESMTP hostile peer\r\n`. */
  readonly greeting?: string | Buffer;
  /** EHLO reply lines after the first, e.g. ['PIPELINING', 'SIZE 1000']. STARTTLS is added when `tls` is set. */
  readonly extensions?: readonly string[];
  /** Serve STARTTLS with this context. */
  readonly tls?: tls.SecureContext;
  /** Override one command (upper-case verb); return true when handled. */
  readonly on?: Partial<Record<string, (socket: net.Socket, ctx: PeerContext, secure: boolean, line: string) => boolean | void>>;
  /** Sees every command line received, and whether it came inside TLS. */
  readonly record?: (line: string, secure: boolean) => void;
}

/** Speaks enough SMTP for a probe: greeting, EHLO/HELO, STARTTLS, QUIT; 502 for anything else. */
export function dialogue(options: DialogueOptions = {}): Behaviour {
  return (socket, ctx) => {
    socket.write(options.greeting ?? '220 peer.test ESMTP hostile peer\r\n');
    converse(socket, ctx, options, socket instanceof tls.TLSSocket);
  };
}

function converse(socket: net.Socket, ctx: PeerContext, options: DialogueOptions, secure: boolean): void {
  let buffer = '';
  const onData = (chunk: Buffer): void => {
    buffer += chunk.toString('latin1');
    for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      if (handle(line) === 'stop') {
        socket.off('data', onData);
        return;
      }
    }
  };
  const handle = (line: string): 'stop' | void => {
    options.record?.(line, secure);
    const verb = line.split(' ')[0].toUpperCase();
    const custom = options.on?.[verb];
    if (custom && custom(socket, ctx, secure, line)) return 'stop';
    switch (verb) {
      case 'EHLO': {
        const ext = [...(options.extensions ?? ['PIPELINING', 'SIZE 10240000', '8BITMIME']), ...(options.tls && !secure ? ['STARTTLS'] : [])];
        const lines = ['peer.test greets you', ...ext];
        socket.write(lines.map((l, i) => `250${i === lines.length - 1 ? ' ' : '-'}${l}\r\n`).join(''));
        return;
      }
      case 'HELO':
        socket.write('250 peer.test\r\n');
        return;
      case 'STARTTLS': {
        if (!options.tls || secure) {
          socket.write('502 5.5.1 not here\r\n');
          return;
        }
        socket.write('220 2.0.0 Ready to start TLS\r\n');
        const upgraded = new tls.TLSSocket(socket, { isServer: true, secureContext: options.tls });
        ctx.own(upgraded);
        converse(upgraded, ctx, options, true);
        return 'stop';
      }
      case 'QUIT':
        socket.end('221 2.0.0 Bye\r\n');
        return 'stop';
      default:
        socket.write('502 5.5.2 Error: command not recognized\r\n');
    }
  };
  socket.on('data', onData);
}

// ---- the hostile catalogue ---------------------------------------------------------------------------------

/** Accepts and never says a word. */
export const silent: Behaviour = () => undefined;

/** Greets after `ms` (then behaves). */
export function lateGreeting(ms: number): Behaviour {
  const rest = dialogue();
  return (socket, ctx) => ctx.later(ms, () => !socket.destroyed && rest(socket, ctx));
}

/** `220 ` followed by an endless line: 8 KB of 'x' every 5 ms, never a newline. */
export const endlessLine: Behaviour = (socket, ctx) => {
  const chunk = Buffer.alloc(8192, 'x');
  socket.write('220 ');
  ctx.every(5, () => !socket.destroyed && socket.write(chunk));
};

/** 10 MB of well-formed `220-` lines as fast as the socket drains, 64 KB at a time (so the peer holds little). */
export function flood(totalBytes = 10 * 1024 * 1024): Behaviour {
  const line = Buffer.from('220-' + 'f'.repeat(1018) + '\r\n');
  const chunk = Buffer.concat(Array.from({ length: 64 }, () => line));
  return (socket) => {
    let sent = 0;
    const pump = (): void => {
      while (sent < totalBytes && !socket.destroyed) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    pump();
  };
}

/** Greets, then answers EHLO with 1000 extension lines. */
export const thousandEhloLines: Behaviour = dialogue({
  on: {
    EHLO: (socket) => {
      const lines = ['peer.test', ...Array.from({ length: 999 }, (_, i) => `X-EXT-${i} some parameter`)];
      socket.write(lines.map((l, i) => `250${i === lines.length - 1 ? ' ' : '-'}${l}\r\n`).join(''));
      return true;
    },
  },
});

/** Greets, then drops the connection when EHLO arrives. */
export const dropAfterEhlo: Behaviour = dialogue({
  on: {
    EHLO: (socket) => {
      socket.destroy();
      return true;
    },
  },
});

/** Offers STARTTLS, says 220, then writes garbage instead of a ServerHello and closes. */
export const starttlsGarbage: Behaviour = dialogue({
  extensions: ['PIPELINING', 'STARTTLS'],
  on: {
    STARTTLS: (socket) => {
      socket.write('220 2.0.0 Ready to start TLS\r\n');
      socket.once('data', () => socket.end('this is not a TLS record, sorry\r\n'));
      return true;
    },
  },
});

/** Offers STARTTLS, says 220, then never answers the ClientHello. */
export const starttlsSilent: Behaviour = dialogue({
  extensions: ['PIPELINING', 'STARTTLS'],
  on: {
    STARTTLS: (socket) => {
      socket.write('220 2.0.0 Ready to start TLS\r\n');
      return true;
    },
  },
});

/** What a mid-handshake staller let through of a real server's first flight, and what it kept back. */
export interface StallStats {
  forwarded: number;
  withheld: number;
}

/**
 * Runs a real server-side TLS engine on `socket`, but lets through only its first record (the ServerHello)
 * and the first 3 bytes of the next one; everything else it writes is withheld. The client has processed a
 * genuine ServerHello and waits, mid handshake, for the rest of a record that never comes. The engine runs
 * over an in-memory duplex (so we see its output before the wire does) and dies with the socket.
 */
function stallMidHandshake(socket: net.Socket, ctx: PeerContext, pair: { key: string; cert: string }, stats: StallStats): void {
  let output = Buffer.alloc(0);
  const wire = new stream.Duplex({
    read: () => undefined,
    write(chunk: Buffer, _encoding, callback) {
      output = Buffer.concat([output, chunk]);
      // TLS record: type(1) version(2) length(2), then `length` bytes.
      const budget = output.length >= 5 ? 5 + output.readUInt16BE(3) + 3 : 0;
      const upTo = Math.min(output.length, budget);
      if (upTo > stats.forwarded && !socket.destroyed) socket.write(output.subarray(stats.forwarded, upTo));
      stats.forwarded = Math.max(stats.forwarded, upTo);
      stats.withheld = output.length - stats.forwarded;
      callback();
    },
  });
  socket.on('data', (chunk: Buffer) => wire.push(chunk));
  socket.once('end', () => wire.push(null));
  const engine = new tls.TLSSocket(wire, { isServer: true, secureContext: tls.createSecureContext(pair) });
  ctx.own(engine);
  socket.once('close', () => {
    engine.destroy();
    wire.destroy();
  });
}

/** Offers STARTTLS, says 220, answers the ClientHello with a real ServerHello, then stalls mid handshake. */
export function starttlsStallMidHandshake(pair: { key: string; cert: string }, stats: StallStats = { forwarded: 0, withheld: 0 }): Behaviour {
  return dialogue({
    extensions: ['PIPELINING', 'STARTTLS'],
    on: {
      STARTTLS: (socket, ctx) => {
        socket.write('220 2.0.0 Ready to start TLS\r\n');
        stallMidHandshake(socket, ctx, pair, stats);
        return true;
      },
    },
  });
}

/** A 465-style port that answers the ClientHello with a real ServerHello, then stalls mid handshake. */
export function implicitTlsStallMidHandshake(pair: { key: string; cert: string }, stats: StallStats = { forwarded: 0, withheld: 0 }): Behaviour {
  return (socket, ctx) => stallMidHandshake(socket, ctx, pair, stats);
}

/** A healthy STARTTLS server until TLS is up; then it never answers the EHLO sent inside TLS. */
export function starttlsMuteAfterHandshake(pair: { key: string; cert: string }): Behaviour {
  return starttlsServer(pair, { on: { EHLO: (_socket, _ctx, secure) => secure } });
}

/** Starts a 465-style server that completes the TLS handshake and then never greets. */
export function startImplicitTlsMutePeer(pair: { key: string; cert: string }): Promise<Peer> {
  return startPeer(silent, { key: pair.key, cert: pair.cert });
}

/** Sends a proper greeting one byte every `ms` (a tarpit). */
export function slowDrip(ms = 100): Behaviour {
  const bytes = Buffer.from('220 drip.test ESMTP this greeting takes a long time to arrive\r\n');
  return (socket, ctx) => {
    let i = 0;
    ctx.every(ms, () => {
      if (i < bytes.length && !socket.destroyed) socket.write(bytes.subarray(i, ++i));
    });
  };
}

/** A banner with invalid UTF-8 (latin-1 é, 0xFF 0xFE), a terminal escape, then normal EHLO. */
export const invalidUtf8Banner: Behaviour = dialogue({
  greeting: Buffer.concat([Buffer.from('220 caf'), Buffer.from([0xe9, 0x20, 0xff, 0xfe, 0x20, 0x1b]), Buffer.from('[31mred mail.test ESMTP\r\n')]),
});

/** `220-` lines, 50 every 10 ms, never a final `220 ` line. */
export const endlessMultilineGreeting: Behaviour = (socket, ctx) => {
  const burst = Array.from({ length: 50 }, () => '220-still greeting you\r\n').join('');
  ctx.every(10, () => !socket.destroyed && socket.write(burst));
};

/** A 554 "no service" greeting. */
export const greeting554: Behaviour = dialogue({ greeting: '554 5.3.2 peer.test no SMTP service here\r\n' });

/** A healthy STARTTLS server presenting `pair`. */
export function starttlsServer(pair: { key: string; cert: string }, options: Omit<DialogueOptions, 'tls'> = {}): Behaviour {
  return dialogue({ ...options, tls: tls.createSecureContext({ key: pair.key, cert: pair.cert }) });
}

/** Starts a 465-style server: TLS from the first byte, then a normal dialogue. */
export function startImplicitTlsPeer(pair: { key: string; cert: string }): Promise<Peer> {
  return startPeer(dialogue({ extensions: ['PIPELINING', 'SIZE 10240000', 'AUTH PLAIN LOGIN'] }), { key: pair.key, cert: pair.cert });
}

/** A port on 127.0.0.1 with nothing listening (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A port whose listen backlog is full, so further SYNs are dropped and connect times out — on loopback.
 * Node always accepts, so a python3 child listens with backlog 0 and never accepts; we fill the queue.
 * Undefined when python3 is missing.
 */
export async function startBacklogFullPort(): Promise<{ port: number; close(): Promise<void> } | undefined> {
  const { spawn } = await import('child_process');
  const code = [
    'import socket, sys',
    's = socket.socket()',
    "s.bind(('127.0.0.1', 0))",
    's.listen(0)',
    'print(s.getsockname()[1], flush=True)',
    'sys.stdin.read()',
  ].join('\n');
  const child = spawn('python3', ['-c', code], { stdio: ['pipe', 'pipe', 'ignore'] });
  const port = await new Promise<number | undefined>((resolve) => {
    child.once('error', () => resolve(undefined));
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', () => resolve(undefined));
  });
  if (!port) return undefined;
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 3; i++) {
    const s = net.connect({ host: '127.0.0.1', port });
    s.on('error', () => undefined);
    fillers.push(s);
    await new Promise((r) => setTimeout(r, 30));
  }
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    port,
    // Resolves once python3 is gone and its stdio pipes are closed (they are open handles until then).
    close: async () => {
      for (const s of fillers) s.destroy();
      child.stdin.end();
      child.kill();
      await exited;
    },
  };
}

/**
 * Says nothing until the client speaks, then answers its first bytes with `reply` (e.g. an HTTP error) and
 * closes: neither an SMTP greeting nor TLS.
 */
export function silentUntilSpokenTo(reply: string): Behaviour {
  return (socket) => socket.once('data', () => socket.end(reply));
}
