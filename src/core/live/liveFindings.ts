// Turns live-check results into findings on the config value that caused them: one short sentence that
// names the problem and the fix, and the long story (evidence, the error clients meet) as details.
import type { EndpointSecurity, Finding, RelatedLocation, RuleMeta, Severity } from '../model';
import type { ConfigLocation } from './configLocation';
import { redactText } from '../redact';
import { dnsErrorWords } from './dnsChecks';
import { shortName, shortText } from './messageText';
import type { MxCheckResult, PtrCheckResult, ResolverCheckResult } from './dnsTypes';
import { LIVE_RULES } from './liveRules';
import type { CertificatePolicy, TlsModeSetting } from './liveTargets';
import { type ProbeRole, roleOfPort, startsTlsAtConnect } from './probeRole';
import type { Outbound25Diagnosis } from './outbound25';
import type { SmtpProbeResult } from './probeTypes';

export type { ConfigLocation } from './configLocation';

const CERT_EXPIRY_WARNING_DAYS = 21;
/** Lines listed with a dead-resolver finding: enough to see where, few enough to read. */
const MAX_RESOLVER_RELATED = 8;

/** Messages quote what servers and resolvers said, which is anyone's text: credentials in it are masked. */
function finding(rule: RuleMeta, where: ConfigLocation, message: string, details?: string, severity = rule.defaultSeverity, related?: RelatedLocation[]): Finding {
  return {
    ruleId: rule.id,
    severity,
    file: where.file,
    range: where.range,
    message: redactText(message),
    ...(details ? { details: redactText(details) } : {}),
    ...(related?.length ? { related } : {}),
  };
}

