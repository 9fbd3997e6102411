import type { ReportedFinding } from './reportInput';

export function formatJson(findings: readonly ReportedFinding[]): string {
  return JSON.stringify({ findings }, null, 2) + '\n';
}
