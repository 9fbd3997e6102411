// rspamd's DKIM signing module (local.d/dkim_signing.conf, override.d/..., or a `dkim_signing { }` section):
//
//   selector = "dkim";                       # used for domains that name no selector of their own
//   path = "/var/lib/rspamd/dkim/$domain.$selector.key";
//   domain {
//     example.com { selector = "2024"; path = "/var/lib/rspamd/dkim/example.com.key"; }
//     example.net { selectors [ { selector = "s1"; path = "..."; }, { selector = "s2"; path = "..."; } ] }
//   }
//
// The file is UCL. This reads the subset signing setups use (keys, `=`/`:`, quoted and bare values,
// `{}` objects, `[]` arrays, `#` and `/* */` comments, heredocs, macros skipped), never throws and stays
// linear in the size of the text.
import type { SourceFile } from '../../model';
import { LineIndex } from '../../text';
import { MAX_SELECTORS_PER_FILE, isDkimDomainName, isDkimSelectorName } from '../../dkimNames';
import type { DkimSelector } from '../../dkimSelector';

export type UclValue =
  | { readonly kind: 'scalar'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly kind: 'object'; readonly entries: readonly UclEntry[] }
  | { readonly kind: 'array'; readonly items: readonly UclValue[] };

export interface UclEntry {
  readonly key: string;
  readonly value: UclValue;
}

interface Token {
  readonly kind: 'punct' | 'atom' | 'string';
  /** The punctuation, the bare word, or the string's value (escapes decoded). */
  readonly text: string;
  /** The value's offsets (inside the quotes for a string). */
  readonly start: number;
  readonly end: number;
}

const PUNCT = new Set(['{', '}', '[', ']', '=', ':', ';', ',']);
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', '/': '/' };

export function tokenizeUcl(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i++;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      // Nested comments, as libucl allows.
      let level = 1;
      i += 2;
      while (i < n && level > 0) {
        if (text[i] === '/' && text[i + 1] === '*') {
          level++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          level--;
          i += 2;
        } else i++;
      }
    } else if (PUNCT.has(c)) {
      out.push({ kind: 'punct', text: c, start: i, end: i + 1 });
      i++;
    } else if (c === '"' || c === "'") {
      // A string ends at its quote, or (unterminated) at the end of the line.
      let value = '';
      let j = i + 1;
      while (j < n && text[j] !== c && text[j] !== '\n') {
        if (text[j] === '\\' && j + 1 < n && text[j + 1] !== '\n') {
          const e = text[j + 1];
          value += c === "'" ? (e === "'" ? "'" : `\\${e}`) : ESCAPES[e] ?? e;
          j += 2;
        } else value += text[j++];
      }
      out.push({ kind: 'string', text: value, start: i + 1, end: j });
      i = j < n && text[j] === c ? j + 1 : j;
    } else if (c === '<' && text[i + 1] === '<' && /^<<([A-Z]+)\r?\n/.test(text.slice(i, i + 80))) {
      const m = /^<<([A-Z]+)\r?\n/.exec(text.slice(i, i + 80))!;
      const bodyStart = i + m[0].length;
      // The body ends at a line holding only the tag.
      const close = new RegExp(`^${m[1]}(?=\\r?$)`, 'gm');
      close.lastIndex = bodyStart;
      const found = close.exec(text);
      const bodyEnd = found ? Math.max(bodyStart, found.index - (text[found.index - 2] === '\r' ? 2 : 1)) : n;
      out.push({ kind: 'string', text: text.slice(bodyStart, bodyEnd), start: bodyStart, end: bodyEnd });
      i = found ? found.index + found[0].length : n;
    } else {
      let j = i;
      // A macro's parameters (.include(try=true,priority=1) "file") belong to its name.
      if (c === '.' && /^\.[A-Za-z_]+\(/.test(text.slice(i, i + 40))) {
        const params = /^[^)\n]*\)/.exec(text.slice(i, i + 400));
        if (params) j = i + params[0].length;
      }
      while (j < n) {
        const d = text[j];
        if (d === ' ' || d === '\t' || d === '\n' || d === '\r' || d === '\f' || d === '\v' || d === '#' || d === '"' || d === "'" || PUNCT.has(d)) break;
        j++;
      }
      out.push({ kind: 'atom', text: text.slice(i, j), start: i, end: j });
      i = j;
    }
  }
  return out;
}

const MAX_UCL_DEPTH = 32;

