// A domain's MX lookup as rows of the Results tree: the MX records row, then one row per MX host (mxHostRow.ts).
import { type RuleSeverityOverrides, applySeverityOverrides } from '../model';
import { dnsErrorWords } from '../live/dnsChecks';
import type { MxCheckResult, MxHost } from '../live/dnsTypes';
import { mxFindings } from '../live/liveFindings';
import { LIVE_RULES } from '../live/liveRules';
import { type Port25, mxHostCheck, withPort25 } from './mxHostRow';
import { type CheckRow, judge, mdBlock, mdCode, mdText, para, plural } from './treeRows';

export function mxChecks(r: MxCheckResult, overrides: RuleSeverityOverrides, port25?: (h: MxHost) => Port25 | undefined): CheckRow[] {
  const findings = applySeverityOverrides(mxFindings({ file: '', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }, r), overrides);
  const lookupRules = [LIVE_RULES.lookupFailed, LIVE_RULES.nullMx, LIVE_RULES.noMx];
  const j = judge(findings, lookupRules);
  const description =
    r.status === 'ok'
      ? plural(r.hosts.length, 'MX host')
      : r.status === 'no-mx'
        ? r.fallbackAddresses?.length
          ? `no MX · falls back to ${r.fallbackAddresses.join(', ')}`
          : `no MX${r.error ? `: ${dnsErrorWords(r.error)}` : ''}`
        : r.status === 'null-mx'
          ? 'null MX: accepts no mail'
          : `lookup failed: ${dnsErrorWords(r.error)}`;
  const answers = r.hosts.map((h) => `${h.priority} ${h.exchange}${h.addresses.length ? ` → ${h.addresses.join(', ')}` : ` → no address${h.error ? ` (${h.error})` : ''}`}${h.isCname ? ' (CNAME)' : ''}`);
  const checks: CheckRow[] = [
    {
      name: 'MX records',
      state: j.state,
      ruleIds: j.ruleIds,
      description,
      tooltip: para(
        `**MX records of** ${mdCode(r.domain)} — ${mdText(description)}`,
        ...j.problems,
        answers.length ? `DNS answers:\n\n${mdBlock(answers.join('\n'))}` : undefined,
        r.fallbackAddresses?.length ? `Fallback addresses (A/AAAA): ${r.fallbackAddresses.map(mdCode).join(', ')}` : undefined,
        `Lookup took ${Math.round(r.ms)} ms`,
      ),
    },
  ];
  for (const h of r.hosts) checks.push(withPort25(mxHostCheck(r.domain, h, overrides), h, port25?.(h)));
  return checks;
}