/** What a configuration expects of a probed host, beyond its TLS mode (`security`). */
export interface ProbeContext {
  /** Decides certificate severities (default: from the port, see roleOfPort). */
  readonly role?: ProbeRole;
  /** The option that chose the TLS mode, for smtp/tls-mode-mismatch to name (and to sit on). */
  readonly tlsMode?: TlsModeSetting;
  /** A DANE / MTA-STS policy that makes senders verify an MX's certificate. */
  readonly certificatePolicy?: CertificatePolicy;
  /** The run looked the policies up (an MX host's probe): no policy means none is published. */
  readonly policyChecked?: boolean;
  /** Where the port is written: connection failures sit on it (nothing listens on that port). */
  readonly portAt?: ConfigLocation;
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

const sameRange = (a: ConfigLocation, b: ConfigLocation) =>
  a.file === b.file && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character && a.range.end.line === b.range.end.line && a.range.end.character === b.range.end.character;

/** "line 4", or "main.cf line 4" when the option is in another file than the finding. */
function lineRef(option: ConfigLocation, finding: ConfigLocation): string {
  const line = `line ${option.range.start.line + 1}`;
  return option.file === finding.file ? line : `${option.file.split(/[\\/]/).pop()} ${line}`;
}

/**
 * smtp/tls-mode-mismatch: the configured mode (`configured`) is not what the server speaks. It sits on the
 * option that chose the mode (else the port); the message names the change, the details give the evidence.
 */
function tlsModeMismatch(endpoint: ConfigLocation, r: SmtpProbeResult, at: string, configured: 'implicit' | 'plain', security: EndpointSecurity | undefined, context: ProbeContext): Finding {
  const setting = context.tlsMode;
  const banner = oneLine(r.banner, 60);
  const evidence =
    configured === 'implicit'
      ? r.plainGreetingDuringTls
        ? `${at} speaks plain SMTP: it answered our TLS ClientHello with a plain-text greeting ("${banner}").`
        : `${at} speaks plain SMTP: it greets in plain text ("${banner}")${r.extensions && 'STARTTLS' in r.extensions ? ' and offers STARTTLS' : ''}.`
      : r.tlsRecordSeen
        ? `${at} speaks TLS from the first byte (implicit TLS): it sent no greeting, and answered the TLS ClientHello we sent then with a TLS record.`
        : `${at} speaks TLS from the first byte (implicit TLS).`;
  const opt = setting?.at;
  const where = opt ?? context.portAt ?? endpoint;
  const related: RelatedLocation[] = [];
  if (!sameRange(where, endpoint)) related.push({ file: endpoint.file, range: endpoint.range, message: `the server ${at} is named here` });
  const optionName = setting?.kind === 'postfix-client' ? 'smtp_tls_wrappermode' : setting?.kind === 'postfix-server' ? 'smtpd_tls_wrappermode' : 'secure';
  const onLine = opt ? ` (${lineRef(opt, where)})` : '';
  let message: string;
  let why: string;
  switch (setting?.kind) {
    case 'nodemailer': {
      const implicit = configured === 'implicit';
      const speaks = implicit ? `${at} speaks plain SMTP but` : `${at} speaks implicit TLS but`;
      const fallback = implicit ? 'port 465' : 'port 587';
      message = setting.viaUrl
        ? `${speaks} the URL's ${implicit ? 'smtps://' : 'smtp://'} ${implicit ? 'starts TLS at connect' : 'waits for a plain greeting'}; use ${implicit ? 'smtp://' : 'smtps://'} or ${fallback}.`
        : setting.variable && opt
          ? `${speaks} ${setting.variable} makes secure ${implicit}; set ${setting.variable}=${!implicit} or use ${fallback}.`
          : opt
            ? `${speaks} secure: ${implicit} ${implicit ? 'starts TLS at connect' : 'waits for a plain greeting'}; set secure: ${!implicit} or use ${fallback}.`
            : implicit
              ? `${speaks} nodemailer starts TLS at connect on port ${r.port}; set secure: false.`
              : `${speaks} secure is not set (false); set secure: true or use ${fallback}.`;
      why =
        configured === 'implicit'
          ? 'Every send fails with "wrong version number". With secure: false nodemailer connects in plain text and upgrades with STARTTLS (requireTLS: true insists on it).'
          : 'Every send fails with "Greeting never received".';
      break;
    }
    case 'postfix-client':
      message =
        configured === 'implicit'
          ? `${at} speaks plain SMTP but smtp_tls_wrappermode = yes; set it to no (STARTTLS) or relay to port 465.`
          : `${at} speaks implicit TLS; set smtp_tls_wrappermode = yes with smtp_tls_security_level = encrypt.`;
      why =
        configured === 'implicit'
          ? 'Mail to the relay defers with "wrong version number". With wrappermode off, keep smtp_tls_security_level = encrypt so the relay still gets TLS.'
          : 'Mail to the relay defers with "timed out while receiving the initial server greeting": Postfix waits for a plain-text greeting. Postfix needs both settings to relay over implicit TLS; or relay to the STARTTLS port (usually 587).';
      break;
    case 'postfix-server':
      message =
        configured === 'implicit'
          ? `Port ${r.port} speaks plain SMTP but its clients start TLS at connect; add -o smtpd_tls_wrappermode=yes${onLine}.`
          : `Port ${r.port} speaks implicit TLS but its clients expect STARTTLS; remove -o smtpd_tls_wrappermode=yes${onLine}.`;
      why =
        configured === 'implicit'
          ? `Clients on port ${r.port} start TLS at connect (RFC 8314), so they fail with "wrong version number".`
          : `Clients on port ${r.port} expect a plain-text greeting and STARTTLS, so they wait until they time out. TLS at connect belongs on 465.`;
      break;
    default: {
      // No setting known (a host checked by hand, a mode we could not resolve): the port's convention.
      message =
        configured === 'implicit'
          ? `${at} speaks plain SMTP, not TLS at connect; use STARTTLS on this port or TLS on port 465.`
          : `${at} speaks implicit TLS, not a plain greeting; start TLS at connect on this port or use port 587.`;
      why =
        configured === 'implicit'
          ? 'Clients that start TLS at connect fail with "wrong version number" (nodemailer secure: false; Postfix smtp_tls_wrappermode = no for STARTTLS).'
          : 'Clients that wait for a plain greeting time out (nodemailer secure: true; Postfix smtp_tls_wrappermode = yes with smtp_tls_security_level = encrypt).';
    }
  }
  const details = [evidence, why, opt ? `The ${optionName} setting is on ${lineRef(opt, endpoint)}.` : undefined, r.detail ? `Probe: ${oneLine(r.detail, 300)}.` : undefined].filter(Boolean).join(' ');
  return finding(LIVE_RULES.tlsModeMismatch, where, message, details, LIVE_RULES.tlsModeMismatch.defaultSeverity, related);
}

/** OpenSSL's reasons for an untrusted chain, in words. */
function trustWords(code: string | undefined): string {
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'self-signed';
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return 'its chain ends in a self-signed root';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
      return 'the server omits an intermediate certificate';
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'unknown issuer';
    case 'CERT_HAS_EXPIRED':
      return 'expired in the chain';
    default:
      // OpenSSL's codes are upper-case words; anything else is a server's text, not said here (the details quote it).
      return code && /^[A-Z0-9_]{3,60}$/.test(code) ? code.toLowerCase().replace(/_/g, ' ') : 'unknown issuer';
  }
}

