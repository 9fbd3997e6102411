// DMARC records (RFC 7489), pure: which TXT records are DMARC records, their tags, what is wrong with them,
// what receivers then apply, and an approximate organisational domain (no Public Suffix List here; see
// organizationalDomain).
//
// Receivers do not agree on broken records, so each problem says what three kinds of receiver do with it:
// one that follows RFC 7489 to the letter (6.3, 6.4, 6.6.3), OpenDMARC (the milter most Postfix servers
// run: lenient about order and abbreviations, strict about bad values) and mox (a strict parser of the
// RFC grammar). A problem is an error when one of them rejects the record or replaces its policy with
// p=none; otherwise it is a warning (a tag ignored or replaced by its default, reports that go nowhere).

import { quoted } from '../../escape';

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';

/** The receivers whose handling of a record is known: see the top of this file. */
export type DmarcReceiver = 'rfc' | 'opendmarc' | 'mox';

/**
 * What a receiver does about a problem: rejects the whole record (no DMARC at all); falls back to p=none
 * when the record has a usable rua (else no DMARC) — RFC 7489 6.6.3; uses the tag's default; ignores the
 * tag or URI; or accepts it as meant.
 */
export type DmarcEffect = 'reject' | 'fallback' | 'default' | 'ignore' | 'accept';

/**
 * What kind of problem: the required p= missing, a value the tag does not allow, p= not right after v=,
 * a repeated tag, a tag-spec that is not one (";;", "junk"), an unknown tag, a report URI receivers cannot
 * read or use, or a record some receiver does not find at all (OpenDMARC's lookup).
 */
export type DmarcProblemKind = 'missing-p' | 'bad-value' | 'p-order' | 'repeated' | 'syntax' | 'unknown-tag' | 'uri' | 'unseen';

export interface DmarcProblem {
  readonly kind: DmarcProblemKind;
  /** The tag at fault (lower case), if one is. */
  readonly tag?: string;
  /** What is wrong, for a message: 'sp=bob is not none, quarantine or reject'. */
  readonly text: string;
  readonly effects: Readonly<Record<DmarcReceiver, DmarcEffect>>;
}

export interface DmarcUri {
  /** As written, size suffix included. */
  readonly text: string;
  /** The URI without its "!size" suffix. */
  readonly uri: string;
  /** Lower-case scheme ("mailto"), when the text has one. */
  readonly scheme?: string;
  /** The size limit ("!10m": 10 and "m"). */
  readonly maxSize?: number;
  readonly unit?: string;
  /** mailto: the (percent-decoded) address. */
  readonly address?: string;
  /** mailto: the domain of the address, lower case. */
  readonly domain?: string;
  /** Why it is not a URI at all (no scheme, a bad %-escape or size suffix). */
  readonly error?: string;
  /** Why no report can go there although it is a URI (not mailto:, not a mail address). */
  readonly unusable?: string;
}

/** What one receiver applies. */
export interface AppliedDmarc {
  readonly p: DmarcPolicy;
  /** undefined: subdomains get p. */
  readonly sp?: DmarcPolicy;
  readonly pct: number;
  readonly adkim: 'r' | 's';
  readonly aspf: 'r' | 's';
  readonly ri: number;
  readonly fo: readonly string[];
  readonly rf: readonly string[];
  readonly rua: readonly DmarcUri[];
  readonly ruf: readonly DmarcUri[];
  /** p=none because the record's policy was unusable (RFC 7489 6.6.3). */
  readonly fallback: boolean;
}

export interface ParsedDmarc {
  /** Every tag by lower-case name (the first, when a tag repeats). */
  readonly tags: ReadonlyMap<string, string>;
  /** The valid p=, if any. */
  readonly p?: DmarcPolicy;
  /** The valid sp=, if any. */
  readonly sp?: DmarcPolicy;
  /** The valid pct=, if any (receivers use 100 otherwise). */
  readonly pct?: number;
  readonly rua: readonly DmarcUri[];
  readonly ruf: readonly DmarcUri[];
  readonly adkim?: 'r' | 's';
  readonly aspf?: 'r' | 's';
  readonly problems: readonly DmarcProblem[];
  /** Problems that make some receiver reject the record or apply p=none instead of its policy. */
  readonly errors: readonly string[];
  /** Tags receivers ignore or replace with defaults, unknown or repeated tags, report URIs they cannot use. */
  readonly warnings: readonly string[];
  /** What `receiver` applies; undefined when it applies no DMARC policy at all. */
  applied(receiver: DmarcReceiver): AppliedDmarc | undefined;
}

