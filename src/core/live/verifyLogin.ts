// Login verification, like nodemailer's transporter.verify() but saying what happened: connect as the
// configured client would (TLS at connect, STARTTLS required or if offered, or none), authenticate with the
// configured account, report the server's answer, QUIT. No MAIL command, so no mail. The password goes only
// to the configured host, only over TLS (or to a loopback address), and never into a result, message or log:
// every command carrying it is named by its verb alone.

import { createHmac } from 'crypto';
import { isIP } from 'net';
import { monotonicMs } from './builtins';
import { isLoopbackHost } from '../hosts';
import { REDACTED, redactText } from '../redact';
import { authMechanisms, type SmtpReply } from './smtpReply';
import { isSessionFailure, SmtpSession, type SessionOptions, type SessionTls } from './smtpSession';

export type LoginClient = 'nodemailer' | 'postfix';

/** How the client secures the connection, as the configuration says. */
export type LoginTlsMode = 'implicit' | 'starttls-required' | 'starttls-opportunistic' | 'none';

export interface LoginTarget {
  readonly host: string;
  readonly port: number;
  readonly mode: LoginTlsMode;
  readonly user: string;
  readonly password: string;
  readonly client: LoginClient;
  /** The configured mechanism (nodemailer `auth.method`); otherwise the client's own choice. */
  readonly method?: string;
  /** Mechanisms the client will not use (Postfix's noplaintext: PLAIN and LOGIN). */
  readonly excludedMechanisms?: readonly string[];
  /** Whether the client verifies the certificate (nodemailer by default; Postfix at verify/secure). */
  readonly verifyCertificate: boolean;
  readonly ehloName?: string;
}

export type LoginOutcome =
  /** 235: the server took the login. */
  | 'accepted'
  /** 535 and the like: wrong user or password (or the account may not log in). */
  | 'rejected'
  /** The server offers no mechanism the client would use, or refused the one it tried. */
  | 'no-mechanism'
  /** The server offers no AUTH at all on this connection. */
  | 'auth-not-offered'
  /** The server refuses AUTH before STARTTLS (530 5.7.0). */
  | 'tls-required'
  /** STARTTLS required by the configuration but not offered, or the TLS handshake or certificate failed. */
  | 'tls-failed'
  /** The login would cross the network in clear: not sent (the configured client would send it). */
  | 'cleartext-refused'
  /** Refused port, no greeting, timeout, a temporary failure. */
  | 'connection-failed'
  | 'cancelled';

export interface LoginResult {
  readonly host: string;
  readonly port: number;
  /** The account (user name); the password is never part of a result. */
  readonly account: string;
  readonly outcome: LoginOutcome;
  /** The mechanism used or meant. */
  readonly mechanism?: string;
  /** The server's last answer (masked), e.g. "535 5.7.8 Error: authentication failed". */
  readonly reply?: string;
  /** What happened, in one sentence. */
  readonly detail: string;
  readonly tls?: { readonly version?: string; readonly cipher?: string };
  readonly ms: number;
}

export interface VerifyLoginOptions {
  readonly stepTimeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly lookup?: SessionOptions['lookup'];
  /** Extra trusted CA certificates (PEM), as the client's own `tls.ca`. */
  readonly ca?: string | readonly string[];
}

const replyText = (r: SmtpReply) => redactText(`${r.code} ${r.lines.join(' ')}`.trim()).slice(0, 200);

/**
 * Masks what this login sent, in any form, in text a server wrote: a hostile (or chatty) server may echo the
 * AUTH data back, and redactText cannot know a base64 token is a password.
 */
