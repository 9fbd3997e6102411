// DNS queries for the MTA-STS, TLS-RPT and DNSBL checks: one query on a resolver of its own with a hard
// deadline, the configured servers, and the run's cancel signal (the same discipline as dnsChecks.ts).
// Errors come back as the resolver's code: ENOTFOUND (NXDOMAIN) and ENODATA (no record of that type) say
// "there is none"; ETIMEOUT, ESERVFAIL, EREFUSED, ECONNREFUSED, ECANCELLED say "could not find out".

import { MAX_TXT_RECORD_CHARS, MAX_TXT_RECORDS_PER_NAME } from '../../limits';
import { printable } from '../../escape';
import { type Answer, query } from '../dnsChecks';
import type { DnsCheckOptions } from '../dnsTypes';


export type DnsAnswer<T> = Answer<T>;

/** "No such name" or "no record of that type": the data is missing, as opposed to unknown. */
export function isNegativeAnswer(code: string | undefined): boolean {
  return code === 'ENOTFOUND' || code === 'ENODATA';
}

/** One query with the run's servers, deadline and signal: dnsChecks.ts's `query`. */
export const dnsQuery = query;

/** TXT records of `name`, each record's strings joined (RFC 7208 §3.3 style), bounded in number and length. */
export async function lookupTxt(name: string, options: DnsCheckOptions): Promise<DnsAnswer<string[]>> {
  const answer = await dnsQuery(options, (r) => r.resolveTxt(name));
  if (answer.error !== undefined) return answer;
  return { value: answer.value.slice(0, MAX_TXT_RECORDS_PER_NAME).map((chunks) => chunks.join('').slice(0, MAX_TXT_RECORD_CHARS)) };
}


/** A TXT record as evidence: `name TXT "…"`. */
export function txtEvidence(name: string, record: string): string {
  return `${name} TXT "${printable(record, 512)}"`;
}
