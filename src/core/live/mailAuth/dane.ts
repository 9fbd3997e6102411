// DANE for SMTP (RFC 7672): for each MX host of a domain, the TLSA records at _25._tcp.<host>, whether DNSSEC
// authenticated them (the AD bit of a validating resolver), and whether one of them matches the certificate
// the host presents after STARTTLS on port 25. A DANE-validating sender (Postfix with
// smtp_tls_security_level = dane, Exim, Microsoft 365...) defers mail to a host whose TLSA records match
// nothing; no DANE at all just means opportunistic TLS.

import { monotonicMs } from '../builtins';
import { resolveAddresses } from '../dnsChecks';
import { checkMx } from '../mxCheck';
import type { DnsCheckOptions, MxCheckResult } from '../dnsTypes';
import { DNS_TYPE, queryWire, rcodeError, recordsFor, type TlsaData } from '../dnsWire';
import type { SmtpProbeResult } from '../probeTypes';
import { isCancelledError } from '../scheduler';
import { probeSmtp } from '../smtpProbe';
import { formatTlsa, matchTlsa, tlsa311, tlsaUnusableReason } from './daneMatch';
import { liveRuleMeta } from '../liveRules';
import type { RuleMeta } from '../../model';
import type { AuthCheck, AuthCheckContext, AuthCheckResult, AuthProblem } from './types';

/** The check's rules; the registry reads them from liveCheckRules.generated.ts, generated from these. */
export const DANE_RULES = {
  missing: liveRuleMeta('dns/dane-missing', 'information', 'No TLSA records for the MX hosts (no DANE): senders use opportunistic TLS, which an active attacker can strip.'),
  unvalidated: liveRuleMeta('dns/dane-unvalidated', 'warning', 'TLSA records were found but DNSSEC did not authenticate them (no AD bit): DANE cannot be confirmed, and senders ignore unsigned TLSA records.'),
  mismatch: liveRuleMeta('dns/dane-mismatch', 'error', "No usable TLSA record matches the certificate the MX host serves on port 25: DANE-validating senders will not deliver mail to it."),
  unusableUsage: liveRuleMeta('dns/dane-unusable-usage', 'warning', 'TLSA records with PKIX usages (0, 1) or undefined parameters, which SMTP senders ignore (RFC 7672).'),
  unreachable: liveRuleMeta('dns/dane-unreachable', 'error', 'An MX host with TLSA records could not be reached over STARTTLS on port 25, so its certificate could not be compared (no verdict on the match).'),
} as const;
export const DANE_RULE_METAS: readonly RuleMeta[] = Object.values(DANE_RULES);

/** MX hosts looked at per domain; more are listed in the evidence but not checked. */
const MAX_HOSTS = 10;
const DEFAULT_STEP_MS = 5000;
/** TLSA records looked at per host (a real record set has a handful; a hostile one could have hundreds). */
const MAX_TLSA_RECORDS = 32;
/** Answers that say "there is no such record", as opposed to "could not find out". */
const NEGATIVE = new Set(['ENOTFOUND', 'ENODATA']);

export interface DaneCheckOptions {
  /** The SMTP port probed (25; tests use another). */
  readonly port?: number;
}

type TlsaLookup =
  | { readonly host: string; readonly name: string; readonly status: 'none'; readonly code: string }
  | { readonly host: string; readonly name: string; readonly status: 'failed'; readonly error: string }
  | {
      readonly host: string;
      readonly name: string;
      readonly status: 'found';
      readonly records: readonly TlsaData[];
      /** How many there were, when more than MAX_TLSA_RECORDS. */
      readonly total: number;
      readonly ad: boolean;
      readonly aliases: readonly string[];
    };

type Found = Extract<TlsaLookup, { status: 'found' }>;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

