// One MX host as its row in the Results tree: its addresses, then its port-25 probe and reverse DNS as rows
// under it. Separate from the MX lookup's row (mxRow.ts), which lists one of these per host.
import { type RuleSeverityOverrides, applySeverityOverrides } from '../model';
import { dnsErrorWords } from '../live/dnsChecks';
import type { MxCheckResult, MxHost, PtrCheckResult } from '../live/dnsTypes';
import { mxFindings } from '../live/liveFindings';
import { LIVE_RULES } from '../live/liveRules';
import { mxPtrFindings } from '../live/mxProbe';
import { ptrCheck } from './ptrRow';
import { type CheckRow, NOWHERE, judge, mdCode, mdText, para, worstState } from './treeRows';

export function mxHostCheck(domain: string, h: MxHost, overrides: RuleSeverityOverrides): CheckRow {
  const one: MxCheckResult = { domain, status: 'ok', hosts: [h], ms: 0 };
  const findings = applySeverityOverrides(mxFindings({ file: '', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }, one), overrides);
  const j = judge(findings, [LIVE_RULES.mxIpLiteral, LIVE_RULES.mxUnresolvable, LIVE_RULES.mxCname]);
  const description = [h.addresses.length ? h.addresses.join(', ') : `no address${h.error ? `: ${dnsErrorWords(h.error)}` : ''}`, h.isCname && 'CNAME', h.isIpLiteral && 'IP literal'].filter(Boolean).join(' · ');
  return {
    name: `MX ${h.priority} ${h.exchange}`,
    state: j.state,
    ruleIds: j.ruleIds,
    description,
    tooltip: para(`**MX ${h.priority}** ${mdCode(h.exchange)} — ${mdText(description)}`, ...j.problems),
  };
}

/** An MX host's reverse DNS against the name it greets with, judged as an MX's (information at most). */
export function mxPtrChecks(r: PtrCheckResult | undefined, host: string, overrides: RuleSeverityOverrides): CheckRow[] {
  return r ? [ptrCheck(r, overrides, (p) => mxPtrFindings(NOWHERE, host, p))] : [];
}

/** An MX host's port-25 probe: its one-line summary and its checks. */
export interface Port25 {
  readonly summary: string;
  readonly checks: readonly CheckRow[];
  readonly port: number;
}

/** An MX host's DNS check, with its port-25 result in the description and its checks as children. */
export function withPort25(dns: CheckRow, h: MxHost, port25: Port25 | undefined): CheckRow {
  if (!port25) return dns;
  return {
    ...dns,
    state: worstState([dns.state, ...port25.checks.map((c) => c.state)]),
    description: `${dns.description} · ${port25.summary}`,
    tooltip: para(dns.tooltip, `Port ${port25.port}: ${mdText(port25.summary)}`),
    children: port25.checks,
    host: h.exchange.replace(/\.$/, ''),
    port: port25.port,
  };
}
