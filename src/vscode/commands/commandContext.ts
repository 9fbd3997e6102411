// What every check, report and result command works with, the command ids, and what they share.
import * as vscode from 'vscode';
import type { Finding } from '../../core/model';
import type { LintInput } from '../../core/workspaceLint';
import type { SmtpDoctorConfig } from '../config';
import type { ConfigDiagnostics } from '../configDiagnostics';
import { OPEN_RULE_DOCS_COMMAND } from '../convert';
import type { LiveDiagnostics } from '../liveDiagnostics';
import type { OutputLog } from '../log';
import type { ResultsTreeProvider } from '../resultsTree';
import type { ResultNode } from '../../core/report/resultNode';
import type { WorkspaceScanner } from '../workspaceScanner';
import type { LoginConfirmation } from '../verifyLogin';

/** What the check, report and result commands work with (built once in extension.ts). */
export interface CommandContext {
  readonly scanner: WorkspaceScanner;
  readonly diagnostics: ConfigDiagnostics;
  readonly live: LiveDiagnostics;
  readonly log: OutputLog;
  readonly config: () => SmtpDoctorConfig;
  /** Every config the extension knows, as the user sees it now. */
  readonly currentFiles: () => Promise<LintInput[]>;
  /** How Verify Login asks before it logs in (the modal, unless the API was given another). */
  readonly loginConfirmation?: LoginConfirmation;
  readonly results: ResultsTreeProvider;
  readonly view: vscode.TreeView<ResultNode>;
  readonly extensionUri: vscode.Uri;
}

export const COMMANDS = {
  checkSmtpPort: 'smtpDoctor.checkSmtpPort',
  checkWorkspace: 'smtpDoctor.checkWorkspace',
  recheck: 'smtpDoctor.recheck',
  cancel: 'smtpDoctor.cancel',
  copyReport: 'smtpDoctor.copyReport',
  exportReport: 'smtpDoctor.exportReport',
  showLog: 'smtpDoctor.showLog',
  clearResults: 'smtpDoctor.clearResults',
  openRuleDocs: OPEN_RULE_DOCS_COMMAND,
  filterResults: 'smtpDoctor.filterResults',
  copyResult: 'smtpDoctor.copyResult',
  suppressFinding: 'smtpDoctor.suppressFinding',
  openFindingDocs: 'smtpDoctor.openFindingDocs',
  showTranscript: 'smtpDoctor.showTranscript',
  removeCheckedHost: 'smtpDoctor.removeCheckedHost',
} as const;

/** Context key that is true while live checks run (enables Cancel Live Checks). */
export const RUNNING_CONTEXT_KEY = 'smtpDoctor.running';

/** Live checks connect to hosts a workspace names: only where the user trusts it. */
export function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage('SMTP Doctor runs live network checks only in a trusted workspace.', 'Manage Workspace Trust').then((pick) => {
    if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}

export const relative = (file: string) => vscode.workspace.asRelativePath(vscode.Uri.parse(file), false);

export const staticFindings = (ctx: CommandContext): Finding[] => ctx.diagnostics.allFindings();
