// OpenDKIM's signing setup: KeyTable (`keyname domain:selector:keyfile`), SigningTable (`pattern keyname`)
// and opendkim.conf (`Selector`, `Domain`, `KeyFile`, `KeyTable`). Flat files, `#` starts a comment.
import type { SourceFile } from '../../model';
import { LineIndex } from '../../text';
import { MAX_SELECTORS_PER_FILE, isDkimDomainName, isDkimSelectorName, splitDkimName } from '../../dkimNames';
import type { DkimSelector } from '../../dkimSelector';

interface Field {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** The white-space separated fields of each line, comments (from `#`) dropped, with their offsets. */
function* linesOfFields(text: string): Generator<Field[]> {
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const whole = text.slice(lineStart, lineEnd);
    const hash = whole.indexOf('#');
    const line = hash >= 0 ? whole.slice(0, hash) : whole;
    const fields: Field[] = [];
    const re = /[^\s]+/g;
    for (let m = re.exec(line); m; m = re.exec(line)) fields.push({ text: m[0], start: lineStart + m.index, end: lineStart + m.index + m[0].length });
    if (fields.length) yield fields;
    lineStart = lineEnd + 1;
  }
}

/** A key's third field: a file (kept) or the key data itself (never kept). */
function keyPathOf(field: string): string | undefined {
  return /^(\/|\.\.?\/|~\/)/.test(field) ? field : undefined;
}

export interface KeyTableEntry {
  readonly keyName: string;
  /** Undefined when the entry names no usable selector and domain (`%` with a key name that does not say). */
  readonly selector?: DkimSelector;
}

/** KeyTable lines `keyname domain:selector:keyfile` (the domain `%` means the signing domain). */
export function parseKeyTable(source: SourceFile): KeyTableEntry[] {
  const lines = new LineIndex(source.text);
  const out: KeyTableEntry[] = [];
  for (const fields of linesOfFields(source.text)) {
    if (out.length >= MAX_SELECTORS_PER_FILE) break;
    if (fields.length < 2) continue;
    const [name, value] = fields;
    const parts = value.text.split(':');
    if (parts.length < 2) continue;
    const [domainText, selector] = parts;
    const key = parts.slice(2).join(':');
    const domain = domainText === '%' ? splitDkimName(name.text)?.domain : domainText.replace(/\.$/, '');
    if (!domain || !isDkimDomainName(domain) || !isDkimSelectorName(selector)) {
      out.push({ keyName: name.text });
      continue;
    }
    const at = value.start + domainText.length + 1;
    const keyPath = keyPathOf(key);
    out.push({
      keyName: name.text,
      selector: { selector, domain, file: source.file, range: lines.range(at, at + selector.length), source: 'opendkim-keytable', ...(keyPath ? { keyPath } : {}) },
    });
  }
  return out;
}

export interface SigningTableRef {
  readonly keyName: string;
  /** Set when the key name follows the `selector._domainkey.domain` convention; the range covers the selector. */
  readonly selector?: DkimSelector;
}

/** SigningTable lines `pattern keyname [signer]`. */
export function parseSigningTable(source: SourceFile): SigningTableRef[] {
  const lines = new LineIndex(source.text);
  const out: SigningTableRef[] = [];
  for (const fields of linesOfFields(source.text)) {
    if (out.length >= MAX_SELECTORS_PER_FILE) break;
    if (fields.length < 2) continue;
    const name = fields[1];
    const split = splitDkimName(name.text);
    out.push({
      keyName: name.text,
      ...(split ? { selector: { ...split, file: source.file, range: lines.range(name.start, name.start + split.selector.length), source: 'opendkim-signingtable' as const } } : {}),
    });
  }
  return out;
}

/**
 * opendkim.conf's single key: `Selector` with each domain `Domain` lists literally (`example.com`,
 * `a.example,b.example`, `csl:...`). Nothing when a KeyTable is set (OpenDKIM then ignores Selector) or
 * when Domain is a file or another data set.
 */
export function selectorsFromOpendkimConf(source: SourceFile): DkimSelector[] {
  let selector: Field | undefined;
  let domains: string[] = [];
  let keyFile: string | undefined;
  let keyTable = false;
  for (const fields of linesOfFields(source.text)) {
    const directive = fields[0].text.toLowerCase();
    const values = fields.slice(1);
    if (!values.length) continue;
    if (directive === 'selector') selector = values[0];
    else if (directive === 'keytable') keyTable = true;
    else if (directive === 'keyfile') keyFile = keyPathOf(values[0].text);
    else if (directive === 'domain') {
      let list = values.map((v) => v.text).join(',');
      if (/^csl:/i.test(list)) list = list.slice(4);
      // A file (/etc/opendkim/domains), refile:, db:, ... is read by OpenDKIM, not listed here.
      domains = /^(\/|[a-z]+:)/i.test(list) ? [] : list.split(',').map((d) => d.trim().replace(/\.$/, '')).filter((d) => d !== '');
    }
  }
  if (keyTable || !selector || !isDkimSelectorName(selector.text)) return [];
  const lines = new LineIndex(source.text);
  const range = lines.range(selector.start, selector.end);
  const seen = new Set<string>();
  const out: DkimSelector[] = [];
  for (const domain of domains) {
    if (!isDkimDomainName(domain) || seen.has(domain.toLowerCase()) || out.length >= MAX_SELECTORS_PER_FILE) continue;
    seen.add(domain.toLowerCase());
    out.push({ selector: selector.text, domain, file: source.file, range, source: 'opendkim-conf', ...(keyFile ? { keyPath: keyFile } : {}) });
  }
  return out;
}
