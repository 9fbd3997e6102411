// addOption for JSON/YAML transports: a new `key: value` in a block mapping, or `, "key": value` in a flow
// mapping / JSON object, written where the block is.
import { type Node as YNode, type Pair, type Scalar as YScalar, type YAMLMap, isMap, isPair, isScalar } from 'yaml';
import type { TextEdit } from '../../model';
import type { Scalar } from './extractFromEnvFile';
import { type ReadContext, nodeSpan } from './yamlNodes';

const PLAIN_YAML = /^[A-Za-z][A-Za-z0-9_.\-@/]*$/;
const YAML_RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

function valueText(value: Scalar, ctx: ReadContext): string {
  if (typeof value !== 'string') return String(value);
  if (ctx.kind === 'yaml' && PLAIN_YAML.test(value) && !YAML_RESERVED.test(value)) return value;
  return JSON.stringify(value);
}

function keyText(key: string, ctx: ReadContext): string {
  return ctx.kind === 'json' ? JSON.stringify(key) : key;
}

export function addToMap(map: YAMLMap, parts: readonly string[], value: Scalar, ctx: ReadContext): TextEdit | undefined {
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
