import * as vscode from 'vscode';
import { checkFiles } from '../core/check';
import type { Finding } from '../core/model';
import { applyFindingPolicy } from '../core/engine/findingPolicy';
import { AUTH_CHECK_LABELS } from '../core/live/mailAuth/labels';
import { type LiveCheckReport, type LiveResult, runLiveChecks } from '../core/live/liveChecks';
import { readSystemResolvers } from '../core/node/systemResolvers';
import type { ConfigLocation } from '../core/live/liveFindings';
import type { LiveTargets, ProbeTarget } from '../core/live/liveTargets';
import type { SmtpProbeResult } from '../core/live/probeTypes';
import { needsDns } from '../core/live/dnsChecks';
import { collectLiveTargets } from '../core/live/liveTargets';
import { CheckScheduler } from '../core/live/scheduler';
import type { LintInput } from '../core/workspaceLint';
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
export interface LiveRunReport extends LiveCheckReport {
  readonly cancelled: boolean;
}

/** Where the user sets DNS servers, named when they do not answer. */
export const DNS_SERVERS_SETTING = 'smtpDoctor.dnsServers';

/**
 * Live results (ports, TLS, certificates, MX, PTR) as findings on the config values that named each host.
 * They hold until the file changes: an edited line may name another host.
 */
export class LiveDiagnostics implements vscode.Disposable {
  private readonly findingsByUri = new Map<string, Finding[]>();
  private readonly findingsChanged = new vscode.EventEmitter<readonly string[]>();
  /** The files (URI strings) whose live findings changed, for the one publisher of diagnostics. */
  readonly onDidChangeFindings = this.findingsChanged.event;
  /** The run under way: how many of its own checks there are and how many have finished (not earlier results). */
  private current: { done: number; total: number } | undefined;
  private scheduler: CheckScheduler | undefined;
  private schedulerConcurrency = 0;
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

  /** Progress of the run under way (undefined when none runs). */
  get progress(): { readonly done: number; readonly total: number } | undefined {
    return this.running ? this.current : undefined;
  }

  constructor(
    private readonly config: () => SmtpDoctorConfig,
    private readonly log: Log = NO_LOG,
  ) {}

  /** The latest probe of host:port (for its transcript), from the run under way or the last one. */
  probeResult(host: string, port: number): SmtpProbeResult | undefined {
    const key = probeKey(host, port);
    const fromRun = [...this.partial].reverse().find((r) => r.kind === 'probe' && probeKey(r.result.host, r.result.port) === key);
    if (fromRun?.kind === 'probe') return fromRun.result;
    return this.lastReport?.probes.find((p) => probeKey(p.host, p.port) === key);
  }

  /**
   * Drops what the configs no longer name: a host removed from a file leaves the results (hosts checked by
   * hand stay). `files` are the configs as they are now.
   */
  prune(files: readonly LintInput[]): void {
    const t = this.targets;
    if (!t || this.running) return;
    const texts = new Map(files.map((f) => [f.file, f.text]));
    const result = checkFiles(files);
    const now = collectLiveTargets(result.postfixInstances, result.endpoints, result.transports, result.dkimSelectors, (f) => texts.get(f));
    const namedIn = (keys: Iterable<[string, readonly ConfigLocation[]]>) => {
      const map = new Map<string, Set<string>>();
      for (const [k, locations] of keys) map.set(k, new Set(locations.map((l) => l.file)));
      return map;
    };
    const probes = namedIn(now.probes.map((p) => [probeKey(p.host, p.port), p.locations]));
    const domains = namedIn(now.domains.map((d) => [d.domain, d.locations]));
    const ptrs = namedIn(now.ptrs.map((p) => [p.hostOrAddress, p.locations]));
    const dkim = namedIn((now.dkim ?? []).map((k) => [`${k.selector}._domainkey.${k.domain}`, k.locations]));
    let changed = false;
    const keep = <T extends { locations: readonly ConfigLocation[] }>(items: readonly T[], key: (t: T) => string, named: Map<string, Set<string>>): T[] =>
      items.flatMap((item) => {
        if (!item.locations.length) return [item];
        const files = named.get(key(item));
        const locations = item.locations.filter((l) => files?.has(l.file));
        if (locations.length === item.locations.length) return [item];
        changed = true;
        return locations.length ? [{ ...item, locations }] : [];
      });
    const next: LiveTargets = {
      probes: keep(t.probes, (p) => probeKey(p.host, p.port), probes),
      domains: keep(t.domains, (d) => d.domain, domains),
      ptrs: keep(t.ptrs, (p) => p.hostOrAddress, ptrs),
      dkim: keep(t.dkim ?? [], (k) => `${k.selector}._domainkey.${k.domain}`, dkim),
    };
    if (!changed) return;
    this.targets = next;
    this.log.info('live results: hosts no config names any more were removed');
    this.changed.fire();
  }

