// The JSON/YAML tree as the settings readers see it: the context of one document, mapping entries with
// aliases and `<<` merges followed, and the source ranges of nodes and pairs.
import { type Document, isAlias, isPair, isScalar, isSeq, isMap, type Node as YNode, type Pair, type YAMLMap } from 'yaml';
import type { Range, SourceFile } from '../../model';
import type { LineIndex } from '../../text';
import type { EnvResolver } from './envFiles';
import { removalSpan } from './removal';
import type { TransportDefinition } from './transport';

export interface ReadContext {
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

export function deref(node: unknown, doc: Document): YNode | null {
  let n = node as YNode | null;
  for (let i = 0; i < 8 && n && isAlias(n); i++) n = (n.resolve(doc) as YNode | undefined) ?? null;
  return n && isAlias(n) ? null : n;
}

export interface Entry {
  readonly key: string;
  readonly pair: Pair;
  /** The value with aliases followed (null for `key:` with nothing). */
  readonly value: YNode | null;
  /** From a `<<: *anchor` merge, not written in this mapping. */
  readonly inherited: boolean;
}

export function entriesOf(map: YAMLMap, ctx: ReadContext, depth = 0): Entry[] {
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
export function nodeSpan(node: YNode, ctx: ReadContext): [number, number] {
  const r = node.range ?? [0, 0, 0];
  let end = r[1];
  while (end > r[0] && /\s/.test(ctx.text[end - 1])) end--;
  return [r[0], end];
}

export function rangeOfNode(node: YNode, ctx: ReadContext): Range {
  const [s, e] = nodeSpan(node, ctx);
  return ctx.lines.range(s, e);
}

export function pairOffsets(pair: Pair, ctx: ReadContext): [number, number] {
  const key = pair.key as YNode;
  const start = key.range?.[0] ?? 0;
  const value = pair.value as YNode | null;
  const end = value && value.range ? nodeSpan(value, ctx)[1] : nodeSpan(key, ctx)[1];
  return [start, Math.max(start, end)];
}

export function pairRange(pair: Pair, ctx: ReadContext): Range {
  const [start, end] = pairOffsets(pair, ctx);
  return ctx.lines.range(start, end);
}

/** What to delete to remove a `key: value` pair written in this mapping (not one merged in with `<<`). */
export function pairRemoval(entry: Entry, ctx: ReadContext): Range | undefined {
  if (entry.inherited) return undefined;
  const [start, end] = pairOffsets(entry.pair, ctx);
  const syntax = ctx.kind === 'json' ? { lineComment: '//', trailingCommaAllowed: false } : { lineComment: '#', trailingCommaAllowed: true };
  const [s, e] = removalSpan(ctx.text, start, end, syntax);
  return ctx.lines.range(s, e);
}
