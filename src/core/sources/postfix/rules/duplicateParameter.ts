import type { PostfixRule } from '../postfixRule';
import { isTemplated } from '../template';

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
    const last = new Map<string, (typeof main.parameters)[number]>();
    for (const p of main.parameters) last.set(p.name, p);
    for (const p of main.parameters) {
      const winner = last.get(p.name);
      if (!winner || winner === p || isTemplated(p.name)) continue;
      // In a template, a setting under a condition (or in a loop) may be the only one that is rendered.
      if (p.blocks || winner.blocks) continue;
      const lineStart = main.lines.lineStart(p.firstLine);
      const nextLine = p.lastLine + 1 < main.lines.lineCount ? main.lines.lineStart(p.lastLine + 1) : main.lines.lineEnd(p.lastLine);
      report({
        file: 'main',
        span: p.nameSpan,
        message: `"${p.name}" is set again on line ${winner.firstLine + 1}, so this line has no effect; remove one of them.`,
        related: [{ file: 'main', span: winner.nameSpan, message: 'The definition in force' }],
        fixes: [{ title: 'Remove the earlier definition', edits: [{ span: { start: lineStart, end: nextLine }, newText: '' }], preferred: true }],
      });
    }
  },
};
