// SMTP settings in JSON and YAML files: nodemailer-style blocks (`smtp: {host, port, secure, auth}`),
// flat env-style families (`SMTP_HOST`, `MAIL_ENCRYPTION`, ... in a docker-compose `environment:` mapping
// or list, or a Kubernetes `env:` list) and SMTP URL strings. Both formats are read with the `yaml`
// parser (JSON is YAML), which keeps every node's source offsets, so ranges are exact.
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node as YNode, type Pair, parseAllDocuments, Scalar as YScalar, type YAMLMap } from 'yaml';
import type { Range, SourceFile, TextEdit } from '../model';
import { LineIndex } from '../text';
import type { EnvFile, EnvResolver } from './envFiles';
import {
  assembleFamily,
  classifyFlatKey,
  comparePositions,
  encryptionMeaning,
  envFileSettings,
  familyClient,
  isPlausibleHost,
  type FlatSetting,
  groupFamilies,
  type Scalar,
  spanOf,
} from './extractFromEnvFile';
import { removalSpan } from './removal';
import { looksLikeSmtpUrl, parseSmtpUrl } from './smtpUrl';
import { type EnvOrigin, type OptionValue, type TransportDefinition, verbatimSpan } from './transport';
import { lookupService } from './wellKnownServices';

const MAX_CONFIG_BYTES = 1_000_000;
const SKIPPED_NAMES = /^(package(-lock)?\.json|npm-shrinkwrap\.json|composer\.(json|lock)|[tj]sconfig(\..*)?\.json|pnpm-lock\.yaml|yarn\.lock|\.eslintrc(\.json)?|renovate\.json|lerna\.json|turbo\.json)$/i;

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** docker-compose.yml, compose.yaml, docker-compose.prod.yml, ... */
export function isComposeFile(path: string): boolean {
  return /^(docker-)?compose([.-][^/\\]*)?\.ya?ml$/i.test(baseName(path));
}

/** JSON and YAML files that may hold SMTP settings (not package manifests, lock files or tsconfig). */
export function isConfigFile(path: string): boolean {
  return /\.(json|jsonc|json5|ya?ml)$/i.test(path) && !SKIPPED_NAMES.test(baseName(path));
}

/** Cheap test before parsing: the text must mention smtp, mail (email, mailer) or transport. */
export function mayHoldMailSettings(text: string): boolean {
  return /smtp|mail|transport/i.test(text);
}

interface Ctx {
  readonly source: SourceFile;
  readonly kind: 'json' | 'yaml';
  readonly text: string;
  readonly lines: LineIndex;
  readonly env: EnvResolver;
  readonly doc: Document;
  readonly out: TransportDefinition[];
  /** Value nodes already part of a transport (so a URL inside a block is not reported again). */
  readonly consumed: Set<YNode>;
  /** `environment:` blocks already read with their service's `env_file:` (not read again on their own). */
  readonly handled: Set<YNode>;
}

/** JSONC: comments become spaces (offsets unchanged), so `yaml` reads the rest as JSON. */
function blankJsonComments(text: string): string {
  let out = '';
  let i = 0;
  let copied = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      const block = text[i + 1] === '*';
      let end = block ? text.indexOf('*/', i + 2) : text.indexOf('\n', i);
      end = end < 0 ? text.length : block ? end + 2 : end;
      out += text.slice(copied, i) + text.slice(i, end).replace(/[^\r\n]/g, ' ');
      copied = end;
      i = end;
    } else i++;
  }
  return out + text.slice(copied);
}

/** Every SMTP transport a JSON or YAML file defines. Never throws on malformed input; returns []. */
export function extractConfigTransports(source: SourceFile, env: EnvResolver): TransportDefinition[] {
  const name = baseName(source.file);
  if (SKIPPED_NAMES.test(name) || source.text.length > MAX_CONFIG_BYTES || !mayHoldMailSettings(source.text)) return [];
  const kind: 'json' | 'yaml' = /\.json[c5]?$/i.test(name) ? 'json' : 'yaml';
  const text = kind === 'json' ? blankJsonComments(source.text) : source.text;
  let docs: Document[];
  try {
    const parsed = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false });
    docs = Array.isArray(parsed) ? (parsed as Document[]) : [];
  } catch {
    return [];
  }
  const lines = new LineIndex(source.text);
  const out: TransportDefinition[] = [];
  for (const doc of docs) {
    if (doc.errors.length || !doc.contents) continue;
    const ctx: Ctx = { source, kind, text: source.text, lines, env, doc, out, consumed: new Set(), handled: new Set() };
    try {
      visit(doc.contents as YNode, [], ctx, 0);
    } catch {
      // A shape we did not expect is not a finding; keep what the other documents give.
    }
  }
  return out.sort((a, b) => comparePositions(a.range.start, b.range.start));
}

// ---------------------------------------------------------------------------------------------
// Reading nodes

function deref(node: unknown, doc: Document): YNode | null {
  let n = node as YNode | null;
  for (let i = 0; i < 8 && n && isAlias(n); i++) n = (n.resolve(doc) as YNode | undefined) ?? null;
  return n && isAlias(n) ? null : n;
}

