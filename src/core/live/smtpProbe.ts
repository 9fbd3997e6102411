// The live SMTP probe: one connection, walked through resolve → connect → (TLS) → greeting → EHLO →
// STARTTLS → EHLO → QUIT. Every step has its own timeout, every read is bounded, and an AbortSignal stops
// everything at once. Never sends AUTH, credentials or mail. The promise settles only after every socket is
// closed and every timer cleared.

import { quoted } from '../escape';
// Named imports of Node's modules: a namespace import costs a copy of the whole module at load.
import { Socket, connect as connectSocket, isIP, isIPv4, isIPv6 } from 'net';
import { hostname } from 'os';
import { Duplex } from 'stream';
import type * as tls from 'tls';
import { monotonicMs, nodeTls } from './builtins';
import { watchAbort } from './abortWatch';
import type { CertificateFacts, ProbeStatus, ProbeTimings, SmtpProbeOptions, SmtpProbeResult, TlsFacts } from './probeTypes';
import { replyText, SmtpConnection, systemLookup, tlsServerName, trustedCas, waitStep } from './smtpConnection';
import { DEFAULT_READ_LIMITS, decodeLine, isMalformed, parseEhloExtensions, READ_LIMIT_MESSAGES, type MalformedReply, type SmtpReply } from './smtpReply';

export const DEFAULT_STEP_TIMEOUT_MS = 5000;
/** Longest wait for the answer to a ClientHello sent to a port that never greeted (`detectImplicitTls`). */
export const TLS_SNIFF_MAX_MS = 2000;

/** A plain-text SMTP reply line: three digits, then space, dash or the line end. */
const SMTP_REPLY_START = /^[1-5]\d\d([ -]|\r?\n|$)/;

