import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, diagnosticRuleId, fromVsRange, toVsRange } from './convert';
import { suppressionEdit } from '../core/suppressions';
import type { Finding } from '../core/model';

/** Turns the fixes that rules attach to findings into quick fixes. */
export class FindingFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly findingsFor: (uri: vscode.Uri) => readonly Finding[]) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const findings = this.findingsFor(document.uri);
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const ruleId = diagnosticRuleId(diagnostic);
      const finding = findings.find((f) => f.ruleId === ruleId && toVsRange(f.range).isEqual(diagnostic.range) && f.message === diagnostic.message);
      for (const fix of finding?.fixes ?? []) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = fix.preferred;
        action.edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits) action.edit.replace(document.uri, toVsRange(e.range), e.newText);
        actions.push(action);
      }
      // Last, after the rule's own fixes: a comment that switches the rule off for this line.
      const suppress = ruleId && !ruleId.startsWith('config/') ? suppressionEdit(document.uri.path, document.getText(), { ruleId, range: fromVsRange(diagnostic.range) }) : undefined;
      if (suppress) {
        const action = new vscode.CodeAction(`Suppress ${ruleId} ${suppress.scope === 'file' ? 'in this file' : 'on this line'}`, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.edit = new vscode.WorkspaceEdit();
        action.edit.insert(document.uri, toVsRange(suppress.range).start, suppress.newText);
        actions.push(action);
      }
    }
    return actions;
  }
}
