// SPF macros (RFC 7208 7), pure: reading a macro-string into literal text and macros, and expanding it for
// one check_host() evaluation — every letter, the digit and "r" transformers, any delimiters, URL escaping
// for upper-case letters, and the 253-character cut of names used in DNS queries.

import { quoted } from '../../escape';
import { ipv6Text } from '../dnsWire';
import type { IpAddress } from '../../hosts';

/** Letters allowed everywhere; c, r and t only in explanation text (exp= TXT records). */
const LETTERS = 'slodiphv';
const EXPLANATION_LETTERS = 'crt';

export interface SpfMacro {
  readonly kind: 'macro';
  /** As written: "%{L2r-}". */
  readonly text: string;
  /** Lower case. */
  readonly letter: string;
  /** An upper-case letter: URL-escape the value (RFC 7208 7.3). */
  readonly escape: boolean;
  /** Keep this many right-hand parts (undefined: all). */
  readonly keep?: number;
  readonly reverse: boolean;
  /** Characters to split the value at ("." when none is written). */
  readonly delimiters: string;
}

export type MacroToken = { readonly kind: 'text'; readonly text: string } | SpfMacro;

export type MacroParse = { readonly tokens: readonly MacroToken[]; readonly error?: undefined } | { readonly tokens?: undefined; readonly error: string };


/**
 * Reads a macro-string (RFC 7208 7.1). `explanation`: explanation text, where c, r and t are allowed and
 * spaces are literal text.
 */
export function parseMacroString(s: string, explanation = false): MacroParse {
  const tokens: MacroToken[] = [];
  let literal = '';
  const flush = () => {
    if (literal !== '') tokens.push({ kind: 'text', text: literal });
    literal = '';
  };
  for (let i = 0; i < s.length; ) {
    const c = s[i];
    if (c === '%') {
      const next = s[i + 1];
      if (next === '%' || next === '_' || next === '-') {
        literal += next === '%' ? '%' : next === '_' ? ' ' : '%20';
        i += 2;
        continue;
      }
      if (next !== '{') return { error: `a lone "%" (write %% for a percent sign) in ${quoted(s)}` };
      const m = /^%\{([a-z])(\d*)(r?)([.\-+,/_=]*)\}/i.exec(s.slice(i, i + 80));
      if (!m) return { error: `malformed macro ${quoted(s.slice(i, i + 16))}` };
      const letter = m[1].toLowerCase();
      if (!LETTERS.includes(letter) && !(explanation && EXPLANATION_LETTERS.includes(letter))) return { error: `unknown macro letter in ${quoted(m[0])}` };
      if (m[2] !== '' && Number(m[2]) === 0) return { error: `bad label count in ${quoted(m[0])}` };
      flush();
      tokens.push({
        kind: 'macro',
        text: m[0],
        letter,
        escape: m[1] !== letter,
        ...(m[2] !== '' ? { keep: Number(m[2]) } : {}),
        reverse: m[3] !== '',
        delimiters: m[4] || '.',
      });
      i += m[0].length;
      continue;
    }
    const code = s.charCodeAt(i);
    if (code > 0x7e || code < 0x20 || (code === 0x20 && !explanation)) return { error: `character ${JSON.stringify(c)} is not allowed in ${quoted(s)}` };
    literal += c;
    i++;
  }
  flush();
  return { tokens };
}

/** What the macro letters stand for in one evaluation. */
export interface MacroValues {
  /** s: the sender, local-part@domain. */
  readonly sender: string;
  /** l: the sender's local-part ("postmaster" when it had none). */
  readonly local: string;
  /** o: the sender's domain. */
  readonly senderDomain: string;
  /** d: the domain whose record is being evaluated. */
  readonly domain: string;
  /** i, c, v: the client address. */
  readonly ip: IpAddress;
  /** h: the HELO/EHLO name; undefined when not known. */
  readonly helo?: string;
  /** p: the validated domain name of the client, when the caller looked it up ("unknown" when there is none). */
  readonly validatedName?: string;
  /** r: the receiving host (explanations only); "unknown" when not given. */
  readonly receiver?: string;
  /** t: seconds since the epoch (explanations only). */
  readonly now?: number;
}

export type MacroExpansion =
  | { readonly text: string; readonly missing?: undefined }
  /** A letter whose value the caller did not supply (h without a HELO name, p not looked up). */
  | { readonly text?: undefined; readonly missing: string };

/** %{i}: dotted quad, or the 32 nibbles of an IPv6 address separated by dots (RFC 7208 7.3). */
export function dottedIp(ip: IpAddress): string {
  return ip.family === 4 ? ip.bytes.join('.') : ip.bytes.flatMap((b) => [(b >> 4).toString(16), (b & 0xf).toString(16)]).join('.');
}

/** %{c}: the address as people write it. */
export function readableIp(ip: IpAddress): string {
  return ip.family === 4 ? ip.bytes.join('.') : ipv6Text(Uint8Array.from(ip.bytes));
}

function letterValue(letter: string, v: MacroValues): string | undefined {
  switch (letter) {
    case 's':
      return v.sender;
    case 'l':
      return v.local;
    case 'o':
      return v.senderDomain;
    case 'd':
      return v.domain;
    case 'i':
      return dottedIp(v.ip);
    case 'p':
      return v.validatedName;
    case 'h':
      return v.helo;
    case 'v':
      return v.ip.family === 4 ? 'in-addr' : 'ip6';
    case 'c':
      return readableIp(v.ip);
    case 'r':
      return v.receiver ?? 'unknown';
    case 't':
      return String(Math.floor(v.now ?? Date.now() / 1000));
  }
  return undefined;
}

/** RFC 3986 unreserved characters stay; every other byte becomes %XX. */
function urlEscape(text: string): string {
  return Array.from(Buffer.from(text, 'utf8'))
    .map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

function expandMacro(m: SpfMacro, value: string): string {
  const split = new RegExp(`[${m.delimiters.replace(/[\]\\^-]/g, '\\$&')}]`);
  let parts = value.split(split);
  if (m.reverse) parts = parts.reverse();
  if (m.keep !== undefined && m.keep < parts.length) parts = parts.slice(parts.length - m.keep);
  const joined = parts.join('.');
  return m.escape ? urlEscape(joined) : joined;
}

/** The text of parsed tokens with the letters' values. */
export function expandTokens(tokens: readonly MacroToken[], values: MacroValues): MacroExpansion {
  let out = '';
  for (const t of tokens) {
    if (t.kind === 'text') {
      out += t.text;
      continue;
    }
    const value = letterValue(t.letter, values);
    if (value === undefined) return { missing: t.letter };
    out += expandMacro(t, value);
  }
  return { text: out };
}

/** Whether the tokens use one of these letters. */
export function usesLetter(tokens: readonly MacroToken[], letters: string): boolean {
  return tokens.some((t) => t.kind === 'macro' && letters.includes(t.letter));
}

/**
 * An expanded domain-spec as a name to ask DNS for: without its trailing dot, and, when longer than 253
 * characters, with labels cut from the left until it fits (RFC 7208 7.3).
 */
export function queryName(expanded: string): string {
  let name = expanded.replace(/\.$/, '');
  while (name.length > 253 && name.includes('.')) name = name.slice(name.indexOf('.') + 1);
  return name;
}
