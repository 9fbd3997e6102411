// Entry point: wires the core engine into VS Code. No logic of its own lives here.
import * as vscode from 'vscode';
import { AppDiagnostics } from './appDiagnostics';
import { FindingFixProvider } from './codeActions';
import { COMMAND_LINT_WORKSPACE, lintWorkspaceCommand } from './commands';
import { affectsUs, readConfig } from './config';
import { ConfigSources } from './configSources';
import { PostfixHoverProvider } from './hover';
import { APP_SELECTOR, POSTFIX_SELECTOR, configKindOfLanguage } from './languages';
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
  const app = new AppDiagnostics(context.extensionUri, config);
  const scanner = new WorkspaceScanner(sources, diagnostics, app, config);
  const findingsFor = (uri: vscode.Uri) => [...diagnostics.findingsFor(uri), ...app.findingsFor(uri)];

  context.subscriptions.push(
    diagnostics,
    app,
    scanner,
    ...diagnostics.watch(),
    ...app.watch(),
    vscode.languages.registerHoverProvider(POSTFIX_SELECTOR, new PostfixHoverProvider(sources)),
    vscode.languages.registerCodeActionsProvider([...POSTFIX_SELECTOR, ...APP_SELECTOR], new FindingFixProvider(findingsFor), FindingFixProvider.metadata),
    vscode.commands.registerCommand(COMMAND_LINT_WORKSPACE, lintWorkspaceCommand(scanner, () => diagnostics.allFindings().length + app.allFindings().length)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsUs(e)) return;
      scanner.watch();
      void scanner.scan();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void scanner.scan()),
  );

  scanner.watch();
  for (const d of vscode.workspace.textDocuments) {
    if (configKindOfLanguage(d.languageId)) diagnostics.schedule(d.uri);
    else if (AppDiagnostics.handles(d.uri)) app.update(d.uri, d.getText());
  }
  const ready = scanner.scan().then(
    () => undefined,
    (err) => console.error('SMTP Doctor: workspace scan failed', err),
  );
  return { ready };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
