// Pure pieces of the SMTP client: a bounded line splitter, the reply parser and the EHLO extension parser.
// No sockets here, so every limit can be tested with plain buffers.

/** Limits on what a server may send us; a probe stops reading when one is exceeded. */
export interface ReadLimits {
  /** Longest line (bytes, without CRLF). RFC 5321 allows 512 for replies; we are lenient. */
  readonly maxLineBytes: number;
  /** Most lines in one multi-line reply. */
  readonly maxReplyLines: number;
  /** Most bytes read over the whole connection (after TLS decryption). */
  readonly maxTotalBytes: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxLineBytes: 4096, maxReplyLines: 200, maxTotalBytes: 64 * 1024 };

/** Why reading stopped for good. */
export type ReadLimitError = 'line-too-long' | 'too-many-lines' | 'too-much-data';

export const READ_LIMIT_MESSAGES: Readonly<Record<ReadLimitError, string>> = {
  'line-too-long': 'line too long',
  'too-many-lines': 'reply too long',
  'too-much-data': 'too much data',
};

/** One SMTP reply: the code of its last line and the text of every line (code and separator removed). */
export interface SmtpReply {
  readonly code: number;
  readonly lines: readonly string[];
}

/** A line that is not `DDD`, `DDD text` or `DDD-text`: the peer does not speak SMTP (or is not at the greeting). */
export interface MalformedReply {
  readonly malformed: string;
}

/**
 * Decodes a line for display: UTF-8 with U+FFFD for invalid bytes, and control characters (a hostile banner
 * could carry terminal escapes) replaced by U+FFFD too. Tabs are kept.
 */
export function decodeLine(bytes: Buffer): string {
  // eslint-disable-next-line no-control-regex
  return bytes.toString('utf8').replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, '\ufffd');
}

/**
 * Splits a byte stream into lines (LF or CRLF) under the limits. Feed it chunks; take complete lines with
 * `takeLines`. Once a limit is exceeded, `error` is set and further input is ignored.
 */
export class LineSplitter {
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private readonly ready: string[] = [];
  private total = 0;
  error: ReadLimitError | undefined;

  constructor(private readonly limits: ReadLimits = DEFAULT_READ_LIMITS) {}

  get totalBytes(): number {
    return this.total;
  }

  get pendingLines(): number {
    return this.ready.length;
  }

  /** Whether bytes of an unfinished line are buffered. */
  get hasPartial(): boolean {
    return this.partialBytes > 0;
  }

  push(chunk: Buffer): void {
    if (this.error) return;
    this.total += chunk.length;
    if (this.total > this.limits.maxTotalBytes) {
      this.fail('too-much-data');
      return;
    }
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      if (this.partialBytes + piece.length > this.limits.maxLineBytes + 1) {
        this.fail('line-too-long');
        return;
      }
      let line = this.partialBytes ? Buffer.concat([...this.partial, piece]) : piece;
      this.partial = [];
      this.partialBytes = 0;
      if (line.length && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
      if (line.length > this.limits.maxLineBytes) {
        this.fail('line-too-long');
        return;
      }
      this.ready.push(decodeLine(line));
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      // +1: a line of exactly the maximum may still be waiting for its CR.
      if (this.partialBytes + rest.length > this.limits.maxLineBytes + 1) {
        this.fail('line-too-long');
        return;
      }
      this.partial.push(Buffer.from(rest));
      this.partialBytes += rest.length;
    }
  }

  /** Drops everything buffered (before a TLS handshake, plaintext sent after STARTTLS must not be used). */
  discard(): void {
    this.partial = [];
    this.partialBytes = 0;
    this.ready.length = 0;
  }

  /**
   * Takes one complete reply off the buffered lines: undefined while it is incomplete, a MalformedReply for a
   * line that is not SMTP, or the error `too-many-lines`.
   */
  takeReply(): SmtpReply | MalformedReply | undefined {
    if (this.error) return undefined;
    const texts: string[] = [];
    for (let i = 0; i < this.ready.length; i++) {
      const parsed = parseReplyLine(this.ready[i]);
      if (!parsed) {
        const bad = this.ready[i];
        this.ready.splice(0, i + 1);
        return { malformed: bad };
      }
      texts.push(parsed.text);
      if (texts.length > this.limits.maxReplyLines) {
        this.fail('too-many-lines');
        return undefined;
      }
      if (parsed.final) {
        this.ready.splice(0, i + 1);
        return { code: parsed.code, lines: texts };
      }
    }
    if (this.ready.length >= this.limits.maxReplyLines) this.fail('too-many-lines');
    return undefined;
  }

  private fail(error: ReadLimitError): void {
    this.error = error;
    this.partial = [];
    this.partialBytes = 0;
    this.ready.length = 0;
  }
}

/** Parses `250-SIZE 1000` / `250 OK` / `250`; undefined when the line is not a reply line. */
export function parseReplyLine(line: string): { code: number; final: boolean; text: string } | undefined {
  const m = /^([2-5]\d\d)(?:([ -])(.*))?$/s.exec(line);
  if (!m) return undefined;
  return { code: Number(m[1]), final: m[2] !== '-', text: m[3] ?? '' };
}

/** Parses complete reply text (lines separated by CRLF or LF); for tests and one-shot use. */
export function parseReply(text: string, limits: ReadLimits = DEFAULT_READ_LIMITS): SmtpReply | MalformedReply | ReadLimitError | undefined {
  const splitter = new LineSplitter(limits);
  splitter.push(Buffer.from(text, 'utf8'));
  const reply = splitter.takeReply();
  return splitter.error ?? reply;
}

export function isMalformed(reply: SmtpReply | MalformedReply): reply is MalformedReply {
  return 'malformed' in reply;
}

/**
 * EHLO reply lines after the first (the server's name) to `{ KEYWORD: "params" }`. Keywords are upper-cased;
 * the old `AUTH=LOGIN PLAIN` form counts as AUTH, and repeated keywords have their parameters merged.
 */
export function parseEhloExtensions(reply: SmtpReply): Record<string, string> {
  const extensions: Record<string, string> = Object.create(null);
  for (const line of reply.lines.slice(1)) {
    const m = /^([A-Za-z0-9][A-Za-z0-9-]*)(?:[ =](.*))?$/.exec(line.trim());
    if (!m) continue;
    const keyword = m[1].toUpperCase();
    const params = (m[2] ?? '').trim().replace(/\s+/g, ' ');
    const previous = extensions[keyword];
    if (previous === undefined) {
      extensions[keyword] = params;
    } else if (params) {
      const words = previous ? previous.split(' ') : [];
      for (const w of params.split(' ')) if (!words.includes(w)) words.push(w);
      extensions[keyword] = words.join(' ');
    }
  }
  return { ...extensions };
}

/** SASL mechanisms the server offers (upper-cased), from the AUTH extension. */
export function authMechanisms(extensions: Readonly<Record<string, string>> | undefined): string[] {
  const auth = extensions?.AUTH;
  return auth ? auth.split(' ').filter(Boolean).map((m) => m.toUpperCase()) : [];
}

/** The SIZE limit in bytes; undefined when absent, 0 when the server declares no fixed limit. */
export function sizeLimit(extensions: Readonly<Record<string, string>> | undefined): number | undefined {
  const size = extensions?.SIZE;
  if (size === undefined) return undefined;
  const n = Number(size || '0');
  return Number.isFinite(n) ? n : undefined;
}
