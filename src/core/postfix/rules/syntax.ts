import type { PostfixRule } from '../postfixRule';

/** Statements Postfix cannot read at all: no `=`, no name, an indented line that continues nothing. */
export const syntax: PostfixRule = {
  meta: {
    id: 'postfix/syntax',
    description: 'A main.cf or master.cf line Postfix cannot read (no "=", continuation at the top, bad -o).',
    defaultSeverity: 'error',
    fixable: false,
  },
  check(instance, report) {
    for (const p of instance.main?.problems ?? []) report({ file: 'main', span: p.span, message: p.message });
    for (const p of instance.master?.problems ?? []) {
      // "-o name = value" is postfix/master-option-spacing's finding (with a fix); not reported twice.
      if (p.kind !== 'override-spacing') report({ file: 'master', span: p.span, message: p.message });
    }
  },
};