async function lookupTlsa(host: string, dns: DnsCheckOptions): Promise<TlsaLookup> {
  const name = `_25._tcp.${host}`;
  const outcome = await queryWire(name, DNS_TYPE.TLSA, dns);
  if (!outcome.response) return { host, name, status: 'failed', error: outcome.error };
  const code = rcodeError(outcome.response.rcode);
  if (code === 'ENOTFOUND') return { host, name, status: 'none', code };
  if (code) return { host, name, status: 'failed', error: code };
  const { records, aliases } = recordsFor(outcome.response, name, DNS_TYPE.TLSA);
  const tlsa = records.map((r) => r.data).filter((d): d is TlsaData => typeof d === 'object');
  if (tlsa.length === 0) return { host, name, status: 'none', code: 'ENODATA' };
  return { host, name, status: 'found', records: tlsa.slice(0, MAX_TLSA_RECORDS), total: tlsa.length, ad: outcome.response.ad, aliases };
}

/** Whether the resolver validates DNSSEC at all: its answer for the (signed) root zone carries AD. */
async function resolverValidates(context: AuthCheckContext): Promise<boolean | undefined> {
  const servers = context.dns.servers?.join(',') ?? 'system';
  try {
    return await context.scheduler.run(
      `dnssec-validates:${servers}`,
      async (signal) => {
        const outcome = await queryWire('.', DNS_TYPE.SOA, { ...context.dns, signal });
        if (!outcome.response || outcome.response.rcode !== 0) return undefined;
        return outcome.response.ad;
      },
      { signal: context.dns.signal },
    );
  } catch (e) {
    if (isCancelledError(e)) return undefined;
    throw e;
  }
}

function caStrings(ca: AuthCheckContext['ca']): string[] | undefined {
  if (ca === undefined) return undefined;
  const list = Array.isArray(ca) ? ca : [ca];
  return list.map((c) => (typeof c === 'string' ? c : c.toString('utf8')));
}

/** The STARTTLS probe of host:port, shared with the run's other probes of the same key. */
async function probe(host: string, port: number, context: AuthCheckContext): Promise<SmtpProbeResult | 'cancelled'> {
  const step = context.dns.timeoutMs ?? DEFAULT_STEP_MS;
  const dns = context.dns;
  try {
    return await context.scheduler.run(
      `smtp:${host.toLowerCase()}:${port}`,
      (signal) =>
        probeSmtp({
          host,
          port,
          implicitTls: false,
          detectImplicitTls: true,
          signal,
          lookup: dns.servers?.length ? (h) => resolveAddresses(h, { ...dns, signal }) : undefined,
          ca: caStrings(context.ca),
          timeouts: { dns: step, connect: step, greeting: step, command: step, tls: step },
        }),
      { signal: dns.signal },
    );
  } catch (e) {
    if (isCancelledError(e)) return 'cancelled';
    throw e;
  }
}

interface HostVerdict {
  readonly problems: AuthProblem[];
  readonly evidence: string[];
  /** For the summary. */
  readonly state: 'match' | 'mismatch' | 'unreachable' | 'unusable' | 'cancelled';
}

