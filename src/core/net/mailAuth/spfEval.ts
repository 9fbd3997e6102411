// SPF through DNS: a domain's record and everything it includes or redirects to (the lookup and void-lookup
// counts, broken and looping includes, the effective `all`), and check_host() for one sending address.
// DNS comes in through `SpfDns` (AuthDns in the check, a table in unit tests).

import type { DnsAnswer, MxRecord, TxtRecord } from './authDns';
import {
  inNetwork,
  isSpfRecord,
  IpBytes,
  LOOKUP_MECHANISMS,
  looksLikeSpf,
  MAX_DNS_LOOKUPS,
  MAX_VOID_LOOKUPS,
  ParsedSpf,
  parseSpf,
  QUALIFIER_RESULT,
  quote,
  SpfMechanism,
  SpfMechanismName,
  SpfResult,
} from './spfRecord';

export interface SpfDns {
  txt(name: string): Promise<DnsAnswer<TxtRecord>>;
  addresses(name: string, family: 4 | 6): Promise<DnsAnswer<string>>;
  mx(name: string): Promise<DnsAnswer<MxRecord>>;
}

/** Deepest include/redirect chain followed; a deeper one needs more than 10 lookups anyway. */
export const MAX_DEPTH = 10;
/** Most records the analysis follows in all (each include/redirect occurrence is one). */
export const MAX_RECORDS = 40;
/** Most MX hosts an `mx` mechanism may have (RFC 7208 4.6.4): more is a permerror. */
export const MAX_MX_HOSTS = 10;

export type SpfFetch =
  | { readonly status: 'found'; readonly domain: string; readonly record: string; readonly parsed: ParsedSpf; readonly truncated: boolean; readonly lookalikes: readonly string[] }
  | { readonly status: 'none'; readonly domain: string; readonly negative?: 'ENOTFOUND' | 'ENODATA'; readonly lookalikes: readonly string[] }
  | { readonly status: 'multiple'; readonly domain: string; readonly records: readonly string[] }
  | { readonly status: 'error'; readonly domain: string; readonly error: string };

/** The SPF record of `domain`: exactly one TXT record starting with v=spf1 (RFC 7208 4.5). */
export async function fetchSpf(dns: SpfDns, domain: string): Promise<SpfFetch> {
  const txt = await dns.txt(domain);
  if (txt.error !== undefined) return { status: 'error', domain, error: txt.error };
  const spf = txt.values.filter((r) => isSpfRecord(r.text));
  const lookalikes = txt.values.filter((r) => looksLikeSpf(r.text)).map((r) => r.text);
  if (spf.length === 0) return { status: 'none', domain, ...(txt.negative ? { negative: txt.negative } : {}), lookalikes };
  if (spf.length > 1) return { status: 'multiple', domain, records: spf.map((r) => r.text) };
  return { status: 'found', domain, record: spf[0].text, parsed: parseSpf(spf[0].text), truncated: spf[0].truncated, lookalikes };
}

