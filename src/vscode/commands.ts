import * as vscode from 'vscode';
import type { WorkspaceScanner } from './workspaceScanner';

export const COMMAND_LINT_WORKSPACE = 'smtpDoctor.lintWorkspace';

/** "SMTP Doctor: Lint Mail Configs in Workspace": rescan, then report how many problems were found. */
export function lintWorkspaceCommand(scanner: WorkspaceScanner, problemCount: () => number) {
  return async (): Promise<number> => {
    const files = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'SMTP Doctor: linting mail configs' },
      (_p, token) => scanner.scan(token),
    );
    const problems = problemCount();
    void vscode.window.setStatusBarMessage(`SMTP Doctor: ${files} config file(s), ${problems} problem(s)`, 5000);
    return problems;
  };
}