/** Compares one host's usable TLSA records with the certificate it serves on `port`. */
async function judgeHost(found: Found, port: number, context: AuthCheckContext): Promise<HostVerdict> {
  const { host, name } = found;
  const problems: AuthProblem[] = [];
  const evidence: string[] = [];
  const usable = found.records.filter((r) => tlsaUnusableReason(r) === undefined);
  const unusable = found.records.filter((r) => tlsaUnusableReason(r) !== undefined);
  if (unusable.length > 0) {
    const reasons = unusable.map((r) => `${formatTlsa(r)}: ${tlsaUnusableReason(r)}`).join('; ');
    problems.push({
      ruleId: DANE_RULES.unusableUsage.id,
      message: `${name} has ${plural(unusable.length, 'TLSA record')} SMTP senders ignore; publish usage 3 (DANE-EE) or 2 (DANE-TA) instead.`,
      details:
        `Ignored: ${reasons}. ` +
        (usable.length === 0
          ? 'With no usable record, DANE senders still insist on TLS but cannot authenticate the server. '
          : '') +
        `Publish usage 3 (DANE-EE) or 2 (DANE-TA) records instead, e.g. \`${name}. IN TLSA 3 1 1 <SHA-256 of the server's public key>\`.`,
    });
  }
  if (usable.length === 0) return { problems, evidence, state: 'unusable' };

  const result = await probe(host, port, context);
  if (result === 'cancelled') return { problems, evidence, state: 'cancelled' };
  const where = `${host}:${port}`;
  const noVerdict = 'so its certificate was not compared with the TLSA records (no verdict on the match)';
  if (result.status !== 'open') {
    const blocked = result.status === 'timeout' || result.status === 'unreachable';
    problems.push({
      ruleId: DANE_RULES.unreachable.id,
      message: `Could not reach ${where} (${result.status.replace(/-/g, ' ')}), so DANE could not be checked; check port 25 from the server's network.`,
      details:
        `${result.detail ? `${result.detail}. ` : ''}The certificate was not compared with the TLSA records (no verdict on the match).` +
        (blocked ? ' Many networks block outbound port 25: run the check from the mail server or another network.' : ' Senders that find its TLSA records cannot deliver to it either.'),
      ...(blocked ? { severity: 'warning' as const } : {}),
    });
    evidence.push(`${where}: ${result.status}${result.detail ? ` (${result.detail})` : ''}`);
    return { problems, evidence, state: 'unreachable' };
  }
  const tls = result.tls;
  if (!tls) {
    problems.push({
      ruleId: DANE_RULES.unreachable.id,
      message: `${where} has TLSA records but offers no STARTTLS, so DANE senders defer mail to it; enable STARTTLS.`,
      details: `Its certificate was not compared with the TLSA records (no verdict on the match). DANE-validating senders will not send it mail in clear. Postfix: smtpd_tls_security_level = may with a certificate.`,
    });
    evidence.push(`${where}: no STARTTLS`);
    return { problems, evidence, state: 'unreachable' };
  }
  const cert = tls.certificate;
  const chain = cert?.chain?.length ? cert.chain : cert?.raw ? [cert.raw] : [];
  if (tls.error || !cert || chain.length === 0) {
    const why = tls.error ? `the TLS handshake failed (${tls.error})` : 'it presented no certificate';
    problems.push({
      ruleId: DANE_RULES.unreachable.id,
      message: `At ${where} ${why.length > 60 ? why.slice(0, 59) + '…' : why}; DANE senders defer mail to it, fix its TLS.`,
      details: `At ${where} ${why}, ${noVerdict}. DANE-validating senders defer mail to it.`,
    });
    evidence.push(`${where}: ${why}`);
    return { problems, evidence, state: 'unreachable' };
  }

  const leafKey = tlsa311(chain[0]);
  evidence.push(`${where} presents ${cert.subject || '(no subject)'} issued by ${cert.issuer || '(no issuer)'}; as TLSA 3 1 1: ${leafKey ?? '(unreadable key)'}`);
  const verdict = matchTlsa(usable, { chain, hostnameMatches: cert.hostnameMatches });
  for (const note of verdict.notes) evidence.push(`${host}: ${note}`);
  if (verdict.match) {
    const what = verdict.match.certificateIndex === 0 ? "the server's certificate" : `certificate ${verdict.match.certificateIndex} of its chain`;
    evidence.push(`${host}: ${formatTlsa(verdict.match.record)} matches ${what}`);
    return { problems, evidence, state: 'match' };
  }
  problems.push({
    ruleId: DANE_RULES.mismatch.id,
    message: `No TLSA record at ${name} matches the certificate of ${where}; publish one for the current key.`,
    details:
      `The certificate presented: ${cert.subject || 'no subject'}. ` +
      (verdict.notes.length ? `${verdict.notes.join('; ')}. ` : '') +
      'DANE-validating senders will not deliver mail to this host: they defer it and retry until it bounces. ' +
      (leafKey ? `Publish \`${name}. IN TLSA 3 1 1 ${leafKey}\` for the current key, ` : 'Publish a TLSA record for the current certificate, ') +
      'and when you replace the certificate, publish the new record a few TTLs before switching, keeping the old one until then.',
  });
  return { problems, evidence, state: 'mismatch' };
}