interface Entry {
  readonly key: string;
  readonly pair: Pair;
  /** The value with aliases followed (null for `key:` with nothing). */
  readonly value: YNode | null;
  /** From a `<<: *anchor` merge, not written in this mapping. */
  readonly inherited: boolean;
}

function entriesOf(map: YAMLMap, ctx: Ctx, depth = 0): Entry[] {
  const own: Entry[] = [];
  const merged: Entry[] = [];
  for (const item of map.items) {
    if (!isPair(item) || !isScalar(item.key)) continue;
    const key = String(item.key.value);
    if (key === '<<' && ctx.kind === 'yaml' && depth < 4) {
      const v = item.value;
      const sources = isSeq(v) ? v.items : [v];
      for (const s of sources) {
        const target = deref(s, ctx.doc);
        if (isMap(target)) merged.push(...entriesOf(target, ctx, depth + 1).map((e) => ({ ...e, inherited: true })));
      }
      continue;
    }
    own.push({ key, pair: item as Pair, value: deref(item.value, ctx.doc), inherited: false });
  }
  const seen = new Set(own.map((e) => e.key));
  return [...own, ...merged.filter((e) => !seen.has(e.key) && (seen.add(e.key), true))];
}

/** Where a node's value is written: [start, end) without trailing white space. */
function nodeSpan(node: YNode, ctx: Ctx): [number, number] {
  const r = node.range ?? [0, 0, 0];
  let end = r[1];
  while (end > r[0] && /\s/.test(ctx.text[end - 1])) end--;
  return [r[0], end];
}

function rangeOfNode(node: YNode, ctx: Ctx): Range {
  const [s, e] = nodeSpan(node, ctx);
  return ctx.lines.range(s, e);
}

function pairOffsets(pair: Pair, ctx: Ctx): [number, number] {
  const key = pair.key as YNode;
  const start = key.range?.[0] ?? 0;
  const value = pair.value as YNode | null;
  const end = value && value.range ? nodeSpan(value, ctx)[1] : nodeSpan(key, ctx)[1];
  return [start, Math.max(start, end)];
}

function pairRange(pair: Pair, ctx: Ctx): Range {
  const [start, end] = pairOffsets(pair, ctx);
  return ctx.lines.range(start, end);
}

/** What to delete to remove a `key: value` pair written in this mapping (not one merged in with `<<`). */
function pairRemoval(entry: Entry, ctx: Ctx): Range | undefined {
  if (entry.inherited) return undefined;
  const [start, end] = pairOffsets(entry.pair, ctx);
  const syntax = ctx.kind === 'json' ? { lineComment: '//', trailingCommaAllowed: false } : { lineComment: '#', trailingCommaAllowed: true };
  const [s, e] = removalSpan(ctx.text, start, end, syntax);
  return ctx.lines.range(s, e);
}

/** A value as the application reads it, after `${VAR}` interpolation. */
interface Read {
  readonly value?: Scalar;
  readonly unresolved?: OptionValue['unresolved'];
  readonly env?: EnvOrigin;
  readonly literal: boolean;
  /** The text with the variables that are set substituted and the others left as written. */
  readonly template?: string;
}

/** A value that is one `${NAME}` (with or without a default) and nothing else. */
const WHOLE_INTERPOLATION = /^\s*\$\{[A-Za-z_][A-Za-z0-9_]*(?:(?::-|:\?|:\+|-|\?|\+|:)[^}]*)?\}\s*$/;

const INTERPOLATION = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?|:\+|-|\?|\+|:)([^}]*))?\}/g;

/** `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:default}` (Spring), from .env files. */
function interpolate(text: string, ctx: Ctx): Read {
  if (text.includes('{{')) {
    return { literal: false, unresolved: { reason: 'dynamic', description: 'a template expression filled in at deploy time' } };
  }
  let env: EnvOrigin | undefined;
  let missing: string | undefined;
  let any = false;
  const kept: string[] = [];
  const value = text.replace(INTERPOLATION, (all: string, name: string, op: string | undefined, arg: string | undefined) => {
    any = true;
    // Compose interpolates from the .env next to the compose file only (never .env.example, never a parent's).
    const found = isComposeFile(ctx.source.file) ? ctx.env.lookupForCompose(name, ctx.source.file) : ctx.env.lookup(name, ctx.source.file);
    env = env ?? (found ? { name, file: found.file, range: found.valueRange } : { name });
    const set = found !== undefined;
    const nonEmpty = set && found.value !== '';
    switch (op) {
      case undefined:
        if (!set) {
          missing = missing ?? name;
          kept.push(all);
          return all;
        }
        return found.value;
      case ':-':
      case ':':
        return nonEmpty ? found.value : arg ?? '';
      case '-':
        return set ? found.value : arg ?? '';
      case ':?':
      case '?':
        if (!(op === ':?' ? nonEmpty : set)) {
          missing = missing ?? name;
          kept.push(all);
          return all;
        }
        return found?.value ?? '';
      case ':+':
        return nonEmpty ? arg ?? '' : '';
      default:
        return set ? arg ?? '' : '';
    }
  });
  if (!any) return { value: text, literal: true };
  if (missing) return { literal: false, env, template: value, unresolved: { reason: 'env', description: `${missing} is not set in any .env file` } };
  return { value, literal: false, env };
}

