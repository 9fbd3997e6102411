#!/usr/bin/env node
// Regenerates src/core/sources/postfix/versions.generated.ts: which parameter names, value types, smtpd
// restrictions and lookup-table types each Postfix release from 3.4 on knows, read from the Postfix
// source history (a git clone of https://github.com/vdukhovni/postfix, whose tags are the releases).
//
//   node scripts/generate-postfix-versions.js /path/to/postfix.git
//
// What is taken from each release tag (facts only, no text):
//   - parameter names: the %PARAM entries of postfix/proto/postconf.proto, plus every name the
//     daemons read through their CONFIG_*_TABLE tables (what `postconf -d` lists);
//   - value types: which table reads a name (bool, int, long, time, raw = not $-expanded);
//   - smtpd restrictions: the names smtpd_check.c compares a restriction word with;
//   - lookup-table types: the DICT_TYPE_* entries of dict_open.c and mail_dict.c;
//   - per-service parameter suffixes: postconf_service.c.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const repo = process.argv[2];
if (!repo) {
  console.error('usage: node scripts/generate-postfix-versions.js /path/to/postfix.git');
  process.exit(2);
}
const root = path.resolve(__dirname, '..');
const output = path.join(root, 'src/core/sources/postfix/versions.generated.ts');
const FIRST_SERIES = [3, 4];

