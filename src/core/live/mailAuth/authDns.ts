// DNS for the SPF and DMARC checks: TXT, A/AAAA, MX and PTR answers through the live checks' one query
// layer (dnsRecords.ts over the wire client: the run's servers, deadline, tries and cancel signal),
// remembered for the length of one check so a record reached twice is asked for once, and capped: a check
// that would send more than `maxQueries` queries gets EQUERYLIMIT instead of an answer.
//
// SPF relies on what the wire client gives and Node's resolver would not: names with any visible character
// or a space (a:foo:bar/baz.example.com, exists:%{l}… with a local part "a b"), which Node refuses with
// EBADNAME; the bytes of TXT strings; and every record of a large answer (over TCP).

import { MAX_DNS_ANSWER_RECORDS, MAX_TXT_RECORD_CHARS } from '../../limits';
import type { DnsAnswer, DnsCheckOptions, MxRecord } from '../dnsTypes';
import { dnsQuery, type DnsRecordOf, type DnsRecordType } from '../dnsRecords';
import { normalizeName } from '../dnsWire';

export type { MxRecord };

export interface TxtRecord {
  /**
   * The record's character strings joined without separators (RFC 7208 3.3), one character per byte
   * (so a non-ASCII byte shows as a character above U+007F), cut at MAX_TXT_RECORD_CHARS.
   */
  readonly text: string;
  readonly truncated: boolean;
}

/** The DNS questions SPF and DMARC ask (AuthDns, or a table in unit tests). */
export interface MailAuthDns {
  txt(name: string): Promise<DnsAnswer<TxtRecord>>;
  addresses(name: string, family: 4 | 6): Promise<DnsAnswer<string>>;
  mx(name: string): Promise<DnsAnswer<MxRecord>>;
  /** PTR names at a reverse name (…in-addr.arpa, …ip6.arpa), in the order of the answer. */
  ptr(reverseName: string): Promise<DnsAnswer<string>>;
}

function txtRecord(strings: readonly string[]): TxtRecord {
  const text = strings.join('');
  return { text: text.slice(0, MAX_TXT_RECORD_CHARS), truncated: text.length > MAX_TXT_RECORD_CHARS };
}

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
    return this.ask(name, 'TXT', undefined, (a) => ({ ...a, values: a.values.map((r) => txtRecord(r.strings)) }));
  }

  addresses(name: string, family: 4 | 6): Promise<DnsAnswer<string>> {
    return this.ask(name, family === 4 ? 'A' : 'AAAA', MAX_DNS_ANSWER_RECORDS);
  }

  /** Lowest preference first; one record over MAX_DNS_ANSWER_RECORDS is kept, so a caller can tell "more than 64". */
  mx(name: string): Promise<DnsAnswer<MxRecord>> {
    return this.ask(name, 'MX', MAX_DNS_ANSWER_RECORDS + 1, (a) => ({ ...a, values: [...a.values].sort((x, y) => x.priority - y.priority) }));
  }

  ptr(reverseName: string): Promise<DnsAnswer<string>> {
    return this.ask(reverseName, 'PTR');
  }

  /** The answer to `name`/`type`, shaped by `shape`, asked once per check (a repeat gets the same answer object). */
  private ask<K extends DnsRecordType, T = DnsRecordOf[K]>(
    name: string,
    type: K,
    maxRecords?: number,
    shape: (answer: DnsAnswer<DnsRecordOf[K]>) => DnsAnswer<T> = (a) => a as unknown as DnsAnswer<T>,
  ): Promise<DnsAnswer<T>> {
    const key = `${type} ${normalizeName(name)}`;
    const known = this.memo.get(key);
    if (known) return known as Promise<DnsAnswer<T>>;
    if (this.aborted) return Promise.resolve({ values: [], error: 'ECANCELLED' });
    if (this.sent >= this.maxQueries) return Promise.resolve({ values: [], error: 'EQUERYLIMIT' });
    this.sent++;
    const pending = dnsQuery(name, type, { ...this.options, ...(maxRecords !== undefined ? { maxRecords } : {}) }).then(shape);
    this.memo.set(key, pending);
    return pending;
  }
}
