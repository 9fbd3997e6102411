import type { PostfixRule } from '../postfixRule';
import { nearest } from '../../../suggest';
import { isTemplated } from '../template';
import { KNOWN_NAMES, notInTarget } from './unknownParameter';

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
        if (isTemplated(name)) continue;
        if (instance.isKnownParameter(name)) {
          const missing = notInTarget(instance, name);
          if (missing) report({ file: 'master', span: o.nameSpan, message: `"-o ${name}" is ${missing}: the override has no effect there.` });
          continue;
        }
        if (instance.referencedNames.has(name) || instance.main?.effective.has(name)) continue;
        const suggestion = nearest(name, KNOWN_NAMES);
        report({
          file: 'master',
          span: o.nameSpan,
          message: `Unknown parameter "${name}" in -o has no effect` + (suggestion ? `; did you mean "${suggestion}"?` : '.'),
          fixes: suggestion ? [{ title: `Change to "${suggestion}"`, edits: [{ span: o.nameSpan, newText: suggestion }], preferred: true }] : undefined,
        });
      }
    }
  },
};
