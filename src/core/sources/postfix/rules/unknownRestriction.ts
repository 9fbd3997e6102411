import type { PostfixInstance } from '../instance';
import type { MainCfParameter, Span } from '../mainCf';
import { serviceName } from '../masterCf';
import { formatRelease } from '../postfixVersion';
import type { PostfixFileKind, PostfixReport, PostfixRule } from '../postfixRule';
import { nearest } from '../../../suggest';
import { isTemplated } from '../template';
import { RESTRICTION_SINCE } from '../versions.generated';

/** The smtpd parameters that hold restriction lists (restriction classes are added per configuration). */
export const RESTRICTION_LISTS: readonly string[] = [
  'smtpd_client_restrictions',
  'smtpd_helo_restrictions',
  'smtpd_sender_restrictions',
  'smtpd_relay_restrictions',
  'smtpd_recipient_restrictions',
  'smtpd_data_restrictions',
  'smtpd_end_of_data_restrictions',
  'smtpd_etrn_restrictions',
];

/** Restrictions that take the next word as their argument (a table, a DNS list, a policy server, seconds). */
const TAKES_ARGUMENT = /^(check_\w+_access|check_policy_service|check_address_map|sleep|reject_rbl|reject_rbl_client|reject_rhsbl_\w+|permit_dnswl_client|permit_rhswl_client)$/;

/** Restrictions Postfix 3.9 removed: from then on smtpd answers 451 wherever they are reached. */
const REMOVED: ReadonlyMap<string, { readonly since: readonly [number, number]; readonly instead: string }> = new Map([
  ['check_relay_domains', { since: [3, 9], instead: 'reject_unauth_destination' }],
  ['reject_maps_rbl', { since: [3, 9], instead: 'reject_rbl_client <domain>' }],
  ['permit_naked_ip_address', { since: [3, 9], instead: 'permit_mynetworks or permit_sasl_authenticated' }],
]);

const KNOWN_WORDS: readonly string[] = [...RESTRICTION_SINCE.keys()];

/**
 * Words of a restriction list as smtpd splits them (mystrtokq): at commas and white space outside braces,
 * so `check_policy_service { inet:127.0.0.1:10023, timeout=10s }` and `inline:{{<> = REJECT}}` stay whole.
 */
export function restrictionWords(value: string): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /[\s,]/.test(value[i])) i++;
    if (i >= value.length) break;
    const start = i;
    let depth = 0;
    for (; i < value.length; i++) {
      const c = value[i];
      if (c === '{') depth++;
      else if (c === '}') depth = Math.max(0, depth - 1);
      else if (depth === 0 && /[\s,]/.test(c)) break;
    }
    out.push({ text: value.slice(start, i), start, end: i });
  }
  return out;
}

interface ListSite {
  readonly file: PostfixFileKind;
  readonly label: string;
  readonly value: string;
  spanOf(from: number, to: number): Span;
}

/**
 * A word in an smtpd restriction list that is no restriction: smtpd logs "unknown smtpd restriction" and
 * answers "451 4.3.5 Server configuration error" to every message that reaches it.
 */
