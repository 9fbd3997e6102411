import { isPostfixSpace } from '../../text';
import { parameterType } from '../parameterTypes';
import type { PostfixRule } from '../postfixRule';

/** An indented `name = value` or `name=value`: group 1 is the indentation, group 2 the name. */
const ASSIGNMENT = /^([ \t\v\f\r]+)([A-Za-z0-9_]+)[ \t\v\f\r]*=/;

/** Parameters whose list entries are NAME=VALUE by design (environment variables). */
const NAME_VALUE_LISTS = new Set(['import_environment', 'export_environment']);

const shorten = (s: string, max = 80) => {
  const one = s.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};

/**
 * An indented line that looks like a setting of its own but, being indented, continues the statement
 * above it: Postfix glues it onto that value and never sets the name on it. An indented line with
 * nothing above it to continue is postfix/syntax's (Postfix ignores it with a warning).
 */
export const accidentalContinuation: PostfixRule = {
  meta: {
    id: 'postfix/accidental-continuation',
    description: 'An indented "name = value" line: Postfix joins it to the previous setting\'s value instead of setting name.',
    defaultSeverity: 'error',
    fixable: true,
  },
  check(instance, report) {
    const main = instance.main;
    if (!main) return;
    const text = main.source.text;
    const lines = main.lines;
    for (const p of main.parameters) {
      if (p.lastLine === p.firstLine) continue;
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
        // import_environment = ... LANG=C: only a real parameter name there is a mistake.
        if (NAME_VALUE_LISTS.has(p.name) && !instance.isUsedParameter(name)) continue;
        let stop = end;
        while (stop > start && isPostfixSpace(text.charCodeAt(stop - 1))) stop--;
        const nameStart = start + m[1].length;
        const kind = parameterType(p.name).kind;
        const fatal =
          kind === 'boolean' || kind === 'integer' || kind === 'time'
            ? ` "${p.name}" takes a ${kind === 'boolean' ? 'yes/no' : kind === 'integer' ? 'number' : 'time'} value, so programs that read it stop with a fatal error.`
            : '';
        report({
          file: 'main',
          span: { start: nameStart, end: stop },
          message:
            `This indented line continues "${p.name}" (line ${p.firstLine + 1}): Postfix joins a line that starts with ` +
            `white space to the setting above, so "${p.name}" becomes "${shorten(p.value)}" and "${name}" is not set here.` +
            `${fatal} Remove the indentation to make it a setting of its own.`,
          fixes: [{ title: 'Remove the indentation', edits: [{ span: { start, end: nameStart }, newText: '' }], preferred: true }],
        });
      }
    }
  },
};
