import * as assert from 'assert';
import { CancelledError, CheckScheduler, isCancelledError } from '../../src/core/live/scheduler';

/** A task that finishes when told to, or fails with its signal's reason when aborted (like a socket would). */
function controllable<T>(value: T) {
  let finish!: () => void;
  const state = { started: false, aborted: false, signal: undefined as AbortSignal | undefined };
  const task = (signal: AbortSignal) =>
    new Promise<T>((resolve, reject) => {
      state.started = true;
      state.signal = signal;
      finish = () => resolve(value);
      signal.addEventListener('abort', () => {
        state.aborted = true;
        reject(signal.reason);
      });
    });
  return { task, state, finish: () => finish() };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Settles every promise and sorts the outcomes, so no test leaves a rejection unhandled. */
async function outcomes<T>(promises: Promise<T>[]) {
  return Promise.allSettled(promises);
}

describe('CheckScheduler', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  before(() => process.on('unhandledRejection', onUnhandled));
  after(() => process.off('unhandledRejection', onUnhandled));
  afterEach(async () => {
    // Give stray rejections a turn to surface, then fail the test that produced them.
    await tick();
    const seen = unhandled.splice(0);
    assert.deepStrictEqual(seen, [], 'no unhandled rejections');
  });

  it('never runs more tasks at once than the limit, and reaches it', async () => {
    const scheduler = new CheckScheduler({ concurrency: 5 });
    let running = 0;
    let maxRunning = 0;
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        scheduler.run(`t${i}`, async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          await sleep(i % 3);
          running--;
          return i;
        }),
      ),
    );
    assert.strictEqual(maxRunning, 5);
    assert.deepStrictEqual(results, Array.from({ length: 100 }, (_, i) => i));
    assert.deepStrictEqual(scheduler.stats(), { running: 0, queued: 0, cached: 0, hits: 0, joined: 0, started: 100 });
  });

  it('defaults to 32 at once', async () => {
    const scheduler = new CheckScheduler();
    const tasks = Array.from({ length: 40 }, () => controllable(1));
    const runs = tasks.map((t, i) => scheduler.run(`k${i}`, t.task));
    await tick();
    assert.deepStrictEqual([scheduler.stats().running, scheduler.stats().queued], [32, 8]);
    for (const t of tasks.slice(0, 32)) t.finish();
    await tick();
    for (const t of tasks.slice(32)) t.finish();
    await Promise.all(runs);
  });

  it('joins a second run of the same key to the task already in flight', async () => {
    const scheduler = new CheckScheduler({ concurrency: 4 });
    let calls = 0;
    const task = async () => {
      calls++;
      await sleep(5);
      return { answer: calls };
    };
    const [a, b] = await Promise.all([scheduler.run('mx:25', task), scheduler.run('mx:25', task)]);
    assert.strictEqual(calls, 1);
    assert.strictEqual(a, b, 'both callers get the very same result object');
    assert.strictEqual(scheduler.stats().joined, 1);
  });

  it('runs the key again once the first run has finished (no cache configured)', async () => {
    const scheduler = new CheckScheduler();
    let calls = 0;
    await scheduler.run('k', async () => ++calls);
    assert.strictEqual(await scheduler.run('k', async () => ++calls), 2);
  });

  it('answers from the cache until the entry expires', async () => {
    let clock = 1_000;
    const scheduler = new CheckScheduler({ cacheTtlMs: 60_000, now: () => clock });
    let calls = 0;
    const task = async () => ++calls;
    assert.strictEqual(await scheduler.run('k', task), 1);
    clock += 59_999;
    assert.strictEqual(await scheduler.run('k', task), 1);
    assert.deepStrictEqual([scheduler.stats().hits, scheduler.stats().cached], [1, 1]);
    clock += 1;
    assert.strictEqual(scheduler.stats().cached, 0, 'expired entries are not counted');
    assert.strictEqual(await scheduler.run('k', task), 2);
    assert.strictEqual(calls, 2);
  });

  it('honours a per-run cache lifetime and clearCache()', async () => {
    let clock = 0;
    const scheduler = new CheckScheduler({ cacheTtlMs: 10, now: () => clock });
    let calls = 0;
    await scheduler.run('long', async () => ++calls, { cacheTtlMs: 1_000 });
    clock = 500;
    assert.strictEqual(await scheduler.run('long', async () => ++calls), 1);
    scheduler.clearCache();
    assert.strictEqual(await scheduler.run('long', async () => ++calls), 2);
  });

  it('does not cache failures, and hands a failure to every joined caller', async () => {
    const scheduler = new CheckScheduler({ cacheTtlMs: 60_000 });
    let calls = 0;
    const failing = async () => {
      calls++;
      await tick();
      throw new Error('boom');
    };
    const settled = await outcomes([scheduler.run('k', failing), scheduler.run('k', failing)]);
    assert.deepStrictEqual(
      settled.map((s) => s.status === 'rejected' && (s.reason as Error).message),
      ['boom', 'boom'],
    );
    assert.strictEqual(await scheduler.run('k', async () => 'ok'), 'ok');
    assert.strictEqual(calls, 1);
  });

  it('turns a task that throws synchronously into a rejection', async () => {
    const scheduler = new CheckScheduler();
    await assert.rejects(
      scheduler.run('k', () => {
        throw new TypeError('bug');
      }),
      TypeError,
    );
    assert.strictEqual(scheduler.stats().running, 0);
  });

  it('cancels a group at its deadline: running tasks see their signal abort, queued ones never start', async () => {
    const scheduler = new CheckScheduler({ concurrency: 2 });
    const group = scheduler.withDeadline(40);
    const tasks = Array.from({ length: 5 }, () => controllable('late'));
    const started = Date.now();
    const settled = await outcomes(tasks.map((t, i) => group.run(`d${i}`, t.task)));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 35 && elapsed < 1_000, `rejected after ${elapsed} ms`);
    for (const s of settled) {
      assert.strictEqual(s.status, 'rejected');
      assert.ok(isCancelledError(s.reason));
      assert.strictEqual((s.reason as CancelledError).reason, 'deadline');
    }
    assert.deepStrictEqual(
      tasks.map((t) => [t.state.started, t.state.aborted]),
      [[true, true], [true, true], [false, false], [false, false], [false, false]],
    );
    assert.strictEqual(group.cancelled, true);
    await assert.rejects(group.run('after', async () => 1), CancelledError, 'a cancelled group takes no new runs');
    await tick();
    assert.deepStrictEqual([scheduler.stats().running, scheduler.stats().queued], [0, 0]);
  });

  it('lets runs that finish before the deadline succeed', async () => {
    const scheduler = new CheckScheduler();
    const group = scheduler.withDeadline(1_000);
    assert.strictEqual(await group.run('fast', async () => 'done'), 'done');
    group.cancel();
  });

  it('cancelAll mid-run aborts every running signal, drains the queue, and leaves the scheduler usable', async () => {
    const scheduler = new CheckScheduler({ concurrency: 3 });
    const tasks = Array.from({ length: 10 }, () => controllable('never'));
    const group = scheduler.group();
    const runs = tasks.map((t, i) => (i % 2 ? group : scheduler).run(`c${i}`, t.task));
    await tick();
    assert.deepStrictEqual([scheduler.stats().running, scheduler.stats().queued], [3, 7]);

    scheduler.cancelAll();
    const settled = await outcomes(runs);
    assert.ok(settled.every((s) => s.status === 'rejected' && s.reason instanceof CancelledError && s.reason.reason === 'cancelled'));
    assert.deepStrictEqual(
      tasks.map((t) => t.state.started),
      [true, true, true, false, false, false, false, false, false, false],
    );
    assert.ok(tasks.slice(0, 3).every((t) => t.state.aborted && t.state.signal?.reason instanceof CancelledError));
    await tick();
    assert.deepStrictEqual([scheduler.stats().running, scheduler.stats().queued], [0, 0]);
    assert.strictEqual(group.cancelled, true);

    assert.strictEqual(await scheduler.run('c0', async () => 'fresh'), 'fresh', 'a cancelled key starts afresh');
  });

  it('aborts a shared task only when the last caller gives up', async () => {
    const scheduler = new CheckScheduler();
    const t = controllable('shared');
    const mine = new AbortController();
    const first = scheduler.run('k', t.task, { signal: mine.signal });
    const second = scheduler.run('k', t.task);
    await tick();
    mine.abort();
    await assert.rejects(first, CancelledError);
    assert.strictEqual(t.state.aborted, false, 'the other caller still waits');
    t.finish();
    assert.strictEqual(await second, 'shared');
  });

  it('cancels a group when its signal aborts, without touching other callers', async () => {
    const scheduler = new CheckScheduler();
    const token = new AbortController();
    const group = scheduler.group({ signal: token.signal });
    const a = controllable('a');
    const b = controllable('b');
    const inGroup = group.run('a', a.task);
    const outside = scheduler.run('b', b.task);
    await tick();
    token.abort();
    await assert.rejects(inGroup, CancelledError);
    assert.deepStrictEqual([a.state.aborted, b.state.aborted], [true, false]);
    b.finish();
    assert.strictEqual(await outside, 'b');
    await assert.rejects(scheduler.group({ signal: token.signal }).run('x', async () => 1), CancelledError);
  });

  it('completes 1,000 tasks at 64 at once, each reported exactly once', async () => {
    const scheduler = new CheckScheduler({ concurrency: 64 });
    const calls = new Map<number, number>();
    const reports = new Map<number, number>();
    let running = 0;
    let maxRunning = 0;
    const runs = Array.from({ length: 1_000 }, (_, i) =>
      scheduler
        .run(`host${i}:25`, async () => {
          calls.set(i, (calls.get(i) ?? 0) + 1);
          running++;
          maxRunning = Math.max(maxRunning, running);
          await (i % 7 === 0 ? sleep(1) : tick());
          running--;
          return i * 2;
        })
        .then((value) => {
          assert.strictEqual(value, i * 2);
          reports.set(i, (reports.get(i) ?? 0) + 1);
        }),
    );
    await Promise.all(runs);
    assert.strictEqual(maxRunning, 64);
    assert.strictEqual(calls.size, 1_000);
    assert.strictEqual(reports.size, 1_000);
    assert.ok([...calls.values(), ...reports.values()].every((n) => n === 1));
    assert.deepStrictEqual(scheduler.stats(), { running: 0, queued: 0, cached: 0, hits: 0, joined: 0, started: 1_000 });
  });

  it('rejects a concurrency that is not a positive integer', () => {
    assert.throws(() => new CheckScheduler({ concurrency: 0 }), RangeError);
    assert.throws(() => new CheckScheduler({ concurrency: 1.5 }), RangeError);
  });
});
