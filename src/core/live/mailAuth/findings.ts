// Mail-authentication results as findings on the config lines that named their subject.
import type { Finding, RuleMeta } from '../../model';
import { redactText } from '../../redact';
import { dnsErrorWords } from '../dnsChecks';
import type { ConfigLocation } from '../liveFindings';
import { LIVE_RULES } from '../liveRules';
import { liveRuleMetaById } from '../liveCheckRegistry';
import { shortName, shortText } from '../messageText';
import { AUTH_CHECK_LABELS } from './labels';
import type { AuthCheckResult } from './types';

/** DNS error codes as a message names them, after "the DNS server failed"; the details say dnsErrorWords. */
const DNS_CODE_WORDS: Readonly<Record<string, string>> = {
  ETIMEOUT: 'timeout',
  ESERVFAIL: 'SERVFAIL',
  EREFUSED: 'REFUSED',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EBADRESP: 'malformed answer',
  EFORMERR: 'malformed answer',
  ENOTIMP: 'NOTIMP',
};

export function authRuleMeta(id: string): RuleMeta | undefined {
  return liveRuleMetaById(id);
}

export function authFindings(at: ConfigLocation, r: AuthCheckResult): Finding[] {
  const where = { file: at.file, range: at.range };
  if (r.error) {
    if (/^(cancelled|ECANCELLED)$/.test(r.error)) return [];
    // "ESERVFAIL" or "ESERVFAIL looking up TXT _mta-sts.example.com": the DNS server's failure.
    const dnsCode = /^(E[A-Z]+)(?:$| looking up | querying )/.exec(r.error)?.[1];
    const why = dnsCode ? `the DNS server failed (${DNS_CODE_WORDS[dnsCode] ?? dnsCode})` : shortText(r.error, 48);
    const fix = dnsCode ? 'check it or try again' : /^(internal error|EUNKNOWN)/.test(r.error) ? 'try again, and report it if it repeats' : 'check this network and try again';
    return [
      {
        ruleId: LIVE_RULES.lookupFailed.id,
        severity: LIVE_RULES.lookupFailed.defaultSeverity,
        ...where,
        message: redactText(`No ${AUTH_CHECK_LABELS[r.check]} verdict for ${shortName(r.subject, 40)}: ${why}; ${fix}.`),
        details: redactText(`The ${AUTH_CHECK_LABELS[r.check]} check of ${r.subject} could not run, so it says nothing either way. Error: ${dnsCode ? `${dnsErrorWords(dnsCode)} (${r.error})` : r.error}.`),
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
