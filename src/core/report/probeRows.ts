// An SMTP probe's result as rows of the Results tree: its one-line summary and one row per stage (connection,
// greeting, TLS mode, STARTTLS, AUTH, TLS version, certificate), each judged by the findings of its own rules.
import { type EndpointSecurity, type RuleMeta, type RuleSeverityOverrides, applySeverityOverrides } from '../model';
import { type ConfigLocation, type ProbeContext, outbound25Findings, probeFindings, serverTlsMode } from '../live/liveFindings';
import { LIVE_RULES } from '../live/liveRules';
import { startsTlsAtConnect } from '../live/liveTargets';
import type { Outbound25Diagnosis } from '../live/outbound25';
import type { ProbeStatus, SmtpProbeResult } from '../live/probeTypes';
import { outbound25Row } from './outbound25Row';
import { type CheckRow, type NodeState, judge, lines, mdBlock, mdCode, mdText, oneLine, para, plural } from './treeRows';

export function timingsText(t: SmtpProbeResult['timings']): string {
  const parts: string[] = [];
  for (const [k, label] of [['dns', 'DNS'], ['connect', 'connect'], ['greeting', 'greeting'], ['ehlo', 'EHLO'], ['tls', 'TLS'], ['ehloAfterTls', 'EHLO after TLS']] as const) {
    const v = t[k];
    if (v !== undefined) parts.push(`${label} ${Math.round(v)} ms`);
  }
  parts.push(`total ${Math.round(t.total)} ms`);
  return parts.join(' · ');
}

function extensionsText(ext: Readonly<Record<string, string>>): string {
  return Object.entries(ext)
    .map(([k, v]) => (v ? `${k} ${v}` : k))
    .join('\n');
}

function certValidity(daysLeft: number): string {
  return daysLeft < 0 ? `cert expired ${plural(-daysLeft, 'day')} ago` : `cert valid ${plural(daysLeft, 'day')}`;
}

/** A probe's outcome in words (the status ids are for JSON, not for people). */
export const PROBE_STATUS_WORDS: Readonly<Record<ProbeStatus, string>> = {
  open: 'open',
  refused: 'refused',
  timeout: 'timed out',
  unreachable: 'unreachable',
  'dns-failure': 'name does not resolve',
  'no-greeting': 'no greeting',
  'bad-greeting': 'refused with its greeting',
  cancelled: 'cancelled',
};

/** "TLSv1.3" as people write it: "TLS 1.3". */
export function tlsVersionWords(version: string): string {
  return version.replace(/^TLSv(\d)/, 'TLS $1');
}

/** One line for a probe, e.g. `587 open · STARTTLS · TLS 1.3 · cert valid 81 days`. */
export function probeSummary(r: SmtpProbeResult, outbound?: Outbound25Diagnosis): string {
  const facts: string[] = [`${r.port} ${PROBE_STATUS_WORDS[r.status]}`];
  if (r.plainGreetingDuringTls) facts.push('speaks plain SMTP, not TLS at connect');
  if (r.tlsRecordSeen) facts.push('speaks implicit TLS');
  if (r.status === 'timeout' && outbound?.verdict === 'network-blocks-25') facts.push('this network blocks port 25');
  else if (r.status === 'timeout' && outbound && outbound.verdict !== 'inconclusive') facts.push(outbound.verdict.replace(/-/g, ' '));
  if (r.status === 'open') {
    if (r.tls?.mode === 'implicit') facts.push('implicit TLS');
    else if (r.extensions) facts.push('STARTTLS' in r.extensions ? 'STARTTLS' : 'no STARTTLS');
    if (r.tls?.error) facts.push('TLS failed');
    else if (r.tls?.version) facts.push(tlsVersionWords(r.tls.version));
    const c = r.tls?.certificate;
    if (c) {
      facts.push(certValidity(c.daysLeft));
      if (!c.trusted && c.daysLeft >= 0) facts.push('untrusted');
      if (!c.hostnameMatches) facts.push('other name');
    }
  }
  return facts.join(' · ');
}

