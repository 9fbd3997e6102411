// The live checks' DNS client: every record query of every check goes through it (dnsRecords.ts is its
// small typed front; DANE reads its raw responses for the AD bit). It speaks the wire format itself, for what
// Node's resolver cannot do: TLSA records (type 52), the AD (authenticated data) bit a validating resolver
// sets on DNSSEC-secure answers, the bytes of TXT strings, and names Node refuses to send (SPF target names
// may hold any visible character and spaces: "foo:bar/baz.example.com", a macro-expanded local part).
//
// One query: id from the CSPRNG, RD, AD requested, EDNS0 (with the DO bit unless told otherwise). It goes over UDP (a connected
// socket per attempt, so only the server's own datagrams reach us) to the configured servers in turn, retried
// within `timeoutMs`; a truncated answer (TC) is asked again over TCP. Answers are parsed strictly and
// defensively: at most 64 KB, counts checked against the length, name compression only backwards and with
// a jump limit, every read bounds-checked — hostile input yields "malformed", never an exception. An answer
// must carry our id and our question. Every socket is closed before the promise settles; the AbortSignal
// stops everything at once. No name is ever resolved to reach a server: servers are IP addresses.

import { randomInt } from 'crypto';
import { createSocket } from 'dgram';
import { getServers } from 'dns';
import { connect as connectSocket, isIP, isIPv6 } from 'net';
import { monotonicMs } from './builtins';
import { watchAbort } from './abortWatch';
import type { DnsCheckOptions } from './dnsTypes';

export const DNS_TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, OPT: 41, DS: 43, RRSIG: 46, DNSKEY: 48, TLSA: 52 } as const;

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

const CLASS_IN = 1;
const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_TRIES = 2;
/** The EDNS0 UDP payload size we advertise (the DNS flag day 2020 value: no IP fragmentation). */
const EDNS_UDP_SIZE = 1232;
/** Largest DNS message we accept over either transport. */
export const MAX_MESSAGE_BYTES = 65535;
/** Most compression pointers followed in one name. */
const MAX_POINTER_JUMPS = 64;
/** Answer records kept from one message (the rest are checked, then dropped). */
const MAX_KEPT_ANSWERS = 256;
/** Bytes of an undecoded record's data kept (as hex). */
const MAX_RAW_RDATA = 256;
/** Most servers asked per query (resolv.conf allows 3). */
const MAX_SERVERS = 8;
/** CNAME hops followed inside one answer. */
const MAX_CNAME_HOPS = 8;

/** A TXT record: its character strings, each byte as one character (latin1), in order. */
export interface TxtData {
  readonly strings: readonly string[];
}

/** A TLSA record (RFC 6698): certificate usage, selector, matching type, and the association data in hex. */
export interface TlsaData {
  readonly usage: number;
  readonly selector: number;
  readonly matchingType: number;
  /** Lower-case hex. */
  readonly association: string;
}

export interface WireRecord {
  /** Owner name, without the trailing dot ("" is the root). */
  readonly name: string;
  readonly type: number;
  readonly ttl: number;
  /**
   * TLSA, TXT: the decoded record. CNAME, NS, PTR: the target name. A, AAAA: the address. MX: "preference
   * exchange". Anything else: the record data in hex (at most 256 bytes of it).
   */
  readonly data: TlsaData | TxtData | string;
}

export interface WireMessage {
  readonly id: number;
  /** The response bit. */
  readonly qr: boolean;
  readonly opcode: number;
  readonly aa: boolean;
  /** Truncated: the full answer needs TCP. */
  readonly tc: boolean;
  readonly rd: boolean;
  readonly ra: boolean;
  /** Authenticated data: the (validating) resolver says every record in the answer is DNSSEC-secure. */
  readonly ad: boolean;
  readonly cd: boolean;
  /** Including the EDNS0 extended bits. */
  readonly rcode: number;
  readonly question?: { readonly name: string; readonly type: number; readonly qclass: number };
  /** The answer section (at most 256 records are kept; `answerCount` says how many there were). */
  readonly answers: readonly WireRecord[];
  readonly answerCount: number;
  /** The OPT record, when the message has one. */
  readonly edns?: { readonly udpSize: number; readonly dnssecOk: boolean; readonly version: number };
}

