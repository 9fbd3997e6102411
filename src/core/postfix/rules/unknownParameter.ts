import { POSTFIX_DEFAULTS } from '../parameters.generated';
import type { PostfixRule } from '../postfixRule';
import { nearest } from '../suggest';

/** One stable list, so suggestions for names seen before come from nearest()'s cache. */
const KNOWN_NAMES: readonly string[] = [...POSTFIX_DEFAULTS.keys()];

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
      if (instance.isUsedParameter(p.name)) continue;
      const suggestion = nearest(p.name, KNOWN_NAMES);
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
