// TLS-RPT's rules: small and loaded with the live-check registry, while the check itself (tlsRpt.ts) loads
// only when a subject needs it.
import { liveRuleMeta } from '../liveRules';

export const TLS_RPT_RULES = {
  missing: liveRuleMeta('dns/tls-rpt-missing', 'information', 'The domain publishes no TLS-RPT record, so nobody tells you when senders fail to deliver over TLS (recommended with MTA-STS or DANE).'),
  invalid: liveRuleMeta('dns/tls-rpt-invalid', 'warning', 'The TLS-RPT record is malformed (version, rua= missing, a URI that is not mailto: or https:, several records), so senders send no reports.'),
} as const;