export const unknownRestriction: PostfixRule = {
  meta: {
    id: 'postfix/unknown-restriction',
    description: 'A word in an smtpd restriction list that is not a restriction: smtpd answers 451 4.3.5 to the mail it applies to.',
    defaultSeverity: 'error',
    fixable: true,
  },
  check(instance, report) {
    const main = instance.main;
    const classes = restrictionClasses(instance);
    // A template that can add smtpd_restriction_classes (or hides them) may define any word as a class.
    const classesUnknown = isTemplated(main?.effective.get('smtpd_restriction_classes')?.value ?? '') || main?.template?.opaque === true;
    const candidates = [...KNOWN_WORDS, ...classes];
    const checked = new Set<MainCfParameter>();

    const checkList = (site: ListSite) => {
      const words = restrictionWords(site.value);
      for (let k = 0; k < words.length; k++) {
        const w = words[k];
        if (isTemplated(w.text) || w.text.startsWith('{') || w.text === '\\') continue;
        const lower = w.text.toLowerCase();
        if (w.text.startsWith('$')) {
          checkReference(w.text);
          continue;
        }
        // type:table alone is an implicit check_*_access.
        if (w.text.includes(':')) continue;
        if (classes.has(w.text) || (classesUnknown && !RESTRICTION_SINCE.has(lower))) continue;
        if (RESTRICTION_SINCE.has(lower)) {
          if (TAKES_ARGUMENT.test(lower)) k++;
          const removed = REMOVED.get(lower);
          if (removed) reportRemoved(site, w, removed);
          continue;
        }
        const suggestion = nearest(lower, candidates);
        const span = site.spanOf(w.start, w.end);
        report({
          file: site.file,
          span,
          message:
            `Unknown restriction "${w.text}": smtpd answers 451 4.3.5` + (suggestion ? `; did you mean "${suggestion}"?` : '; correct or remove it.'),
          details: `smtpd logs "unknown smtpd restriction: \"${w.text}\"" and answers "451 4.3.5 Server configuration error" to every message that reaches this word of ${site.label}.`,
          fixes: suggestion ? [{ title: `Change to "${suggestion}"`, edits: [{ span, newText: suggestion }], preferred: true }] : undefined,
        });
      }
    };

    const reportRemoved = (site: ListSite, w: { text: string; start: number; end: number }, removed: { since: readonly [number, number]; instead: string }) => {
      const t = instance.target;
      const newer = t.release[0] > removed.since[0] || (t.release[0] === removed.since[0] && t.release[1] >= removed.since[1]);
      // Certain only when the files say which release they are for; otherwise it is a warning.
      const certain = newer && t.source !== 'assumed';
      const r: PostfixReport = {
        file: site.file,
        span: site.spanOf(w.start, w.end),
        severity: certain ? 'error' : 'warning',
        message:
          newer
            ? `"${w.text}" was removed in Postfix 3.9 (smtpd answers 451 4.3.5 where it is reached); use ${removed.instead}.`
            : `"${w.text}" is deprecated and removed in Postfix 3.9 (Postfix ${formatRelease(t.release)} here); use ${removed.instead}.`,
      };
      report(r);
    };

    /** A $name in a restriction list: a user-defined main.cf list is checked where it is written. */
    const checkReference = (word: string) => {
      const name = /^\$(?:\{(\w+)\}|\((\w+)\)|(\w+))$/.exec(word);
      const n = name && (name[1] ?? name[2] ?? name[3]);
      const p = n ? main?.effective.get(n) : undefined;
      if (!p || checked.has(p) || instance.isKnownParameter(n!) || isTemplated(p.value)) return;
      checked.add(p);
      checkList({ file: 'main', label: `"${p.name}" (used as a restriction list)`, value: p.value, spanOf: p.spanOfValue });
    };

    for (const name of [...RESTRICTION_LISTS, ...classes]) {
      const p = main?.effective.get(name);
      if (!p || checked.has(p) || isTemplated(p.value)) continue;
      checked.add(p);
      checkList({ file: 'main', label: name, value: p.value, spanOf: p.spanOfValue });
    }
    for (const s of instance.master?.services ?? []) {
      for (const o of s.overrides) {
        if (!RESTRICTION_LISTS.includes(o.name) || isTemplated(o.value)) continue;
        checkList({
          file: 'master',
          label: `${o.name} of service "${serviceName(s)}"`,
          value: o.value,
          spanOf: (from, to) => ({ start: o.valueSpan.start + from, end: o.valueSpan.start + to }),
        });
      }
    }
  },
};

/** The names listed in smtpd_restriction_classes (user-defined restriction lists). */
export function restrictionClasses(instance: PostfixInstance): Set<string> {
  const value = instance.main?.effective.get('smtpd_restriction_classes')?.value ?? '';
  return new Set(isTemplated(value) ? [] : value.split(/[\s,]+/).filter(Boolean));
}
