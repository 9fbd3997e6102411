import type { ReportedEndpoint, ReportedFinding } from './reportInput';

export function formatJson(findings: readonly ReportedFinding[], endpoints: readonly ReportedEndpoint[] = []): string {
  return JSON.stringify({ findings, endpoints }, null, 2) + '\n';
}