export type ParseOutcome = { readonly message: WireMessage; readonly error?: undefined } | { readonly message?: undefined; readonly error: string };

export interface WireResponse {
  readonly rcode: number;
  readonly ad: boolean;
  readonly answers: readonly WireRecord[];
  /** The server that answered ("host:port"), and over what. */
  readonly server: string;
  readonly transport: 'udp' | 'tcp';
}

/**
 * A response, whatever its rcode (see `rcodeError`); or why none came: ETIMEOUT, ECANCELLED, ECONNREFUSED,
 * EBADRESP (only malformed answers arrived), EBADNAME (the name cannot be asked), EINVAL (no usable server).
 */
export type WireOutcome = { readonly response: WireResponse; readonly error?: undefined } | { readonly response?: undefined; readonly error: string };

export interface WireQueryOptions extends DnsCheckOptions {
  /** Set the DO bit (default true): ask for DNSSEC records, which only DANE needs. */
  readonly dnssecOk?: boolean;
}

// ---- building a query ------------------------------------------------------------------------------------

/** A name without its trailing dot, lower-cased for comparison. */
export function normalizeName(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

/**
 * The name in wire format, uncompressed; undefined when it cannot be sent (non-ASCII or control
 * characters, empty or long labels). Labels may hold spaces and any visible character but the dot.
 */
export function encodeName(name: string): Buffer | undefined {
  const bare = name.replace(/\.$/, '');
  if (bare === '') return Buffer.from([0]);
  const labels = bare.split('.');
  const parts: Buffer[] = [];
  let length = 1;
  for (const label of labels) {
    if (label.length === 0 || label.length > 63 || !/^[\x20-\x7e]+$/.test(label)) return undefined;
    parts.push(Buffer.from([label.length]), Buffer.from(label, 'latin1'));
    length += label.length + 1;
  }
  if (length > 255) return undefined;
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** A query with RD and AD set and an EDNS0 OPT record, by default with the DO bit (RFC 3225, RFC 6840 §5.7). */
export function buildQuery(id: number, name: string, type: number, dnssecOk = true): Buffer | undefined {
  const qname = encodeName(name);
  if (!qname) return undefined;
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id & 0xffff, 0);
  header.writeUInt16BE(0x0100 | 0x0020, 2); // RD, AD
  header.writeUInt16BE(1, 4); // QDCOUNT
  header.writeUInt16BE(1, 10); // ARCOUNT: the OPT record
  const question = Buffer.alloc(4);
  question.writeUInt16BE(type & 0xffff, 0);
  question.writeUInt16BE(CLASS_IN, 2);
  // OPT: root owner, type 41, class = UDP payload size, TTL = extended rcode 0, version 0, flags DO.
  const opt = Buffer.from([0, 0, 41, (EDNS_UDP_SIZE >> 8) & 0xff, EDNS_UDP_SIZE & 0xff, 0, 0, dnssecOk ? 0x80 : 0, 0, 0, 0]);
  return Buffer.concat([header, qname, question, opt]);
}

// ---- parsing ---------------------------------------------------------------------------------------------

/** One label as text: letters, digits and most punctuation as they are; dots, backslashes and the rest as \DDD. */
function labelText(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b > 0x20 && b < 0x7f && b !== 0x2e && b !== 0x5c) out += String.fromCharCode(b);
    else out += '\\' + b.toString().padStart(3, '0');
  }
  return out;
}

/** A name we send (dots separate labels, everything else is literal) as parsed names read: see labelText. */
export function presentationName(name: string): string {
  return normalizeName(name)
    .split('.')
    .map((label) => labelText(Buffer.from(label, 'latin1')))
    .join('.');
}

/**
 * The name at `offset`: its text and where the record continues. Compression pointers must point before
 * themselves, at most 64 of them, and the name must stay within 255 bytes; otherwise undefined.
 */
