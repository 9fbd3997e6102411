// The one way a live check asks DNS for records: `dnsQuery(name, type, options)`, through the wire client
// (dnsWire.ts: the run's servers, deadline, tries, cancel signal, TCP for a truncated answer, size caps),
// with its outcome in the one answer shape (DnsAnswer) and the one code vocabulary dnsErrorWords reads:
// NXDOMAIN is ENOTFOUND, an answer without records of the type ENODATA, another rcode ESERVFAIL, EREFUSED...,
// and no answer ETIMEOUT, ECONNREFUSED, EBADRESP, ECANCELLED (the codes Node's resolver used to give).
//
// Not through here on purpose: an SMTP probe without configured DNS servers connects through the system's
// own name lookup (smtpConnection.ts systemLookup: getaddrinfo, /etc/hosts included), as mail clients do.

import type { DnsAnswer, DnsCheckOptions, MxRecord } from './dnsTypes';
import { DNS_TYPE, normalizeName, queryWire, rcodeError, recordsFor, type TlsaData, type TxtData, type WireRecord } from './dnsWire';

/** What a record of each type the checks ask for decodes to. */
export interface DnsRecordOf {
  readonly A: string;
  readonly AAAA: string;
  readonly CNAME: string;
  readonly PTR: string;
  readonly MX: MxRecord;
  readonly TXT: TxtData;
  readonly TLSA: TlsaData;
}

export type DnsRecordType = keyof DnsRecordOf;

export interface DnsQueryOptions extends DnsCheckOptions {
  /** Records kept from the answer, in its order (default: all the wire client keeps, 256). */
  readonly maxRecords?: number;
}

function decodeMx(data: string): MxRecord | undefined {
  const m = /^(\d+) (.*)$/.exec(data);
  return m ? { priority: Number(m[1]), exchange: m[2] } : undefined;
}

function decode<K extends DnsRecordType>(type: K, record: WireRecord): DnsRecordOf[K] | undefined {
  return (type === 'MX' ? decodeMx(record.data as string) : record.data) as DnsRecordOf[K] | undefined;
}

/**
 * The records of `type` at `name` (following a CNAME chain inside the answer): `values` when there are some;
 * `negative` ENOTFOUND (no such name) or ENODATA (no record of that type); else `error` with the code.
 */
export async function dnsQuery<K extends DnsRecordType>(name: string, type: K, options: DnsQueryOptions): Promise<DnsAnswer<DnsRecordOf[K]>> {
  const outcome = await queryWire(name, DNS_TYPE[type], { ...options, dnssecOk: false });
  if (outcome.error !== undefined) return { values: [], error: outcome.error };
  const { response } = outcome;
  const rcode = rcodeError(response.rcode);
  if (rcode === 'ENOTFOUND') return { values: [], negative: 'ENOTFOUND' };
  if (rcode !== undefined) return { values: [], error: rcode };
  const found = recordsFor(response, name, DNS_TYPE[type]);
  if (found.records.length === 0) {
    // The chain ends in a CNAME the answer does not resolve: a loop, or a chain longer than we follow.
    const unresolved = response.answers.some((r) => r.type === DNS_TYPE.CNAME && normalizeName(r.name) === found.owner);
    return unresolved ? { values: [], error: 'ECNAMELOOP' } : { values: [], negative: 'ENODATA' };
  }
  const values = found.records
    .slice(0, options.maxRecords ?? Infinity)
    .map((r) => decode(type, r))
    .filter((v): v is DnsRecordOf[K] => v !== undefined);
  return values.length > 0 ? { values } : { values: [], negative: 'ENODATA' };
}