/** Who a failed connection leaves stranded, by the ways clients report it. */
const CLIENT_ERRORS: Readonly<Record<string, string>> = {
  refused: 'Clients fail with "connect ECONNREFUSED" (nodemailer) or "Connection refused" (Postfix defers the mail).',
  timeout: 'Clients fail with "Connection timeout" (nodemailer ETIMEDOUT) or "Connection timed out" (Postfix defers the mail).',
};

/**
 * Findings for one SMTP probe (nothing when everything passed). `endpoint` is the value that names the host;
 * connection failures go on the port (`context.portAt`) when it is written, a TLS mode mix-up on the option that
 * chose the mode. `security` is how the configuration means to talk to the host: a missing STARTTLS is an error
 * where it requires TLS, and TLS at connect (or not) must match what the server speaks.
 */
export function probeFindings(endpoint: ConfigLocation, r: SmtpProbeResult, security?: EndpointSecurity, context: ProbeContext = {}): Finding[] {
  // The message names host:port; the address it resolved to is evidence, for the details.
  const at = `${shortName(r.host, 40)}:${r.port}`;
  const address = r.address && r.address !== r.host ? `Address: ${r.address}.` : undefined;
  const probe = join(address, r.detail ? `Probe: ${oneLine(r.detail, 300)}.` : undefined) || undefined;
  const onPort = context.portAt ?? endpoint;
  const out: Finding[] = [];
  // The TLS mode first: when it is wrong, nothing after the greeting is what this client would see.
  const configured = startsTlsAtConnect(security, r.port) ? 'implicit' : 'plain';
  const server = serverTlsMode(r);
  if (server && server !== configured) return [tlsModeMismatch(endpoint, r, at, configured, security, context)];
  // Probed in the other mode (for another config line naming the same host:port), the server spoke this one's.
  if ((r.plainGreetingDuringTls && configured === 'plain') || (r.tlsRecordSeen && configured === 'implicit')) return [];
  switch (r.status) {
    case 'refused':
      return [finding(LIVE_RULES.portRefused, onPort, `${at} refused the connection; check the port, or start the mail server there.`, join('Nothing listens on that port, or a firewall rejects the connection.', CLIENT_ERRORS.refused, probe))];
    case 'timeout':
      return [finding(LIVE_RULES.portTimeout, onPort, `${at} did not answer; check the host, the port and the firewalls in between.`, join('A firewall drops the connection attempt, or the host is down.', CLIENT_ERRORS.timeout, probe))];
    case 'unreachable':
      return [finding(LIVE_RULES.portTimeout, onPort, `${at} is unreachable from here (no route); check the host's address and this network.`, probe)];
    case 'dns-failure':
      return [finding(LIVE_RULES.lookupFailed, endpoint, `${shortName(r.host, 40)} does not resolve: ${dnsErrorWords(r.dnsError)}; check the host name.`, `Port ${r.port} of ${r.host} could not be checked${r.dnsError ? ` (${r.dnsError})` : ''}. A typo in the host name is the usual cause; nodemailer fails with "getaddrinfo ENOTFOUND".`)];
    case 'no-greeting': {
      const hint =
        r.port === 465
          ? 'Port 465 expects TLS at connect; a server that waits for the client to speak first runs plain SMTP there.'
          : 'If this port expects TLS at connect (implicit TLS, usually 465), a plain-text client waits here until it times out.';
      return [finding(LIVE_RULES.noGreeting, endpoint, `${at} sent no 220 greeting; check that the port and its TLS mode match the server.`, join(hint, probe))];
    }
    case 'bad-greeting':
      return [finding(LIVE_RULES.badGreeting, endpoint, `${at} greeted with "${oneLine(r.banner, 30)}", not 220; ask its admin to accept this client.`, join('The server will not accept mail from this client (a 554 greeting often means a blocklist, a connection limit or a maintenance mode).', probe))];
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
        `${at} does not offer STARTTLS; enable TLS on the server or connect to its TLS port.`,
        security === 'starttls-required'
          ? 'Mail and logins sent there cross the network in clear. This configuration requires TLS (requireTLS, or a TLS security level of encrypt), so every send fails.'
          : 'Mail and logins sent there cross the network in clear.',
        security === 'starttls-required' ? 'error' : LIVE_RULES.starttlsMissing.defaultSeverity,
      ),
    );
  }
  if (r.extensions && offersStarttls && 'AUTH' in r.extensions) {
    out.push(finding(LIVE_RULES.authBeforeTls, endpoint, `${at} offers AUTH before STARTTLS; set smtpd_tls_auth_only = yes on the server.`, `It offers AUTH ${r.extensions.AUTH || '(no mechanisms listed)'} on the plain-text connection, inviting clients to send passwords in clear.`));
  }
  const tls = r.tls;
  if (tls?.error) {
    out.push(finding(LIVE_RULES.starttlsFailed, endpoint, `The TLS handshake with ${at} failed (${tlsErrorWords(tls.error)}); check the server's TLS setup.`, `The handshake failed: ${oneLine(tls.error, 400)}.`));
    return out;
  }
  if (tls?.version && /^TLSv1(\.1)?$/.test(tls.version)) {
    out.push(finding(LIVE_RULES.tlsWeakVersion, endpoint, `${at} negotiated ${tls.version}; enable TLS 1.2 or later on the server.`, `${tls.version} is deprecated (RFC 8996); clients that require TLS 1.2 (Node's default floor) fail the handshake.`));
  }
  const cert = tls?.certificate;
  if (cert) {
    // Certificate findings are the certificate's own, apart from STARTTLS: how much they matter is the port's role.
    const role = context.role ?? roleOfPort(r.port);
    const policy = context.certificatePolicy;
    const note =
      role === 'mx' && !policy
        ? context.policyChecked
          ? 'Senders use opportunistic TLS here (no MTA-STS policy in enforce mode) and deliver anyway.'
          : 'Senders to an MX use opportunistic TLS and do not verify certificates, so this matters only where DANE or MTA-STS makes them (not checked here).'
        : undefined;
    const cf = (rule: RuleMeta, message: string, details: string) => finding(rule, endpoint, message, join(details, note), certificateSeverity(rule, role, policy));
    if (cert.daysLeft < 0) {
      out.push(cf(LIVE_RULES.certExpired, `The certificate of ${at} expired on ${cert.validTo.slice(0, 10)}; renew it.`, `It expired ${-cert.daysLeft} days ago; clients that verify certificates refuse to send ("certificate has expired").`));
    } else if (cert.daysLeft <= CERT_EXPIRY_WARNING_DAYS) {
      out.push(cf(LIVE_RULES.certExpiring, `The certificate of ${at} expires on ${cert.validTo.slice(0, 10)} (in ${cert.daysLeft} days); renew it.`, 'Renew it before it expires: clients that verify certificates refuse to send once it has.'));
    }
    if (!cert.hostnameMatches) {
      const names = cert.subjectAltNames.length ? cert.subjectAltNames.join(', ') : cert.subject;
      out.push(cf(LIVE_RULES.certHostnameMismatch, `The certificate of ${at} is for another name; connect by a name it covers or reissue it.`, `It names ${names}, not ${r.host}. Clients that verify it fail with "Hostname/IP does not match certificate's altnames".`));
    }
    if (!cert.trusted && cert.daysLeft >= 0) {
      out.push(cf(LIVE_RULES.certUntrusted, `The certificate of ${at} is not trusted (${trustWords(cert.trustError)}); serve one from a public CA.`, `OpenSSL says ${cert.trustError ?? 'the issuer is unknown'}; issuer: ${cert.issuer}. Clients that verify it fail with "self-signed certificate" or "unable to verify the first certificate". A private CA on purpose: give the client that CA instead of turning verification off.`));
    }
  }
  return out;
}

