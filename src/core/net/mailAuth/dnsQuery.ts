// DNS queries for the MTA-STS, TLS-RPT and DNSBL checks: one query on a resolver of its own with a hard
// deadline, the configured servers, and the run's cancel signal (the same discipline as dnsChecks.ts).
// Errors come back as the resolver's code: ENOTFOUND (NXDOMAIN) and ENODATA (no record of that type) say
// "there is none"; ETIMEOUT, ESERVFAIL, EREFUSED, ECONNREFUSED, ECANCELLED say "could not find out".

import { promises as dnsPromises } from 'dns';
import type { DnsCheckOptions } from '../dnsTypes';

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_TRIES = 2;
/** At most this many TXT records of one name are looked at. */
export const MAX_TXT_RECORDS = 20;
/** A TXT record (its strings joined) is cut at this many characters. */
export const MAX_TXT_LENGTH = 4096;

export type DnsAnswer<T> = { readonly value: T; readonly error?: undefined } | { readonly value?: undefined; readonly error: string };

/** "No such name" or "no record of that type": the data is missing, as opposed to unknown. */
export function isNegativeAnswer(code: string | undefined): boolean {
  return code === 'ENOTFOUND' || code === 'ENODATA';
}

export async function dnsQuery<T>(options: DnsCheckOptions, run: (resolver: dnsPromises.Resolver) => Promise<T>): Promise<DnsAnswer<T>> {
  const { signal } = options;
  if (signal?.aborted) return { error: 'ECANCELLED' };
  const timeoutMs = Math.max(1, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const tries = Math.max(1, options.tries ?? DEFAULT_TRIES);
  const resolver = new dnsPromises.Resolver({ timeout: Math.max(20, Math.floor(timeoutMs / (2 * tries - 1))), tries });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    resolver.cancel();
  }, timeoutMs);
  const onAbort = () => resolver.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (options.servers) resolver.setServers([...options.servers]);
    return { value: await run(resolver) };
  } catch (e) {
    if (timedOut) return { error: 'ETIMEOUT' };
    if (signal?.aborted) return { error: 'ECANCELLED' };
    const code = (e as { code?: unknown } | undefined)?.code;
    return { error: typeof code === 'string' && code ? code : 'EUNKNOWN' };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** TXT records of `name`, each record's strings joined (RFC 7208 §3.3 style), bounded in number and length. */
export async function lookupTxt(name: string, options: DnsCheckOptions): Promise<DnsAnswer<string[]>> {
  const answer = await dnsQuery(options, (r) => r.resolveTxt(name));
  if (answer.error !== undefined) return answer;
  return { value: answer.value.slice(0, MAX_TXT_RECORDS).map((chunks) => chunks.join('').slice(0, MAX_TXT_LENGTH)) };
}

/** Text safe to show on one line: control characters replaced, long text cut. */
export function printable(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** A TXT record as evidence: `name TXT "…"`. */
export function txtEvidence(name: string, record: string): string {
  return `${name} TXT "${printable(record, 512)}"`;
}
