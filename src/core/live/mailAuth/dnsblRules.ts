// DNSBL's rules: small and loaded with the live-check registry, while the check itself (dnsbl.ts) loads
// only when a subject needs it.
import { liveRuleMeta } from '../liveRules';

export const DNSBL_RULES = {
  listed: liveRuleMeta('dns/dnsbl-listed', 'error', 'The server address is listed on a DNS blocklist (DNSBL); receivers that use that list reject or junk its mail.'),
  refused: liveRuleMeta('dns/dnsbl-refused', 'information', 'A DNSBL answered with an error code (public resolver, rate limit, retired list) instead of a verdict, so the address could not be checked there.'),
} as const;
