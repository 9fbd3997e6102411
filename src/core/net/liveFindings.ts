// Turns live-check results into findings on the config line that named the host or domain.
import type { EndpointSecurity, Finding, Range, RuleMeta } from '../model';
import { redactText } from '../redact';
import type { MxCheckResult, PtrCheckResult } from './dnsTypes';
import { LIVE_RULES } from './liveRules';
import type { Outbound25Diagnosis } from './outbound25';
import type { SmtpProbeResult } from './probeTypes';

/** Where a finding goes: the line that named the host or domain. */
export interface ConfigLocation {
  readonly file: string;
  readonly range: Range;
}

const CERT_EXPIRY_WARNING_DAYS = 21;

/** Messages quote what servers and resolvers said, which is anyone's text: credentials in it are masked. */
function finding(rule: RuleMeta, where: ConfigLocation, message: string, severity = rule.defaultSeverity): Finding {
  return { ruleId: rule.id, severity, file: where.file, range: where.range, message: redactText(message) };
}

/**
 * Findings for one SMTP probe (nothing when everything passed). `security` is how the configuration
 * means to talk to the host: a missing STARTTLS is an error where it requires TLS.
 */
export function probeFindings(endpoint: ConfigLocation, r: SmtpProbeResult, security?: EndpointSecurity): Finding[] {
  const at = `${r.host}:${r.port}${r.address && r.address !== r.host ? ` (${r.address})` : ''}`;
  const detail = r.detail ? ` ${r.detail}.` : '';
  const out: Finding[] = [];
  switch (r.status) {
    case 'refused':
      return [finding(LIVE_RULES.portRefused, endpoint, `${at} refused the connection: nothing listens on that port, or a firewall rejects it.${detail}`)];
    case 'timeout':
      return [finding(LIVE_RULES.portTimeout, endpoint, `${at} did not answer the connection attempt: a firewall drops it or the host is down.${detail}`)];
    case 'unreachable':
      return [finding(LIVE_RULES.portTimeout, endpoint, `${at} is unreachable from here (no route).${detail}`)];
    case 'dns-failure':
      return [finding(LIVE_RULES.lookupFailed, endpoint, `${r.host} does not resolve, so port ${r.port} cannot be checked.${detail}`)];
    case 'no-greeting': {
      const hint =
        r.port === 465
          ? ' Port 465 expects TLS at connect; a server that waits for the client to speak first is running plain SMTP there.'
          : ' If this port expects TLS at connect (implicit TLS, usually 465), a plain-text client waits here forever.';
      return [finding(LIVE_RULES.noGreeting, endpoint, `${at} accepted the connection but sent no 220 greeting.${detail}${hint}`)];
    }
    case 'bad-greeting':
      return [finding(LIVE_RULES.badGreeting, endpoint, `${at} greeted with "${oneLine(r.banner)}" instead of 220: it will not accept mail from this client.`)];
    case 'cancelled':
    case 'open':
      break;
  }
  if (r.status !== 'open') return out;

  const offersStarttls = r.extensions !== undefined && 'STARTTLS' in r.extensions;
  if (r.extensions && !offersStarttls && !r.tls) {
    out.push(
      finding(
        LIVE_RULES.starttlsMissing,
        endpoint,
        `${at} does not offer STARTTLS: mail and logins sent there cross the network in clear.`,
        security === 'starttls-required' ? 'error' : LIVE_RULES.starttlsMissing.defaultSeverity,
      ),
    );
  }
  if (r.extensions && offersStarttls && 'AUTH' in r.extensions) {
    out.push(finding(LIVE_RULES.authBeforeTls, endpoint, `${at} offers AUTH (${r.extensions.AUTH || 'no mechanisms listed'}) before STARTTLS, inviting clients to send passwords in clear (Postfix: smtpd_tls_auth_only = yes).`));
  }
  const tls = r.tls;
  if (tls?.error) {
    out.push(finding(LIVE_RULES.starttlsFailed, endpoint, `The TLS handshake with ${at} failed: ${tls.error}.`));
    return out;
  }
  if (tls?.version && /^TLSv1(\.1)?$/.test(tls.version)) {
    out.push(finding(LIVE_RULES.tlsWeakVersion, endpoint, `${at} negotiated ${tls.version}, which is deprecated (RFC 8996); clients that require TLS 1.2 will fail.`));
  }
  const cert = tls?.certificate;
  if (cert) {
    if (cert.daysLeft < 0) {
      out.push(finding(LIVE_RULES.certExpired, endpoint, `The certificate of ${at} expired on ${cert.validTo.slice(0, 10)} (${-cert.daysLeft} days ago); clients that verify certificates refuse to send.`));
    } else if (cert.daysLeft <= CERT_EXPIRY_WARNING_DAYS) {
      out.push(finding(LIVE_RULES.certExpiring, endpoint, `The certificate of ${at} expires on ${cert.validTo.slice(0, 10)}, in ${cert.daysLeft} days.`));
    }
    if (!cert.hostnameMatches) {
      const names = cert.subjectAltNames.length ? cert.subjectAltNames.join(', ') : cert.subject;
      out.push(finding(LIVE_RULES.certHostnameMismatch, endpoint, `The certificate of ${at} is for ${names}, not ${r.host}: clients that verify it fail with "Hostname/IP does not match certificate's altnames".`));
    }
    if (!cert.trusted && cert.daysLeft >= 0) {
      out.push(finding(LIVE_RULES.certUntrusted, endpoint, `The certificate of ${at} is not trusted (${cert.trustError ?? 'unknown issuer'}; issuer: ${cert.issuer}): clients that verify it fail with "self-signed certificate" or "unable to verify the first certificate".`));
    }
  }
  return out;
}

