import { DISABLE_NEXT_LINE } from '../../suppressions';
import { type LineIndex, isPostfixSpace } from '../../text';
import type { MainCfParameter, Span } from '../mainCf';
import { type MasterCfService, serviceCommand, serviceName } from '../masterCf';
import { parameterType } from '../parameterTypes';
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

/** What a stray comment does to a value of this parameter's type. */
function consequence(name: string): string {
  switch (parameterType(name).kind) {
    case 'boolean':
      return 'Programs that read it stop with "fatal: bad boolean configuration", so mail stops flowing.';
    case 'integer':
      return 'Programs that read it stop with "fatal: bad numerical configuration", so mail stops flowing.';
    case 'time':
      return 'Programs that read it stop with a fatal "bad time value" error, so mail stops flowing.';
    default:
      return (
        'The words of the comment become part of the setting: in a list each one is an entry of its own (in a restriction ' +
        'list smtpd logs "unknown smtpd restriction" and answers "451 4.3.5 Server configuration error"), and a host ' +
        'name, path or address with them no longer matches anything.'
      );
  }
}

const shorten = (s: string, max = 80) => {
  const one = s.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};

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
        // The value the author meant: every inline comment of the statement cut out.
        let meant = '';
        let from = 0;
        for (const c of comments) {
          meant += p.value.slice(from, c.from);
          from = c.to;
        }
        meant = (meant + p.value.slice(from)).trim();
        for (const c of comments) {
          report({
            file: 'main',
            span: c.span,
            message:
              `"${shorten(c.text, 60)}" is not a comment: Postfix treats only lines that start with "#" as comments, ` +
              `so "${p.name}" is "${shorten(p.value)}", not "${shorten(meant)}". ${consequence(p.name)} ` +
              `Put the comment on its own line above the setting.`,
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
          const effect =
            field < 8
              ? `so "#" is read as the ${['service', 'type', 'private', 'unpriv', 'chroot', 'wakeup', 'maxproc', 'command'][field]} field of "${service}" and the entry is broken`
              : command === 'pipe' || command === 'spawn'
                ? `so "#" and the words after it are passed to "${service}" as extra arguments`
                : `so "#" and the words after it become command-line arguments of ${command}, which stops with a fatal error ("unexpected command-line argument: #" or "unknown attribute name: #"); master logs "bad command startup -- throttling" and "${service}" does not work`;
          report({
            file: 'master',
            span: comment.span,
            message:
              `"${shorten(comment.text, 60)}" is not a comment: in master.cf only lines that start with "#" are comments, ` +
              `${effect}. Put the comment on its own line above the service.`,
            fixes: comment.fixes,
          });
        }
      }
    }
  },
};
