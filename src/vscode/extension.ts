// Entry point: wires the core engine into VS Code. No logic of its own lives here.
import * as vscode from 'vscode';
import { FindingFixProvider } from './codeActions';
import { LiveDiagnostics } from './liveDiagnostics';
import type { LintInput } from '../core/workspaceLint';
import { COMMAND_LINT_WORKSPACE, lintWorkspaceCommand, registerCheckCommands } from './commands';
import { OutputLog } from './log';
import { SmtpStatusBar } from './statusBar';
import { affectsUs, readConfig } from './config';
import { ConfigDiagnostics } from './configDiagnostics';
import { ConfigSources } from './configSources';
import { PostfixCompletionProvider, PostfixDefinitionProvider, PostfixSymbolProvider } from './editorFeatures';
import { FindingDetailsHoverProvider, PostfixHoverProvider } from './hover';
import { DiagnosticsPublisher } from './publisher';
import { ProjectConfigs } from './projectConfig';
import { RESULTS_VIEW_ID, ResultsTreeProvider } from './resultsTree';
import { APP_SELECTOR, POSTFIX_SELECTOR } from './languages';
import { WorkspaceScanner } from './workspaceScanner';
import { releaseOver, severitiesOver } from '../core/engine/settingsPrecedence';
import { Workspace } from '../core/engine/workspace';
import { EDITOR_LANGUAGES } from '../core/sources/registry';
import { confirmWithModal, type LoginConfirmation } from './verifyLogin';

export interface SmtpDoctorApi {
  /** Resolves when the first workspace scan has set its diagnostics (for tests and other extensions). */
  readonly ready: Promise<void>;
  /** The Results panel's data: getChildren / getTreeItem / snapshot() (for tests). */
  readonly results: ResultsTreeProvider;
  /** How long activate() took, and how long until the first scan was done (ms). */
  readonly timings: { readonly activateMs: number; readonly firstScanMs?: number };
  /** How Verify Login asks before logging in (a modal naming host and account); replaceable by an embedding UI. */
  readonly loginConfirmation: LoginConfirmation;
  /** The status bar item as shown (for tests). */
  readonly statusBar: { readonly state: { readonly text: string; readonly visible: boolean } };
}

// Module evaluation starts the clock: bundle loading counts towards activation time.
const loadedAt = Date.now();

/** Every editor language a source's files may be open in (its own and existing ones): where findings get hovers and quick fixes. */
const FINDINGS_SELECTOR = [...EDITOR_LANGUAGES.map((l) => ({ language: l.id })), ...APP_SELECTOR];