  /** Forgets a host checked by hand (Check SMTP Port) that no config names. */
  removeCheckedHost(host: string, port: number): boolean {
    const t = this.targets;
    const key = probeKey(host, port);
    if (!t || !t.probes.some((p) => !p.locations.length && probeKey(p.host, p.port) === key)) return false;
    this.targets = { ...t, probes: t.probes.filter((p) => p.locations.length || probeKey(p.host, p.port) !== key) };
    const isIt = (r: LiveResult) => r.kind === 'probe' && probeKey(r.result.host, r.result.port) === key && !r.target.locations.length;
    for (let i = this.partial.length - 1; i >= 0; i--) if (isIt(this.partial[i])) this.partial.splice(i, 1);
    if (this.lastReport) this.lastReport = { ...this.lastReport, probes: this.lastReport.probes.filter((p) => probeKey(p.host, p.port) !== key || this.targets!.probes.some((x) => probeKey(x.host, x.port) === key)) };
    this.log.info(`removed ${host}:${port} from the hosts checked by hand`);
    this.changed.fire();
    return true;
  }

  findingsFor(uri: vscode.Uri): readonly Finding[] {
    return this.findingsByUri.get(uri.toString()) ?? [];
  }

  /**
   * Runs every live check the given files call for, with a cancellable progress notification. With `only`,
   * just the checks of hosts those files name (URI strings), keeping every other result.
   */
  async run(files: readonly LintInput[], options: LiveRunOptions & { readonly only?: ReadonlySet<string> } = {}): Promise<LiveRunReport | undefined> {
    for (const f of files) this.texts.set(f.file, f.text);
    const result = checkFiles(files, { postfixVersion: files[0] && this.config().postfixVersionFor(files[0].file) });
    let targets = collectLiveTargets(result.postfixInstances, result.endpoints, result.transports, result.dkimSelectors, (file) => this.texts.get(file));
    if (options.only) {
      const only = options.only;
      const named = <T extends { locations: readonly ConfigLocation[] }>(t: T) => t.locations.some((l) => only.has(l.file));
      targets = { probes: targets.probes.filter(named), domains: targets.domains.filter(named), ptrs: targets.ptrs.filter(named), dkim: targets.dkim?.filter(named) };
      // Nothing to check there: leave the results (and any run) alone.
      if (!targets.probes.length && !targets.domains.length && !targets.ptrs.length && !targets.dkim?.length) return { probes: [], mx: [], ptr: [], outbound25: [], auth: [], findings: [], incomplete: false, cancelled: false };
    }
    return this.execute(targets, !!options.only, options);
  }

  /**
   * Probes `host` on `ports` (Check SMTP Port), keeping every other result. Where the workspace names that
   * host:port (`known`), results land on those lines too.
   */
  runProbes(host: string, ports: readonly number[], options: LiveRunOptions & { readonly known?: readonly ProbeTarget[] } = {}): Promise<LiveRunReport | undefined> {
    const known = new Map((options.known ?? []).map((t) => [probeKey(t.host, t.port), t]));
    const probes = [...new Set(ports)].map((port) => known.get(probeKey(host, port)) ?? { host, port, locations: [] });
    return this.execute({ probes, domains: [], ptrs: [] }, true, options);
  }

