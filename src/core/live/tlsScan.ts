// The TLS scan of one endpoint: which protocol versions it speaks (TLS 1.0, 1.1, 1.2 and 1.3, each asked
// alone) and which weak cipher families it accepts (anonymous, export, RC4, 3DES, NULL), one ClientHello per
// question on a connection of its own (after EHLO and STARTTLS, or at connect for implicit TLS). Only the
// server's first answer is read, so no handshake completes and the local TLS library limits nothing. The
// scan returns data; tlsScanFindings says what it means for the configuration that named the endpoint.

import { monotonicMs } from './builtins';
import { type ScanAnswer, type TlsScanResult, VERSION_LABEL } from './tlsScanFindings';
import { SmtpSession, isSessionFailure, type RawAnswer, type SessionOptions } from './smtpSession';
import {
  alertName,
  buildClientHello,
  familySuites,
  helloAnswerComplete,
  readHelloAnswer,
  suiteName,
  TLS_VERSIONS,
  type TlsVersionName,
  versionName,
  WEAK_CIPHER_FAMILIES,
  type WeakCipherFamily,
  weakFamiliesOf,
} from './tlsHello';

export interface TlsScanOptions {
  readonly host: string;
  readonly port: number;
  /** TLS at connect; otherwise EHLO and STARTTLS first. */
  readonly implicitTls: boolean;
  readonly stepTimeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly lookup?: SessionOptions['lookup'];
  readonly ehloName?: string;
  /** Questions asked at once (default 3): a scan should not look like a flood to the server. */
  readonly parallel?: number;
}

type Question = { readonly kind: 'version'; readonly version: TlsVersionName } | { readonly kind: 'family'; readonly family: WeakCipherFamily };

/** Asks one question on a connection of its own: the server's first answer to one ClientHello. */
async function ask(options: TlsScanOptions, hello: Buffer): Promise<RawAnswer | { failure: string; refusedStartTls?: boolean }> {
  const session: SessionOptions = { host: options.host, port: options.port, stepTimeoutMs: options.stepTimeoutMs, signal: options.signal, lookup: options.lookup, ehloName: options.ehloName };
  let s: SmtpSession | undefined;
  try {
    if (options.implicitTls) {
      s = await SmtpSession.connectOnly(session);
      return await s.exchangeRaw(hello, helloAnswerComplete);
    }
    s = await SmtpSession.open(session);
    const extensions = await s.ehlo();
    if (!('STARTTLS' in extensions)) return { failure: 'the server does not offer STARTTLS', refusedStartTls: true };
    return await s.starttlsRaw(hello, helloAnswerComplete);
  } catch (e) {
    if (!isSessionFailure(e)) throw e;
    if (e.kind === 'cancelled') throw e;
    return { failure: e.message, refusedStartTls: e.message.startsWith('STARTTLS refused') };
  } finally {
    await s?.close();
  }
}

function judge(question: Question, raw: Awaited<ReturnType<typeof ask>>): ScanAnswer {
  if ('failure' in raw) return { detail: raw.failure };
  const answer = readHelloAnswer(raw.bytes);
  switch (answer.kind) {
    case 'alert':
      return { accepted: false, detail: `refused (${alertName(answer.description)})` };
    case 'none':
      return raw.end === 'timeout' ? { detail: 'no answer in time' } : { accepted: false, detail: 'closed the connection' };
    case 'not-tls':
      return { detail: `not a TLS answer: ${answer.detail}` };
    case 'incomplete':
      return { detail: raw.end === 'timeout' ? 'answer incomplete in time' : 'answer cut short' };
    case 'server-hello': {
      const version = versionName(answer.version);
      if (question.kind === 'version') {
        if (version === question.version) return { accepted: true, suite: suiteName(answer.suite) };
        return { accepted: false, detail: `answered with ${version ? VERSION_LABEL[version] : `version 0x${answer.version.toString(16)}`} instead` };
      }
      if (weakFamiliesOf(answer.suite).includes(question.family)) return { accepted: true, suite: suiteName(answer.suite) };
      return { detail: `chose ${suiteName(answer.suite)}, which was not offered` };
    }
  }
}

/** Runs the scan; never throws for a network condition (cancellation shows as `error: 'cancelled'`). */
export async function scanTls(options: TlsScanOptions): Promise<TlsScanResult> {
  const started = monotonicMs();
  const questions: Question[] = [...TLS_VERSIONS.map((version) => ({ kind: 'version' as const, version })), ...WEAK_CIPHER_FAMILIES.map((family) => ({ kind: 'family' as const, family }))];
  const answers = new Map<Question, ScanAnswer>();
  const serverName = options.host.replace(/^\[|\]$/g, '');
  let next = 0;
  let cancelled = false;
  const worker = async () => {
    while (next < questions.length && !cancelled) {
      const q = questions[next++];
      const hello = q.kind === 'version' ? buildClientHello({ version: q.version, serverName }) : buildClientHello({ version: 'TLSv1.2', suites: familySuites(q.family), serverName });
      try {
        answers.set(q, judge(q, await ask(options, hello)));
      } catch (e) {
        if (!isSessionFailure(e)) throw e;
        cancelled = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.parallel ?? 3) }, worker));
  const answer = (q: Question): ScanAnswer => answers.get(q) ?? { detail: 'cancelled' };
  const versions = questions.filter((q): q is Extract<Question, { kind: 'version' }> => q.kind === 'version').map((q) => ({ version: q.version, ...answer(q) }));
  const weakCiphers = questions.filter((q): q is Extract<Question, { kind: 'family' }> => q.kind === 'family').map((q) => ({ family: q.family, ...answer(q) }));
  const all = [...versions, ...weakCiphers];
  const error = cancelled ? 'cancelled' : all.every((a) => a.accepted === undefined) ? (all[0].detail ?? 'no answer') : undefined;
  return {
    host: options.host,
    port: options.port,
    mode: options.implicitTls ? 'implicit' : 'starttls',
    versions,
    weakCiphers,
    ...(error ? { error } : {}),
    ms: Math.round(monotonicMs() - started),
  };
}
