// The check, report and result commands: registerCheckCommands is the one entry extension.ts calls; each
// concern's commands live in their own module beside it.
import * as vscode from 'vscode';
import type { WorkspaceScanner } from '../workspaceScanner';
import { VERIFY_LOGIN_COMMAND, verifyLoginCommand } from '../verifyLogin';
import { COMMANDS, type CommandContext, RUNNING_CONTEXT_KEY } from './commandContext';
import { checkWorkspace, recheck, watchRunOn } from './liveCommands';
import { checkSmtpPort } from './portCheck';
import { copyReport, exportReport } from './reportCommands';
import { copyResult, filterResults, openFindingDocs, openRuleDocs, removeCheckedHost, showTranscript, suppressFinding } from './resultCommands';

export { COMMANDS, type CommandContext, RUNNING_CONTEXT_KEY } from './commandContext';
export type { LiveRunSummary } from '../../core/engine/liveRunSummary';
export { type PortCheckSummary, portCheckHeadline } from './portCheck';

export const COMMAND_LINT_WORKSPACE = 'smtpDoctor.lintWorkspace';

/** "SMTP Doctor: Lint Workspace Configs (No Network)": rescan, then report how many problems were found. */
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

/** Registers the check, report and result commands, the running context key and the run-on triggers. */
export function registerCheckCommands(ctx: CommandContext): vscode.Disposable[] {
  let running = false;
  const setRunning = () => {
    if (ctx.live.isRunning === running) return;
    running = ctx.live.isRunning;
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT_KEY, running);
  };
  void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT_KEY, false);
  return [
    vscode.commands.registerCommand(COMMANDS.checkSmtpPort, checkSmtpPort(ctx)),
    vscode.commands.registerCommand(COMMANDS.checkWorkspace, checkWorkspace(ctx)),
    vscode.commands.registerCommand(COMMANDS.recheck, recheck(ctx)),
    vscode.commands.registerCommand(COMMANDS.cancel, () => ctx.live.cancel()),
    vscode.commands.registerCommand(COMMANDS.copyReport, copyReport(ctx)),
    vscode.commands.registerCommand(COMMANDS.exportReport, exportReport(ctx)),
    vscode.commands.registerCommand(COMMANDS.showLog, () => ctx.log.show()),
    vscode.commands.registerCommand(COMMANDS.clearResults, () => {
      ctx.live.clear();
      ctx.log.info('live results cleared');
    }),
    vscode.commands.registerCommand(COMMANDS.openRuleDocs, openRuleDocs(ctx)),
    vscode.commands.registerCommand(COMMANDS.filterResults, filterResults(ctx)),
    vscode.commands.registerCommand(COMMANDS.copyResult, copyResult()),
    vscode.commands.registerCommand(COMMANDS.suppressFinding, suppressFinding(ctx)),
    vscode.commands.registerCommand(COMMANDS.openFindingDocs, openFindingDocs()),
    vscode.commands.registerCommand(COMMANDS.showTranscript, showTranscript(ctx)),
    vscode.commands.registerCommand(COMMANDS.removeCheckedHost, removeCheckedHost(ctx)),
    ctx.live.onDidChange(setRunning),
    watchRunOn(ctx),
    vscode.commands.registerCommand(VERIFY_LOGIN_COMMAND, verifyLoginCommand(ctx, ctx.loginConfirmation)),
  ];
}
