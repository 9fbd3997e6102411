// The network half of the engine: runs the live checks of a set of targets, streams each result as it
// arrives, re-checks a subset (a file's targets, one host:port) into what earlier runs found, and keeps the
// merged report. Every front end (CLI, editor, a language server) drives its live checks through one of these.
import type { LiveCheckOptions, LiveCheckReport, LiveResult } from '../live/liveChecks';
import { runLiveChecks } from '../live/liveChecks';
import { needsDns } from '../live/dnsChecks';
import type { LiveTargets, ProbeTarget } from '../live/liveTargets';
import type { SmtpProbeResult } from '../live/probeTypes';
import { CheckScheduler } from '../live/scheduler';
import { EMPTY_LIVE_REPORT, carriedOver, hasTargets, mergeReports, mergeTargets, probeKey, prunedTargets } from './liveMerge';
import { describeLiveResult } from './liveResultText';

/** What a run is set up with, read when it starts (a front end's settings may change between runs). */
export type LiveRunSettings = Omit<LiveCheckOptions, 'onResult' | 'scheduler' | 'signal' | 'systemDnsServers'>;

export interface LiveSessionLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface LiveSessionOptions {
  readonly settings?: LiveRunSettings | (() => LiveRunSettings);
  /** The system's DNS servers, asked at the start of each run (core/node/systemResolvers reads them; the engine reads no files). */
  readonly systemDnsServers?: () => Promise<readonly string[]> | readonly string[];
  /** How long a check's answer is reused by later runs, unless a run asks for fresh answers (default 60 s). */
  readonly cacheTtlMs?: number;
  /** Each result of the current run as it arrives (a superseded run's results are not passed on). */
  readonly onResult?: (result: LiveResult) => void;
  /** When a run's results become the current report (before the run's end is announced by onChange). */
  readonly onReport?: (report: LiveCheckReport) => void;
  /** When a run starts, as each result arrives, when it ends, and when targets or results are dropped. */
  readonly onChange?: () => void;
  readonly log?: LiveSessionLog;
}

/** How far the run under way is: its own targets (not results carried over), done of total. */
export interface LiveProgress {
  readonly done: number;
  readonly total: number;
}

/** One step of progress: how many targets it finished, and what it was. */
export interface LiveProgressStep extends LiveProgress {
  readonly step: number;
  readonly label: string;
}

export interface LiveRunOptions {
  /** Ask the network again rather than reuse recent answers. */
  readonly fresh?: boolean;
  /** Cancels the run (as cancel() does). */
  readonly signal?: AbortSignal;
  /** Called as targets finish. */
  readonly onProgress?: (progress: LiveProgressStep) => void;
}

/** What one run found (its own checks only), and how it ended. */
export interface LiveSessionRun extends LiveCheckReport {
  readonly cancelled: boolean;
  /** A newer run started before this one ended: its results were dropped. */
  readonly superseded: boolean;
}

const NO_LOG: LiveSessionLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Targets to probe `host` on `ports`; where the configs name that host:port (`known`), its results land on those lines too. */
export function probeTargetsFor(host: string, ports: readonly number[], known: readonly ProbeTarget[] = []): LiveTargets {
  const byKey = new Map(known.map((t) => [probeKey(t.host, t.port), t]));
  return { probes: [...new Set(ports)].map((port) => byKey.get(probeKey(host, port)) ?? { host, port, locations: [] }), domains: [], ptrs: [] };
}

export class LiveSession {
  private scheduler: CheckScheduler | undefined;
  private schedulerConcurrency: number | undefined;
  /** The run under way: its cancel switch and progress. */
  private running: { readonly abort: AbortController; progress: LiveProgress } | undefined;
  private current: LiveCheckReport | undefined;
  private currentTargets: LiveTargets | undefined;
  private readonly results: LiveResult[] = [];
  private readonly log: LiveSessionLog;

