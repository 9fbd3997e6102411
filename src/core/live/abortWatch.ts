// One 'abort' listener per signal, however many steps watch it. A run fans out: every DNS query of a
// domain's MX hosts, every probe of a scheduler group, every exchange of an SPF evaluation watches the same
// signal at once. With a listener each, eleven of them make Node print MaxListenersExceededWarning ("possible
// EventTarget memory leak") on every `check` of a domain with four MX hosts, although each is removed again.

interface Watchers {
  readonly callbacks: Set<() => void>;
  readonly listener: () => void;
}

const watched = new WeakMap<AbortSignal, Watchers>();

const nothing = (): void => undefined;

/**
 * Calls `onAbort` once when `signal` aborts, like `addEventListener('abort', onAbort, { once: true })`;
 * the function returned stops watching (like removeEventListener). Nothing is called for a signal that has
 * already aborted: callers check `signal.aborted` first, as they would with addEventListener.
 */
export function watchAbort(signal: AbortSignal | undefined, onAbort: () => void): () => void {
  if (!signal || signal.aborted) return nothing;
  let watchers = watched.get(signal);
  if (!watchers) {
    const callbacks = new Set<() => void>();
    const listener = (): void => {
      watched.delete(signal);
      for (const callback of [...callbacks]) {
        try {
          callback();
        } catch (error) {
          // As an event listener's exception would be: reported, without keeping the others from running.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
      callbacks.clear();
    };
    watchers = { callbacks, listener };
    watched.set(signal, watchers);
    signal.addEventListener('abort', listener, { once: true });
  }
  const { callbacks, listener } = watchers;
  // A wrapper of its own, so that watching twice with the same function is two watches, as with events.
  const callback = (): void => onAbort();
  callbacks.add(callback);
  return () => {
    if (!callbacks.delete(callback) || callbacks.size > 0) return;
    signal.removeEventListener('abort', listener);
    if (watched.get(signal) === watchers) watched.delete(signal);
  };
}
