// Turns live-check results into findings on the config line that named the host or domain.
import type { EndpointSecurity, Finding, Range, RelatedLocation, RuleMeta, Severity } from '../model';
import { redactText } from '../redact';
import type { MxCheckResult, PtrCheckResult } from './dnsTypes';
import { LIVE_RULES } from './liveRules';
import { type CertificatePolicy, type ProbeRole, type TlsModeSetting, roleOfPort, startsTlsAtConnect } from './liveTargets';
import type { Outbound25Diagnosis } from './outbound25';
import type { SmtpProbeResult } from './probeTypes';

/** Where a finding goes: the line that named the host or domain. */
export interface ConfigLocation {
  readonly file: string;
  readonly range: Range;
}

const CERT_EXPIRY_WARNING_DAYS = 21;

/** Messages quote what servers and resolvers said, which is anyone's text: credentials in it are masked. */
function finding(rule: RuleMeta, where: ConfigLocation, message: string, severity = rule.defaultSeverity, related?: RelatedLocation[]): Finding {
  return { ruleId: rule.id, severity, file: where.file, range: where.range, message: redactText(message), ...(related?.length ? { related } : {}) };
}

/** What a configuration expects of a probed host, beyond its TLS mode (`security`). */
export interface ProbeContext {
  /** Decides certificate severities (default: from the port, see roleOfPort). */
  readonly role?: ProbeRole;
  /** The option that chose the TLS mode, for smtp/tls-mode-mismatch to name. */
  readonly tlsMode?: TlsModeSetting;
  /** A DANE / MTA-STS policy that makes senders verify an MX's certificate. */
  readonly certificatePolicy?: CertificatePolicy;
  /** The run looked the policies up (an MX host's probe): no policy means none is published. */
  readonly policyChecked?: boolean;
}

/**
 * How much an invalid certificate matters where it was found. Where clients verify (submission) an expired,
 * untrusted or misnamed certificate fails every send: error. On an MX's port 25 senders use opportunistic
 * TLS and do not verify, so it changes nothing: information — unless a DANE or MTA-STS policy makes them
 * verify (the hook: `policy`; we do not look those up yet). Elsewhere: the rule's default.
 */
export function certificateSeverity(rule: RuleMeta, role: ProbeRole, policy?: CertificatePolicy): Severity {
  // An expired certificate is broken for every client that does look, and is usually shared with other services.
  if (role === 'mx' && !policy) return rule.id === LIVE_RULES.certExpired.id ? 'warning' : 'information';
  if (role === 'submission' || role === 'mx') return rule.id === LIVE_RULES.certExpiring.id ? rule.defaultSeverity : 'error';
  return rule.defaultSeverity;
}

/** What a server was seen to speak at connect: TLS from the first byte, or a plain-text greeting (undefined: not known). */
export function serverTlsMode(r: SmtpProbeResult): 'implicit' | 'plain' | undefined {
  if (r.plainGreetingDuringTls) return 'plain';
  if (r.tlsRecordSeen) return 'implicit';
  if (r.tls?.mode === 'implicit' && !r.tls.error) return 'implicit';
  if (r.status === 'open') return 'plain';
  return undefined;
}

/** "line 4", or "main.cf line 4" when the option is in another file than the finding. */
function lineRef(option: ConfigLocation, finding: ConfigLocation): string {
  const line = `line ${option.range.start.line + 1}`;
  return option.file === finding.file ? line : `${option.file.split(/[\\/]/).pop()} ${line}`;
}

/**
 * smtp/tls-mode-mismatch: the configured mode (`configured`) is not what the server speaks (`server`). The
 * message gives the evidence and names the option to change for the client that has it.
 */
