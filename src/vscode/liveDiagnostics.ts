import * as vscode from 'vscode';
import type { Finding } from '../core/model';
import { applyFindingPolicy } from '../core/engine/findingPolicy';
import { hasTargets, targetsNamedIn } from '../core/engine/liveMerge';
import { type LiveProgressStep, type LiveRunSettings, LiveSession, type LiveSessionRun, probeTargetsFor } from '../core/engine/liveSession';
import type { Workspace } from '../core/engine/workspace';
import { liveTargetsOf } from '../core/engine/workspaceLiveTargets';
import type { LiveCheckReport, LiveResult } from '../core/live/liveChecks';
import type { LiveTargets, ProbeTarget } from '../core/live/liveTargets';
import type { SmtpProbeResult } from '../core/live/probeTypes';
import { readSystemResolvers } from '../core/node/systemResolvers';
import type { SmtpDoctorConfig } from './config';
import { type Log, NO_LOG } from './log';

export interface LiveRunOptions {
  /** Progress in the status bar rather than a notification (runs started by a save or an open). */
  readonly quiet?: boolean;
  /** Progress in this view (a run whose answer the view shows; Cancel Live Checks is in its title bar). */
  readonly progressView?: string;
  /** Ask the network again rather than reuse results of the last minute (the user asked for a re-check). */
  readonly fresh?: boolean;
  readonly title?: string;
}

/** What one run found (only its own checks), and whether it was cancelled. */
export type LiveRunReport = LiveSessionRun;

/** Where the user sets DNS servers, named when they do not answer. */
export const DNS_SERVERS_SETTING = 'smtpDoctor.dnsServers';

/** The live-check settings of a run, from the extension's settings. */
function runSettings(cfg: SmtpDoctorConfig): LiveRunSettings {
  return {
    concurrency: cfg.concurrency,
    stepTimeoutMs: cfg.timeoutMs,
    dnsServers: cfg.dnsServers.length ? cfg.dnsServers : undefined,
    dnsSetting: DNS_SERVERS_SETTING,
    ehloName: cfg.ehloName,
    referenceHosts: cfg.outbound25ProbeHosts,
    dnsblZones: cfg.dnsblZones,
    relayTest: cfg.relayTest,
  };
}

/**
 * Live results (ports, TLS, certificates, MX, PTR) as findings on the config values that named each host.
 * They hold until the file changes: an edited line may name another host. The engine's LiveSession runs the
 * checks and merges re-checks; this class shows its progress and findings in the editor.
 */
