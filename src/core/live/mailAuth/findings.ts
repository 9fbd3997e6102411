// Mail-authentication results as findings on the config lines that named their subject, named and judged by
// the check's registry entry (passed in, so the checks' code never imports the registry that loads it).
import type { Finding } from '../../model';
import { redactText } from '../../redact';
import { dnsErrorWords } from '../dnsChecks';
import type { ConfigLocation } from '../liveFindings';
import { LIVE_RULES } from '../liveRules';
import type { LiveCheckDescriptor } from '../liveCheck';
import { shortName, shortText } from '../messageText';
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

export function authFindings(at: ConfigLocation, r: AuthCheckResult, check: Pick<LiveCheckDescriptor, 'label' | 'rules'>): Finding[] {
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
        message: redactText(`No ${check.label} verdict for ${shortName(r.subject, 40)}: ${why}; ${fix}.`),
        details: redactText(`The ${check.label} check of ${r.subject} could not run, so it says nothing either way. Error: ${dnsCode ? `${dnsErrorWords(dnsCode)} (${r.error})` : r.error}.`),
      },
    ];
  }
  return r.problems.map((p) => ({
    ruleId: p.ruleId,
    severity: p.severity ?? check.rules.find((m) => m.id === p.ruleId)?.defaultSeverity ?? 'warning',
    ...where,
    message: redactText(p.message),
    ...(p.details ? { details: redactText(p.details) } : {}),
  }));
}
