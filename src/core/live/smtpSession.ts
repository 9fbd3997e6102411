// A small SMTP client session for the checks that go past EHLO: the relay test (MAIL FROM / RCPT TO / RSET),
// login verification (AUTH) and the TLS scan (a raw ClientHello after STARTTLS). One connection at a time,
// every step with its own timeout, every read bounded, an AbortSignal that stops everything, and close()
// settles only once every socket is gone. Failures are thrown as SessionFailure; each check turns them into
// its own typed result (a refused port is a result, not a bug).

import { Socket, connect as connectSocket, isIP } from 'net';
import type * as tls from 'tls';
import { nodeTls } from './builtins';
import { watchAbort } from './abortWatch';
import { replyText, SmtpConnection, systemLookup, tlsServerName, trustedCas, waitStep } from './smtpConnection';
import { ehloArgument } from './smtpProbe';
import { isMalformed, parseEhloExtensions, READ_LIMIT_MESSAGES, type SmtpReply } from './smtpReply';

export type SessionFailureKind = 'resolve' | 'connect' | 'timeout' | 'closed' | 'protocol' | 'tls' | 'limit' | 'cancelled';

export class SessionFailure extends Error {
  constructor(
    readonly kind: SessionFailureKind,
    message: string,
    /** The socket or resolver error code (ECONNREFUSED, ENOTFOUND...), or the SMTP reply that ended the step. */
    readonly code?: string,
    readonly reply?: SmtpReply,
  ) {
    super(message);
  }
}

export function isSessionFailure(e: unknown): e is SessionFailure {
  return e instanceof SessionFailure;
}

export interface SessionOptions {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465 style). */
  readonly implicitTls?: boolean;
  /** Each step's timeout (resolve, connect, each reply, a TLS handshake); default 5000 ms. */
  readonly stepTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Name resolution (tests and --dns); default: the system resolver. */
  readonly lookup?: (host: string) => Promise<readonly string[]>;
  /** Extra trusted CA certificates (PEM); trust is reported, never enforced, here. */
  readonly ca?: string | readonly string[];
  /** TLS options for implicit TLS (e.g. a lowered floor for the scan). */
  readonly tls?: tls.ConnectionOptions;
  readonly ehloName?: string;
}

/** What a TLS handshake gave. */
export interface SessionTls {
  readonly version?: string;
  readonly cipher?: string;
  readonly authorized: boolean;
  readonly authorizationError?: string;
  readonly hostnameMatches: boolean;
}

/** The bytes a server sent back to raw bytes, and how the exchange ended. */
export interface RawAnswer {
  readonly bytes: Buffer;
  readonly end: 'complete' | 'closed' | 'timeout' | 'limit';
}

const CLOSE_WAIT_MS = 1000;
/** Most bytes kept from a raw (non-SMTP) answer, e.g. the server's reply to a ClientHello. */
const RAW_LIMIT = 64 * 1024;

export class SmtpSession {
  private readonly connection = new SmtpConnection();
  private readonly reader = this.connection.reader;
  private raw: Buffer[] | undefined;
  private rawBytes = 0;
  private readonly unwatch: () => void;
  private readonly stepMs: number;
  /** The address connected to. */
  address = '';
  /** Our end of the connection, as the server sees it when no NAT is in between. */
  localAddress = '';
  greeting: SmtpReply = { code: 0, lines: [] };
  extensions: Record<string, string> | undefined;
  tls: SessionTls | undefined;

  private constructor(private readonly options: SessionOptions) {
    this.stepMs = options.stepTimeoutMs ?? 5000;
    this.unwatch = watchAbort(options.signal, () => this.connection.destroyAll());
  }

  /** Resolves, connects, starts TLS at connect if asked, and reads the greeting (which must be 220). */
  static async open(options: SessionOptions): Promise<SmtpSession> {
    const session = new SmtpSession(options);
    try {
      await session.connect();
      if (options.implicitTls) await session.handshake(session.connection.current!, options.tls);
      const greeting = await session.readReply('the greeting');
      session.greeting = greeting;
      if (greeting.code !== 220) throw new SessionFailure('protocol', `greeting is ${replyText(greeting)}, not 220`, String(greeting.code), greeting);
      return session;
    } catch (e) {
      await session.close();
      throw session.options.signal?.aborted ? new SessionFailure('cancelled', 'cancelled') : e;
    }
  }

  /** EHLO, or HELO when EHLO is refused; the extensions (empty after HELO). */
  async ehlo(): Promise<Record<string, string>> {
    const name = ehloArgument(this.options.ehloName);
    const reply = await this.command(`EHLO ${name}`, 'EHLO');
    if (reply.code === 250) return (this.extensions = parseEhloExtensions(reply));
    if (reply.code >= 500) {
      const helo = await this.command(`HELO ${name}`, 'HELO');
      if (helo.code === 250) return (this.extensions = {});
      throw new SessionFailure('protocol', `EHLO and HELO refused (${replyText(helo)})`, String(helo.code), helo);
    }
    throw new SessionFailure('protocol', `EHLO got ${replyText(reply)}`, String(reply.code), reply);
  }