function tlsModeMismatch(endpoint: ConfigLocation, r: SmtpProbeResult, at: string, configured: 'implicit' | 'plain', security: EndpointSecurity | undefined, setting: TlsModeSetting | undefined): Finding {
  const banner = oneLine(r.banner);
  const evidence =
    configured === 'implicit'
      ? r.plainGreetingDuringTls
        ? `${at} speaks plain SMTP: it answered our TLS ClientHello with a plain-text greeting ("${banner}")`
        : `${at} speaks plain SMTP: it greets in plain text ("${banner}")${r.extensions && 'STARTTLS' in r.extensions ? ' and offers STARTTLS' : ''}`
      : r.tlsRecordSeen
        ? `${at} speaks TLS from the first byte (implicit TLS): it sent no greeting, and answered the TLS ClientHello we sent then with a TLS record`
        : `${at} speaks TLS from the first byte (implicit TLS)`;
  const opt = setting?.at;
  const where = opt ? ` on ${lineRef(opt, endpoint)}` : '';
  const related: RelatedLocation[] = [];
  const optionName = setting?.kind === 'postfix-client' ? 'smtp_tls_wrappermode' : setting?.kind === 'postfix-server' ? 'smtpd_tls_wrappermode' : 'secure';
  if (opt && !(opt.file === endpoint.file && opt.range.start.line === endpoint.range.start.line && opt.range.start.character === endpoint.range.start.character)) {
    related.push({ file: opt.file, range: opt.range, message: `${optionName}: the setting that chooses TLS at connect` });
  }
  let rest: string;
  switch (setting?.kind) {
    case 'nodemailer': {
      const how = setting.viaUrl
        ? `the URL's ${configured === 'implicit' ? 'smtps://' : 'smtp://'} scheme${where}`
        : opt
          ? `\`secure: ${configured === 'implicit'}\`${setting.variable ? ` from ${setting.variable}` : ''}${where}`
          : configured === 'implicit'
            ? `\`secure\` is not set, and nodemailer turns it on by itself on port ${r.port}`
            : '`secure` is not set, so it is false';
      const change = setting.viaUrl
        ? `Use ${configured === 'implicit' ? 'smtp://' : 'smtps://'} in the URL${where} (\`secure: ${configured !== 'implicit'}\`)`
        : `Set \`secure: ${configured !== 'implicit'}\`${setting.variable ? ` (${setting.variable}=${configured !== 'implicit'})` : ''}${opt ? where : ' in the transport options'}`;
      rest =
        configured === 'implicit'
          ? `, but this transport starts TLS at connect (${how}), so every send fails with "wrong version number". ${change}: nodemailer then connects in plain text and upgrades with STARTTLS (\`requireTLS: true\` insists on it). Or connect to the server's implicit-TLS port (usually 465).`
          : `, but this transport waits for a plain-text greeting (${how}), so every send fails with "Greeting never received". ${change}, or connect to the server's STARTTLS port (usually 587) instead.`;
      break;
    }
    case 'postfix-client':
      rest =
        configured === 'implicit'
          ? `, but Postfix starts TLS at connect to it (\`smtp_tls_wrappermode = yes\`${where}), so mail to the relay defers with "wrong version number". Set \`smtp_tls_wrappermode = no\` (STARTTLS, with \`smtp_tls_security_level = encrypt\`), or relay to the server's implicit-TLS port (usually 465).`
          : `, but Postfix waits for a plain-text greeting (${opt ? `\`smtp_tls_wrappermode = no\`${where}` : '`smtp_tls_wrappermode` is not set'}), so mail to the relay defers with "timed out while receiving the initial server greeting". Set \`smtp_tls_wrappermode = yes\` with \`smtp_tls_security_level = encrypt\` (Postfix needs both to relay over implicit TLS), or relay to the STARTTLS port (usually 587).`;
      break;
    case 'postfix-server':
      rest =
        configured === 'implicit'
          ? `, but clients on port ${r.port} start TLS at connect (RFC 8314), so they fail with "wrong version number". Give ${opt ? `the service${where}` : 'that service in master.cf'} \`-o smtpd_tls_wrappermode=yes\`.`
          : `, but clients on port ${r.port} expect a plain-text greeting and STARTTLS, so they wait until they time out. Remove \`-o smtpd_tls_wrappermode=yes\` from ${opt ? `the service${where}` : 'that service in master.cf'} (TLS at connect belongs on 465).`;
      break;
    default: {
      // No setting known (a host checked by hand, a mode we could not resolve): the port's convention.
      const known = security !== undefined && security !== 'unknown';
      rest =
        configured === 'implicit'
          ? `, but ${known ? 'the configuration starts' : `port ${r.port} is for`} TLS at connect (RFC 8314), so such clients fail with "wrong version number". Use STARTTLS with this port (nodemailer \`secure: false\`; Postfix \`smtp_tls_wrappermode = no\`), or TLS at connect on the port that offers it (usually 465).`
          : `, but ${known ? 'the configuration waits for' : `clients on port ${r.port} usually expect`} a plain-text greeting, so such clients wait until they time out. Start TLS at connect with this port (nodemailer \`secure: true\`; Postfix \`smtp_tls_wrappermode = yes\` with \`smtp_tls_security_level = encrypt\`).`;
    }
  }
  return finding(LIVE_RULES.tlsModeMismatch, endpoint, evidence + rest, LIVE_RULES.tlsModeMismatch.defaultSeverity, related);
}