/** The finding for a port-25 timeout that the diagnosis blames on this network (none otherwise). */
export function outbound25Findings(where: ConfigLocation, d: Outbound25Diagnosis): Finding[] {
  if (d.verdict !== 'network-blocks-25') return [];
  return [finding(LIVE_RULES.outbound25Blocked, where, `${d.summary} ${d.recommendation}`)];
}

/** Findings for a domain's MX set. */
export function mxFindings(where: ConfigLocation, r: MxCheckResult): Finding[] {
  switch (r.status) {
    case 'lookup-failed':
      return [finding(LIVE_RULES.lookupFailed, where, `Looking up the MX records of ${r.domain} failed${r.error ? ` (${r.error})` : ''}.`)];
    case 'null-mx':
      return [finding(LIVE_RULES.nullMx, where, `${r.domain} publishes a null MX (RFC 7505): it accepts no mail, so mail to addresses there bounces at once.`)];
    case 'no-mx': {
      if (r.error === 'ENOTFOUND') return [finding(LIVE_RULES.noMx, where, `${r.domain} does not exist in DNS (NXDOMAIN): mail to it cannot be delivered.`, 'error')];
      const fallback = r.fallbackAddresses?.length ? `mail falls back to its address ${r.fallbackAddresses.join(', ')}` : 'and it has no address either, so mail to it cannot be delivered';
      return [finding(LIVE_RULES.noMx, where, `${r.domain} has no MX record; ${fallback}.`)];
    }
    case 'ok':
      break;
  }
  const out: Finding[] = [];
  for (const h of r.hosts) {
    const mx = `MX ${h.priority} ${h.exchange} of ${r.domain}`;
    if (h.isIpLiteral) out.push(finding(LIVE_RULES.mxIpLiteral, where, `${mx} is an IP address, not a host name: many senders ignore such an MX.`));
    else if (h.addresses.length === 0) out.push(finding(LIVE_RULES.mxUnresolvable, where, `${mx} does not resolve to any address${h.error ? ` (${h.error})` : ''}: senders cannot deliver to it.`));
    if (h.isCname) out.push(finding(LIVE_RULES.mxCname, where, `${mx} is an alias (CNAME); RFC 5321 requires MX targets to be real host names.`));
  }
  return out;
}

/** Findings for the reverse DNS of a server address. */
export function ptrFindings(where: ConfigLocation, r: PtrCheckResult): Finding[] {
  switch (r.status) {
    case 'lookup-failed':
      return [finding(LIVE_RULES.lookupFailed, where, `The reverse lookup of ${r.address} failed${r.error ? ` (${r.error})` : ''}.`)];
    case 'no-ptr':
      return [finding(LIVE_RULES.noPtr, where, `${r.address} has no PTR record: many receivers reject or spam-folder mail from addresses without reverse DNS.`)];
    case 'not-confirmed':
      return [finding(LIVE_RULES.ptrNotConfirmed, where, `${r.address} has PTR ${r.names.join(', ')}, but that name does not resolve back to ${r.address} (no forward-confirmed reverse DNS).`)];
    case 'mismatch':
      return [finding(LIVE_RULES.ptrMismatch, where, `${r.address} has PTR ${r.names.join(', ')}, not ${r.expectedName}: receivers compare it with the HELO name.`)];
    case 'ok':
      return [];
  }
}

function oneLine(text: string | undefined): string {
  // Masked before it is cut short, so a cut never leaves half a credential unmasked.
  const s = redactText(text ?? '').replace(/\s+/g, ' ').trim();
  return s.length > 120 ? s.slice(0, 117) + '...' : s;
}