/**
 * An SMTP URL whose unset variables are all inside the user:password part (`smtps://me:${SMTP_PASSWORD}@host`)
 * still says where mail goes: the URL with those placeholders left in is its value.
 */
function asUrlRead(read: Read): Read {
  const t = read.template;
  if (read.value !== undefined || read.unresolved?.reason !== 'env' || t === undefined || !looksLikeSmtpUrl(t)) return read;
  const parsed = parseSmtpUrl(t);
  if (!parsed.ok || !parsed.url.userInfoSpan) return read;
  const { start, end } = parsed.url.userInfoSpan;
  for (let i = t.indexOf('${'); i >= 0; i = t.indexOf('${', i + 2)) if (i < start || i >= end) return read;
  return { ...read, value: t, unresolved: undefined };
}

function readScalar(node: YNode | null, ctx: Ctx): Read | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return { value: v, literal: true };
  if (typeof v === 'bigint') return { value: Number(v), literal: true };
  if (typeof v !== 'string') return undefined;
  return interpolate(v, ctx);
}

/** Where a string value written literally at [start, end) has its characters one for one, if it does. */
function verbatimRange(read: Read, value: Scalar | undefined, derived: boolean, [start, end]: readonly [number, number], ctx: Ctx): Range | undefined {
  if (!read.literal || derived || typeof value !== 'string' || value !== read.value) return undefined;
  const span = verbatimSpan(ctx.text, start, end, value);
  return span && ctx.lines.range(span[0], span[1]);
}

function makeOption(read: Read, value: Scalar | undefined, node: YNode, pairOrItem: Range, ctx: Ctx, derived: boolean, removeRange?: Range): OptionValue {
  const span = nodeSpan(node, ctx);
  return {
    value,
    unresolved: value === undefined ? read.unresolved ?? { reason: 'dynamic', description: 'not known before run time' } : undefined,
    file: ctx.source.file,
    range: ctx.lines.range(span[0], span[1]),
    optionRange: pairOrItem,
    env: read.env,
    // Retyped ("true" → true) or derived values are not the written text: a fix must not write them back.
    literal: read.literal && !derived && typeof value === typeof read.value,
    verbatim: verbatimRange(read, value, derived, span, ctx),
    // A derived option (secure from MAIL_ENCRYPTION) shares its line with others: removing it is no fix.
    removeRange: derived ? undefined : removeRange,
  };
}

// ---------------------------------------------------------------------------------------------
// Walking the tree

function visit(node: YNode | null, path: readonly string[], ctx: Ctx, depth: number): void {
  if (!node || depth > 64) return;
  if (isMap(node)) {
    const entries = entriesOf(node, ctx);
    if (isServiceTable(entries)) return;
    if (ctx.kind === 'yaml' && path.length === 2 && path[0] === 'services') composeServiceWithEnvFiles(entries, path, ctx);
    flatFamiliesInMap(node, entries, path, ctx);
    nodemailerBlock(node, entries, path, ctx);
    for (const e of entries) {
      if (e.inherited) continue;
      if (isScalar(e.value)) standaloneUrl(e.value, pairRange(e.pair, ctx), ctx);
      else visit(e.value, [...path, e.key], ctx, depth + 1);
    }
  } else if (isSeq(node)) {
    if (!ctx.handled.has(node)) pushFamilies(listSettings(node.items, path, ctx), ctx);
    for (const item of node.items) {
      const n = deref(item, ctx.doc);
      if (isScalar(n)) standaloneUrl(n, rangeOfNode(n, ctx), ctx);
      else visit(n, path, ctx, depth + 1);
    }
  } else if (isScalar(node)) {
    standaloneUrl(node, rangeOfNode(node, ctx), ctx);
  }
}

/**
 * A data table of mail services (a mail library's own services.json, a provider picker's presets): many
 * sibling entries that each name a host with a port, domains or aliases. It describes services; it
 * configures none.
 */
function isServiceTable(entries: readonly Entry[]): boolean {
  if (entries.length < 5) return false;
  let rows = 0;
  for (const e of entries) {
    if (!isMap(e.value)) continue;
    const keys = new Set(e.value.items.map((p) => (isPair(p) && isScalar(p.key) ? String(p.key.value).toLowerCase() : '')));
    if ((keys.has('host') || keys.has('server')) && (keys.has('port') || keys.has('domains') || keys.has('aliases'))) rows++;
  }
  return rows >= 5 && rows * 2 >= entries.length;
}

/** A string written as `smtp://...` / `smtps://...` anywhere that no block or family claimed. */
function standaloneUrl(node: YScalar, optionRange: Range, ctx: Ctx): void {
  if (ctx.consumed.has(node) || typeof node.value !== 'string' || !looksLikeSmtpUrl(node.value) || /^\s*direct:/i.test(node.value)) return;
  const read = asUrlRead(interpolate(node.value, ctx));
  const option = makeOption(read, read.value, node, optionRange, ctx, false);
  ctx.consumed.add(node);
  ctx.out.push({
    file: ctx.source.file,
    source: ctx.kind,
    range: option.range,
    options: new Map([['url', option]]),
    addOption: () => undefined,
  });
}

