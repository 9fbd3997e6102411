import * as vscode from 'vscode';
import { checkFiles } from '../core/check';
import { type Finding, applySeverityOverrides } from '../core/model';
import { type LiveCheckReport, type LiveResult, runLiveChecks } from '../core/net/liveChecks';
import type { LiveTargets } from '../core/net/liveTargets';
import { collectLiveTargets } from '../core/net/liveTargets';
import { CheckScheduler } from '../core/net/scheduler';
import type { LintInput } from '../core/workspaceLint';
import type { SmtpDoctorConfig } from './config';
import { toDiagnostic } from './convert';

/**
 * Live results (ports, TLS, certificates, MX, PTR) as diagnostics on the config lines that named each
 * host. They hold until the file changes: an edited line may name another host.
 */
export class LiveDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('smtp-doctor-live');
  private readonly findingsByUri = new Map<string, Finding[]>();
  private scheduler: CheckScheduler | undefined;
  private running: vscode.CancellationTokenSource | undefined;
  lastReport: LiveCheckReport | undefined;
  /** What the last (or current) run checks. */
  targets: LiveTargets | undefined;
  /** Results of the current run as they arrive, for panels that update live. */
  readonly partial: LiveResult[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a run starts, as each result arrives, and when it ends or is cleared. */
  readonly onDidChange = this.changed.event;

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly config: () => SmtpDoctorConfig,
  ) {}

  findingsFor(uri: vscode.Uri): readonly Finding[] {
    return this.findingsByUri.get(uri.toString()) ?? [];
  }

  /** Runs every live check the given files call for, with a cancellable progress notification. */
  async run(files: readonly LintInput[]): Promise<LiveCheckReport | undefined> {
    this.cancel();
    const cfg = this.config();
    this.scheduler ??= new CheckScheduler({ concurrency: cfg.concurrency, cacheTtlMs: 60_000 });
    const source = new vscode.CancellationTokenSource();
    this.running = source;
    const result = checkFiles(files);
    const targets = collectLiveTargets(result.postfixInstances, result.endpoints, result.transports);
    this.targets = targets;
    this.partial.length = 0;
    this.changed.fire();
    const total = targets.probes.length + targets.domains.length + targets.ptrs.length;
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'SMTP Doctor: live checks', cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const stop = () => abort.abort();
        const subscriptions = [token.onCancellationRequested(stop), source.token.onCancellationRequested(stop)];
        let done = 0;
        try {
          const report = await runLiveChecks(targets, {
            scheduler: this.scheduler,
            signal: abort.signal,
            stepTimeoutMs: cfg.timeoutMs,
            dnsServers: cfg.dnsServers.length ? cfg.dnsServers : undefined,
            ehloName: cfg.ehloName,
            referenceHosts: cfg.outbound25ProbeHosts,
            onResult: (r) => {
              this.partial.push(r);
              this.changed.fire();
              if (r.kind === 'outbound25') return;
              done++;
              const label = r.kind === 'probe' ? `${r.result.host}:${r.result.port} ${r.result.status}` : r.kind === 'mx' ? `MX ${r.result.domain}` : `PTR ${r.result.address}`;
              progress.report({ message: `${done}/${total} · ${label}`, increment: total ? 100 / total : undefined });
            },
          });
          this.show(report.findings);
          this.lastReport = report;
          return report;
        } finally {
          for (const s of subscriptions) s.dispose();
          if (this.running === source) this.running = undefined;
          source.dispose();
          this.changed.fire();
        }
      },
    );
  }

  cancel(): void {
    this.running?.cancel();
  }

  /** Drops a file's live results (it changed, or was deleted). */
  forget(uri: vscode.Uri): void {
    if (this.findingsByUri.delete(uri.toString())) this.collection.delete(uri);
  }

  clear(): void {
    this.findingsByUri.clear();
    this.collection.clear();
    this.scheduler?.clearCache();
    this.lastReport = undefined;
    this.targets = undefined;
    this.partial.length = 0;
    this.changed.fire();
  }

  allFindings(): Finding[] {
    return [...this.findingsByUri.values()].flat();
  }

  private show(findings: readonly Finding[]): void {
    this.findingsByUri.clear();
    this.collection.clear();
    for (const f of applySeverityOverrides(findings, this.config().rules)) {
      this.findingsByUri.set(f.file, [...(this.findingsByUri.get(f.file) ?? []), f]);
    }
    for (const [file, list] of this.findingsByUri) this.collection.set(vscode.Uri.parse(file), list.map((f) => toDiagnostic(f, this.extensionUri)));
  }

  watch(): vscode.Disposable[] {
    return [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.forget(e.document.uri);
      }),
    ];
  }

  dispose(): void {
    this.cancel();
    this.scheduler?.cancelAll();
    this.collection.dispose();
    this.changed.dispose();
  }
}
