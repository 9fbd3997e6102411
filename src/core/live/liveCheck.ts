// What every live check declares: an id, a label, the kind of subject it checks, the checks whose results it
// needs first, its rules, and how a run runs it (its code, loaded on first need: the `port` command starts
// without the mail-authentication checks). liveCheckRegistry.ts lists them all, once; the runner
// (liveRun.ts) starts each and hands it a CheckRun, through which it waits for its dependencies' results.
import type { Finding, RuleMeta } from '../model';
import type { DnsCheckOptions } from './dnsTypes';
import type { LiveCheckOptions, LiveResult, LiveResults } from './liveReport';
import type { LiveTargets } from './liveTargets';
import type { AuthCheck, AuthSubjectKind } from './mailAuth/types';
import type { SmtpProbeResult } from './probeTypes';
import type { CheckGroup, CheckScheduler } from './scheduler';

/**
 * A check's id ('smtp-port', 'spf'): an open set, whose one list is the registry (liveCheckRegistry.ts), so a
 * new check names itself there and nowhere else; its test checks that every id a check depends on exists.
 */
export type LiveCheckId = string;

/** What one run of a check is about. */
export type LiveSubjectKind =
  /** The DNS servers of the run. */
  | 'dns-servers'
  /** host:port of an SMTP server a configuration names. */
  | 'endpoint'
  /** Port 25 of a host a domain's MX answer names. */
  | 'mx-host'
  /** Probes that tell "this host is filtered" from "this network blocks port 25". */
  | 'network'
  | AuthSubjectKind;

/** How a check's results arrive in the run's stream (LiveResult['kind']). */
export type LiveResultKind = 'resolver' | 'probe' | 'tls-scan' | 'relay' | 'mx' | 'ptr' | 'outbound25' | 'auth';

export interface LiveCheckDescriptor {
  readonly id: LiveCheckId;
  /** How reports and the Results tree name it ("SPF", "SMTP port"). */
  readonly label: string;
  readonly subject: LiveSubjectKind;
  /** Checks whose results this one waits for (e.g. DANE and the MX-host probes need the MX answer). */
  readonly dependsOn: readonly LiveCheckId[];
  /** Checks whose code and rules it reuses without waiting for their results (the MX-host probe is the SMTP port probe). */
  readonly uses?: readonly LiveCheckId[];
  /** The rules its findings use, each declared by exactly one check (docs, SARIF, settings, `rules`). */
  readonly rules: readonly RuleMeta[];
  /** The kinds of LiveResult its results arrive as. */
  readonly results: readonly LiveResultKind[];
}

export interface LiveCheck<Implementation = unknown> extends LiveCheckDescriptor {
  /** The check's code, imported on first call. */
  load(): Promise<Implementation>;
  /**
   * Runs the check on every subject the run's targets give it (its code imported on first need), each after
   * what it depends on; resolves when every subject is done.
   */
  run(run: CheckRun): Promise<void>;
}

/**
 * One check's view of a live run: the run's shared state, and the results of the checks it declares in
 * dependsOn, by subject. A check provides a value for every subject it was given (undefined when it skipped
 * it), so the checks that depend on it never wait for more than their own subject.
 */
export interface CheckRun {
  readonly check: LiveCheckDescriptor;
  readonly targets: LiveTargets;
  readonly options: LiveCheckOptions;
  /** The run's slots for network work (probes, lookups). */
  readonly group: CheckGroup;
  /** Slots of their own for the mail-authentication checks: one may wait on a probe of the main group. */
  readonly authGroup: CheckGroup;
  readonly scheduler: CheckScheduler;
  readonly stepTimeoutMs: number;
  /** The run's DNS settings (servers, per-query timeout); add the task's signal. */
  readonly dns: DnsCheckOptions;
  /** Findings so far, in the order the checks made them. */
  readonly findings: Finding[];
  /** The results so far, by kind. */
  readonly results: LiveResults;
  /** A cancelled or timed-out task's fallback value; marks the run incomplete. Other errors pass through. */
  settle<T>(work: Promise<T>, fallback: () => T): Promise<T>;
  /** Adds a result to the report and streams it to the caller (onResult). */
  emit(result: LiveResult): void;
  /** One object per run, made by whichever check asks first (e.g. the scan and relay-test memo shared with the MX hosts). */
  shared<T>(key: string, create: () => T): T;
  /** Findings that need every result of the run (e.g. the MTA-STS mode of a domain): made once every check has finished. */
  atEnd(findings: (results: LiveResults) => Promise<Finding[]>): void;
  /** What `dependency` (in dependsOn, directly or through another dependency) provided for `subject`; undefined when it skipped it. */
  need<T>(dependency: LiveCheckId, subject?: string): Promise<T | undefined>;
  /** This check's outcome on `subject`, for the checks that depend on it. */
  provide(subject: string, value: unknown): void;
  /** The outcomes on `subject` of every check that depends on this one (once each has provided one or finished). */
  dependents(subject: string): Promise<ReadonlyMap<LiveCheckId, unknown>>;
}

/** A mail-authentication or reputation check: one subject in, one AuthCheckResult out. */
export interface AuthLiveCheck extends LiveCheck<AuthCheck> {
  readonly subject: AuthSubjectKind;
}

/** The subject key of the i-th endpoint of the run's targets (LiveTargets.probes). */
export const endpointSubject = (i: number): string => `endpoint:${i}`;

/**
 * The step every check that builds on the SMTP port check takes: for each endpoint, once its probe is in
 * (undefined: not probed), `examine` it and provide what that gives to the checks that depend on this one.
 * An endpoint the check does not `concern` gets nothing at once, without waiting for its probe (a port run
 * of 50 ports then keeps no waiting step per port for an outbound-25 check that only looks at port 25).
 */
export async function afterEachProbe(
  run: CheckRun,
  examine: (target: LiveTargets['probes'][number], probe: SmtpProbeResult | undefined) => unknown,
  concerns: (target: LiveTargets['probes'][number]) => boolean = () => true,
): Promise<void> {
  const waiting: Promise<void>[] = [];
  run.targets.probes.forEach((target, i) => {
    const subject = endpointSubject(i);
    if (!concerns(target)) return run.provide(subject, undefined);
    waiting.push(
      run
        .need<SmtpProbeResult>('smtp-port', subject)
        .then((probe) => examine(target, probe))
        .then((found) => run.provide(subject, found)),
    );
  });
  await Promise.all(waiting);
}
/** The subject key of the i-th domain of the run's targets (LiveTargets.domains). */
export const domainSubject = (i: number): string => `domain:${i}`;

/** Whether a run's targets give checks of a subject kind anything to check (else the check's code is not even loaded). */
export const HAS_SUBJECTS: Readonly<Record<LiveSubjectKind, (targets: LiveTargets) => boolean>> = {
  'dns-servers': (t) => t.probes.length > 0 || t.domains.length > 0 || t.ptrs.length > 0 || !!t.dkim?.length,
  endpoint: (t) => t.probes.length > 0,
  network: (t) => t.probes.length > 0,
  'mx-host': (t) => t.domains.length > 0,
  domain: (t) => t.domains.length > 0,
  address: (t) => t.ptrs.length > 0,
  dkim: (t) => !!t.dkim?.length,
};