// ---------------------------------------------------------------------------------------------
// Flat env-style families: SMTP_HOST: x (mapping), - SMTP_HOST=x (list), - {name: SMTP_HOST, value: x}

/** A flat setting written in this file (or in a .env file a compose service loads): `span` is in this file. */
type YamlSetting = FlatSetting & { readonly span: Range; readonly node?: YNode; readonly passThrough?: boolean };

function pushFamilies(settings: readonly YamlSetting[], ctx: Ctx, loadsEnvFiles?: readonly string[]): void {
  for (const family of groupFamilies(settings)) {
    const options = assembleFamily(family);
    if (!options) continue;
    for (const s of family) if (s.node) ctx.consumed.add(s.node);
    ctx.out.push({
      file: ctx.source.file,
      source: ctx.kind,
      range: spanOf(family.map((s) => s.span)),
      client: familyClient(family),
      loadsEnvFiles,
      options,
      addOption: () => undefined,
    });
  }
}

const isEnvironmentKey = (path: readonly string[]) => /^(environment|env)$/i.test(path[path.length - 1] ?? '');

/** A variable passed through from the environment (`SMTP_HOST` with no value in compose). */
function passThrough(name: string, ctx: Ctx): Read {
  const found = ctx.env.lookup(name, ctx.source.file);
  if (!found) return { literal: false, env: { name }, unresolved: { reason: 'env', description: `${name} is not set in any .env file` } };
  return { value: found.value, literal: false, env: { name, file: found.file, range: found.valueRange } };
}

function flatFamiliesInMap(map: YAMLMap, entries: readonly Entry[], path: readonly string[], ctx: Ctx): void {
  if (ctx.handled.has(map)) return;
  pushFamilies(mapSettings(entries, path, ctx), ctx);
}

function mapSettings(entries: readonly Entry[], path: readonly string[], ctx: Ctx): YamlSetting[] {
  const settings: YamlSetting[] = [];
  for (const e of entries) {
    const key = classifyFlatKey(e.key);
    if (!key) continue;
    const optionRange = pairRange(e.pair, ctx);
    let read = readScalar(e.value, ctx);
    if (read && (key.role === 'url' || key.role === 'transport')) read = asUrlRead(read);
    let through = false;
    if (!read) {
      if (e.value !== null && !(isScalar(e.value) && e.value.value === null)) continue;
      if (!isEnvironmentKey(path)) continue;
      read = passThrough(e.key, ctx);
      through = true;
    }
    const r = read;
    const node = (e.value ?? (e.pair.key as YNode)) as YNode;
    const removal = pairRemoval(e, ctx);
    settings.push({
      name: e.key,
      key,
      value: r.value,
      unresolved: r.unresolved,
      span: optionRange,
      node: e.value ?? undefined,
      passThrough: through,
      option: (value, derived) => makeOption(r, value, node, optionRange, ctx, derived, removal),
    });
  }
  return settings;
}

function listSettings(items: readonly unknown[], path: readonly string[], ctx: Ctx): YamlSetting[] {
  const settings: YamlSetting[] = [];
  for (const raw of items) {
    const item = deref(raw, ctx.doc);
    if (isScalar(item) && typeof item.value === 'string') {
      // docker-compose: "NAME=value" or "NAME" (passed through from the environment).
      const m = /^([A-Za-z_][A-Za-z0-9_.-]*)(?:=([\s\S]*))?$/.exec(item.value);
      if (!m) continue;
      const key = classifyFlatKey(m[1]);
      if (!key) continue;
      const itemRange = rangeOfNode(item, ctx);
      let read: Read;
      let valueRange = itemRange;
      let valueSpan: [number, number] | undefined;
      let through = false;
      if (m[2] === undefined) {
        if (!isEnvironmentKey(path)) continue;
        read = passThrough(m[1], ctx);
        through = true;
      } else {
        read = interpolate(m[2], ctx);
        if (key.role === 'url' || key.role === 'transport') read = asUrlRead(read);
        const [s, e] = nodeSpan(item, ctx);
        const quoted = item.type === 'QUOTE_DOUBLE' || item.type === 'QUOTE_SINGLE';
        const at = s + (quoted ? 1 : 0) + m[1].length + 1;
        const written = ctx.text.slice(at, e - (quoted ? 1 : 0));
        if (written === m[2]) {
          valueSpan = [at, at + written.length];
          valueRange = ctx.lines.range(at, at + written.length);
        }
        else read = { ...read, literal: false };
      }
      const r = read;
      const vr = valueRange;
      const vs = valueSpan;
      settings.push({
        name: m[1],
        key,
        value: r.value,
        unresolved: r.unresolved,
        span: itemRange,
        node: item,
        passThrough: through,
        option: (value, derived) => ({ ...makeOption(r, value, item, itemRange, ctx, derived), range: vr, verbatim: vs && verbatimRange(r, value, derived, vs, ctx) }),
      });
    } else if (isMap(item)) {
      // Kubernetes: - name: SMTP_HOST / value: smtp.example.com (or valueFrom: a secret).
      const entries = entriesOf(item, ctx);
      const nameEntry = entries.find((e) => e.key === 'name');
      const nameValue = isScalar(nameEntry?.value) ? nameEntry.value.value : undefined;
      if (typeof nameValue !== 'string') continue;
      const key = classifyFlatKey(nameValue);
      if (!key) continue;
      const valueEntry = entries.find((e) => e.key === 'value');
      const fromEntry = entries.find((e) => e.key === 'valueFrom');
      const itemRange = rangeOfNode(item, ctx);
      let read: Read | undefined;
      let node: YNode = item;
      if (valueEntry && isScalar(valueEntry.value)) {
        read = readScalar(valueEntry.value, ctx) ?? { value: '', literal: true };
        node = valueEntry.value;
      } else if (fromEntry) {
        read = { literal: false, unresolved: { reason: 'dynamic', description: `${nameValue} comes from a secret or config map at run time` } };
        node = fromEntry.value ?? item;
      }
      if (!read) continue;
      const r = read;
      const n = node;
      settings.push({
        name: nameValue,
        key,
        value: r.value,
        unresolved: r.unresolved,
        span: itemRange,
        node: isScalar(n) ? n : undefined,
        option: (value, derived) => makeOption(r, value, n, itemRange, ctx, derived),
      });
    }
  }
  return settings;
}

