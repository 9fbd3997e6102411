// Entry point: wires the core engine into VS Code. No logic of its own lives here.
import * as vscode from 'vscode';
import { FindingFixProvider } from './codeActions';
import { COMMAND_LINT_WORKSPACE, lintWorkspaceCommand } from './commands';
import { affectsUs, readConfig } from './config';
import { ConfigSources } from './configSources';
import { PostfixHoverProvider } from './hover';
import { POSTFIX_SELECTOR } from './languages';
import { StaticDiagnostics } from './staticDiagnostics';
import { WorkspaceScanner } from './workspaceScanner';

export interface SmtpDoctorApi {
  /** Resolves when the first workspace scan has set its diagnostics (for tests and other extensions). */
  readonly ready: Promise<void>;
}

export function activate(context: vscode.ExtensionContext): SmtpDoctorApi {
  const config = () => readConfig();
  const sources = new ConfigSources();
  const diagnostics = new StaticDiagnostics(sources, context.extensionUri, config);
  const scanner = new WorkspaceScanner(sources, diagnostics, config);

  context.subscriptions.push(
    diagnostics,
    scanner,
    ...diagnostics.watch(),
    vscode.languages.registerHoverProvider(POSTFIX_SELECTOR, new PostfixHoverProvider(sources)),
    vscode.languages.registerCodeActionsProvider(POSTFIX_SELECTOR, new FindingFixProvider(diagnostics), FindingFixProvider.metadata),
    vscode.commands.registerCommand(COMMAND_LINT_WORKSPACE, lintWorkspaceCommand(scanner, diagnostics)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsUs(e)) return;
      scanner.watch();
      void scanner.scan();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void scanner.scan()),
  );

  scanner.watch();
  for (const d of vscode.workspace.textDocuments) diagnostics.schedule(d.uri);
  const ready = scanner.scan().then(
    () => undefined,
    (err) => console.error('SMTP Doctor: workspace scan failed', err),
  );
  return { ready };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
