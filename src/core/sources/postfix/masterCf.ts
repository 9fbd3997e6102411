import type { Range, SourceFile } from '../../model';
import { LineIndex, isPostfixSpace } from '../../text';
import { type CommentLine, type LogicalLine, orphanContinuationProblems, sourceSpan, splitLogicalLines } from './logicalLines';
import type { Span, TemplateInfo } from './mainCf';
import { isTemplated, readTemplate } from './template';

/** One white-space separated field of a master.cf service line (a `{ ... }` group is one field). */
export interface MasterCfField {
  readonly text: string;
  readonly span: Span;
}

/** A `-o name=value` parameter override in a service's command arguments. */
export interface MasterCfOverride {
  readonly name: string;
  readonly value: string;
  /** From `-o` to the end of the value. */
  readonly span: Span;
  readonly nameSpan: Span;
  readonly valueSpan: Span;
}

export const MASTER_FIELD_NAMES = ['service', 'type', 'private', 'unpriv', 'chroot', 'wakeup', 'maxproc', 'command'] as const;

export interface MasterCfService {
  /** Every field in order: the 7 fixed ones, the command, then its arguments. */
  readonly fields: readonly MasterCfField[];
  readonly overrides: readonly MasterCfOverride[];
  readonly statementSpan: Span;
  readonly firstLine: number;
  readonly lastLine: number;
  /** In a template: the conditional or loop blocks around the service (it may not be rendered). */
  readonly blocks?: readonly string[];
}

/** `override-spacing`: `-o name = value` / `-o name =value` (the postfix/master-option-spacing rule reports it). */
export type MasterCfProblemKind = 'orphan-continuation' | 'bad-override' | 'override-spacing';

export interface MasterCfProblem {
  readonly kind: MasterCfProblemKind;
  readonly span: Span;
  readonly message: string;
}

/** A comment line that holds a service definition, e.g. `#submission inet n - y - - smtpd`. */
export interface CommentedService {
  readonly name: string;
  readonly type: string;
  readonly line: number;
  readonly span: Span;
}

export interface MasterCf {
  /** The text as parsed: for a template, with the template code masked (same length and lines). */
  readonly source: SourceFile;
  /** Set when the file is a template (see template.ts). */
  readonly template?: TemplateInfo;
  readonly lines: LineIndex;
  readonly services: readonly MasterCfService[];
  readonly problems: readonly MasterCfProblem[];
  readonly comments: readonly CommentLine[];
  readonly commentedServices: readonly CommentedService[];
  range(span: Span): Range;
}

export const SERVICE_TYPES = ['inet', 'unix', 'unix-dgram', 'fifo', 'pass'] as const;

export function serviceName(s: MasterCfService): string {
  return s.fields[0]?.text ?? '';
}
export function serviceType(s: MasterCfService): string {
  return s.fields[1]?.text ?? '';
}
export function serviceCommand(s: MasterCfService): string {
  return s.fields[7]?.text ?? '';
}

