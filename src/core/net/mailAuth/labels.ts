// How the Results tree and messages name each mail-authentication check: its own module, so that a report
// naming checks does not load the checks.
import type { AuthCheckName } from './types';

export const AUTH_CHECK_LABELS: Readonly<Record<AuthCheckName, string>> = {
  spf: 'SPF',
  dmarc: 'DMARC',
  'mta-sts': 'MTA-STS',
  'tls-rpt': 'TLS-RPT',
  dane: 'DANE',
  dkim: 'DKIM',
  dnsbl: 'DNSBL',
};
