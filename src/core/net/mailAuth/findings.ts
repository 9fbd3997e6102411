// Mail-authentication results as findings on the config lines that named their subject.
import type { Finding, RuleMeta } from '../../model';
import { redactText } from '../../redact';
import { dnsErrorWords } from '../dnsChecks';
import type { ConfigLocation } from '../liveFindings';
import { LIVE_RULES } from '../liveRules';
import { AUTH_RULE_METAS } from './index';
import type { AuthCheckName, AuthCheckResult } from './types';

/** How the Results tree and messages name each check. */
export const AUTH_CHECK_LABELS: Readonly<Record<AuthCheckName, string>> = {
  spf: 'SPF',
  dmarc: 'DMARC',
  'mta-sts': 'MTA-STS',
  'tls-rpt': 'TLS-RPT',
  dane: 'DANE',
  dkim: 'DKIM',
  dnsbl: 'DNSBL',
};

let metaById: Map<string, RuleMeta> | undefined;
export function authRuleMeta(id: string): RuleMeta | undefined {
  metaById ??= new Map(AUTH_RULE_METAS.map((m) => [m.id, m]));
  return metaById.get(id);
}

export function authFindings(at: ConfigLocation, r: AuthCheckResult): Finding[] {
  const where = { file: at.file, range: at.range };
  if (r.error) {
    if (/^(cancelled|ECANCELLED)$/.test(r.error)) return [];
    const dnsCode = /^E[A-Z]+$/.test(r.error);
    const why = dnsCode ? dnsErrorWords(r.error) : r.error.length > 60 ? r.error.slice(0, 59) + '…' : r.error;
    return [
      {
        ruleId: LIVE_RULES.lookupFailed.id,
        severity: LIVE_RULES.lookupFailed.defaultSeverity,
        ...where,
        message: redactText(`The ${AUTH_CHECK_LABELS[r.check]} check of ${r.subject} could not run: ${why}${dnsCode ? '; check the DNS server' : ''}.`),
        details: redactText(`It says nothing either way. Error: ${r.error}.`),
      },
    ];
  }
  return r.problems.map((p) => ({
    ruleId: p.ruleId,
    severity: p.severity ?? authRuleMeta(p.ruleId)?.defaultSeverity ?? 'warning',
    ...where,
    message: redactText(p.message),
    ...(p.details ? { details: redactText(p.details) } : {}),
  }));
}