/** The first bytes of a TLS record: handshake (0x16) or alert (0x15), protocol major version 3. */
export function looksLikeTlsRecord(bytes: Buffer): boolean {
  return bytes.length >= 2 && (bytes[0] === 0x16 || bytes[0] === 0x15) && bytes[1] === 0x03;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

type FailureKind = 'timeout' | 'cancelled' | 'closed' | 'error' | 'limit';

/** How a step ended when it did not succeed; turned into a status and detail by the stage it happened in. */
class StepFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

function asFailure(e: unknown): StepFailure {
  if (e instanceof StepFailure) return e;
  throw e; // anything else is a bug, not a network condition
}

export function probeSmtp(options: SmtpProbeOptions): Promise<SmtpProbeResult> {
  return new SmtpProbe(options).run();
}

function connectStatus(f: StepFailure): ProbeStatus {
  if (f.kind === 'timeout') return 'timeout';
  if (f.code === 'ECONNREFUSED') return 'refused';
  return 'unreachable';
}

/** This machine's name, read once: every probe of a run would otherwise ask the system again. */
let hostName: string | undefined;

/** EHLO argument: printable ASCII only (no CRLF injection), IP literals in brackets. */
export function ehloArgument(name: string | undefined): string {
  const clean = (name ?? (hostName ??= hostname())).replace(/[^\x21-\x7e]/g, '');
  if (!clean) return 'localhost';
  // Only strings that can be addresses are tested: isIPv6 compiles a large pattern on first use.
  if (/^[\d.]+$/.test(clean) && isIPv4(clean)) return `[${clean}]`;
  if (clean.includes(':') && isIPv6(clean)) return `[IPv6:${clean}]`;
  return clean;
}

function formatName(name: tls.Certificate | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}

function firstValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Certificate and trust facts of an established TLS socket (we connect with rejectUnauthorized false). */
export function certificateFacts(socket: tls.TLSSocket, host: string, now = Date.now()): CertificateFacts | undefined {
  const cert = socket.getPeerCertificate(false);
  if (!cert || !cert.raw) return undefined;
  const validFrom = new Date(cert.valid_from);
  const validTo = new Date(cert.valid_to);
  const iso = (d: Date, raw: string) => (Number.isNaN(d.getTime()) ? raw : d.toISOString());
  const identityError = nodeTls().checkServerIdentity(host.replace(/\.$/, ''), cert);
  const authError = socket.authorizationError as unknown;
  const facts: CertificateFacts = {
    subject: firstValue(cert.subject?.CN) ?? formatName(cert.subject),
    subjectAltNames: cert.subjectaltname ? cert.subjectaltname.split(/,\s*/).filter(Boolean) : [],
    issuer: formatName(cert.issuer),
    validFrom: iso(validFrom, cert.valid_from),
    validTo: iso(validTo, cert.valid_to),
    daysLeft: Math.floor((validTo.getTime() - now) / 86_400_000),
    fingerprint256: cert.fingerprint256,
    trusted: socket.authorized,
    trustError: socket.authorized ? undefined : authError instanceof Error ? ((authError as NodeJS.ErrnoException).code ?? authError.message) : String(authError),
    hostnameMatches: identityError === undefined,
  };
  // The DER, for DANE; hidden from JSON.stringify and Object.entries (it is large and not for people).
  Object.defineProperty(facts, 'raw', { value: cert.raw, enumerable: false });
  Object.defineProperty(facts, 'chain', { value: peerChain(socket), enumerable: false });
  return facts;
}

/** The peer's chain as DER, leaf first, at most 10 certificates (the last issuer links to itself). */
function peerChain(socket: tls.TLSSocket): Buffer[] {
  const chain: Buffer[] = [];
  let cert: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<tls.DetailedPeerCertificate>();
  while (cert && cert.raw && !seen.has(cert) && chain.length < 10) {
    seen.add(cert);
    chain.push(cert.raw);
    cert = cert.issuerCertificate;
  }
  return chain;
}

const MAX_TRANSCRIPT_LINES = 200;
const MAX_TRANSCRIPT_LINE = 512;


class SmtpProbe {
  private readonly started = monotonicMs();
  private readonly timings: Mutable<ProbeTimings> = { total: 0 };
  private readonly result: Mutable<SmtpProbeResult>;
  private readonly timeouts: Required<NonNullable<SmtpProbeOptions['timeouts']>>;
  private readonly connection = new SmtpConnection();
  private readonly reader = this.connection.reader;
  private readonly onAbort = (): void => this.connection.destroyAll();
  /** The conversation as swaks prints it (`<-` server, ` ->` us, `<~`/` ~>` over TLS, `===`/`***` notes). */
  private readonly transcript: string[] = [];
  private overTls = false;

  constructor(private readonly options: SmtpProbeOptions) {
    const t = options.timeouts ?? {};
    this.timeouts = {
      dns: t.dns ?? DEFAULT_STEP_TIMEOUT_MS,
      connect: t.connect ?? DEFAULT_STEP_TIMEOUT_MS,
      greeting: t.greeting ?? DEFAULT_STEP_TIMEOUT_MS,
      command: t.command ?? DEFAULT_STEP_TIMEOUT_MS,
      tls: t.tls ?? DEFAULT_STEP_TIMEOUT_MS,
    };
    this.result = { host: options.host, port: options.port, status: 'open', timings: this.timings, transcript: this.transcript };
  }

  /** One transcript line, bounded: a hostile server cannot make the transcript large. */
  private note(line: string): void {
    if (this.transcript.length < MAX_TRANSCRIPT_LINES) this.transcript.push(line.length > MAX_TRANSCRIPT_LINE ? line.slice(0, MAX_TRANSCRIPT_LINE) + '…' : line);
    else if (this.transcript.length === MAX_TRANSCRIPT_LINES) this.transcript.push('*** transcript cut short');
  }

  private noteReply(reply: SmtpReply | MalformedReply): void {
    const arrow = this.overTls ? '<~ ' : '<- ';
    if (isMalformed(reply)) return this.note(`${arrow} ${reply.malformed}`);
    reply.lines.forEach((line, i) => this.note(`${arrow} ${reply.code}${i < reply.lines.length - 1 ? '-' : ' '}${line}`.replace(/ +$/, '')));
  }

  async run(): Promise<SmtpProbeResult> {
    // An early connection is this probe's from the start, so it is closed however the probe ends.
    if (this.options.early) this.connection.track(this.options.early.socket);
    const unwatch = watchAbort(this.options.signal, this.onAbort);
    try {
      await this.walk();
    } catch (e) {
      const f = asFailure(e);
      if (f.kind !== 'cancelled') throw e;
      this.result.status = 'cancelled';
      this.result.detail = `cancelled after ${Math.round(monotonicMs() - this.started)} ms`;
    } finally {
      unwatch();
      this.connection.destroyAll();
      await this.connection.allClosed(1000);
    }
    // With an early connection the probe began when that connection did.
    this.timings.total = this.elapsed(Math.min(this.started, this.options.early?.startedAt ?? this.started));
    return this.result;
  }

  private elapsed(since: number, until = monotonicMs()): number {
    return Math.round((until - since) * 10) / 10;
  }

  /** Runs a step and adds its duration to `timings[key]`; cancellation always propagates. */
  private async timed<T>(key: Exclude<keyof ProbeTimings, 'total'>, work: () => Promise<T>): Promise<T> {
    const t = monotonicMs();
    try {
      return await work();
    } finally {
      this.timings[key] = Math.round(((this.timings[key] ?? 0) + monotonicMs() - t) * 10) / 10;
    }
  }

  /** One waiting step (waitStep): `body` registers listeners and returns their removal; it settles through `ok`/`fail`. */
  private step<T>(ms: number, timeoutMessage: string, body: (ok: (v: T) => void, fail: (f: StepFailure) => void) => () => void): Promise<T> {
    return waitStep(ms, this.options.signal, { timeout: () => new StepFailure('timeout', timeoutMessage), cancelled: () => new StepFailure('cancelled', 'cancelled') }, body);
  }

  // ---- the walk ----------------------------------------------------------------------------------------

  private async walk(): Promise<void> {
    const r = this.result;
    if (this.options.signal?.aborted) throw new StepFailure('cancelled', 'cancelled');

    const addresses = await this.resolveStage();
    if (!addresses) return;

    const plain = await this.connectStage(addresses);
    if (!plain) return;
    this.connection.attach(plain);

    const implicit = this.options.implicitTls ?? this.options.port === 465;
    if (implicit) {
      try {
        const secure = await this.timed('tls', () => this.handshake(plain, true));
        r.tls = this.tlsFacts(secure, 'implicit');
        this.noteTls(r.tls);
      } catch (e) {
        const f = asFailure(e);
        if (f.kind === 'cancelled') throw f;
        this.note(`*** TLS at connect failed: ${f.message}`);
        // With a plain-text greeting, `f` says so (code PLAIN_GREETING) and plainGreetingDuringTls is set.
        r.status = 'no-greeting';
        r.tls = { mode: 'implicit', error: f.message };
        r.detail = f.kind === 'timeout' ? `no TLS handshake within ${this.timeouts.tls} ms` : `TLS handshake failed: ${f.message}`;
        return;
      }
    }

    if (!(await this.greetingStage(implicit))) return;
    const extensions = await this.ehloStage('ehlo');
    if (!extensions) return;
    r.extensions = extensions;

    if (!implicit && extensions.STARTTLS !== undefined) {
      const ok = await this.starttlsStage();
      if (ok === 'dead') return;
      if (ok === 'secure') {
        const after = await this.ehloStage('ehloAfterTls');
        if (!after) return;
        r.extensionsAfterTls = after;
      }
    }
    await this.quit();
  }

  private async resolveStage(): Promise<string[] | undefined> {
    const r = this.result;
    const host = this.options.host.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host)) return [host];
    const lookup = this.options.lookup ?? systemLookup;
    this.note(`=== Resolving ${host}`);
    try {
      const found = await this.timed('dns', () =>
        this.step<readonly string[]>(this.timeouts.dns, `no DNS answer within ${this.timeouts.dns} ms`, (ok, fail) => {
          lookup(host).then(ok, (e: NodeJS.ErrnoException) => fail(new StepFailure('error', e?.code ?? String(e?.message ?? e), e?.code)));
          return () => undefined;
        }),
      );
      const addresses = found.filter((a) => isIP(a));
      if (!addresses.length) {
        r.status = 'dns-failure';
        r.dnsError = 'ENODATA';
        r.detail = `${host} has no IPv4 or IPv6 address`;
        return undefined;
      }
      return addresses;
    } catch (e) {
      const f = asFailure(e);
      if (f.kind === 'cancelled') throw f;
      r.status = 'dns-failure';
      r.dnsError = f.kind === 'timeout' ? 'ETIMEOUT' : dnsCode(f.code ?? f.message);
      r.detail = f.kind === 'timeout' ? f.message : `${host} does not resolve (${f.message})`;
      return undefined;
    }
  }

  private async connectStage(addresses: readonly string[]): Promise<Socket | undefined> {
    const r = this.result;
    const failures: string[] = [];
    for (const address of addresses) {
      r.address = address;
      this.note(`=== Trying ${address.includes(':') ? `[${address}]` : address}:${this.options.port}...`);
      const early = this.options.early?.address === address && this.options.early.port === this.options.port ? this.options.early : undefined;
      const socket = early?.socket ?? connectSocket({ host: address, port: this.options.port });
      if (!early) this.connection.track(socket);
      try {
        await this.timed('connect', () =>
          this.step<void>(this.timeouts.connect, `no answer within ${this.timeouts.connect} ms`, (ok, fail) => {
            const onConnect = (): void => ok();
            const onError = (e: NodeJS.ErrnoException): void => fail(new StepFailure('error', e.code ?? e.message, e.code));
            // An early connection may have got its answer already.
            if (early?.error || early?.connectedAt !== undefined) {
              if (early.error) onError(early.error);
              else onConnect();
              return () => undefined;
            }
            socket.once('connect', onConnect);
            socket.once('error', onError);
            return () => {
              socket.off('connect', onConnect);
              socket.off('error', onError);
            };
          }),
        );
        // The connection took from its start to its 'connect', however much of that came before this probe.
        if (early?.connectedAt !== undefined) this.timings.connect = this.elapsed(early.startedAt, early.connectedAt);
        socket.setNoDelay(true);
        this.note(`=== Connected to ${address}.`);
        return socket;
      } catch (e) {
        const f = asFailure(e);
        socket.destroy();
        if (f.kind === 'cancelled') throw f;
        this.note(`*** ${f.message}`);
        r.status = connectStatus(f);
        failures.push(addresses.length > 1 ? `${address}: ${f.message}` : f.message);
      }
    }
    r.detail = failures.join('; ');
    return undefined;
  }

  private async greetingStage(implicit: boolean): Promise<boolean> {
    const r = this.result;
    let greeting: SmtpReply | MalformedReply;
    try {
      greeting = await this.timed('greeting', () => this.readReply(this.timeouts.greeting, 'greeting'));
    } catch (e) {
      const f = asFailure(e);
      if (f.kind === 'cancelled') throw f;
      this.note(`*** ${f.message}`);
      r.status = 'no-greeting';
      r.detail = f.message;
      // Not a byte in all that time: perhaps the server waits for a ClientHello (implicit TLS).
      if (f.kind === 'timeout' && !implicit && this.options.detectImplicitTls && this.reader.totalBytes === 0 && (await this.sniffTls())) {
        r.tlsRecordSeen = true;
        r.detail = `${f.message}; a TLS ClientHello sent then was answered with TLS: the port speaks implicit TLS`;
      }
      return false;
    }
    if (isMalformed(greeting)) {
      r.status = 'bad-greeting';
      r.banner = greeting.malformed.slice(0, 4096);
      r.detail = `not an SMTP greeting: ${quoted(greeting.malformed, 81)}`;
      return false;
    }
    r.banner = greeting.lines.join('\n');
    if (greeting.code !== 220) {
      r.status = 'bad-greeting';
      r.detail = `greeting is ${replyText(greeting)}, not 220`;
      await this.quit();
      return false;
    }
    r.status = 'open';
    return true;
  }

  /** EHLO (HELO when EHLO is refused); the extensions, or undefined when the connection is unusable. */
  private async ehloStage(key: 'ehlo' | 'ehloAfterTls'): Promise<Record<string, string> | undefined> {
    const r = this.result;
    const name = ehloArgument(this.options.ehloName);
    const label = key === 'ehlo' ? 'EHLO' : 'EHLO after STARTTLS';
    try {
      const reply = await this.timed(key, () => this.command(`EHLO ${name}`, label));
      if (reply.code === 250) return parseEhloExtensions(reply);
      if (reply.code >= 500) {
        const helo = await this.timed(key, () => this.command(`HELO ${name}`, 'HELO'));
        r.detail = `EHLO refused (${replyText(reply)}); HELO got ${helo.code}`;
        if (helo.code === 250) return {};
      } else {
        r.detail = `${label} got ${replyText(reply)}`;
      }
      await this.quit();
      return undefined;
    } catch (e) {
      const f = asFailure(e);
      if (f.kind === 'cancelled') throw f;
      r.detail = `${label}: ${f.message}`;
      return undefined;
    }
  }

  private async starttlsStage(): Promise<'secure' | 'refused' | 'dead'> {
    const r = this.result;
    const plain = this.connection.current!;
    let secure: tls.TLSSocket;
    try {
      secure = await this.timed('tls', async () => {
        const reply = await this.command('STARTTLS', 'STARTTLS');
        if (reply.code !== 220) throw new StepFailure('error', `STARTTLS refused: ${replyText(reply)}`, 'STARTTLS_REFUSED');
        return this.handshake(plain);
      });
    } catch (e) {
      const f = asFailure(e);
      if (f.kind === 'cancelled') throw f;
      this.note(`*** ${f.code === 'STARTTLS_REFUSED' ? f.message : `TLS handshake failed: ${f.message}`}`);
      if (f.code === 'STARTTLS_REFUSED') {
        r.tls = { mode: 'starttls', error: f.message };
        r.detail = f.message;
        return 'refused';
      }
      r.tls = { mode: 'starttls', error: f.message };
      r.detail = `STARTTLS failed: ${f.message}`;
      return 'dead';
    }
    r.tls = this.tlsFacts(secure, 'starttls');
    this.noteTls(r.tls);
    return 'secure';
  }

  /** A polite QUIT; its outcome does not change the result (except cancellation). */
  private async quit(): Promise<void> {
    const { current: socket, ended, error } = this.connection;
    if (!socket || socket.destroyed || ended || error || this.reader.error) return;
    try {
      await this.command('QUIT', 'QUIT');
    } catch (e) {
      if (asFailure(e).kind === 'cancelled') throw e;
    }
  }

  // ---- socket plumbing ---------------------------------------------------------------------------------

  /**
   * Starts TLS as a client over the connected socket; we judge trust ourselves afterwards. With `watch`, TLS
   * runs over a stream that first shows `watch` every chunk the server sends (its first bytes tell a TLS
   * server from a plain SMTP one).
   */
  private startTls(plain: Socket, watch?: (chunk: Buffer) => void): tls.TLSSocket {
    this.connection.detach(plain);
    // Plaintext the server sent after its 220 must never be read as if it came over TLS.
    this.reader.discard();
    const secure = nodeTls().connect({
      socket: watch ? tapped(plain, watch) : plain,
      servername: tlsServerName(this.options.host),
      rejectUnauthorized: false,
      ca: trustedCas(this.options.ca),
      // Node would fold a name mismatch into `authorized`; we report chain trust and the name separately.
      checkServerIdentity: () => undefined,
    });
    this.connection.track(secure);
    return secure;
  }

  /**
   * The TLS handshake (at connect when `implicit`, else after STARTTLS). At connect, a server whose first
   * bytes are a plain SMTP reply ends it at once: the port speaks plain SMTP (plainGreetingDuringTls).
   */
  private handshake(plain: Socket, implicit = false): Promise<tls.TLSSocket> {
    let first = Buffer.alloc(0);
    let decided = false;
    let plainGreeting: ((f: StepFailure) => void) | undefined;
    const watch = (chunk: Buffer): void => {
      if (decided) return;
      first = Buffer.concat([first, chunk]).subarray(0, 512);
      if (first.length < 4 && !first.includes(0x0a)) return;
      decided = true;
      const text = first.toString('latin1');
      if (!SMTP_REPLY_START.test(text)) return;
      let end = first.indexOf(0x0a);
      if (end < 0) end = first.length;
      if (end > 0 && first[end - 1] === 0x0d) end--;
      const line = decodeLine(first.subarray(0, end));
      this.result.plainGreetingDuringTls = true;
      this.result.banner = line.slice(4);
      plainGreeting?.(new StepFailure('error', `the server sent a plain-text SMTP greeting (${quoted(line, 81)}) instead of a TLS ServerHello`, 'PLAIN_GREETING'));
    };
    const secure = this.startTls(plain, implicit ? watch : undefined);
    const ms = this.timeouts.tls;
    return this.step<tls.TLSSocket>(ms, `no TLS handshake within ${ms} ms`, (ok, fail) => {
      plainGreeting = fail;
      const onSecure = (): void => {
        this.connection.attach(secure);
        ok(secure);
      };
      const onError = (e: NodeJS.ErrnoException): void => fail(new StepFailure('error', e.code ? `${e.code}: ${e.message}` : e.message, e.code));
      const onClose = (): void => fail(new StepFailure('closed', 'connection closed during the TLS handshake'));
      secure.once('secureConnect', onSecure);
      secure.on('error', onError);
      secure.once('close', onClose);
      return () => {
        plainGreeting = undefined;
        secure.off('secureConnect', onSecure);
        secure.off('error', onError);
        secure.off('close', onClose);
      };
    });
  }

  /**
   * For a plain-text probe that got no greeting (and no byte): sends a ClientHello on the same connection and
   * tells whether the answer starts like a TLS record. Any other outcome (silence, close, other bytes) is no.
   */
  private async sniffTls(): Promise<boolean> {
    const { current: plain, ended, error } = this.connection;
    if (!plain || plain.destroyed || ended || error) return false;
    const ms = Math.min(this.timeouts.tls, TLS_SNIFF_MAX_MS);
    try {
      return await this.timed('tls', () =>
        this.step<boolean>(ms, `no answer to a TLS ClientHello within ${ms} ms`, (ok) => {
          let first = Buffer.alloc(0);
          const secure = this.startTls(plain, (chunk) => {
            first = Buffer.concat([first, chunk]).subarray(0, 2);
            if (first.length >= 2) ok(looksLikeTlsRecord(first));
          });
          const no = (): void => ok(false);
          secure.on('error', no);
          secure.once('close', no);
          return () => {
            secure.off('error', no);
            secure.off('close', no);
          };
        }),
      );
    } catch (e) {
      const f = asFailure(e);
      if (f.kind === 'cancelled') throw f;
      return false;
    }
  }

  private noteTls(facts: TlsFacts): void {
    this.overTls = true;
    const c = facts.certificate;
    this.note(`=== TLS started with cipher ${[facts.version, facts.cipher].filter(Boolean).join(':')}`);
    if (c) this.note(`=== TLS peer DN="${c.subject}" (issuer "${c.issuer}", ${c.trusted ? 'trusted' : `not trusted${c.trustError ? `: ${c.trustError}` : ''}`})`);
  }

  private tlsFacts(secure: tls.TLSSocket, mode: TlsFacts['mode']): TlsFacts {
    return {
      mode,
      version: secure.getProtocol() ?? undefined,
      cipher: secure.getCipher()?.name,
      certificate: certificateFacts(secure, this.options.host),
    };
  }

  private async command(line: string, label: string): Promise<SmtpReply> {
    const socket = this.connection.current;
    if (!socket || socket.destroyed) throw new StepFailure('closed', 'connection already closed');
    socket.write(line + '\r\n');
    this.note(`${this.overTls ? ' ~>' : ' ->'} ${line}`);
    const reply = await this.readReply(this.timeouts.command, label);
    if (isMalformed(reply)) throw new StepFailure('error', `not an SMTP reply: ${quoted(reply.malformed, 81)}`);
    return reply;
  }

  /** The next complete reply, within `ms`; fails on timeout, close, socket error or a read limit. */
  private readReply(ms: number, what: string): Promise<SmtpReply | MalformedReply> {
    const reader = this.reader;
    const limitFailure = (): StepFailure => {
      const limits = DEFAULT_READ_LIMITS;
      const max =
        reader.error === 'line-too-long'
          ? `over ${limits.maxLineBytes} bytes`
          : reader.error === 'too-many-lines'
            ? `over ${limits.maxReplyLines} lines`
            : `over ${limits.maxTotalBytes} bytes received`;
      return new StepFailure('limit', `${READ_LIMIT_MESSAGES[reader.error!]} in the ${what} (${max})`);
    };
    const started = reader.totalBytes;
    const timeoutMessage = (): string => {
      const got = reader.totalBytes - started;
      return `no ${what === 'greeting' ? 'greeting' : `reply to ${what}`} within ${ms} ms${got ? ` (${got} bytes received, reply incomplete)` : ''}`;
    };
    return this.step<SmtpReply | MalformedReply>(ms, '', (ok, fail) => {
      const check = (): void => {
        if (reader.error) return fail(limitFailure());
        const reply = reader.takeReply();
        if (reply) {
          this.noteReply(reply);
          return ok(reply);
        }
        if (reader.error) return fail(limitFailure());
        const { error, ended } = this.connection;
        if (error) {
          const code = (error as NodeJS.ErrnoException).code;
          return fail(new StepFailure('error', `connection error ${what === 'greeting' ? 'before the greeting' : `after ${what}`}: ${code ?? error.message}`, code));
        }
        if (ended) return fail(new StepFailure('closed', `connection closed ${what === 'greeting' ? 'before the greeting' : `after ${what} without a reply`}`));
      };
      this.connection.wake = check;
      check();
      return () => {
        if (this.connection.wake === check) this.connection.wake = undefined;
      };
    }).catch((e: unknown) => {
      const f = asFailure(e);
      throw f.kind === 'timeout' ? new StepFailure('timeout', timeoutMessage()) : f;
    });
  }
}