/** The rules each probe check answers for, so a check's state is exactly its findings' severity. */
const PROBE_CHECK_RULES: Readonly<Record<string, readonly RuleMeta[]>> = {
  Connection: [LIVE_RULES.portRefused, LIVE_RULES.portTimeout, LIVE_RULES.lookupFailed, LIVE_RULES.outbound25Blocked],
  Greeting: [LIVE_RULES.noGreeting, LIVE_RULES.badGreeting],
  'TLS mode': [LIVE_RULES.tlsModeMismatch],
  STARTTLS: [LIVE_RULES.starttlsMissing, LIVE_RULES.starttlsFailed],
  'Implicit TLS': [LIVE_RULES.starttlsFailed],
  Authentication: [LIVE_RULES.authBeforeTls],
  'TLS version': [LIVE_RULES.tlsWeakVersion],
  Certificate: [LIVE_RULES.certExpired, LIVE_RULES.certExpiring, LIVE_RULES.certHostnameMismatch, LIVE_RULES.certUntrusted],
};

export function probeChecks(r: SmtpProbeResult, security: EndpointSecurity | undefined, context: ProbeContext, outbound: Outbound25Diagnosis | undefined, overrides: RuleSeverityOverrides, at: ConfigLocation): CheckRow[] {
  const findings = applySeverityOverrides(
    outbound?.verdict === 'network-blocks-25' ? outbound25Findings(at, outbound) : probeFindings(at, r, security, context),
    overrides,
  );
  const checks: CheckRow[] = [];
  const add = (name: string, description: string, evidence: string, state?: NodeState) => {
    const j = judge(findings, PROBE_CHECK_RULES[name] ?? []);
    checks.push({ name, state: state ?? j.state, description, tooltip: para(`**${name}** — ${mdText(description)}`, ...j.problems, evidence), ruleIds: j.ruleIds });
  };

  const address = r.address && r.address !== r.host ? r.address : undefined;
  const connected = r.status === 'open' || r.status === 'no-greeting' || r.status === 'bad-greeting';
  const connection = [connected ? 'open' : PROBE_STATUS_WORDS[r.status], address, r.status !== 'open' ? r.detail : undefined, `${Math.round(r.timings.total)} ms`].filter(Boolean).join(' · ');
  add(
    'Connection',
    connection,
    lines(`Host ${mdCode(`${r.host}:${r.port}`)}${address ? ` at ${mdCode(address)}` : ''}`, r.detail && `Detail: ${mdText(r.detail)}`, `Timings: ${timingsText(r.timings)}`),
    r.status === 'cancelled' ? 'skipped' : undefined,
  );
  if (outbound) checks.push(outbound25Row(outbound, overrides));
  if (!connected) return checks;

  // What the server speaks at connect against what the client does: on a mix-up nothing after it happens.
  const configured = startsTlsAtConnect(security, r.port) ? 'implicit' : 'plain';
  const server = serverTlsMode(r);
  if (server && (server !== configured || r.plainGreetingDuringTls || r.tlsRecordSeen)) {
    const speaks = server === 'plain' ? 'server greets in plain text' : 'server speaks implicit TLS';
    const expects = configured === 'implicit' ? 'client starts TLS at connect' : 'client waits for a plain greeting';
    add(
      'TLS mode',
      server === configured ? `${speaks}, as configured` : `${speaks} · ${expects}`,
      para(
        r.banner ? `Banner:\n\n${mdBlock(r.banner)}` : undefined,
        lines(
          r.plainGreetingDuringTls && 'Evidence: the first bytes answering our TLS ClientHello were a plain-text SMTP reply.',
          r.tlsRecordSeen && 'Evidence: no greeting (not a byte) in time, and a TLS ClientHello sent then was answered with a TLS record.',
          r.detail && `Detail: ${mdText(r.detail)}`,
          `Timings: ${timingsText(r.timings)}`,
        ),
      ),
    );
    return checks;
  }

  const banner = r.banner ?? '';
  add(
    'Greeting',
    r.status === 'no-greeting' ? 'no 220 greeting' : oneLine(banner.split('\n')[0] || '(empty)'),
    para(banner ? `Banner:\n\n${mdBlock(banner)}` : undefined, r.timings.greeting !== undefined ? `Greeting after ${Math.round(r.timings.greeting)} ms` : undefined),
  );
  if (r.status !== 'open') return checks;

  const ext = r.extensions;
  const extEvidence = para(
    ext ? `EHLO extensions:\n\n${mdBlock(extensionsText(ext))}` : 'The server did not answer EHLO.',
    r.extensionsAfterTls ? `EHLO extensions after TLS:\n\n${mdBlock(extensionsText(r.extensionsAfterTls))}` : undefined,
    r.detail ? `Detail: ${mdText(r.detail)}` : undefined,
    r.tls?.error ? `TLS handshake failed: ${mdText(r.tls.error)}` : undefined,
    `Timings: ${timingsText(r.timings)}`,
  );
  if (r.tls?.mode === 'implicit') {
    add('Implicit TLS', r.tls.error ? `handshake failed: ${oneLine(r.tls.error)}` : 'TLS at connect', extEvidence);
  } else if (!ext) {
    add('STARTTLS', 'EHLO not answered', extEvidence, 'skipped');
  } else if (!('STARTTLS' in ext)) {
    add('STARTTLS', 'not offered', extEvidence);
  } else {
    add('STARTTLS', r.tls?.error ? `offered · handshake failed: ${oneLine(r.tls.error)}` : r.tls ? 'offered · handshake ok' : 'offered', extEvidence);
  }

  if (ext) {
    const before = ext.AUTH;
    const after = r.extensionsAfterTls?.AUTH;
    const inClear = before !== undefined && !('STARTTLS' in ext) && !r.tls;
    const description =
      before === undefined && after === undefined
        ? 'no AUTH offered'
        : inClear
          ? `AUTH ${before || '(no mechanisms)'} without TLS`
          : before !== undefined
            ? `AUTH ${before || '(no mechanisms)'} before TLS`
            : `AUTH ${after || '(no mechanisms)'} after TLS only`;
    // Without any TLS, passwords cross in clear: as bad as the missing STARTTLS itself.
    const state = before === undefined && after === undefined ? 'info' : inClear ? judge(findings, [LIVE_RULES.starttlsMissing]).state : undefined;
    add('Authentication', description, extEvidence, state);
  }

  const tls = r.tls;
  if (tls && !tls.error) {
    add(
      'TLS version',
      [tls.version ?? 'unknown version', tls.cipher].filter(Boolean).join(' · '),
      lines(`Mode: ${tls.mode === 'implicit' ? 'implicit TLS' : 'STARTTLS'}`, tls.version && `Version: ${mdCode(tls.version)}`, tls.cipher && `Cipher: ${mdCode(tls.cipher)}`, r.timings.tls !== undefined && `Handshake ${Math.round(r.timings.tls)} ms`),
    );
  }
  const cert = tls?.certificate;
  if (cert) {
    const flags = [!cert.trusted && 'untrusted', !cert.hostnameMatches && 'other name'].filter(Boolean);
    add(
      'Certificate',
      [certValidity(cert.daysLeft).replace(/^cert /, ''), ...flags, cert.issuer && `issuer ${oneLine(cert.issuer, 40)}`].filter(Boolean).join(' · '),
      lines(
        `Subject: ${mdCode(cert.subject)}`,
        `Names: ${cert.subjectAltNames.length ? cert.subjectAltNames.map(mdCode).join(', ') : '(none)'}`,
        `Issuer: ${mdCode(cert.issuer)}`,
        `Valid: ${mdCode(cert.validFrom.slice(0, 10))} to ${mdCode(cert.validTo.slice(0, 10))} (${cert.daysLeft < 0 ? `expired ${plural(-cert.daysLeft, 'day')} ago` : `${plural(cert.daysLeft, 'day')} left`})`,
        `Trusted: ${cert.trusted ? 'yes' : `no${cert.trustError ? ` (${mdCode(cert.trustError)})` : ''}`}`,
        `Names ${mdCode(r.host)}: ${cert.hostnameMatches ? 'yes' : 'no'}`,
        `SHA-256: ${mdCode(cert.fingerprint256)}`,
      ),
    );
  }
  return checks;
}
