import * as vscode from 'vscode';
import type { Finding } from '../core/model';
import type { LiveDiagnostics } from './liveDiagnostics';

/** The results panel's view container (registered with the results tree). */
export const RESULTS_VIEW_COMMAND = 'workbench.view.extension.smtpDoctor';

export interface StatusSources {
  /** Every current finding: static, application and live. */
  readonly findings: () => readonly Finding[];
  readonly live: LiveDiagnostics;
  /** Events after which the counts may have changed. */
  readonly changes: readonly vscode.Event<unknown>[];
}

/** "$(mail) SMTP 2 $(error) 3 $(warning)", or "$(sync~spin) SMTP checking 4/9…" while live checks run. */
export class SmtpStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('smtpDoctor.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[];
  private pending: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly sources: StatusSources) {
    this.item.name = 'SMTP Doctor';
    this.item.command = { command: RESULTS_VIEW_COMMAND, title: 'Show SMTP Doctor results' };
    this.subscriptions = [...sources.changes, sources.live.onDidChange].map((event) => event(() => this.schedule()));
    this.update();
    this.item.show();
  }

  /** Coalesces bursts (a live run reports each result) into one repaint. */
  private schedule(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.update();
    }, 50);
  }

  update(): void {
    const live = this.sources.live;
    const findings = this.sources.findings();
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    const tooltip = new vscode.MarkdownString(`**SMTP Doctor**: ${errors} error(s), ${warnings} warning(s)`, true);
    if (live.isRunning) {
      const t = live.targets;
      const total = t ? t.probes.length + t.domains.length + t.ptrs.length : 0;
      const done = Math.min(live.partial.filter((r) => r.kind !== 'outbound25').length, total);
      this.item.text = `$(sync~spin) SMTP checking ${done}/${total}…`;
      tooltip.appendMarkdown('\n\nLive checks are running. Click to open the results.');
    } else {
      this.item.text = errors || warnings ? `$(mail) SMTP ${errors} $(error) ${warnings} $(warning)` : '$(mail) SMTP $(check)';
      const report = live.lastReport;
      if (report) {
        const open = report.probes.filter((p) => p.status === 'open').length;
        tooltip.appendMarkdown(`\n\nLast live check: ${open}/${report.probes.length} SMTP port(s) open${report.incomplete ? ' (incomplete)' : ''}.`);
      }
      tooltip.appendMarkdown('\n\nClick to open the results.');
    }
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    clearTimeout(this.pending);
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
