import { formatLiveText } from './liveText';
import type { Report } from './report';

/**
 * Compiler-style lines (`file:line:col: severity: message [rule]`) for the findings as shown (one per root
 * cause), the endpoints, the live results and a summary. With `verbose`, each finding's long explanation
 * and its related places follow it, indented.
 */
export function formatText(report: Report, options: { readonly verbose?: boolean } = {}): string {
  const findings = report.shownFindings ?? report.findings;
  const endpoints = report.endpoints;
  const filesChecked = report.checkedFiles ?? 0;
  const liveText = report.live ? formatLiveText(report.live) : '';
  const verbose = options.verbose ?? false;
  const lines = findings.flatMap((f) => [
    `${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.rule}]`,
    ...(verbose && f.details ? wrap(f.details, 100).map((l) => `    ${l}`) : []),
    ...(verbose ? (f.related ?? []).flatMap((r) => wrap(`${r.file}:${r.line}:${r.column}: ${r.message}`, 96).map((l, i) => `${i ? '      ' : '    '}${l}`)) : []),
  ]);
  if (endpoints.length) {
    lines.push('', 'SMTP endpoints:');
    for (const e of endpoints) {
      const where = `${e.host ?? '(unresolved host)'}:${e.port ?? '(unresolved port)'}`;
      lines.push(`  ${where.padEnd(34)} ${e.security.padEnd(22)} ${e.authPresent ? 'auth ' : '     '} ${e.file}:${e.line} (${e.source})`);
    }
    // Never a probe of a guessed port or host: say which were left alone, and why.
    const unknown = endpoints.filter((e) => !e.host || !e.port).length;
    if (liveText && unknown) lines.push(`  ${unknown} endpoint${unknown === 1 ? '' : 's'} not probed: host or port unknown until the program runs.`);
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

/** Words in lines of at most `width` characters (a longer word stays whole). */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
