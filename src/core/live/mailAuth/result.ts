// How the mail-authentication checks build and guard their results, in one place.
import { monotonicMs } from '../builtins';
import { printable } from '../../escape';
import type { AuthCheck, AuthCheckContext, AuthCheckName, AuthCheckResult, AuthProblem, AuthSubjectKind } from './types';

/**
 * The usual end of a check: the evidence and problems it collected on the way, and a summary. An error
 * means "could not find out", so the result then carries no problems. With `maxEvidence`, longer
 * evidence is cut to that many lines, the last one saying how many were left out.
 */
export function resultBuilder(
  check: AuthCheckName,
  subjectKind: AuthSubjectKind,
  subject: string,
  evidence: string[],
  problems: AuthProblem[],
  maxEvidence = Infinity,
): (summary: string, error?: string) => AuthCheckResult {
  const start = monotonicMs();
  return (summary, error) => ({
    check,
    subjectKind,
    subject,
    summary,
    evidence: evidence.length > maxEvidence ? [...evidence.slice(0, maxEvidence - 1), `… ${evidence.length - maxEvidence + 1} more lines`] : evidence,
    problems: error ? [] : problems,
    ...(error ? { error } : {}),
    ms: Math.round(monotonicMs() - start),
  });
}

/**
 * A check's `run` that never throws and says "cancelled" when the run was: a check whose own code fails
 * reports EUNKNOWN with the reason, and an error that came from the run being aborted becomes ECANCELLED
 * (which the runner drops without a finding). A `receivingOnly` check has nothing to say about a domain
 * with a null MX (RFC 7505), which accepts no mail.
 */
export function guardedRun(
  check: AuthCheckName,
  subjectKind: AuthSubjectKind,
  run: (subject: string, context: AuthCheckContext) => Promise<AuthCheckResult>,
  options: { readonly receivingOnly?: boolean } = {},
): AuthCheck['run'] {
  return async (subject, context) => {
    const result = (summary: string, error?: string): AuthCheckResult => ({ check, subjectKind, subject, summary, evidence: [], problems: [], ...(error ? { error } : {}), ms: 0 });
    if (options.receivingOnly && context.mx?.status === 'null-mx') return result('not applicable: the domain accepts no mail (null MX)');
    try {
      const r = await run(subject, context);
      return r.error && context.dns.signal?.aborted ? { ...r, error: 'ECANCELLED' } : r;
    } catch (e) {
      return result('check failed', printable(`EUNKNOWN: ${(e as Error)?.message ?? e}`, 200));
    }
  };
}