  private async execute(targets: LiveTargets, merge: boolean, options: LiveRunOptions): Promise<LiveRunReport | undefined> {
    this.cancel();
    const cfg = this.config();
    if (!this.scheduler || (this.schedulerConcurrency !== cfg.concurrency && !this.running)) {
      this.scheduler?.cancelAll();
      this.scheduler = new CheckScheduler({ concurrency: cfg.concurrency, cacheTtlMs: 60_000 });
      this.schedulerConcurrency = cfg.concurrency;
    }
    if (options.fresh) this.scheduler.clearCache();
    const scheduler = this.scheduler;
    const source = new vscode.CancellationTokenSource();
    this.running = source;
    const previous = merge ? this.lastReport : undefined;
    const previousTargets = merge ? this.targets : undefined;
    this.targets = previousTargets ? mergeTargets(previousTargets, targets) : targets;
    this.partial.length = 0;
    if (previous) this.partial.push(...carriedOver(previous, this.targets, targets));
    this.changed.fire();
    const total = targets.probes.length + targets.domains.length + targets.ptrs.length;
    this.current = { done: 0, total };
    const log = this.log;
    log.info(`live checks${merge ? ' (re-check)' : ''}: ${targets.probes.length} SMTP port(s), ${targets.domains.length} MX domain(s), ${targets.ptrs.length} reverse-DNS target(s)`);
    for (const t of targets.probes) log.info(`start ${t.host}:${t.port}`);
    for (const d of targets.domains) log.info(`start MX ${d.domain}`);
    for (const p of targets.ptrs) log.info(`start PTR ${p.hostOrAddress}`);
    const started = Date.now();
    const location = options.progressView ? { viewId: options.progressView } : options.quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification;
    const cancellable = !options.quiet && !options.progressView;
    return vscode.window.withProgress({ location, title: options.title ?? 'SMTP Doctor: live checks', cancellable }, async (progress, token) => {
      const abort = new AbortController();
      const stop = () => abort.abort();
      const subscriptions = [token.onCancellationRequested(stop), source.token.onCancellationRequested(stop)];
      let done = 0;
      try {
        const report = await runLiveChecks(targets, {
          scheduler,
          signal: abort.signal,
          stepTimeoutMs: cfg.timeoutMs,
          dnsServers: cfg.dnsServers.length ? cfg.dnsServers : undefined,
          systemDnsServers: await readSystemResolvers(),
          dnsSetting: DNS_SERVERS_SETTING,
          ehloName: cfg.ehloName,
          referenceHosts: cfg.outbound25ProbeHosts,
          dnsblZones: cfg.dnsblZones,
          relayTest: cfg.relayTest,
          onResult: (r) => {
            log.info(describeResult(r));
            if (this.running !== source) return;
            this.partial.push(r);
            this.changed.fire();
            // Progress counts the targets; mail-authentication results come on top of them. With a dead DNS server
            // every target that needs DNS is skipped: it counts as done at once.
            if (r.kind === 'resolver' && r.result.status === 'dead') {
              const skipped = targets.domains.length + targets.ptrs.length + (cfg.dnsServers.length ? targets.probes.filter((t) => needsDns(t.host)).length : 0);
              done += skipped;
              this.current = { done, total };
              progress.report({ message: `${done}/${total} · DNS server not answering`, increment: total ? (100 * skipped) / total : undefined });
              return;
            }
            if (r.kind === 'outbound25' || r.kind === 'auth' || r.kind === 'resolver' || r.kind === 'tls-scan' || r.kind === 'relay' || (r.kind === 'probe' && r.target.mxOf)) return;
            done++;
            this.current = { done, total };
            const label = r.kind === 'probe' ? `${r.result.host}:${r.result.port} ${r.result.status}` : r.kind === 'mx' ? `MX ${r.result.domain}` : `PTR ${r.result.address}`;
            progress.report({ message: `${done}/${total} · ${label}`, increment: total ? 100 / total : undefined });
          },
        });
        const cancelled = abort.signal.aborted;
        const ms = Date.now() - started;
        if (cancelled) log.warn(`live checks cancelled after ${ms} ms (${done}/${total} done)`);
        else log.info(`live checks done in ${ms} ms: ${report.findings.length} finding(s)${report.incomplete ? ', incomplete (deadline)' : ''}`);
        // A run replaced by a newer one leaves the results to that one.
        if (this.running === source) {
          this.lastReport = previous ? mergeReports(previous, report, targets) : report;
          this.show(this.lastReport.findings);
        } else log.info('superseded by a newer run: results dropped');
        return { ...report, cancelled };
      } catch (error) {
        log.error('live checks failed', error);
        throw error;
      } finally {
        for (const s of subscriptions) s.dispose();
        if (this.running === source) this.running = undefined;
        source.dispose();
        this.changed.fire();
      }
    });
  }

  cancel(): void {
    if (this.running && !this.running.token.isCancellationRequested) {
      this.log.info('cancelling live checks');
      this.running.cancel();
    }
  }

