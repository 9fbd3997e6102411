import type { Span } from '../mainCf';
import { type MasterCfField, type MasterCfService, isSpacedEquals, serviceCommand, serviceName } from '../masterCf';
import type { PostfixRule } from '../postfixRule';

/** One `-o` whose name, "=" and value are spread over several white-space separated fields. */
export interface SpacedOption {
  readonly name: string;
  /** The value as the author meant it: the value fields joined. */
  readonly value: string;
  /** From the name to the end of the last value field. */
  readonly span: Span;
  /** "-o name= value": the words the daemon gets as command-line arguments. */
  readonly strays?: readonly string[];
  /** "=" written after a space ("-o name = value", "-o name =value") or only before one ("-o name= value"). */
  readonly kind: 'before' | 'after';
  /** The replacement `name=value`, unless a `{ }` group makes it unclear. */
  readonly fixed?: string;
}

/**
 * The value fields: `first` (when the value starts inside an earlier field) or `fields[k]`, then the next
 * ones while a field ends with "," or the next starts with one (a list split by spaces). A field that
 * starts with "-" is the next option, not a value.
 */
function valueFields(fields: readonly MasterCfField[], k: number, first?: MasterCfField): MasterCfField[] {
  const out: MasterCfField[] = first ? [first] : [];
  for (let j = k; j < fields.length; j++) {
    const f = fields[j];
    if (f.text.startsWith('-')) break;
    if (out.length > 0 && !out[out.length - 1].text.endsWith(',') && !f.text.startsWith(',')) break;
    out.push(f);
  }
  return out;
}

/** Every `-o name = value`, `-o name =value` and `-o name= value` of one service. */
export function spacedOptions(s: MasterCfService): SpacedOption[] {
  const out: SpacedOption[] = [];
  const fields = s.fields;
  for (let k = 8; k < fields.length; k++) {
    const f = fields[k];
    // Options end at the first argument that is not one (pipe's "flags=", "argv=..." and the command's own words).
    if (!f.text.startsWith('-') || f.text === '--') break;
    let arg: MasterCfField;
    if (f.text === '-o') {
      if (k + 1 >= fields.length) break;
      arg = fields[++k];
    } else if (f.text.startsWith('-o') && !f.text.startsWith('-o{')) {
      arg = { text: f.text.slice(2), span: { start: f.span.start + 2, end: f.span.end } };
    } else continue;
    const next = fields[k + 1];
    if (isSpacedEquals(arg.text, next?.text)) {
      // "-o name = value" (value in the fields after "=") or "-o name =value" (value glued to "=").
      const glued = next.text.slice(1);
      const values = glued === '' ? valueFields(fields, k + 2) : valueFields(fields, k + 2, { text: glued, span: next.span });
      const extra = glued === '' ? values.length : values.length - 1;
      const value = values.map((v) => v.text).join('');
      const end = fields[k + 1 + extra].span.end;
      out.push({
        name: arg.text,
        value,
        span: { start: arg.span.start, end },
        kind: 'before',
        fixed: values.some((v) => v.text.startsWith('{')) ? undefined : `${arg.text}=${value}`,
      });
      k += 1 + extra;
    } else if (
      !arg.text.startsWith('{') &&
      arg.text.length > 1 &&
      arg.text.indexOf('=') === arg.text.length - 1 &&
      next !== undefined &&
      !next.text.startsWith('-') &&
      !next.text.startsWith('{') &&
      !next.text.includes('=')
    ) {
      // "-o name= value": fine for an empty value, but a plain word follows (pipe/spawn attributes have "=").
      const values = valueFields(fields, k + 1);
      const value = values.map((v) => v.text).join('');
      out.push({
        name: arg.text.slice(0, -1),
        value,
        span: { start: arg.span.start, end: values[values.length - 1].span.end },
        strays: values.map((v) => v.text),
        kind: 'after',
        fixed: `${arg.text}${value}`,
      });
      k += values.length;
    }
  }
  return out;
}

/** One sentence of at most 160 characters: the fixed option in full when it fits. */
function spacingMessage(o: SpacedOption, command: string, service: string): string {
  const what = o.kind === 'before' ? 'gets no value' : 'gets stray arguments';
  const head = `Spaces around "=": ${command} ${what} and "${service}" does not start;`;
  const full = o.fixed ? `${head} write "-o ${o.fixed}".` : '';
  return full && full.length <= 120 ? full : `${head} remove the spaces.`;
}

/**
 * `-o name = value` in master.cf. Fields are split on white space, so the daemon gets "-o name" with no
 * value (fatal "missing '=' after attribute name") or an empty value plus stray arguments.
 */
export const masterOptionSpacing: PostfixRule = {
  meta: {
    id: 'postfix/master-option-spacing',
    description: 'A master.cf "-o name = value" with spaces around "=": the daemon gets "-o name" and stray arguments.',
    defaultSeverity: 'error',
    fixable: true,
  },
  check(instance, report) {
    const master = instance.master;
    if (!master) return;
    for (const s of master.services) {
      const service = serviceName(s);
      const command = serviceCommand(s);
      for (const o of spacedOptions(s)) {
        report({
          file: 'master',
          span: o.span,
          message: spacingMessage(o, command, service),
          fixes: o.fixed ? [{ title: `Change to "${o.fixed}"`, edits: [{ span: o.span, newText: o.fixed }], preferred: true }] : undefined,
        });
      }
    }
  },
};