/** The finding for a port-25 timeout that the diagnosis blames on this network (none otherwise). */
export function outbound25Findings(where: ConfigLocation, d: Outbound25Diagnosis): Finding[] {
  if (d.verdict !== 'network-blocks-25') return [];
  return [finding(LIVE_RULES.outbound25Blocked, where, `This network blocks outbound port 25, so ${shortName(d.host, 40)}:25 cannot be reached; relay through port 587.`, `${d.summary} ${d.recommendation}`)];
}

/** Findings for a domain's MX set. */
export function mxFindings(where: ConfigLocation, r: MxCheckResult): Finding[] {
  switch (r.status) {
    case 'lookup-failed':
      return [finding(LIVE_RULES.lookupFailed, where, `The MX lookup of ${shortName(r.domain)} failed: ${dnsErrorWords(r.error)}; check the DNS server.`, `The MX checks of ${r.domain} could not run, so they say nothing either way.`)];
    case 'null-mx':
      return [finding(LIVE_RULES.nullMx, where, `${shortName(r.domain)} publishes a null MX, so it accepts no mail; remove it if the domain should receive mail.`, 'A null MX (RFC 7505: one MX record "0 .") says the domain accepts no mail: mail to addresses there bounces at once.')];
    case 'no-mx': {
      if (r.error === 'ENOTFOUND') return [finding(LIVE_RULES.noMx, where, `${shortName(r.domain)} does not exist in DNS (NXDOMAIN); fix the domain name or register it.`, 'Mail to it cannot be delivered.', 'error')];
      if (r.fallbackAddresses?.length) return [finding(LIVE_RULES.noMx, where, `${shortName(r.domain)} has no MX record, so mail goes to its A/AAAA address; publish an MX record.`, `Senders fall back to ${r.fallbackAddresses.join(', ')} (RFC 5321 implicit MX).`)];
      const why = r.error ? ` The address lookup failed: ${dnsErrorWords(r.error)}.` : '';
      return [finding(LIVE_RULES.noMx, where, `${shortName(r.domain)} has no MX and no address record, so mail to it fails; publish an MX record.`, `Mail to it cannot be delivered.${why}`)];
    }
    case 'ok':
      break;
  }
  const out: Finding[] = [];
  for (const h of r.hosts) {
    const mx = `MX ${shortName(h.exchange)}`;
    if (h.isIpLiteral) out.push(finding(LIVE_RULES.mxIpLiteral, where, `${mx} is an IP address; point the MX at a host name.`, `MX ${h.exchange} of ${r.domain}: many senders ignore an MX that names an address instead of a host name (RFC 5321).`));
    else if (h.addresses.length === 0) out.push(finding(LIVE_RULES.mxUnresolvable, where, `${mx} does not resolve: ${dnsErrorWords(h.error)}; add its A/AAAA record.`, `MX ${h.exchange} of ${r.domain}, preference ${h.priority}. Senders cannot deliver to an MX host without an address.`));
    if (h.isCname) out.push(finding(LIVE_RULES.mxCname, where, `${mx} is a CNAME alias; point the MX at the canonical host name.`, `MX ${h.exchange} of ${r.domain}: RFC 5321 requires MX targets to be real host names; some senders refuse an alias.`));
  }
  return out;
}

