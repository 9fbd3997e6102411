// DNS for the mail-authentication checks: TXT, A/AAAA and MX answers through dnsChecks' `query` (the run's
// servers, deadline, tries and cancel signal), remembered for the length of one check so a record reached
// twice is asked for once, and capped: a check that would send more than `maxQueries` queries gets
// EQUERYLIMIT instead of an answer.

import type { DnsCheckOptions } from '../dnsTypes';
import { query } from '../dnsChecks';

/** Longest TXT record (its strings joined) a check looks at; SPF and DMARC records are far shorter. */
export const MAX_TXT_LENGTH = 4096;
/** Most TXT records at one name a check looks at. */
export const MAX_TXT_RECORDS = 32;
/** Most MX or address records of one answer a check uses. */
export const MAX_ANSWER_RECORDS = 64;

/**
 * One answer: `values` when there are records; otherwise `negative` when DNS said there are none
 * (ENOTFOUND: no such name, ENODATA: no records of that type), or `error` when it could not be found out
 * (ETIMEOUT, ESERVFAIL, EREFUSED, ECANCELLED, EQUERYLIMIT...).
 */
export interface DnsAnswer<T> {
  readonly values: readonly T[];
  readonly negative?: 'ENOTFOUND' | 'ENODATA';
  readonly error?: string;
}

export interface TxtRecord {
  /** The record's character strings joined without separators (RFC 7208 3.3), cut at MAX_TXT_LENGTH. */
  readonly text: string;
  readonly truncated: boolean;
}

export interface MxRecord {
  readonly exchange: string;
  readonly priority: number;
}

function answer<T>(r: { value?: T[]; error?: string }): DnsAnswer<T> {
  if (r.error === 'ENOTFOUND' || r.error === 'ENODATA') return { values: [], negative: r.error };
  if (r.error !== undefined) return { values: [], error: r.error };
  const values = r.value ?? [];
  return values.length > 0 ? { values } : { values: [], negative: 'ENODATA' };
}

export class AuthDns {
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
    return this.ask('TXT', name, async () => {
      const r = await query(this.options, (res) => res.resolveTxt(name));
      return answer({
        ...r,
        value: r.value?.slice(0, MAX_TXT_RECORDS).map((chunks) => {
          const text = chunks.join('');
          return { text: text.slice(0, MAX_TXT_LENGTH), truncated: text.length > MAX_TXT_LENGTH };
        }),
      });
    });
  }

  addresses(name: string, family: 4 | 6): Promise<DnsAnswer<string>> {
    return this.ask(family === 4 ? 'A' : 'AAAA', name, async () => {
      const r = await query(this.options, (res) => (family === 4 ? res.resolve4(name) : res.resolve6(name)));
      return answer({ ...r, value: r.value?.slice(0, MAX_ANSWER_RECORDS) });
    });
  }

  mx(name: string): Promise<DnsAnswer<MxRecord>> {
    return this.ask('MX', name, async () => {
      const r = await query(this.options, (res) => res.resolveMx(name));
      const sorted = r.value ? [...r.value].sort((a, b) => a.priority - b.priority) : undefined;
      // Keep one over the cap, so a caller can tell "more than 64".
      return answer({ ...r, value: sorted?.slice(0, MAX_ANSWER_RECORDS + 1).map((m) => ({ exchange: m.exchange, priority: m.priority })) });
    });
  }

  private ask<T>(type: string, name: string, run: () => Promise<DnsAnswer<T>>): Promise<DnsAnswer<T>> {
    const key = `${type} ${name.toLowerCase().replace(/\.$/, '')}`;
    const known = this.memo.get(key);
    if (known) return known as Promise<DnsAnswer<T>>;
    if (this.aborted) return Promise.resolve({ values: [], error: 'ECANCELLED' });
    if (this.sent >= this.maxQueries) return Promise.resolve({ values: [], error: 'EQUERYLIMIT' });
    this.sent++;
    const pending = run();
    this.memo.set(key, pending);
    return pending;
  }
}
