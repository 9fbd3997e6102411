// Facts about host names and IP addresses, in one place: what an address is (parsed once, classified by one
// table of special ranges), and the few policies built on that table. A check that needs its own answer adds
// a named policy here, never a second classifier.

import { isIPv4 } from 'net';

/** localhost, *.localhost, 127.0.0.0/8, ::1, 0.0.0.0: the mail server runs on this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h === 'localhost.localdomain' ||
    /^127(\.\d{1,3}){3}$/.test(h) ||
    h === '::1' ||
    h === '0:0:0:0:0:0:0:1' ||
    h === '::ffff:127.0.0.1' ||
    h === '0.0.0.0'
  );
}

// ---------------------------------------------------------------- parsing

/** An IP address as bytes: 4 for IPv4, 16 for IPv6. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly bytes: readonly number[];
}

/**
 * Whether text is an IPv6 address (RFC 4291 §2.2: eight groups, one `::`, a dotted IPv4 tail, a zone id). Not
 * net.isIPv6: its pattern takes milliseconds to compile on first use, which every CLI run would pay at start-up.
 */
export function isIpv6Text(text: string): boolean {
  // A zone id (fe80::1%eth0) as Node reads one.
  let t = text.replace(/%[0-9A-Za-z.:-]+$/, '');
  if (!t.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(t)) return false;
  const v4 = /:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(t);
  if (v4) {
    if (!isIPv4(v4[1])) return false;
    t = `${t.slice(0, v4.index + 1)}0:0`;
  }
  const halves = t.split('::');
  if (halves.length > 2) return false;
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
  const groups = [...groupsOf(halves[0]), ...(halves.length === 2 ? groupsOf(halves[1]) : [])];
  if (groups.some((g) => !/^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped, embedded IPv4 expanded), or undefined. */
export function ipv6Groups(address: string): number[] | undefined {
  const bare = address.replace(/%.*$/, '');
  if (!isIpv6Text(bare)) return undefined;
  let text = bare;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const zeros = tail === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}

/**
 * A bare IP address (`192.0.2.1`, `2001:DB8::1`, `::ffff:192.0.2.1`, `fe80::1%eth0`) as bytes, exactly as
 * written: an IPv4-mapped IPv6 address stays IPv6 here (see `unmapped`). Undefined for anything else.
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (isIPv4(text)) return { family: 4, bytes: text.split('.').map(Number) };
  const groups = ipv6Groups(text);
  return groups ? { family: 6, bytes: groups.flatMap((g) => [g >> 8, g & 0xff]) } : undefined;
}

/**
 * The IPv4 address an IPv4-mapped IPv6 address (::ffff:0:0/96, RFC 4291 §2.5.5.2) carries, else the address
 * itself. Such an address is how a dual-stack socket shows an IPv4 peer: it IS that IPv4 address, so every
 * classification and comparison below looks through it (SPF says the same, RFC 7208 §5).
 */
export function unmapped(ip: IpAddress): IpAddress {
  const b = ip.bytes;
  const mapped = ip.family === 6 && b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  return mapped ? { family: 4, bytes: b.slice(12) } : ip;
}

/** `parseIpAddress` then `unmapped`: the address a peer really has. */
export function parsePeerAddress(text: string): IpAddress | undefined {
  const ip = parseIpAddress(text);
  return ip && unmapped(ip);
}

/** Dotted quad for IPv4; lowercase groups without leading zeros or `::` for IPv6 (one spelling per address). */
export function addressKey(ip: IpAddress): string {
  if (ip.family === 4) return ip.bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip.bytes[i] << 8) | ip.bytes[i + 1]).toString(16));
  return groups.join(':');
}

// ---------------------------------------------------------------- networks

/** An address block: the first `prefix` bits of `address`. */
export interface Cidr {
  readonly address: IpAddress;
  readonly prefix: number;
}

