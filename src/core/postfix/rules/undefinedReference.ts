import { findReferences, type MacroReference } from '../macros';
import type { Span } from '../mainCf';
import { RAW_PARAMETERS } from '../parameterTypes';
import { POSTFIX_DEFAULTS } from '../parameters.generated';
import type { PostfixFileKind, PostfixRule } from '../postfixRule';
import { nearest } from '../suggest';

/**
 * Names Postfix's own defaults refer to without listing them (virtual_maps, fallback_relay,
 * smtpd_per_record_deadline...): legacy or internal names postconf accepts without a warning.
 */
const IMPLICIT_NAMES: ReadonlySet<string> = new Set(
  [...POSTFIX_DEFAULTS.values()].flatMap((v) => findReferences(v).refs.map((r) => r.name)),
);

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
    const mainNames = [...(instance.main?.effective.keys() ?? [])];
    // A name set with -o anywhere is defined for the processes that use it.
    const isDefined = (name: string) =>
      instance.isKnownParameter(name) || IMPLICIT_NAMES.has(name) || instance.main?.effective.has(name) || instance.overriddenNames.has(name);

    const check = (file: PostfixFileKind, refs: readonly MacroReference[], spanOf: (from: number, to: number) => Span) => {
      for (const ref of refs) {
        if (isDefined(ref.name)) continue;
        const suggestion = nearest(ref.name, [...POSTFIX_DEFAULTS.keys(), ...mainNames]);
        const span = spanOf(ref.nameStart, ref.nameEnd);
        report({
          file,
          span,
          message:
            `"$${ref.name}" refers to a parameter that is neither set in main.cf nor known to Postfix: ` +
            `it expands to an empty string (postconf: "undefined parameter").` +
            (suggestion ? ` Did you mean "${suggestion}"?` : ''),
          fixes: suggestion ? [{ title: `Change to "$${suggestion}"`, edits: [{ span, newText: suggestion }], preferred: true }] : undefined,
        });
      }
    };

    for (const p of instance.main?.parameters ?? []) {
      // Raw parameters ($EXTENSION in mailbox_command, $client_address in footers) get their $names at delivery time.
      if (RAW_PARAMETERS.has(p.name)) continue;
      check('main', instance.referencesOf(p), p.spanOfValue);
    }
    for (const s of instance.master?.services ?? []) {
      for (const o of s.overrides) {
        if (RAW_PARAMETERS.has(o.name)) continue;
        check('master', findReferences(o.value).refs, (from, to) => ({ start: o.valueSpan.start + from, end: o.valueSpan.start + to }));
      }
    }
  },
};
