// How an endpoint's TLS mode is named in the Results tree (what kind of setting defined it, the endpoint says itself).
// Separate from the probe's rows because the endpoint node and the "Check SMTP Port" command use them before any probe.
import type { EndpointSecurity } from '../model';

export function securityLabel(security: EndpointSecurity | undefined, port: number | undefined): string {
  switch (security) {
    case 'implicit-tls':
      return 'implicit TLS';
    case 'starttls-required':
      return 'STARTTLS required';
    case 'starttls-opportunistic':
      return 'STARTTLS if offered';
    case 'none':
      return 'no TLS';
    case 'unknown':
      return 'security unknown';
    case undefined:
      return port === 25 ? 'server · SMTP' : port === 587 ? 'server · submission' : port === 465 ? 'server · submissions' : 'server';
  }
}
