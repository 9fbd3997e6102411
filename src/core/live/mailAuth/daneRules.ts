// DANE's rules: small and loaded with the live-check registry, while the check itself (dane.ts) loads
// only when a subject needs it.
import type { RuleMeta } from '../../model';
import { liveRuleMeta } from '../liveRules';

export const DANE_RULES = {
  missing: liveRuleMeta('dns/dane-missing', 'information', 'No TLSA records for the MX hosts (no DANE): senders use opportunistic TLS, which an active attacker can strip.'),
  unvalidated: liveRuleMeta('dns/dane-unvalidated', 'warning', 'TLSA records were found but DNSSEC did not authenticate them (no AD bit): DANE cannot be confirmed, and senders ignore unsigned TLSA records.'),
  mismatch: liveRuleMeta('dns/dane-mismatch', 'error', "No usable TLSA record matches the certificate the MX host serves on port 25: DANE-validating senders will not deliver mail to it."),
  unusableUsage: liveRuleMeta('dns/dane-unusable-usage', 'warning', 'TLSA records with PKIX usages (0, 1) or undefined parameters, which SMTP senders ignore (RFC 7672).'),
  unreachable: liveRuleMeta('dns/dane-unreachable', 'error', 'An MX host with TLSA records could not be reached over STARTTLS on port 25, so its certificate could not be compared (no verdict on the match).'),
} as const;
export const DANE_RULE_METAS: readonly RuleMeta[] = Object.values(DANE_RULES);