/** The entries of a UCL document (the top level is an object without braces). Never throws. */
export function parseUcl(text: string): UclEntry[] {
  const tokens = tokenizeUcl(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isPunct = (t: Token | undefined, p: string) => t?.kind === 'punct' && t.text === p;
  const sameLine = (a: Token, b: Token) => !text.slice(a.end, b.start).includes('\n');

  /** Skips a `{...}` or `[...]` nested too deep to read. */
  const skipBalanced = () => {
    let level = 0;
    while (pos < tokens.length) {
      const t = tokens[pos++];
      if (t.kind !== 'punct') continue;
      if (t.text === '{' || t.text === '[') level++;
      else if (t.text === '}' || t.text === ']') {
        level--;
        if (level <= 0) return;
      }
    }
  };

  const parseValue = (depth: number): UclValue | undefined => {
    const t = peek();
    if (!t) return undefined;
    if (isPunct(t, '{') || isPunct(t, '[')) {
      if (depth >= MAX_UCL_DEPTH) {
        skipBalanced();
        return undefined;
      }
      pos++;
      return t.text === '{' ? { kind: 'object', entries: parseBody('}', depth + 1) } : { kind: 'array', items: parseArray(depth + 1) };
    }
    if (t.kind === 'punct') return undefined;
    pos++;
    return { kind: 'scalar', text: t.text, start: t.start, end: t.end };
  };

  const parseArray = (depth: number): UclValue[] => {
    const items: UclValue[] = [];
    while (pos < tokens.length) {
      const t = peek()!;
      if (isPunct(t, ']')) {
        pos++;
        return items;
      }
      if (t.kind === 'punct' && !isPunct(t, '{') && !isPunct(t, '[')) {
        pos++;
        continue;
      }
      const v = parseValue(depth);
      if (v) items.push(v);
    }
    return items;
  };

  function parseBody(closing: '}' | undefined, depth: number): UclEntry[] {
    const entries: UclEntry[] = [];
    while (pos < tokens.length) {
      const t = peek()!;
      if (t.kind === 'punct') {
        if (t.text === '}' && closing) {
          pos++;
          return entries;
        }
        if (t.text === '{' || t.text === '[') parseValue(depth); // a value without a key: read past it
        else pos++;
        continue;
      }
      pos++;
      // Macros (.include "file", .priority 2) take the rest of their line.
      if (t.kind === 'atom' && t.text.startsWith('.')) {
        while (pos < tokens.length && tokens[pos].kind !== 'punct' && sameLine(t, tokens[pos])) pos++;
        continue;
      }
      let separated = false;
      if (isPunct(peek(), '=') || isPunct(peek(), ':')) {
        pos++;
        separated = true;
      }
      let value = parseValue(depth);
      if (!value) continue;
      // `section "name" { ... }` is `section { name { ... } }`.
      if (!separated && value.kind === 'scalar' && isPunct(peek(), '{')) {
        const inner = parseValue(depth);
        if (inner) value = { kind: 'object', entries: [{ key: value.text, value: inner }] };
      }
      entries.push({ key: t.text, value });
    }
    return entries;
  }

  return parseBody(undefined, 0);
}

const lower = (s: string) => s.toLowerCase();

function lastScalar(entries: readonly UclEntry[], key: string): Extract<UclValue, { kind: 'scalar' }> | undefined {
  let found: Extract<UclValue, { kind: 'scalar' }> | undefined;
  for (const e of entries) if (lower(e.key) === key && e.value.kind === 'scalar') found = e.value;
  return found;
}

/** The objects under `key`: repeated keys add up (UCL's implicit arrays), and so do arrays of objects. */
function objectsUnder(entries: readonly UclEntry[], key: string): (readonly UclEntry[])[] {
  const out: (readonly UclEntry[])[] = [];
  for (const e of entries) {
    if (lower(e.key) !== key) continue;
    if (e.value.kind === 'object') out.push(e.value.entries);
    else if (e.value.kind === 'array') for (const item of e.value.items) if (item.kind === 'object') out.push(item.entries);
  }
  return out;
}

/** The selectors of every domain a dkim_signing configuration signs for. */
export function selectorsFromRspamd(source: SourceFile): DkimSelector[] {
  const top = parseUcl(source.text);
  // The module's own file, or its section in rspamd.conf.local / override.
  const sections = [top, ...objectsUnder(top, 'dkim_signing')];
  const lines = new LineIndex(source.text);
  const out: DkimSelector[] = [];
  for (const section of sections) {
    const globalSelector = lastScalar(section, 'selector');
    const globalPath = lastScalar(section, 'path')?.text;
    for (const domains of objectsUnder(section, 'domain')) {
      for (const d of domains) {
        if (d.value.kind !== 'object' || !isDkimDomainName(d.key)) continue;
        const domain = d.key.replace(/\.$/, '');
        const keys: { selector: Extract<UclValue, { kind: 'scalar' }>; path?: string }[] = [];
        const own = lastScalar(d.value.entries, 'selector');
        if (own) keys.push({ selector: own, path: lastScalar(d.value.entries, 'path')?.text });
        for (const item of objectsUnder(d.value.entries, 'selectors')) {
          const s = lastScalar(item, 'selector');
          if (s) keys.push({ selector: s, path: lastScalar(item, 'path')?.text });
        }
        if (!keys.length && globalSelector) keys.push({ selector: globalSelector, path: lastScalar(d.value.entries, 'path')?.text });
        for (const k of keys) {
          if (out.length >= MAX_SELECTORS_PER_FILE) return out;
          const selector = k.selector.text;
          if (!isDkimSelectorName(selector)) continue;
          const path = (k.path ?? globalPath)?.replace(/\$domain/g, domain).replace(/\$selector/g, selector);
          const keyPath = path && /^(\/|\.\.?\/|~\/)/.test(path) ? path : undefined;
          out.push({ selector, domain, file: source.file, range: lines.range(k.selector.start, k.selector.end), source: 'rspamd', ...(keyPath ? { keyPath } : {}) });
        }
      }
    }
  }
  return out;
}
