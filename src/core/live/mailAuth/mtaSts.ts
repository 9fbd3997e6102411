// MTA-STS (RFC 8461): the domain's `_mta-sts` TXT record, its policy file fetched over HTTPS from
// mta-sts.<domain> (the name resolved through the run's DNS servers, the certificate checked for that
// name, no redirects followed, the body capped), and the policy's mx: patterns against the domain's MX hosts.

import { request } from 'https';
import type { IncomingMessage } from 'http';
import { rootCertificates, type TLSSocket } from 'tls';
import { domainToASCII } from 'url';
import { monotonicMs } from '../builtins';
import { watchAbort } from '../abortWatch';
import { printable } from '../../escape';
import { dnsQuery } from '../dnsRecords';
import { lookupTxt, txtEvidence } from './dnsQuery';
import { parseStsPolicy, parseStsRecords, STS_MAX_AGE_SHORT, unmatchedMxHosts } from './mtaStsPolicy';
import { guardedRun, resultBuilder } from './result';
import { shortName } from '../messageText';
import { liveRuleMeta } from '../liveRules';
import type { AuthCheck, AuthCheckContext, AuthCheckResult, AuthProblem } from './types';

/** The check's rules; the registry reads them from liveCheckRules.generated.ts, generated from these. */
export const MTA_STS_RULES = {
  missing: liveRuleMeta('dns/mta-sts-missing', 'information', 'The domain publishes no MTA-STS policy, so sending servers cannot insist on verified TLS when they deliver to it.'),
  invalid: liveRuleMeta('dns/mta-sts-invalid', 'warning', 'The MTA-STS TXT record or policy file is malformed or out of spec (syntax, id, Content-Type, max_age), so senders ignore it or keep it only briefly.'),
  policyUnreachable: liveRuleMeta('dns/mta-sts-policy-unreachable', 'warning', 'The MTA-STS TXT record is published but the policy cannot be fetched over HTTPS (no address, bad certificate, not HTTP 200, a redirect).'),
  mxMismatch: liveRuleMeta('dns/mta-sts-mx-mismatch', 'error', 'An MX host matches no mx: line of the MTA-STS policy; in enforce mode, senders refuse to deliver to it.'),
  testing: liveRuleMeta('dns/mta-sts-testing', 'information', 'The MTA-STS policy is in mode testing or none: senders still deliver when TLS cannot be verified.'),
} as const;

export const POLICY_PATH = '/.well-known/mta-sts.txt';
/** Policy bodies larger than this are not read (and are not policies any sender accepts). */
export const MAX_POLICY_BYTES = 64 * 1024;
/** Addresses of mta-sts.<domain> tried at most. */
const MAX_MTA_STS_ADDRESSES = 4;
const POLICY_EVIDENCE_LINES = 30;

/** A domain in lowercase ASCII without a trailing dot, or undefined when it is not a domain name. */
export function normalizeDomain(subject: string): string | undefined {
  const trimmed = subject.trim().replace(/\.$/, '');
  if (trimmed === '' || trimmed.length > 253 || /[\s/@:[\]]/.test(trimmed)) return undefined;
  const ascii = domainToASCII(trimmed);
  return ascii && ascii.split('.').every((l) => l.length > 0 && l.length <= 63) ? ascii.toLowerCase() : undefined;
}

export interface PolicyFetch {
  /** `ok`: HTTP 200 and a body; `failed`: the server did something senders reject; `error`: could not find out. */
  readonly kind: 'ok' | 'failed' | 'error';
  /** The address and port tried last ("192.0.2.1 port 443"). */
  readonly via: string;
  /** What went wrong, in words (with the error code). */
  readonly detail?: string;
  readonly code?: string;
  readonly status?: number;
  readonly contentType?: string;
  readonly location?: string;
  readonly body?: string;
  readonly bytes?: number;
  readonly tooLarge?: boolean;
  readonly certificate?: string;
}

/** Errors that are the server's doing, which a sender would meet too (the rest may be our network's). */
function isServerFault(code: string): boolean {
  return code === 'ECONNREFUSED' || code === 'EPROTO' || /^(CERT_|ERR_TLS_|ERR_SSL_|HPE_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH_|HOSTNAME_MISMATCH)/.test(code);
}

