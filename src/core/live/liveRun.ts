// One live run: the state the checks share (scheduler groups, DNS settings, results, findings) and the one
// generic step that orders them: each check starts at once and waits, subject by subject, for what the checks
// it depends on provide. The runner names no check; the registry's order and dependsOn say everything.
import type { Finding } from '../model';
import type { DnsCheckOptions } from './dnsTypes';
import { type CheckRun, HAS_SUBJECTS, type LiveCheck, type LiveCheckDescriptor, type LiveCheckId } from './liveCheck';
import type { LiveCheckOptions, LiveCheckReport, LiveResult, LiveResults } from './liveReport';
import type { LiveTargets } from './liveTargets';
import { type CheckGroup, CheckScheduler, isCancelledError } from './scheduler';

/** The checks in an order where each comes after its dependencies, otherwise in the given order. */
export function dependencyOrder<C extends LiveCheckDescriptor>(checks: readonly C[]): C[] {
  const placed = new Set<LiveCheckId>();
  const order: C[] = [];
  while (order.length < checks.length) {
    const next = checks.find((c) => !placed.has(c.id) && c.dependsOn.every((d) => placed.has(d)));
    if (!next) throw new Error(`live checks with a dependency cycle or an unknown dependency: ${checks.filter((c) => !placed.has(c.id)).map((c) => c.id).join(', ')}`);
    placed.add(next.id);
    order.push(next);
  }
  return order;
}

/** What each check provided, by subject; a subject asked for before it is provided waits. */
class Outcomes {
  private readonly provided = new Map<string, unknown>();
  private readonly waiting = new Map<string, (value: unknown) => void>();
  private readonly pending = new Map<string, Promise<unknown>>();
  private closed = false;

  get(subject: string): Promise<unknown> {
    if (this.provided.has(subject)) return Promise.resolve(this.provided.get(subject));
    if (this.closed) return Promise.resolve(undefined);
    let p = this.pending.get(subject);
    if (!p) {
      p = new Promise((resolve) => this.waiting.set(subject, resolve));
      this.pending.set(subject, p);
    }
    return p;
  }

  set(subject: string, value: unknown): void {
    if (this.provided.has(subject)) return;
    this.provided.set(subject, value);
    this.waiting.get(subject)?.(value);
    this.waiting.delete(subject);
  }

  /** The check has finished: a subject it never provided is one it skipped. */
  close(): void {
    this.closed = true;
    for (const resolve of this.waiting.values()) resolve(undefined);
    this.waiting.clear();
  }
}

interface MutableResults extends LiveResults {
  resolver?: LiveResults['resolver'];
  readonly tlsScans: NonNullable<LiveResults['tlsScans']>;
  readonly relayTests: NonNullable<LiveResults['relayTests']>;
}

export class LiveRun {
  readonly scheduler: CheckScheduler;
  readonly group: CheckGroup;
  readonly authGroup: CheckGroup;
  readonly stepTimeoutMs: number;
  readonly dns: DnsCheckOptions;
  readonly findings: Finding[] = [];
  readonly results: MutableResults = { probes: [], mx: [], ptr: [], outbound25: [], auth: [], tlsScans: [], relayTests: [] };
  private incomplete = false;
  private readonly sharedObjects = new Map<string, unknown>();
  private readonly endSteps: ((results: LiveResults) => Promise<Finding[]>)[] = [];
  private readonly outcomes = new Map<LiveCheckId, Outcomes>();

  constructor(
    readonly targets: LiveTargets,
    readonly options: LiveCheckOptions,
  ) {
    this.scheduler = options.scheduler ?? new CheckScheduler({ concurrency: options.concurrency ?? 32, cacheTtlMs: 60_000 });
    this.group = this.scheduler.group({ deadlineMs: options.deadlineMs ?? 60_000, signal: options.signal });
    // Mail-authentication checks get their own slots: one may wait on a probe of the main scheduler (DANE's
    // port-25 probe), which would deadlock if every main slot were held by a check waiting like that.
    this.authGroup = new CheckScheduler({ concurrency: options.concurrency ?? 32 }).group({ deadlineMs: options.deadlineMs ?? 60_000, signal: options.signal });
    this.stepTimeoutMs = options.stepTimeoutMs ?? 5000;
    this.dns = { servers: options.dnsServers, systemServers: options.systemDnsServers, timeoutMs: this.stepTimeoutMs };
  }

