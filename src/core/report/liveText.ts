import { dnsErrorWords } from '../live/dnsChecks';
import type { MxCheckResult, PtrCheckResult, ResolverCheckResult } from '../live/dnsTypes';
import type { Outbound25Diagnosis } from '../live/outbound25';
import type { SmtpProbeResult } from '../live/probeTypes';
import { AUTH_CHECK_LABELS } from '../live/mailAuth/labels';
import type { AuthCheckResult } from '../live/mailAuth/types';
import { redactText } from '../redact';
import type { RelayTestResult } from '../live/relayTest';
import { FAMILY_LABELS, acceptedVersions, versionList, type TlsScanResult } from '../live/tlsScanFindings';

export interface LiveTextInput {
  readonly probes: readonly SmtpProbeResult[];
  readonly mx: readonly MxCheckResult[];
  readonly ptr: readonly PtrCheckResult[];
  readonly outbound25: readonly Outbound25Diagnosis[];
  readonly auth?: readonly AuthCheckResult[];
  readonly tlsScans?: readonly TlsScanResult[];
  readonly relayTests?: readonly RelayTestResult[];
  readonly resolver?: ResolverCheckResult;
}

/**
 * One line per fact, e.g. `smtp.example.com:587  open  STARTTLS · TLSv1.3 · cert valid 81 days  (34 ms)`. Servers
 * and resolvers write part of it (banners, errors), so credentials in it are masked.
 */
export function formatLiveText(live: LiveTextInput): string {
  const lines: string[] = [];
  const r = live.resolver;
  if (r?.status === 'dead') lines.push(`DNS: ${r.configured ? '' : 'system '}server ${r.servers.join(', ') || '(none)'}: ${dnsErrorWords(r.error)}; every DNS check skipped.`);
  if (live.probes.length) lines.push('SMTP probes:');
  for (const p of [...live.probes].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : a.port - b.port))) {
    const facts: string[] = [];
    if (p.address && p.address !== p.host) facts.push(p.address);
    if (p.status !== 'open' && p.detail) facts.push(p.detail);
    if (p.banner) facts.push(`"${redactText(p.banner.split('\n')[0]).slice(0, 80)}"`);
    if (p.extensions) {
      const ext = Object.keys(p.extensions);
      facts.push(ext.includes('STARTTLS') ? 'STARTTLS' : 'no STARTTLS');
      const auth = p.extensionsAfterTls?.AUTH ?? p.extensions.AUTH;
      if (auth) facts.push(`AUTH ${auth}`);
    }
    if (p.tls) {
      if (p.tls.error) facts.push(`TLS failed: ${p.tls.error.replace(/\s+/g, ' ').slice(0, 160)}`);
      else {
        facts.push([p.tls.mode === 'implicit' ? 'implicit TLS' : undefined, p.tls.version, p.tls.cipher].filter(Boolean).join(' '));
        const c = p.tls.certificate;
        if (c) {
          const validity = c.daysLeft < 0 ? `cert expired ${-c.daysLeft} days ago` : `cert valid ${c.daysLeft} days`;
          facts.push(`${validity}${c.trusted ? '' : ' (untrusted)'}${c.hostnameMatches ? '' : ' (other name)'}`);
        }
      }
    }
    lines.push(`  ${`${p.host}:${p.port}`.padEnd(34)} ${p.status.padEnd(12)} ${facts.join(' · ')}  (${Math.round(p.timings.total)} ms)`);
  }
  if (live.mx.length) lines.push('MX:');
  for (const m of live.mx) {
    const hosts = m.hosts.map((h) => `${h.priority} ${h.exchange}${h.addresses.length ? ` (${h.addresses.join(', ')})` : ' (no address)'}`).join(', ');
    lines.push(`  ${m.domain.padEnd(34)} ${m.status.padEnd(12)} ${hosts || m.fallbackAddresses?.join(', ') || m.error || ''}`);
  }
  if (live.ptr.length) lines.push('Reverse DNS:');
  for (const r of live.ptr) {
    lines.push(`  ${r.address.padEnd(34)} ${r.status.padEnd(12)} ${r.names.join(', ') || r.error || ''}${r.forwardConfirmed ? ' (forward-confirmed)' : ''}`);
  }
  if (live.auth?.length) lines.push('Mail authentication:');
  for (const a of [...(live.auth ?? [])].sort((x, y) => (x.subject < y.subject ? -1 : x.subject > y.subject ? 1 : x.check < y.check ? -1 : 1))) {
    const verdict = a.error ? 'not checked' : a.problems.length ? `${a.problems.length} problem${a.problems.length === 1 ? '' : 's'}` : 'ok';
    lines.push(`  ${a.subject.padEnd(34)} ${AUTH_CHECK_LABELS[a.check].padEnd(8)} ${verdict.padEnd(12)} ${a.error ?? a.summary}`);
  }
  if (live.tlsScans?.length) lines.push('TLS versions and weak ciphers:');
  for (const s of [...(live.tlsScans ?? [])].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : a.port - b.port))) {
    const weak = s.weakCiphers.filter((c) => c.accepted).map((c) => FAMILY_LABELS[c.family]);
    const facts = s.error ? `not scanned: ${s.error}` : `${versionList(acceptedVersions(s)) || 'no version accepted'} · weak ciphers: ${weak.join(', ') || 'none'}`;
    lines.push(`  ${`${s.host}:${s.port}`.padEnd(34)} ${s.mode.padEnd(12)} ${facts}  (${s.ms} ms)`);
  }
  if (live.relayTests?.length) lines.push('Relay tests (MAIL FROM / RCPT TO, then RSET; never DATA):');
  for (const r of live.relayTests ?? []) {
    const accepted = r.attempts.filter((a) => a.accepted);
    const facts = r.verdict === 'error' ? r.detail ?? '' : `${accepted.length} of ${r.attempts.length} foreign recipients accepted${accepted.length ? `, e.g. <${accepted[0].to}>` : ''}`;
    lines.push(`  ${`${r.host}:${r.port}`.padEnd(34)} ${r.verdict.padEnd(12)} ${facts}  (${r.ms} ms)`);
  }
  for (const d of live.outbound25) lines.push(`Outbound port 25 (${d.host}): ${d.verdict}. ${d.summary} ${d.recommendation}`);
  return lines.length ? redactText(lines.join('\n')) + '\n' : '';
}