// ---------------------------------------------------------------------------------------------
// docker-compose services that load .env files: `env_file: .env.mail` / `env_file: [a.env, b.env]` /
// `env_file: [{path: a.env, required: false}]`. The files' SMTP settings become the service's, written
// where the files write them; `environment:` entries win over them, as in compose.

function composeServiceWithEnvFiles(entries: readonly Entry[], path: readonly string[], ctx: Ctx): void {
  const ref = entries.find((e) => e.key === 'env_file');
  if (!ref?.value) return;
  const files: { file: EnvFile; span: Range }[] = [];
  for (const raw of isSeq(ref.value) ? ref.value.items : [ref.value]) {
    let item = deref(raw, ctx.doc);
    if (isMap(item)) item = entriesOf(item, ctx).find((e) => e.key === 'path')?.value ?? null;
    if (!isScalar(item) || typeof item.value !== 'string') continue;
    const target = resolveRelative(ctx.source.file, item.value);
    const file = target === undefined ? undefined : ctx.env.fileAt(target);
    if (file) files.push({ file, span: rangeOfNode(item, ctx) });
  }
  if (!files.length) return;
  const envEntry = entries.find((e) => e.key === 'environment');
  const environment = envEntry?.value;
  const envPath = [...path, 'environment'];
  const own = isMap(environment) ? mapSettings(entriesOf(environment, ctx), envPath, ctx) : isSeq(environment) ? listSettings(environment.items, envPath, ctx) : [];
  // Later files win over earlier ones, and `environment:` over every file (a variable passed through
  // from a shell that no .env file sets leaves the file's value: that is what the service most likely gets).
  const byName = new Map<string, YamlSetting>();
  for (const { file, span } of files) for (const s of envFileSettings(file)) byName.set(s.name, { ...s, span });
  const kept = own.filter((s) => !(s.passThrough && s.value === undefined && byName.has(s.name)));
  for (const s of kept) byName.delete(s.name);
  if (environment && (isMap(environment) || isSeq(environment))) ctx.handled.add(environment);
  pushFamilies([...byName.values(), ...kept], ctx, files.map((f) => f.file.file));
}

/**
 * A path written relative to `base`'s folder, as the same kind of id as `base` (a path with `/` or `\`,
 * or a URI such as VS Code's `file:///...`); undefined for what compose would interpolate first.
 */