  /** Runs every check, each after its dependencies (subject by subject), then the steps that need every result. */
  async runAll(checks: readonly LiveCheck[]): Promise<LiveCheckReport> {
    const ordered = dependencyOrder(checks);
    for (const c of ordered) this.outcomes.set(c.id, new Outcomes());
    const dependentsOf = (id: LiveCheckId) => ordered.filter((c) => c.dependsOn.includes(id));
    const reachable = (c: LiveCheckDescriptor): Set<LiveCheckId> => {
      const out = new Set<LiveCheckId>();
      const visit = (id: LiveCheckId) => {
        for (const d of checks.find((x) => x.id === id)?.dependsOn ?? []) if (!out.has(d)) (out.add(d), visit(d));
      };
      visit(c.id);
      return out;
    };
    // A check without subjects finishes at once, its code not loaded (a run of SMTP ports alone loads no MX or mail-authentication code).
    const start = (c: LiveCheck) => (HAS_SUBJECTS[c.subject](this.targets) ? c.run(this.viewFor(c, reachable(c), dependentsOf(c.id))) : Promise.resolve());
    await Promise.all(ordered.map((c) => start(c).finally(() => this.outcomes.get(c.id)!.close())));
    for (const step of this.endSteps) this.findings.push(...(await step(this.results)));
    this.group.cancel();
    this.authGroup.cancel();
    const { probes, mx, ptr, outbound25, auth, tlsScans, relayTests, resolver } = this.results;
    return { probes, mx, ptr, outbound25, auth, findings: this.findings, incomplete: this.incomplete, tlsScans, relayTests, ...(resolver ? { resolver } : {}) };
  }

  async settle<T>(work: Promise<T>, fallback: () => T): Promise<T> {
    try {
      return await work;
    } catch (e) {
      if (!isCancelledError(e)) throw e;
      this.incomplete = true;
      return fallback();
    }
  }

  emit(r: LiveResult): void {
    const results = this.results;
    if (r.kind === 'probe') results.probes.push(r.result);
    else if (r.kind === 'mx') results.mx.push(r.result);
    else if (r.kind === 'ptr') results.ptr.push(r.result);
    else if (r.kind === 'outbound25') results.outbound25.push(r.result);
    else if (r.kind === 'auth') results.auth.push(r.result);
    else if (r.kind === 'tls-scan') results.tlsScans.push(r.result);
    else if (r.kind === 'relay') results.relayTests.push(r.result);
    else results.resolver = r.result;
    this.options.onResult?.(r);
  }

  private viewFor(check: LiveCheck, reachable: ReadonlySet<LiveCheckId>, dependents: readonly LiveCheck[]): CheckRun {
    const outcomesOf = (id: LiveCheckId) => this.outcomes.get(id)!;
    return {
      check,
      targets: this.targets,
      options: this.options,
      group: this.group,
      authGroup: this.authGroup,
      scheduler: this.scheduler,
      stepTimeoutMs: this.stepTimeoutMs,
      dns: this.dns,
      findings: this.findings,
      results: this.results,
      settle: (work, fallback) => this.settle(work, fallback),
      emit: (result) => this.emit(result),
      shared: <T>(key: string, create: () => T): T => {
        if (!this.sharedObjects.has(key)) this.sharedObjects.set(key, create());
        return this.sharedObjects.get(key) as T;
      },
      atEnd: (step) => void this.endSteps.push(step),
      need: <T>(dependency: LiveCheckId, subject = ''): Promise<T | undefined> => {
        // Waiting for a check it does not declare could deadlock; the registry must say it.
        if (!reachable.has(dependency)) throw new Error(`live check "${check.id}" waits for "${dependency}", which it does not declare in dependsOn`);
        return outcomesOf(dependency).get(subject) as Promise<T | undefined>;
      },
      provide: (subject, value) => outcomesOf(check.id).set(subject, value),
      dependents: async (subject) => new Map(await Promise.all(dependents.map(async (d) => [d.id, await outcomesOf(d.id).get(subject)] as const))),
    };
  }
}
