// "Check SMTP Port": one host on one port or the configured ports, picked from the workspace or typed; the
// answer in one line and in the Results view.
import * as vscode from 'vscode';
import { parseHostPort } from '../../core/engine/hostPort';
import { type LiveRunSummary, summarizeLiveRun } from '../../core/engine/liveRunSummary';
import { probeFindings, resolverFindings } from '../../core/live/liveFindings';
import type { LiveTargets } from '../../core/live/liveTargets';
import type { SmtpProbeResult } from '../../core/live/probeTypes';
import { securityLabel } from '../../core/report/endpointLabels';
import { probeSummary } from '../../core/report/probeRows';
import { DNS_SERVERS_SETTING, type LiveRunReport } from '../liveDiagnostics';
import { RESULTS_VIEW_ID } from '../resultsTree';
import { RESULTS_VIEW_COMMAND } from '../statusBar';
import { type CommandContext, relative, requireTrust } from './commandContext';
import { showProbeDetails } from './resultCommands';

export interface PortCheckSummary extends LiveRunSummary {
  readonly host: string;
  readonly ports: readonly number[];
  /** The one line the notification shows. */
  readonly headline: string;
  /** Whether the answer is a failure (shown as a warning). */
  readonly failed: boolean;
}

interface PortPick extends vscode.QuickPickItem {
  readonly host: string;
  readonly port?: number;
}

/** Hosts the workspace names first, then whatever the user types as host[:port]. */
async function pickHostPort(ctx: CommandContext, targets: LiveTargets): Promise<{ host: string; port?: number } | undefined> {
  const known: PortPick[] = targets.probes.map((t) => ({
    label: `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`,
    description: t.security ? securityLabel(t.security, t.port) : 'Postfix server port',
    detail: t.locations.map((l) => `${relative(l.file)}:${l.range.start.line + 1}`).join(', '),
    host: t.host,
    port: t.port,
  }));
  const quickPick = vscode.window.createQuickPick<PortPick>();
  quickPick.title = 'SMTP Doctor: Check SMTP Port';
  quickPick.placeholder = `A host from the workspace, or type host[:port] (without a port: ${ctx.config().ports.join(', ')})`;
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  const withTyped = (value: string): PortPick[] => {
    const typed = parseHostPort(value);
    if (!typed) return known;
    const item: PortPick = { label: value.trim(), description: typed.port ? `port ${typed.port}` : `ports ${ctx.config().ports.join(', ')}`, alwaysShow: true, ...typed };
    return [item, ...known.length ? [{ label: 'In the workspace', kind: vscode.QuickPickItemKind.Separator, host: '' }, ...known] : []];
  };
  quickPick.items = known;
  return new Promise((resolve) => {
    const subscriptions = [
      quickPick.onDidChangeValue((value) => (quickPick.items = withTyped(value))),
      quickPick.onDidAccept(() => {
        const picked = quickPick.selectedItems[0];
        const typed = parseHostPort(quickPick.value);
        resolve(picked ? { host: picked.host, ...(picked.port ? { port: picked.port } : {}) } : typed);
        quickPick.hide();
      }),
      quickPick.onDidHide(() => {
        resolve(undefined);
        for (const s of subscriptions) s.dispose();
        quickPick.dispose();
      }),
    ];
    quickPick.show();
  });
}

/**
 * The answer of a port check in one line: `smtp.example.com:587 open · STARTTLS · TLS 1.3 · cert valid 81 days`,
 * a failure in plain words (the finding's sentence), or the DNS server that did not answer.
 */