function lower(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

// ---- the whole tree ----

export interface SpfTreeNode {
  /** How it was reached: "" for the domain itself, else the term ("include:_spf.example.net", "redirect=…"). */
  readonly via: string;
  readonly depth: number;
  readonly fetch: SpfFetch;
}

export interface SpfTermNote {
  /** The domain whose record holds the term. */
  readonly domain: string;
  readonly term: string;
  readonly detail: string;
}

export interface SpfAnalysis {
  readonly root: SpfFetch;
  /** Every record followed, in evaluation order (depth-first), for the evidence. */
  readonly nodes: readonly SpfTreeNode[];
  /** Lookup terms (include, a, mx, ptr, exists, redirect) over every record followed. */
  readonly lookups: number;
  readonly lookupsByKind: Readonly<Record<string, number>>;
  /** False when some include/redirect could not be followed (macro, failed lookup, caps): `lookups` is a minimum. */
  readonly complete: boolean;
  /** Terms whose lookup found nothing (NXDOMAIN or no records). */
  readonly voids: readonly SpfTermNote[];
  /** include/redirect targets with no SPF record, several, or an invalid one: receivers return permerror. */
  readonly broken: readonly SpfTermNote[];
  /** include/redirect chains that come back to a domain already on the chain. */
  readonly loops: readonly string[];
  /** mx terms with more than 10 MX hosts (permerror). */
  readonly mxOverLimit: readonly SpfTermNote[];
  /** Lookups that failed (timeout, SERVFAIL...): the analysis is partial there. */
  readonly failed: readonly SpfTermNote[];
  /** Terms not followed: macros, depth or record caps. */
  readonly unfollowed: readonly SpfTermNote[];
  /** ptr mechanisms anywhere. */
  readonly ptrTerms: readonly SpfTermNote[];
  /** Included records (include:, not redirect=) ending in +all: the include passes every address. */
  readonly permissiveIncludes: readonly SpfTermNote[];
  /** The `all` that applies when nothing else matches, following redirect=; undefined: none (neutral). */
  readonly effectiveAll?: { readonly domain: string; readonly mechanism: SpfMechanism };
}

/** Follows `domain`'s SPF record through its includes and redirects and counts what receivers count. */
export async function analyzeSpf(dns: SpfDns, domain: string): Promise<SpfAnalysis> {
  const nodes: { node: SpfTreeNode; order: number[] }[] = [];
  const lookupsByKind: Record<string, number> = {};
  const voids: SpfTermNote[] = [];
  const broken: SpfTermNote[] = [];
  const loops: string[] = [];
  const mxOverLimit: SpfTermNote[] = [];
  const failed: SpfTermNote[] = [];
  const unfollowed: SpfTermNote[] = [];
  const ptrTerms: SpfTermNote[] = [];
  const permissiveIncludes: SpfTermNote[] = [];
  const redirectTargets = new Map<SpfFetch, SpfFetch>();
  let followed = 0;
  let complete = true;

  const count = (kind: string) => (lookupsByKind[kind] = (lookupsByKind[kind] ?? 0) + 1);

  const follow = async (target: string, via: string, from: string, depth: number, chain: readonly string[], order: number[]): Promise<SpfFetch | undefined> => {
    const note = (detail: string): SpfTermNote => ({ domain: from, term: via, detail });
    if (chain.includes(lower(target))) {
      loops.push([...chain, lower(target)].join(' → '));
      complete = false;
      return undefined;
    }
    if (depth > MAX_DEPTH || followed >= MAX_RECORDS) {
      unfollowed.push(note(depth > MAX_DEPTH ? `deeper than ${MAX_DEPTH} levels: not followed` : `more than ${MAX_RECORDS} records: not followed`));
      complete = false;
      return undefined;
    }
    followed++;
    const fetch = await fetchSpf(dns, target);
    nodes.push({ node: { via, depth, fetch }, order });
    if (fetch.status === 'error') {
      failed.push(note(`lookup failed (${fetch.error})`));
      complete = false;
      return fetch;
    }
    if (fetch.status === 'none') {
      if (fetch.negative) voids.push(note(fetch.negative === 'ENOTFOUND' ? 'no such domain' : 'no TXT record'));
      broken.push(note(`${target} publishes no SPF record`));
      return fetch;
    }
    if (fetch.status === 'multiple') {
      broken.push(note(`${target} publishes ${fetch.records.length} SPF records`));
      return fetch;
    }
    if (fetch.truncated || fetch.parsed.errors.length > 0) {
      broken.push(note(`${target}'s record is invalid: ${fetch.truncated ? 'longer than this check reads' : fetch.parsed.errors.slice(0, 3).join('; ')}`));
    }
    await walk(fetch, depth, [...chain, lower(target)], order);
    return fetch;
  };

  const walk = async (fetch: Extract<SpfFetch, { status: 'found' }>, depth: number, chain: readonly string[], order: number[]): Promise<void> => {
    const { parsed, domain: here } = fetch;
    const tasks: Promise<unknown>[] = [];
    let child = 0;
    for (const m of parsed.mechanisms) {
      if (!LOOKUP_MECHANISMS.has(m.name)) continue;
      count(m.name);
      const note = (detail: string): SpfTermNote => ({ domain: here, term: m.text, detail });
      if (m.name === 'ptr') ptrTerms.push(note('ptr is deprecated (RFC 7208 5.5)'));
      if (m.hasMacro) {
        if (m.name === 'include') {
          unfollowed.push(note('holds a macro: only a receiver with the message can expand it'));
          complete = false;
        }
        continue;
      }
      const target = m.domain ?? here;
      if (m.name === 'include') {
        const childOrder = [...order, child++];
        tasks.push(
          follow(target, m.text, here, depth + 1, chain, childOrder).then((sub) => {
            if (sub?.status === 'found' && sub.parsed.all?.qualifier === '+') permissiveIncludes.push(note(`${target} ends in ${quote(sub.parsed.all.text)}`));
          }),
        );
      } else if (m.name === 'a') {
        tasks.push(
          Promise.all([dns.addresses(target, 4), dns.addresses(target, 6)]).then(([v4, v6]) => {
            if (v4.values.length > 0 || v6.values.length > 0) return;
            const error = v4.error ?? v6.error;
            if (error) failed.push(note(`address lookup failed (${error})`));
            else voids.push(note(`${target} has no A or AAAA record`));
          }),
        );
      } else if (m.name === 'mx') {
        tasks.push(
          dns.mx(target).then((mx) => {
            if (mx.error) failed.push(note(`MX lookup failed (${mx.error})`));
            else if (mx.negative) voids.push(note(`${target} has no MX record`));
            else if (mx.values.length > MAX_MX_HOSTS) mxOverLimit.push(note(`${target} has ${mx.values.length > 64 ? 'more than 64' : mx.values.length} MX hosts; more than ${MAX_MX_HOSTS} is a permerror`));
          }),
        );
      }
      // exists: the name is almost always a macro; a literal one is a lookup that may well be void by design.
    }
    if (parsed.redirect !== undefined) {
      count('redirect');
      const term = `redirect=${parsed.redirect}`;
      if (parsed.redirectHasMacro) {
        unfollowed.push({ domain: here, term, detail: 'holds a macro: only a receiver with the message can expand it' });
        complete = false;
      } else
        tasks.push(
          follow(parsed.redirect, term, here, depth + 1, chain, [...order, child++]).then((sub) => {
            if (sub) redirectTargets.set(fetch, sub);
          }),
        );
    }
    await Promise.all(tasks);
  };

  const root = await fetchSpf(dns, domain);
  nodes.push({ node: { via: '', depth: 0, fetch: root }, order: [] });
  if (root.status === 'found' && !root.truncated) {
    followed++;
    await walk(root, 0, [lower(domain)], []);
  }

  // The all that applies when nothing matched: the record's own, else its redirect target's (recursively).
  let effectiveAll: SpfAnalysis['effectiveAll'];
  let current: SpfFetch | undefined = root;
  for (let hops = 0; current?.status === 'found' && hops <= MAX_DEPTH; hops++) {
    if (current.parsed.all) {
      effectiveAll = { domain: current.domain, mechanism: current.parsed.all };
      break;
    }
    current = redirectTargets.get(current);
  }

  const lookups = Object.values(lookupsByKind).reduce((a, b) => a + b, 0);
  return {
    root,
    nodes: [...nodes].sort((a, b) => compareOrder(a.order, b.order)).map((n) => n.node),
    lookups,
    lookupsByKind,
    complete,
    voids,
    broken,
    loops,
    mxOverLimit,
    failed,
    unfollowed,
    ptrTerms,
    permissiveIncludes,
    ...(effectiveAll ? { effectiveAll } : {}),
  };
}

function compareOrder(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

// ---- check_host() for one address ----

export interface SpfVerdict {
  /** `unknown`: evaluation reached a term this check does not evaluate (exists, ptr, macros). */
  readonly result: SpfResult | 'unknown';
  /** The term that decided, when one did. */
  readonly term?: string;
  /** The domain whose record held that term. */
  readonly domain: string;
  /** Why: "no term matched", the failed lookup, the limit exceeded, the term not evaluated. */
  readonly detail?: string;
}

type MatchOutcome = boolean | SpfVerdict;

/**
 * check_host(ip, domain) as RFC 7208 4-5 define it, for ip4, ip6, a, mx, include, redirect and all, with the
 * 10-lookup and 2-void limits counted as a receiver counts them (lazily, up to the first match). A term
 * with a macro, `exists` and `ptr` end the evaluation as `unknown` rather than a guess.
 */
export async function checkHost(dns: SpfDns, ip: IpBytes, domain: string): Promise<SpfVerdict> {
  let lookups = 0;
  let voids = 0;

  const run = async (here: string, depth: number, chain: readonly string[]): Promise<SpfVerdict> => {
    const fetch = await fetchSpf(dns, here);
    if (fetch.status === 'error') return { result: 'temperror', domain: here, detail: `TXT lookup failed (${fetch.error})` };
    if (fetch.status === 'none') {
      if (fetch.negative && depth > 0 && ++voids > MAX_VOID_LOOKUPS) return { result: 'permerror', domain: here, detail: `more than ${MAX_VOID_LOOKUPS} void lookups` };
      return { result: 'none', domain: here, detail: 'no SPF record' };
    }
    if (fetch.status === 'multiple') return { result: 'permerror', domain: here, detail: `${fetch.records.length} SPF records` };
    if (fetch.truncated || fetch.parsed.errors.length > 0) return { result: 'permerror', domain: here, detail: fetch.truncated ? 'record too long' : fetch.parsed.errors[0] };
    const { parsed } = fetch;

    const countLookup = (term: string): SpfVerdict | undefined =>
      ++lookups > MAX_DNS_LOOKUPS ? { result: 'permerror', term, domain: here, detail: `more than ${MAX_DNS_LOOKUPS} DNS lookups` } : undefined;
    const countVoid = (term: string): SpfVerdict | undefined =>
      ++voids > MAX_VOID_LOOKUPS ? { result: 'permerror', term, domain: here, detail: `more than ${MAX_VOID_LOOKUPS} void lookups` } : undefined;

    const matches = async (m: SpfMechanism): Promise<MatchOutcome> => {
      const unknown = (detail: string): SpfVerdict => ({ result: 'unknown', term: m.text, domain: here, detail });
      if (LOOKUP_MECHANISMS.has(m.name)) {
        const over = countLookup(m.text);
        if (over) return over;
      }
      if (m.hasMacro) return unknown('holds a macro, which only a receiver with the message can expand');
      const name: SpfMechanismName = m.name;
      switch (name) {
        case 'all':
          return true;
        case 'ip4':
        case 'ip6':
          return inNetwork(ip, m.network!, (ip.family === 4 ? m.cidr4 : m.cidr6) ?? (ip.family === 4 ? 32 : 128));
        case 'exists':
        case 'ptr':
          return unknown(`${name} is not evaluated by this check`);
        case 'a': {
          const r = await dns.addresses(m.domain ?? here, ip.family);
          if (r.error) return { result: 'temperror', term: m.text, domain: here, detail: `address lookup failed (${r.error})` };
          if (r.negative) return countVoid(m.text) ?? false;
          return r.values.some((a) => inPrefix(ip, a, m));
        }
        case 'mx': {
          const r = await dns.mx(m.domain ?? here);
          if (r.error) return { result: 'temperror', term: m.text, domain: here, detail: `MX lookup failed (${r.error})` };
          if (r.negative) return countVoid(m.text) ?? false;
          if (r.values.length > MAX_MX_HOSTS) return { result: 'permerror', term: m.text, domain: here, detail: `more than ${MAX_MX_HOSTS} MX hosts` };
          const hosts = await Promise.all(r.values.map((h) => dns.addresses(h.exchange, ip.family)));
          if (hosts.some((h) => h.values.some((a) => inPrefix(ip, a, m)))) return true;
          const error = hosts.find((h) => h.error)?.error;
          return error ? { result: 'temperror', term: m.text, domain: here, detail: `MX host address lookup failed (${error})` } : false;
        }
        case 'include': {
          const target = m.domain!;
          if (chain.includes(lower(target)) || depth >= MAX_DEPTH) return { result: 'permerror', term: m.text, domain: here, detail: 'include loop' };
          const sub = await run(target, depth + 1, [...chain, lower(target)]);
          if (sub.result === 'pass') return true;
          if (sub.result === 'fail' || sub.result === 'softfail' || sub.result === 'neutral') return false;
          if (sub.result === 'none') return { result: 'permerror', term: m.text, domain: here, detail: `${target} has no SPF record` };
          // A failure at the included record itself (no term there) is the include's.
          return sub.term ? sub : { ...sub, term: m.text, domain: here };
        }
      }
    };

    for (const m of parsed.mechanisms) {
      const outcome = await matches(m);
      if (outcome === true) return { result: QUALIFIER_RESULT[m.qualifier], term: m.text, domain: here };
      if (outcome !== false) return outcome;
      if (m.name === 'all') break;
    }
    if (parsed.redirect !== undefined) {
      const term = `redirect=${parsed.redirect}`;
      const over = countLookup(term);
      if (over) return over;
      if (parsed.redirectHasMacro) return { result: 'unknown', term, domain: here, detail: 'holds a macro, which only a receiver with the message can expand' };
      if (chain.includes(lower(parsed.redirect)) || depth >= MAX_DEPTH) return { result: 'permerror', term, domain: here, detail: 'redirect loop' };
      const sub = await run(parsed.redirect, depth + 1, [...chain, lower(parsed.redirect)]);
      if (sub.result === 'none') return { result: 'permerror', term, domain: here, detail: `${parsed.redirect} has no SPF record` };
      return sub.term || sub.result === 'neutral' ? sub : { ...sub, term, domain: here };
    }
    return { result: 'neutral', domain: here, detail: 'no term matched and the record has no "all"' };
  };

  return run(domain, 0, [lower(domain)]);
}

function inPrefix(ip: IpBytes, address: string, m: SpfMechanism): boolean {
  return inNetwork(ip, address, ip.family === 4 ? (m.cidr4 ?? 32) : (m.cidr6 ?? 128));
}