export function resolveRelative(base: string, rel: string): string | undefined {
  const r = rel.trim();
  if (!r || r.includes('$') || /^[a-z][a-z0-9+.-]*:\/\//i.test(r)) return undefined;
  const uri = /^([a-z][a-z0-9+.-]*:\/\/[^/]*)(.*)$/i.exec(base);
  const prefix = uri ? uri[1] : '';
  const basePath = uri ? uri[2] : base;
  const sep = !uri && basePath.includes('\\') && !basePath.includes('/') ? '\\' : '/';
  const absolute = /^[\\/]/.test(r) || /^[A-Za-z]:[\\/]/.test(r);
  const segments = absolute ? (/^[\\/]/.test(r) ? [''] : []) : basePath.split(/[\\/]/).slice(0, -1);
  const isRoot = (seg: string) => seg === '' || /^[A-Za-z]:$/.test(seg);
  for (const part of r.split(/[\\/]/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (segments.length && !(segments.length === 1 && isRoot(segments[0]))) segments.pop();
      continue;
    }
    segments.push(uri ? encodeURIComponent(part) : part);
  }
  return prefix + segments.join(sep);
}

// ---------------------------------------------------------------------------------------------
// Nodemailer-style blocks: smtp: {host, port, secure, auth: {user, pass}, tls: {...}}

type BlockRole = { readonly option: string; readonly kind?: 'port' | 'flag' | 'encryption' | 'driver' | 'transport' };

/** Keys of a block (lower case, without `_`/`-`) → the nodemailer option they set. */
const BLOCK_KEYS: Readonly<Record<string, BlockRole>> = {
  host: { option: 'host' },
  hostname: { option: 'host' },
  server: { option: 'host' },
  address: { option: 'host' },
  port: { option: 'port', kind: 'port' },
  secure: { option: 'secure', kind: 'flag' },
  ssl: { option: 'secure', kind: 'flag' },
  usessl: { option: 'secure', kind: 'flag' },
  implicittls: { option: 'secure', kind: 'flag' },
  encryption: { option: 'secure', kind: 'encryption' },
  security: { option: 'secure', kind: 'encryption' },
  scheme: { option: 'secure', kind: 'encryption' },
  requiretls: { option: 'requireTLS', kind: 'flag' },
  starttls: { option: 'requireTLS', kind: 'flag' },
  usetls: { option: 'requireTLS', kind: 'flag' },
  ignoretls: { option: 'ignoreTLS', kind: 'flag' },
  service: { option: 'service' },
  url: { option: 'url' },
  uri: { option: 'url' },
  connectionurl: { option: 'url' },
  dsn: { option: 'url' },
  user: { option: 'auth.user' },
  username: { option: 'auth.user' },
  login: { option: 'auth.user' },
  pass: { option: 'auth.pass' },
  password: { option: 'auth.pass' },
  pool: { option: 'pool' },
  name: { option: 'name' },
  from: { option: 'from' },
  localaddress: { option: 'localAddress' },
  connectiontimeout: { option: 'connectionTimeout' },
  greetingtimeout: { option: 'greetingTimeout' },
  sockettimeout: { option: 'socketTimeout' },
  maxconnections: { option: 'maxConnections' },
  maxmessages: { option: 'maxMessages' },
  authmethod: { option: 'authMethod' },
  proxy: { option: 'proxy' },
  driver: { option: '', kind: 'driver' },
  mailer: { option: '', kind: 'driver' },
  type: { option: '', kind: 'driver' },
  backend: { option: '', kind: 'driver' },
  transport: { option: 'url', kind: 'transport' },
};

/** Nodemailer's own spellings; a block using any other (username, encryption, ...) is not nodemailer's. */
const NODEMAILER_KEYS = new Set([
  'host', 'port', 'secure', 'requireTLS', 'ignoreTLS', 'service', 'url', 'pool', 'name', 'from', 'localAddress',
  'connectionTimeout', 'greetingTimeout', 'socketTimeout', 'maxConnections', 'maxMessages', 'authMethod', 'proxy', 'auth', 'tls',
]);
const AUTH_KEYS: Readonly<Record<string, string>> = { user: 'user', username: 'user', login: 'user', pass: 'pass', password: 'pass' };

const MAIL_PATH_WORDS = new Set(['smtp', 'smtps', 'mail', 'mails', 'mailer', 'mailers', 'email', 'emails', 'nodemailer', 'mailing', 'outgoing']);
const TRANSPORT_WORDS = new Set(['transport', 'transporter', 'transports']);
const MAIL_PORTS = new Set([25, 465, 587, 1025, 2465, 2525, 2587]);
const RECEIVING_PORTS = new Set([110, 143, 993, 995]);

function keyWords(key: string): string[] {
  return (key.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? []).map((w) => w.toLowerCase());
}

const normalizeKey = (k: string) => k.toLowerCase().replace(/[-_]/g, '');

function nodemailerBlock(map: YAMLMap, entries: readonly Entry[], path: readonly string[], ctx: Ctx): void {
  const options = new Map<string, OptionValue>();
  let nonNodemailer = false;
  let encryption: { read: Read; entry: Entry } | undefined;
  let hasHostKey = false;
  let hasAuthMap = false;
  const valueNodes: YNode[] = [];

  const setOption = (name: string, read: Read, value: Scalar | undefined, entry: Entry, node: YNode, derived = false) => {
    if (options.has(name) && !derived) return; // the first spelling written wins (host before hostname)
    options.set(name, makeOption(read, value, node, pairRange(entry.pair, ctx), ctx, derived, pairRemoval(entry, ctx)));
  };
  // `secure: ${SMTP_SECURE}` under nodemailer's own key: whoever loads this passes a string on.
  const markEnvString = (name: string, node: YNode) => {
    const o = options.get(name);
    if (!o || !isScalar(node) || typeof node.value !== 'string' || !WHOLE_INTERPOLATION.test(node.value)) return;
    const range = rangeOfNode(node, ctx);
    // Only the option this very value set (not an earlier spelling that won: `ssl:` before `secure:`).
    if (comparePositions(o.range.start, range.start) !== 0 || comparePositions(o.range.end, range.end) !== 0) return;
    options.set(name, { ...o, envString: { kind: 'bare', range } });
  };

  for (const e of entries) {
    const norm = normalizeKey(e.key);
    if ((norm === 'auth' || norm === 'tls') && isMap(e.value)) {
      if (norm === 'auth') hasAuthMap = true;
      for (const sub of entriesOf(e.value, ctx)) {
        const read = readScalar(sub.value, ctx);
        if (!read || !sub.value) continue;
        const lower = sub.key.toLowerCase();
        const subName = norm === 'auth' && Object.hasOwn(AUTH_KEYS, lower) ? AUTH_KEYS[lower] : sub.key;
        if (norm === 'auth' && subName !== sub.key) nonNodemailer = true;
        setOption(`${norm}.${subName}`, read, read.value, sub, sub.value);
        if (norm === 'tls' && sub.key === 'rejectUnauthorized') markEnvString(`tls.${sub.key}`, sub.value);
        valueNodes.push(sub.value);
      }
      continue;
    }
    if (norm === 'dkim' && isMap(e.value)) {
      dkimOptions(e.value, ctx, (name, read, sub) => setOption(name, read, read.value, sub, sub.value as YNode));
      continue;
    }
    const role = Object.hasOwn(BLOCK_KEYS, norm) ? BLOCK_KEYS[norm] : undefined; // not `constructor:`'s Object
    // SMTP_HOST, mailPort, ...: a flat family, read by flatFamiliesInMap.
    if (!role || !e.value || classifyFlatKey(e.key)) continue;
    const scalar = readScalar(e.value, ctx);
    if (!scalar) continue;
    const read = role.option === 'url' ? asUrlRead(scalar) : scalar;
    if (!NODEMAILER_KEYS.has(e.key) && role.kind !== 'driver') nonNodemailer = true;
    const v = read.value;
    switch (role.kind) {
      case 'driver':
        if (v !== undefined && !/smtp/i.test(String(v))) return; // sendmail, ses, log, ...
        continue;
      case 'transport':
        if (v === undefined || (typeof v === 'string' && v.includes('://'))) break;
        if (!/smtp/i.test(String(v))) return;
        continue;
      case 'encryption':
        encryption = { read, entry: e };
        valueNodes.push(e.value);
        continue;
    }
    if (role.option === 'url' && v !== undefined && !(typeof v === 'string' && looksLikeSmtpUrl(v))) continue;
    if (role.option === 'host') {
      if (v === '') continue;
      // notifier.smtp.address: 'smtp://127.0.0.1:25' (Authelia) is a URL, not a host.
      if (typeof v === 'string' && v.includes('://')) {
        if (looksLikeSmtpUrl(v)) setOption('url', read, v, e, e.value);
        else return;
        valueNodes.push(e.value);
        continue;
      }
      if (v !== undefined && !isPlausibleHost(v)) return;
      hasHostKey = true;
    }
    let value = v;
    const retype = !NODEMAILER_KEYS.has(e.key) && value !== undefined;
    if (retype && role.kind === 'port' && typeof value === 'string' && /^\s*\d+\s*$/.test(value)) value = Number(value);
    if (retype && role.kind === 'flag' && typeof value === 'string') {
      const s = value.trim().toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(s)) value = true;
      else if (['false', 'no', 'off', '0', ''].includes(s)) value = false;
    }
    setOption(role.option, read, value, e, e.value);
    if (e.key === 'secure' || e.key === 'requireTLS' || e.key === 'ignoreTLS') markEnvString(e.key, e.value);
    valueNodes.push(e.value);
  }
  if (encryption) {
    const { read, entry } = encryption;
    const node = entry.value as YNode;
    if (read.value === undefined) {
      if (!options.has('secure')) setOption('secure', read, undefined, entry, node, true);
    } else {
      const meaning = encryptionMeaning(read.value);
      if (meaning && !options.has('secure')) setOption('secure', read, meaning.secure, entry, node, true);
      if (meaning?.requireTLS !== undefined && !options.has('requireTLS')) setOption('requireTLS', read, meaning.requireTLS, entry, node, true);
    }
  }

  if (!isMailBlock(options, path, hasHostKey, hasAuthMap)) return;
  for (const n of valueNodes) ctx.consumed.add(n);
  const definitionRange = rangeOfNode(map, ctx);
  ctx.out.push({
    file: ctx.source.file,
    source: ctx.kind,
    range: definitionRange,
    options,
    addOption: (option, value) => (nonNodemailer ? undefined : addToMap(map, option.split('.'), value, ctx)),
  });
}

