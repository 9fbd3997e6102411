// What every DNS check shares: the words for DNS failure codes, whether a host needs DNS, the resolver check,
// and a host's addresses. Every query goes through dnsRecords.ts (the wire client: the configured servers, a
// hard deadline, stops when the signal aborts). The MX check (mxCheck.ts) and the PTR check (ptrCheck.ts)
// build on these.

import { monotonicMs, nodeDns } from './builtins';
import { isIP, isIPv4 } from 'net';
import { ipv6Groups } from '../hosts';
import type { DnsAnswer, DnsCheckOptions, ResolverCheckResult } from './dnsTypes';
import type { DnsRecordOf, DnsRecordType } from './dnsRecords';

/** Answers that say "no such data", as opposed to "could not find out". */
export const NEGATIVE_ANSWERS: ReadonlySet<string> = new Set(['ENODATA', 'ENOTFOUND']);

/** Codes that mean no DNS server answered at all (as opposed to an answer that says no). */
const NO_ANSWER = new Set(['ECONNREFUSED', 'ETIMEOUT', 'ECONNRESET']);

/**
 * A resolver's code in words, so "no such name", "no such record", "the server failed", "no answer" and
 * "refused" read differently from each other and from an SMTP port that refuses a connection.
 */
export function dnsErrorWords(code: string | undefined): string {
  switch (code) {
    case 'ENOTFOUND':
      return 'no such name (NXDOMAIN)';
    case 'ENODATA':
      return 'the name has no such record (NODATA)';
    case 'ESERVFAIL':
      return 'the DNS server failed to get an answer (SERVFAIL)';
    case 'ETIMEOUT':
      return 'no answer from the DNS server in time (timeout)';
    case 'EREFUSED':
      return 'the DNS server refused the query (REFUSED)';
    case 'ECONNREFUSED':
      return 'nothing answers DNS at the server (connection refused)';
    case 'ECONNRESET':
      return 'the DNS server dropped the connection';
    case 'EBADRESP':
    case 'EFORMERR':
      return 'the DNS server sent a malformed answer';
    case 'ENOTIMP':
      return 'the DNS server does not support the query (NOTIMP)';
    case 'EBADNAME':
    case 'EINVAL':
      return 'not a valid DNS name';
    case 'ECANCELLED':
      return 'cancelled';
    case undefined:
    case '':
      return 'lookup failed';
    default:
      return `lookup failed (${code})`;
  }
}

/** Whether a failure code means the DNS server itself did not answer (dead, unreachable, or not there). */
export function isNoAnswer(code: string | undefined): boolean {
  return code !== undefined && NO_ANSWER.has(code);
}

/** The servers a query with these options goes to: the configured ones, else the system's (resolv.conf). */
export function effectiveDnsServers(options: Pick<DnsCheckOptions, 'servers'>): string[] {
  if (options.servers?.length) return [...options.servers];
  try {
    return nodeDns().getServers();
  } catch {
    return [];
  }
}

/**
 * Asks the DNS servers of the run one question (`name`, A) before any check depends on them. Any answer
 * at all, NXDOMAIN and REFUSED included, shows a server is there; only silence or a refused connection
 * (nothing listening) makes the resolver dead, and then every DNS check of the run would only say so again.
 */
export async function checkResolver(name: string, options: DnsCheckOptions = {}): Promise<ResolverCheckResult> {
  const start = monotonicMs();
  const servers = effectiveDnsServers(options);
  const configured = !!options.servers?.length;
  const answer = await query(name, 'A', options);
  const ms = elapsed(start);
  if (answer.error === 'ECANCELLED') return { servers, configured, status: 'cancelled', name, error: answer.error, ms };
  if (isNoAnswer(answer.error)) return { servers, configured, status: 'dead', name, error: answer.error, ms };
  return { servers, configured, status: 'ok', name, ms };
}

/**
 * One query through dnsRecords.ts, loaded on the first query: this module's words and helpers load at every
 * start (the reports use them), the wire client only when something is looked up (`smtp-doctor port` on an
 * IP address never does).
 */
async function query<K extends DnsRecordType>(name: string, type: K, options: DnsCheckOptions): Promise<DnsAnswer<DnsRecordOf[K]>> {
  return (await import('./dnsRecords')).dnsQuery(name, type, options);
}

/** The code of an answer without records: its error, else its negative code. */
function failureCode(answer: DnsAnswer<unknown>): string | undefined {
  return answer.error ?? answer.negative;
}

/** The most telling of several failure codes: a failed lookup beats "no such name", which beats "no data". */
export function worstError(codes: readonly string[]): string | undefined {
  return codes.find((c) => !NEGATIVE_ANSWERS.has(c)) ?? codes.find((c) => c === 'ENOTFOUND') ?? codes[0];
}

export interface AddressAnswer {
  readonly addresses: string[];
  /** Set when there is no address at all. */
  readonly error?: string;
}

/** A and AAAA addresses of `host`, both asked at once; with none, the most telling failure code. */
export async function lookupAddresses(host: string, options: DnsCheckOptions): Promise<AddressAnswer> {
  const [v4, v6] = await Promise.all([query(host, 'A', options), query(host, 'AAAA', options)]);
  const addresses = [...v4.values, ...v6.values];
  if (addresses.length > 0) return { addresses };
  return { addresses, error: worstError([failureCode(v4), failureCode(v6)].filter((c): c is string => c !== undefined)) ?? 'ENODATA' };
}

/** Loopback addresses for `localhost` and `*.localhost` (never asked of DNS), else undefined. */
export function localhostAddresses(host: string): string[] | undefined {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === 'localhost.localdomain' ? ['127.0.0.1', '::1'] : undefined;
}

/** Whether `host` needs DNS to be reached: not an IP literal and not a localhost name. */
export function needsDns(host: string): boolean {
  return !ipLiteral(host) && !localhostAddresses(host);
}

/** The IP address written in `text`, bare or in brackets ("[192.0.2.1]", "[IPv6:2001:db8::1]"), if it is one. */
export function ipLiteral(text: string): string | undefined {
  const inner = /^\[(?:ipv6:)?(.*)\]$/i.exec(text)?.[1] ?? text;
  return isIP(inner) ? inner : undefined;
}

/**
 * A and AAAA addresses of `host` from the configured servers, shaped for the SMTP probe's `lookup`: IP
 * literals come back as they are; a name with no address rejects with an Error whose `code` is the
 * resolver's (ENOTFOUND, ENODATA, ETIMEOUT, ECANCELLED...).
 */
export async function resolveAddresses(host: string, options: DnsCheckOptions = {}): Promise<string[]> {
  const literal = ipLiteral(host);
  if (literal) return [literal];
  // RFC 6761: localhost names are this machine, whatever a DNS server would say about them.
  const local = localhostAddresses(host);
  if (local) return local;
  const answer = await lookupAddresses(host, options);
  if (answer.error) throw Object.assign(new Error(`${answer.error} resolving ${host}`), { code: answer.error, hostname: host });
  return answer.addresses;
}

/** Milliseconds since `start` (monotonicMs), rounded. */
export function elapsed(start: number): number {
  return Math.round(monotonicMs() - start);
}

/** The name a reverse (PTR) lookup asks for: 4.3.2.1.in-addr.arpa, or 32 nibbles under ip6.arpa. */
export function reverseName(address: string): string | undefined {
  if (isIPv4(address)) return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
  const groups = ipv6Groups(address);
  if (!groups) return undefined;
  const nibbles = groups.map((g) => g.toString(16).padStart(4, '0')).join('');
  return `${[...nibbles].reverse().join('.')}.ip6.arpa`;
}
