import * as vscode from 'vscode';
import type { Finding } from '../core/model';
import type { LiveDiagnostics } from './liveDiagnostics';

/** The results panel's view container (registered with the results tree). */
export const RESULTS_VIEW_COMMAND = 'workbench.view.extension.smtpDoctor';

export interface StatusSources {
  /** Every current finding: static, application and live. */
  readonly findings: () => readonly Finding[];
  /** Whether the workspace has mail configuration at all (a Postfix file, a transport, a finding). */
  readonly hasMailConfig: () => boolean;
  readonly live: LiveDiagnostics;
  /** Events after which the counts may have changed. */
  readonly changes: readonly vscode.Event<unknown>[];
}

/**
 * Icon first, as VS Code's own problem counts: "$(mail) $(error) 3 $(warning) 2", "$(mail) $(check)" when all is
 * well, "$(sync~spin) $(mail) 4/9" while live checks run. Shown only where there is mail configuration.
 */
export class SmtpStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('smtpDoctor.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[];
  private pending: ReturnType<typeof setTimeout> | undefined;
  private shown = false;

  constructor(private readonly sources: StatusSources) {
    this.item.name = 'SMTP Doctor';
    this.item.command = { command: RESULTS_VIEW_COMMAND, title: 'Show SMTP Doctor results' };
    this.subscriptions = [...sources.changes, sources.live.onDidChange].map((event) => event(() => this.schedule()));
    this.update();
  }

  /** What the item shows now (for tests): its text, and whether it is visible. */
  get state(): { readonly text: string; readonly visible: boolean } {
    return { text: this.item.text, visible: this.shown };
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
    const progress = live.progress;
    if (progress) {
      this.item.text = `$(sync~spin) $(mail) ${progress.done}/${progress.total}`;
      tooltip.appendMarkdown(`\n\nLive checks are running: ${progress.done} of ${progress.total} done. Click to open the results.`);
    } else {
      this.item.text = errors || warnings ? `$(mail) $(error) ${errors} $(warning) ${warnings}` : '$(mail) $(check)';
      const report = live.lastReport;
      if (report) {
        const open = report.probes.filter((p) => p.status === 'open').length;
        tooltip.appendMarkdown(`\n\nLast live check: ${open}/${report.probes.length} SMTP port(s) open${report.incomplete ? ' (incomplete)' : ''}.`);
      }
      tooltip.appendMarkdown('\n\nClick to open the results.');
    }
    this.item.tooltip = tooltip;
    const show = !!progress || !!live.targets || this.sources.hasMailConfig();
    if (show !== this.shown) {
      this.shown = show;
      if (show) this.item.show();
      else this.item.hide();
    }
  }

  dispose(): void {
    clearTimeout(this.pending);
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