export function activate(context: vscode.ExtensionContext): SmtpDoctorApi {
  const projects = new ProjectConfigs();
  // Settings win over the project file: they are the user's own choice on this machine.
  const config = () => {
    const settings = readConfig();
    return {
      ...settings,
      rulesFor: (file: string) => severitiesOver(projects.rulesFor(file), settings.rules),
      postfixVersionFor: (file: string) => releaseOver(projects.postfixVersionFor(file), settings.postfixVersionFor(file)),
    };
  };
  const sources = new ConfigSources();
  // One engine Workspace holds every configuration text, of whichever source; the diagnostics feed it and read it.
  const workspace = new Workspace();
  const diagnostics = new ConfigDiagnostics(sources, config, workspace);
  const moduleLoader = (id: string) => diagnostics.readModule(id);
  // Given again whenever settings, project files or workspace folders change (the Workspace caches its result).
  const applySettings = () => {
    const now = config();
    workspace.setSettings({
      severityOverrides: now.rulesFor,
      postfixRelease: now.postfixVersionFor,
      // As in the CLI: errors in tests, fixtures and examples are warnings (paths inside the workspace folder).
      relativePath: (file) => {
        const uri = vscode.Uri.parse(file);
        return vscode.workspace.getWorkspaceFolder(uri) ? vscode.workspace.asRelativePath(uri, false) : undefined;
      },
      moduleLoader,
    });
  };
  applySettings();
  const log = new OutputLog();
  const scanner = new WorkspaceScanner(diagnostics, config, log, (folder) => projects.excludeFor(folder));
  const live = new LiveDiagnostics(workspace, config, log);
  // One collection for every source: one root cause, one diagnostic, whichever source saw it.
  const publisher = new DiagnosticsPublisher([diagnostics, projects, live]);
  const results = new ResultsTreeProvider({ diagnostics, live, config });
  const loginConfirmation: LoginConfirmation = { ask: confirmWithModal };
  const resultsView = vscode.window.createTreeView(RESULTS_VIEW_ID, { treeDataProvider: results, showCollapseAll: true });
  results.attach(resultsView);
  /** Every config the extension knows, as the user sees it now (open editors win over disk). */
  const currentFiles = async (): Promise<LintInput[]> => {
    await diagnostics.flush();
    return diagnostics.files();
  };

  // A host removed from a config leaves the results once the file is linted again.
  let pruneTimer: ReturnType<typeof setTimeout> | undefined;
  const pruneLive = (): void => {
    if (!live.targets) return;
    clearTimeout(pruneTimer);
    // Not while checks run: their targets are what they are until the run ends.
    pruneTimer = setTimeout(() => (live.isRunning ? pruneLive() : live.prune()), live.isRunning ? 1000 : 300);
  };
  const statusBar = new SmtpStatusBar({
    findings: () => [...diagnostics.allFindings(), ...live.allFindings()],
    hasMailConfig: () => diagnostics.filesWithResults().length > 0,
    live,
    changes: [diagnostics.onDidUpdate],
  });

  context.subscriptions.push(
    publisher,
    { dispose: () => clearTimeout(pruneTimer) },
    diagnostics.onDidUpdate(pruneLive),
    projects,
    ...projects.watch(),
    projects.onDidChange(() => {
      applySettings();
      void scanner.scan();
    }),
    diagnostics,
    scanner,
    ...diagnostics.watch(),
    live,
    ...live.watch(),
    results,
    resultsView,
    vscode.commands.registerCommand('smtpDoctor.runLiveChecks', async () => {
      // Live checks connect to the hosts a workspace names: only where the user trusts it.
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage('SMTP Doctor runs live network checks only in a trusted workspace.', 'Manage Workspace Trust').then((pick) => {
          if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
        });
        return undefined;
      }
      const report = await live.run();
      return report && { probes: report.probes.length, findings: report.findings.length, incomplete: report.incomplete };
    }),
    vscode.commands.registerCommand('smtpDoctor.clearLiveResults', () => live.clear()),
    log,
    ...registerCheckCommands({ scanner, diagnostics, live, log, config, currentFiles, results, view: resultsView, extensionUri: context.extensionUri, loginConfirmation }),
    statusBar,
    vscode.languages.registerHoverProvider(POSTFIX_SELECTOR, new PostfixHoverProvider(sources)),
    vscode.languages.registerHoverProvider(FINDINGS_SELECTOR, new FindingDetailsHoverProvider((uri) => publisher.findingsFor(uri))),
    vscode.languages.registerCompletionItemProvider(POSTFIX_SELECTOR, new PostfixCompletionProvider(), ...PostfixCompletionProvider.triggerCharacters),
    vscode.languages.registerDefinitionProvider(POSTFIX_SELECTOR, new PostfixDefinitionProvider(sources)),
    vscode.languages.registerReferenceProvider(POSTFIX_SELECTOR, new PostfixDefinitionProvider(sources)),
    vscode.languages.registerDocumentSymbolProvider(POSTFIX_SELECTOR, new PostfixSymbolProvider()),
    vscode.languages.registerCodeActionsProvider(FINDINGS_SELECTOR, new FindingFixProvider((uri) => publisher.allFindingsFor(uri)), FindingFixProvider.metadata),
    vscode.commands.registerCommand(COMMAND_LINT_WORKSPACE, lintWorkspaceCommand(scanner, () => diagnostics.allFindings().length)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsUs(e)) return;
      applySettings();
      scanner.watch();
      void scanner.scan();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      applySettings();
      void scanner.scan();
    }),
  );

  scanner.watch();
  for (const d of vscode.workspace.textDocuments) diagnostics.opened(d);
  const timings: { activateMs: number; firstScanMs?: number } = { activateMs: 0 };
  const ready = projects
    .load()
    .then(() => {
      applySettings();
      return scanner.scan();
    })
    .then(
      () => {
        timings.firstScanMs = Date.now() - loadedAt;
        log.info(`first scan: ${diagnostics.workspaceFiles.size} configuration file(s), ${diagnostics.files().length} read as configuration, ${diagnostics.allFindings().length} finding(s) in ${timings.firstScanMs} ms`);
      },
      (err) => {
        log.error('workspace scan failed', err);
        console.error('SMTP Doctor: workspace scan failed', err);
      },
    );
  timings.activateMs = Date.now() - loadedAt;
  return { ready, timings, results, statusBar, loginConfirmation };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
