// SPF records (RFC 7208), pure: which TXT records are SPF records, their terms, what is wrong with them,
// and the address arithmetic check_host() needs. No DNS here; spfEval.ts follows records through DNS.

import { quoted } from '../../escape';
import { isIPv4, isIPv6 } from 'net';
import { cidrContains, type IpAddress, parsePeerAddress } from '../../hosts';
import { parseMacroString } from './spfMacro';

export type SpfQualifier = '+' | '-' | '~' | '?';
export type SpfMechanismName = 'all' | 'include' | 'a' | 'mx' | 'ptr' | 'ip4' | 'ip6' | 'exists';
export type SpfResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror';

export const QUALIFIER_RESULT: Readonly<Record<SpfQualifier, SpfResult>> = { '+': 'pass', '-': 'fail', '~': 'softfail', '?': 'neutral' };

/** Mechanisms and modifiers that cost a DNS lookup (RFC 7208 4.6.4); at most 10 per check_host(). */
export const LOOKUP_MECHANISMS: ReadonlySet<SpfMechanismName> = new Set(['include', 'a', 'mx', 'ptr', 'exists']);
export const MAX_DNS_LOOKUPS = 10;
export const MAX_VOID_LOOKUPS = 2;

export interface SpfMechanism {
  readonly kind: 'mechanism';
  /** The term as written. */
  readonly text: string;
  readonly qualifier: SpfQualifier;
  /** Whether the qualifier was written out (a bare `all` means `+all`). */
  readonly explicitQualifier: boolean;
  readonly name: SpfMechanismName;
  /** include, exists (always), a, mx, ptr (optional): the domain-spec as written, macros and all. */
  readonly domain?: string;
  /** ip4, ip6: the network address. */
  readonly network?: string;
  /** ip4 prefix, or the IPv4 prefix of a / mx (default 32). */
  readonly cidr4?: number;
  /** ip6 prefix, or the IPv6 prefix of a / mx (default 128). */
  readonly cidr6?: number;
  /** The domain-spec holds a macro (%{...}, %%, %_, %-): its target depends on the client and sender. */
  readonly hasMacro: boolean;
}

export interface SpfModifier {
  readonly kind: 'modifier';
  readonly text: string;
  /** Lower case. */
  readonly name: string;
  readonly value: string;
  readonly hasMacro: boolean;
}

export type SpfTerm = SpfMechanism | SpfModifier;

export interface ParsedSpf {
  /** The terms that parsed, in order (a term with an error is left out). */
  readonly terms: readonly SpfTerm[];
  readonly mechanisms: readonly SpfMechanism[];
  /** The first `all` mechanism. */
  readonly all?: SpfMechanism;
  /** The redirect= domain-spec, when the record has one and no `all` (with `all`, receivers ignore it). */
  readonly redirect?: string;
  readonly redirectHasMacro: boolean;
  /** The exp= domain-spec: where the explanation for a fail is published (RFC 7208 6.2). */
  readonly exp?: string;
  /** What makes receivers return permerror for the record. Empty: the record is valid. */
  readonly errors: readonly string[];
  /** Legal but surely not meant: mechanisms after `all`, redirect= beside `all`, `include=` for `include:`. */
  readonly warnings: readonly string[];
}

const MECHANISMS: ReadonlySet<string> = new Set(['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists']);

/** An SPF record starts with exactly "v=spf1", then a space or the end (RFC 7208 4.5; case-insensitive). */
export function isSpfRecord(text: string): boolean {
  return /^v=spf1(?: |$)/i.test(text);
}

/** Text that was probably meant as an SPF record but is not one ("v=spf1;", "spf1 ...", "v=spf2"). */
export function looksLikeSpf(text: string): boolean {
  return !isSpfRecord(text) && /^\s*"?\s*v\s*=\s*spf/i.test(text);
}


/**
 * Why `s` is not a valid macro-string (RFC 7208 7.1), or undefined. `explanation`: the letters c, r and t
 * are allowed (only in exp= explanation text).
 */
export function macroStringError(s: string, explanation = false): string | undefined {
  return parseMacroString(s, explanation).error;
}

export function hasMacro(s: string): boolean {
  return s.includes('%');
}

const TOPLABEL = /^(?:[a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9])$/i;