/**
 * `192.0.2.0/24`, `2001:db8::/32`, `[2001:db8::]/32`, `[::]/0`, or a bare address (a /32 or /128); undefined
 * for anything else. An IPv4 address in brackets is not a network (Postfix writes only IPv6 that way).
 */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^(?:\[([^\]%]*)\]|([^[\]/%]+))(?:\/(\d{1,3}))?$/.exec(text.trim());
  if (!m) return undefined;
  const address = parseIpAddress(m[1] ?? m[2]);
  if (!address || (m[1] !== undefined && address.family === 4)) return undefined;
  const width = address.bytes.length * 8;
  const prefix = m[3] === undefined ? width : Number(m[3]);
  return prefix <= width ? { address, prefix } : undefined;
}

/** Whether `ip` lies in `cidr` (same family only: an IPv4-mapped address is unmapped first). */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.address.family !== ip.family) return false;
  for (let bit = 0; bit < cidr.prefix; bit++) {
    const mask = 0x80 >> bit % 8;
    if ((ip.bytes[bit >> 3] & mask) !== (cidr.address.bytes[bit >> 3] & mask)) return false;
  }
  return true;
}

/** Whether every address of `inner` lies in `outer`. */
export function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  return inner.prefix >= outer.prefix && cidrContains(outer, inner.address);
}

// ---------------------------------------------------------------- classes

/**
 * What a special-purpose range is for (the IANA IPv4 and IPv6 Special-Purpose Address Registries, RFC 6890),
 * `public` for every other address of the global unicast space.
 */
export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'this-network'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'site-local'
  | 'unique-local'
  | 'ietf-protocol'
  | 'documentation'
  | 'benchmarking'
  | 'multicast'
  | 'reserved'
  | 'discard'
  | 'not-global-unicast'
  | '6to4-relay'
  | '6to4'
  | 'teredo'
  | 'nat64';

export interface AddressClassification {
  readonly class: AddressClass;
  /** For people: "a private address (RFC 1918)". */
  readonly description: string;
}

type Range = readonly [cidr: string, cls: AddressClass, description: string];

const SPECIAL_RANGES: readonly Range[] = [
  ['0.0.0.0/8', 'this-network', '"this network" (0.0.0.0/8)'],
  ['10.0.0.0/8', 'private', 'a private address (RFC 1918)'],
  ['100.64.0.0/10', 'shared', 'a carrier-grade NAT address (RFC 6598)'],
  ['127.0.0.0/8', 'loopback', 'a loopback address'],
  ['169.254.0.0/16', 'link-local', 'a link-local address'],
  ['172.16.0.0/12', 'private', 'a private address (RFC 1918)'],
  ['192.0.0.0/24', 'ietf-protocol', 'an IETF protocol address (192.0.0.0/24)'],
  ['192.0.2.0/24', 'documentation', 'a documentation address (RFC 5737)'],
  ['192.88.99.0/24', '6to4-relay', 'a 6to4 relay address (RFC 7526)'],
  ['192.168.0.0/16', 'private', 'a private address (RFC 1918)'],
  ['198.18.0.0/15', 'benchmarking', 'a benchmarking address (RFC 2544)'],
  ['198.51.100.0/24', 'documentation', 'a documentation address (RFC 5737)'],
  ['203.0.113.0/24', 'documentation', 'a documentation address (RFC 5737)'],
  ['224.0.0.0/4', 'multicast', 'a multicast address'],
  ['240.0.0.0/4', 'reserved', 'a reserved address (240.0.0.0/4)'],
  ['::/128', 'unspecified', 'the unspecified address'],
  ['::1/128', 'loopback', 'a loopback address'],
  ['64:ff9b::/96', 'nat64', 'a NAT64 address (RFC 6052)'],
  ['64:ff9b:1::/48', 'nat64', 'a NAT64 address (RFC 8215)'],
  ['100::/64', 'discard', 'a discard-only address (RFC 6666)'],
  ['2001::/32', 'teredo', 'a Teredo address'],
  ['2001:2::/48', 'benchmarking', 'a benchmarking address (RFC 5180)'],
  ['2001:db8::/32', 'documentation', 'a documentation address (RFC 3849)'],
  ['2002::/16', '6to4', 'a 6to4 address'],
  ['3fff::/20', 'documentation', 'a documentation address (RFC 9637)'],
  ['fc00::/7', 'unique-local', 'a unique local (private) address'],
  ['fe80::/10', 'link-local', 'a link-local address'],
  ['fec0::/10', 'site-local', 'a site-local address'],
  ['ff00::/8', 'multicast', 'a multicast address'],
];

