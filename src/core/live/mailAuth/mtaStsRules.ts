// MTA-STS's rules: small and loaded with the live-check registry, while the check itself (mtaSts.ts) loads
// only when a subject needs it.
import { liveRuleMeta } from '../liveRules';

export const MTA_STS_RULES = {
  missing: liveRuleMeta('dns/mta-sts-missing', 'information', 'The domain publishes no MTA-STS policy, so sending servers cannot insist on verified TLS when they deliver to it.'),
  invalid: liveRuleMeta('dns/mta-sts-invalid', 'warning', 'The MTA-STS TXT record or policy file is malformed or out of spec (syntax, id, Content-Type, max_age), so senders ignore it or keep it only briefly.'),
  policyUnreachable: liveRuleMeta('dns/mta-sts-policy-unreachable', 'warning', 'The MTA-STS TXT record is published but the policy cannot be fetched over HTTPS (no address, bad certificate, not HTTP 200, a redirect).'),
  mxMismatch: liveRuleMeta('dns/mta-sts-mx-mismatch', 'error', 'An MX host matches no mx: line of the MTA-STS policy; in enforce mode, senders refuse to deliver to it.'),
  testing: liveRuleMeta('dns/mta-sts-testing', 'information', 'The MTA-STS policy is in mode testing or none: senders still deliver when TLS cannot be verified.'),
} as const;
