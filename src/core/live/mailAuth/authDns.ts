// DNS for the SPF and DMARC checks: TXT, A/AAAA, MX and PTR answers through the wire client (dnsWire.ts:
// the run's servers, deadline, tries and cancel signal), remembered for the length of one check so a record
// reached twice is asked for once, and capped: a check that would send more than `maxQueries` queries gets
// EQUERYLIMIT instead of an answer.
//
// The wire client rather than Node's resolver, because SPF needs what Node's cannot give: names with any
// visible character or a space (a:foo:bar/baz.example.com, exists:%{l}… with a local part "a b"), which
// Node refuses with EBADNAME; the bytes of TXT strings; and every record of a large answer (over TCP).

import { MAX_DNS_ANSWER_RECORDS, MAX_TXT_RECORD_CHARS } from '../../limits';
import type { DnsAnswer, DnsCheckOptions } from '../dnsTypes';
import { DNS_TYPE, normalizeName, queryWire, rcodeError, recordsFor, type TxtData, type WireRecord } from '../dnsWire';



export interface TxtRecord {
  /**
   * The record's character strings joined without separators (RFC 7208 3.3), one character per byte
   * (so a non-ASCII byte shows as a character above U+007F), cut at MAX_TXT_RECORD_CHARS.
   */
  readonly text: string;
  readonly truncated: boolean;
}

export interface MxRecord {
  /** The exchange; "" for the root (a null MX, RFC 7505). */
  readonly exchange: string;
  readonly priority: number;
}

/** The DNS questions SPF and DMARC ask (AuthDns, or a table in unit tests). */
export interface MailAuthDns {
  txt(name: string): Promise<DnsAnswer<TxtRecord>>;
  addresses(name: string, family: 4 | 6): Promise<DnsAnswer<string>>;
  mx(name: string): Promise<DnsAnswer<MxRecord>>;
  /** PTR names at a reverse name (…in-addr.arpa, …ip6.arpa), in the order of the answer. */
  ptr(reverseName: string): Promise<DnsAnswer<string>>;
}

type Decoded<T> = (record: WireRecord) => T | undefined;

const decodeTxt: Decoded<TxtRecord> = (r) => {
  const text = (r.data as TxtData).strings.join('');
  return { text: text.slice(0, MAX_TXT_RECORD_CHARS), truncated: text.length > MAX_TXT_RECORD_CHARS };
};

const decodeMx: Decoded<MxRecord> = (r) => {
  const m = /^(\d+) (.*)$/.exec(r.data as string);
  return m ? { priority: Number(m[1]), exchange: m[2] } : undefined;
};

export class AuthDns implements MailAuthDns {
  private readonly memo = new Map<string, Promise<DnsAnswer<unknown>>>();
  private sent = 0;

  constructor(
    readonly options: DnsCheckOptions,
    readonly maxQueries = 100,
  ) {}

  /** Queries sent so far (answers from the memo do not count). */
  get queries(): number {
    return this.sent;
  }

  get aborted(): boolean {
    return this.options.signal?.aborted === true;
  }

  txt(name: string): Promise<DnsAnswer<TxtRecord>> {
    return this.ask(name, DNS_TYPE.TXT, decodeTxt);
  }

  addresses(name: string, family: 4 | 6): Promise<DnsAnswer<string>> {
    return this.ask(name, family === 4 ? DNS_TYPE.A : DNS_TYPE.AAAA, (r) => r.data as string, MAX_DNS_ANSWER_RECORDS);
  }

  /** Lowest preference first; one record over MAX_DNS_ANSWER_RECORDS is kept, so a caller can tell "more than 64". */
  mx(name: string): Promise<DnsAnswer<MxRecord>> {
    return this.ask(name, DNS_TYPE.MX, decodeMx, MAX_DNS_ANSWER_RECORDS + 1).then((a) => ({ ...a, values: [...a.values].sort((x, y) => x.priority - y.priority) }));
  }

  ptr(reverseName: string): Promise<DnsAnswer<string>> {
    return this.ask(reverseName, DNS_TYPE.PTR, (r) => r.data as string);
  }

  private ask<T>(name: string, type: number, decode: Decoded<T>, max = Infinity): Promise<DnsAnswer<T>> {
    const key = `${type} ${normalizeName(name)}`;
    const known = this.memo.get(key);
    if (known) return known as Promise<DnsAnswer<T>>;
    if (this.aborted) return Promise.resolve({ values: [], error: 'ECANCELLED' });
    if (this.sent >= this.maxQueries) return Promise.resolve({ values: [], error: 'EQUERYLIMIT' });
    this.sent++;
    const pending = this.lookup(name, type, decode, max);
    this.memo.set(key, pending);
    return pending;
  }

  private async lookup<T>(name: string, type: number, decode: Decoded<T>, max: number): Promise<DnsAnswer<T>> {
    const outcome = await queryWire(name, type, { ...this.options, dnssecOk: false });
    if (outcome.error !== undefined) return { values: [], error: outcome.error };
    const { response } = outcome;
    const rcode = rcodeError(response.rcode);
    if (rcode === 'ENOTFOUND') return { values: [], negative: 'ENOTFOUND' };
    if (rcode !== undefined) return { values: [], error: rcode };
    const found = recordsFor(response, name, type);
    if (found.records.length === 0) {
      // The chain ends in a CNAME the answer does not resolve: a loop, or a chain longer than we follow.
      const unresolved = response.answers.some((r) => r.type === DNS_TYPE.CNAME && normalizeName(r.name) === found.owner);
      return unresolved ? { values: [], error: 'ECNAMELOOP' } : { values: [], negative: 'ENODATA' };
    }
    const values = found.records
      .slice(0, max)
      .map(decode)
      .filter((v): v is T => v !== undefined);
    return values.length > 0 ? { values } : { values: [], negative: 'ENODATA' };
  }
}
