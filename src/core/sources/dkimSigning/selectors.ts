// DKIM selectors the signing configurations sign with: OpenDKIM's KeyTable / SigningTable / opendkim.conf
// and rspamd's dkim_signing.conf (nodemailer's `dkim` option is read by the app source, app/dkimOption.ts). Each becomes a live target
// `selector._domainkey.domain` whose published key the dkim check looks up. Private keys are never read:
// a key's path may be kept, its contents never.
import { MAX_APP_FILE_BYTES } from '../../limits';
import type { Range, SourceFile } from '../../model';
import { type DkimSelector, compareDkimSelectors } from '../../dkimSelector';
import { dkimRecordName } from '../../dkimNames';
import { type KeyTableEntry, parseKeyTable, parseSigningTable, selectorsFromOpendkimConf } from './opendkim';
import { selectorsFromRspamd } from './rspamd';

export { MAX_SELECTORS_PER_FILE, dkimRecordName, isDkimDomainName, isDkimSelectorName, splitDkimName } from '../../dkimNames';

export type { DkimSelector, DkimSelectorSource } from '../../dkimSelector';

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

/**
 * Every selector the files sign with, with `others` (those a sending library's options name: the app source's
 * selectorsFromTransports), in file order. `files` may hold any files: only DKIM signing configurations (by
 * name) are read. A SigningTable key name that a KeyTable among `files` defines is
 * that KeyTable's selector (reported there); others count when they follow the `selector._domainkey.domain`
 * convention. Never throws.
 */
export function findDkimSelectors(files: readonly SourceFile[], others: readonly DkimSelector[] = []): DkimSelector[] {
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
  return [...out, ...others].sort(compareDkimSelectors);
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