/**
 * One probe as a page to read: what it found, then the conversation as swaks prints it. What the server said
 * is masked where it looks like a credential (the probe itself never sends one).
 */
export function formatProbeDetails(p: SmtpProbeResult, summary: string): string {
  const out = [`SMTP Doctor: ${p.host}:${p.port}`, '', summary, ''];
  if (p.address && p.address !== p.host) out.push(`Address: ${p.address}`);
  if (p.detail) out.push(`Detail: ${p.detail}`);
  if (p.tls?.certificate) {
    const c = p.tls.certificate;
    out.push(`Certificate: ${c.subject} (issuer ${c.issuer}), valid ${c.validFrom.slice(0, 10)} to ${c.validTo.slice(0, 10)}, ${c.trusted ? 'trusted' : `not trusted (${c.trustError ?? 'unknown issuer'})`}, ${c.hostnameMatches ? 'names the host' : `names ${c.subjectAltNames.join(', ') || c.subject}`}`);
  }
  const t = p.timings;
  out.push(`Timings: ${[t.dns !== undefined && `DNS ${Math.round(t.dns)} ms`, t.connect !== undefined && `connect ${Math.round(t.connect)} ms`, t.greeting !== undefined && `greeting ${Math.round(t.greeting)} ms`, t.tls !== undefined && `TLS ${Math.round(t.tls)} ms`, `total ${Math.round(t.total)} ms`].filter(Boolean).join(', ')}`);
  out.push('', 'Transcript (<- server, -> SMTP Doctor; ~ over TLS):', '', ...(p.transcript?.length ? p.transcript : ['(none recorded)']), '');
  return redactText(out.join('\n'));
}
