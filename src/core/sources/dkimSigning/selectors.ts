// DKIM selectors the configurations sign with: nodemailer's `dkim` option, OpenDKIM's KeyTable /
// SigningTable / opendkim.conf and rspamd's dkim_signing.conf. Each becomes a live target
// `selector._domainkey.domain` whose published key the dkim check looks up. Private keys are never read:
// a key's path may be kept, its contents never.
import { MAX_APP_FILE_BYTES } from '../../limits';
import type { Range, SourceFile } from '../../model';
import type { DkimSelector } from './dkimSelector';
import type { TransportDefinition } from '../app/transport';
import { rangeInsideValue } from '../app/transport';
import { MAX_SELECTORS_PER_FILE, dkimRecordName, isDkimDomainName, isDkimSelectorName } from './names';
import { type KeyTableEntry, parseKeyTable, parseSigningTable, selectorsFromOpendkimConf } from './opendkim';
import { selectorsFromRspamd } from './rspamd';

export { MAX_SELECTORS_PER_FILE, dkimRecordName, isDkimDomainName, isDkimSelectorName, splitDkimName } from './names';

export type { DkimSelector, DkimSelectorSource } from './dkimSelector';

/** One key to look up: `selector._domainkey.domain`, with every place that signs with it. */
export interface DkimTarget {
  readonly selector: string;
  readonly domain: string;
  /** `selector._domainkey.domain` in lower case, without a trailing dot: the dkim check's subject. */
  readonly name: string;
  /** Every place that signs with it (structurally liveTargets' ConfigLocation[]). */
  readonly locations: { readonly file: string; readonly range: Range }[];
}

export type DkimConfigKind = 'opendkim-keytable' | 'opendkim-signingtable' | 'opendkim-conf' | 'rspamd';

/** File names (any case) of the signing configurations read for selectors. */
const CONFIG_NAMES: Readonly<Record<string, DkimConfigKind>> = {
  keytable: 'opendkim-keytable',
  'key.table': 'opendkim-keytable',
  signingtable: 'opendkim-signingtable',
  'signing.table': 'opendkim-signingtable',
  'opendkim.conf': 'opendkim-conf',
  'dkim_signing.conf': 'rspamd',
};

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** Which DKIM signing configuration a path names, from its name alone. */
export function dkimConfigKind(path: string): DkimConfigKind | undefined {
  const name = baseName(path).toLowerCase();
  return Object.hasOwn(CONFIG_NAMES, name) ? CONFIG_NAMES[name] : undefined;
}

export function isDkimConfigPath(path: string): boolean {
  return dkimConfigKind(path) !== undefined;
}

/** nodemailer `dkim: { domainName, keySelector }` and `dkim: { keys: [{ domainName, keySelector }, ...] }`. */
export function selectorsFromTransports(transports: readonly TransportDefinition[]): DkimSelector[] {
  const out: DkimSelector[] = [];
  for (const t of transports) {
    const names = [...t.options.keys()];
    // nodemailer signs with `keys` when it is set and ignores the single key's options then.
    const keyed = names.some((n) => n === 'dkim.keys' || n.startsWith('dkim.keys.'));
    const prefixes = keyed ? [...new Set(names.map((n) => /^dkim\.keys\.(\d+)\./.exec(n)?.[0]).filter((p): p is string => !!p))] : ['dkim.'];
    for (const prefix of prefixes.slice(0, MAX_SELECTORS_PER_FILE)) {
      const sel = t.options.get(`${prefix}keySelector`);
      const dom = t.options.get(`${prefix}domainName`);
      // A selector may be written as a number (YAML `keySelector: 2024`).
      const selValue = typeof sel?.value === 'number' && Number.isInteger(sel.value) && sel.value >= 0 ? String(sel.value) : sel?.value;
      if (!sel || !dom || typeof selValue !== 'string' || typeof dom.value !== 'string') continue;
      const selector = selValue.trim();
      const domain = dom.value.trim().replace(/\.$/, '');
      if (!isDkimSelectorName(selector) || !isDkimDomainName(domain)) continue;
      const inner = sel.value === selector ? rangeInsideValue(sel, 0, selector.length) : undefined;
      out.push({ selector, domain, file: sel.file, range: inner ?? sel.range, source: 'nodemailer' });
    }
  }
  return out;
}

/**
 * Every selector the files and transports sign with. `files` may hold any files: only DKIM signing
 * configurations (by name) are read. A SigningTable key name that a KeyTable among `files` defines is
 * that KeyTable's selector (reported there); others count when they follow the `selector._domainkey.domain`
 * convention. Never throws.
 */
export function findDkimSelectors(files: readonly SourceFile[], transports: readonly TransportDefinition[] = []): DkimSelector[] {
  const out: DkimSelector[] = [];
  const keyTables: KeyTableEntry[] = [];
  const signingTables: SourceFile[] = [];
  for (const f of files) {
    const kind = dkimConfigKind(f.file);
    if (!kind || f.text.length > MAX_APP_FILE_BYTES) continue;
    try {
      if (kind === 'opendkim-keytable') {
        const entries = parseKeyTable(f);
        keyTables.push(...entries);
        out.push(...entries.map((e) => e.selector).filter((s): s is DkimSelector => !!s));
      } else if (kind === 'opendkim-signingtable') signingTables.push(f);
      else if (kind === 'opendkim-conf') out.push(...selectorsFromOpendkimConf(f));
      else out.push(...selectorsFromRspamd(f));
    } catch {
      // A file we cannot read says nothing about selectors.
    }
  }
  const keyNames = new Set(keyTables.map((k) => k.keyName.toLowerCase()));
  for (const f of signingTables) {
    try {
      for (const ref of parseSigningTable(f)) if (!keyNames.has(ref.keyName.toLowerCase()) && ref.selector) out.push(ref.selector);
    } catch {
      // As above.
    }
  }
  try {
    out.push(...selectorsFromTransports(transports));
  } catch {
    // As above.
  }
  return out.sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
}

/** The keys to look up, one per `selector._domainkey.domain`, with every place that names it; sorted by name. */
export function dkimTargets(selectors: readonly DkimSelector[]): DkimTarget[] {
  const byName = new Map<string, { selector: string; domain: string; locations: { file: string; range: Range }[] }>();
  for (const s of selectors) {
    const name = dkimRecordName(s.selector, s.domain);
    let t = byName.get(name);
    if (!t) {
      t = { selector: s.selector.toLowerCase(), domain: s.domain.replace(/\.$/, '').toLowerCase(), locations: [] };
      byName.set(name, t);
    }
    const same = t.locations.some(
      (l) => l.file === s.file && l.range.start.line === s.range.start.line && l.range.start.character === s.range.start.character && l.range.end.line === s.range.end.line && l.range.end.character === s.range.end.character,
    );
    if (!same) t.locations.push({ file: s.file, range: s.range });
  }
  return [...byName.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([name, t]) => ({ ...t, name }));
}
