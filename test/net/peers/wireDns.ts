// An in-process DNS server on 127.0.0.1 (UDP and TCP on the same port) for what dnsmasq cannot do: set the
// AD bit, truncate UDP answers (TC) so the client must ask again over TCP, stay silent, answer SERVFAIL, or
// send hostile bytes. Records come from a table and are encoded by hand (owner names uncompressed); CNAMEs
// are followed. Names it knows with no record of the asked type get NODATA; unknown names NXDOMAIN. Every
// query it sees is logged with its transport and flags, so tests can check what the client sent.

import * as dgram from 'dgram';
import * as net from 'net';

export const T = { A: 1, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, OPT: 41, TLSA: 52 } as const;

export interface WireDnsRecord {
  readonly name: string;
  readonly type: number;
  /** The record data, already in wire format (see `rdata`). */
  readonly data: Buffer;
  readonly ttl?: number;
}

export interface SeenQuery {
  readonly id: number;
  readonly name: string;
  readonly type: number;
  readonly transport: 'udp' | 'tcp';
  readonly rd: boolean;
  /** The AD bit in the query (RFC 6840 §5.7: "I understand AD"). */
  readonly ad: boolean;
  readonly edns: boolean;
  readonly dnssecOk: boolean;
}

export interface QuestionInfo {
  readonly id: number;
  readonly name: string;
  readonly type: number;
  /** The question section as received, to echo. */
  readonly raw: Buffer;
}

type Pick = (name: string, type: number) => boolean;

export interface WireDnsOptions {
  readonly records?: readonly WireDnsRecord[];
  /** Set AD on answers: everywhere (true) or for some questions. Default: never. */
  readonly ad?: boolean | Pick;
  /** Answer these over UDP with TC set and no records (the client must use TCP). */
  readonly truncate?: Pick;
  /** Never answer these. */
  readonly silent?: Pick;
  /** Answer with this rcode and no records. */
  readonly rcode?: (name: string, type: number) => number | undefined;
  /** Hostile answers: the bytes to send instead (several datagrams over UDP), or undefined for the normal answer. */
  readonly respond?: (query: QuestionInfo, transport: 'udp' | 'tcp') => Buffer | readonly Buffer[] | undefined;
  /** Listen here (default 127.0.0.1) and on this port (default: a free one). */
  readonly address?: string;
  readonly port?: number;
}

export interface WireDnsPeer {
  readonly port: number;
  /** "127.0.0.1:PORT", for `DnsCheckOptions.servers`. */
  readonly server: string;
  readonly queries: readonly SeenQuery[];
  close(): Promise<void>;
}

/** Builders for record data in wire format. */
export const rdata = {
  a: (address: string): Buffer => Buffer.from(address.split('.').map(Number)),
  aaaa: (address: string): Buffer => Buffer.from(ipv6Words(address).flatMap((g) => [g >> 8, g & 0xff])),
  /** TXT character strings, one byte per character (latin1); each at most 255 bytes. */
  txt: (strings: readonly string[]): Buffer => Buffer.concat(strings.map((t) => Buffer.concat([Buffer.from([Buffer.byteLength(t, 'latin1')]), Buffer.from(t, 'latin1')]))),
  name: (name: string): Buffer => encodeName(name),
  mx: (preference: number, exchange: string): Buffer => Buffer.concat([u16(preference), encodeName(exchange)]),
  tlsa: (usage: number, selector: number, matchingType: number, association: string | Buffer): Buffer =>
    Buffer.concat([Buffer.from([usage, selector, matchingType]), typeof association === 'string' ? Buffer.from(association, 'hex') : association]),
  soa: (): Buffer => Buffer.concat([encodeName('a.root-servers.net'), encodeName('nstld.verisign-grs.com'), Buffer.alloc(20, 1)]),
};

/** The eight 16-bit words of an IPv6 address written with hex groups and at most one "::" (no dotted tail). */
function ipv6Words(address: string): number[] {
  const [head, tail] = address.split('::');
  const words = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = words(head);
  const right = words(tail);
  const all = tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  if (all.length !== 8 || all.some((w) => !(w >= 0 && w <= 0xffff))) throw new Error(`not an IPv6 address the test peer can encode: ${address}`);
  return all;
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n, 0);
  return b;
}

export function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])), Buffer.from([0])]);
}

const lower = (name: string) => name.replace(/\.$/, '').toLowerCase();