const POLICIES: readonly DmarcPolicy[] = ['none', 'quarantine', 'reject'];
/** RFC 7489 tags, and DMARCbis' np, psd and t (which receivers that do not know them ignore). */
const KNOWN_TAGS: ReadonlySet<string> = new Set(['v', 'p', 'sp', 'pct', 'rua', 'ruf', 'adkim', 'aspf', 'fo', 'ri', 'rf', 'np', 'psd', 't']);
/** Most URIs per tag looked at (receivers need honour only two). */
const MAX_URIS = 10;
/** RFC 5321 Keyword (rf= formats, and what mox reads for sp=). */
const KEYWORD = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const WSP = /^[ \t]+|[ \t]+$/g;

/**
 * A DMARC record starts with the tag v=DMARC1 and a ";" (RFC 7489 6.4: "v" in either case, optional
 * spaces around "=", "DMARC1" exactly).
 */
export function isDmarcRecord(text: string): boolean {
  return /^[vV][ \t]*=[ \t]*DMARC1[ \t]*;/.test(text);
}

/** Text at _dmarc that was meant as a DMARC record but receivers discard ("v=dmarc1", "p=reject; v=DMARC1"). */
export function looksLikeDmarc(text: string): boolean {
  return !isDmarcRecord(text) && (/^\s*"?\s*v\s*=\s*dmarc/i.test(text) || /(?:^|;)\s*p\s*=\s*(?:none|quarantine|reject)\b/i.test(text));
}


export function parseDmarcUri(text: string): DmarcUri {
  const bang = text.indexOf('!');
  const uri = bang < 0 ? text : text.slice(0, bang);
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(uri);
  if (!m) {
    const bare = /^[^\s@:]+@[^\s@:]+$/.test(uri) ? ` (write mailto:${uri})` : '';
    return { text, uri, error: `${quoted(text, 100)} is not a URI${bare}` };
  }
  const scheme = m[1].toLowerCase();
  let size: { maxSize: number; unit?: string } | undefined;
  if (bang >= 0) {
    const s = /^(\d+)([kmgt])?$/i.exec(text.slice(bang + 1));
    // A limit beyond 64 bits is a parse error in strict receivers; it means "no limit" anyway.
    if (!s || BigInt(s[1]) > 0xffffffffffffffffn) return { text, uri, scheme, error: `${quoted(text, 100)} has a bad size limit (write !10m, !50k…)` };
    size = { maxSize: Number(s[1]), ...(s[2] ? { unit: s[2].toLowerCase() } : {}) };
  }
  if (/%(?![0-9A-Fa-f]{2})/.test(m[2])) return { text, uri, scheme, error: `${quoted(text, 100)} has a bad %-escape` };
  const base = { text, uri, scheme, ...size };
  if (scheme !== 'mailto') return { ...base, unusable: `${quoted(text, 100)} is not a mailto: URI; receivers send reports by mail only` };
  const address = decodeURIComponent(m[2].replace(/\?.*$/s, ''));
  const at = /^[^\s@,;]+@((?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9-]{1,63})\.?$/i.exec(address);
  if (!at) return { ...base, address, unusable: `${quoted(text, 100)} is not a valid mail address` };
  return { ...base, address, domain: at[1].toLowerCase() };
}

interface TagSpec {
  readonly name: string;
  readonly value: string;
  /** Position among the tag-specs, v=DMARC1 being 0. */
  readonly index: number;
}

const effects = (rfc: DmarcEffect, opendmarc: DmarcEffect, mox: DmarcEffect): Record<DmarcReceiver, DmarcEffect> => ({ rfc, opendmarc, mox });

/** OpenDMARC takes any leading part of a word ("n", "rej") for the word. */
const abbreviates = (value: string, words: readonly string[]) => value !== '' && words.some((w) => w.startsWith(value.toLowerCase()));

/** Parses a DMARC record's tag list (the caller checked isDmarcRecord). */
export function parseDmarc(record: string): ParsedDmarc {
  const problems: DmarcProblem[] = [];
  const add = (kind: DmarcProblemKind, text: string, e: Record<DmarcReceiver, DmarcEffect>, tag?: string) => problems.push({ kind, ...(tag ? { tag } : {}), text, effects: e });

  // OpenDMARC's DNS lookup keeps only TXT records holding the text "v=DMARC" (opendmarc_dns.c), so it
  // never sees "V=DMARC1" or "v = DMARC1", which RFC 7489 allows.
  if (!record.includes('v=DMARC')) add('unseen', 'OpenDMARC finds only records with the exact text "v=DMARC" (lower-case v, no spaces around "=")', effects('accept', 'reject', 'accept'), 'v');

  const specs: TagSpec[] = [];
  const parts = record.split(';');
  for (const [index, part] of parts.entries()) {
    const spec = part.replace(WSP, '');
    if (spec === '') {
      // Only after the last ";" may nothing follow (RFC 7489 6.4's closing dmarc-sep).
      if (index > 0 && index < parts.length - 1) add('syntax', 'an empty tag (";;")', effects('ignore', 'accept', 'reject'));
      continue;
    }
    const m = /^([A-Za-z0-9]+)[ \t]*=[ \t]*(.*)$/s.exec(spec);
    if (!m) {
      add('syntax', `${quoted(spec, 100)} is not a tag=value pair`, effects('ignore', 'accept', 'reject'));
      continue;
    }
    specs.push({ name: m[1].toLowerCase(), value: m[2], index });
  }

  const first = new Map<string, TagSpec>();
  const last = new Map<string, TagSpec>();
  for (const s of specs) {
    if (first.has(s.name)) continue;
    first.set(s.name, s);
  }
  for (const s of specs) last.set(s.name, s);
  for (const [name, spec] of last) {
    if (spec === first.get(name) || name === 'v') continue;
    const opendmarc = name === 'rua' || name === 'ruf' ? 'reject' : 'accept';
    add('repeated', `${name}= appears more than once`, effects('ignore', opendmarc, 'reject'), name);
  }
  for (const name of first.keys()) {
    if (!KNOWN_TAGS.has(name)) add('unknown-tag', `unknown tag ${name}= is ignored by receivers${/^(rau|ru|rue|reu|policy|sub|pc)$/.test(name) ? ' (a typo?)' : ''}`, effects('ignore', 'ignore', 'ignore'), name);
  }
  const value = (name: string) => first.get(name)?.value;

  // p= (RFC 7489 6.3, 6.4: required, and the first tag after v=).
  const pSpec = first.get('p');
  let p: DmarcPolicy | undefined;
  if (!pSpec || pSpec.value === '') {
    add('missing-p', 'the required p= tag is missing', effects('fallback', 'reject', pSpec ? 'reject' : 'fallback'), 'p');
  } else if (!POLICIES.includes(pSpec.value.toLowerCase() as DmarcPolicy)) {
    add('bad-value', `p=${pSpec.value} is not none, quarantine or reject${abbreviates(pSpec.value, POLICIES) ? ' (OpenDMARC reads it as short for one)' : ''}`, effects('fallback', abbreviates(pSpec.value, POLICIES) ? 'accept' : 'reject', 'reject'), 'p');
  } else {
    p = pSpec.value.toLowerCase() as DmarcPolicy;
    if (pSpec.index !== 1) {
      add('p-order', 'p= is not the first tag after v=DMARC1, as RFC 7489 6.4 requires (OpenDMARC does not mind)', effects('fallback', 'accept', 'reject'), 'p');
      p = undefined;
    }
  }

  let sp: DmarcPolicy | undefined;
  const spText = value('sp');
  if (spText !== undefined) {
    if (POLICIES.includes(spText.toLowerCase() as DmarcPolicy)) sp = spText.toLowerCase() as DmarcPolicy;
    else {
      const opendmarc = spText === '' ? 'accept' : abbreviates(spText, POLICIES) ? 'accept' : 'reject';
      add('bad-value', `sp=${spText} is not none, quarantine or reject`, effects('fallback', opendmarc, KEYWORD.test(spText) ? 'fallback' : 'reject'), 'sp');
    }
  }
  const npText = value('np');
  if (npText !== undefined && !POLICIES.includes(npText.toLowerCase() as DmarcPolicy)) add('bad-value', `np=${npText} is not none, quarantine or reject`, effects('ignore', 'ignore', 'ignore'), 'np');

  // The other tags: RFC 7489 receivers use the default for a bad value, OpenDMARC and mox reject the record.
  let pct: number | undefined;
  const pctText = value('pct');
  if (pctText !== undefined) {
    if (/^\d{1,3}$/.test(pctText) && Number(pctText) <= 100) pct = Number(pctText);
    else {
      // OpenDMARC reads the leading digits (none: 0) and rejects only what is over 100 or negative.
      const lead = /^\s*([+-]?)(\d*)/.exec(pctText)!;
      const opendmarc = pctText === '' || (lead[1] !== '-' && Number(lead[2] || '0') <= 100) ? 'accept' : 'reject';
      add('bad-value', `pct=${pctText} is not a whole number from 0 to 100 (receivers that accept the record use 100)`, effects('default', opendmarc, 'reject'), 'pct');
    }
  }

  const alignment = (name: 'adkim' | 'aspf'): 'r' | 's' | undefined => {
    const v = value(name);
    if (v === undefined) return undefined;
    if (/^[rs]$/i.test(v)) return v.toLowerCase() as 'r' | 's';
    add('bad-value', `${name}=${v} is not r or s (receivers that accept the record use r)`, effects('default', v === '' || abbreviates(v, ['strict', 'relaxed']) ? 'accept' : 'reject', 'reject'), name);
    return undefined;
  };
  const adkim = alignment('adkim');
  const aspf = alignment('aspf');

  const foText = value('fo');
  const fo = foText?.split(':').map((f) => f.replace(WSP, ''));
  const foValid = fo !== undefined && fo.every((f) => /^[01ds]$/i.test(f));
  if (foText !== undefined && !foValid) {
    const opendmarc = foText === '' || fo!.every((f) => /^[01ds]/i.test(f)) ? 'accept' : 'reject';
    add('bad-value', `fo=${foText} is not a colon-separated list of 0, 1, d, s (receivers that accept the record use 0)`, effects('default', opendmarc, 'reject'), 'fo');
  }

  const riText = value('ri');
  const riValid = riText !== undefined && /^\d{1,10}$/.test(riText) && Number(riText) <= 4294967295;
  if (riText !== undefined && !riValid) {
    const opendmarc = riText === '' || (/^\d+$/.test(riText) && BigInt(riText) <= 0xffffffffffffffffn) ? 'accept' : 'reject';
    const mox = /^\d+$/.test(riText) && BigInt(riText) <= 0x7fffffffffffffffn ? 'accept' : 'reject';
    add('bad-value', `ri=${riText} is not a number of seconds (receivers that accept the record use 86400)`, effects('default', opendmarc, mox), 'ri');
  }

  const rfText = value('rf');
  const rf = rfText?.split(':').map((f) => f.replace(WSP, '').toLowerCase());
  if (rfText !== undefined) {
    // OpenDMARC splits rf= at commas, not colons, and knows afrf and iodef (and their abbreviations).
    const opendmarc = rfText === '' || rfText.split(',').every((f) => abbreviates(f.replace(/^\s+|\s+$/g, ''), ['afrf', 'iodef'])) ? 'accept' : 'reject';
    if (!rf!.every((f) => KEYWORD.test(f))) add('bad-value', `rf=${rfText} is not a colon-separated list of report formats (receivers that accept the record use afrf)`, effects('default', opendmarc, 'reject'), 'rf');
    else if (!rf!.every((f) => f === 'afrf' || f === 'iodef')) add('bad-value', `rf=${rfText} names a report format receivers do not know (they send afrf)`, effects('ignore', opendmarc, 'accept'), 'rf');
    else if (opendmarc === 'reject') add('bad-value', `rf=${rfText}: OpenDMARC reads rf= as a comma-separated list`, effects('accept', opendmarc, 'accept'), 'rf');
  }

  const uris = (name: 'rua' | 'ruf'): DmarcUri[] => {
    const text = value(name);
    if (text === undefined) return [];
    if (text === '') {
      // OpenDMARC skips a tag with no value.
      add('bad-value', `${name}= is empty`, effects('ignore', 'accept', 'reject'), name);
      return [];
    }
    const list = text.split(',').map((u) => u.replace(WSP, ''));
    if (list.some((u) => u === '')) {
      // OpenDMARC stops at a trailing comma but rejects an empty entry before another.
      const opendmarc = list.slice(0, -1).some((u) => u === '') ? 'reject' : 'accept';
      add('uri', `${name}= has an empty entry (a stray comma?)`, effects('ignore', opendmarc, 'reject'), name);
    }
    const parsed = list
      .filter((u) => u !== '')
      .slice(0, MAX_URIS)
      .map(parseDmarcUri);
    for (const u of parsed) {
      if (u.error) add('uri', `${name}: ${u.error}`, effects('ignore', 'accept', 'reject'), name);
      else if (u.unusable) add('uri', `${name}: ${u.unusable}`, effects('ignore', 'accept', 'accept'), name);
    }
    return parsed;
  };
  const rua = uris('rua');
  const ruf = uris('ruf');

  const applied = (receiver: DmarcReceiver): AppliedDmarc | undefined => {
    const own = problems.map((x) => x.effects[receiver]);
    if (own.includes('reject')) return undefined;
    const fallback = own.includes('fallback');
    // RFC 7489 6.6.3: p=none stands in for an unusable policy only when some rua URI is usable.
    if (fallback && !rua.some((u) => !u.error)) return undefined;
    const policyOf = (text: string | undefined) => {
      if (text === undefined) return undefined;
      if (receiver === 'opendmarc') return POLICIES.find((x) => abbreviates(text, [x]));
      return POLICIES.find((x) => x === text.toLowerCase());
    };
    // OpenDMARC reads the last of repeated tags; it is the only one here that accepts repeats.
    const tag = (name: string) => (receiver === 'opendmarc' ? last.get(name)?.value : value(name));
    return {
      p: fallback ? 'none' : (policyOf(tag('p')) ?? 'none'),
      ...(fallback || policyOf(tag('sp')) === undefined ? {} : { sp: policyOf(tag('sp')) }),
      pct: pct ?? 100,
      adkim: adkim ?? 'r',
      aspf: aspf ?? 'r',
      ri: riValid ? Number(riText) : 86400,
      fo: foValid ? fo!.map((f) => f.toLowerCase()) : ['0'],
      rf: rf && rf.every((f) => KEYWORD.test(f)) ? rf : ['afrf'],
      rua,
      ruf,
      fallback,
    };
  };

  const severe = (x: DmarcProblem) => Object.values(x.effects).some((e) => e === 'reject' || e === 'fallback');
  return {
    tags: new Map([...first].map(([name, spec]) => [name, spec.value])),
    ...(p ? { p } : {}),
    ...(sp ? { sp } : {}),
    ...(pct !== undefined ? { pct } : {}),
    rua,
    ruf,
    ...(adkim ? { adkim } : {}),
    ...(aspf ? { aspf } : {}),
    problems,
    errors: problems.filter(severe).map((x) => x.text),
    warnings: problems.filter((x) => !severe(x)).map((x) => x.text),
    applied,
  };
}

/**
 * Second-level labels under which country-code domains are registered (example.co.uk, example.com.au):
 * the common ones only. A stand-in for the Public Suffix List, which this extension does not ship.
 */
const SECOND_LEVEL = new Set(['ac', 'co', 'com', 'edu', 'gov', 'gob', 'go', 'govt', 'ltd', 'mil', 'ne', 'net', 'nhs', 'nic', 'or', 'org', 'plc', 'sch']);

/**
 * The organisational domain of `domain`, approximately: its last two labels, or its last three when the
 * top-level label has two letters (a country code) and the second-level label is a common registry label
 * (co, com, org, net, ac, gov, edu...). So mail.example.co.uk → example.co.uk, a.b.example.com →
 * example.com. Private suffixes of the Public Suffix List (github.io, ...) are not known.
 */
export function organizationalDomain(domain: string): string {
  const labels = domain.toLowerCase().replace(/\.$/, '').split('.').filter((l) => l !== '');
  if (labels.length <= 2) return labels.join('.');
  const tld = labels[labels.length - 1];
  const sld = labels[labels.length - 2];
  const take = tld.length === 2 && SECOND_LEVEL.has(sld) ? 3 : 2;
  return labels.slice(-take).join('.');
}