/** Why `spec` is not a valid domain-spec (RFC 7208 7.1), or undefined. */
export function domainSpecError(spec: string): string | undefined {
  if (spec === '') return 'empty domain';
  const macro = macroStringError(spec);
  if (macro) return macro;
  // domain-end may be a macro-expand.
  if (/(?:%\{[^}]*\}|%[%_-])$/.test(spec)) return undefined;
  const bare = spec.replace(/\.$/, '');
  const labels = bare.split('.');
  if (labels.length < 2) return `${quoted(spec)} is not a fully qualified domain name`;
  if (!TOPLABEL.test(labels[labels.length - 1])) return `${quoted(spec)} does not end in a valid top-level label`;
  if (!hasMacro(spec)) {
    if (labels.some((l) => l === '')) return `${quoted(spec)} has an empty label`;
    if (labels.some((l) => l.length > 63) || bare.length > 253) return `${quoted(spec)} is too long for a domain name`;
  }
  return undefined;
}

function cidrValue(text: string | undefined, max: number): number | undefined | 'bad' {
  if (text === undefined) return undefined;
  if (!/^(?:0|[1-9]\d{0,2})$/.test(text)) return 'bad';
  const n = Number(text);
  return n > max ? 'bad' : n;
}

/** Parses the terms of an SPF record (which must start with v=spf1). */
export function parseSpf(record: string): ParsedSpf {
  const errors: string[] = [];
  const warnings: string[] = [];
  const terms: SpfTerm[] = [];
  if (!isSpfRecord(record)) errors.push('the record does not start with "v=spf1"');
  const body = record.replace(/^v=spf1/i, '');
  if (/[^\S ]/.test(body)) errors.push('the record holds whitespace other than spaces (tabs or line breaks), which SPF does not allow');
  const words = body.split(/\s+/).filter((w) => w !== '');
  const seenModifiers = new Set<string>();

  for (const word of words) {
    const modifier = /^([a-z][a-z0-9_.-]*)=(.*)$/is.exec(word);
    if (modifier) {
      const name = modifier[1].toLowerCase();
      const value = modifier[2];
      if (name === 'redirect' || name === 'exp') {
        if (seenModifiers.has(name)) {
          errors.push(`${name}= appears more than once`);
          continue;
        }
        seenModifiers.add(name);
        const bad = domainSpecError(value);
        if (bad) {
          errors.push(`${quoted(word)}: ${bad}`);
          continue;
        }
      } else {
        const bad = macroStringError(value);
        if (bad) {
          errors.push(`${quoted(word)}: ${bad}`);
          continue;
        }
        if (MECHANISMS.has(name)) warnings.push(`${quoted(word)} is an unknown modifier that receivers ignore, not the ${name} mechanism: write ${name}:${value}`);
        else if (name === 'v') warnings.push(`${quoted(word)} inside the record: two SPF records were probably pasted into one`);
      }
      terms.push({ kind: 'modifier', text: word, name, value, hasMacro: hasMacro(value) });
      continue;
    }

    const m = /^([+\-~?]?)([a-z0-9]+)(.*)$/is.exec(word);
    if (!m) {
      errors.push(`${quoted(word)} is neither a mechanism nor a modifier`);
      continue;
    }
    const qualifier = (m[1] || '+') as SpfQualifier;
    const name = m[2].toLowerCase();
    const rest = m[3];
    if (!MECHANISMS.has(name)) {
      const hint = /^ipv?4$/i.test(name) ? ' (did you mean ip4:?)' : /^ipv6$/i.test(name) ? ' (did you mean ip6:?)' : '';
      errors.push(`unknown mechanism ${quoted(word)}${hint}`);
      continue;
    }
    const base = { kind: 'mechanism' as const, text: word, qualifier, explicitQualifier: m[1] !== '', name: name as SpfMechanismName };
    const fail = (why: string) => errors.push(`${quoted(word)}: ${why}`);

    switch (name) {
      case 'all':
        if (rest !== '') fail('all takes no argument');
        else terms.push({ ...base, hasMacro: false });
        break;
      case 'include':
      case 'exists': {
        if (!rest.startsWith(':')) {
          fail(`${name} needs a domain (${name}:example.com)`);
          break;
        }
        const domain = rest.slice(1);
        const bad = domainSpecError(domain);
        if (bad) fail(bad);
        else terms.push({ ...base, domain, hasMacro: hasMacro(domain) });
        break;
      }
      case 'a':
      case 'mx':
      case 'ptr': {
        let spec = rest;
        let cidr4: number | undefined;
        let cidr6: number | undefined;
        if (name !== 'ptr') {
          const c = /(?:\/(\d+))?(?:\/\/(\d+))?$/.exec(spec)!;
          const v4 = cidrValue(c[1], 32);
          const v6 = cidrValue(c[2], 128);
          if (v4 === 'bad' || v6 === 'bad') {
            fail('bad prefix length (IPv4 /0-/32, IPv6 //0-//128)');
            break;
          }
          cidr4 = v4;
          cidr6 = v6;
          spec = spec.slice(0, c.index);
        }
        if (spec !== '' && !spec.startsWith(':')) {
          fail(`expected ":domain"${name === 'ptr' ? '' : ' or a prefix length'} after ${name}`);
          break;
        }
        const domain = spec === '' ? undefined : spec.slice(1);
        if (domain !== undefined) {
          const bad = domainSpecError(domain);
          if (bad) {
            fail(bad);
            break;
          }
        }
        terms.push({
          ...base,
          ...(domain !== undefined ? { domain } : {}),
          ...(cidr4 !== undefined ? { cidr4 } : {}),
          ...(cidr6 !== undefined ? { cidr6 } : {}),
          hasMacro: domain !== undefined && hasMacro(domain),
        });
        break;
      }
      case 'ip4':
      case 'ip6': {
        if (!rest.startsWith(':')) {
          fail(`${name} needs an address (${name === 'ip4' ? 'ip4:192.0.2.0/24' : 'ip6:2001:db8::/32'})`);
          break;
        }
        const body = rest.slice(1);
        const slash = body.lastIndexOf('/');
        const network = slash < 0 ? body : body.slice(0, slash);
        const cidr = cidrValue(slash < 0 ? undefined : body.slice(slash + 1), name === 'ip4' ? 32 : 128);
        const valid = name === 'ip4' ? isIPv4(network) : isIPv6(network) && !network.includes('%');
        if (!valid) {
          const other = name === 'ip4' ? isIPv6(network) : isIPv4(network);
          fail(`${quoted(network)} is not an ${name === 'ip4' ? 'IPv4' : 'IPv6'} address${other ? ` (use ${name === 'ip4' ? 'ip6' : 'ip4'}:)` : ''}`);
          break;
        }
        if (cidr === 'bad') {
          fail(`bad prefix length (${name === 'ip4' ? '/0-/32' : '/0-/128'})`);
          break;
        }
        terms.push({
          ...base,
          network,
          ...(name === 'ip4' ? { cidr4: cidr ?? 32 } : { cidr6: cidr ?? 128 }),
          hasMacro: false,
        });
        break;
      }
    }
  }

  const mechanisms = terms.filter((t): t is SpfMechanism => t.kind === 'mechanism');
  const allIndex = mechanisms.findIndex((t) => t.name === 'all');
  const all = allIndex >= 0 ? mechanisms[allIndex] : undefined;
  if (all && allIndex < mechanisms.length - 1) {
    const after = mechanisms.slice(allIndex + 1).map((t) => t.text);
    warnings.push(`${after.map((t) => quoted(t)).join(', ')} after ${quoted(all.text)} ${after.length === 1 ? 'is' : 'are'} never evaluated: evaluation stops at "all"`);
  }
  const redirectTerm = terms.find((t): t is SpfModifier => t.kind === 'modifier' && t.name === 'redirect');
  if (redirectTerm && all) warnings.push(`${quoted(redirectTerm.text)} is ignored because the record has ${quoted(all.text)}`);
  const redirect = redirectTerm && !all ? redirectTerm.value : undefined;
  const exp = terms.find((t): t is SpfModifier => t.kind === 'modifier' && t.name === 'exp')?.value;

  return {
    terms,
    mechanisms,
    ...(all ? { all } : {}),
    ...(redirect !== undefined ? { redirect } : {}),
    ...(exp !== undefined ? { exp } : {}),
    redirectHasMacro: redirect !== undefined && hasMacro(redirect),
    errors,
    warnings,
  };
}

/** The terms of a record that cost a DNS lookup, redirect= included (when effective). */
export function lookupTermCount(spf: ParsedSpf): number {
  return spf.mechanisms.filter((m) => LOOKUP_MECHANISMS.has(m.name)).length + (spf.redirect !== undefined ? 1 : 0);
}

// ---- addresses ----

/** An address as bytes; an IPv4-mapped IPv6 address (::ffff:192.0.2.1) counts as IPv4 (RFC 7208 5). */
export const parseIp = parsePeerAddress;

/** Whether `address` lies in `network`/`prefix` (same family only). */
export function inNetwork(address: IpAddress, network: string, prefix: number): boolean {
  const n = parsePeerAddress(network);
  return !!n && cidrContains({ address: n, prefix: Math.min(prefix, n.bytes.length * 8) }, address);
}

/** The address as messages show it: an IPv4-mapped IPv6 address as IPv4, others as written. */
export function displayIp(address: string): string {
  const ip = parseIp(address);
  return ip?.family === 4 ? ip.bytes.join('.') : address;
}
