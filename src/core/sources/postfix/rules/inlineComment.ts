import { DISABLE_NEXT_LINE } from '../../../suppressions';
import { type LineIndex, isPostfixSpace } from '../../../text';
import type { MainCfParameter, Span } from '../mainCf';
import { type MasterCfService, serviceCommand, serviceName } from '../masterCf';
import { parameterType } from '../parameterTypes';
import { RESTRICTION_LISTS } from './unknownRestriction';
import type { PostfixReport, PostfixRule, SpanEdit } from '../postfixRule';

/** Where a would-be comment sits on its physical line, and the edits that move or remove it. */
interface InlineComment {
  /** From the `#` to the last non-blank character of its physical line. */
  readonly span: Span;
  readonly text: string;
  readonly fixes: NonNullable<PostfixReport['fixes']>;
}

const DIRECTIVE_LINE = new RegExp(`^[ \\t]*#[ \\t]*${DISABLE_NEXT_LINE}(?![\\w-])`);

/**
 * The comment from the `#` at `hash` to the end of its physical line, with two fixes: move it to a line
 * of its own above the statement (above any disable-next-line directives that belong to the statement,
 * so they keep covering it), or delete it. Both also delete the white space before the `#`.
 */
function inlineCommentAt(text: string, lines: LineIndex, hash: number, firstLine: number): InlineComment {
  const line = lines.positionAt(hash).line;
  const lineStart = lines.lineStart(line);
  let lineEnd = lines.lineEnd(line);
  const crlf = text.charCodeAt(lineEnd - 1) === 13;
  if (crlf) lineEnd--;
  let end = lineEnd;
  while (end > hash && isPostfixSpace(text.charCodeAt(end - 1))) end--;
  let cut = hash;
  while (cut > lineStart && isPostfixSpace(text.charCodeAt(cut - 1))) cut--;
  const comment = text.slice(hash, end);

  let above = firstLine;
  while (above > 0 && DIRECTIVE_LINE.test(text.slice(lines.lineStart(above - 1), lines.lineEnd(above - 1)))) above--;
  const insertAt = lines.lineStart(above);
  const remove: SpanEdit = { span: { start: cut, end: lineEnd }, newText: '' };
  return {
    span: { start: hash, end },
    text: comment,
    fixes: [
      {
        title: 'Move the comment to its own line above',
        edits: [{ span: { start: insertAt, end: insertAt }, newText: comment + (crlf ? '\r\n' : '\n') }, remove],
        preferred: true,
      },
      { title: 'Remove the comment', edits: [remove] },
    ],
  };
}

/** Whether a stray comment in this parameter's value stops Postfix (a yes/no, number, time or fixed word, or a restriction). */
function fatalFor(name: string): boolean {
  return parameterType(name).kind !== 'other' || RESTRICTION_LISTS.includes(name);
}

/** Inline comments in one main.cf statement: a `#` after white space, outside `{ }`, one per physical line. */
function mainCfComments(text: string, lines: LineIndex, p: MainCfParameter): (InlineComment & { readonly from: number; readonly to: number })[] {
  const out: (InlineComment & { readonly from: number; readonly to: number })[] = [];
  const v = p.value;
  let depth = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 123 /* { */) depth++;
    else if (c === 125 /* } */) depth = Math.max(0, depth - 1);
    else if (c === 35 /* # */ && depth === 0) {
      const at = p.spanOfValue(i, i + 1).start;
      if (at === 0 || !isPostfixSpace(text.charCodeAt(at - 1))) continue;
      const found = inlineCommentAt(text, lines, at, p.firstLine);
      // The rest of this physical line is the comment; a value index maps 1:1 to source inside a line.
      const rest = lines.lineEnd(lines.positionAt(at).line) - at;
      out.push({ ...found, from: i, to: Math.min(v.length, i + rest) });
      i += rest - 1;
    }
  }
  return out;
}

/** Inline comments in one master.cf entry: a field that starts with `#`, one per physical line. */
function masterCfComments(text: string, lines: LineIndex, s: MasterCfService): { comment: InlineComment; field: number }[] {
  const out: { comment: InlineComment; field: number }[] = [];
  let skipUntil = -1;
  for (let k = 1; k < s.fields.length; k++) {
    const f = s.fields[k];
    if (f.span.start < skipUntil || !f.text.startsWith('#')) continue;
    const comment = inlineCommentAt(text, lines, f.span.start, s.firstLine);
    out.push({ comment, field: k });
    skipUntil = lines.lineEnd(lines.positionAt(f.span.start).line);
  }
  return out;
}

/**
 * A `#` after a value. Postfix only skips lines whose first non-blank character is `#`; elsewhere `#`
 * is an ordinary character, so "yes # on" is the value. postconf prints it without a warning.
 */
export const inlineComment: PostfixRule = {
  meta: {
    id: 'postfix/inline-comment',
    description: 'A "# comment" after a value: Postfix keeps it as part of the value (only whole lines are comments).',
    defaultSeverity: 'error',
    fixable: true,
  },
  check(instance, report) {
    const main = instance.main;
    if (main) {
      const text = main.source.text;
      for (const p of main.parameters) {
        if (!p.value.includes('#')) continue;
        const comments = mainCfComments(text, main.lines, p);
        for (const c of comments) {
          report({
            file: 'main',
            span: c.span,
            severity: fatalFor(p.name) ? 'error' : 'warning',
            message: `"#" after a value is not a comment: it becomes part of ${p.name}; move it to its own line.`,
            fixes: c.fixes,
          });
        }
      }
    }
    const master = instance.master;
    if (master) {
      const text = master.source.text;
      for (const s of master.services) {
        for (const { comment, field } of masterCfComments(text, master.lines, s)) {
          const service = serviceName(s);
          const command = serviceCommand(s);
          // A daemon refuses a stray argument; pipe and spawn pass it to their command.
          const fatal = field < 8 || !(command === 'pipe' || command === 'spawn');
          report({
            file: 'master',
            span: comment.span,
            severity: fatal ? 'error' : 'warning',
            message: `"#" here is not a comment: it and the words after it are arguments of "${service}"; move it to its own line.`,
            fixes: comment.fixes,
          });
        }
      }
    }
  },
};
