import { serviceName } from '../masterCf';
import { POSTFIX_DEFAULTS } from '../parameters.generated';
import type { PostfixRule } from '../postfixRule';
import { nearest } from '../suggest';

/** One stable list, so suggestions for names seen before come from nearest()'s cache. */
const KNOWN_NAMES: readonly string[] = [...POSTFIX_DEFAULTS.keys()];

/**
 * A master.cf `-o name=value` whose name Postfix does not know. postconf warns "unused parameter"; the
 * daemon sets the name and nothing ever reads it, so the override has no effect. A user-defined name is
 * fine when a `$name` refers to it (from main.cf or any -o value) or when main.cf defines it.
 */
export const masterUnknownOption: PostfixRule = {
  meta: {
    id: 'postfix/master-unknown-option',
    description: 'A master.cf "-o name=value" with a parameter name Postfix does not know (usually a typo); it has no effect.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    for (const s of instance.master?.services ?? []) {
      for (const o of s.overrides) {
        const name = o.name;
        if (instance.isKnownParameter(name) || instance.referencedNames.has(name) || instance.main?.effective.has(name)) continue;
        const suggestion = nearest(name, KNOWN_NAMES);
        report({
          file: 'master',
          span: o.nameSpan,
          message:
            `Unknown parameter "${name}" in "-o" of service "${serviceName(s)}": no Postfix program reads it, so the ` +
            `override has no effect and the service runs with the main.cf value (postconf: "unused parameter").` +
            (suggestion ? ` Did you mean "${suggestion}"?` : ''),
          fixes: suggestion
            ? [{ title: `Change to "${suggestion}"`, edits: [{ span: o.nameSpan, newText: suggestion }], preferred: true }]
            : undefined,
        });
      }
    }
  },
};
