import type { RuleMeta } from '../model';

// Live-check findings are not rules over a parsed file; they are verdicts on what the network did.
// They still have stable ids, severities and docs pages, like every other finding.

/** A live rule's metadata (live findings have no quick fix); the mail-authentication checks use it too. */
export const liveRuleMeta = (id: string, defaultSeverity: RuleMeta['defaultSeverity'], description: string): RuleMeta => ({
  id,
  defaultSeverity,
  description,
  fixable: false,
});

export const LIVE_RULES = {
  portRefused: liveRuleMeta('smtp/port-refused', 'error', 'The server refused the connection: nothing listens on that port.'),
  portTimeout: liveRuleMeta('smtp/port-timeout', 'error', 'No answer to the connection attempt: a firewall drops it, or the host is down.'),
  noGreeting: liveRuleMeta('smtp/no-greeting', 'error', 'Connected, but the server sent no 220 greeting in time (often implicit TLS vs. STARTTLS confusion).'),
  tlsModeMismatch: liveRuleMeta('smtp/tls-mode-mismatch', 'error', 'The configured TLS mode disagrees with the server: TLS at connect against a plain-text port, or plain text against an implicit-TLS port.'),
  badGreeting: liveRuleMeta('smtp/bad-greeting', 'error', 'The server greeted with something other than 220 (e.g. 554: it will not talk to us).'),
  starttlsMissing: liveRuleMeta('smtp/starttls-missing', 'warning', 'The server does not offer STARTTLS, so mail and logins cross the network in clear.'),
  starttlsFailed: liveRuleMeta('smtp/starttls-failed', 'error', 'The server offered STARTTLS but the TLS handshake failed.'),
  authBeforeTls: liveRuleMeta('smtp/auth-before-tls', 'warning', 'The server offers AUTH before TLS, inviting clients to send passwords in clear.'),
  certExpired: liveRuleMeta('smtp/cert-expired', 'error', 'The server certificate has expired.'),
  certExpiring: liveRuleMeta('smtp/cert-expiring', 'warning', 'The server certificate expires within 21 days.'),
  certHostnameMismatch: liveRuleMeta('smtp/cert-hostname-mismatch', 'warning', 'The server certificate does not name the host the configuration connects to.'),
  certUntrusted: liveRuleMeta('smtp/cert-untrusted', 'warning', 'The server certificate does not chain to a trusted authority (self-signed or private CA).'),
  tlsWeakVersion: liveRuleMeta('smtp/tls-weak-version', 'warning', 'The server accepts TLS 1.0 or 1.1, which are deprecated (or speaks nothing newer).'),
  outbound25Blocked: liveRuleMeta('smtp/outbound-25-blocked', 'warning', 'This network blocks outbound port 25.'),
  noMx: liveRuleMeta('dns/no-mx', 'warning', 'The domain has no MX record; mail falls back to its A/AAAA record.'),
  nullMx: liveRuleMeta('dns/null-mx', 'information', 'The domain publishes a null MX (RFC 7505): it accepts no mail.'),
  mxCname: liveRuleMeta('dns/mx-cname', 'warning', 'An MX record points at an alias (CNAME), which RFC 5321 forbids.'),
  mxIpLiteral: liveRuleMeta('dns/mx-ip-literal', 'error', 'An MX record names an IP address instead of a host name.'),
  mxUnresolvable: liveRuleMeta('dns/mx-unresolvable', 'error', 'An MX host name does not resolve to any address.'),
  noPtr: liveRuleMeta('dns/no-ptr', 'warning', 'The server address has no PTR (reverse DNS) record; many receivers reject such senders.'),
  ptrNotConfirmed: liveRuleMeta('dns/ptr-not-confirmed', 'warning', 'The PTR name does not resolve back to the address (no forward-confirmed reverse DNS).'),
  ptrMismatch: liveRuleMeta('dns/ptr-mismatch', 'information', 'The PTR name differs from myhostname / the HELO name (Postfix and most receivers check only that it resolves back).'),
  lookupFailed: liveRuleMeta('dns/lookup-failed', 'warning', 'A DNS lookup failed (timeout, SERVFAIL, refused), so the check could not run.'),
  resolverUnreachable: liveRuleMeta('dns/resolver-unreachable', 'warning', 'The DNS servers of the run do not answer, so no check that needs DNS ran (reported once, on the first line that needed one).'),
} as const;

export const LIVE_RULE_METAS: readonly RuleMeta[] = Object.values(LIVE_RULES);