  /** Sends one command line and reads its reply. `shown` replaces the line in error messages (AUTH data). */
  async command(line: string, shown = line): Promise<SmtpReply> {
    this.write(line + '\r\n');
    return this.readReply(`the reply to ${shown}`);
  }

  /**
   * Sends the lines as one pipelined group (RFC 2920; the server must offer PIPELINING) and reads one reply for
   * each; stops early, with the replies read so far, when the server closes or a reply is 421.
   */
  async pipeline(lines: readonly string[]): Promise<SmtpReply[]> {
    this.write(lines.map((l) => l + '\r\n').join(''));
    const replies: SmtpReply[] = [];
    for (const line of lines) {
      const reply = await this.readReply(`the reply to ${line.split(':')[0]}`);
      replies.push(reply);
      if (reply.code === 421) break;
    }
    return replies;
  }

  /** STARTTLS and the handshake; throws with the reply when the server refuses it. */
  async startTls(options: tls.ConnectionOptions = {}): Promise<SessionTls> {
    const reply = await this.command('STARTTLS');
    if (reply.code !== 220) throw new SessionFailure('protocol', `STARTTLS refused: ${replyText(reply)}`, String(reply.code), reply);
    return this.handshake(this.connection.current!, options);
  }

  /** Resolves and connects, nothing more: for a raw exchange on a port that speaks TLS from the first byte. */
  static async connectOnly(options: SessionOptions): Promise<SmtpSession> {
    const session = new SmtpSession(options);
    try {
      await session.connect();
      return session;
    } catch (e) {
      await session.close();
      throw session.options.signal?.aborted ? new SessionFailure('cancelled', 'cancelled') : e;
    }
  }

  /**
   * Sends STARTTLS and, once the server said 220, writes `bytes` (a raw TLS record) and collects the answer
   * until `complete` says it is whole, the server closes, or the step times out (then what came so far).
   */
  async starttlsRaw(bytes: Buffer, complete: (answer: Buffer) => boolean): Promise<RawAnswer> {
    const reply = await this.command('STARTTLS');
    if (reply.code !== 220) throw new SessionFailure('protocol', `STARTTLS refused: ${replyText(reply)}`, String(reply.code), reply);
    return this.exchangeRaw(bytes, complete);
  }

  /** Writes raw bytes and collects the answer as `starttlsRaw` does. */
  async exchangeRaw(bytes: Buffer, complete: (answer: Buffer) => boolean): Promise<RawAnswer> {
    const raw: Buffer[] = (this.raw = []);
    this.rawBytes = 0;
    this.reader.discard();
    this.connection.divert = (chunk) => {
      if (this.rawBytes >= RAW_LIMIT) return;
      raw.push(chunk);
      this.rawBytes += chunk.length;
    };
    this.write(bytes);
    return this.wait<RawAnswer>('the answer to a TLS ClientHello', (ok) => {
      const answer = Buffer.concat(this.raw!);
      if (complete(answer)) return ok({ bytes: answer, end: 'complete' });
      if (this.connection.ended || this.connection.error) return ok({ bytes: answer, end: 'closed' });
      if (this.rawBytes >= RAW_LIMIT) return ok({ bytes: answer, end: 'limit' });
    }, true).catch((e: unknown): RawAnswer => {
      if (e instanceof SessionFailure && e.kind === 'timeout') return { bytes: Buffer.concat(this.raw!), end: 'timeout' };
      throw e;
    });
  }

  /** A polite QUIT when the connection is still usable, then close(). Never throws. */
  async quit(): Promise<void> {
    const { current, ended, error } = this.connection;
    if (current && !current.destroyed && !ended && !error && !this.raw) {
      try {
        await this.command('QUIT');
      } catch {
        // The server may hang up first; the session ends either way.
      }
    }
    await this.close();
  }

  /** Destroys every socket and waits (at most a second) until each is closed. */
  async close(): Promise<void> {
    this.unwatch();
    this.connection.destroyAll();
    await this.connection.allClosed(CLOSE_WAIT_MS);
  }

  // ---- plumbing ------------------------------------------------------------------------------------------

