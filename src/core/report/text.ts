import type { ReportedEndpoint, ReportedFinding } from './reportInput';

/** Compiler-style lines (`file:line:col: severity: message [rule]`) and a summary. */
export function formatText(findings: readonly ReportedFinding[], filesChecked: number, endpoints: readonly ReportedEndpoint[] = [], liveText = ''): string {
  const lines = findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.rule}]`);
  if (endpoints.length) {
    lines.push('', 'SMTP endpoints:');
    for (const e of endpoints) {
      const where = `${e.host ?? '(unresolved host)'}:${e.port ?? '(unresolved port)'}`;
      lines.push(`  ${where.padEnd(34)} ${e.security.padEnd(22)} ${e.authPresent ? 'auth ' : '     '} ${e.file}:${e.line} (${e.source})`);
    }
    lines.push('');
  }
  if (liveText) lines.push(liveText);
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const errors = count('error');
  const warnings = count('warning');
  const others = findings.length - errors - warnings;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  lines.push(
    `${plural(filesChecked, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${others} other`,
  );
  return lines.join('\n') + '\n';
}
