// SPF through DNS: a domain's record and everything it includes or redirects to (the lookup and void-lookup
// counts, broken and looping includes, the effective `all`), and check_host() (RFC 7208 4-7) for one
// client address and sender. DNS comes in through `MailAuthDns` (AuthDns in the live check and the
// conformance test, a table in unit tests).

import { quoted } from '../../escape';
import type { IpAddress } from '../../hosts';
import type { MailAuthDns } from './authDns';
import { dottedIp, expandTokens, MacroValues, parseMacroString, queryName, usesLetter } from './spfMacro';
import {
  inNetwork,
  isSpfRecord,
  LOOKUP_MECHANISMS,
  looksLikeSpf,
  MAX_DNS_LOOKUPS,
  MAX_VOID_LOOKUPS,
  ParsedSpf,
  parseSpf,
  QUALIFIER_RESULT,
  SpfMechanism,
  SpfResult,
} from './spfRecord';

export type SpfDns = MailAuthDns;

/** Deepest include/redirect chain followed; a deeper one needs more than 10 lookups anyway. */
export const MAX_SPF_DEPTH = 10;
/** Most records the analysis follows in all (each include/redirect occurrence is one). */
export const MAX_SPF_RECORDS = 40;
/** Most MX hosts an `mx` mechanism may have (RFC 7208 4.6.4): more is a permerror. */
export const MAX_SPF_MX_HOSTS = 10;

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
    if (depth > MAX_SPF_DEPTH || followed >= MAX_SPF_RECORDS) {
      unfollowed.push(note(depth > MAX_SPF_DEPTH ? `deeper than ${MAX_SPF_DEPTH} levels: not followed` : `more than ${MAX_SPF_RECORDS} records: not followed`));
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
          unfollowed.push(note('holds a macro: it depends on the client and sender, so only check_host() for an address follows it'));
          complete = false;
        }
        continue;
      }
      const target = m.domain ?? here;
      if (m.name === 'include') {
        const childOrder = [...order, child++];
        tasks.push(
          follow(target, m.text, here, depth + 1, chain, childOrder).then((sub) => {
            if (sub?.status === 'found' && sub.parsed.all?.qualifier === '+') permissiveIncludes.push(note(`${target} ends in ${quoted(sub.parsed.all.text)}`));
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
            else if (mx.values.length > MAX_SPF_MX_HOSTS) mxOverLimit.push(note(`${target} has ${mx.values.length > 64 ? 'more than 64' : mx.values.length} MX hosts; more than ${MAX_SPF_MX_HOSTS} is a permerror`));
          }),
        );
      }
      // exists: the name is almost always a macro; a literal one is a lookup that may well be void by design.
    }
    if (parsed.redirect !== undefined) {
      count('redirect');
      const term = `redirect=${parsed.redirect}`;
      if (parsed.redirectHasMacro) {
        unfollowed.push({ domain: here, term, detail: 'holds a macro: it depends on the client and sender, so only check_host() for an address follows it' });
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
  for (let hops = 0; current?.status === 'found' && hops <= MAX_SPF_DEPTH; hops++) {
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


// ---- check_host() for one client and sender ----

/** Most PTR names looked at for ptr and %{p} (RFC 7208 4.6.4: the others are ignored). */
export const MAX_SPF_PTR_NAMES = 10;

export interface SpfIdentity {
  /** <ip>: the SMTP client's address. */
  readonly ip: IpAddress;
  /**
   * <sender>: the MAIL FROM address, or postmaster@<HELO name> for a HELO check. A sender without a
   * local part ("@example.com", or no "@" at all) has the local part "postmaster" (RFC 7208 4.3).
   */
  readonly sender: string;
  /** The HELO/EHLO name (%{h}); undefined when not known: a record that needs it gets "unknown". */
  readonly helo?: string;
  /** The receiving host (%{r} in explanations); "unknown" when not given (RFC 7208 7.3). */
  readonly receiver?: string;
  /** Seconds since the epoch (%{t} in explanations); now when not given. */
  readonly now?: number;
}

export interface SpfVerdict {
  /** `unknown`: this check could not evaluate the record (a macro needs the HELO name, its query cap…). */
  readonly result: SpfResult | 'unknown';
  /** The term that decided, when one did. */
  readonly term?: string;
  /** The domain whose record held that term. */
  readonly domain: string;
  /** Why: "no term matched", the failed lookup, the limit exceeded, the input missing. */
  readonly detail?: string;
  /** With fail: the explanation the domain publishes (exp=), expanded; undefined when none applies. */
  readonly explanation?: string;
  /** Terms that cost a DNS lookup, evaluated (at most 10 are allowed), and void lookups (at most 2). */
  readonly lookups: number;
  readonly voidLookups: number;
  /** A sender-dependent macro (%{s}, %{l}, %{o}) was expanded: the verdict holds for this sender only. */
  readonly senderDependent: boolean;
}

/** The local part ("postmaster" when empty) and domain of a sender. */
export function splitSender(sender: string): { readonly local: string; readonly domain: string } {
  const at = sender.lastIndexOf('@');
  const local = at < 0 ? '' : sender.slice(0, at);
  return { local: local === '' ? 'postmaster' : local, domain: at < 0 ? sender : sender.slice(at + 1) };
}

/** A name DNS can carry: labels of 1-63 characters, 253 characters in all (RFC 1035). */
function dnsNameProblem(name: string): string | undefined {
  if (name.length > 253) return 'longer than 253 characters';
  const labels = name.split('.');
  if (labels.some((l) => l === '')) return 'has an empty label';
  if (labels.some((l) => l.length > 63)) return 'has a label longer than 63 characters';
  return undefined;
}

/**
 * Why <domain> cannot start check_host() (RFC 7208 4.3: then the result is none), or undefined. The domain
 * of the SMTP identity must also be a host name: not an address literal ("[192.0.2.1]").
 */
function domainProblem(domain: string, identity: boolean): string | undefined {
  const name = domain.replace(/\.$/, '');
  const problem = dnsNameProblem(name);
  if (problem) return problem;
  if (!name.includes('.')) return 'is not a fully qualified domain name';
  if (identity && !/^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+$/.test(name)) return 'is not a host name';
  return undefined;
}

function sameOrSubdomain(name: string, domain: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const d = domain.toLowerCase().replace(/\.$/, '');
  return n === d || n.endsWith(`.${d}`);
}

/** How one mechanism came out: it matched, it did not, or evaluation ends here with a verdict. */
type Match = boolean | Outcome;

interface Outcome {
  readonly result: SpfResult | 'unknown';
  readonly term?: string;
  readonly domain: string;
  readonly detail?: string;
  /** A fail decided by a record with exp=: where to look up the explanation. */
  readonly exp?: { readonly spec: string; readonly domain: string };
}

/** One check_host() evaluation: the limits are counted across all its includes and redirects. */
class Evaluation {
  lookups = 0;
  voids = 0;
  senderDependent = false;
  private readonly local: string;
  private readonly senderDomain: string;
  private validatedNames?: Promise<readonly string[]>;

  constructor(
    private readonly dns: MailAuthDns,
    private readonly identity: SpfIdentity,
  ) {
    const { local, domain } = splitSender(identity.sender);
    this.local = local;
    this.senderDomain = domain;
  }

  /** The values of the macro letters for a record of `domain`; %{p} only when `tokens` need it. */
  private async values(domain: string, needP: boolean): Promise<MacroValues> {
    const base: MacroValues = {
      sender: `${this.local}@${this.senderDomain}`,
      local: this.local,
      senderDomain: this.senderDomain,
      domain,
      ip: this.identity.ip,
      ...(this.identity.helo !== undefined ? { helo: this.identity.helo } : {}),
      ...(this.identity.receiver !== undefined ? { receiver: this.identity.receiver } : {}),
      ...(this.identity.now !== undefined ? { now: this.identity.now } : {}),
    };
    return needP ? { ...base, validatedName: await this.validatedName(domain) } : base;
  }

  /** Expands a domain-spec or explanation; a string, or the letter no value was given for. */
  async expand(spec: string, domain: string, explanation = false): Promise<{ text: string } | { missing: string } | { error: string }> {
    const parsed = parseMacroString(spec, explanation);
    if (parsed.error !== undefined) return { error: parsed.error };
    if (usesLetter(parsed.tokens, 'slo')) this.senderDependent = true;
    const expanded = expandTokens(parsed.tokens, await this.values(domain, usesLetter(parsed.tokens, 'p')));
    return expanded.missing !== undefined ? { missing: expanded.missing } : { text: expanded.text };
  }

  /**
   * The names of the client's PTR records (the first 10) that resolve back to it (RFC 7208 5.5), in the
   * order of the answer; empty when there are none or a lookup fails.
   */
  private validated(): Promise<readonly string[]> {
    this.validatedNames ??= (async () => {
      const ptr = await this.dns.ptr(reverseName(this.identity.ip));
      const names = ptr.values.slice(0, MAX_SPF_PTR_NAMES);
      const checks = await Promise.all(names.map((n) => this.resolvesToClient(n)));
      return names.filter((_, i) => checks[i] === true);
    })();
    return this.validatedNames;
  }

  /** Whether `name` has an address record equal to the client's; undefined when the lookup fails. */
  private async resolvesToClient(name: string): Promise<boolean | undefined> {
    const r = await this.dns.addresses(name, this.identity.ip.family);
    if (r.error) return undefined;
    return r.values.some((a) => inNetwork(this.identity.ip, a, this.identity.ip.family === 4 ? 32 : 128));
  }

  /** %{p}: the validated name equal to <domain>, else one under it, else any; "unknown" when none (RFC 7208 7.3). */
  private async validatedName(domain: string): Promise<string> {
    const names = (await this.validated()).map((n) => n.replace(/\.$/, ''));
    return names.find((n) => n.toLowerCase() === domain.toLowerCase()) ?? names.find((n) => sameOrSubdomain(n, domain)) ?? names[0] ?? 'unknown';
  }

  async run(domain: string, chain: readonly string[]): Promise<Outcome> {
    const here = domain.replace(/\.$/, '');
    const txt = await this.dns.txt(here);
    if (txt.error) return this.failedLookup(txt.error, undefined, here, `TXT lookup of ${here} failed (${txt.error})`);
    const records = txt.values.filter((r) => isSpfRecord(r.text));
    if (records.length === 0) return { result: 'none', domain: here, detail: txt.negative === 'ENOTFOUND' ? 'no such domain' : 'no SPF record' };
    if (records.length > 1) return { result: 'permerror', domain: here, detail: `${records.length} SPF records` };
    if (records[0].truncated) return { result: 'unknown', domain: here, detail: 'the record is longer than this check reads' };
    const parsed = parseSpf(records[0].text);
    if (parsed.errors.length > 0) return { result: 'permerror', domain: here, detail: parsed.errors[0] };

    for (const m of parsed.mechanisms) {
      const outcome = await this.match(m, here, chain);
      if (outcome === true) {
        const result = QUALIFIER_RESULT[m.qualifier];
        return { result, term: m.text, domain: here, ...(result === 'fail' && parsed.exp !== undefined ? { exp: { spec: parsed.exp, domain: here } } : {}) };
      }
      if (outcome !== false) return outcome;
    }
    if (parsed.redirect !== undefined) return this.redirect(parsed, here, chain);
    return { result: 'neutral', domain: here, detail: parsed.all ? undefined : 'no term matched and the record has no "all"' };
  }

  private async redirect(parsed: ParsedSpf, here: string, chain: readonly string[]): Promise<Outcome> {
    const term = `redirect=${parsed.redirect!}`;
    const over = this.countLookup(term, here);
    if (over) return over;
    const target = await this.targetName(parsed.redirect!, term, here);
    if (typeof target !== 'string') return target;
    const bad = domainProblem(target, false);
    if (bad) return { result: 'permerror', term, domain: here, detail: `the redirect target ${quoted(target)} ${bad}` };
    if (chain.includes(target.toLowerCase())) return { result: 'permerror', term, domain: here, detail: `redirect loop (${[...chain, target.toLowerCase()].join(' → ')})` };
    const sub = await this.run(target, [...chain, target.toLowerCase()]);
    if (sub.result === 'none') return { result: 'permerror', term, domain: here, detail: `${target} has no SPF record` };
    // The redirect target's record decides, exp= included (RFC 7208 6.1).
    return sub.term || sub.result === 'neutral' ? sub : { ...sub, term, domain: here };
  }

  private countLookup(term: string, here: string): Outcome | undefined {
    return ++this.lookups > MAX_DNS_LOOKUPS ? { result: 'permerror', term, domain: here, detail: `more than ${MAX_DNS_LOOKUPS} DNS lookups` } : undefined;
  }

  /** A lookup that found nothing: no match, unless it is the third such lookup (RFC 7208 4.6.4). */
  private voidLookup(term: string, here: string): Match {
    return ++this.voids > MAX_VOID_LOOKUPS ? { result: 'permerror', term, domain: here, detail: `more than ${MAX_VOID_LOOKUPS} void lookups` } : false;
  }

  /** A DNS failure: temperror, unless it is this check's own limit or a cancel (then no verdict). */
  private failedLookup(error: string, term: string | undefined, here: string, detail: string): Outcome {
    const ours = error === 'EQUERYLIMIT' || error === 'ECANCELLED';
    return { result: ours ? 'unknown' : 'temperror', ...(term ? { term } : {}), domain: here, detail };
  }

  /** The target-name of a term: its domain-spec expanded (or the current domain), ready for DNS. */
  private async targetName(spec: string | undefined, term: string, here: string): Promise<string | Outcome> {
    if (spec === undefined) return here;
    const expanded = await this.expand(spec, here);
    if ('missing' in expanded) {
      const what = expanded.missing === 'h' ? 'the HELO name (%{h}), which is not known' : `%{${expanded.missing}}`;
      return { result: 'unknown', term, domain: here, detail: `needs ${what}` };
    }
    // The record was parsed, so its macros are valid; this is for the type checker.
    if ('error' in expanded) return { result: 'permerror', term, domain: here, detail: expanded.error };
    return queryName(expanded.text);
  }

  private async match(m: SpfMechanism, here: string, chain: readonly string[]): Promise<Match> {
    const { ip } = this.identity;
    if (LOOKUP_MECHANISMS.has(m.name)) {
      const over = this.countLookup(m.text, here);
      if (over) return over;
    }
    if (m.name === 'all') return true;
    if (m.name === 'ip4' || m.name === 'ip6') return inNetwork(ip, m.network!, (ip.family === 4 ? m.cidr4 : m.cidr6) ?? (ip.family === 4 ? 32 : 128));

    const target = await this.targetName(m.domain, m.text, here);
    if (typeof target !== 'string') return target;
    const temperror = (error: string, what: string): Outcome => this.failedLookup(error, m.text, here, `${what} failed (${error})`);

    if (m.name === 'include') {
      const bad = domainProblem(target, false);
      if (bad) return { result: 'permerror', term: m.text, domain: here, detail: `the include target ${quoted(target)} ${bad}` };
      if (chain.includes(target.toLowerCase())) return { result: 'permerror', term: m.text, domain: here, detail: `include loop (${[...chain, target.toLowerCase()].join(' → ')})` };
      const sub = await this.run(target, [...chain, target.toLowerCase()]);
      if (sub.result === 'pass') return true;
      if (sub.result === 'fail' || sub.result === 'softfail' || sub.result === 'neutral') return false;
      if (sub.result === 'none') return { result: 'permerror', term: m.text, domain: here, detail: `${target} has no SPF record` };
      // temperror, permerror, unknown: the included record's own failure is the include's (without its exp=).
      const { exp: _ignored, ...failure } = sub;
      return failure.term ? failure : { ...failure, term: m.text, domain: here };
    }

    // A name DNS cannot carry does not exist: no match, counted as a void lookup.
    if (dnsNameProblem(target)) return this.voidLookup(m.text, here);

    const prefix = ip.family === 4 ? (m.cidr4 ?? 32) : (m.cidr6 ?? 128);
    switch (m.name) {
      case 'a': {
        const r = await this.dns.addresses(target, ip.family);
        if (r.error) return temperror(r.error, `address lookup of ${target}`);
        if (r.negative) return this.voidLookup(m.text, here);
        return r.values.some((a) => inNetwork(ip, a, prefix));
      }
      case 'mx': {
        const r = await this.dns.mx(target);
        if (r.error) return temperror(r.error, `MX lookup of ${target}`);
        if (r.negative) return this.voidLookup(m.text, here);
        if (r.values.length > MAX_SPF_MX_HOSTS) return { result: 'permerror', term: m.text, domain: here, detail: `${target} has more than ${MAX_SPF_MX_HOSTS} MX records` };
        // A null MX ("." as exchange) names no host.
        const hosts = r.values.map((h) => h.exchange).filter((h) => h !== '' && h !== '.');
        const answers = await Promise.all(hosts.map((h) => this.dns.addresses(h, ip.family)));
        // In order, as a receiver goes: the first failure or match decides.
        for (const [i, a] of answers.entries()) {
          if (a.error) return temperror(a.error, `address lookup of MX host ${hosts[i]}`);
          if (a.values.some((v) => inNetwork(ip, v, prefix))) return true;
        }
        return false;
      }
      case 'ptr': {
        const ptr = await this.dns.ptr(reverseName(ip));
        // A failed PTR lookup is no match (RFC 7208 5.5), not temperror.
        if (ptr.error) return false;
        if (ptr.negative) return this.voidLookup(m.text, here);
        const candidates = ptr.values.slice(0, MAX_SPF_PTR_NAMES).filter((n) => sameOrSubdomain(n, target));
        for (const name of candidates) if ((await this.resolvesToClient(name)) === true) return true;
        return false;
      }
      case 'exists': {
        // Always an A lookup, whatever the client's address family (RFC 7208 5.7).
        const r = await this.dns.addresses(target, 4);
        if (r.error) return temperror(r.error, `address lookup of ${target}`);
        if (r.negative) return this.voidLookup(m.text, here);
        return true;
      }
    }
    return false;
  }

  /** The explanation of a fail (RFC 7208 6.2): any problem on the way means there is none. */
  async explanation(exp: { readonly spec: string; readonly domain: string }): Promise<string | undefined> {
    const name = await this.expand(exp.spec, exp.domain);
    if (!('text' in name)) return undefined;
    const target = queryName(name.text);
    if (domainProblem(target, false)) return undefined;
    const txt = await this.dns.txt(target);
    if (txt.values.length !== 1 || txt.values[0].truncated) return undefined;
    const text = await this.expand(txt.values[0].text, exp.domain, true);
    return 'text' in text ? text.text : undefined;
  }
}

/** The name a PTR lookup for `ip` asks: 4.3.2.1.in-addr.arpa, or 32 nibbles under ip6.arpa. */
function reverseName(ip: IpAddress): string {
  return `${dottedIp(ip).split('.').reverse().join('.')}.${ip.family === 4 ? 'in-addr' : 'ip6'}.arpa`;
}

/**
 * check_host(<ip>, <domain>, <sender>) as RFC 7208 defines it: <domain> is the sender's domain unless
 * given. Every mechanism and modifier, macros with every letter and transformer, the 10-lookup and
 * 2-void-lookup limits across includes and redirects, the 10-name limits of mx and ptr, and the exp=
 * explanation of a fail.
 */
export async function checkHost(dns: MailAuthDns, identity: SpfIdentity, domain = splitSender(identity.sender).domain): Promise<SpfVerdict> {
  const evaluation = new Evaluation(dns, identity);
  const start = domain.replace(/\.$/, '');
  const bad = domainProblem(start, true);
  const outcome: Outcome = bad ? { result: 'none', domain: start, detail: `${quoted(domain)} ${bad} (RFC 7208 4.3)` } : await evaluation.run(start, [start.toLowerCase()]);
  const explanation = outcome.result === 'fail' && outcome.exp ? await evaluation.explanation(outcome.exp) : undefined;
  return {
    result: outcome.result,
    ...(outcome.term !== undefined ? { term: outcome.term } : {}),
    domain: outcome.domain,
    ...(outcome.detail !== undefined ? { detail: outcome.detail } : {}),
    ...(explanation !== undefined ? { explanation } : {}),
    lookups: Math.min(evaluation.lookups, MAX_DNS_LOOKUPS + 1),
    voidLookups: evaluation.voids,
    senderDependent: evaluation.senderDependent,
  };
}
