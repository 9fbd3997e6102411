import { POSTFIX_DEFAULTS } from '../parameters.generated';
import type { PostfixRule } from '../postfixRule';
import { nearest } from '../suggest';

/**
 * A main.cf name Postfix does not know and nothing uses: the same test as postconf's
 * "unused parameter" warning (a user-defined name referenced as $name or set with -o is fine).
 */
export const unknownParameter: PostfixRule = {
  meta: {
    id: 'postfix/unknown-parameter',
    description: 'A parameter name Postfix does not know and nothing references (usually a typo).',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    for (const p of instance.main?.parameters ?? []) {
      if (instance.isKnownParameter(p.name) || instance.referencedNames.has(p.name)) continue;
      if (instance.overriddenNames.has(p.name)) continue;
      const suggestion = nearest(p.name, POSTFIX_DEFAULTS.keys());
      report({
        file: 'main',
        span: p.nameSpan,
        message:
          `Unknown parameter "${p.name}": Postfix ignores it (postconf: "unused parameter").` +
          (suggestion ? ` Did you mean "${suggestion}"?` : ''),
        fixes: suggestion
          ? [{ title: `Change to "${suggestion}"`, edits: [{ span: p.nameSpan, newText: suggestion }], preferred: true }]
          : undefined,
      });
    }
  },
};
