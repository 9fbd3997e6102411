// SMTP settings in JSON and YAML files: nodemailer-style blocks (`smtp: {host, port, secure, auth}`),
// flat env-style families (`SMTP_HOST`, `MAIL_ENCRYPTION`, ... in a docker-compose `environment:` mapping
// or list, or a Kubernetes `env:` list) and SMTP URL strings. Both formats are read with the `yaml`
// parser (JSON is YAML), which keeps every node's source offsets, so ranges are exact.
// The readers live beside this file: settingsFileNames (which files), yamlNodes (the tree and its ranges),
// yamlValues (interpolation), yamlMailBlocks, yamlEnvFamilies, composeEnvFiles and yamlAddOption.
import { type Document, isMap, isPair, isScalar, isSeq, type Node as YNode, parseAllDocuments, type Scalar as YScalar } from 'yaml';
import { MAX_SETTINGS_TEXT_CHARS } from '../../limits';
import type { Range, SourceFile } from '../../model';
import { LineIndex } from '../../text';
import { composeServiceWithEnvFiles } from './composeEnvFiles';
import type { EnvResolver } from './envFiles';
import { comparePositions } from './extractFromEnvFile';
import { SKIPPED_NAMES, baseName, mayHoldMailSettings } from './settingsFileNames';
import { looksLikeSmtpUrl } from './smtpUrl';
import type { TransportDefinition } from './transport';
import { flatFamiliesInMap, listSettings, pushFamilies } from './yamlEnvFamilies';
import { nodemailerBlock } from './yamlMailBlocks';
import { type Entry, type ReadContext, deref, entriesOf, pairRange, rangeOfNode } from './yamlNodes';
import { asUrlRead, interpolate, makeOption } from './yamlValues';

export { isComposeFile, isConfigFile, mayHoldMailSettings } from './settingsFileNames';
export { resolveRelative } from './relativePath';

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
  if (SKIPPED_NAMES.test(name) || source.text.length > MAX_SETTINGS_TEXT_CHARS || !mayHoldMailSettings(source.text)) return [];
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
    const ctx: ReadContext = { source, kind, text: source.text, lines, env, doc, out, consumed: new Set(), handled: new Set() };
    try {
      visit(doc.contents as YNode, [], ctx, 0);
    } catch {
      // A shape we did not expect is not a finding; keep what the other documents give.
    }
  }
  return out.sort((a, b) => comparePositions(a.range.start, b.range.start));
}

// ---------------------------------------------------------------------------------------------
// Walking the tree

function visit(node: YNode | null, path: readonly string[], ctx: ReadContext, depth: number): void {
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
function standaloneUrl(node: YScalar, optionRange: Range, ctx: ReadContext): void {
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