  /** Drops a file's live results (it changed, or was deleted). */
  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    if (this.findingsByUri.delete(key)) this.findingsChanged.fire([key]);
    if (this.lastReport?.findings.some((f) => f.file === key)) this.lastReport = { ...this.lastReport, findings: this.lastReport.findings.filter((f) => f.file !== key) };
  }

  clear(): void {
    const files = [...this.findingsByUri.keys()];
    this.findingsByUri.clear();
    this.findingsChanged.fire(files);
    this.scheduler?.clearCache();
    this.lastReport = undefined;
    this.targets = undefined;
    this.partial.length = 0;
    this.changed.fire();
  }

  allFindings(): Finding[] {
    return [...this.findingsByUri.values()].flat();
  }

  private expiry: ReturnType<typeof setTimeout> | undefined;
  /** Config texts the live runs were made from (URI string → text), for in-place suppressions. */
  private readonly texts = new Map<string, string>();

  private show(findings: readonly Finding[]): void {
    // A live result describes the network at one moment: it goes away after smtpDoctor.live.resultsExpireMinutes.
    clearTimeout(this.expiry);
    const minutes = this.config().resultsExpireMinutes;
    if (minutes > 0) this.expiry = setTimeout(() => this.clear(), minutes * 60_000);
    const before = [...this.findingsByUri.keys()];
    this.findingsByUri.clear();
    // The texts of the last run: a live result is dropped when its file is edited, so they are current.
    for (const f of applyFindingPolicy(findings, { textOf: (file) => this.texts.get(file), severityOverrides: this.config().rulesFor })) {
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
    this.cancel();
    this.scheduler?.cancelAll();
    this.findingsChanged.dispose();
    this.changed.dispose();
  }
}

const probeKey = (host: string, port: number) => `${host.toLowerCase()}:${port}`;

function byKey<T>(items: readonly T[], key: (t: T) => string, replacements: readonly T[]): T[] {
  const map = new Map(items.map((t) => [key(t), t]));
  for (const t of replacements) map.set(key(t), t);
  return [...map.values()];
}

/** The targets of earlier runs, with those checked again replaced. */
function mergeTargets(previous: LiveTargets, next: LiveTargets): LiveTargets {
  return {
    probes: byKey(previous.probes, (t) => probeKey(t.host, t.port), next.probes),
    domains: byKey(previous.domains, (t) => t.domain, next.domains),
    ptrs: byKey(previous.ptrs, (t) => t.hostOrAddress, next.ptrs),
    dkim: byKey(previous.dkim ?? [], (t) => `${t.selector}._domainkey.${t.domain}`, next.dkim ?? []),
  };
}

/** Earlier results of what a re-check does not check again, as the results of this run so far. */
function carriedOver(previous: LiveCheckReport, all: LiveTargets, rerun: LiveTargets): LiveResult[] {
  const probes = new Set(rerun.probes.map((t) => probeKey(t.host, t.port)));
  const domains = new Set(rerun.domains.map((t) => t.domain));
  const ptrs = new Set(rerun.ptrs.map((t) => t.hostOrAddress));
  const targetOf = new Map(all.probes.map((t) => [probeKey(t.host, t.port), t]));
  const out: LiveResult[] = [];
  // What the last run learnt of the DNS servers holds until this run asks them again.
  if (previous.resolver) out.push({ kind: 'resolver', result: previous.resolver });
  for (const p of previous.probes) {
    const key = probeKey(p.host, p.port);
    if (!probes.has(key)) out.push({ kind: 'probe', result: p, target: targetOf.get(key) ?? { host: p.host, port: p.port, locations: [] } });
  }
  for (const m of previous.mx) if (!domains.has(m.domain)) out.push({ kind: 'mx', result: m });
  for (const r of previous.tlsScans ?? []) if (!probes.has(probeKey(r.host, r.port))) out.push({ kind: 'tls-scan', result: r });
  for (const r of previous.relayTests ?? []) if (!probes.has(probeKey(r.host, r.port))) out.push({ kind: 'relay', result: r });
  for (const r of previous.ptr) if (!ptrs.has(r.address)) out.push({ kind: 'ptr', result: r });
  for (const d of previous.outbound25) if (!probes.has(probeKey(d.host, 25))) out.push({ kind: 'outbound25', result: d });
  // Mail-authentication results of subjects the re-check does not touch (addresses: when no PTR target is rerun).
  const dkim = new Set((rerun.dkim ?? []).map((t) => `${t.selector}._domainkey.${t.domain}`.toLowerCase()));
  for (const a of previous.auth) {
    const rerunning = a.subjectKind === 'domain' ? domains.has(a.subject) : a.subjectKind === 'dkim' ? dkim.has(a.subject.toLowerCase()) : rerun.ptrs.length > 0;
    if (!rerunning) out.push({ kind: 'auth', result: a });
  }
  return out;
}

