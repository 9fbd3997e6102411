import type { PostfixRule } from '../postfixRule';

/** A name set twice in main.cf: the later statement wins, the earlier one is dead text. */
export const duplicateParameter: PostfixRule = {
  meta: {
    id: 'postfix/duplicate-parameter',
    description: 'A parameter set more than once; only the last definition takes effect.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    const main = instance.main;
    if (!main) return;
    for (const p of main.parameters) {
      const winner = main.effective.get(p.name);
      if (!winner || winner === p) continue;
      const lineStart = main.lines.lineStart(p.firstLine);
      const nextLine = p.lastLine + 1 < main.lines.lineCount ? main.lines.lineStart(p.lastLine + 1) : main.lines.lineEnd(p.lastLine);
      report({
        file: 'main',
        span: p.nameSpan,
        message: `"${p.name}" is set again on line ${winner.firstLine + 1}; this earlier definition has no effect.`,
        related: [{ file: 'main', span: winner.nameSpan, message: 'The definition in force' }],
        fixes: [{ title: 'Remove the earlier definition', edits: [{ span: { start: lineStart, end: nextLine }, newText: '' }], preferred: true }],
      });
    }
  },
};
