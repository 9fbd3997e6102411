// Flat env-style families in JSON/YAML: SMTP_HOST: x (mapping), - SMTP_HOST=x (a compose list),
// - {name: SMTP_HOST, value: x} (a Kubernetes env list).
import { type Node as YNode, type YAMLMap, isMap, isScalar } from 'yaml';
import type { Range } from '../../model';
import { type FlatSetting, assembleFamily, classifyFlatKey, familyClient, groupFamilies, spanOf } from './extractFromEnvFile';
import { type Entry, type ReadContext, deref, entriesOf, nodeSpan, pairRange, pairRemoval, rangeOfNode } from './yamlNodes';
import { type Read, asUrlRead, interpolate, makeOption, readScalar, verbatimRange } from './yamlValues';

/** A flat setting written in this file (or in a .env file a compose service loads): `span` is in this file. */
export type YamlSetting = FlatSetting & { readonly span: Range; readonly node?: YNode; readonly passThrough?: boolean };

export function pushFamilies(settings: readonly YamlSetting[], ctx: ReadContext, loadsEnvFiles?: readonly string[]): void {
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
function passThrough(name: string, ctx: ReadContext): Read {
  const found = ctx.env.lookup(name, ctx.source.file);
  if (!found) return { literal: false, env: { name }, unresolved: { reason: 'env', description: ctx.env.notSetDescription(name, ctx.source.file, 'in any .env file') } };
  return { value: found.value, literal: false, env: { name, file: found.file, range: found.valueRange } };
}

export function flatFamiliesInMap(map: YAMLMap, entries: readonly Entry[], path: readonly string[], ctx: ReadContext): void {
  if (ctx.handled.has(map)) return;
  pushFamilies(mapSettings(entries, path, ctx), ctx);
}

export function mapSettings(entries: readonly Entry[], path: readonly string[], ctx: ReadContext): YamlSetting[] {
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

export function listSettings(items: readonly unknown[], path: readonly string[], ctx: ReadContext): YamlSetting[] {
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
