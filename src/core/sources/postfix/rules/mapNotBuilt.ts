import type { ConfigDirEntry, PostfixInstance } from '../instance';
import { expandValue } from '../macros';
import type { Span } from '../mainCf';
import type { PostfixReport, PostfixRule } from '../postfixRule';
import { isTemplated } from '../template';
import { configDirectory } from '../serviceScope';

/** Indexed table types and the files postmap(1) makes from `type:/path`; the last one is the one Postfix stats. */
const DATABASE_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  hash: ['.db'],
  btree: ['.db'],
  lmdb: ['.lmdb'],
  cdb: ['.cdb'],
  dbm: ['.dir', '.pag'],
  sdbm: ['.dir', '.pag'],
};

/** `hash:/etc/postfix/x` (also inside proxy:, unionmap:{...} and restriction lists); `texthash:` is not indexed. */
const INDEXED_MAP = /(?<![A-Za-z0-9_])(hash|btree|lmdb|cdb|dbm|sdbm):([^\s,{}()]+)/g;

/** Parameters whose tables are built by postalias(1) rather than postmap(1). */
const ALIAS_PARAMETERS = new Set(['alias_maps', 'alias_database']);

interface MapUse {
  readonly parameter: string;
  readonly type: string;
  readonly written: string;
  readonly file: 'main' | 'master';
  readonly span: Span;
}

/** Every indexed table a value names, with its span (from the caller's offset mapping). */
function usesIn(value: string, parameter: string, file: 'main' | 'master', spanOf: (from: number, to: number) => Span): MapUse[] {
  const out: MapUse[] = [];
  for (const m of value.matchAll(INDEXED_MAP)) {
    const start = m.index ?? 0;
    out.push({ parameter, type: m[1], written: m[2], file, span: spanOf(start, start + m[0].length) });
  }
  return out;
}

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * An indexed table (hash:, btree:, lmdb:, cdb:, dbm:) whose text file sits next to main.cf but whose
 * database file is missing or older: Postfix reads only the database. Needs the caller's listing of
 * main.cf's folder (PostfixInstance.configDirFiles); without it the rule says nothing.
 */
export const mapNotBuilt: PostfixRule = {
  meta: {
    id: 'postfix/map-not-built',
    description: 'A hash:/btree:/lmdb:/cdb:/dbm: table whose database file is missing or older than its text file (postmap not run).',
    defaultSeverity: 'warning',
    fixable: false,
  },
  check(instance, report) {
    const files = instance.configDirFiles;
    if (!files) return;
    const dir = configDirectory(instance);
    const uses: MapUse[] = [];
    for (const p of instance.main?.effective.values() ?? []) uses.push(...usesIn(p.value, p.name, 'main', p.spanOfValue));
    for (const s of instance.master?.services ?? []) {
      for (const o of s.overrides) {
        uses.push(...usesIn(o.value, o.name, 'master', (from, to) => ({ start: o.valueSpan.start + from, end: o.valueSpan.start + to })));
      }
    }
    for (const u of uses) {
      const r = judge(instance, dir, files, u);
      if (r) report(r);
    }
  },
};

function judge(instance: PostfixInstance, dir: string, files: ReadonlyMap<string, ConfigDirEntry>, u: MapUse): PostfixReport | undefined {
  const path = u.written.includes('$') ? expandValue(u.written, instance.rawValue) : u.written;
  if (isTemplated(path)) return undefined;
  if (!path.startsWith(dir + '/')) return undefined; // outside the folder we know: nothing to say
  const name = path.slice(dir.length + 1);
  if (!name || name.includes('/')) return undefined;
  const source = files.get(name);
  if (!source) return undefined; // no text file here: the database may be built elsewhere
  const suffixes = DATABASE_SUFFIXES[u.type];
  const tool = ALIAS_PARAMETERS.has(u.parameter) ? 'postalias' : 'postmap';
  // Without a type prefix postmap builds default_database_type (hash on most systems, lmdb on some).
  const defaultType = (instance.effectiveValue('default_database_type') ?? 'hash').trim() || 'hash';
  const run = `Run "${tool} ${u.type === defaultType ? '' : `${u.type}:`}${path}"`;
  const table = `${u.type}:${path}`;
  const missing = suffixes.filter((x) => !files.has(name + x));
  if (missing.length) {
    return {
      file: u.file,
      span: u.span,
      message: `${missing.map((x) => name + x).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing, so lookups fail; ${run.charAt(0).toLowerCase() + run.slice(1)}.`,
      details: `${table} (${u.parameter}) is read from ${missing.map((x) => name + x).join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} not next to ${name}: Postfix logs "open database ${path}${missing[0]}: No such file or directory" and defers the mail that needs it.`,
    };
  }
  const db = files.get(name + suffixes[suffixes.length - 1])!;
  // Postfix compares whole seconds (st_mtime): a build in the same second as the edit is up to date.
  if (Math.floor(source.mtimeMs / 1000) <= Math.floor(db.mtimeMs / 1000)) return undefined;
  return {
    file: u.file,
    span: u.span,
    message: `${name}${suffixes[suffixes.length - 1]} is older than ${name}, so lookups use old data; ${run.charAt(0).toLowerCase() + run.slice(1)}.`,
    details: `${table} (${u.parameter}): ${name}${suffixes[suffixes.length - 1]} (${iso(db.mtimeMs)}) is older than ${name} (${iso(source.mtimeMs)}); Postfix logs "database ${path}${suffixes[suffixes.length - 1]} is older than source file ${path}".`,
  };
}
