// The outbound-25 diagnosis as its row in the Results tree (under the endpoint whose port 25 timed out): its
// name and rule from the check's registry entry.
import type { RuleMeta, RuleSeverityOverrides } from '../model';
import { OUTBOUND_25_CHECK } from '../live/liveCheckRegistry';
import { LIVE_RULES } from '../live/liveRules';
import type { Outbound25Diagnosis } from '../live/outbound25';
import { type CheckRow, type NodeState, lines, mdCode, mdText, para, stateOfSeverity } from './treeRows';

export function outbound25Row(d: Outbound25Diagnosis, overrides: RuleSeverityOverrides): CheckRow {
  const severity = (rule: RuleMeta): NodeState => {
    const o = overrides[rule.id];
    return o === 'off' ? 'info' : stateOfSeverity(o ?? rule.defaultSeverity);
  };
  const state: NodeState =
    d.verdict === 'network-blocks-25' ? severity(LIVE_RULES.outbound25Blocked) : d.verdict === 'not-blocked' ? 'pass' : d.verdict === 'inconclusive' ? 'info' : severity(LIVE_RULES.portTimeout);
  const evidence = d.evidence.map((e) => `${mdCode(e.target)} (${e.role}): ${mdText(e.status)} in ${e.ms} ms${e.detail ? ` — ${mdText(e.detail)}` : ''}`);
  return {
    name: OUTBOUND_25_CHECK.label,
    state,
    description: d.verdict.replace(/-/g, ' '),
    tooltip: para(`**${OUTBOUND_25_CHECK.label}** — ${mdText(d.verdict.replace(/-/g, ' '))}`, mdText(d.summary), mdText(d.recommendation), evidence.length ? `Evidence:  \n${lines(...evidence)}` : undefined, d.missing?.length ? `Would settle it: ${mdText(d.missing.join('; '))}` : undefined),
  };
}