function mxHosts(domain: string, mx: MxCheckResult): { hosts: string[]; evidence: string[]; done?: { summary: string; error?: string } } {
  const evidence: string[] = [];
  switch (mx.status) {
    case 'lookup-failed':
      return { hosts: [], evidence, done: { summary: `MX lookup failed (${mx.error ?? 'unknown error'})`, error: `MX lookup for ${domain} failed: ${mx.error ?? 'unknown error'}` } };
    case 'null-mx':
      return { hosts: [], evidence: ['null MX (RFC 7505)'], done: { summary: 'null MX: accepts no mail, DANE does not apply' } };
    case 'no-mx': {
      if (mx.error && !NEGATIVE.has(mx.error)) {
        return { hosts: [], evidence, done: { summary: `address lookup failed (${mx.error})`, error: `${domain} has no MX and its address lookup failed: ${mx.error}` } };
      }
      if (!mx.fallbackAddresses?.length) return { hosts: [], evidence: ['no MX, no address'], done: { summary: 'no MX and no address: no mail host to check' } };
      return { hosts: [domain], evidence: [`no MX: ${domain} itself receives mail (${mx.fallbackAddresses.join(', ')})`] };
    }
    case 'ok': {
      for (const h of mx.hosts) evidence.push(`MX ${h.priority} ${h.exchange}${h.isIpLiteral ? ' (IP literal: no TLSA lookup)' : ''}`);
      const names = [...new Set(mx.hosts.filter((h) => !h.isIpLiteral && h.exchange !== '' && h.exchange !== '.').map((h) => h.exchange.replace(/\.$/, '').toLowerCase()))];
      if (names.length > MAX_HOSTS) evidence.push(`only the first ${MAX_HOSTS} of ${names.length} MX hosts are checked`);
      if (names.length === 0) return { hosts: [], evidence, done: { summary: 'no MX host name to look up TLSA records for' } };
      return { hosts: names.slice(0, MAX_HOSTS), evidence };
    }
  }
}