/** nodemailer's DKIM key names (the private key is not kept: nothing here needs it). */
const DKIM_KEYS: Readonly<Record<string, string>> = { domainname: 'domainName', keyselector: 'keySelector' };

/** `dkim: { domainName, keySelector }` and `dkim: { keys: [{ domainName, keySelector }, ...] }` as dkim.* / dkim.keys.N.* options. */
function dkimOptions(map: YAMLMap, ctx: Ctx, set: (name: string, read: Read, entry: Entry) => void): void {
  const read = (entries: readonly Entry[], prefix: string) => {
    for (const sub of entries) {
      const key = normalizeKey(sub.key);
      const name = Object.hasOwn(DKIM_KEYS, key) ? DKIM_KEYS[key] : undefined;
      const value = name && sub.value ? readScalar(sub.value, ctx) : undefined;
      if (name && value) set(prefix + name, value, sub);
    }
  };
  const entries = entriesOf(map, ctx);
  const keys = entries.find((e) => e.key === 'keys');
  if (keys && isSeq(keys.value)) {
    keys.value.items.slice(0, 100).forEach((item, i) => {
      const m = deref(item, ctx.doc);
      if (isMap(m)) read(entriesOf(m, ctx), `dkim.keys.${i}.`);
    });
  } else read(entries, 'dkim.');
}

/**
 * Whether a mapping with a host / service / url is an SMTP transport rather than a database, cache or
 * IMAP account: a mail-ish key above it, or mail-ish contents (a submission port, an smtp:// URL, a
 * known mail service, requireTLS/ignoreTLS, a mail-ish host name, or secure + auth without a port).
 */