export function readName(buf: Uint8Array, offset: number): { readonly name: string; readonly next: number } | undefined {
  const labels: string[] = [];
  let pos = offset;
  let next = -1;
  let jumps = 0;
  let wireLength = 1;
  for (;;) {
    if (pos < 0 || pos >= buf.length) return undefined;
    const len = buf[pos];
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= buf.length) return undefined;
      const target = ((len & 0x3f) << 8) | buf[pos + 1];
      if (target >= pos || ++jumps > MAX_POINTER_JUMPS) return undefined;
      if (next < 0) next = pos + 2;
      pos = target;
      continue;
    }
    if (kind !== 0) return undefined; // 0x40 and 0x80: extended / reserved label types
    if (pos + 1 + len > buf.length) return undefined;
    wireLength += len + 1;
    if (wireLength > 255) return undefined;
    labels.push(labelText(buf.subarray(pos + 1, pos + 1 + len)));
    pos += 1 + len;
  }
  return { name: labels.join('.'), next };
}

function u16(buf: Uint8Array, at: number): number {
  return (buf[at] << 8) | buf[at + 1];
}

function u32(buf: Uint8Array, at: number): number {
  return ((buf[at] << 24) >>> 0) + ((buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** An IPv6 address from its 16 bytes, in the RFC 5952 text form (lower case, the longest zero run as "::"). */
export function ipv6Text(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(u16(bytes, i).toString(16));
  // The shortest form: the longest run of zero groups (two or more) becomes "::".
  let best = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLength && j - i > 1) {
      best = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLength).join(':')}`;
}

/** TXT data: character strings, each a length byte and that many bytes, filling the data exactly. */
function decodeTxt(buf: Uint8Array, start: number, end: number): TxtData | undefined {
  const strings: string[] = [];
  for (let at = start; at < end; ) {
    const length = buf[at];
    if (at + 1 + length > end) return undefined;
    strings.push(Buffer.from(buf.buffer, buf.byteOffset + at + 1, length).toString('latin1'));
    at += 1 + length;
  }
  return { strings };
}

/** The record data, decoded for the types we use; undefined when it is malformed for its type. */
function decodeRdata(buf: Uint8Array, type: number, start: number, end: number): TlsaData | TxtData | string | undefined {
  const length = end - start;
  switch (type) {
    case DNS_TYPE.TXT:
      return decodeTxt(buf, start, end);
    case DNS_TYPE.TLSA:
      if (length < 3) return undefined;
      return { usage: buf[start], selector: buf[start + 1], matchingType: buf[start + 2], association: hex(buf.subarray(start + 3, end)) };
    case DNS_TYPE.CNAME:
    case DNS_TYPE.NS:
    case DNS_TYPE.PTR: {
      const target = readName(buf, start);
      return target && target.next === end ? target.name : undefined;
    }
    case DNS_TYPE.MX: {
      if (length < 3) return undefined;
      const exchange = readName(buf, start + 2);
      return exchange && exchange.next === end ? `${u16(buf, start)} ${exchange.name}` : undefined;
    }
    case DNS_TYPE.A:
      return length === 4 ? Array.from(buf.subarray(start, end)).join('.') : undefined;
    case DNS_TYPE.AAAA:
      return length === 16 ? ipv6Text(buf.subarray(start, end)) : undefined;
    default:
      return hex(buf.subarray(start, Math.min(end, start + MAX_RAW_RDATA)));
  }
}

/**
 * Parses a DNS message. Never throws: anything that does not add up (lengths, counts, names, record data of
 * the types it decodes, bytes left over) makes it "malformed".
 */
export function parseMessage(buf: Uint8Array): ParseOutcome {
  const bad = (why: string): ParseOutcome => ({ error: `malformed DNS message: ${why}` });
  if (buf.length < 12) return bad('shorter than a header');
  if (buf.length > MAX_MESSAGE_BYTES) return bad('longer than 65535 bytes');
  const id = u16(buf, 0);
  const flags = u16(buf, 2);
  const qd = u16(buf, 4);
  const an = u16(buf, 6);
  const ns = u16(buf, 8);
  const ar = u16(buf, 10);
  if (qd > 1) return bad(`${qd} questions`);
  // Every question takes at least 5 bytes, every record at least 11: counts that cannot fit are lies.
  if (qd * 5 + (an + ns + ar) * 11 > buf.length - 12) return bad('record counts exceed the message length');

  let pos = 12;
  let question: WireMessage['question'];
  if (qd === 1) {
    const name = readName(buf, pos);
    if (!name || name.next + 4 > buf.length) return bad('bad question');
    question = { name: name.name, type: u16(buf, name.next), qclass: u16(buf, name.next + 2) };
    pos = name.next + 4;
  }

  const answers: WireRecord[] = [];
  let edns: WireMessage['edns'];
  let extendedRcode = 0;
  for (let i = 0; i < an + ns + ar; i++) {
    const owner = readName(buf, pos);
    if (!owner || owner.next + 10 > buf.length) return bad(`record ${i + 1} is cut short`);
    const at = owner.next;
    const type = u16(buf, at);
    const rclass = u16(buf, at + 2);
    const ttlRaw = u32(buf, at + 4);
    const rdLength = u16(buf, at + 8);
    const start = at + 10;
    const end = start + rdLength;
    if (end > buf.length) return bad(`record ${i + 1} data runs past the end`);
    pos = end;
    if (type === DNS_TYPE.OPT) {
      if (i < an + ns || edns || owner.name !== '') return bad('misplaced OPT record');
      edns = { udpSize: rclass, dnssecOk: (ttlRaw & 0x8000) !== 0, version: (ttlRaw >>> 16) & 0xff };
      extendedRcode = ttlRaw >>> 24;
      continue;
    }
    const data = decodeRdata(buf, type, start, end);
    if (data === undefined) return bad(`record ${i + 1} (type ${type}) has malformed data`);
    // RFC 2181 §8: a TTL with the top bit set is read as zero.
    if (i < an && answers.length < MAX_KEPT_ANSWERS && rclass === CLASS_IN) answers.push({ name: owner.name, type, ttl: ttlRaw > 0x7fffffff ? 0 : ttlRaw, data });
  }
  if (pos !== buf.length) return bad(`${buf.length - pos} bytes after the last record`);

  return {
    message: {
      id,
      qr: (flags & 0x8000) !== 0,
      opcode: (flags >> 11) & 0xf,
      aa: (flags & 0x0400) !== 0,
      tc: (flags & 0x0200) !== 0,
      rd: (flags & 0x0100) !== 0,
      ra: (flags & 0x0080) !== 0,
      ad: (flags & 0x0020) !== 0,
      cd: (flags & 0x0010) !== 0,
      rcode: (extendedRcode << 4) | (flags & 0xf),
      ...(question ? { question } : {}),
      answers,
      answerCount: an,
      ...(edns ? { edns } : {}),
    },
  };
}

/**
 * Whether `message` answers our query: a response, our id, and our question (name compared without case);
 * a response with no question section is accepted only as an error (some servers drop it with FORMERR).
 */
export function answersQuery(message: WireMessage, id: number, name: string, type: number): boolean {
  if (!message.qr || message.id !== id || message.opcode !== 0) return false;
  if (!message.question) return message.rcode !== RCODE.NOERROR;
  return normalizeName(message.question.name) === presentationName(name) && message.question.type === type && message.question.qclass === CLASS_IN;
}

/** The resolver-style code of a response's rcode: undefined for NOERROR, ENOTFOUND for NXDOMAIN... */
export function rcodeError(rcode: number): string | undefined {
  switch (rcode) {
    case RCODE.NOERROR:
      return undefined;
    case RCODE.FORMERR:
      return 'EFORMERR';
    case RCODE.SERVFAIL:
      return 'ESERVFAIL';
    case RCODE.NXDOMAIN:
      return 'ENOTFOUND';
    case RCODE.NOTIMP:
      return 'ENOTIMP';
    case RCODE.REFUSED:
      return 'EREFUSED';
    default:
      return `ERCODE${rcode}`;
  }
}

/**
 * The records of `type` that answer `name`, following the CNAME chain inside the answer (at most 8 hops):
 * `owner` is the name the records belong to, `aliases` the CNAMEs taken.
 */
export function recordsFor(response: Pick<WireResponse, 'answers'>, name: string, type: number): { readonly records: WireRecord[]; readonly owner: string; readonly aliases: string[] } {
  let owner = presentationName(name);
  const aliases: string[] = [];
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
    const records = response.answers.filter((r) => r.type === type && normalizeName(r.name) === owner);
    if (records.length > 0 || type === DNS_TYPE.CNAME) return { records, owner, aliases };
    const alias = response.answers.find((r) => r.type === DNS_TYPE.CNAME && normalizeName(r.name) === owner);
    if (!alias || typeof alias.data !== 'string') break;
    aliases.push(`${owner} CNAME ${alias.data}`);
    owner = normalizeName(alias.data);
  }
  return { records: [], owner, aliases };
}

// ---- servers ---------------------------------------------------------------------------------------------

export interface ServerAddress {
  readonly host: string;
  readonly port: number;
}

/** "192.0.2.1", "192.0.2.1:5353", "[2001:db8::1]:53", "2001:db8::1": an IP address and port; else undefined. */
export function parseServer(text: string): ServerAddress | undefined {
  const s = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(s);
  const [host, portText] = bracketed ? [bracketed[1], bracketed[2]] : isIP(s) ? [s, undefined] : (/^([^:]+):(\d{1,5})$/.exec(s)?.slice(1) ?? []);
  if (!host || !isIP(host)) return undefined;
  const port = portText === undefined ? 53 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host, port };
}

export function formatServer(server: ServerAddress): string {
  return isIPv6(server.host) ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

/** The system's nameservers: those handed in (node/systemResolvers.ts reads resolv.conf), else Node's resolver's. */
function systemServers(given: readonly string[] | undefined): string[] {
  if (given?.length) return [...given];
  const fromNode = getServers();
  return fromNode.length > 0 ? fromNode : ['127.0.0.1:53'];
}

// ---- exchanges -------------------------------------------------------------------------------------------

type Accept = (bytes: Buffer) => WireMessage | 'ignore' | 'malformed';
type Exchange = { readonly message: WireMessage; readonly error?: undefined } | { readonly message?: undefined; readonly error: string };

function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code ? code : 'EUNKNOWN';
}

/**
 * Runs one exchange: `body` starts it and returns the cleanup (closing its socket); it settles once, through
 * `finish`, on an answer, an error, the time limit or the signal — and only after the cleanup ran.
 */
function exchange(ms: number, signal: AbortSignal | undefined, body: (finish: (r: Exchange) => void, state: { malformed: boolean }) => (done: () => void) => void): Promise<Exchange> {
  return new Promise<Exchange>((resolve) => {
    if (signal?.aborted) return resolve({ error: 'ECANCELLED' });
    const state = { malformed: false };
    let settled = false;
    let close: ((done: () => void) => void) | undefined;
    let pending: Exchange | undefined;
    const finish = (r: Exchange): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unwatch();
      if (close) close(() => resolve(r));
      else pending = r;
    };
    const timer = setTimeout(() => finish({ error: state.malformed ? 'EBADRESP' : 'ETIMEOUT' }), Math.max(1, ms));
    const unwatch = watchAbort(signal, () => finish({ error: 'ECANCELLED' }));
    close = body(finish, state);
    if (pending) close(() => resolve(pending!));
  });
}

function udpExchange(server: ServerAddress, query: Buffer, ms: number, accept: Accept, signal: AbortSignal | undefined): Promise<Exchange> {
  return exchange(ms, signal, (finish, state) => {
    const socket = createSocket(isIPv6(server.host) ? 'udp6' : 'udp4');
    socket.on('error', (e) => finish({ error: errorCode(e) }));
    socket.on('message', (bytes: Buffer) => {
      const verdict = accept(bytes);
      if (verdict === 'malformed') state.malformed = true;
      else if (verdict !== 'ignore') finish({ message: verdict });
    });
    // Connected: the kernel drops datagrams from anyone else, and a closed port shows as ECONNREFUSED.
    socket.connect(server.port, server.host, () => {
      try {
        socket.send(query, (e) => e && finish({ error: errorCode(e) }));
      } catch (e) {
        finish({ error: errorCode(e) });
      }
    });
    return (done) => {
      try {
        socket.close(() => done());
      } catch {
        done(); // already closed
      }
    };
  });
}

function tcpExchange(server: ServerAddress, query: Buffer, ms: number, accept: Accept, signal: AbortSignal | undefined): Promise<Exchange> {
  return exchange(ms, signal, (finish) => {
    const socket = connectSocket({ host: server.host, port: server.port });
    const chunks: Buffer[] = [];
    let received = 0;
    socket.on('error', (e) => finish({ error: errorCode(e) }));
    socket.on('connect', () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length, 0);
      socket.write(Buffer.concat([length, query]));
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received < 2) return;
      const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      chunks.length = 0;
      chunks.push(all);
      const length = all.readUInt16BE(0);
      if (received < 2 + length) return;
      const verdict = accept(all.subarray(2, 2 + length));
      // Over TCP the first message is the answer: anything else is a broken server.
      finish(verdict === 'ignore' || verdict === 'malformed' ? { error: 'EBADRESP' } : { message: verdict });
    });
    socket.on('close', () => finish({ error: 'ECONNRESET' }));
    return (done) => {
      if (socket.destroyed && socket.closed) return done();
      socket.once('close', () => done());
      socket.destroy();
    };
  });
}

/** Servers that answered SERVFAIL, REFUSED or NOTIMP: the next server may do better. */
const TRY_NEXT = new Set<number>([RCODE.SERVFAIL, RCODE.REFUSED, RCODE.NOTIMP]);

/**
 * Asks `name`/`type` (class IN) with DNSSEC OK and returns the first answer, whatever its rcode, with its AD
 * bit — or why there is none. Tries each server in turn, `tries` rounds within `timeoutMs` in all.
 */
export async function queryWire(name: string, type: number, options: WireQueryOptions = {}): Promise<WireOutcome> {
  const { signal } = options;
  if (signal?.aborted) return { error: 'ECANCELLED' };
  const id = randomInt(0, 0x10000);
  const query = buildQuery(id, name, type, options.dnssecOk ?? true);
  if (!query) return { error: 'EBADNAME' };
  const timeoutMs = Math.max(1, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const tries = Math.max(1, Math.min(10, options.tries ?? DEFAULT_TRIES));
  const deadline = monotonicMs() + timeoutMs;
  const configured = options.servers?.length ? [...options.servers] : systemServers(options.systemServers);
  const servers = configured
    .map(parseServer)
    .filter((s): s is ServerAddress => s !== undefined)
    .slice(0, MAX_SERVERS);
  if (servers.length === 0) return { error: 'EINVAL' };
  if (signal?.aborted) return { error: 'ECANCELLED' };

  const accept: Accept = (bytes) => {
    const parsed = parseMessage(bytes);
    if (!parsed.message) {
      // A truncated answer may be cut anywhere: its header (our id, QR and TC) is enough to go to TCP.
      const header = bytes.length >= 12 && u16(bytes, 0) === id && (u16(bytes, 2) & 0xfa00) === 0x8200;
      return header ? { id, qr: true, opcode: 0, aa: false, tc: true, rd: true, ra: false, ad: false, cd: false, rcode: 0, answers: [], answerCount: 0 } : 'malformed';
    }
    return answersQuery(parsed.message, id, name, type) ? parsed.message : 'ignore';
  };
  const response = (message: WireMessage, server: ServerAddress, transport: 'udp' | 'tcp'): WireResponse => ({
    rcode: message.rcode,
    ad: message.ad,
    answers: message.answers,
    server: formatServer(server),
    transport,
  });

  const perAttempt = Math.max(50, Math.floor(timeoutMs / (tries * servers.length)));
  const answered = new Set<ServerAddress>();
  let fallback: WireResponse | undefined;
  let lastError = 'ETIMEOUT';
  for (let round = 0; round < tries; round++) {
    for (const server of servers) {
      if (answered.has(server)) continue;
      const remaining = deadline - monotonicMs();
      if (remaining <= 0) break;
      const last = round === tries - 1 && server === servers[servers.length - 1];
      const udp = await udpExchange(server, query, last ? remaining : Math.min(perAttempt, remaining), accept, signal);
      if (udp.error === 'ECANCELLED' || signal?.aborted) return { error: 'ECANCELLED' };
      let message = udp.message;
      let transport: 'udp' | 'tcp' = 'udp';
      if (message?.tc) {
        const tcp = await tcpExchange(server, query, Math.max(1, deadline - monotonicMs()), accept, signal);
        if (tcp.error === 'ECANCELLED' || signal?.aborted) return { error: 'ECANCELLED' };
        message = tcp.message;
        transport = 'tcp';
        if (tcp.error) lastError = tcp.error;
      } else if (udp.error) {
        lastError = udp.error;
      }
      if (!message) continue;
      answered.add(server);
      if (!TRY_NEXT.has(message.rcode)) return { response: response(message, server, transport) };
      fallback ??= response(message, server, transport);
    }
    if (answered.size === servers.length) break;
  }
  if (fallback) return { response: fallback };
  return { error: lastError };
}
