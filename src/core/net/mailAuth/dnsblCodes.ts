// DNSBL (RFC 5782) pieces, pure: which addresses are worth asking about, the query name (reversed octets or
// nibbles + zone), and what an answer means per list. The big trap: several lists answer a refused query
// (public resolver, rate limit, unregistered user) with an address too, and that is NOT a listing.

import * as net from 'net';
import { ipv6Groups, reverseName } from '../dnsChecks';

// ---------------------------------------------------------------- addresses

const V4_SPECIAL: readonly (readonly [string, number, string])[] = [
  ['0.0.0.0', 8, '"this network" (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'a private address (RFC 1918)'],
  ['100.64.0.0', 10, 'a carrier-grade NAT address (RFC 6598)'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address'],
  ['172.16.0.0', 12, 'a private address (RFC 1918)'],
  ['192.0.0.0', 24, 'an IETF protocol address (192.0.0.0/24)'],
  ['192.0.2.0', 24, 'a documentation address (RFC 5737)'],
  ['192.88.99.0', 24, 'a 6to4 relay address (RFC 7526)'],
  ['192.168.0.0', 16, 'a private address (RFC 1918)'],
  ['198.18.0.0', 15, 'a benchmarking address (RFC 2544)'],
  ['198.51.100.0', 24, 'a documentation address (RFC 5737)'],
  ['203.0.113.0', 24, 'a documentation address (RFC 5737)'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved address (240.0.0.0/4)'],
];

const V6_SPECIAL: readonly (readonly [string, number, string])[] = [
  ['::', 128, 'the unspecified address'],
  ['::1', 128, 'a loopback address'],
  ['64:ff9b::', 96, 'a NAT64 address (RFC 6052)'],
  ['64:ff9b:1::', 48, 'a NAT64 address (RFC 8215)'],
  ['100::', 64, 'a discard-only address (RFC 6666)'],
  ['2001::', 32, 'a Teredo address'],
  ['2001:2::', 48, 'a benchmarking address (RFC 5180)'],
  ['2001:db8::', 32, 'a documentation address (RFC 3849)'],
  ['2002::', 16, 'a 6to4 address'],
  ['3fff::', 20, 'a documentation address (RFC 9637)'],
  ['fc00::', 7, 'a unique local (private) address'],
  ['fe80::', 10, 'a link-local address'],
  ['fec0::', 10, 'a site-local address'],
  ['ff00::', 8, 'a multicast address'],
];

function blockList(ranges: readonly (readonly [string, number, string])[], family: 'ipv4' | 'ipv6'): [net.BlockList, string][] {
  return ranges.map(([prefix, bits, why]) => {
    const list = new net.BlockList();
    list.addSubnet(prefix, bits, family);
    return [list, why];
  });
}

let v4Lists: [net.BlockList, string][] | undefined;
let v6Lists: [net.BlockList, string][] | undefined;
let globalUnicast: net.BlockList | undefined;

export type DnsblSubject =
  | { readonly kind: 'public'; readonly address: string; readonly family: 4 | 6 }
  | { readonly kind: 'skip'; readonly address: string; readonly reason: string }
  | { readonly kind: 'invalid' };

/** The 16-bit groups of an IPv6 address (no zone id), or undefined. */
const v6Groups = (address: string) => (address.includes('%') ? undefined : ipv6Groups(address));

/**
 * Whether `subject` (an IP address, bare or in brackets) is a public unicast address a DNSBL could list:
 * private, loopback, link-local, CGNAT, documentation, multicast and reserved ranges are skipped with the
 * reason. An IPv4-mapped IPv6 address (::ffff:192.0.2.1) is checked as the IPv4 address it carries.
 */
export function dnsblSubject(subject: string): DnsblSubject {
  const bare = /^\[(?:ipv6:)?(.*)\]$/i.exec(subject.trim())?.[1] ?? subject.trim();
  const address = bare.replace(/%.*$/, '');
  if (net.isIPv4(address)) {
    v4Lists ??= blockList(V4_SPECIAL, 'ipv4');
    const hit = v4Lists.find(([list]) => list.check(address, 'ipv4'));
    return hit ? { kind: 'skip', address, reason: hit[1] } : { kind: 'public', address, family: 4 };
  }
  const groups = v6Groups(address);
  if (!groups) return { kind: 'invalid' };
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return dnsblSubject([groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255].join('.'));
  }
  const canonical = groups.map((g) => g.toString(16)).join(':');
  v6Lists ??= blockList(V6_SPECIAL, 'ipv6');
  const hit = v6Lists.find(([list]) => list.check(canonical, 'ipv6'));
  if (hit) return { kind: 'skip', address, reason: hit[1] };
  if (!globalUnicast) {
    globalUnicast = new net.BlockList();
    globalUnicast.addSubnet('2000::', 3, 'ipv6');
  }
  if (!globalUnicast.check(canonical, 'ipv6')) return { kind: 'skip', address, reason: 'not a global unicast address (outside 2000::/3)' };
  return { kind: 'public', address, family: 6 };
}

/** The name to ask for: 4.3.2.1.zone for 1.2.3.4; 32 reversed nibbles + zone for IPv6 (RFC 5782 §2.1, §2.4). */
export function dnsblQueryName(address: string, zone: string): string | undefined {
  const reversed = reverseName(address);
  if (!reversed) return undefined;
  return `${reversed.replace(/\.(in-addr|ip6)\.arpa$/, '')}.${zone}`;
}

/** The test entry RFC 5782 §5 says no list may contain: 127.0.0.1 (or ::1 for IPv6 lists). */
export function dnsblNeverListed(family: 4 | 6): string {
  return family === 4 ? '127.0.0.1' : '::1';
}

// ---------------------------------------------------------------- zones

/** A zone name in lowercase without a trailing dot, or undefined when it is not a host name. */
export function normalizeZone(zone: string): string | undefined {
  const z = zone.trim().toLowerCase().replace(/\.$/, '');
  const labels = z.split('.');
  if (z.length === 0 || z.length > 200 || labels.length < 2) return undefined;
  return labels.every((l) => /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?$/.test(l)) ? z : undefined;
}

/** The access key some zones carry as their first label (Spamhaus DQS, Abusix), or undefined. */
export function zoneKey(zone: string): string | undefined {
  const m = /^([^.]+)\.[^.]+\.(?:dq\.spamhaus\.(?:net|com)|mail\.abusix\.zone)$/.exec(zone);
  if (m) return m[1];
  const first = zone.split('.')[0];
  // Any other first label that looks like a token (long, letters and digits mixed).
  return first.length >= 16 && /[0-9]/.test(first) && /[a-z]/.test(first) && /^[a-z0-9]+$/.test(first) ? first : undefined;
}

/** The zone as shown in messages and evidence: an access key in it replaced by <key>. */
export function displayZone(zone: string): string {
  const key = zoneKey(zone);
  return key ? `<key>${zone.slice(key.length)}` : zone;
}

type Verdict = 'listed' | 'policy' | 'refused' | 'allowlisted';

interface ZoneProfile {
  readonly name: string;
  readonly matches: (zone: string) => boolean;
  /** Meaning of one answer address, or undefined to fall back to the generic reading. */
  readonly codes: (code: string) => { readonly verdict: Verdict; readonly meaning: string } | undefined;
}

const suffix = (...names: string[]) => (zone: string) => names.some((n) => zone === n || zone.endsWith(`.${n}`));

/** Known zones whose answer codes we read specifically. Every other zone gets the generic reading. */
const PROFILES: readonly ZoneProfile[] = [
  {
    name: 'Spamhaus',
    matches: suffix('spamhaus.org', 'dq.spamhaus.net', 'dq.spamhaus.com'),
    codes: (code) => {
      switch (code) {
        case '127.0.0.2': return { verdict: 'listed', meaning: 'SBL: a spam source or spam operation' };
        case '127.0.0.3': return { verdict: 'listed', meaning: 'SBL CSS: low-reputation or snowshoe sending' };
        case '127.0.0.4': case '127.0.0.5': case '127.0.0.6': case '127.0.0.7': return { verdict: 'listed', meaning: 'XBL: an exploited or infected host (botnet, open proxy)' };
        case '127.0.0.9': return { verdict: 'listed', meaning: 'DROP: a hijacked or criminal network' };
        case '127.0.0.10': case '127.0.0.11': return { verdict: 'policy', meaning: 'PBL: an end-user address range that should not send mail directly to other servers' };
        case '127.0.1.255': return { verdict: 'refused', meaning: 'this zone lists domains, not addresses (IP queries are refused)' };
        case '127.255.255.252': return { verdict: 'refused', meaning: 'error: typing error in the DNSBL name' };
        case '127.255.255.254': return { verdict: 'refused', meaning: 'error: query via a public/open resolver (Spamhaus refuses those)' };
        case '127.255.255.255': return { verdict: 'refused', meaning: 'error: excessive number of queries (rate limit)' };
        default: return undefined;
      }
    },
  },
  {
    name: 'SURBL',
    matches: suffix('surbl.org'),
    codes: (code) => (code === '127.0.0.1' ? { verdict: 'refused', meaning: 'access blocked: SURBL refuses queries from this resolver' } : undefined),
  },
  {
    name: 'URIBL',
    matches: suffix('uribl.com'),
    codes: (code) => (code === '127.0.0.1' ? { verdict: 'refused', meaning: 'query refused: URIBL blocks this resolver (public resolver or too many queries)' } : undefined),
  },
  {
    name: 'DNSWL',
    matches: suffix('dnswl.org'),
    codes: (code) =>
      code === '127.0.0.255'
        ? { verdict: 'refused', meaning: 'blocked: DNSWL refuses this resolver (too many queries)' }
        : /^127\.0\.\d+\.[0-3]$/.test(code)
          ? { verdict: 'allowlisted', meaning: `an allowlist entry (trust level ${code.split('.')[3]}): good for the sender` }
          : undefined,
  },
];

export interface DnsblReading {
  /** `listed`: on the list; `policy`: on a policy list (e.g. Spamhaus PBL); `allowlisted`: on an allowlist;
   *  `refused`: the answer is an error code, not a listing. */
  readonly verdict: Verdict;
  /** Per answer address, what it means. */
  readonly meanings: readonly string[];
  /** The list's name when the zone is one we know. */
  readonly list?: string;
}

/**
 * What the A answers for a listed-looking query mean. A known zone's codes come first; otherwise: answers
 * in 127.255.255.0/24, 127.0.0.1 (the "stop querying me" answer of retired and refusing lists) and anything
 * outside 127.0.0.0/8 (a resolver that rewrites NXDOMAIN) are refusals; other 127.0.0.0/8 answers are
 * listings. One refusal code among the answers makes the whole answer a refusal.
 */
export function readDnsblAnswer(zone: string, answers: readonly string[]): DnsblReading {
  const profile = PROFILES.find((p) => p.matches(zone));
  const read = answers.map((code) => {
    const known = profile?.codes(code);
    if (known) return known;
    if (!net.isIPv4(code) || !code.startsWith('127.')) return { verdict: 'refused' as const, meaning: 'an answer outside 127.0.0.0/8: not a DNSBL code (a resolver rewriting answers, or a wildcard)' };
    if (code.startsWith('127.255.255.')) return { verdict: 'refused' as const, meaning: 'an error code (127.255.255.0/24), not a listing' };
    if (code === '127.0.0.1' || code === '127.0.0.0') return { verdict: 'refused' as const, meaning: 'the "query refused / list retired" answer, not a listing' };
    return { verdict: 'listed' as const, meaning: 'listed' };
  });
  const verdicts = read.map((r) => r.verdict);
  const verdict: Verdict = verdicts.includes('refused') ? 'refused' : verdicts.includes('listed') ? 'listed' : verdicts.includes('policy') ? 'policy' : 'allowlisted';
  return { verdict, meanings: answers.map((a, i) => `${a} (${read[i].meaning})`), ...(profile ? { list: profile.name } : {}) };
}
