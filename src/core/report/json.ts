import { redactStrings } from '../redact';
import type { ReportedEndpoint, ReportedFinding } from './reportInput';

/**
 * `{ findings, endpoints }`, plus the live-check results (probes, mx, ptr, outbound25) when they ran, as
 * recorded except that credentials in what servers and resolvers said are masked.
 */
export function formatJson(findings: readonly ReportedFinding[], endpoints: readonly ReportedEndpoint[] = [], live?: Readonly<Record<string, unknown>>): string {
  return JSON.stringify({ findings, endpoints, ...redactStrings(live ?? {}) }, null, 2) + '\n';
}