/** Findings for the reverse DNS of a server address. */
export function ptrFindings(where: ConfigLocation, r: PtrCheckResult): Finding[] {
  switch (r.status) {
    case 'lookup-failed':
      return [finding(LIVE_RULES.lookupFailed, where, `The reverse lookup of ${shortName(r.address, 40)} failed: ${dnsErrorWords(r.error)}; check the DNS server.`, `The reverse-DNS check of ${r.address} could not run, so it says nothing either way.`)];
    case 'no-ptr':
      return [finding(LIVE_RULES.noPtr, where, `${r.address} has no PTR record; ask its provider to set reverse DNS to ${r.expectedName ? shortName(r.expectedName) : "the server's name"}.`, 'Many receivers reject or spam-folder mail from addresses without reverse DNS.')];
    case 'not-confirmed':
      return [finding(LIVE_RULES.ptrNotConfirmed, where, `The PTR name of ${r.address} does not resolve back to it; add the matching A/AAAA record.`, `Its PTR is ${r.names.join(', ')}. Receivers want forward-confirmed reverse DNS: the PTR name must resolve to the address again.`)];
    case 'mismatch':
      return [
        finding(
          LIVE_RULES.ptrMismatch,
          where,
          `The PTR of ${r.address} is not the HELO name ${shortName(r.expectedName ?? '')}; most receivers accept that, as the PTR resolves back.`,
          `The HELO name is ${r.expectedName}. Its PTR is ${r.names.join(', ')}, and that name resolves back to the address (forward-confirmed), which is what Postfix, Gmail and Microsoft check. Exim's "verify = helo" and some filters also compare the PTR with the HELO name (smtp_helo_name, else myhostname): set the PTR to the HELO name for those.`,
        ),
      ];
    case 'ok':
      return [];
  }
}

