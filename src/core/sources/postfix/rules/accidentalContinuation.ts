import { isPostfixSpace } from '../../../text';
import { isTemplated } from '../template';
import type { PostfixRule } from '../postfixRule';

/** An indented `name = value` or `name=value`: group 1 is the indentation, group 2 the name. */
const ASSIGNMENT = /^([ \t\v\f\r]+)([A-Za-z0-9_]+)[ \t\v\f\r]*=/;

/**
 * An indented line that looks like a setting of its own but, being indented, continues the statement
 * above it: Postfix glues it onto that value and never sets the name on it. A heuristic (the text may be
 * meant as part of the value, like the stock debugger_command's "PATH=..."), so only a Postfix parameter
 * name counts, and it is a warning. An indented line with nothing above it is postfix/syntax's.
 */
export const accidentalContinuation: PostfixRule = {
  meta: {
    id: 'postfix/accidental-continuation',
    description: 'An indented "name = value" line with a Postfix parameter name: Postfix joins it to the setting above instead of setting it.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    const main = instance.main;
    if (!main) return;
    const text = main.source.text;
    const lines = main.lines;
    for (const p of main.parameters) {
      if (p.lastLine === p.firstLine || isTemplated(p.value)) continue;
      // Brace depth of the value before each continuation line: `{ timeout=10s }` groups are values.
      let depth = 0;
      const scan = (from: number, to: number) => {
        for (let i = from; i < to; i++) {
          const c = text.charCodeAt(i);
          if (c === 123) depth++;
          else if (c === 125) depth = Math.max(0, depth - 1);
        }
      };
      scan(p.nameSpan.end, lines.lineEnd(p.firstLine));
      for (let l = p.firstLine + 1; l <= p.lastLine; l++) {
        const start = lines.lineStart(l);
        const end = lines.lineEnd(l);
        const lineText = text.slice(start, end);
        let first = 0;
        while (first < lineText.length && isPostfixSpace(lineText.charCodeAt(first))) first++;
        // Blank and comment lines inside a statement are skipped by Postfix, as here.
        if (first === lineText.length || lineText[first] === '#') continue;
        const m = depth === 0 ? ASSIGNMENT.exec(lineText) : null;
        scan(start, end);
        if (!m) continue;
        const name = m[2];
        // Only a Postfix parameter name: "PATH=/bin" in debugger_command or "LANG=C" in an environment list is meant.
        if (!instance.isKnownParameter(name)) continue;
        let stop = end;
        while (stop > start && isPostfixSpace(text.charCodeAt(stop - 1))) stop--;
        const nameStart = start + m[1].length;
        report({
          file: 'main',
          span: { start: nameStart, end: stop },
          message: `Indented, this line continues "${p.name}", so "${name}" is not set; remove the indentation.`,
          details: `A line that starts with white space continues the statement above it ("${p.name}", line ${p.firstLine + 1}): Postfix reads "${name} = ..." as more words of that value.`,
          fixes: [{ title: 'Remove the indentation', edits: [{ span: { start, end: nameStart }, newText: '' }], preferred: true }],
        });
      }
    }
  },
};
