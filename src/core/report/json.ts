import { redactStrings } from '../redact';
import type { Report } from './report';

/**
 * `{ findings, endpoints }`, plus the live-check results (probes, mx, ptr, outbound25, auth, TLS scans, relay
 * tests, resolver) when they ran, as recorded except that credentials in what servers and resolvers said are masked.
 */
export function formatJson(report: Report): string {
  const l = report.live;
  const live = l && { probes: l.probes, mx: l.mx, ptr: l.ptr, outbound25: l.outbound25, auth: l.auth, tlsScans: l.tlsScans ?? [], relayTests: l.relayTests ?? [], ...(l.resolver ? { resolver: l.resolver } : {}) };
  return JSON.stringify({ findings: report.findings, endpoints: report.endpoints, ...redactStrings(live ?? {}) }, null, 2) + '\n';
}