async function runDane(subject: string, context: AuthCheckContext, port: number): Promise<AuthCheckResult> {
  const start = monotonicMs();
  const domain = subject.trim().replace(/\.$/, '').toLowerCase();
  const evidence: string[] = [];
  const problems: AuthProblem[] = [];
  const result = (summary: string, error?: string): AuthCheckResult => ({
    check: 'dane',
    subjectKind: 'domain',
    subject: domain,
    summary,
    evidence,
    problems: error === 'ECANCELLED' ? [] : problems,
    ...(error !== undefined ? { error } : {}),
    ms: Math.round(monotonicMs() - start),
  });
  const cancelled = (): AuthCheckResult => result('cancelled', 'ECANCELLED');
  if (context.dns.signal?.aborted) return cancelled();

  let mx = context.mx;
  if (!mx) {
    try {
      mx = await context.scheduler.run(`mx:${domain}`, (signal) => checkMx(domain, { ...context.dns, signal }), { signal: context.dns.signal });
    } catch (e) {
      if (isCancelledError(e)) return cancelled();
      throw e;
    }
  }
  if (mx.error === 'ECANCELLED') return cancelled();
  const targets = mxHosts(domain, mx);
  evidence.push(...targets.evidence);
  if (targets.done) return result(targets.done.summary, targets.done.error);

  const lookups = await Promise.all(targets.hosts.map((h) => lookupTlsa(h, context.dns)));
  if (context.dns.signal?.aborted || lookups.some((l) => l.status === 'failed' && l.error === 'ECANCELLED')) return cancelled();
  for (const l of lookups) {
    if (l.status === 'found') {
      for (const a of l.aliases) evidence.push(`${a}`);
      for (const r of l.records) evidence.push(`${l.name} TLSA ${formatTlsa(r)}${l.ad ? ' (AD: DNSSEC-validated)' : ' (no AD bit)'}`);
      if (l.total > l.records.length) evidence.push(`${l.name}: only the first ${l.records.length} of ${l.total} TLSA records are used`);
    } else if (l.status === 'none') evidence.push(`${l.name}: no TLSA (${l.code === 'ENOTFOUND' ? 'NXDOMAIN' : 'NODATA'})`);
    else evidence.push(`${l.name}: lookup failed (${l.error})`);
  }
  const found = lookups.filter((l): l is Found => l.status === 'found');
  const failed = lookups.filter((l): l is Extract<TlsaLookup, { status: 'failed' }> => l.status === 'failed');
  const none = lookups.filter((l) => l.status === 'none');
  const failure =
    failed.length > 0
      ? `TLSA lookup failed for ${failed.map((f) => `${f.name} (${f.error})`).join(', ')}` +
        (failed.some((f) => f.error === 'ESERVFAIL') ? '; a validating resolver answers SERVFAIL when DNSSEC is broken, and DANE senders then defer mail' : '')
      : undefined;

  if (found.length === 0) {
    if (failure) return result(`TLSA lookup failed (${failed[0].error})`, failure);
    problems.push({
      ruleId: DANE_RULES.missing.id,
      message: `No MX host of ${domain} publishes a TLSA record (no DANE); sign the zone and publish TLSA records.`,
      details:
        `Looked up: ${lookups.map((l) => l.name).join(', ')}. Senders use opportunistic TLS, which an attacker on the path can strip or intercept. ` +
        'To add DANE, sign the zone with DNSSEC and publish `_25._tcp.<mx host>. IN TLSA 3 1 1 <SHA-256 of the server\'s public key>` for every MX host.',
    });
    return result('no TLSA records (no DANE)', failure);
  }

  // RFC 7672: a sender uses DANE for an MX host only when both the MX answer and that host's TLSA answer are
  // DNSSEC-authenticated; elsewhere it ignores the records (opportunistic TLS). `inEffect` is whether DANE
  // applies to a host as such a sender sees it: true, false, or undefined when this resolver cannot tell.
  const unvalidated = found.filter((f) => !f.ad);
  const validates = unvalidated.length > 0 ? await resolverValidates(context) : true;
  let mxSecure: boolean | undefined = true;
  if (unvalidated.length > 0) {
    const names = unvalidated.map((f) => f.name).join(', ');
    if (validates === true) {
      problems.push({
        ruleId: DANE_RULES.unvalidated.id,
        message: `The TLSA records of ${domain} are not DNSSEC-signed, so senders ignore them; sign the zone and publish its DS.`,
        details:
          `The resolver validates DNSSEC (its answer for the root zone carries the AD bit), but the TLSA answer for ${names} does not: the zone is unsigned or its chain of trust is broken (no DS record at the parent). ` +
          'Senders ignore TLSA records DNSSEC does not authenticate, so there is no DANE here. Sign the zone and publish its DS record at the registrar.',
      });
    } else {
      problems.push({
        ruleId: DANE_RULES.unvalidated.id,
        severity: 'information',
        message: `DANE of ${domain} cannot be confirmed: the resolver does not validate DNSSEC; use a validating resolver.`,
        details:
          `TLSA records exist at ${names}, but the resolver did not validate DNSSEC (no AD bit${validates === false ? ', not even for the root zone' : ''}). ` +
          'Point smtpDoctor.dnsServers (CLI: --dns) at a validating resolver (e.g. a local unbound) to check it. The records were still compared with the certificates.',
      });
    }
  }
  if (found.length > unvalidated.length && mx.status === 'ok') {
    // RFC 7672 §2.2.1: senders look up TLSA only for MX hosts whose MX record set was itself secure.
    const mxAnswer = await queryWire(domain, DNS_TYPE.MX, context.dns);
    if (mxAnswer.error === 'ECANCELLED') return cancelled();
    if (mxAnswer.response && mxAnswer.response.rcode === 0) {
      mxSecure = mxAnswer.response.ad;
      evidence.push(`MX answer for ${domain}: ${mxAnswer.response.ad ? 'AD (DNSSEC-validated)' : 'no AD bit'}`);
      if (!mxAnswer.response.ad) {
        problems.push({
          ruleId: DANE_RULES.unvalidated.id,
          message: `The MX records of ${domain} are not DNSSEC-signed, so senders do not use its TLSA records; sign the zone.`,
          details:
            `The TLSA records are DNSSEC-validated, but the MX records of ${domain} are not (no AD bit): senders look up TLSA records only for MX hosts they found securely (RFC 7672 §2.2.1), so they do not use DANE for ${domain}.`,
        });
      }
    } else {
      mxSecure = undefined;
      evidence.push(`MX answer for ${domain} (for its AD bit): ${mxAnswer.error ?? rcodeError(mxAnswer.response!.rcode)}`);
    }
  }
  const inEffect = (f: Found): boolean | undefined => (f.ad ? mxSecure : validates === true ? false : undefined);

  // A host without TLSA weakens DANE only where a sender uses DANE for a sibling.
  const protectedHosts = found.filter((f) => inEffect(f) === true);
  if (protectedHosts.length > 0) {
    for (const l of none) {
      problems.push({
        ruleId: DANE_RULES.missing.id,
        severity: 'warning',
        message: `MX ${l.host} of ${domain} has no TLSA record while other MX hosts have; publish ${l.name} too.`,
        details: `${protectedHosts.map((f) => f.host).join(', ')} ${protectedHosts.length === 1 ? 'has' : 'have'} DANE-protected TLSA records: mail that goes to ${l.host} gets no DANE protection, and an attacker can steer senders to it.`,
      });
    }
  } else if (none.length > 0) {
    evidence.push(`${none.map((l) => l.host).join(', ')}: no TLSA, and no sibling is DANE-protected for senders, so nothing is missing`);
  }

  const verdicts = await Promise.all(found.map((f) => judgeHost(f, port, context)));
  if (context.dns.signal?.aborted || verdicts.some((v) => v.state === 'cancelled')) return cancelled();
  found.forEach((f, i) => {
    const v = verdicts[i];
    evidence.push(...v.evidence);
    const effect = inEffect(f);
    if (effect === true) problems.push(...v.problems);
    else if (effect === undefined) {
      // Not known to be in effect: what would fail for DANE senders is a warning until DNSSEC is confirmed.
      problems.push(...v.problems.map((p) => (p.severity === 'information' ? p : { ...p, severity: 'warning' as const })));
    } else for (const p of v.problems) evidence.push(`${f.host}, not used by DANE senders (not DNSSEC-authenticated): ${p.message}`);
  });

  const parts = [`TLSA on ${found.length} of ${plural(lookups.length, 'MX host')}`];
  const count = (state: HostVerdict['state']) => verdicts.filter((v) => v.state === state).length;
  if (count('mismatch')) parts.push(`${count('mismatch')} mismatched`);
  if (count('unreachable')) parts.push(`${count('unreachable')} not compared (unreachable)`);
  if (count('unusable')) parts.push(`${count('unusable')} with no usable record`);
  if (count('match') === verdicts.length) parts.push(verdicts.length === 1 ? 'certificate matches' : 'certificates match');
  parts.push(unvalidated.length ? 'not DNSSEC-validated' : 'DNSSEC-validated');
  if (failed.length) parts.push(`${failed.length} lookup failed`);
  return result(parts.join(', '), failure);
}

export function createDaneCheck(options: DaneCheckOptions = {}): AuthCheck {
  const port = options.port ?? 25;
  return {
    name: 'dane',
    subjectKind: 'domain',
    rules: DANE_RULE_METAS,
    run: (subject, context) => runDane(subject, context, port),
  };
}

/** DANE for the MX hosts of a domain, probing port 25. */
export const daneCheck: AuthCheck = createDaneCheck();