export function scrubLogin(text: string, target: Pick<LoginTarget, 'user' | 'password'>): string {
  const secrets = [
    Buffer.from(`\u0000${target.user}\u0000${target.password}`).toString('base64'),
    Buffer.from(target.password).toString('base64'),
    encodeURIComponent(target.password),
    target.password,
  ].filter((x) => x.length >= 3);
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  return out;
}
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** The mechanism the client picks from what the server offers (nodemailer's order; Cyrus SASL's for Postfix). */
export function chooseMechanism(target: Pick<LoginTarget, 'client' | 'method' | 'excludedMechanisms'>, offered: readonly string[]): string | undefined {
  if (target.method) return target.method.toUpperCase();
  const usable = offered.filter((m) => !(target.excludedMechanisms ?? []).includes(m));
  const order = target.client === 'postfix' ? ['CRAM-MD5', 'PLAIN', 'LOGIN'] : ['PLAIN', 'LOGIN', 'CRAM-MD5'];
  // nodemailer falls back to PLAIN when the server lists nothing it knows.
  return order.find((m) => usable.includes(m)) ?? (target.client === 'nodemailer' && offered.length === 0 ? 'PLAIN' : undefined);
}

function certificateProblem(tls: SessionTls): string | undefined {
  if (!tls.authorized) return `the certificate is not trusted (${tls.authorizationError ?? 'unknown issuer'})`;
  if (!tls.hostnameMatches) return 'the certificate does not name the host';
  return undefined;
}

/** Verifies the login; every network condition is an outcome, never an exception. */
export async function verifyLogin(target: LoginTarget, options: VerifyLoginOptions = {}): Promise<LoginResult> {
  const started = monotonicMs();
  const base = { host: target.host, port: target.port, account: target.user };
  let tlsFacts: LoginResult['tls'];
  let mechanism: string | undefined;
  const done = (outcome: LoginOutcome, detail: string, reply?: SmtpReply): LoginResult => ({
    ...base,
    outcome,
    ...(mechanism ? { mechanism } : {}),
    // Masked before it is cut short, so a cut never leaves part of a secret unmasked.
    ...(reply ? { reply: scrubLogin(redactText(`${reply.code} ${reply.lines.join(' ')}`.trim()), target).slice(0, 200) } : {}),
    detail: scrubLogin(redactText(detail), target),
    ...(tlsFacts ? { tls: tlsFacts } : {}),
    ms: Math.round(monotonicMs() - started),
  });
  const session: SessionOptions = {
    host: target.host,
    port: target.port,
    implicitTls: target.mode === 'implicit',
    stepTimeoutMs: options.stepTimeoutMs,
    signal: options.signal,
    lookup: options.lookup,
    ca: options.ca,
    ehloName: target.ehloName,
  };
  let s: SmtpSession | undefined;
  try {
    s = await SmtpSession.open(session);
    let extensions = await s.ehlo();
    if (target.mode === 'starttls-required' || target.mode === 'starttls-opportunistic') {
      if ('STARTTLS' in extensions) {
        await s.startTls();
        extensions = await s.ehlo();
      } else if (target.mode === 'starttls-required') {
        return done('tls-failed', `${target.host}:${target.port} does not offer STARTTLS, which the configuration requires: the client gives up before logging in.`);
      }
    }
    if (s.tls) {
      tlsFacts = { version: s.tls.version, cipher: s.tls.cipher };
      const problem = target.verifyCertificate ? certificateProblem(s.tls) : undefined;
      if (problem) return done('tls-failed', `The ${target.client} client checks the certificate and ${problem}: it stops before logging in.`);
    }
    const offered = authMechanisms(extensions);
    const inClear = !s.tls;
    if (!('AUTH' in extensions) && !(target.client === 'nodemailer' && target.method)) {
      // Ask anyway, without the password: the refusal says why (e.g. 530 "Must issue a STARTTLS command first").
      const probe = await s.command('AUTH PLAIN');
      if (probe.code === 334) await s.command('*');
      if (probe.code === 530 || /\b5\.7\.0\b/.test(replyText(probe))) return done('tls-required', `${target.host}:${target.port} refuses AUTH before STARTTLS.`, probe);
      const verify = target.client === 'nodemailer' ? " nodemailer's verify() passes without logging in, and sending is then refused or goes without a login." : '';
      return done('auth-not-offered', `${target.host}:${target.port} offers no AUTH on this connection${inClear ? ' (not before TLS)' : ''}.${verify}`, probe);
    }
    mechanism = chooseMechanism(target, offered);
    if (!mechanism) return done('no-mechanism', `${target.host}:${target.port} offers ${offered.join(', ') || 'no mechanism'}; the ${target.client} client would use none of them.`);
    if (inClear && !isLoopbackHost(target.host.replace(/^\[|\]$/g, '')) && !(isIP(s.address) && isLoopbackHost(s.address))) {
      const probe = await s.command(`AUTH ${mechanism}`);
      if (probe.code === 334) await s.command('*');
      if (probe.code === 530 || /\b5\.7\.0\b/.test(replyText(probe))) return done('tls-required', `${target.host}:${target.port} refuses AUTH before STARTTLS.`, probe);
      return done('cleartext-refused', `This connection has no TLS, so the password would cross the network in clear: SMTP Doctor did not send it.`, probe);
    }
    const reply = await authenticate(s, mechanism, target);
    if (reply.code === 235) return done('accepted', `${target.host}:${target.port} accepted the login of ${target.user} (${mechanism}).`, reply);
    if (reply.code === 530 || /\b5\.7\.0\b/.test(replyText(reply))) return done('tls-required', `${target.host}:${target.port} refuses AUTH before STARTTLS.`, reply);
    if (reply.code >= 500 && !offered.includes(mechanism)) return done('no-mechanism', `${target.host}:${target.port} does not offer ${mechanism} (it offers ${offered.join(', ') || 'none'}).`, reply);
    if (reply.code === 504 || reply.code === 502) return done('no-mechanism', `${target.host}:${target.port} refused the ${mechanism} mechanism.`, reply);
    if (reply.code >= 500) return done('rejected', `${target.host}:${target.port} rejected the login of ${target.user} (${mechanism}).`, reply);
    return done('connection-failed', `${target.host}:${target.port} answered the login with a temporary failure.`, reply);
  } catch (e) {
    if (!isSessionFailure(e)) throw e;
    if (e.kind === 'cancelled') return done('cancelled', 'cancelled');
    if (e.kind === 'tls') return done('tls-failed', `The TLS handshake with ${target.host}:${target.port} failed (${e.code ?? e.message}).`);
    return done('connection-failed', `${target.host}:${target.port}: ${e.message}.`, e.reply);
  } finally {
    await s?.quit();
  }
}

