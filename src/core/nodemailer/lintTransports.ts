import type { Finding, RelatedLocation } from '../model';
import { redactText } from '../redact';
import { effectiveTransport } from './effectiveTransport';
import type { TransportDefinition } from './transport';
import type { TransportRule } from './transportRule';
import { TRANSPORT_RULES } from './rules';

/** Runs every transport rule over the transports found; a finding on an env-fed option links to its .env line. */
export function lintTransports(defs: readonly TransportDefinition[], rules: readonly TransportRule[] = TRANSPORT_RULES): Finding[] {
  const findings: Finding[] = [];
  for (const def of defs) {
    const t = effectiveTransport(def);
    for (const rule of rules) {
      try {
        rule.check(t, (r) => {
          const option = r.option ? def.options.get(r.option) : undefined;
          const related: RelatedLocation[] = [...(r.related ?? [])];
          if (option?.env?.file && option.env.range) {
            related.push({ file: option.env.file, range: option.env.range, message: `${option.env.name} is set here` });
          }
          findings.push({
            ruleId: rule.meta.id,
            severity: r.severity ?? rule.meta.defaultSeverity,
            file: option && !r.range ? option.file : def.file,
            range: r.range ?? option?.range ?? def.range,
            // Rules quote values (URLs, service names); whatever looks like a credential is masked.
            message: redactText(r.message),
            fixes: r.fixes,
            related: related.length ? related : undefined,
          });
        });
      } catch (err) {
        findings.push({
          ruleId: rule.meta.id,
          severity: 'warning',
          file: def.file,
          range: def.range,
          message: redactText(`Internal error in rule ${rule.meta.id}: ${(err as Error).message}`),
        });
      }
    }
  }
  return findings;
}
