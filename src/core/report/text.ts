import type { ReportedFinding } from './reportInput';

/** Compiler-style lines (`file:line:col: severity: message [rule]`) and a summary. */
export function formatText(findings: readonly ReportedFinding[], filesChecked: number): string {
  const lines = findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.rule}]`);
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