/** Parses master.cf as Postfix's master_ent.c does: logical lines, white-space fields, `{}` groups, `-o`. */
export function parseMasterCf(original: SourceFile, options: { plain?: boolean } = {}): MasterCf {
  const view = options.plain ? undefined : readTemplate(original.text, original.file);
  const source = view ? { file: original.file, text: view.text } : original;
  const lines = new LineIndex(source.text);
  const split = splitLogicalLines(source.text);
  const services: MasterCfService[] = [];
  // An indented line of template output may render onto the line above it (whitespace control): not ours.
  const problems: MasterCfProblem[] = orphanContinuationProblems(split.orphanContinuations.filter((l) => !(view && isTemplated(l.text))));

  for (const line of split.lines) {
    const fields = tokenize(line);
    if (fields.length === 0) continue;
    const overrides: MasterCfOverride[] = [];
    // Daemon options come first, as getopt() and postconf read them: the first argument that does not
    // start with "-" (pipe's "flags=", "user=", "argv=...") ends them, so a "-oi" after it belongs to a command.
    for (let k = 8; k < fields.length; k++) {
      const f = fields[k];
      if (!f.text.startsWith('-') || f.text === '--') break;
      let arg: LineField | undefined;
      const optStart = f.span.start;
      if (f.text === '-o') {
        arg = fields[++k];
        if (!arg) {
          problems.push({ kind: 'bad-override', span: f.span, message: '"-o" without a name=value after it: the daemon stops with a fatal error.' });
          break;
        }
      } else if (f.text.startsWith('-o') && !f.text.startsWith('-o{')) {
        arg = { text: f.text.slice(2), span: sourceSpan(line, f.logicalStart + 2, f.logicalStart + f.text.length), logicalStart: f.logicalStart + 2 };
      } else continue;
      const override = parseOverride(line, arg, optStart);
      if ('message' in override) {
        if (!isTemplated(arg.text)) problems.push(isSpacedEquals(arg.text, fields[k + 1]?.text) ? { ...override, kind: 'override-spacing' } : override);
        // "-o name = value": the stray "=" and value are not options; keep reading after them.
        if (isSpacedEquals(arg.text, fields[k + 1]?.text)) while (k + 1 < fields.length && !fields[k + 1].text.startsWith('-')) k++;
      } else overrides.push(override);
    }
    const last = fields[fields.length - 1];
    const blocks = view?.blocks.get(line.firstLine);
    services.push({
      fields,
      overrides,
      statementSpan: { start: fields[0].span.start, end: last.span.end },
      firstLine: line.firstLine,
      lastLine: line.lastLine,
      ...(blocks ? { blocks } : {}),
    });
  }

  const commentedServices: CommentedService[] = [];
  for (const c of split.comments) {
    const body = source.text.slice(c.start + 1, c.end);
    const m = /^\s*([^\s#]+)\s+(inet|unix|unix-dgram|fifo|pass)\s+[-yn]\s+[-yn]\s+[-yn]\s+\S+\s+\S+\s+\S+/.exec(body);
    if (m) commentedServices.push({ name: m[1], type: m[2], line: c.line, span: { start: c.start, end: c.end } });
  }

  return {
    source,
    template: view && { flavors: view.flavors, opaque: view.opaque || services.some((s) => isTemplated(s.fields[0]?.text ?? '')) },
    lines,
    services,
    problems,
    comments: split.comments,
    commentedServices,
    range: (span) => lines.range(span.start, span.end),
  };
}

type LineField = MasterCfField & { readonly logicalStart: number };

/** `-o name = value` or `-o name =value`: the -o argument has no "=" and the next field starts with one. */
export function isSpacedEquals(arg: string, next: string | undefined): boolean {
  return !arg.startsWith('{') && !arg.includes('=') && next !== undefined && next.startsWith('=');
}

function tokenize(line: LogicalLine): LineField[] {
  const t = line.text;
  const fields: LineField[] = [];
  let i = 0;
  while (i < t.length) {
    while (i < t.length && isPostfixSpace(t.charCodeAt(i))) i++;
    if (i >= t.length) break;
    const start = i;
    if (t[i] === '{') {
      let depth = 0;
      for (; i < t.length; i++) {
        if (t[i] === '{') depth++;
        else if (t[i] === '}' && --depth === 0) {
          i++;
          break;
        }
      }
    } else {
      while (i < t.length && !isPostfixSpace(t.charCodeAt(i))) i++;
    }
    fields.push({ text: t.slice(start, i), span: sourceSpan(line, start, i), logicalStart: start });
  }
  return fields;
}

function parseOverride(line: LogicalLine, arg: LineField, optStart: number): MasterCfOverride | MasterCfProblem {
  let text = arg.text;
  let offset = arg.logicalStart;
  if (text.startsWith('{')) {
    if (!text.endsWith('}')) {
      return { kind: 'bad-override', span: { start: optStart, end: arg.span.end }, message: `Unbalanced "{" in "-o ${text}": the daemon refuses the option.` };
    }
    text = text.slice(1, -1);
    offset += 1;
  }
  const eq = text.indexOf('=');
  if (eq < 0) {
    return {
      kind: 'bad-override',
      span: { start: optStart, end: arg.span.end },
      message: `"-o ${arg.text}" has no "=": the daemon stops with a fatal error; write -o name=value.`,
    };
  }
  let ns = 0;
  while (ns < eq && isPostfixSpace(text.charCodeAt(ns))) ns++;
  let ne = eq;
  while (ne > ns && isPostfixSpace(text.charCodeAt(ne - 1))) ne--;
  let vs = eq + 1;
  while (vs < text.length && isPostfixSpace(text.charCodeAt(vs))) vs++;
  let ve = text.length;
  while (ve > vs && isPostfixSpace(text.charCodeAt(ve - 1))) ve--;
  if (ne === ns) {
    return { kind: 'bad-override', span: { start: optStart, end: arg.span.end }, message: `"-o ${arg.text}" has no parameter name: the daemon stops with a fatal error.` };
  }
  return {
    name: text.slice(ns, ne),
    value: text.slice(vs, ve),
    span: { start: optStart, end: arg.span.end },
    nameSpan: sourceSpan(line, offset + ns, offset + ne),
    valueSpan: sourceSpan(line, offset + vs, offset + ve),
  };
}
