// Generated from the rules each live check declares in its own file (e.g. live/mailAuth/<check>.ts) by
// scripts/generate-live-check-rules.js (after npm run compile-tests); do not edit. The registry reads its
// checks' rules here, so listing them does not load the checks' code.
import type { RuleMeta } from '../model';
import { liveRuleMeta } from './liveRules';

export const LIVE_CHECK_RULES: Readonly<Record<string, readonly RuleMeta[]>> = {
  spf: [
    liveRuleMeta('dns/spf-missing', 'warning', 'The domain publishes no SPF record, so receivers cannot tell which servers may send its mail.'),
    liveRuleMeta('dns/spf-multiple', 'error', 'The domain publishes more than one SPF record: receivers return permerror.'),
    liveRuleMeta('dns/spf-syntax', 'error', 'The SPF record is invalid (unknown mechanism, bad address or prefix, bad macro): receivers return permerror.'),
    liveRuleMeta('dns/spf-include-broken', 'error', 'An include: or redirect= target has no SPF record, several, or an invalid one: receivers return permerror.'),
    liveRuleMeta('dns/spf-too-many-lookups', 'error', 'The SPF record needs more than 10 DNS lookups (include, a, mx, ptr, exists, redirect): receivers return permerror.'),
    liveRuleMeta('dns/spf-void-lookups', 'error', 'More than 2 SPF lookups find nothing (no such name, no records): receivers return permerror.'),
    liveRuleMeta('dns/spf-permissive-all', 'warning', 'The SPF record lets anyone pass (+all: error) or says nothing about other senders (?all, no all).'),
    liveRuleMeta('dns/spf-ptr', 'warning', 'The SPF record uses the deprecated ptr mechanism, which is slow and which receivers may skip.'),
    liveRuleMeta('dns/spf-sender-not-authorized', 'warning', "A sending address of the configuration is not authorised by the domain's SPF record."),
  ],
  dmarc: [
    liveRuleMeta('dns/dmarc-missing', 'warning', 'The domain publishes no DMARC record (nor does its organisational domain), so receivers apply no policy to mail that fails SPF and DKIM.'),
    liveRuleMeta('dns/dmarc-multiple', 'error', 'The domain publishes more than one DMARC record: receivers apply none of them.'),
    liveRuleMeta('dns/dmarc-syntax', 'error', 'The DMARC record is invalid (no or bad p=, bad tag values, unusable report addresses) or is not recognised as one.'),
    liveRuleMeta('dns/dmarc-policy-none', 'information', 'The DMARC policy is p=none (or pct=0, or sp=none): monitoring only, receivers do not act on forged mail.'),
    liveRuleMeta('dns/dmarc-report-destination-unverified', 'warning', 'A DMARC report address in another domain has not agreed to take the reports (no v=DMARC1 TXT at its _report._dmarc name): receivers send none there.'),
  ],
  'mta-sts': [
    liveRuleMeta('dns/mta-sts-missing', 'information', 'The domain publishes no MTA-STS policy, so sending servers cannot insist on verified TLS when they deliver to it.'),
    liveRuleMeta('dns/mta-sts-invalid', 'warning', 'The MTA-STS TXT record or policy file is malformed or out of spec (syntax, id, Content-Type, max_age), so senders ignore it or keep it only briefly.'),
    liveRuleMeta('dns/mta-sts-policy-unreachable', 'warning', 'The MTA-STS TXT record is published but the policy cannot be fetched over HTTPS (no address, bad certificate, not HTTP 200, a redirect).'),
    liveRuleMeta('dns/mta-sts-mx-mismatch', 'error', 'An MX host matches no mx: line of the MTA-STS policy; in enforce mode, senders refuse to deliver to it.'),
    liveRuleMeta('dns/mta-sts-testing', 'information', 'The MTA-STS policy is in mode testing or none: senders still deliver when TLS cannot be verified.'),
  ],
  'tls-rpt': [
    liveRuleMeta('dns/tls-rpt-missing', 'information', 'The domain publishes no TLS-RPT record, so nobody tells you when senders fail to deliver over TLS (recommended with MTA-STS or DANE).'),
    liveRuleMeta('dns/tls-rpt-invalid', 'warning', 'The TLS-RPT record is malformed (version, rua= missing, a URI that is not mailto: or https:, several records), so senders send no reports.'),
  ],
  dane: [
    liveRuleMeta('dns/dane-missing', 'information', 'No TLSA records for the MX hosts (no DANE): senders use opportunistic TLS, which an active attacker can strip.'),
    liveRuleMeta('dns/dane-unvalidated', 'warning', 'TLSA records were found but DNSSEC did not authenticate them (no AD bit): DANE cannot be confirmed, and senders ignore unsigned TLSA records.'),
    liveRuleMeta('dns/dane-mismatch', 'error', 'No usable TLSA record matches the certificate the MX host serves on port 25: DANE-validating senders will not deliver mail to it.'),
    liveRuleMeta('dns/dane-unusable-usage', 'warning', 'TLSA records with PKIX usages (0, 1) or undefined parameters, which SMTP senders ignore (RFC 7672).'),
    liveRuleMeta('dns/dane-unreachable', 'error', 'An MX host with TLSA records could not be reached over STARTTLS on port 25, so its certificate could not be compared (no verdict on the match).'),
  ],
  dkim: [
    liveRuleMeta('dns/dkim-missing', 'error', 'No DKIM key is published for a selector the configuration signs with, so receivers cannot verify its signatures.'),
    liveRuleMeta('dns/dkim-revoked', 'error', 'The DKIM key record has an empty p=: the key is revoked and every signature made with it fails.'),
    liveRuleMeta('dns/dkim-weak-key', 'warning', 'The DKIM RSA key is shorter than 2048 bits (an error below 1024 bits, which receivers do not accept).'),
    liveRuleMeta('dns/dkim-invalid', 'error', 'The DKIM key record is unusable: bad syntax, wrong version or key type, malformed key, a hash or service restriction, or several records.'),
    liveRuleMeta('dns/dkim-testing', 'information', 'The DKIM key is in testing mode (t=y): receivers may treat signed mail as unsigned.'),
    liveRuleMeta('dns/dkim-ed25519', 'information', 'The DKIM key is Ed25519, which many receivers cannot verify yet; sign with an RSA key as well.'),
  ],
  dnsbl: [
    liveRuleMeta('dns/dnsbl-listed', 'error', 'The server address is listed on a DNS blocklist (DNSBL); receivers that use that list reject or junk its mail.'),
    liveRuleMeta('dns/dnsbl-refused', 'information', 'A DNSBL answered with an error code (public resolver, rate limit, retired list) instead of a verdict, so the address could not be checked there.'),
  ],
};
