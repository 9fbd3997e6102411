// The open-relay test: as an unauthenticated client, ask the server to take mail for a foreign domain in the
// address forms relays have been fooled with (a plain foreign recipient from a null, foreign or local sender;
// % hacks, quoted local parts, ! paths, source routes and addresses at the server's own name or IP literal,
// the forms nmap's smtp-open-relay tries). Each attempt is MAIL FROM and RCPT TO, then RSET. DATA is never
// sent, so no mail can ever leave. A few attempts per connection: Postfix slows down a client after ten
// errors (smtpd_soft_error_limit), and refused recipients are errors.

import { monotonicMs } from './builtins';
import { isIP } from 'net';
import { isSessionFailure, SmtpSession, type SessionOptions } from './smtpSession';
import type { SmtpReply } from './smtpReply';

/** The domain of the recipient (and of the foreign sender): reserved, and it accepts no mail (null MX). */
export const RELAY_TEST_DOMAIN = 'example.com';
const FOREIGN_SENDER_DOMAIN = 'example.org';
const LOCAL_PART = 'relay-test';
/** Attempts per connection, below Postfix's smtpd_soft_error_limit (10). */
const ATTEMPTS_PER_CONNECTION = 8;

/**
 * `direct`: the recipient is plainly in a foreign domain; accepting it is relaying. `routed`: the recipient
 * names this server but routes on to the foreign domain (% hack, quotes, ! path, source route); whether
 * accepting it means relaying depends on how the server rewrites it.
 */
export type RelayFormKind = 'direct' | 'routed';

export interface RelayForm {
  readonly kind: RelayFormKind;
  readonly from: string;
  readonly to: string;
}

export interface RelayAttempt extends RelayForm {
  /** The reply to MAIL FROM, e.g. "250 2.1.0 Ok". */
  readonly mail?: string;
  /** The reply to RCPT TO, when MAIL FROM was accepted. */
  readonly rcpt?: string;
  /** The server accepted the recipient (2xx). */
  readonly accepted: boolean;
  /** Why the attempt could not be made (connection lost, timeout). */
  readonly error?: string;
}

export type RelayVerdict =
  /** A direct foreign recipient was accepted. */
  | 'open'
  /** Only routed forms were accepted. */
  | 'routed-accepted'
  /** Every recipient was refused. */
  | 'refused'
  /** Refused with "authentication required" (530, 5.7.0/5.7.1 and the like). */
  | 'auth-required'
  /** Temporary refusals, or attempts that could not be made: no verdict. */
  | 'inconclusive'
  /** No attempt could be made at all (refused port, no greeting, cancelled). */
  | 'error';

export interface RelayTestResult {
  readonly host: string;
  readonly port: number;
  /** The server's address, and ours as the connection saw it (behind NAT the server sees another). */
  readonly address?: string;
  readonly localAddress?: string;
  /** Whether the attempts ran over STARTTLS or implicit TLS. */
  readonly tls: boolean;
  readonly verdict: RelayVerdict;
  readonly attempts: readonly RelayAttempt[];
  readonly detail?: string;
  readonly ms: number;
}

export interface RelayTestOptions {
  readonly host: string;
  readonly port: number;
  readonly implicitTls?: boolean;
  readonly stepTimeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly lookup?: SessionOptions['lookup'];
  readonly ehloName?: string;
  /** A domain the server receives mail for (the MX's domain, the server's mydomain), for the local-sender form. */
  readonly localDomain?: string;
}