  constructor(private readonly options: LiveSessionOptions = {}) {
    this.log = options.log ?? NO_LOG;
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Progress of the run under way (undefined when none runs). */
  get progress(): LiveProgress | undefined {
    return this.running?.progress;
  }

  /** What the last (or current) run checks, with what earlier runs checked when it is a re-check. */
  get targets(): LiveTargets | undefined {
    return this.currentTargets;
  }

  /** Results of the current run as they arrive, after those a re-check carries over. */
  get partial(): readonly LiveResult[] {
    return this.results;
  }

  /** Everything the runs so far found, merged (undefined before the first run ends). */
  report(): LiveCheckReport | undefined {
    return this.current;
  }

  /** Runs the checks of `targets`, replacing every earlier result. */
  run(targets: LiveTargets, options: LiveRunOptions = {}): Promise<LiveSessionRun> {
    return this.execute(targets, false, options);
  }

  /**
   * Checks `subset` again and merges it into the earlier results: the results and findings of those
   * targets are replaced, every other one is kept. Nothing to check leaves everything (and any run) alone.
   */
  recheck(subset: LiveTargets, options: LiveRunOptions = {}): Promise<LiveSessionRun> {
    if (!hasTargets(subset)) return Promise.resolve({ ...EMPTY_LIVE_REPORT, cancelled: false, superseded: false });
    return this.execute(subset, true, options);
  }

  /** The latest probe of host:port (for its transcript), from the run under way or the report. */
  probeResult(host: string, port: number): SmtpProbeResult | undefined {
    const key = probeKey(host, port);
    const fromRun = [...this.results].reverse().find((r) => r.kind === 'probe' && probeKey(r.result.host, r.result.port) === key);
    if (fromRun?.kind === 'probe') return fromRun.result;
    return this.current?.probes.find((p) => probeKey(p.host, p.port) === key);
  }

  /** Drops the targets the configs no longer name (`now`: what they name today); not while a run is under way. */
  prune(now: LiveTargets): boolean {
    if (!this.currentTargets || this.running) return false;
    const next = prunedTargets(this.currentTargets, now);
    if (!next) return false;
    this.currentTargets = next;
    this.log.info('live results: hosts no config names any more were removed');
    this.options.onChange?.();
    return true;
  }

  /** Forgets a host checked by hand (no config names it), with its results. */
  removeCheckedHost(host: string, port: number): boolean {
    const t = this.currentTargets;
    const key = probeKey(host, port);
    if (!t || !t.probes.some((p) => !p.locations.length && probeKey(p.host, p.port) === key)) return false;
    const targets = { ...t, probes: t.probes.filter((p) => p.locations.length || probeKey(p.host, p.port) !== key) };
    this.currentTargets = targets;
    const isIt = (r: LiveResult) => r.kind === 'probe' && probeKey(r.result.host, r.result.port) === key && !r.target.locations.length;
    for (let i = this.results.length - 1; i >= 0; i--) if (isIt(this.results[i])) this.results.splice(i, 1);
    if (this.current) this.current = { ...this.current, probes: this.current.probes.filter((p) => probeKey(p.host, p.port) !== key || targets.probes.some((x) => probeKey(x.host, x.port) === key)) };
    this.log.info(`removed ${host}:${port} from the hosts checked by hand`);
    this.options.onChange?.();
    return true;
  }

  /** Drops the findings on a file (it changed: its lines may name other hosts now). */
  forgetFile(file: string): boolean {
    if (!this.current?.findings.some((f) => f.file === file)) return false;
    this.current = { ...this.current, findings: this.current.findings.filter((f) => f.file !== file) };
    return true;
  }

  /** Forgets every target and result, and the answers cached for later runs. */
  clear(): void {
    this.scheduler?.clearCache();
    this.current = undefined;
    this.currentTargets = undefined;
    this.results.length = 0;
    this.options.onChange?.();
  }

  cancel(): void {
    if (this.running && !this.running.abort.signal.aborted) {
      this.log.info('cancelling live checks');
      this.running.abort.abort();
    }
  }

  dispose(): void {
    this.cancel();
    this.scheduler?.cancelAll();
  }

  private settings(): LiveRunSettings {
    const s = this.options.settings;
    return (typeof s === 'function' ? s() : s) ?? {};
  }

  private async execute(targets: LiveTargets, merge: boolean, options: LiveRunOptions): Promise<LiveSessionRun> {
    this.cancel();
    const settings = this.settings();
    const concurrency = settings.concurrency ?? 32;
    // A run cut short above still uses the scheduler: a new one only when none runs.
    if (!this.scheduler || (this.schedulerConcurrency !== concurrency && !this.running)) {
      this.scheduler?.cancelAll();
      this.scheduler = new CheckScheduler({ concurrency, cacheTtlMs: this.options.cacheTtlMs ?? 60_000 });
      this.schedulerConcurrency = concurrency;
    }
    if (options.fresh) this.scheduler.clearCache();
    const scheduler = this.scheduler;
    const abort = new AbortController();
    const total = targets.probes.length + targets.domains.length + targets.ptrs.length;
    const run = { abort, progress: { done: 0, total } };
    this.running = run;
    const previous = merge ? this.current : undefined;
    const previousTargets = merge ? this.currentTargets : undefined;
    this.currentTargets = previousTargets ? mergeTargets(previousTargets, targets) : targets;
    this.results.length = 0;
    if (previous) this.results.push(...carriedOver(previous, this.currentTargets, targets));
    this.options.onChange?.();
    const log = this.log;
    log.info(`live checks${merge ? ' (re-check)' : ''}: ${targets.probes.length} SMTP port(s), ${targets.domains.length} MX domain(s), ${targets.ptrs.length} reverse-DNS target(s)`);
    for (const t of targets.probes) log.info(`start ${t.host}:${t.port}`);
    for (const d of targets.domains) log.info(`start MX ${d.domain}`);
    for (const p of targets.ptrs) log.info(`start PTR ${p.hostOrAddress}`);
    const started = Date.now();
    const stop = () => abort.abort();
    if (options.signal?.aborted) stop();
    options.signal?.addEventListener('abort', stop);
    let done = 0;
    const step = (count: number, label: string) => {
      done += count;
      run.progress = { done, total };
      options.onProgress?.({ done, total, step: count, label });
    };
    try {
      const report = await runLiveChecks(targets, {
        ...settings,
        scheduler,
        signal: abort.signal,
        systemDnsServers: await this.options.systemDnsServers?.(),
        onResult: (r) => {
          log.info(describeLiveResult(r));
          if (this.running !== run) return;
          this.results.push(r);
          this.options.onResult?.(r);
          this.options.onChange?.();
          // Progress counts the targets; mail-authentication results come on top of them. With a dead DNS server
          // every target that needs DNS is skipped: it counts as done at once.
          if (r.kind === 'resolver' && r.result.status === 'dead') {
            step(targets.domains.length + targets.ptrs.length + (settings.dnsServers?.length ? targets.probes.filter((t) => needsDns(t.host)).length : 0), 'DNS server not answering');
            return;
          }
          if (r.kind === 'outbound25' || r.kind === 'auth' || r.kind === 'resolver' || r.kind === 'tls-scan' || r.kind === 'relay' || (r.kind === 'probe' && r.target.mxOf)) return;
          step(1, r.kind === 'probe' ? `${r.result.host}:${r.result.port} ${r.result.status}` : r.kind === 'mx' ? `MX ${r.result.domain}` : `PTR ${r.result.address}`);
        },
      });
      const cancelled = abort.signal.aborted;
      const ms = Date.now() - started;
      if (cancelled) log.warn(`live checks cancelled after ${ms} ms (${done}/${total} done)`);
      else log.info(`live checks done in ${ms} ms: ${report.findings.length} finding(s)${report.incomplete ? ', incomplete (deadline)' : ''}`);
      // A run replaced by a newer one leaves the results to that one.
      const superseded = this.running !== run;
      if (!superseded) {
        this.current = previous ? mergeReports(previous, report, targets) : report;
        this.options.onReport?.(this.current);
      } else log.info('superseded by a newer run: results dropped');
      return { ...report, cancelled, superseded };
    } catch (error) {
      log.error('live checks failed', error);
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', stop);
      if (this.running === run) this.running = undefined;
      this.options.onChange?.();
    }
  }
}
