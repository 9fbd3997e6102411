import { isPostfixSpace } from '../../../text';
import type { MainCf, MainCfParameter, MainCfProblem, Span } from '../mainCf';
import { serviceCommand, serviceName } from '../masterCf';
import { RAW_PARAMETERS, parameterType } from '../parameterTypes';
import type { PostfixRule } from '../postfixRule';
import { RESTRICTION_LISTS } from './unknownRestriction';

/** Offsets of the "\" that ends a physical line of a statement (the shell's line continuation). */
function trailingBackslashes(text: string, lines: MainCf['lines'], first: number, last: number): number[] {
  const out: number[] = [];
  for (let l = first; l <= last; l++) {
    let end = lines.lineEnd(l);
    const start = lines.lineStart(l);
    while (end > start && isPostfixSpace(text.charCodeAt(end - 1))) end--;
    // "\\" is an escaped backslash in the values that take escapes; a lone one ends the line.
    if (end > start && text[end - 1] === '\\' && text[end - 2] !== '\\') out.push(end - 1);
  }
  return out;
}

/**
 * main.cf statements that end with "\" and the "missing =" line that follows each: Postfix has no
 * backslash continuation, so that line is a statement of its own (postfix/syntax leaves it to this rule).
 */
export function backslashBreaks(main: MainCf): { param: MainCfParameter; at: number; orphan?: MainCfProblem }[] {
  const out: { param: MainCfParameter; at: number; orphan?: MainCfProblem }[] = [];
  const text = main.source.text;
  for (const p of main.parameters) {
    if (RAW_PARAMETERS.has(p.name)) continue; // shell commands: the backslash is the shell's
    const marks = trailingBackslashes(text, main.lines, p.firstLine, p.lastLine);
    if (!marks.length) continue;
    const lastMark = marks[marks.length - 1];
    const endsStatement = main.lines.positionAt(lastMark).line === p.lastLine;
    const next = endsStatement
      ? main.problems.find((q) => q.kind === 'missing-equals' && main.lines.positionAt(q.span.start).line > p.lastLine && !main.parameters.some((o) => o.firstLine > p.lastLine && o.nameSpan.start < q.span.start))
      : undefined;
    for (const at of marks) out.push({ param: p, at, orphan: at === lastMark ? next : undefined });
  }
  return out;
}

/** A "\" at the end of a line, written as if Postfix continued lines like a shell. */
export const backslashContinuation: PostfixRule = {
  meta: {
    id: 'postfix/backslash-continuation',
    description: 'A line ending in "\\": Postfix has no backslash continuation, so the "\\" becomes part of the value.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    const main = instance.main;
    if (main) {
      for (const b of backslashBreaks(main)) {
        const kind = parameterType(b.param.name).kind;
        // Fatal where a stray word is: a yes/no, a number, a fixed word, a restriction ("unknown smtpd restriction").
        const fatal = b.orphan !== undefined || kind !== 'other' || RESTRICTION_LISTS.includes(b.param.name);
        const span: Span = { start: b.at, end: b.at + 1 };
        report({
          file: 'main',
          span,
          severity: fatal ? 'error' : undefined,
          message: b.orphan
            ? 'Postfix has no "\\" continuation: the next line becomes a statement without "="; indent it and drop the "\\".'
            : `"\\" is kept in the value of ${b.param.name} (Postfix has no backslash continuation); remove it.`,
          fixes: [
            {
              title: b.orphan ? 'Remove the "\\" and indent the next line' : 'Remove the "\\"',
              edits: b.orphan ? [{ span, newText: '' }, { span: { start: b.orphan.span.start, end: b.orphan.span.start }, newText: '    ' }] : [{ span, newText: '' }],
              preferred: true,
            },
          ],
          related: b.orphan ? [{ file: 'main', span: b.orphan.span, message: 'Postfix reads this line as a statement of its own' }] : undefined,
        });
      }
    }
    const master = instance.master;
    for (const s of master?.services ?? []) {
      const field = s.fields.findIndex((f, k) => k > 0 && f.text === '\\');
      if (field < 0) continue;
      const command = serviceCommand(s);
      // pipe and spawn hand their arguments to another program; every daemon refuses a stray "\".
      const fatal = field < 8 || !['pipe', 'spawn'].includes(command);
      report({
        file: 'master',
        span: s.fields[field].span,
        severity: fatal ? 'error' : undefined,
        message: `"\\" is passed to ${command || serviceName(s)} as an argument (master.cf has no backslash continuation); remove it.`,
        fixes: [{ title: 'Remove the "\\"', edits: [{ span: s.fields[field].span, newText: '' }], preferred: true }],
      });
    }
  },
};
