import type { ReportedEndpoint, ReportedFinding } from './reportInput';

/** `{ findings, endpoints }`, plus the raw live-check results (probes, mx, ptr, outbound25) when they ran. */
export function formatJson(findings: readonly ReportedFinding[], endpoints: readonly ReportedEndpoint[] = [], live?: Readonly<Record<string, unknown>>): string {
  return JSON.stringify({ findings, endpoints, ...(live ?? {}) }, null, 2) + '\n';
}
