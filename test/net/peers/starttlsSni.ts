// A small, healthy STARTTLS SMTP server for the DANE tests: it listens on a chosen loopback address and port
// (several can share a port on different 127.x addresses, as MX hosts share port 25) and picks its
// certificate chain by the SNI name the client sends, so one server can be many MX hosts. Without `tls` it
// offers no STARTTLS. Every socket is tracked; close() leaves nothing behind.

import * as net from 'net';
import * as tls from 'tls';

export interface PemPair {
  readonly key: string;
  /** One certificate, or a chain (leaf first) in one PEM string. */
  readonly cert: string;
}

export interface StarttlsSniOptions {
  /** Default 127.0.0.1. */
  readonly address?: string;
  /** Default: a free port. */
  readonly port?: number;
  /** Certificates: `byName` by SNI name (lower case), else `default`. No STARTTLS without it. */
  readonly tls?: { readonly default: PemPair; readonly byName?: Readonly<Record<string, PemPair>> };
}

export interface StarttlsSniPeer {
  readonly address: string;
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** SNI names seen in TLS handshakes. */
  readonly serverNames: readonly string[];
  close(): Promise<void>;
}

export async function startStarttlsSni(options: StarttlsSniOptions = {}): Promise<StarttlsSniPeer> {
  const address = options.address ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();
  const serverNames: string[] = [];
  let connections = 0;
  const contexts = options.tls && {
    default: tls.createSecureContext(options.tls.default),
    byName: new Map(Object.entries(options.tls.byName ?? {}).map(([name, pair]) => [name.toLowerCase(), tls.createSecureContext(pair)])),
  };
  const own = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  };

  const converse = (socket: net.Socket, secure: boolean): void => {
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString('latin1');
      if (buffer.length > 65536) return void socket.destroy();
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        const verb = line.split(' ')[0].toUpperCase();
        if (verb === 'EHLO') {
          const lines = ['dane.test greets you', 'PIPELINING', ...(contexts && !secure ? ['STARTTLS'] : [])];
          socket.write(lines.map((l, i) => `250${i === lines.length - 1 ? ' ' : '-'}${l}\r\n`).join(''));
        } else if (verb === 'HELO') {
          socket.write('250 dane.test\r\n');
        } else if (verb === 'STARTTLS' && contexts && !secure) {
          socket.off('data', onData);
          socket.write('220 2.0.0 Ready to start TLS\r\n');
          const upgraded = new tls.TLSSocket(socket, {
            isServer: true,
            secureContext: contexts.default,
            SNICallback: (name, cb) => {
              serverNames.push(name);
              cb(null, contexts.byName.get(name.toLowerCase()) ?? contexts.default);
            },
          });
          own(upgraded);
          converse(upgraded, true);
          return;
        } else if (verb === 'QUIT') {
          socket.end('221 2.0.0 Bye\r\n');
          socket.off('data', onData);
          return;
        } else {
          socket.write('502 5.5.2 Error: command not recognized\r\n');
        }
      }
    };
    socket.on('data', onData);
  };

  const server = net.createServer((socket) => {
    connections++;
    own(socket);
    socket.write('220 dane.test ESMTP\r\n');
    converse(socket, false);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, address, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
  return {
    address,
    port,
    get connections() {
      return connections;
    },
    serverNames,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
