// Runs live checks under one concurrency limit, joins identical checks while they run, caches results for a
// while, and stops everything at once (on a deadline, on the caller's signal, or on `cancelAll`).
//
// Semantics, in one place:
// - `run(key, task)` starts `task(signal)` when a slot is free (at most `concurrency` tasks run at once).
// - While a task for `key` is queued or running, another `run(key, …)` joins it: the task runs once and every
//   caller gets its outcome. Each caller gets its own promise, so one caller giving up does not cancel the
//   others; the task itself is aborted only when no caller is left waiting for it.
// - A result is cached for `cacheTtlMs` (per scheduler, or per run) after the task resolves; a rejection is
//   never cached. Expiry is measured with the injectable `now` clock.
// - Cancellation (cancelAll, a group's deadline or signal, a run's signal) rejects the affected promises with
//   `CancelledError`, aborts the signal handed to running tasks (its `reason` is that error) so they can close
//   their sockets, and drops queued tasks: a dropped task never starts. A slot is freed only when its task
//   settles, so tasks must honour their signal for the limit to stay meaningful.
// - No promise the scheduler creates for itself is ever left rejected without a handler; only the promises
//   returned to callers reject, and handling those is the caller's job.

import { watchAbort } from './abortWatch';

export type CancelReason = 'cancelled' | 'deadline';

/** Why a run did not produce a result: it was cancelled, or its group's deadline passed. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(
    readonly reason: CancelReason,
    message = reason === 'deadline' ? 'deadline passed' : 'cancelled',
  ) {
    super(message);
  }
}

export function isCancelledError(error: unknown): error is CancelledError {
  return error instanceof CancelledError;
}

export interface CheckSchedulerOptions {
  /** Most tasks running at once (default 32). */
  readonly concurrency?: number;
  /** How long a resolved result is reused, in ms (default 0: no caching). */
  readonly cacheTtlMs?: number;
  /** Clock for cache expiry (default Date.now); tests inject a fake one. */
  readonly now?: () => number;
}

export interface RunOptions {
  /** Give up on this one call (the shared task is aborted only if nobody else waits for it). */
  readonly signal?: AbortSignal;
  /** Cache lifetime of this result, overriding the scheduler's `cacheTtlMs`. */
  readonly cacheTtlMs?: number;
}

export interface GroupOptions {
  /** Cancel every unfinished run of the group this many ms after the group is created. */
  readonly deadlineMs?: number;
  /** Cancel the whole group when this aborts (e.g. a VS Code cancellation token bridged to a signal). */
  readonly signal?: AbortSignal;
}

export interface SchedulerStats {
  /** Tasks started and not yet settled (including aborted ones still closing). */
  readonly running: number;
  /** Tasks waiting for a slot. */
  readonly queued: number;
  /** Results in the cache that have not expired. */
  readonly cached: number;
  /** Runs answered from the cache. */
  readonly hits: number;
  /** Runs that joined a task already queued or running for the same key. */
  readonly joined: number;
  /** Tasks started since the scheduler was created. */
  readonly started: number;
}

export type CheckTask<T> = (signal: AbortSignal) => Promise<T>;

/** A set of runs cancelled together: by `cancel()`, by its deadline, or by its signal. */
export interface CheckGroup {
  run<T>(key: string, task: CheckTask<T>, options?: RunOptions): Promise<T>;
  cancel(reason?: CancelReason): void;
  /** Aborts when the group is cancelled; its reason is the CancelledError. */
  readonly signal: AbortSignal;
  readonly cancelled: boolean;
}

interface Waiter {
  readonly entry: Entry;
  readonly group: Group;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** Removes the per-run signal listener, if any. */
  cleanup: () => void;
}

interface Entry {
  readonly key: string;
  readonly task: CheckTask<unknown>;
  readonly controller: AbortController;
  readonly cacheTtlMs: number;
  state: 'queued' | 'running' | 'done' | 'dropped';
  readonly waiters: Set<Waiter>;
}

class Group implements CheckGroup {
  readonly waiters = new Set<Waiter>();
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private unlinkSignal: (() => void) | undefined;

