// A mail-authentication or reputation result (SPF, DMARC, MTA-STS, TLS-RPT, DANE, DKIM, DNSBL) as its row in
// the Results tree, under the subject it checked: named by the check's registry entry, so a new check of this
// kind shows without an edit here.
import type { RuleSeverityOverrides } from '../model';
import { dnsErrorWords } from '../live/dnsChecks';
import { liveCheckLabel, liveRuleMetaById } from '../live/liveCheckRegistry';
import { LIVE_RULES } from '../live/liveRules';
import type { AuthCheckResult } from '../live/mailAuth/types';
import { type CheckRow, mdCode, mdText, stateOfSeverity, worstState } from './treeRows';

/** One mail-authentication result as a check: its state is its findings' worst severity, as in Problems. */
export function authRow(r: AuthCheckResult, overrides: RuleSeverityOverrides): CheckRow {
  const name = liveCheckLabel(r.check);
  const evidence = r.evidence.length ? `\n\n${r.evidence.map((e) => `- ${mdText(e)}`).join('\n')}` : '';
  if (r.error) {
    const o = overrides[LIVE_RULES.lookupFailed.id];
    const state = /^(cancelled|ECANCELLED)$/.test(r.error) ? 'skipped' : o === 'off' ? 'skipped' : stateOfSeverity(o ?? LIVE_RULES.lookupFailed.defaultSeverity);
    const why = /^E[A-Z]+$/.test(r.error) ? dnsErrorWords(r.error) : r.error;
    return { name, state, description: `not checked: ${why}`, tooltip: `**${name}** of ${mdText(r.subject)}: not checked (${mdText(why)})${evidence}`, ruleIds: state === 'skipped' ? [] : [LIVE_RULES.lookupFailed.id] };
  }
  const states = r.problems.flatMap((p) => {
    const o = overrides[p.ruleId];
    return o === 'off' ? [] : [stateOfSeverity(o ?? p.severity ?? liveRuleMetaById(p.ruleId)?.defaultSeverity ?? 'warning')];
  });
  const problems = r.problems.length ? `\n\n${r.problems.map((p) => `- ${mdText(p.message)} (${mdCode(p.ruleId)})`).join('\n')}` : '';
  return { name, state: worstState(states, 'pass'), description: r.summary, tooltip: `**${name}** of ${mdText(r.subject)}: ${mdText(r.summary)}${problems}${evidence}`, ruleIds: [...new Set(r.problems.filter((p) => overrides[p.ruleId] !== 'off').map((p) => p.ruleId))] };
}
