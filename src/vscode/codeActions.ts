import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, diagnosticRuleId, fromVsRange, toVsRange } from './convert';
import { suppressionEdit } from '../core/suppressions';
import type { Finding, Fix, TextEdit } from '../core/model';

/** "Fix all SMTP Doctor problems" (source.fixAll.smtpDoctor), run by the user or by editor.codeActionsOnSave. */
export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('smtpDoctor');

const sameRange = (f: Finding, r: vscode.Range) => toVsRange(f.range).isEqual(r);

/** The fix Fix All applies for a finding: its preferred fix, or its only one; none when the choice is the user's. */
export function mechanicalFix(f: Finding): Fix | undefined {
  const fixes = f.fixes ?? [];
  return fixes.find((x) => x.preferred) ?? (fixes.length === 1 ? fixes[0] : undefined);
}

/** Edits that do not overlap, in document order: the first fix to claim a stretch of text wins it. */
export function nonOverlapping(fixes: readonly Fix[]): TextEdit[] {
  const taken: TextEdit[] = [];
  const before = (a: TextEdit['range']['start'], b: TextEdit['range']['start']) => a.line < b.line || (a.line === b.line && a.character < b.character);
  const overlaps = (a: TextEdit, b: TextEdit) => before(a.range.start, b.range.end) && before(b.range.start, a.range.end);
  const touches = (a: TextEdit, b: TextEdit) => a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
  for (const fix of fixes) {
    if (fix.edits.some((e) => taken.some((t) => overlaps(e, t) || touches(e, t)))) continue;
    taken.push(...fix.edits);
  }
  return taken;
}

/**
 * Quick fixes from the fixes rules attach to findings (every finding on the diagnostic's range: one
 * diagnostic may stand for several), a suppression comment per rule, and Fix All for the whole file.
 */
export class FindingFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND] };

  constructor(private readonly findingsFor: (uri: vscode.Uri) => readonly Finding[]) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const findings = this.findingsFor(document.uri);
    if (context.only && FIX_ALL_KIND.intersects(context.only) && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return this.fixAll(document, findings);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const here = findings.filter((f) => sameRange(f, diagnostic.range) && f.file === document.uri.toString());
      const primary = diagnosticRuleId(diagnostic);
      for (const finding of [...here].sort((a, b) => Number(b.ruleId === primary) - Number(a.ruleId === primary))) {
        for (const fix of finding.fixes ?? []) {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.diagnostics = [diagnostic];
          action.isPreferred = fix.preferred;
          action.edit = new vscode.WorkspaceEdit();
          for (const e of fix.edits) action.edit.replace(document.uri, toVsRange(e.range), e.newText);
          actions.push(action);
        }
      }
      // Last, after the rules' own fixes: a comment that switches a rule off for this line.
      for (const ruleId of new Set([primary, ...here.map((f) => f.ruleId)])) {
        const suppress = ruleId && !ruleId.startsWith('config/') ? suppressionEdit(document.uri.path, document.getText(), { ruleId, range: fromVsRange(diagnostic.range) }) : undefined;
        if (!suppress) continue;
        const action = new vscode.CodeAction(`Suppress ${ruleId} ${suppress.scope === 'file' ? 'in this file' : 'on this line'}`, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.edit = new vscode.WorkspaceEdit();
        action.edit.insert(document.uri, toVsRange(suppress.range).start, suppress.newText);
        actions.push(action);
      }
    }
    if (actions.length && findings.filter((f) => mechanicalFix(f)).length > 1) actions.push(...this.fixAll(document, findings));
    return actions;
  }

  /** One action with every mechanical fix of the file that does not collide with another. */
  private fixAll(document: vscode.TextDocument, findings: readonly Finding[]): vscode.CodeAction[] {
    const fixes = findings.filter((f) => f.file === document.uri.toString()).map(mechanicalFix).filter((x): x is Fix => !!x);
    const edits = nonOverlapping(fixes);
    if (!edits.length) return [];
    const action = new vscode.CodeAction('Fix all SMTP Doctor problems with a quick fix', FIX_ALL_KIND);
    action.edit = new vscode.WorkspaceEdit();
    for (const e of edits) action.edit.replace(document.uri, toVsRange(e.range), e.newText);
    return [action];
  }
}