  private async connect(): Promise<void> {
    const host = this.options.host.replace(/^\[(.*)\]$/, '$1');
    let addresses: readonly string[];
    if (isIP(host)) addresses = [host];
    else {
      const lookup = this.options.lookup ?? systemLookup;
      addresses = await this.wait<readonly string[]>(`resolving ${host}`, (ok, fail) => {
        lookup(host).then(ok, (e: NodeJS.ErrnoException) => fail(new SessionFailure('resolve', `${host} does not resolve (${e?.code ?? 'lookup failed'})`, e?.code)));
      });
      addresses = addresses.filter((a) => isIP(a));
      if (!addresses.length) throw new SessionFailure('resolve', `${host} has no address`, 'ENODATA');
    }
    let last: SessionFailure | undefined;
    for (const address of addresses) {
      const socket = connectSocket({ host: address, port: this.options.port });
      this.connection.track(socket);
      try {
        await this.wait<void>(`connecting to ${address}:${this.options.port}`, (ok, fail) => {
          socket.once('connect', () => ok());
          socket.once('error', (e: NodeJS.ErrnoException) => fail(new SessionFailure('connect', `${address}:${this.options.port}: ${e.code ?? e.message}`, e.code)));
        });
        this.address = address;
        this.localAddress = socket.localAddress ?? '';
        this.connection.attach(socket);
        return;
      } catch (e) {
        socket.destroy();
        if (!(e instanceof SessionFailure) || e.kind === 'cancelled') throw e;
        last = e.kind === 'timeout' ? new SessionFailure('connect', `${address}:${this.options.port}: no answer within ${this.stepMs} ms`, 'ETIMEDOUT') : e;
      }
    }
    throw last ?? new SessionFailure('connect', 'no address to connect to');
  }

  private async handshake(plain: Socket, options: tls.ConnectionOptions = {}): Promise<SessionTls> {
    this.connection.detach(plain);
    this.reader.discard();
    const extra = trustedCas(this.options.ca);
    const secure = nodeTls().connect({
      socket: plain,
      servername: tlsServerName(this.options.host),
      rejectUnauthorized: false,
      ...(extra ? { ca: extra } : {}),
      checkServerIdentity: () => undefined,
      ...options,
    });
    this.connection.track(secure);
    await this.wait<void>('the TLS handshake', (ok, fail) => {
      secure.once('secureConnect', () => ok());
      secure.once('error', (e: NodeJS.ErrnoException) => fail(new SessionFailure('tls', `TLS handshake failed: ${e.code ?? e.message}`, e.code)));
      secure.once('close', () => fail(new SessionFailure('tls', 'connection closed during the TLS handshake')));
    });
    this.connection.attach(secure);
    const cert = secure.getPeerCertificate();
    const authError = secure.authorizationError as unknown;
    this.tls = {
      version: secure.getProtocol() ?? undefined,
      cipher: secure.getCipher()?.name,
      authorized: secure.authorized,
      ...(secure.authorized ? {} : { authorizationError: authError instanceof Error ? ((authError as NodeJS.ErrnoException).code ?? authError.message) : String(authError) }),
      hostnameMatches: !!cert?.raw && nodeTls().checkServerIdentity(this.options.host.replace(/\.$/, ''), cert) === undefined,
    };
    return this.tls;
  }

  private write(data: string | Buffer): void {
    const socket = this.connection.current;
    if (!socket || socket.destroyed || this.connection.ended) throw new SessionFailure('closed', 'the server closed the connection');
    socket.write(data);
  }

  private readReply(what: string): Promise<SmtpReply> {
    const reader = this.reader;
    return this.wait<SmtpReply>(what, (ok, fail) => {
      if (reader.error) return fail(new SessionFailure('limit', `${READ_LIMIT_MESSAGES[reader.error]} in ${what}`));
      const reply = reader.takeReply();
      if (reply && isMalformed(reply)) return fail(new SessionFailure('protocol', `not an SMTP reply in ${what}: ${JSON.stringify(reply.malformed.slice(0, 80))}`));
      if (reply) return ok(reply);
      if (reader.error) return fail(new SessionFailure('limit', `${READ_LIMIT_MESSAGES[reader.error]} in ${what}`));
      const { error, ended } = this.connection;
      if (error) return fail(new SessionFailure('closed', `connection error before ${what}: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
      if (ended) return fail(new SessionFailure('closed', `the server closed the connection before ${what}`));
    }, true);
  }

  /**
   * One waiting step. `check` runs now (and, when `reactive`, whenever data, an end or an error arrives); it
   * settles through `ok` / `fail`. Fails with `timeout` after the step timeout and `cancelled` when the signal aborts.
   */
  private wait<T>(what: string, check: (ok: (v: T) => void, fail: (f: SessionFailure) => void) => void, reactive = false): Promise<T> {
    const failures = { timeout: () => new SessionFailure('timeout', `no answer within ${this.stepMs} ms (waiting for ${what})`), cancelled: () => new SessionFailure('cancelled', 'cancelled') };
    return waitStep<T, SessionFailure>(this.stepMs, this.options.signal, failures, (ok, fail) => {
      const poll = (): void => check(ok, fail);
      // A reactive step looks again whenever the connection has news; the others register their own listeners once.
      if (reactive) this.connection.wake = poll;
      poll();
      return () => {
        if (this.connection.wake === poll) this.connection.wake = undefined;
      };
    });
  }
}
