// A small in-process DNS server on 127.0.0.1 (UDP, node's dgram) that answers A, MX and PTR queries from a
// table and, unless told otherwise, DROPS EVERY OTHER QUERY it receives (the 2nd, 4th, 6th...), so a client
// only gets through by retrying. Answers are encoded by hand. Names it knows with no record of the asked type
// get NOERROR with no answer (NODATA); unknown names get NXDOMAIN. Malformed packets are ignored.

import * as dgram from 'dgram';
import { encodeName, parseQuery, type QuestionInfo } from './wireDns';

export interface FlakyDnsOptions {
  /** A records: name → IPv4 addresses. */
  readonly a?: Readonly<Record<string, readonly string[]>>;
  /** MX records: domain → exchanges (exchange "." with preference 0 is a null MX). */
  readonly mx?: Readonly<Record<string, readonly { readonly preference: number; readonly exchange: string }[]>>;
  /** PTR records: full reverse name (e.g. "1.0.0.127.in-addr.arpa") → names. */
  readonly ptr?: Readonly<Record<string, readonly string[]>>;
  /** Drop every other query (default true); false answers everything. */
  readonly dropEveryOther?: boolean;
}

export interface FlakyDnsStats {
  /** Well-formed queries received. */
  readonly received: number;
  readonly dropped: number;
  readonly answered: number;
  /** Queries answered whose (id, name, type) had been dropped before: a client's retry got through. */
  readonly retriesAnswered: number;
}

export interface FlakyDnsPeer {
  readonly port: number;
  /** "127.0.0.1:PORT", for `dnsServers` / `DnsCheckOptions.servers`. */
  readonly server: string;
  stats(): FlakyDnsStats;
  close(): Promise<void>;
}

const TYPE_A = 1;
const TYPE_PTR = 12;
const TYPE_MX = 15;
const CLASS_IN = 1;
const TTL = 60;

/** One answer record owned by the question's name (a pointer to offset 12). */
function record(type: number, rdata: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt16BE(CLASS_IN, 4);
  head.writeUInt32BE(TTL, 6);
  head.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([head, rdata]);
}

function lower<T>(table: Readonly<Record<string, T>> | undefined): Map<string, T> {
  return new Map(Object.entries(table ?? {}).map(([k, v]) => [k.toLowerCase().replace(/\.$/, ''), v]));
}

export async function startFlakyDns(options: FlakyDnsOptions = {}): Promise<FlakyDnsPeer> {
  const a = lower(options.a);
  const mx = lower(options.mx);
  const ptr = lower(options.ptr);
  const drop = options.dropEveryOther ?? true;
  const known = (name: string) => a.has(name) || mx.has(name) || ptr.has(name);
  let received = 0;
  let dropped = 0;
  let answered = 0;
  let retriesAnswered = 0;
  const droppedKeys = new Set<string>();

  const answers = (q: QuestionInfo): Buffer[] => {
    if (q.raw.readUInt16BE(q.raw.length - 2) !== CLASS_IN) return []; // the class closes the question
    switch (q.type) {
      case TYPE_A:
        return (a.get(q.name) ?? []).map((address) => record(TYPE_A, Buffer.from(address.split('.').map(Number))));
      case TYPE_MX:
        return (mx.get(q.name) ?? []).map((m) => {
          const pref = Buffer.alloc(2);
          pref.writeUInt16BE(m.preference, 0);
          return record(TYPE_MX, Buffer.concat([pref, encodeName(m.exchange)]));
        });
      case TYPE_PTR:
        return (ptr.get(q.name) ?? []).map((n) => record(TYPE_PTR, encodeName(n)));
      default:
        return [];
    }
  };

  const socket = dgram.createSocket('udp4');
  socket.on('error', () => undefined);
  socket.on('message', (msg, rinfo) => {
    const q = parseQuery(msg);
    if (!q) return;
    received++;
    const key = `${q.id}/${q.name}/${q.type}`;
    if (drop && received % 2 === 0) {
      dropped++;
      droppedKeys.add(key);
      return;
    }
    answered++;
    if (droppedKeys.delete(key)) retriesAnswered++;
    const records = answers(q);
    const rcode = records.length === 0 && !known(q.name) ? 3 : 0; // NXDOMAIN, else NOERROR (maybe NODATA)
    const header = Buffer.alloc(12);
    header.writeUInt16BE(q.id, 0);
    // QR, the query's opcode, AA, the query's RD, RA, rcode.
    header.writeUInt16BE(0x8000 | (q.flags & 0x7800) | 0x0400 | (q.flags & 0x0100) | 0x0080 | rcode, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(records.length, 6);
    socket.send(Buffer.concat([header, q.raw, ...records]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const port = socket.address().port;
  return {
    port,
    server: `127.0.0.1:${port}`,
    stats: () => ({ received, dropped, answered, retriesAnswered }),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** "4.3.2.1.in-addr.arpa" for 1.2.3.4. */
export function reverseName4(address: string): string {
  return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
}
