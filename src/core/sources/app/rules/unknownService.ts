import { nearest } from '../../../suggest';
import { nodemailerProfile } from '../versions';
import type { TransportRule } from '../transportRule';
import { lookupService } from '../wellKnownServices';
import { rangeInValue } from './common';

// nodemailer compares names, aliases and e-mail domains without case; suggestions do the same and
// name the service by its canonical name. One array, so `nearest` can cache its answers.
const normalize = (key: string) => key.replace(/[^a-zA-Z0-9.-]/g, '').toLowerCase();
const CANONICAL = new Map<string, string>();
for (const s of nodemailerProfile().serviceList) for (const key of [s.name, ...s.aliases, ...s.domains]) CANONICAL.set(normalize(key), s.name);
const CANDIDATES = [...CANONICAL.keys()];

/** A `service` name nodemailer does not know: it is ignored without a word. */
export const unknownService: TransportRule = {
  meta: {
    id: 'nodemailer/unknown-service',
    description: "`service` names no service nodemailer knows, so it is silently ignored.",
    // A warning: nodemailer goes on without it (to the host written, or to localhost).
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(t, report) {
    const def = t.definition;
    const o = def.options.get('service');
    if (!o || typeof o.value !== 'string' || lookupService(o.value)) return;
    const written = o.value;
    const near = nearest(normalize(written.split('@').pop() ?? ''), CANDIDATES);
    const suggestion = near === undefined ? undefined : CANONICAL.get(near);
    const hostWritten = t.host.origin === 'option' || t.host.origin === 'url';
    const range = suggestion ? rangeInValue(def, o, 0, written.length) : undefined;
    const goes = hostWritten ? '' : ` (it connects to ${t.host.value ?? 'localhost'} instead)`;
    report({
      option: 'service',
      message:
        `nodemailer ${t.profile.version} does not know the service ${JSON.stringify(written)} and ignores it${goes}; ` +
        (suggestion ? `did you mean "${suggestion}"?` : 'set host and port instead.'),
      fixes: range && suggestion ? [{ title: `Change to "${suggestion}"`, edits: [{ range, newText: suggestion }], preferred: true }] : undefined,
    });
  },
};