export class LiveDiagnostics implements vscode.Disposable {
  private readonly findingsByUri = new Map<string, Finding[]>();
  private readonly findingsChanged = new vscode.EventEmitter<readonly string[]>();
  /** The files (URI strings) whose live findings changed, for the one publisher of diagnostics. */
  readonly onDidChangeFindings = this.findingsChanged.event;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a run starts, as each result arrives, and when it ends or is cleared. */
  readonly onDidChange = this.changed.event;
  private readonly session: LiveSession;
  private expiry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly workspace: Workspace,
    private readonly config: () => SmtpDoctorConfig,
    log: Log = NO_LOG,
  ) {
    this.session = new LiveSession({
      settings: () => runSettings(this.config()),
      systemDnsServers: readSystemResolvers,
      onReport: (report) => this.show(report.findings),
      onChange: () => this.changed.fire(),
      log,
    });
  }

  get isRunning(): boolean {
    return this.session.isRunning;
  }

  /** Progress of the run under way (undefined when none runs). */
  get progress(): { readonly done: number; readonly total: number } | undefined {
    return this.session.progress;
  }

  get lastReport(): LiveCheckReport | undefined {
    return this.session.report();
  }

  /** What the last (or current) run checks. */
  get targets(): LiveTargets | undefined {
    return this.session.targets;
  }

  /** Results of the current run as they arrive, for panels that update live. */
  get partial(): readonly LiveResult[] {
    return this.session.partial;
  }

  /** What the configs the workspace holds name, for the live checks. */
  workspaceTargets(): LiveTargets {
    return liveTargetsOf(this.workspace.result(), (file) => this.workspace.textOf(file));
  }

  /** The latest probe of host:port (for its transcript), from the run under way or the last one. */
  probeResult(host: string, port: number): SmtpProbeResult | undefined {
    return this.session.probeResult(host, port);
  }

  /** Drops what the configs no longer name: a host removed from a file leaves the results (hosts checked by hand stay). */
  prune(): void {
    if (!this.session.targets || this.session.isRunning) return;
    this.session.prune(this.workspaceTargets());
  }

  /** Forgets a host checked by hand (Check SMTP Port) that no config names. */
  removeCheckedHost(host: string, port: number): boolean {
    return this.session.removeCheckedHost(host, port);
  }

  findingsFor(uri: vscode.Uri): readonly Finding[] {
    return this.findingsByUri.get(uri.toString()) ?? [];
  }

  /**
   * Runs every live check the workspace's configs call for, with a cancellable progress notification. With
   * `only`, just the checks of hosts those files name (URI strings), keeping every other result.
   */
  async run(options: LiveRunOptions & { readonly only?: ReadonlySet<string> } = {}): Promise<LiveRunReport | undefined> {
    const targets = this.workspaceTargets();
    if (!options.only) return this.execute(targets, false, options);
    const subset = targetsNamedIn(targets, options.only);
    // Nothing to check there: no progress to show, and the session leaves the results (and any run) alone.
    return hasTargets(subset) ? this.execute(subset, true, options) : this.session.recheck(subset);
  }

  /**
   * Probes `host` on `ports` (Check SMTP Port), keeping every other result. Where the workspace names that
   * host:port (`known`), results land on those lines too.
   */
  runProbes(host: string, ports: readonly number[], options: LiveRunOptions & { readonly known?: readonly ProbeTarget[] } = {}): Promise<LiveRunReport | undefined> {
    return this.execute(probeTargetsFor(host, ports, options.known), true, options);
  }

  private async execute(targets: LiveTargets, merge: boolean, options: LiveRunOptions): Promise<LiveRunReport | undefined> {
    const location = options.progressView ? { viewId: options.progressView } : options.quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification;
    const cancellable = !options.quiet && !options.progressView;
    return vscode.window.withProgress({ location, title: options.title ?? 'SMTP Doctor: live checks', cancellable }, (progress, token) => {
      const abort = new AbortController();
      const subscription = token.onCancellationRequested(() => abort.abort());
      const runOptions = {
        fresh: options.fresh,
        signal: abort.signal,
        onProgress: (p: LiveProgressStep) => progress.report({ message: `${p.done}/${p.total} · ${p.label}`, increment: p.total ? (100 * p.step) / p.total : undefined }),
      };
      return (merge ? this.session.recheck(targets, runOptions) : this.session.run(targets, runOptions)).finally(() => subscription.dispose());
    });
  }

  cancel(): void {
    this.session.cancel();
  }

  /** Drops a file's live results (it changed, or was deleted). */
  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    if (this.findingsByUri.delete(key)) this.findingsChanged.fire([key]);
    this.session.forgetFile(key);
  }

  clear(): void {
    const files = [...this.findingsByUri.keys()];
    this.findingsByUri.clear();
    this.findingsChanged.fire(files);
    this.session.clear();
  }

  allFindings(): Finding[] {
    return [...this.findingsByUri.values()].flat();
  }

  private show(findings: readonly Finding[]): void {
    // A live result describes the network at one moment: it goes away after smtpDoctor.live.resultsExpireMinutes.
    clearTimeout(this.expiry);
    const minutes = this.config().resultsExpireMinutes;
    if (minutes > 0) this.expiry = setTimeout(() => this.clear(), minutes * 60_000);
    const before = [...this.findingsByUri.keys()];
    this.findingsByUri.clear();
    // The texts the workspace holds: a live result is dropped when its file is edited, so they are the run's.
    for (const f of applyFindingPolicy(findings, { textOf: (file) => this.workspace.textOf(file), severityOverrides: this.config().rulesFor })) {
      this.findingsByUri.set(f.file, [...(this.findingsByUri.get(f.file) ?? []), f]);
    }
    this.findingsChanged.fire([...new Set([...before, ...this.findingsByUri.keys()])]);
  }

  watch(): vscode.Disposable[] {
    return [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.forget(e.document.uri);
      }),
    ];
  }

  dispose(): void {
    clearTimeout(this.expiry);
    this.session.dispose();
    this.findingsChanged.dispose();
    this.changed.dispose();
  }
}