/** The address forms, for a server known by `name` (its greeting's name, else the host) at `ip`. */
export function relayForms(name: string, ip: string | undefined, localDomain: string | undefined): RelayForm[] {
  const to = `${LOCAL_PART}@${RELAY_TEST_DOMAIN}`;
  const literal = ip ? (isIP(ip) === 6 ? `[IPv6:${ip}]` : `[${ip}]`) : undefined;
  const here = [literal, name].filter((x): x is string => !!x);
  const sender = `${LOCAL_PART}@${literal ?? name}`;
  const direct: RelayForm[] = [
    { kind: 'direct', from: '', to },
    { kind: 'direct', from: `${LOCAL_PART}@${FOREIGN_SENDER_DOMAIN}`, to },
    ...(localDomain ? [{ kind: 'direct' as const, from: `postmaster@${localDomain}`, to }] : []),
    { kind: 'direct', from: `${LOCAL_PART}@${name}`, to },
    ...(literal ? [{ kind: 'direct' as const, from: sender, to }] : []),
  ];
  const routed: string[] = [
    ...here.map((h) => `${LOCAL_PART}%${RELAY_TEST_DOMAIN}@${h}`),
    `"${to}"`,
    `"${LOCAL_PART}%${RELAY_TEST_DOMAIN}"`,
    ...here.map((h) => `${to}@${h}`),
    ...(literal ? [`"${to}"@${literal}`] : []),
    ...here.map((h) => `@${h}:${to}`),
    `${RELAY_TEST_DOMAIN}!${LOCAL_PART}`,
    ...here.map((h) => `${RELAY_TEST_DOMAIN}!${LOCAL_PART}@${h}`),
  ];
  return [...direct, ...routed.map((r) => ({ kind: 'routed' as const, from: sender, to: r }))];
}

const text = (r: SmtpReply) => `${r.code} ${r.lines.join(' ')}`.trim().slice(0, 200);
const AUTH_REQUIRED = /^(530|535)|\b5\.7\.0\b|authenticat/i;

/** One connection's share of the attempts, each followed by RSET; stops early when the connection is lost. */
async function attemptBatch(options: RelayTestOptions, forms: readonly RelayForm[], session: SessionOptions, opened?: SmtpSession): Promise<{ attempts: RelayAttempt[]; tls: boolean; address?: string; localAddress?: string; error?: string }> {
  let s: SmtpSession | undefined = opened;
  const attempts: RelayAttempt[] = [];
  let tls = !!options.implicitTls;
  try {
    s ??= await SmtpSession.open(session);
    let extensions = await s.ehlo();
    if (!options.implicitTls && 'STARTTLS' in extensions) {
      // As a modern client would: some servers take MAIL only over TLS, and a relay over TLS is a relay.
      await s.startTls({ minVersion: 'TLSv1', ciphers: 'ALL:@SECLEVEL=0' });
      tls = true;
      extensions = await s.ehlo();
    }
    if ('PIPELINING' in extensions) {
      // One round trip for the whole batch: MAIL FROM, RCPT TO and RSET of each form, in order (RFC 2920).
      const replies = await s.pipeline(forms.flatMap((f) => [`MAIL FROM:<${f.from}>`, `RCPT TO:<${f.to}>`, 'RSET']));
      forms.forEach((form, i) => {
        const [mail, rcpt] = [replies[3 * i], replies[3 * i + 1]];
        if (!mail) return;
        // A RCPT after a refused MAIL is answered "503 need MAIL command": not an answer about the recipient.
        const rcptCounts = mail.code >= 200 && mail.code < 300 && rcpt;
        attempts.push({ ...form, mail: text(mail), ...(rcptCounts ? { rcpt: text(rcpt) } : {}), accepted: !!rcptCounts && rcpt.code >= 200 && rcpt.code < 300, ...(!rcpt ? { error: 'the server closed the connection' } : {}) });
      });
    } else {
      for (const form of forms) {
        let mail: SmtpReply | undefined;
        let rcpt: SmtpReply | undefined;
        try {
          mail = await s.command(`MAIL FROM:<${form.from}>`);
          if (mail.code >= 200 && mail.code < 300) rcpt = await s.command(`RCPT TO:<${form.to}>`);
          attempts.push({ ...form, mail: text(mail), ...(rcpt ? { rcpt: text(rcpt) } : {}), accepted: !!rcpt && rcpt.code >= 200 && rcpt.code < 300 });
          const last = rcpt ?? mail;
          if (last.code === 421) break;
          await s.command('RSET');
        } catch (e) {
          if (!isSessionFailure(e) || e.kind === 'cancelled') throw e;
          attempts.push({ ...form, ...(mail ? { mail: text(mail) } : {}), ...(rcpt ? { rcpt: text(rcpt) } : {}), accepted: !!rcpt && rcpt.code >= 200 && rcpt.code < 300, error: e.message });
          break;
        }
      }
    }
    await s.quit();
    return { attempts, tls, address: s.address, localAddress: s.localAddress };
  } catch (e) {
    await s?.close();
    if (!isSessionFailure(e)) throw e;
    return { attempts, tls, address: s?.address, localAddress: s?.localAddress, error: e.kind === 'cancelled' ? 'cancelled' : e.message };
  }
}

