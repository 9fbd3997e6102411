import * as vscode from 'vscode';
import type { Finding, Range, Severity } from '../core/model';

const SEVERITY: Readonly<Record<Severity, vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export const DIAGNOSTIC_SOURCE = 'SMTP Doctor';

export function toVsRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function fromVsRange(r: vscode.Range): Range {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

/** The command that shows a rule's docs page rendered (see commands.ts). */
export const OPEN_RULE_DOCS_COMMAND = 'smtpDoctor.openRuleDocs';

/** A link that runs OPEN_RULE_DOCS_COMMAND for a rule (VS Code opens diagnostic code links with commands allowed). */
export function ruleDocsLink(ruleId: string): vscode.Uri {
  return vscode.Uri.parse(`command:${OPEN_RULE_DOCS_COMMAND}?${encodeURIComponent(JSON.stringify([ruleId]))}`);
}

/** A finding as VS Code shows it; the rule id links to the rule's docs page, rendered. */
export function toDiagnostic(f: Finding): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toVsRange(f.range), f.message, SEVERITY[f.severity]);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = { value: f.ruleId, target: ruleDocsLink(f.ruleId) };
  if (f.related?.length) {
    d.relatedInformation = f.related.map(
      (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.parse(r.file), toVsRange(r.range)), r.message),
    );
  }
  return d;
}

export function diagnosticRuleId(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return code === undefined ? undefined : String(code);
}