/**
 * Findings for one SMTP probe (nothing when everything passed). `security` is how the configuration
 * means to talk to the host: a missing STARTTLS is an error where it requires TLS, and TLS at connect (or
 * not) must match what the server speaks. `context` carries the target's role (certificate severities)
 * and the option that chose the TLS mode.
 */
export function probeFindings(endpoint: ConfigLocation, r: SmtpProbeResult, security?: EndpointSecurity, context: ProbeContext = {}): Finding[] {
  const at = `${r.host}:${r.port}${r.address && r.address !== r.host ? ` (${r.address})` : ''}`;
  const detail = r.detail ? ` ${r.detail}.` : '';
  const out: Finding[] = [];
  // The TLS mode first: when it is wrong, nothing after the greeting is what this client would see.
  const configured = startsTlsAtConnect(security, r.port) ? 'implicit' : 'plain';
  const server = serverTlsMode(r);
  if (server && server !== configured) return [tlsModeMismatch(endpoint, r, at, configured, security, context.tlsMode)];
  // Probed in the other mode (for another config line naming the same host:port), the server spoke this one's.
  if ((r.plainGreetingDuringTls && configured === 'plain') || (r.tlsRecordSeen && configured === 'implicit')) return [];
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
    // Certificate findings are the certificate's own, apart from STARTTLS: how much they matter is the port's role.
    const role = context.role ?? roleOfPort(r.port);
    const policy = context.certificatePolicy;
    const note =
      role === 'mx' && !policy
        ? context.policyChecked
          ? ' Senders use opportunistic TLS here (no MTA-STS policy in enforce mode) and deliver anyway.'
          : ' Senders to an MX use opportunistic TLS and do not verify certificates, so this matters only where DANE or MTA-STS makes them (not checked here).'
        : '';
    const cf = (rule: RuleMeta, message: string) => finding(rule, endpoint, message + note, certificateSeverity(rule, role, policy));
    if (cert.daysLeft < 0) {
      out.push(cf(LIVE_RULES.certExpired, `The certificate of ${at} expired on ${cert.validTo.slice(0, 10)} (${-cert.daysLeft} days ago); clients that verify certificates refuse to send.`));
    } else if (cert.daysLeft <= CERT_EXPIRY_WARNING_DAYS) {
      out.push(cf(LIVE_RULES.certExpiring, `The certificate of ${at} expires on ${cert.validTo.slice(0, 10)}, in ${cert.daysLeft} days.`));
    }
    if (!cert.hostnameMatches) {
      const names = cert.subjectAltNames.length ? cert.subjectAltNames.join(', ') : cert.subject;
      out.push(cf(LIVE_RULES.certHostnameMismatch, `The certificate of ${at} is for ${names}, not ${r.host}: clients that verify it fail with "Hostname/IP does not match certificate's altnames".`));
    }
    if (!cert.trusted && cert.daysLeft >= 0) {
      out.push(cf(LIVE_RULES.certUntrusted, `The certificate of ${at} is not trusted (${cert.trustError ?? 'unknown issuer'}; issuer: ${cert.issuer}): clients that verify it fail with "self-signed certificate" or "unable to verify the first certificate".`));
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
      return [finding(LIVE_RULES.ptrMismatch, where, `${r.address} has PTR ${r.names.join(', ')}, not the HELO name ${r.expectedName}; most receivers only need the PTR to resolve back.`)];
    case 'ok':
      return [];
  }
}

function oneLine(text: string | undefined): string {
  // Masked before it is cut short, so a cut never leaves half a credential unmasked.
  const s = redactText(text ?? '').replace(/\s+/g, ' ').trim();
  return s.length > 120 ? s.slice(0, 117) + '...' : s;
}