export function portCheckHeadline(host: string, ports: readonly number[], report: LiveRunReport): { text: string; failed: boolean } {
  const shown = host.includes(':') ? `[${host}]` : host;
  const probes = ports.map((p) => report.probes.find((r) => r.port === p && r.host.toLowerCase() === host.toLowerCase())).filter((r): r is SmtpProbeResult => !!r);
  if (!probes.length) {
    const dead = report.resolver && resolverFindings(report.resolver, [{ file: '', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }], DNS_SERVERS_SETTING)[0];
    return { text: dead ? dead.message : report.cancelled ? `${shown}: cancelled` : `${shown}: not checked`, failed: true };
  }
  const problems = (r: SmtpProbeResult) => probeFindings({ file: '', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }, r);
  const failed = probes.some((r) => r.status !== 'open') || probes.some((r) => problems(r).some((f) => f.severity === 'error'));
  if (probes.length === 1) {
    const r = probes[0];
    const first = r.status !== 'open' && r.status !== 'cancelled' ? problems(r)[0] : undefined;
    return { text: first ? first.message : `${shown}:${probeSummary(r)}`, failed };
  }
  return { text: `${shown}: ${probes.map((r) => probeSummary(r)).join('; ')}`, failed };
}

/** Opens the Results view and reveals, selects and expands a server's node (retrying while a rebuild replaces nodes). */
async function revealEndpoint(ctx: CommandContext, host: string, port: number): Promise<boolean> {
  await vscode.commands.executeCommand(RESULTS_VIEW_COMMAND);
  for (let attempt = 0; attempt < 5; attempt++) {
    const node = ctx.results.findEndpoint(host, port);
    if (!node) return false;
    try {
      await ctx.view.reveal(node, { select: true, focus: false, expand: true });
      return true;
    } catch (error) {
      ctx.log.debug(`reveal of ${host}:${port} failed (attempt ${attempt + 1}): ${error instanceof Error ? error.message : String(error)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return false;
}


/** "Check SMTP Port": probes one host on the given port, or on the configured ports, and shows the answer. */
export function checkSmtpPort(ctx: CommandContext) {
  const run = async (subject: { host: string; port?: number }, targets?: LiveTargets): Promise<PortCheckSummary | undefined> => {
    const ports = subject.port ? [subject.port] : ctx.config().ports;
    ctx.log.info(`Check SMTP Port: ${subject.host} on ${ports.join(', ')}`);
    const known = (targets ?? ctx.live.workspaceTargets()).probes;
    // The Results view shows the run (its progress bar and count) and then the answer: one toast, not two.
    await vscode.commands.executeCommand(RESULTS_VIEW_COMMAND);
    const report = await ctx.live.runProbes(subject.host, ports, { known, fresh: true, title: `SMTP Doctor: checking ${subject.host}`, progressView: RESULTS_VIEW_ID });
    if (!report) return undefined;
    const headline = portCheckHeadline(subject.host, ports, report);
    // The answer: the server's node in the Results view, and one line with what to do next.
    await revealEndpoint(ctx, subject.host, ports[0]);
    const show = headline.failed ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(`SMTP Doctor: ${headline.text}`, 'Show details', 'Copy', 'Re-check').then(async (pick) => {
      if (pick === 'Show details') await showProbeDetails(ctx, subject.host, ports[0]);
      else if (pick === 'Copy') await vscode.env.clipboard.writeText(headline.text);
      else if (pick === 'Re-check') await run(subject);
    });
    return { host: subject.host, ports, headline: headline.text, failed: headline.failed, ...summarizeLiveRun(report) };
  };
  return async (arg?: string | { host: string; port?: number }): Promise<PortCheckSummary | undefined> => {
    if (!requireTrust()) return undefined;
    const targets = ctx.live.workspaceTargets();
    let subject: { host: string; port?: number } | undefined;
    if (typeof arg === 'string') {
      subject = parseHostPort(arg);
      if (!subject) {
        void vscode.window.showErrorMessage(`SMTP Doctor: "${arg}" is not host[:port].`);
        return undefined;
      }
    } else if (arg && typeof arg.host === 'string') subject = arg;
    else subject = await pickHostPort(ctx, targets);
    if (!subject) return undefined;
    return run(subject, targets);
  };
}