// Parsed on first use: parsing at load would cost every start of the CLI (net.isIPv4's pattern among it).
let specialRanges: (readonly [Cidr, AddressClassification])[] | undefined;
const ranges = () => (specialRanges ??= SPECIAL_RANGES.map(([cidr, cls, description]) => [parseCidr(cidr) as Cidr, { class: cls, description }] as const));
/** IPv6 global unicast (RFC 4291 §2.4): everything IANA hands out today; the rest of the space is unassigned. */
let globalUnicastV6: Cidr | undefined;

/** The class of an address; an IPv4-mapped IPv6 address is classified as the IPv4 address it carries. */
export function classifyAddress(address: IpAddress): AddressClassification {
  const ip = unmapped(address);
  const hit = ranges().find(([cidr]) => cidrContains(cidr, ip));
  if (hit) return hit[1];
  if (ip.family === 6 && !cidrContains((globalUnicastV6 ??= parseCidr('2000::/3') as Cidr), ip)) return { class: 'not-global-unicast', description: 'not a global unicast address (outside 2000::/3)' };
  return { class: 'public', description: 'a public address' };
}

// ---------------------------------------------------------------- policies

/**
 * Whether an Internet peer can see a connection from this address, so that sending-address checks (SPF,
 * DNSBL, NAT detection) mean something for it. Decided once:
 * - IPv4-mapped IPv6 (RFC 4291 §2.5.5.2): as the IPv4 address it carries.
 * - 6to4 (2002::/16, RFC 3056) and Teredo (2001::/32, RFC 4380): public. They are globally routed tunnel
 *   addresses a host really sends from; only the 6to4 relay anycast block (192.88.99.0/24) is deprecated
 *   (RFC 7526) and not public.
 * - NAT64 (64:ff9b::/96, RFC 6052; 64:ff9b:1::/48, RFC 8215): not public. The prefix is translated inside the
 *   network that runs the translator (DNS64 synthesises such addresses for IPv4-only hosts); the Internet sees
 *   the translator's IPv4 address, never this one.
 * - Every other special-purpose range, and IPv6 outside 2000::/3: not public.
 */
export function isPublicIp(address: IpAddress): boolean {
  const cls = classifyAddress(address).class;
  return cls === 'public' || cls === '6to4' || cls === 'teredo';
}

/** `isPublicIp` for address text (bare, in brackets, or with a zone id); false for anything not an address. */
export function isPublicAddress(address: string): boolean {
  const ip = parseIpAddress(address.trim().replace(/^\[(?:ipv6:)?(.*)\]$/i, '$1'));
  return ip !== undefined && isPublicIp(ip);
}

/**
 * Why a DNSBL lookup of this address would mean nothing, or undefined when it is a plain public unicast
 * address. Stricter than `isPublicIp`: a 6to4 or Teredo address carries the IPv4 address of its tunnel end,
 * and the verdict that matters is that IPv4 address's, so these are skipped with their reason too.
 */
export function dnsblSkipReason(address: IpAddress): string | undefined {
  const { class: cls, description } = classifyAddress(address);
  return cls === 'public' ? undefined : description;
}

const LOCAL_NETWORK_CLASSES: ReadonlySet<AddressClass> = new Set(['loopback', 'private', 'shared', 'link-local', 'unique-local']);

/**
 * Whether every address of `cidr` is one no Internet client connects from (loopback, RFC 1918, carrier-grade
 * NAT, link-local, unique local): trusting such a network cannot let the Internet relay.
 */
export function isLocalNetwork(cidr: Cidr): boolean {
  return ranges().some(([range, c]) => LOCAL_NETWORK_CLASSES.has(c.class) && cidrWithin(cidr, range));
}