/**
 * A stream over `plain` for TLS to run on, so that `watch` sees each chunk the server sends before TLS reads
 * it. Reading follows TLS's pace; closing either side closes both.
 */
function tapped(plain: Socket, watch: (chunk: Buffer) => void): Duplex {
  const wire = new Duplex({
    read: () => void plain.resume(),
    write: (chunk: Buffer, _encoding, callback) => {
      if (plain.destroyed) return callback(new Error('connection closed'));
      plain.write(chunk, (e) => callback(e ?? null));
    },
    final: (callback) => {
      plain.end();
      callback();
    },
    destroy: (e, callback) => {
      plain.destroy();
      callback(e);
    },
  });
  plain.on('data', (chunk: Buffer) => {
    watch(chunk);
    if (!wire.push(chunk)) plain.pause();
  });
  plain.once('end', () => wire.push(null));
  plain.once('error', (e) => wire.destroy(e));
  plain.once('close', () => wire.destroy());
  return wire;
}

/** getaddrinfo's codes as the resolver's: EAI_AGAIN is a server that did not answer, not a missing name. */
function dnsCode(code: string): string {
  return code === 'EAI_AGAIN' ? 'ETIMEOUT' : code === 'EAI_NONAME' ? 'ENOTFOUND' : code === 'EAI_NODATA' ? 'ENODATA' : code;
}
