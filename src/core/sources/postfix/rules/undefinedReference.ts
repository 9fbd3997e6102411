import { IMPLICIT_NAMES } from '../instance';
import { findReferences, type MacroReference } from '../macros';
import type { Span } from '../mainCf';
import { RAW_PARAMETERS } from '../parameterTypes';
import type { PostfixFileKind, PostfixRule } from '../postfixRule';
import { nearest } from '../../../suggest';
import { isTemplated } from '../template';
import { KNOWN_NAMES } from './unknownParameter';

/**
 * A `$name` that names nothing: Postfix expands it to an empty string (postconf warns "undefined
 * parameter"), which silently empties a restriction list, a hostname or a path.
 */
export const undefinedReference: PostfixRule = {
  meta: {
    id: 'postfix/undefined-reference',
    description: 'A $name reference to a parameter that is neither set in main.cf nor known to Postfix.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    // One list per lint, so a name referenced many times is looked up once (nearest() caches per list).
    const candidates = [...KNOWN_NAMES, ...(instance.main?.effective.keys() ?? [])];
    // A main.cf template that renders statements unseen may define any name.
    if (instance.main?.template?.opaque) return;
    // A name set with -o anywhere is defined for the processes that use it.
    const isDefined = (name: string) =>
      instance.isKnownParameter(name) || IMPLICIT_NAMES.has(name) || instance.main?.effective.has(name) || instance.overriddenNames.has(name);

    const check = (file: PostfixFileKind, refs: readonly MacroReference[], spanOf: (from: number, to: number) => Span) => {
      for (const ref of refs) {
        if (isDefined(ref.name)) continue;
        const suggestion = nearest(ref.name, candidates);
        const span = spanOf(ref.nameStart, ref.nameEnd);
        report({
          file,
          span,
          message: `"$${ref.name}" is not set in main.cf nor known to Postfix, so it expands to nothing` + (suggestion ? `; did you mean "$${suggestion}"?` : '.'),
          fixes: suggestion ? [{ title: `Change to "$${suggestion}"`, edits: [{ span, newText: suggestion }], preferred: true }] : undefined,
        });
      }
    };

    for (const p of instance.main?.parameters ?? []) {
      // Raw parameters ($EXTENSION in mailbox_command, $client_address in footers) get their $names at delivery time.
      if (RAW_PARAMETERS.has(p.name) || isTemplated(p.name)) continue;
      check('main', instance.referencesOf(p).filter((r) => !isTemplated(p.value.slice(r.start, r.end))), p.spanOfValue);
    }
    for (const s of instance.master?.services ?? []) {
      for (const o of s.overrides) {
        if (RAW_PARAMETERS.has(o.name)) continue;
        check('master', findReferences(o.value).refs, (from, to) => ({ start: o.valueSpan.start + from, end: o.valueSpan.start + to }));
      }
    }
  },
};
