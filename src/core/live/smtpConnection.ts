// The socket side of an SMTP client, shared by the probe (smtpProbe.ts) and the session (smtpSession.ts):
// every socket kept until it is closed, the one socket replies are read from (plain, then TLS), its bytes
// fed to a bounded line splitter (or handed elsewhere for a raw exchange), and a wake-up for the step that
// is waiting. The steps themselves, their timeouts and their failures stay with each client.

import { type Socket, connect as connectSocket, isIP } from 'net';
import { watchAbort } from './abortWatch';
import { monotonicMs, nodeDns, nodeTls } from './builtins';
import { DEFAULT_READ_LIMITS, LineSplitter, type SmtpReply } from './smtpReply';

export class SmtpConnection {
  /** The replies of the current socket, split into bounded lines. */
  readonly reader = new LineSplitter(DEFAULT_READ_LIMITS);
  /** The socket replies are read from (plain, then TLS). */
  current: Socket | undefined;
  /** The current socket ended or closed. */
  ended = false;
  /** The current socket's first error. */
  error: Error | undefined;
  /** Called when something arrives for the step that is waiting. */
  wake: (() => void) | undefined;
  /** When set, the current socket's bytes go here instead of the line splitter (a raw TLS exchange). */
  divert: ((chunk: Buffer) => void) | undefined;
  /** Every socket created, so that all are destroyed and awaited before the client settles. */
  private readonly sockets: Socket[] = [];
  private readonly closed: Promise<void>[] = [];

  /** Keeps a socket for the final cleanup; an error listener stays for its whole life (no unhandled 'error'). */
  track(socket: Socket): void {
    this.sockets.push(socket);
    // An early connection may have closed (refused) before its probe took it.
    this.closed.push(socket.closed ? Promise.resolve() : new Promise<void>((resolve) => socket.once('close', () => resolve())));
    socket.on('error', (e) => {
      if (socket === this.current) {
        this.error ??= e;
        this.wake?.();
      }
    });
  }

  /** Reads replies from `socket` from now on. */
  attach(socket: Socket): void {
    this.current = socket;
    this.ended = false;
    this.error = undefined;
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
  }

  /** Stops reading `socket` (before TLS takes it over). */
  detach(socket: Socket): void {
    socket.off('data', this.onData);
    socket.off('end', this.onEnd);
    socket.off('close', this.onEnd);
    this.current = undefined;
  }

  destroyAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  /** Waits for every socket's 'close' (its handle is then gone); capped so a Node quirk can never hang us. */
  async allClosed(maxMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.closed), new Promise<void>((resolve) => (timer = setTimeout(resolve, maxMs)))]);
    clearTimeout(timer);
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.divert) this.divert(chunk);
    else {
      this.reader.push(chunk);
      // Over a limit: stop reading at once rather than buffer what a hostile peer sends.
      if (this.reader.error) this.current?.destroy();
    }
    this.wake?.();
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    this.wake?.();
  };
}

/**
 * A TCP connection opened before the probe that uses it is set up: `smtp-doctor port` opens its ports first,
 * then prepares the probes while the connections are made and the servers get ready to greet (a greeting
 * takes longer than that), instead of connecting only after all of it. Until a probe takes the socket, its
 * outcome is kept here (an error never goes unhandled).
 */
export class EarlyConnection {
  readonly startedAt = monotonicMs();
  connectedAt: number | undefined;
  error: NodeJS.ErrnoException | undefined;
  readonly socket: Socket;

  constructor(
    readonly address: string,
    readonly port: number,
  ) {
    this.socket = connectSocket({ host: address, port });
    this.socket.once('connect', () => (this.connectedAt = monotonicMs()));
    this.socket.on('error', (e: NodeJS.ErrnoException) => (this.error ??= e));
  }
}

/** The early connections of one run, each taken by at most one probe; what no probe took is closed at the end. */
export class EarlyConnections {
  private readonly waiting = new Map<string, EarlyConnection>();

  /** Opens a connection to each port of `address` (an IP address: names are looked up by the probes). */
  constructor(address: string, ports: readonly number[]) {
    for (const port of ports) this.waiting.set(`${address}:${port}`, new EarlyConnection(address, port));
  }

  /**
   * Resolves once the connections are really under way. Node makes a connection to an address on its next
   * tick, and ticks wait until the promise callbacks queued before them have run: without this the run's
   * preparation, one long chain of promises, would go before the connections it is meant to overlap.
   */
  started(): Promise<void> {
    return new Promise((resolve) => process.nextTick(resolve));
  }

  take(address: string, port: number): EarlyConnection | undefined {
    const key = `${address}:${port}`;
    const early = this.waiting.get(key);
    this.waiting.delete(key);
    return early;
  }

  close(): void {
    for (const early of this.waiting.values()) early.socket.destroy();
    this.waiting.clear();
  }
}

/** How a waiting step fails when its time is up or its signal aborts (each client has its own failure type). */
export interface StepFailures<F> {
  readonly timeout: () => F;
  readonly cancelled: () => F;
}

/**
 * One waiting step of an SMTP client: `start` registers what it waits for, settles through `ok` / `fail`,
 * and may return the removal of its listeners. The step fails with `timeout()` after `ms` and `cancelled()`
 * when the signal aborts (a failure once it has aborted is a cancellation too: destroying the sockets may
 * fail a step first); the timer, the abort listener and the step's listeners are gone when it settles.
 */
export function waitStep<T, F>(ms: number, signal: AbortSignal | undefined, failures: StepFailures<F>, start: (ok: (v: T) => void, fail: (f: F) => void) => (() => void) | void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let remove: (() => void) | void = undefined;
    let unwatch = (): void => undefined;
    const finish = (settle: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unwatch();
      remove?.();
      settle();
    };
    const fail = (f: F) => finish(() => reject(signal?.aborted ? failures.cancelled() : f));
    const timer = setTimeout(() => fail(failures.timeout()), ms);
    if (signal?.aborted) return fail(failures.cancelled());
    unwatch = watchAbort(signal, () => fail(failures.cancelled()));
    const removal = start((v) => finish(() => resolve(v)), fail);
    if (done) removal?.();
    else remove = removal;
  });
}

/** The name for SNI and certificate checks: no brackets or trailing dot; undefined for IP literals (SNI forbids them). */
export function tlsServerName(host: string): string | undefined {
  const name = host.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  return isIP(name) ? undefined : name;
}

/** The CAs to trust: the system's plus the extra ones, or undefined (Node's default) when none are given. */
export function trustedCas(extra: string | readonly string[] | undefined): string[] | undefined {
  return extra === undefined ? undefined : [...nodeTls().rootCertificates, ...(typeof extra === 'string' ? [extra] : extra)];
}

/** A reply for an error message: code and text on one line, at most 200 characters. */
export function replyText(reply: SmtpReply): string {
  return `${reply.code} ${reply.lines.join(' ')}`.trim().slice(0, 200);
}

/** The system's name lookup (hosts file included), every address in the order it gives them. */
export async function systemLookup(host: string): Promise<string[]> {
  const found = await nodeDns().promises.lookup(host, { all: true, verbatim: true });
  return found.map((a) => a.address);
}
