// TXT lookups for the MTA-STS, TLS-RPT and DNSBL checks, through the live checks' one query layer
// (dnsRecords.ts: the run's servers, deadline and cancel signal) and bounded by the caps in limits.ts.

import { MAX_TXT_RECORD_CHARS, MAX_TXT_RECORDS_PER_NAME } from '../../limits';
import { printable } from '../../escape';
import { dnsQuery } from '../dnsRecords';
import type { DnsAnswer, DnsCheckOptions } from '../dnsTypes';

/** TXT records of `name`, each record's strings joined (RFC 7208 §3.3 style), bounded in number and length. */
export async function lookupTxt(name: string, options: DnsCheckOptions): Promise<DnsAnswer<string>> {
  const answer = await dnsQuery(name, 'TXT', { ...options, maxRecords: MAX_TXT_RECORDS_PER_NAME });
  return { ...answer, values: answer.values.map((r) => r.strings.join('').slice(0, MAX_TXT_RECORD_CHARS)) };
}

/** A TXT record as evidence: `name TXT "…"`. */
export function txtEvidence(name: string, record: string): string {
  return `${name} TXT "${printable(record, 512)}"`;
}