/**
 * The one finding of a run whose DNS servers do not answer: on the first line that needed DNS, with the
 * others as related information. `setting` names where the servers are chosen (smtpDoctor.dnsServers, --dns).
 */
export function resolverFindings(r: ResolverCheckResult, locations: readonly ConfigLocation[], setting: string): Finding[] {
  if (r.status !== 'dead' || !locations.length) return [];
  const servers = r.servers.length ? shortText(r.servers.join(', '), 40) : 'none found';
  const who = r.configured ? `DNS server ${servers}` : `The system's DNS server (${servers})`;
  const what = r.error === 'ECONNREFUSED' ? 'refused the query' : r.error === 'ETIMEOUT' ? 'did not answer' : 'failed';
  // Each line once (a line can name a domain and an address), and only a few: the details count them all.
  const distinct = locations.filter((l, i) => locations.findIndex((m) => m.file === l.file && m.range.start.line === l.range.start.line && m.range.start.character === l.range.start.character) === i);
  const [first, ...rest] = distinct;
  const related = rest.slice(0, MAX_RESOLVER_RELATED).map((l) => ({ file: l.file, range: l.range, message: 'needs DNS: not checked' }));
  const more = rest.length > MAX_RESOLVER_RELATED ? ` (the first ${MAX_RESOLVER_RELATED + 1} are listed)` : '';
  return [
    finding(
      LIVE_RULES.resolverUnreachable,
      first,
      `${who} ${what}: live DNS checks skipped; ${r.configured ? 'fix' : 'set'} ${setting}.`,
      `Asked for ${r.name}: ${dnsErrorWords(r.error)}. Every check that needs DNS (MX, reverse DNS, SPF, DMARC, MTA-STS, TLS-RPT, DANE, DKIM, blocklists, and SMTP hosts given by name) was skipped; ${distinct.length} place(s) name such hosts or domains${more}.`,
      undefined,
      related,
    ),
  ];
}

/** The reason in an OpenSSL error ("...:ssl3_get_record:wrong version number" → "wrong version number"), short. */
function tlsErrorWords(error: string): string {
  const reason = /:([a-z][a-z0-9 ]{3,})\s*$/i.exec(error.trim())?.[1];
  return oneLine(reason ?? error, 40);
}

function join(...parts: (string | undefined)[]): string {
  return parts.filter(Boolean).join(' ');
}

function oneLine(text: string | undefined, max = 120): string {
  // Masked before it is cut short, so a cut never leaves half a credential unmasked.
  const s = redactText(text ?? '').replace(/\s+/g, ' ').trim();
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}
