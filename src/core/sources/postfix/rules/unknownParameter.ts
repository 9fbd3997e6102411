import type { PostfixInstance } from '../instance';
import { POSTFIX_DEFAULTS } from '../parameters.generated';
import { formatRelease, targetHasParameter } from '../postfixVersion';
import type { PostfixRule } from '../postfixRule';
import { nearest } from '../../../suggest';
import { isTemplated } from '../template';
import { PARAMETER_VERSIONS, SERVICE_PARAMETER_SUFFIXES } from '../versions.generated';

const ALL_SERVICE_SUFFIXES = [...new Set(Object.values(SERVICE_PARAMETER_SUFFIXES).flat())];

/** One stable list, so suggestions for names seen before come from nearest()'s cache. */
export const KNOWN_NAMES: readonly string[] = [...new Set([...POSTFIX_DEFAULTS.keys(), ...PARAMETER_VERSIONS.keys()])];

/**
 * Why a known name does nothing in the target release ("not in Postfix 3.7 (since 3.9)"), or undefined.
 * Only for a release the user configured: an inferred floor comes from the names themselves.
 */
export function notInTarget(instance: PostfixInstance, name: string): string | undefined {
  const t = instance.target;
  if (t.source !== 'configured' || targetHasParameter(name, t.release) !== false) return undefined;
  const [since, , removed] = PARAMETER_VERSIONS.get(name)!;
  return removed ? `removed in Postfix ${removed.replace(/\.0$/, '')}` : `not in Postfix ${formatRelease(t.release)} (added in ${since.split(' ').pop()})`;
}

/**
 * A main.cf name Postfix does not know and nothing uses: the same test as postconf's "unused parameter"
 * warning (a user-defined name referenced as $name or set with -o is fine); or a name the configured
 * Postfix release does not have yet.
 */
export const unknownParameter: PostfixRule = {
  meta: {
    id: 'postfix/unknown-parameter',
    description: 'A parameter name Postfix does not know and nothing references (usually a typo), or one the target release lacks.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    for (const p of instance.main?.parameters ?? []) {
      if (isTemplated(p.name)) continue;
      const missing = instance.isKnownParameter(p.name) ? notInTarget(instance, p.name) : undefined;
      if (missing) {
        report({ file: 'main', span: p.nameSpan, message: `"${p.name}" is ${missing}: that release ignores it (${instance.target.why}).` });
        continue;
      }
      if (instance.isUsedParameter(p.name)) continue;
      // A master.cf template may define the service a per-service name belongs to.
      if (instance.master?.template?.opaque && ALL_SERVICE_SUFFIXES.some((x) => p.name.endsWith(x))) continue;
      const suggestion = nearest(p.name, KNOWN_NAMES);
      report({
        file: 'main',
        span: p.nameSpan,
        message: `Unknown parameter "${p.name}": Postfix ignores it` + (suggestion ? `; did you mean "${suggestion}"?` : '.'),
        fixes: suggestion ? [{ title: `Change to "${suggestion}"`, edits: [{ span: p.nameSpan, newText: suggestion }], preferred: true }] : undefined,
      });
    }
  },
};