function describeCertificate(res: IncomingMessage): string | undefined {
  const socket = res.socket as TLSSocket | null;
  const cert = typeof socket?.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
  if (!cert || !cert.subject) return undefined;
  const cn = (n: unknown) => {
    const v = (n as { CN?: string | string[] } | undefined)?.CN;
    return Array.isArray(v) ? v.join(',') : v ?? '?';
  };
  return printable(`certificate CN=${cn(cert.subject)}, issued by CN=${cn(cert.issuer)}, valid until ${cert.valid_to}`, 300);
}

interface FetchOptions {
  readonly address: string;
  readonly port: number;
  readonly host: string;
  readonly ca?: (string | Buffer)[];
  readonly signal?: AbortSignal;
  readonly timeoutMs: number;
}

/** One HTTPS GET of the policy from one address, never rejecting, bounded in time and size. */
export function fetchPolicyFrom(o: FetchOptions): Promise<PolicyFetch> {
  const via = `${o.address} port ${o.port}`;
  if (o.signal?.aborted) return Promise.resolve({ kind: 'error', via, code: 'ECANCELLED', detail: 'cancelled' });
  return new Promise((resolve) => {
    let done = false;
    const headers = {
      host: o.port === 443 ? o.host : `${o.host}:${o.port}`,
      'user-agent': 'smtp-doctor (MTA-STS policy check)',
      accept: 'text/plain',
      connection: 'close',
    };
    const req = request({
      host: o.address,
      port: o.port,
      servername: o.host,
      path: POLICY_PATH,
      method: 'GET',
      headers,
      agent: false,
      rejectUnauthorized: true,
      ...(o.ca ? { ca: o.ca } : {}),
    });
    const finish = (r: PolicyFetch) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unwatch();
      req.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ kind: 'error', via, code: 'ETIMEDOUT', detail: `no complete answer within ${o.timeoutMs} ms` }), o.timeoutMs);
    const unwatch = watchAbort(o.signal, () => finish({ kind: 'error', via, code: 'ECANCELLED', detail: 'cancelled' }));
    req.on('error', (e: NodeJS.ErrnoException) => {
      const code = typeof e.code === 'string' && e.code ? e.code : 'EUNKNOWN';
      // OpenSSL's messages carry source paths; keep the reason ("wrong version number": not a TLS port).
      const reason = /SSL routines:[^:]*:([^:]+)/.exec(e.message)?.[1];
      const detail = reason ? `${code}: TLS handshake failed (${reason})` : `${code}: ${e.message}`;
      finish({ kind: isServerFault(code) ? 'failed' : 'error', via, code, detail: printable(detail, 300) });
    });
    req.on('response', (res) => {
      res.on('error', () => undefined); // the request's own handlers and the timer decide
      const status = res.statusCode ?? 0;
      const contentType = typeof res.headers['content-type'] === 'string' ? printable(res.headers['content-type'], 100) : undefined;
      const certificate = describeCertificate(res);
      const seen = { via, status, ...(contentType !== undefined ? { contentType } : {}), ...(certificate ? { certificate } : {}) };
      if (status !== 200) {
        const location = typeof res.headers.location === 'string' ? printable(res.headers.location, 200) : undefined;
        const detail = status >= 300 && status < 400
          ? `HTTP ${status}, a redirect${location ? ` to ${location}` : ''}; senders do not follow redirects (RFC 8461 §3.3)`
          : `HTTP ${status}; senders accept only 200`;
        finish({ kind: 'failed', ...seen, ...(location ? { location } : {}), detail });
        return;
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_POLICY_BYTES) finish({ kind: 'ok', ...seen, tooLarge: true, bytes, body: '' });
        else chunks.push(chunk);
      });
      res.on('end', () => finish({ kind: 'ok', ...seen, bytes, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('aborted', () => finish({ kind: 'error', via, code: 'ECONNRESET', detail: 'the connection closed in the middle of the policy' }));
    });
    req.end();
  });
}

function trustAnchors(ca: AuthCheckContext['ca']): (string | Buffer)[] | undefined {
  if (ca === undefined) return undefined;
  const extra = Array.isArray(ca) ? [...(ca as readonly (string | Buffer)[])] : [ca as string | Buffer];
  return [...rootCertificates, ...extra];
}

function httpTimeout(context: AuthCheckContext): number {
  return Math.min(15_000, Math.max(1000, 2 * (context.dns.timeoutMs ?? 5000)));
}

