import type { PostfixRule } from '../postfixRule';
import { backslashBreaks } from './backslashContinuation';

/**
 * Statements Postfix cannot read: no "=" or no name (Postfix refuses main.cf), a bad -o (the daemon stops),
 * and an indented line that continues nothing (Postfix ignores it with a warning: a warning here too).
 */
export const syntax: PostfixRule = {
  meta: {
    id: 'postfix/syntax',
    description: 'A main.cf or master.cf line Postfix cannot read (no "=", a bad -o; an indented line at the top is a warning).',
    defaultSeverity: 'error',
    fixable: false,
  },
  check(instance, report) {
    const main = instance.main;
    // A line after a "\" is postfix/backslash-continuation's finding: one root cause, one diagnostic.
    const afterBackslash = new Set(main ? backslashBreaks(main).flatMap((b) => (b.orphan ? [b.orphan] : [])) : []);
    for (const p of main?.problems ?? []) {
      if (afterBackslash.has(p)) continue;
      report({ file: 'main', span: p.span, message: p.message, severity: p.kind === 'orphan-continuation' ? 'warning' : undefined });
    }
    for (const p of instance.master?.problems ?? []) {
      // "-o name = value" is postfix/master-option-spacing's finding (with a fix); not reported twice.
      if (p.kind !== 'override-spacing') report({ file: 'master', span: p.span, message: p.message, severity: p.kind === 'orphan-continuation' ? 'warning' : undefined });
    }
  },
};
