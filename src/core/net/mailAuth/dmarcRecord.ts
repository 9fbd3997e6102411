// DMARC records (RFC 7489), pure: which TXT records are DMARC records, their tags, what is wrong with them,
// and an approximate organisational domain (no Public Suffix List here; see organizationalDomain).

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';

export interface DmarcUri {
  /** As written, size suffix included. */
  readonly text: string;
  /** Lower-case scheme ("mailto"), when the text has one. */
  readonly scheme?: string;
  /** mailto: the (percent-decoded) address. */
  readonly address?: string;
  /** mailto: the domain of the address, lower case. */
  readonly domain?: string;
  /** Why receivers cannot use it, if they cannot. */
  readonly error?: string;
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
  /** Problems that leave the domain without a policy (a missing or invalid p=, an invalid sp=). */
  readonly errors: readonly string[];
  /** Tags receivers ignore or replace with defaults (bad values, unknown or repeated tags, unusable URIs). */
  readonly warnings: readonly string[];
}

const POLICIES: ReadonlySet<string> = new Set(['none', 'quarantine', 'reject']);
/** RFC 7489 tags, and DMARCbis' np, psd and t (which receivers that do not know them ignore). */
const KNOWN_TAGS: ReadonlySet<string> = new Set(['v', 'p', 'sp', 'pct', 'rua', 'ruf', 'adkim', 'aspf', 'fo', 'ri', 'rf', 'np', 'psd', 't']);
/** Most URIs per tag looked at (receivers need honour only two). */
const MAX_URIS = 10;

/** A DMARC record starts with the tag v=DMARC1 (RFC 7489 6.4: "v", optional spaces, "=", "DMARC1"). */
export function isDmarcRecord(text: string): boolean {
  return /^v[ \t]*=[ \t]*DMARC1[ \t]*(?:;|$)/.test(text);
}

/** Text at _dmarc that was meant as a DMARC record but receivers discard ("v=dmarc1", "p=reject; v=DMARC1"). */
export function looksLikeDmarc(text: string): boolean {
  return !isDmarcRecord(text) && (/^\s*"?\s*v\s*=\s*dmarc/i.test(text) || /(?:^|;)\s*p\s*=\s*(?:none|quarantine|reject)\b/i.test(text));
}

function quote(text: string, max = 100): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max - 1)}…` : text);
}

export function parseDmarcUri(text: string): DmarcUri {
  const m = /^([a-z][a-z0-9+.-]*):(.*?)(?:!(\d+)([kmgt])?)?$/is.exec(text);
  if (!m) {
    const bare = /^[^\s@:]+@[^\s@:]+$/.test(text) ? ` (write mailto:${text})` : '';
    return { text, error: `${quote(text)} is not a URI${bare}` };
  }
  const scheme = m[1].toLowerCase();
  if (scheme !== 'mailto') return { text, scheme, error: `${quote(text)} is not a mailto: URI; receivers send reports by mail only` };
  let address: string;
  try {
    address = decodeURIComponent(m[2].replace(/\?.*$/, ''));
  } catch {
    return { text, scheme, error: `${quote(text)} has a bad %-escape` };
  }
  const at = /^[^\s@,;]+@((?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9-]{1,63})\.?$/i.exec(address);
  if (!at) return { text, scheme, address, error: `${quote(text)} is not a valid mail address` };
  return { text, scheme, address, domain: at[1].toLowerCase() };
}

/** Parses a DMARC record's tag list (the caller checked isDmarcRecord). */
export function parseDmarc(record: string): ParsedDmarc {
  const errors: string[] = [];
  const warnings: string[] = [];
  const tags = new Map<string, string>();
  const repeated = new Set<string>();

  for (const part of record.split(';')) {
    const spec = part.trim();
    if (spec === '') continue;
    const m = /^([a-z0-9_]+)[ \t]*=[ \t]*(.*)$/is.exec(spec);
    if (!m) {
      warnings.push(`${quote(spec)} is not a tag=value pair; receivers ignore it`);
      continue;
    }
    const name = m[1].toLowerCase();
    if (tags.has(name)) repeated.add(name);
    else tags.set(name, m[2].trim());
  }
  for (const name of repeated) warnings.push(`${name}= appears more than once; receivers may use either`);
  for (const name of tags.keys()) {
    if (!KNOWN_TAGS.has(name)) warnings.push(`unknown tag ${name}= is ignored by receivers${/^(rau|ru|rue|reu|policy|sub|pc)$/.test(name) ? ' (a typo?)' : ''}`);
  }

  const policy = (name: 'p' | 'sp' | 'np'): DmarcPolicy | undefined => {
    const value = tags.get(name);
    if (value === undefined) return undefined;
    if (POLICIES.has(value.toLowerCase())) return value.toLowerCase() as DmarcPolicy;
    (name === 'np' ? warnings : errors).push(`${name}=${value} is not none, quarantine or reject`);
    return undefined;
  };
  const p = policy('p');
  if (!tags.has('p')) errors.push('the required p= tag is missing');
  const sp = policy('sp');
  policy('np');

  let pct: number | undefined;
  const pctText = tags.get('pct');
  if (pctText !== undefined) {
    if (/^\d{1,3}$/.test(pctText) && Number(pctText) <= 100) pct = Number(pctText);
    else warnings.push(`pct=${pctText} is not a whole number from 0 to 100; receivers use 100`);
  }

  const alignment = (name: 'adkim' | 'aspf'): 'r' | 's' | undefined => {
    const value = tags.get(name);
    if (value === undefined) return undefined;
    if (/^[rs]$/i.test(value)) return value.toLowerCase() as 'r' | 's';
    warnings.push(`${name}=${value} is not r or s; receivers use r (relaxed)`);
    return undefined;
  };
  const adkim = alignment('adkim');
  const aspf = alignment('aspf');

  const fo = tags.get('fo');
  if (fo !== undefined && !/^[01ds](?:[ \t]*:[ \t]*[01ds])*$/i.test(fo)) warnings.push(`fo=${fo} is not a colon-separated list of 0, 1, d, s; receivers use 0`);
  const ri = tags.get('ri');
  if (ri !== undefined && !(/^\d{1,10}$/.test(ri) && Number(ri) <= 4294967295)) warnings.push(`ri=${ri} is not a number of seconds; receivers use 86400`);
  const rf = tags.get('rf');
  if (rf !== undefined && !rf.split(':').every((f) => /^(afrf|iodef)$/i.test(f.trim()))) warnings.push(`rf=${rf} names a report format other than afrf; receivers use afrf`);

  const uris = (name: 'rua' | 'ruf'): DmarcUri[] => {
    const value = tags.get(name);
    if (value === undefined) return [];
    const parts = value.split(',').map((u) => u.trim());
    if (parts.some((u) => u === '')) warnings.push(`${name}= has an empty entry (a stray comma?)`);
    const list = parts.filter((u) => u !== '').slice(0, MAX_URIS).map(parseDmarcUri);
    for (const u of list) if (u.error) warnings.push(`${name}: ${u.error}`);
    return list;
  };
  const rua = uris('rua');
  const ruf = uris('ruf');

  return {
    tags,
    ...(p ? { p } : {}),
    ...(sp ? { sp } : {}),
    ...(pct !== undefined ? { pct } : {}),
    rua,
    ruf,
    ...(adkim ? { adkim } : {}),
    ...(aspf ? { aspf } : {}),
    errors,
    warnings,
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