function verdictOf(attempts: readonly RelayAttempt[], planned: number): RelayVerdict {
  if (attempts.some((a) => a.accepted && a.kind === 'direct')) return 'open';
  if (attempts.some((a) => a.accepted)) return 'routed-accepted';
  const answered = attempts.filter((a) => !a.error);
  if (!answered.length) return 'error';
  const refusal = (a: RelayAttempt) => a.rcpt ?? a.mail ?? '';
  if (answered.every((a) => /^5/.test(refusal(a))) && answered.length === planned) {
    return answered.some((a) => AUTH_REQUIRED.test(refusal(a))) ? 'auth-required' : 'refused';
  }
  return 'inconclusive';
}

/** Runs the relay test; a network condition is a result (`error`), never an exception. */
export async function testRelay(options: RelayTestOptions): Promise<RelayTestResult> {
  const started = monotonicMs();
  const session: SessionOptions = { host: options.host, port: options.port, implicitTls: options.implicitTls, tls: { minVersion: 'TLSv1', ciphers: 'ALL:@SECLEVEL=0' }, stepTimeoutMs: options.stepTimeoutMs, signal: options.signal, lookup: options.lookup, ehloName: options.ehloName };
  // The first connection learns the server's name and address, which some forms use, then makes the first batch.
  let name = options.host.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  let first: SmtpSession;
  try {
    first = await SmtpSession.open(session);
  } catch (e) {
    if (!isSessionFailure(e)) throw e;
    return { host: options.host, port: options.port, tls: false, verdict: 'error', attempts: [], detail: e.kind === 'cancelled' ? 'cancelled' : e.message, ms: Math.round(monotonicMs() - started) };
  }
  const greetingName = /^([A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z0-9-]+)\b/.exec(first.greeting.lines[0] ?? '')?.[1];
  // An IP literal host: the forms name the server as it greets.
  if (isIP(name) && greetingName) name = greetingName;
  const forms = relayForms(name, first.address, options.localDomain);
  const batches: RelayForm[][] = [];
  for (let i = 0; i < forms.length; i += ATTEMPTS_PER_CONNECTION) batches.push(forms.slice(i, i + ATTEMPTS_PER_CONNECTION));
  const results = await Promise.all(batches.map((b, i) => attemptBatch(options, b, session, i === 0 ? first : undefined)));
  const attempts = results.flatMap((r) => r.attempts);
  const errors = [...new Set(results.map((r) => r.error).filter((e): e is string => !!e))];
  const verdict = errors.includes('cancelled') ? 'error' : verdictOf(attempts, forms.length);
  return {
    host: options.host,
    port: options.port,
    address: results.find((r) => r.address)?.address,
    localAddress: results.find((r) => r.localAddress)?.localAddress,
    tls: results.some((r) => r.tls),
    verdict,
    attempts,
    ...(errors.length ? { detail: errors.join('; ') } : {}),
    ms: Math.round(monotonicMs() - started),
  };
}
