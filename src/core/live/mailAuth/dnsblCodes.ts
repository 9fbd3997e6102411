// DNSBL (RFC 5782) pieces, pure: which addresses are worth asking about, the query name (reversed octets or
// nibbles + zone), and what an answer means per list. The big trap: several lists answer a refused query
// (public resolver, rate limit, unregistered user) with an address too, and that is NOT a listing.

import { isIPv4 } from 'net';
import { dnsblSkipReason, parsePeerAddress } from '../../hosts';
import { reverseName } from '../dnsChecks';

// ---------------------------------------------------------------- addresses

export type DnsblSubject =
  | { readonly kind: 'public'; readonly address: string; readonly family: 4 | 6 }
  | { readonly kind: 'skip'; readonly address: string; readonly reason: string }
  | { readonly kind: 'invalid' };

/**
 * Whether `subject` (an IP address, bare or in brackets) is a public unicast address a DNSBL could list:
 * the address classifier's DNSBL policy (hosts.ts `dnsblSkipReason`) skips every special range with its
 * reason. An IPv4-mapped IPv6 address (::ffff:192.0.2.1) is checked as the IPv4 address it carries.
 */
export function dnsblSubject(subject: string): DnsblSubject {
  const bare = /^\[(?:ipv6:)?(.*)\]$/i.exec(subject.trim())?.[1] ?? subject.trim();
  const address = bare.replace(/%.*$/, '');
  const ip = parsePeerAddress(address);
  if (!ip) return { kind: 'invalid' };
  const shown = ip.family === 4 ? ip.bytes.join('.') : address;
  const reason = dnsblSkipReason(ip);
  return reason ? { kind: 'skip', address: shown, reason } : { kind: 'public', address: shown, family: ip.family };
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
    if (!isIPv4(code) || !code.startsWith('127.')) return { verdict: 'refused' as const, meaning: 'an answer outside 127.0.0.0/8: not a DNSBL code (a resolver rewriting answers, or a wildcard)' };
    if (code.startsWith('127.255.255.')) return { verdict: 'refused' as const, meaning: 'an error code (127.255.255.0/24), not a listing' };
    if (code === '127.0.0.1' || code === '127.0.0.0') return { verdict: 'refused' as const, meaning: 'the "query refused / list retired" answer, not a listing' };
    return { verdict: 'listed' as const, meaning: 'listed' };
  });
  const verdicts = read.map((r) => r.verdict);
  const verdict: Verdict = verdicts.includes('refused') ? 'refused' : verdicts.includes('listed') ? 'listed' : verdicts.includes('policy') ? 'policy' : 'allowlisted';
  return { verdict, meanings: answers.map((a, i) => `${a} (${read[i].meaning})`), ...(profile ? { list: profile.name } : {}) };
}