/** The question and the flags of a query; undefined for anything else. */
export function parseQuery(msg: Buffer): (QuestionInfo & { flags: number; edns: boolean; dnssecOk: boolean }) | undefined {
  if (msg.length < 12) return undefined;
  const flags = msg.readUInt16BE(2);
  if (flags & 0x8000 || msg.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let at = 12;
  for (;;) {
    if (at >= msg.length) return undefined;
    const len = msg[at];
    if (len === 0) break;
    if (len > 63 || at + 1 + len > msg.length) return undefined;
    labels.push(msg.toString('latin1', at + 1, at + 1 + len));
    at += 1 + len;
  }
  at += 1;
  if (at + 4 > msg.length) return undefined;
  const raw = msg.subarray(12, at + 4);
  const type = msg.readUInt16BE(at);
  at += 4;
  // An OPT record in the additional section: root name, type 41, DO in the TTL's flags.
  let edns = false;
  let dnssecOk = false;
  if (msg.readUInt16BE(10) >= 1 && at + 11 <= msg.length && msg[at] === 0 && msg.readUInt16BE(at + 1) === T.OPT) {
    edns = true;
    dnssecOk = (msg.readUInt16BE(at + 7) & 0x8000) !== 0;
  }
  return { id: msg.readUInt16BE(0), flags, name: lower(labels.join('.')), type, raw, edns, dnssecOk };
}

function record(owner: string, type: number, data: Buffer, ttl = 60): Buffer {
  const head = Buffer.alloc(10);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(1, 2);
  head.writeUInt32BE(ttl, 4);
  head.writeUInt16BE(data.length, 8);
  return Buffer.concat([encodeName(owner), head, data]);
}

export async function startWireDns(options: WireDnsOptions = {}): Promise<WireDnsPeer> {
  const table = new Map<string, WireDnsRecord[]>();
  for (const r of options.records ?? []) {
    const key = lower(r.name);
    table.set(key, [...(table.get(key) ?? []), r]);
  }
  const queries: SeenQuery[] = [];
  const adFor = (name: string, type: number) => (typeof options.ad === 'function' ? options.ad(name, type) : options.ad === true);

  const answer = (q: NonNullable<ReturnType<typeof parseQuery>>, transport: 'udp' | 'tcp'): Buffer[] | undefined => {
    queries.push({ id: q.id, name: q.name, type: q.type, transport, rd: (q.flags & 0x0100) !== 0, ad: (q.flags & 0x0020) !== 0, edns: q.edns, dnssecOk: q.dnssecOk });
    if (options.silent?.(q.name, q.type)) return undefined;
    const hostile = options.respond?.(q, transport);
    if (hostile) return Buffer.isBuffer(hostile) ? [hostile] : [...(hostile as readonly Buffer[])];
    const truncated = transport === 'udp' && options.truncate?.(q.name, q.type) === true;
    let rcode = options.rcode?.(q.name, q.type);
    const answers: Buffer[] = [];
    if (rcode === undefined && !truncated) {
      let owner = q.name;
      for (let hop = 0; hop < 8; hop++) {
        const here = table.get(owner) ?? [];
        const direct = here.filter((r) => r.type === q.type);
        if (direct.length > 0 || q.type === T.CNAME) {
          answers.push(...direct.map((r) => record(owner, r.type, r.data, r.ttl)));
          break;
        }
        const alias = here.find((r) => r.type === T.CNAME);
        if (!alias) break;
        answers.push(record(owner, T.CNAME, alias.data, alias.ttl));
        owner = decodeSimpleName(alias.data);
      }
      rcode = answers.length === 0 && !table.has(q.name) ? 3 : 0;
    }
    const header = Buffer.alloc(12);
    header.writeUInt16BE(q.id, 0);
    const ad = !truncated && rcode === 0 && adFor(q.name, q.type) ? 0x0020 : 0;
    // QR, AA, TC when truncating, RD echoed, RA, AD, rcode.
    header.writeUInt16BE(0x8000 | 0x0400 | (truncated ? 0x0200 : 0) | (q.flags & 0x0100) | 0x0080 | ad | (rcode ?? 0), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    const opt = q.edns ? [Buffer.from([0, T.OPT >> 8, T.OPT & 0xff, 0x04, 0xd0, 0, 0, q.dnssecOk ? 0x80 : 0, 0, 0, 0])] : [];
    header.writeUInt16BE(opt.length, 10);
    return [Buffer.concat([header, q.raw, ...answers, ...opt])];
  };

  const address = options.address ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
        const msg = buffer.subarray(2, 2 + buffer.readUInt16BE(0));
        buffer = buffer.subarray(2 + msg.length);
        const q = parseQuery(msg);
        const out = q && answer(q, 'tcp');
        for (const m of out ?? []) socket.write(Buffer.concat([u16(Math.min(m.length, 0xffff)), m]));
      }
    });
  });
  const udp = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
  udp.on('error', () => undefined);
  udp.on('message', (msg, rinfo) => {
    const q = parseQuery(msg);
    const out = q && answer(q, 'udp');
    for (const m of out ?? []) udp.send(m, rinfo.port, rinfo.address);
  });

  const port = await new Promise<number>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(options.port ?? 0, address, () => resolve((tcp.address() as net.AddressInfo).port));
  });
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, address, () => resolve());
  }).catch(async (e) => {
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
    throw e;
  });
  return {
    port,
    server: net.isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`,
    queries,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([new Promise<void>((resolve) => tcp.close(() => resolve())), new Promise<void>((resolve) => udp.close(() => resolve()))]);
    },
  };
}

/** Starts a wire DNS server, retrying when the UDP half of a free TCP port is taken. */
export async function startWireDnsRetrying(options: WireDnsOptions = {}): Promise<WireDnsPeer> {
  let last: unknown;
  for (let i = 0; i < 10; i++) {
    try {
      return await startWireDns(options);
    } catch (e) {
      last = e;
      if (options.port !== undefined) break;
    }
  }
  throw last;
}

function decodeSimpleName(data: Buffer): string {
  const labels: string[] = [];
  for (let at = 0; at < data.length && data[at] !== 0; at += 1 + data[at]) labels.push(data.toString('latin1', at + 1, at + 1 + data[at]));
  return lower(labels.join('.'));
}

/** A response header + echoed question for `q`, with the given flags and counts, then `body` as it is. */
export function rawResponse(q: QuestionInfo, body: Buffer, counts: { an?: number; ns?: number; ar?: number } = {}, flags = 0x8580, id = q.id): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(flags, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(counts.an ?? 0, 6);
  header.writeUInt16BE(counts.ns ?? 0, 8);
  header.writeUInt16BE(counts.ar ?? 0, 10);
  return Buffer.concat([header, q.raw, body]);
}