type Fetched = { readonly kind: 'no-address'; readonly code: string } | { readonly kind: 'dns-error'; readonly code: string } | ({ readonly addresses: readonly string[] } & PolicyFetch);

/** Resolves mta-sts.<domain> through the run's servers and fetches the policy from its addresses in turn. */
async function fetchPolicy(host: string, context: AuthCheckContext): Promise<Fetched> {
  const [v4, v6] = await Promise.all([dnsQuery(host, 'A', context.dns), dnsQuery(host, 'AAAA', context.dns)]);
  const addresses = [...v4.values, ...v6.values].slice(0, MAX_MTA_STS_ADDRESSES);
  if (addresses.length === 0) {
    const failure = v4.error ?? v6.error;
    if (failure) return { kind: 'dns-error', code: failure };
    return { kind: 'no-address', code: v4.negative === 'ENOTFOUND' || v6.negative === 'ENOTFOUND' ? 'ENOTFOUND' : 'ENODATA' };
  }
  const port = context.httpsPort ?? 443;
  const ca = trustAnchors(context.ca);
  const deadline = monotonicMs() + httpTimeout(context);
  let first: PolicyFetch | undefined;
  let firstFailed: PolicyFetch | undefined;
  for (const address of addresses) {
    const left = Math.round(deadline - monotonicMs());
    if (left <= 0) break;
    const r = await fetchPolicyFrom({ address, port, host, ca, signal: context.dns.signal, timeoutMs: left });
    // An answer (or a TLS/HTTP fault) is what a sender would get from this host; only a failed connection
    // sends a sender (and us) on to the next address.
    if (r.kind === 'ok' || r.status !== undefined || (r.kind === 'failed' && r.code !== 'ECONNREFUSED') || r.code === 'ECANCELLED') return { ...r, addresses };
    first ??= r;
    if (r.kind === 'failed') firstFailed ??= r;
  }
  const last = firstFailed ?? first ?? { kind: 'error' as const, via: `${addresses[0]} port ${port}`, code: 'ETIMEDOUT', detail: 'no time left' };
  return { ...last, addresses };
}

function describeMaxAge(seconds: number): string {
  const unit = (n: number, name: string) => `${seconds} s, ${n} ${name}${n === 1 ? '' : 's'}`;
  if (seconds >= 86_400) return unit(Math.round((seconds / 86_400) * 10) / 10, 'day');
  if (seconds >= 3600) return unit(Math.round((seconds / 3600) * 10) / 10, 'hour');
  return `${seconds} s`;
}

