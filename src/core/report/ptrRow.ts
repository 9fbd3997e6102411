// A reverse-DNS (PTR) result as its row in the Results tree, under an address target or an MX host.
import { type Finding, type RuleSeverityOverrides, applySeverityOverrides } from '../model';
import { dnsErrorWords } from '../live/dnsChecks';
import type { PtrCheckResult } from '../live/dnsTypes';
import { ptrFindings } from '../live/liveFindings';
import { LIVE_RULES } from '../live/liveRules';
import { type CheckRow, NOWHERE, judge, lines, mdCode, mdText, para } from './treeRows';

/** A PTR result as a check; `findingsOf` judges it (an MX host's PTR is only information). */
export function ptrCheck(r: PtrCheckResult, overrides: RuleSeverityOverrides, findingsOf: (r: PtrCheckResult) => Finding[] = (p) => ptrFindings(NOWHERE, p)): CheckRow {
  const findings = applySeverityOverrides(findingsOf(r), overrides);
  const j = judge(findings, [LIVE_RULES.lookupFailed, LIVE_RULES.noPtr, LIVE_RULES.ptrNotConfirmed, LIVE_RULES.ptrMismatch]);
  const description =
    r.status === 'ok'
      ? `${r.names.join(', ')}${r.forwardConfirmed ? ' · forward-confirmed' : ''}`
      : r.status === 'no-ptr'
        ? 'no PTR record'
        : r.status === 'lookup-failed'
          ? `lookup failed: ${dnsErrorWords(r.error)}`
          : `${r.names.join(', ')} · ${r.status === 'mismatch' ? `not ${r.expectedName ?? 'the expected name'}` : 'not forward-confirmed'}`;
  return {
    name: `Reverse DNS ${r.address}`,
    state: j.state,
    ruleIds: j.ruleIds,
    description,
    tooltip: para(
      `**Reverse DNS of** ${mdCode(r.address)} — ${mdText(description)}`,
      ...j.problems,
      lines(
        `PTR: ${r.names.length ? r.names.map(mdCode).join(', ') : '(none)'}`,
        `Forward-confirmed: ${r.forwardConfirmed ? 'yes' : 'no'}`,
        r.expectedName && `Expected name (HELO / myhostname): ${mdCode(r.expectedName)}${r.matchesExpectedName === undefined ? '' : r.matchesExpectedName ? ' — matches' : ' — differs'}`,
        r.error && `Resolver: ${mdCode(r.error)}`,
        `Lookup took ${Math.round(r.ms)} ms`,
      ),
    ),
  };
}
