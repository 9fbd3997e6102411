import * as assert from 'assert';
import { getEventListeners } from 'events';
import { watchAbort } from '../../../src/core/live/abortWatch';

describe('watchAbort: one abort listener per signal', () => {
  it('calls every watcher once, in order, from a single listener, with no process warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const calls: number[] = [];
      for (let i = 0; i < 50; i++) watchAbort(controller.signal, () => calls.push(i));
      assert.strictEqual(getEventListeners(controller.signal, 'abort').length, 1);
      controller.abort();
      controller.abort();
      assert.deepStrictEqual(calls, Array.from({ length: 50 }, (_, i) => i));
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepStrictEqual(warnings.map((w) => w.name), []);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('stops calling a watcher that stopped watching, and leaves no listener once all have', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const stopA = watchAbort(controller.signal, () => calls.push('a'));
    const stopB = watchAbort(controller.signal, () => calls.push('b'));
    stopA();
    stopA();
    assert.strictEqual(getEventListeners(controller.signal, 'abort').length, 1);
    stopB();
    assert.strictEqual(getEventListeners(controller.signal, 'abort').length, 0);
    const stopC = watchAbort(controller.signal, () => calls.push('c'));
    controller.abort();
    stopC();
    assert.deepStrictEqual(calls, ['c']);
  });

  it('counts the same function watched twice as two watches, like addEventListener with two wrappers', () => {
    const controller = new AbortController();
    let n = 0;
    const f = () => n++;
    watchAbort(controller.signal, f);
    const stop = watchAbort(controller.signal, f);
    stop();
    controller.abort();
    assert.strictEqual(n, 1);
  });

  it('does nothing for no signal or a signal that has already aborted', () => {
    let n = 0;
    watchAbort(undefined, () => n++)();
    const aborted = AbortSignal.abort();
    watchAbort(aborted, () => n++)();
    assert.strictEqual(n, 0);
    assert.strictEqual(getEventListeners(aborted, 'abort').length, 0);
  });

  it('still calls the others when one watcher throws, and reports the error', async () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const thrown: unknown[] = [];
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.once('uncaughtException', (e) => thrown.push(e));
    try {
      watchAbort(controller.signal, () => {
        throw new Error('boom');
      });
      watchAbort(controller.signal, () => calls.push('after'));
      controller.abort();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.removeAllListeners('uncaughtException');
      for (const l of listeners) process.on('uncaughtException', l);
    }
    assert.deepStrictEqual(calls, ['after']);
    assert.deepStrictEqual(thrown.map((e) => (e as Error).message), ['boom']);
  });
});
