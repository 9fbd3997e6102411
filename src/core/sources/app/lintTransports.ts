import { type Finding, type RelatedLocation, runRules } from '../../model';
import { effectiveTransport } from './effectiveTransport';
import type { TransportDefinition } from './transport';
import type { TransportRule } from './transportRule';
import { TRANSPORT_RULES } from './rules';

/** Runs every transport rule over the transports found; a finding on an env-fed option links to its .env line. */
export function lintTransports(defs: readonly TransportDefinition[], rules: readonly TransportRule[] = TRANSPORT_RULES): Finding[] {
  const findings: Finding[] = [];
  // Two compose services loading one .env file share its options: a finding on its line is said once,
  // with the related locations of both.
  const seen = new Map<string, number>();
  const same = (a: RelatedLocation, b: RelatedLocation) =>
    a.file === b.file && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character && a.message === b.message;
  const push = (f: Finding) => {
    const key = [f.ruleId, f.file, f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character, f.message].join('\u0000');
    const at = seen.get(key);
    if (at === undefined) {
      seen.set(key, findings.length);
      findings.push(f);
      return;
    }
    const had = findings[at].related ?? [];
    const added = (f.related ?? []).filter((r) => !had.some((h) => same(h, r)));
    if (added.length) findings[at] = { ...findings[at], related: [...had, ...added] };
  };
  for (const def of defs) {
    const t = effectiveTransport(def);
    // Not SMTP (sendmail, JSON, SES, a custom transport): nothing these rules know about.
    if (t.kind === 'other') continue;
    const found = runRules(rules, t, {
      place: (r) => {
        const option = r.option ? def.options.get(r.option) : undefined;
        const related: RelatedLocation[] = [...(r.related ?? [])];
        if (option?.env?.file && option.env.range) {
          related.push({ file: option.env.file, range: option.env.range, message: `${option.env.name} is set here` });
        }
        const file = option && !r.range ? option.file : def.file;
        // A setting from a .env file a compose service loads (env_file:): show which service uses it.
        if (file !== def.file) related.push({ file: def.file, range: def.headRange ?? def.range, message: 'the transport this setting is part of' });
        return { file, range: r.range ?? option?.range ?? def.range, fixes: r.fixes, related: related.length ? related : undefined };
      },
      internalErrorAt: { file: def.file, range: def.range },
    });
    for (const f of found) push(f);
  }
  return findings;
}