const sameLocation = (f: Finding, at: ConfigLocation) =>
  f.file === at.file && f.range.start.line === at.range.start.line && f.range.start.character === at.range.start.character && f.range.end.line === at.range.end.line && f.range.end.character === at.range.end.character;

/** The earlier report with the results of a re-check in place of what it checked again. */
function mergeReports(previous: LiveCheckReport, next: LiveCheckReport, rerun: LiveTargets): LiveCheckReport {
  const smtpAt = rerun.probes.flatMap((t) => t.locations);
  const dnsAt = [...rerun.domains, ...rerun.ptrs, ...(rerun.dkim ?? [])].flatMap((t) => t.locations);
  const stale = (f: Finding) => (f.ruleId.startsWith('smtp/') ? smtpAt : dnsAt).some((at) => sameLocation(f, at));
  return {
    probes: byKey(previous.probes, (p) => probeKey(p.host, p.port), next.probes),
    mx: byKey(previous.mx, (m) => m.domain, next.mx),
    ptr: byKey(previous.ptr, (r) => r.address, next.ptr),
    outbound25: byKey(previous.outbound25, (d) => d.host.toLowerCase(), next.outbound25),
    auth: byKey(previous.auth, (a) => `${a.check}:${a.subject.toLowerCase()}`, next.auth),
    findings: [...previous.findings.filter((f) => !stale(f) && !(next.resolver && f.ruleId === 'dns/resolver-unreachable')), ...next.findings],
    incomplete: next.incomplete,
    tlsScans: byKey(previous.tlsScans ?? [], (r) => probeKey(r.host, r.port), next.tlsScans ?? []),
    relayTests: byKey(previous.relayTests ?? [], (r) => probeKey(r.host, r.port), next.relayTests ?? []),
    ...((next.resolver ?? previous.resolver) ? { resolver: next.resolver ?? previous.resolver } : {}),
  };
}

/** One log line per result: what, how it ended, how long it took (no banners, no values). */
function describeResult(r: LiveResult): string {
  switch (r.kind) {
    case 'probe': {
      const p = r.result;
      const steps = Object.entries(p.timings)
        .filter(([step]) => step !== 'total')
        .map(([step, ms]) => `${step} ${Math.round(ms as number)}`)
        .join(', ');
      return `${p.host}:${p.port} ${p.status} in ${Math.round(p.timings.total)} ms${steps ? ` (${steps})` : ''}${p.status !== 'open' && p.detail ? ` — ${p.detail}` : ''}${p.tls?.version ? ` ${p.tls.version}` : ''}`;
    }
    case 'mx':
      return `MX ${r.result.domain} ${r.result.status} in ${Math.round(r.result.ms)} ms${r.result.hosts.length ? ` (${r.result.hosts.map((h) => h.exchange).join(', ')})` : r.result.error ? ` — ${r.result.error}` : ''}`;
    case 'ptr':
      return `PTR ${r.result.address} ${r.result.status} in ${Math.round(r.result.ms)} ms${r.result.error ? ` — ${r.result.error}` : ''}`;
    case 'outbound25':
      return `outbound port 25 via ${r.result.host}: ${r.result.verdict}`;
    case 'auth':
      return `${AUTH_CHECK_LABELS[r.result.check]} ${r.result.subject}: ${r.result.error ? `not checked — ${r.result.error}` : `${r.result.problems.length} problem(s)`} in ${Math.round(r.result.ms)} ms`;
    case 'tls-scan':
      return `TLS scan ${r.result.host}:${r.result.port}: ${r.result.error ? `not scanned — ${r.result.error}` : r.result.versions.filter((v) => v.accepted).map((v) => v.version).join(', ') || 'no version'} in ${r.result.ms} ms`;
    case 'relay':
      return `relay test ${r.result.host}:${r.result.port}: ${r.result.verdict} (${r.result.attempts.filter((a) => a.accepted).length} of ${r.result.attempts.length} accepted) in ${r.result.ms} ms`;
    case 'resolver':
      return `DNS servers ${r.result.servers.join(', ') || '(none)'}: ${r.result.status}${r.result.error ? ` (${r.result.error})` : ''} in ${Math.round(r.result.ms)} ms`;
  }
}