async function runMtaSts(subject: string, context: AuthCheckContext): Promise<AuthCheckResult> {
  const evidence: string[] = [];
  const problems: AuthProblem[] = [];
  const done = resultBuilder('mta-sts', 'domain', subject, evidence, problems);
  const domain = normalizeDomain(subject);
  if (!domain) return done('not a domain name', 'EINVAL');

  const recordName = `_mta-sts.${domain}`;
  // Names as messages spell them (the details keep them whole).
  const d = shortName(domain);
  const txt = await lookupTxt(recordName, context.dns);
  if (txt.error !== undefined) return done(`TXT lookup of ${recordName} failed (${txt.error})`, `${txt.error} looking up TXT ${recordName}`);
  const records = txt.values;
  for (const r of records) evidence.push(txtEvidence(recordName, r));
  const sts = parseStsRecords(records);
  if (sts.candidates.length === 0) {
    evidence.push(records.length === 0 ? `${recordName}: no TXT record (${txt.negative ?? 'ENODATA'})` : `${recordName}: no record starts with v=STSv1`);
    problems.push({
      ruleId: MTA_STS_RULES.missing.id,
      message: `${d} publishes no MTA-STS policy; publish a _mta-sts TXT record and a policy file.`,
      details: `No "v=STSv1" TXT record at ${recordName}. Sending servers that support MTA-STS will still deliver, but cannot refuse a downgrade to plain text or a forged MX certificate. The policy goes to https://mta-sts.${domain}${POLICY_PATH}.`,
    });
    return done('not published');
  }
  if (sts.errors.length > 0) {
    problems.push({
      ruleId: MTA_STS_RULES.invalid.id,
      message: `The MTA-STS TXT record of ${d} is invalid; publish one record like "v=STSv1; id=20240101T000000".`,
      details: `${recordName}: ${sts.errors.join('; ')}. Senders then act as if ${domain} had no MTA-STS policy.`,
    });
    return done(`TXT record invalid: ${sts.errors[0]}`);
  }

  const host = `mta-sts.${domain}`;
  const url = `https://${host}${POLICY_PATH}`;
  const fetched = await fetchPolicy(host, context);
  if ('addresses' in fetched) evidence.push(`${host} has address ${fetched.addresses.join(', ')}`);
  if (fetched.kind === 'dns-error') return done(`address lookup of ${host} failed (${fetched.code})`, `${fetched.code} looking up the address of ${host}`);
  if (fetched.kind === 'no-address') {
    evidence.push(`${host}: no A/AAAA record (${fetched.code})`);
    problems.push({
      ruleId: MTA_STS_RULES.policyUnreachable.id,
      message: `mta-sts.${d} has no address, so senders cannot fetch the MTA-STS policy; publish its A/AAAA record.`,
      details: `${recordName} announces an MTA-STS policy (id ${sts.id}), but ${host} has no address (${fetched.code}), so senders cannot fetch ${url} and act as if there were no policy. Serve the policy there over HTTPS.`,
    });
    return done(`policy host ${host} does not resolve`);
  }
  const http = fetched.status !== undefined ? `HTTP ${fetched.status}${fetched.contentType ? `, Content-Type ${fetched.contentType}` : ''}${fetched.bytes !== undefined ? `, ${fetched.bytes} bytes` : ''}` : fetched.detail ?? fetched.code ?? '';
  evidence.push(`GET ${url} (${fetched.via}): ${fetched.kind === 'ok' ? http : `${fetched.detail ?? fetched.code}`}`);
  if (fetched.certificate) evidence.push(fetched.certificate);
  if (fetched.kind === 'error') return done(`policy fetch failed (${fetched.code})`, `${fetched.code} fetching ${url}`);
  if (fetched.kind === 'failed') {
    problems.push({
      ruleId: MTA_STS_RULES.policyUnreachable.id,
      message: `The MTA-STS policy of ${d} cannot be fetched; serve it over HTTPS (status 200, valid certificate).`,
      details: `${recordName} announces an MTA-STS policy, but fetching ${url} fails: ${fetched.detail}. Senders without a cached copy act as if there were no policy; those with one keep the old one until it expires.`,
    });
    return done(`policy unreachable: ${fetched.detail ?? fetched.code}`);
  }
  if (fetched.tooLarge) {
    problems.push({ ruleId: MTA_STS_RULES.invalid.id, message: `The MTA-STS policy of ${d} is over ${MAX_POLICY_BYTES / 1024} KB; serve the short key: value policy file.`, details: `${url} is larger than ${MAX_POLICY_BYTES / 1024} KB; that is not an MTA-STS policy any sender reads.` });
    return done(`policy larger than ${MAX_POLICY_BYTES / 1024} KB`);
  }

  const body = fetched.body ?? '';
  const lines = body.split(/\r?\n/).filter((l) => l.trim() !== '');
  for (const l of lines.slice(0, POLICY_EVIDENCE_LINES)) evidence.push(`policy: ${printable(l, 200)}`);
  if (lines.length > POLICY_EVIDENCE_LINES) evidence.push(`policy: … ${lines.length - POLICY_EVIDENCE_LINES} more lines`);
  const policy = parseStsPolicy(body);
  const contentTypeOk = fetched.contentType !== undefined && /^text\/plain[ \t]*(;|$)/i.test(fetched.contentType);
  const typeProblem = contentTypeOk ? [] : [`it is served as ${fetched.contentType ? `"${fetched.contentType}"` : 'no Content-Type'}, not text/plain (RFC 8461 §3.2; some senders reject it)`];
  if (policy.errors.length > 0) {
    problems.push({
      ruleId: MTA_STS_RULES.invalid.id,
      message: `The MTA-STS policy of ${d} is invalid, so senders discard it; fix the policy file.`,
      details: `${url}: ${[...policy.errors, ...typeProblem].join('; ')}. Senders discard an invalid policy and deliver as if there were none.`,
    });
    return done(`policy invalid: ${policy.errors[0]}`);
  }
  if (typeProblem.length > 0) {
    problems.push({ ruleId: MTA_STS_RULES.invalid.id, message: `The MTA-STS policy of ${d} is not served as text/plain; serve it with "Content-Type: text/plain".`, details: `${url}: ${typeProblem[0]}.` });
  }
  if (policy.unknownKeys.length > 0) evidence.push(`unknown policy keys (ignored by senders): ${policy.unknownKeys.join(', ')}`);
  const mode = policy.mode!;
  const maxAge = policy.maxAge!;
  if (maxAge < STS_MAX_AGE_SHORT && mode === 'enforce') {
    problems.push({
      ruleId: MTA_STS_RULES.invalid.id,
      message: `The MTA-STS policy of ${d} has max_age ${maxAge} s, under a day; use at least 86400 (weeks are usual).`,
      details: `${url}: senders forget a short-lived policy quickly, so an attacker who blocks the policy fetch gets a plain-text downgrade soon after. 604800 or 1209600 are usual in enforce mode.`,
    });
  }
  if (mode === 'testing' || mode === 'none') {
    problems.push({
      ruleId: MTA_STS_RULES.testing.id,
      message: mode === 'testing'
        ? `The MTA-STS policy of ${d} is in testing mode; switch to "mode: enforce" once the TLS reports are clean.`
        : `The MTA-STS policy of ${d} has mode none; remove its TXT record or switch to enforce.`,
      details: mode === 'testing'
        ? `${url}: in testing mode senders report TLS failures (with TLS-RPT) but still deliver without verified TLS.`
        : `${url}: senders drop a policy in mode none, which is how MTA-STS is retired; remove the TXT record at ${recordName} once max_age has passed, or switch to testing or enforce.`,
    });
  }

  const summaryBase = `mode ${mode}, max_age ${describeMaxAge(maxAge)}, ${policy.mx.length} mx pattern${policy.mx.length === 1 ? '' : 's'} (id ${sts.id})`;
  const mx = context.mx;
  if (mode === 'none') return done(summaryBase);
  if (!mx) {
    evidence.push('MX hosts not known to this run: mx patterns not compared');
    return done(summaryBase);
  }
  if (mx.status !== 'ok') {
    evidence.push(mx.status === 'lookup-failed' ? `MX lookup failed (${mx.error}): mx patterns not compared` : `${domain} has ${mx.status === 'null-mx' ? 'a null MX' : 'no MX records'}: mx patterns not compared`);
    return done(summaryBase);
  }
  const hosts = mx.hosts.map((h) => h.exchange.toLowerCase().replace(/\.$/, ''));
  const unmatched = new Set(unmatchedMxHosts(hosts, policy.mx));
  for (const h of hosts) evidence.push(`MX ${h}: ${unmatched.has(h) ? 'matches no mx: pattern' : 'matches the policy'}`);
  for (const h of unmatched) {
    problems.push({
      ruleId: MTA_STS_RULES.mxMismatch.id,
      ...(mode === 'testing' ? { severity: 'warning' as const } : {}),
      message: `MX ${shortName(h)} matches no mx: line of the MTA-STS policy; add it and change the policy id.`,
      details: mode === 'enforce'
        ? `Add "mx: ${h}" to the MTA-STS policy of ${domain}. It lists ${policy.mx.join(', ')} and is in enforce mode: senders that honour MTA-STS refuse to deliver to ${h}. Change the id in ${recordName} so senders fetch the new policy.`
        : `Add "mx: ${h}" to the MTA-STS policy of ${domain}. It lists ${policy.mx.join(', ')}; in testing mode senders only report it, but switching to enforce would stop delivery to ${h}. Change the id in ${recordName} so senders fetch the new policy.`,
    });
  }
  return done(unmatched.size > 0 ? `${summaryBase}; MX not in policy: ${[...unmatched].join(', ')}` : summaryBase);
}

/** The mode of the policy a result found (its summary starts with it), or undefined when none was fetched. */
export function mtaStsModeOf(r: AuthCheckResult): 'enforce' | 'testing' | 'none' | undefined {
  if (r.check !== 'mta-sts' || r.error) return undefined;
  return /^mode (enforce|testing|none),/.exec(r.summary)?.[1] as 'enforce' | 'testing' | 'none' | undefined;
}

export const MTA_STS_CHECK: AuthCheck = {
  name: 'mta-sts',
  subjectKind: 'domain',
  rules: Object.values(MTA_STS_RULES),
  // A null MX (RFC 7505) receives no mail: there is no inbound TLS to protect.
  run: guardedRun('mta-sts', 'domain', runMtaSts, { receivingOnly: true }),
};
