import type { Range, SourceFile } from '../../model';
import { LineIndex, isPostfixSpace } from '../../text';
import { type CommentLine, type LogicalLine, orphanContinuationProblems, sourceSpan, splitLogicalLines } from './logicalLines';
import { TEMPLATE_MARK, type TemplateFlavor, compatibleBlocks, isTemplated, readTemplate } from './template';

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** One `name = value` statement of main.cf, with the source spans of its parts. */
export interface MainCfParameter {
  readonly name: string;
  /** The value as Postfix stores it: continuation lines joined, outer white space trimmed, unexpanded. */
  readonly value: string;
  readonly nameSpan: Span;
  /** Covers the value from its first to its last character, across continuation lines. */
  readonly valueSpan: Span;
  /** The whole statement, from the name to the end of its last line. */
  readonly statementSpan: Span;
  readonly firstLine: number;
  readonly lastLine: number;
  /** In a template: the conditional or loop blocks around the statement (it may not be rendered). */
  readonly blocks?: readonly string[];
  /** Source span of `value.slice(from, to)`; exact even when the slice crosses lines. */
  spanOfValue(from: number, to: number): Span;
}

/** What is known about a main.cf or master.cf that is a template (see template.ts). */
export interface TemplateInfo {
  readonly flavors: readonly TemplateFlavor[];
  /** Template output may add statements that cannot be seen, so nothing can be said to be absent. */
  readonly opaque: boolean;
}

export type MainCfProblemKind = 'orphan-continuation' | 'missing-equals' | 'missing-name';

/** A statement Postfix cannot read (postconf and the daemons stop on these). */
export interface MainCfProblem {
  readonly kind: MainCfProblemKind;
  readonly span: Span;
  readonly message: string;
}

export interface MainCf {
  /** The text as parsed: for a template, with the template code masked (same length and lines). */
  readonly source: SourceFile;
  /** Set when the file is a template; its values with TEMPLATE_MARK in them are unknown. */
  readonly template?: TemplateInfo;
  readonly lines: LineIndex;
  /** Every statement in file order, including ones a later statement overrides. */
  readonly parameters: readonly MainCfParameter[];
  /**
   * The statement that is in force for each name: the last one. In a template, a name set under a
   * condition, or in more than one branch, has an unknown value (its text masked).
   */
  readonly effective: ReadonlyMap<string, MainCfParameter>;
  readonly problems: readonly MainCfProblem[];
  readonly comments: readonly CommentLine[];
  range(span: Span): Range;
}

/** Parses main.cf text the way Postfix's readlline() + split_nameval() do. */
export function parseMainCf(original: SourceFile, options: { plain?: boolean } = {}): MainCf {
  const view = options.plain ? undefined : readTemplate(original.text, original.file);
  const source = view ? { file: original.file, text: view.text } : original;
  const lines = new LineIndex(source.text);
  const split = splitLogicalLines(source.text);
  const parameters: MainCfParameter[] = [];
  // An indented line of template output may render onto the line above it (whitespace control): not ours.
  const problems: MainCfProblem[] = orphanContinuationProblems(split.orphanContinuations.filter((l) => !(view && isTemplated(l.text))));

  for (const line of split.lines) {
    const parsed = splitNameValue(line);
    if ('kind' in parsed) {
      // A line of template output with no "=" is not Postfix's concern.
      if (!isTemplated(line.text)) problems.push(parsed);
    } else {
      const blocks = view?.blocks.get(line.firstLine);
      parameters.push(blocks ? { ...parsed, blocks } : parsed);
    }
  }

  const effective = new Map<string, MainCfParameter>();
  for (const p of parameters) effective.set(p.name, p);
  if (view) {
    for (const [name, winner] of effective) {
      const uncertain = winner.blocks !== undefined || parameters.some((p) => p !== winner && p.name === name && !compatibleBlocks(p.blocks, winner.blocks));
      if (uncertain) effective.set(name, { ...winner, value: TEMPLATE_MARK.repeat(Math.max(1, winner.value.length)) });
    }
  }
  const opaque = view !== undefined && (view.opaque || parameters.some((p) => isTemplated(p.name)));

  return {
    source,
    template: view && { flavors: view.flavors, opaque },
    lines,
    parameters,
    effective,
    problems,
    comments: split.comments,
    range: (span) => lines.range(span.start, span.end),
  };
}

function splitNameValue(line: LogicalLine): MainCfParameter | MainCfProblem {
  const t = line.text;
  const n = t.length;
  let i = 0;
  while (i < n && isPostfixSpace(t.charCodeAt(i))) i++;
  const nameStart = i;
  if (i === n) {
    return { kind: 'missing-name', span: sourceSpan(line, 0, n), message: 'Missing parameter name: Postfix refuses to read main.cf.' };
  }
  while (i < n && !isPostfixSpace(t.charCodeAt(i)) && t[i] !== '=') i++;
  const nameEnd = i;
  while (i < n && isPostfixSpace(t.charCodeAt(i))) i++;
  if (t[i] !== '=') {
    const name = t.slice(nameStart, nameEnd);
    return {
      kind: nameEnd === nameStart ? 'missing-name' : 'missing-equals',
      span: sourceSpan(line, nameStart, n),
      message:
        nameEnd === nameStart
          ? 'Missing parameter name before "=": Postfix refuses to read main.cf.'
          : `Missing "=" after "${name.length > 40 ? `${name.slice(0, 39)}…` : name}": Postfix refuses to read main.cf; write "name = value".`,
    };
  }
  if (nameEnd === nameStart) {
    return { kind: 'missing-name', span: sourceSpan(line, nameStart, n), message: 'Missing parameter name before "=": Postfix refuses to read main.cf.' };
  }
  i++;
  while (i < n && isPostfixSpace(t.charCodeAt(i))) i++;
  const valueStart = i;
  let valueEnd = n;
  while (valueEnd > valueStart && isPostfixSpace(t.charCodeAt(valueEnd - 1))) valueEnd--;
  const value = t.slice(valueStart, valueEnd);
  const nameSpan = sourceSpan(line, nameStart, nameEnd);
  const valueSpan = sourceSpan(line, valueStart, valueEnd);
  return {
    name: t.slice(nameStart, nameEnd),
    value,
    nameSpan,
    valueSpan,
    statementSpan: { start: nameSpan.start, end: Math.max(valueSpan.end, nameSpan.end) },
    firstLine: line.firstLine,
    lastLine: line.lastLine,
    spanOfValue: (from, to) => sourceSpan(line, valueStart + from, valueStart + to),
  };
}
