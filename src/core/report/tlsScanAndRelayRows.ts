// Past the probe: a server's TLS scan (versions, weak cipher families) and open-relay test as rows of the
// Results tree, judged as their findings would be.
import { type RuleSeverityOverrides, applySeverityOverrides } from '../model';
import type { RelayTestResult } from '../live/relayTest';
import { relayFindings } from '../live/serverChecks';
import { SERVER_RULES } from '../live/serverRules';
import type { ServerRef } from '../live/serverRef';
import { FAMILY_LABELS, acceptedVersions, type TlsScanContext, type TlsScanResult, tlsScanFindings, versionList } from '../live/tlsScanFindings';
import { LIVE_RULES } from '../live/liveRules';
import { type CheckRow, NOWHERE, judge, lines, mdCode, mdText, oneLine, para, stateMark } from './treeRows';

/** The TLS scan and the relay test of one endpoint as checks, judged as their findings would be. */
export function serverExtraChecks(scan: TlsScanResult | undefined, relay: RelayTestResult | undefined, context: TlsScanContext, server: ServerRef | undefined, overrides: RuleSeverityOverrides): CheckRow[] {
  return [...tlsScanRows(scan, context, overrides), ...relayRows(relay, server, overrides)];
}

/** The TLS scan's rows: the versions accepted, and the weak cipher families. */
export function tlsScanRows(scan: TlsScanResult | undefined, context: TlsScanContext, overrides: RuleSeverityOverrides): CheckRow[] {
  const checks: CheckRow[] = [];
  if (scan) {
    const findings = applySeverityOverrides(tlsScanFindings(NOWHERE, scan, context), overrides);
    const versions = acceptedVersions(scan);
    const answer = (a: { accepted?: boolean; suite?: string; detail?: string }) => (a.accepted ? `accepted${a.suite ? ` (${mdCode(a.suite)})` : ''}` : a.accepted === false ? `refused${a.detail ? ` — ${mdText(a.detail)}` : ''}` : `unknown${a.detail ? ` — ${mdText(a.detail)}` : ''}`);
    const versionState = judge(findings, [LIVE_RULES.tlsWeakVersion]);
    checks.push({
      name: 'TLS versions',
      state: scan.error ? 'skipped' : versionState.state,
      ruleIds: versionState.ruleIds,
      description: scan.error ? `not scanned (${oneLine(scan.error)})` : versions.length ? versionList(versions) : 'none accepted',
      tooltip: para(`**TLS versions** — each asked alone (${scan.mode === 'implicit' ? 'TLS at connect' : 'after STARTTLS'})`, ...versionState.problems, lines(...scan.versions.map((v) => `${v.version}: ${answer(v)}`)), `Scan took ${scan.ms} ms`),
    });
    const cipherState = judge(findings, [SERVER_RULES.tlsWeakCipher]);
    const weak = scan.weakCiphers.filter((c) => c.accepted).map((c) => FAMILY_LABELS[c.family]);
    checks.push({
      name: 'Weak ciphers',
      state: scan.error ? 'skipped' : cipherState.state,
      ruleIds: cipherState.ruleIds,
      description: scan.error ? 'not scanned' : weak.length ? `accepts ${weak.join(', ')}` : 'none accepted',
      tooltip: para('**Weak cipher families** — offered one family at a time', ...cipherState.problems, lines(...scan.weakCiphers.map((c) => `${mdText(FAMILY_LABELS[c.family])}: ${answer(c)}`))),
    });
  }
  return checks;
}

/** The relay test's row (judged by what the server's own configuration says about this client). */
export function relayRows(relay: RelayTestResult | undefined, server: ServerRef | undefined, overrides: RuleSeverityOverrides): CheckRow[] {
  const checks: CheckRow[] = [];
  if (relay) {
    const findings = applySeverityOverrides(relayFindings(NOWHERE, relay, server), overrides);
    const j = judge(findings, [SERVER_RULES.openRelay]);
    const accepted = relay.attempts.filter((a) => a.accepted).length;
    const description =
      relay.verdict === 'error' ? `not tested (${oneLine(relay.detail ?? 'no connection')})` : accepted ? `accepted ${accepted} of ${relay.attempts.length} foreign recipients` : `${relay.verdict.replace('-', ' ')} · ${relay.attempts.length} attempts`;
    checks.push({
      name: 'Open relay',
      state: relay.verdict === 'error' ? 'skipped' : accepted ? j.state : 'pass',
      ruleIds: accepted ? j.ruleIds : [],
      description,
      tooltip: para(
        `**Open relay test** — MAIL FROM / RCPT TO then RSET, never DATA${relay.tls ? ', over TLS' : ''}; from ${mdCode(relay.localAddress ?? '?')}`,
        ...j.problems,
        lines(...relay.attempts.map((a) => `${stateMark(a.accepted ? 'error' : 'pass')} ${mdCode(`MAIL FROM:<${a.from}> RCPT TO:<${a.to}>`)} → ${mdText(a.rcpt ?? a.mail ?? a.error ?? '')}`)),
      ),
    });
  }
  return checks;
}