const git = (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
const show = (tag, file) => {
  try {
    return git('show', `${tag}:${file}`);
  } catch {
    return '';
  }
};

/** Release tags vX.Y.Z from 3.4 on, oldest first. */
function releaseTags() {
  const tags = git('tag', '--list', 'v3.*')
    .split('\n')
    .map((t) => /^v(\d+)\.(\d+)\.(\d+)$/.exec(t.trim()))
    .filter(Boolean)
    .map((m) => ({ tag: m[0], v: [Number(m[1]), Number(m[2]), Number(m[3])] }))
    .filter((t) => t.v[0] > FIRST_SERIES[0] || (t.v[0] === FIRST_SERIES[0] && t.v[1] >= FIRST_SERIES[1]));
  tags.sort((a, b) => a.v[0] - b.v[0] || a.v[1] - b.v[1] || a.v[2] - b.v[2]);
  return tags;
}

/** Every `#define NAME "text"` (string literals concatenated, other macros resolved) in the tree's headers and sources. */
function stringMacros(tag) {
  const files = git('ls-tree', '-r', '--name-only', tag, 'postfix/src')
    .split('\n')
    .filter((f) => /\.(h|c)$/.test(f));
  const raw = new Map();
  for (const f of files) {
    const text = show(tag, f).replace(/\\\n/g, ' ');
    for (const m of text.matchAll(/^#\s*define\s+([A-Z_][A-Z0-9_]*)\s+(.+)$/gm)) {
      const body = m[2].replace(/\/\*.*?\*\//g, '').trim();
      if (!raw.has(m[1]) && /^("|[A-Z_])/.test(body)) raw.set(m[1], body);
    }
  }
  const resolved = new Map();
  const resolve = (name, depth = 0) => {
    if (resolved.has(name)) return resolved.get(name);
    const body = raw.get(name);
    if (body === undefined || depth > 10) return undefined;
    let out = '';
    for (const t of body.matchAll(/"((?:[^"\\]|\\.)*)"|([A-Z_][A-Z0-9_]*)|(\S)/g)) {
      if (t[1] !== undefined) out += t[1];
      else if (t[2] !== undefined) {
        const v = resolve(t[2], depth + 1);
        if (v === undefined) return undefined;
        out += v;
      } else return undefined;
    }
    resolved.set(name, out);
    return out;
  };
  return { resolve, files };
}

const TABLE_KINDS = { BOOL: 'boolean', NBOOL: 'boolean', INT: 'integer', NINT: 'integer', LONG: 'integer', TIME: 'time', STR: 'string', STR_FN: 'string', RAW: 'raw' };

/** Parameter names read through CONFIG_*_TABLE tables or get_mail_conf_*() calls, with the type each is read as. */
function tableParameters(tag, macros) {
  const types = new Map();
  for (const f of macros.files.filter((x) => x.endsWith('.c') && !x.includes('/postconf/') && !/test/.test(x))) {
    const text = show(tag, f);
    for (const block of text.matchAll(/CONFIG_([A-Z_]+?)_TABLE\s+\w+\[\]\s*=\s*\{([\s\S]*?)\};/g)) {
      const kind = TABLE_KINDS[block[1]];
      if (!kind) continue;
      for (const row of block[2].matchAll(/^\s*(VAR_[A-Z0-9_]+)\s*,/gm)) {
        const name = macros.resolve(row[1]);
        if (name && !types.has(name)) types.set(name, kind);
      }
    }
    for (const call of text.matchAll(/get_mail_conf_(bool|nbool|int|nint|long|time|raw|str)2?(?:_fn)?\s*\(\s*(VAR_[A-Z0-9_]+)/g)) {
      const name = macros.resolve(call[2]);
      const kind = { bool: 'boolean', nbool: 'boolean', int: 'integer', nint: 'integer', long: 'integer', time: 'time', raw: 'raw', str: 'string' }[call[1]];
      if (name && !types.has(name)) types.set(name, kind);
    }
  }
  return types;
}

function protoParameters(tag) {
  const out = new Map();
  for (const m of show(tag, 'postfix/proto/postconf.proto').matchAll(/^%PARAM\s+(\S+)(?:[ \t]+(.*))?$/gm)) out.set(m[1], (m[2] ?? '').trim());
  return out;
}

/** Restriction words smtpd_check.c recognises. */
function restrictions(tag, macros) {
  const text = show(tag, 'postfix/src/smtpd/smtpd_check.c');
  const out = new Set();
  // Compared words, check_*_access forms, and the built-in restriction classes (reject_sender_login_mismatch).
  for (const m of text.matchAll(/strcasecmp\(name,\s*([A-Z_][A-Z0-9_]*)\)|is_map_command\(state,\s*name,\s*([A-Z_][A-Z0-9_]*)|htable_enter\(smtpd_rest_classes,\s*([A-Z_][A-Z0-9_]*)/g)) {
    const v = macros.resolve(m[1] ?? m[2] ?? m[3]);
    if (v && /^[a-z_0-9]+$/.test(v)) out.add(v);
  }
  return out;
}

function mapTypes(tag, macros) {
  const out = new Set();
  for (const f of ['postfix/src/util/dict_open.c', 'postfix/src/global/mail_dict.c']) {
    for (const m of show(tag, f).matchAll(/^\s*(DICT_TYPE_[A-Z0-9_]+)\s*,\s*\w+/gm)) {
      const v = macros.resolve(m[1]);
      if (v) out.add(v);
    }
  }
  return out;
}

/** Suffixes postconf accepts after a master.cf service name, by the command the service runs. */
function serviceSuffixes(tag, macros) {
  const text = show(tag, 'postfix/src/postconf/postconf_service.c');
  const lists = {};
  for (const m of text.matchAll(/PCF_STRING_NV\s+(\w+)\[\]\s*=\s*\{([\s\S]*?)\};/g)) {
    lists[m[1]] = [...m[2].matchAll(/^\s*(_[A-Z0-9_]+)\s*,/gm)].map((x) => macros.resolve(x[1])).filter(Boolean);
  }
  const byCommand = {};
  const defs = /service_defs\[\]\s*=\s*\{([\s\S]*?)\};/.exec(text);
  for (const m of (defs ? defs[1] : '').matchAll(/(MAIL_PROGRAM_[A-Z_]+)\s*,\s*(\w+)/g)) {
    const command = macros.resolve(m[1]) ?? m[1].replace('MAIL_PROGRAM_', '').toLowerCase();
    const list = m[2] === 'service_params' ? (lists.pipe_params ?? []).slice(1) : lists[m[2]] ?? [];
    byCommand[command] = list;
  }
  return byCommand;
}

const series = (v) => `${v[0]}.${v[1]}`;
const cmpV = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

function main() {
  const tags = releaseTags();
  const bySeries = new Map();
  for (const t of tags) bySeries.set(series(t.v), [...(bySeries.get(series(t.v)) ?? []), t]);
  const latest = tags[tags.length - 1];

  // Names: every tag's proto (cheap) decides when a name appeared, per series and patch level.
  const firstSeen = new Map(); // name -> Map(series -> patch)
  const lastTagHas = new Map(); // name -> last tag (index) that has it
  const defaultText = new Map();
  tags.forEach((t, i) => {
    for (const [name, def] of protoParameters(t.tag)) {
      const per = firstSeen.get(name) ?? new Map();
      if (!per.has(series(t.v))) per.set(series(t.v), t.v[2]);
      firstSeen.set(name, per);
      lastTagHas.set(name, i);
      defaultText.set(name, def);
    }
  });

  // Types, table-only names, restrictions and map types from the newest tag of each series.
  const typeOf = new Map();
  const restrictionSeen = new Map();
  const mapTypeSeen = new Map();
  let suffixes = {};
  for (const [s, list] of bySeries) {
    const newest = list[list.length - 1];
    const macros = stringMacros(newest.tag);
    for (const [name, kind] of tableParameters(newest.tag, macros)) {
      typeOf.set(name, kind);
      const per = firstSeen.get(name) ?? new Map();
      if (!per.has(s)) per.set(s, 0);
      firstSeen.set(name, per);
    }
    for (const r of restrictions(newest.tag, macros)) if (!restrictionSeen.has(r)) restrictionSeen.set(r, s);
    for (const m of mapTypes(newest.tag, macros)) if (!mapTypeSeen.has(m)) mapTypeSeen.set(m, s);
    if (newest === latest) suffixes = serviceSuffixes(newest.tag, macros);
    process.stderr.write(`read ${newest.tag}\n`);
  }

  /** "3.9" (from 3.9.0 on), or the first patch release in each series that has it, e.g. "3.5.23 3.6.13 3.9". */
  const sinceOf = (per) => {
    const all = [...bySeries.keys()];
    const present = all.filter((s) => per.has(s));
    // From the first series whose x.y.0 has it and every later series has it from .0: a plain "x.y".
    let from = all.length;
    for (let k = all.length - 1; k >= 0 && per.get(all[k]) === 0; k--) from = k;
    const parts = present.filter((s) => all.indexOf(s) < from).map((s) => `${s}.${per.get(s)}`);
    if (from < all.length) parts.push(all[from]);
    return parts.join(' ');
  };

  const names = [...firstSeen.keys()].sort();
  const rows = names.map((n) => {
    const removedAt = lastTagHas.has(n) && lastTagHas.get(n) < tags.length - 1 && !typeOf.has(n) ? tags[lastTagHas.get(n) + 1].tag.slice(1) : undefined;
    return [n, sinceOf(firstSeen.get(n)), typeOf.get(n) ?? '', removedAt ?? ''];
  });

  const lines = [
    '// Generated by scripts/generate-postfix-versions.js from the Postfix source history (release tags',
    `// v3.4.0 to ${latest.tag}). Do not edit.`,
    '',
    `/** The newest release the tables know; an unknown target version is assumed to be this one. */`,
    `export const NEWEST_POSTFIX = ${JSON.stringify(series(latest.v))};`,
    '',
    '/** The release series the tables cover, oldest first, each with its newest patch level. */',
    `export const POSTFIX_SERIES: readonly (readonly [string, number])[] = ${JSON.stringify([...bySeries].map(([s, l]) => [s, l[l.length - 1].v[2]]))};`,
    '',
    '/**',
    ' * Parameter name → [since, type, removed]: since is "3.9" (every release from 3.9.0) or the first patch',
    ' * release of each series that has it ("3.5.23 3.6.13 3.7.9 3.9"); "3.4" also covers older releases.',
    ' * type is how the daemons read it (boolean, integer, time, string, raw = not $-expanded; "" = not read',
    ' * through a table: a documented legacy or per-service name). removed is the first release without it.',
    ' */',
    'export const PARAMETER_VERSIONS: ReadonlyMap<string, readonly [string, string, string]> = new Map([',
    ...rows.map((r) => `  [${JSON.stringify(r[0])}, [${JSON.stringify(r[1])}, ${JSON.stringify(r[2])}, ${JSON.stringify(r[3])}]],`),
    ']);',
    '',
    '/** smtpd restriction words (compared case-insensitively) and the series that first has each. */',
    `export const RESTRICTION_SINCE: ReadonlyMap<string, string> = new Map(${JSON.stringify([...restrictionSeen].sort())});`,
    '',
    '/** Lookup-table types (the part before ":" in type:name) and the series that first has each. */',
    `export const MAP_TYPE_SINCE: ReadonlyMap<string, string> = new Map(${JSON.stringify([...mapTypeSeen].sort())});`,
    '',
    '/** Parameter suffixes postconf accepts after a master.cf service name, by the command that service runs. */',
    `export const SERVICE_PARAMETER_SUFFIXES: Readonly<Record<string, readonly string[]>> = ${JSON.stringify(suffixes)};`,
    '',
  ];
  fs.writeFileSync(output, lines.join('\n'));
  console.log(`wrote ${path.relative(root, output)}: ${rows.length} parameters, ${restrictionSeen.size} restrictions, ${mapTypeSeen.size} map types (${tags[0].tag} to ${latest.tag})`);
  void defaultText;
  void cmpV;
}

main();
