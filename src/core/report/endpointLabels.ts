// How an endpoint is named in the Results tree: its TLS mode in words and what kind of setting defined it.
// Separate from the probe's rows because the endpoint node and the "Check SMTP Port" command use them before any probe.
import type { Endpoint, EndpointSecurity } from '../model';

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

export const SOURCE_LABEL: Readonly<Record<Endpoint['source'], string>> = {
  nodemailer: 'nodemailer transport',
  'smtp-url': 'SMTP URL',
  json: 'JSON config',
  yaml: 'YAML config',
  env: '.env settings',
  'postfix-relayhost': 'Postfix relayhost',
};