  constructor(
    private readonly scheduler: CheckScheduler,
    /** The scheduler's own group is never cancelled for good: cancelAll only empties it. */
    private readonly permanent: boolean,
    options: GroupOptions = {},
  ) {
    if (options.signal) {
      const signal = options.signal;
      if (signal.aborted) this.cancel('cancelled');
      else {
        const onAbort = () => this.cancel('cancelled');
        signal.addEventListener('abort', onAbort, { once: true });
        this.unlinkSignal = () => signal.removeEventListener('abort', onAbort);
      }
    }
    if (options.deadlineMs !== undefined && !this.cancelled) {
      this.timer = setTimeout(() => this.cancel('deadline'), Math.max(0, options.deadlineMs));
      // A pending deadline must not keep a CLI process alive.
      this.timer.unref?.();
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get cancelled(): boolean {
    return this.controller.signal.aborted;
  }

  run<T>(key: string, task: CheckTask<T>, options?: RunOptions): Promise<T> {
    return this.scheduler.runInGroup(this, key, task, options);
  }

  cancel(reason: CancelReason = 'cancelled'): void {
    const error = new CancelledError(reason);
    if (!this.permanent) {
      if (this.cancelled) return;
      this.controller.abort(error);
      if (this.timer) clearTimeout(this.timer);
      this.unlinkSignal?.();
      this.scheduler.forgetGroup(this);
    }
    for (const waiter of [...this.waiters]) this.scheduler.detach(waiter, error);
  }
}

export class CheckScheduler {
  private readonly concurrency: number;
  private readonly cacheTtlMs: number;
  private readonly now: () => number;
  private readonly root: Group;
  private readonly groups = new Set<Group>();
  private readonly inFlight = new Map<string, Entry>();
  private readonly cache = new Map<string, { value: unknown; expiresAt: number }>();
  /** FIFO of entries; `queueHead` is the next to look at (entries dropped while queued are skipped). */
  private queue: Entry[] = [];
  private queueHead = 0;
  private queuedCount = 0;
  private runningCount = 0;
  private hits = 0;
  private joined = 0;
  private started = 0;

  constructor(options: CheckSchedulerOptions = {}) {
    const concurrency = options.concurrency ?? 32;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    this.concurrency = concurrency;
    this.cacheTtlMs = Math.max(0, options.cacheTtlMs ?? 0);
    this.now = options.now ?? Date.now;
    this.root = new Group(this, true);
  }

  /** Runs `task` under the limit, joining a queued/running task of the same key or answering from the cache. */
  run<T>(key: string, task: CheckTask<T>, options?: RunOptions): Promise<T> {
    return this.runInGroup(this.root, key, task, options);
  }

  /** A group of runs sharing this scheduler's limit and cache, cancelled together. */
  group(options: GroupOptions = {}): CheckGroup {
    const group = new Group(this, false, options);
    if (!group.cancelled) this.groups.add(group);
    return group;
  }

  /** A group whose unfinished runs are cancelled with reason 'deadline' after `ms`. */
  withDeadline(ms: number): CheckGroup {
    return this.group({ deadlineMs: ms });
  }

  /**
   * Cancels everything now: every waiting caller rejects with CancelledError, running tasks see their signal
   * abort, queued tasks are dropped. Groups are cancelled for good; the scheduler itself stays usable.
   */
  cancelAll(reason: CancelReason = 'cancelled'): void {
    for (const group of [...this.groups]) group.cancel(reason);
    this.root.cancel(reason);
  }

  clearCache(): void {
    this.cache.clear();
  }

  stats(): SchedulerStats {
    this.purgeExpired();
    return {
      running: this.runningCount,
      queued: this.queuedCount,
      cached: this.cache.size,
      hits: this.hits,
      joined: this.joined,
      started: this.started,
    };
  }

  /** @internal */
  runInGroup<T>(group: Group, key: string, task: CheckTask<T>, options: RunOptions = {}): Promise<T> {
    if (group.cancelled) return Promise.reject(group.signal.reason);
    if (options.signal?.aborted) return Promise.reject(new CancelledError('cancelled'));
    const cached = this.cache.get(key);
    if (cached) {
      if (cached.expiresAt > this.now()) {
        this.hits++;
        return Promise.resolve(cached.value as T);
      }
      this.cache.delete(key);
    }

    let entry = this.inFlight.get(key);
    if (entry) this.joined++;
    else {
      entry = {
        key,
        task: task as CheckTask<unknown>,
        controller: new AbortController(),
        cacheTtlMs: Math.max(0, options.cacheTtlMs ?? this.cacheTtlMs),
        state: 'queued',
        waiters: new Set(),
      };
      this.inFlight.set(key, entry);
      this.queue.push(entry);
      this.queuedCount++;
    }

    const target = entry;
    const promise = new Promise<T>((resolve, reject) => {
      const waiter: Waiter = { entry: target, group, resolve: resolve as (v: unknown) => void, reject, cleanup: () => {} };
      target.waiters.add(waiter);
      group.waiters.add(waiter);
      const signal = options.signal;
      if (signal) {
        waiter.cleanup = watchAbort(signal, () => this.detach(waiter, new CancelledError('cancelled')));
      }
    });
    this.pump();
    return promise;
  }

  /** @internal Rejects one caller; aborts (or drops) the task when nobody else waits for it. */
  detach(waiter: Waiter, error: CancelledError): void {
    const entry = waiter.entry;
    if (!entry.waiters.delete(waiter)) return;
    waiter.group.waiters.delete(waiter);
    waiter.cleanup();
    waiter.reject(error);
    if (entry.waiters.size > 0) return;
    // Nobody wants this result any more: forget it so a later run of the same key starts afresh.
    if (this.inFlight.get(entry.key) === entry) this.inFlight.delete(entry.key);
    if (entry.state === 'queued') {
      entry.state = 'dropped';
      this.queuedCount--;
      this.compactQueue();
    } else if (entry.state === 'running') {
      entry.state = 'dropped';
      entry.controller.abort(error);
    }
  }

  /** @internal */
  forgetGroup(group: Group): void {
    this.groups.delete(group);
  }

  private pump(): void {
    while (this.runningCount < this.concurrency && this.queuedCount > 0) {
      const entry = this.queue[this.queueHead++];
      if (entry.state !== 'queued') continue;
      this.queuedCount--;
      this.start(entry);
    }
    if (this.queuedCount === 0) {
      this.queue = [];
      this.queueHead = 0;
    } else if (this.queueHead > 1024 && this.queueHead > this.queue.length / 2) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
  }

  private start(entry: Entry): void {
    entry.state = 'running';
    this.runningCount++;
    this.started++;
    let outcome: Promise<unknown>;
    try {
      outcome = Promise.resolve(entry.task(entry.controller.signal));
    } catch (error) {
      outcome = Promise.reject(error);
    }
    outcome.then(
      (value) => this.settle(entry, true, value),
      (error: unknown) => this.settle(entry, false, error),
    );
  }

  private settle(entry: Entry, ok: boolean, value: unknown): void {
    this.runningCount--;
    if (entry.state === 'running') {
      entry.state = 'done';
      if (this.inFlight.get(entry.key) === entry) this.inFlight.delete(entry.key);
      if (ok && entry.cacheTtlMs > 0) this.cache.set(entry.key, { value, expiresAt: this.now() + entry.cacheTtlMs });
      for (const waiter of entry.waiters) {
        waiter.group.waiters.delete(waiter);
        waiter.cleanup();
        if (ok) waiter.resolve(value);
        else waiter.reject(value);
      }
      entry.waiters.clear();
    }
    // A dropped task's late outcome (usually an AbortError) has nobody to go to; it is deliberately ignored.
    this.pump();
  }

  /** Drops cancelled entries once they make up most of the queue, so mass cancellation stays O(n). */
  private compactQueue(): void {
    const length = this.queue.length - this.queueHead;
    if (length > 64 && this.queuedCount < length / 2) {
      this.queue = this.queue.slice(this.queueHead).filter((e) => e.state === 'queued');
      this.queueHead = 0;
    }
  }

  private purgeExpired(): void {
    const now = this.now();
    for (const [key, item] of this.cache) if (item.expiresAt <= now) this.cache.delete(key);
  }
}