function isMailBlock(options: ReadonlyMap<string, OptionValue>, path: readonly string[], hasHostKey: boolean, hasAuthMap: boolean): boolean {
  const host = options.get('host');
  const url = options.get('url');
  const service = options.get('service');
  if (!hasHostKey && !url && !service) return false;
  const port = options.get('port');
  const portNumber = typeof port?.value === 'number' ? port.value : typeof port?.value === 'string' && /^\d+$/.test(port.value) ? Number(port.value) : undefined;
  const hostText = typeof host?.value === 'string' ? host.value.toLowerCase() : '';
  // Labels, not settings (translations of an SMTP settings form: host: "SMTP host", port: "Port").
  if (/\s/.test(hostText.trim())) return false;
  if (typeof port?.value === 'string' && port.literal && !/^\s*\d+\s*$/.test(port.value)) return false;
  // Receiving mail (IMAP / POP3) is not a transport.
  if (portNumber !== undefined && RECEIVING_PORTS.has(portNumber)) return false;
  if (/^(imap|pop3?)[.-]/.test(hostText)) return false;
  const recent = path.slice(-2).flatMap(keyWords);
  if (recent.some((w) => w === 'imap' || w === 'pop' || w === 'pop3')) return false;

  const mailPort = portNumber !== undefined && MAIL_PORTS.has(portNumber);
  const knownService = typeof service?.value === 'string' && !!lookupService(service.value);
  const smtpUrl = typeof url?.value === 'string' || url?.unresolved !== undefined;
  const mailHost = /smtp|mail/.test(hostText);
  const contentSignal =
    mailPort ||
    smtpUrl ||
    knownService ||
    options.has('requireTLS') ||
    options.has('ignoreTLS') ||
    (mailHost && (portNumber === undefined || mailPort)) ||
    (options.has('secure') && (hasAuthMap || options.has('auth.user')) && portNumber === undefined);
  if (recent.some((w) => MAIL_PATH_WORDS.has(w))) return true;
  if (recent.some((w) => TRANSPORT_WORDS.has(w))) return contentSignal || options.has('secure') || options.has('auth.user') || (portNumber === undefined && !!service);
  return contentSignal;
}

// ---------------------------------------------------------------------------------------------
// addOption: a new `key: value` in a block mapping, or `, "key": value` in a flow mapping / JSON object

const PLAIN_YAML = /^[A-Za-z][A-Za-z0-9_.\-@/]*$/;
const YAML_RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

function valueText(value: Scalar, ctx: Ctx): string {
  if (typeof value !== 'string') return String(value);
  if (ctx.kind === 'yaml' && PLAIN_YAML.test(value) && !YAML_RESERVED.test(value)) return value;
  return JSON.stringify(value);
}

function keyText(key: string, ctx: Ctx): string {
  return ctx.kind === 'json' ? JSON.stringify(key) : key;
}

function addToMap(map: YAMLMap, parts: readonly string[], value: Scalar, ctx: Ctx): TextEdit | undefined {
  if (!parts.length || parts.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) return undefined;
  const own = map.items.filter((p): p is Pair => isPair(p) && isScalar(p.key));
  const existing = own.find((p) => String((p.key as YScalar).value) === parts[0]);
  if (existing) {
    // Already written: changing it is a replacement, not an addition; nested options go inside.
    if (parts.length > 1 && isMap(existing.value)) return addToMap(existing.value, parts.slice(1), value, ctx);
    return undefined;
  }
  const last = own[own.length - 1];
  if (!last) return undefined;
  const lastNode = (last.value as YNode | null) ?? (last.key as YNode);
  const afterLast = nodeSpan(lastNode, ctx)[1];
  const flow = ctx.kind === 'json' || !!map.flow;
  if (flow) {
    const inner = parts.length > 1 ? `{ ${keyText(parts[1], ctx)}: ${valueText(value, ctx)} }` : valueText(value, ctx);
    if (parts.length > 2) return undefined;
    const at = ctx.lines.range(afterLast, afterLast);
    return { range: at, newText: `, ${keyText(parts[0], ctx)}: ${inner}` };
  }
  if (parts.length > 2) return undefined;
  const indent = ctx.lines.positionAt((last.key as YNode).range?.[0] ?? 0).character;
  const firstKeyStart = ((own[0].key as YNode).range?.[0] ?? 0);
  const column = ctx.lines.positionAt(firstKeyStart).character;
  if (column !== indent) return undefined;
  const line = ctx.lines.positionAt(Math.max(afterLast - 1, 0)).line;
  let at = ctx.lines.lineEnd(line);
  const crlf = ctx.text[at - 1] === '\r';
  if (crlf) at--;
  const eol = crlf ? '\r\n' : '\n';
  const pad = ' '.repeat(indent);
  const newText =
    parts.length > 1
      ? `${eol}${pad}${parts[0]}:${eol}${pad}  ${parts[1]}: ${valueText(value, ctx)}`
      : `${eol}${pad}${parts[0]}: ${valueText(value, ctx)}`;
  return { range: ctx.lines.range(at, at), newText };
}