/** One SASL exchange; the commands that carry secrets are shown by their verb alone. */
async function authenticate(s: SmtpSession, mechanism: string, target: LoginTarget): Promise<SmtpReply> {
  switch (mechanism) {
    case 'PLAIN': {
      const reply = await s.command(`AUTH PLAIN ${b64(`\u0000${target.user}\u0000${target.password}`)}`, 'AUTH PLAIN');
      return reply;
    }
    case 'LOGIN': {
      let reply = await s.command('AUTH LOGIN');
      if (reply.code !== 334) return reply;
      reply = await s.command(b64(target.user), 'the user name');
      if (reply.code !== 334) return reply;
      return s.command(b64(target.password), 'the password');
    }
    case 'CRAM-MD5': {
      const reply = await s.command('AUTH CRAM-MD5');
      if (reply.code !== 334) return reply;
      const challenge = Buffer.from(reply.lines[0] ?? '', 'base64');
      const digest = createHmac('md5', target.password).update(challenge).digest('hex');
      return s.command(b64(`${target.user} ${digest}`), 'the CRAM-MD5 response');
    }
    default:
      // XOAUTH2 and the rest need tokens from elsewhere: ask for the mechanism only, to learn whether it is offered.
      {
        const reply = await s.command(`AUTH ${mechanism}`);
        if (reply.code === 334) {
          await s.command('*');
          return { code: 504, lines: [`${mechanism} needs a token SMTP Doctor does not fetch`] };
        }
        return reply;
      }
  }
}
