// What a port or a configured TLS mode means for a probe, on its own: kept apart from liveTargets (which reads
// compose files and Postfix configs) so the probe path of `smtp-doctor port` loads none of that.
import type { EndpointSecurity } from '../model';

export type ProbeRole = 'submission' | 'mx' | 'other';

/** Whether a client with this configured mode starts TLS at connect (unknown: the port's convention, 465). */
export function startsTlsAtConnect(security: EndpointSecurity | undefined, port: number): boolean {
  if (security === 'implicit-tls') return true;
  if (security === undefined || security === 'unknown') return port === 465;
  return false;
}

/** The role a port has when nothing else is known: 465/587 submission, 25 MX, others none in particular. */
export function roleOfPort(port: number): ProbeRole {
  return port === 465 || port === 587 ? 'submission' : port === 25 ? 'mx' : 'other';
}
