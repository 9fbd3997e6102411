// DMARC's rules: small and loaded with the live-check registry, while the check itself (dmarc.ts) loads
// only when a subject needs it.
import { liveRuleMeta } from '../liveRules';

export const DMARC_RULES = {
  missing: liveRuleMeta('dns/dmarc-missing', 'warning', 'The domain publishes no DMARC record (nor does its organisational domain), so receivers apply no policy to mail that fails SPF and DKIM.'),
  multiple: liveRuleMeta('dns/dmarc-multiple', 'error', 'The domain publishes more than one DMARC record: receivers apply none of them.'),
  syntax: liveRuleMeta('dns/dmarc-syntax', 'error', 'The DMARC record is invalid (no or bad p=, bad tag values, unusable report addresses) or is not recognised as one.'),
  policyNone: liveRuleMeta('dns/dmarc-policy-none', 'information', 'The DMARC policy is p=none (or pct=0, or sp=none): monitoring only, receivers do not act on forged mail.'),
  reportDestinationUnverified: liveRuleMeta('dns/dmarc-report-destination-unverified', 'warning', 'A DMARC report address in another domain has not agreed to take the reports (no v=DMARC1 TXT at its _report._dmarc name): receivers send none there.'),
} as const;
