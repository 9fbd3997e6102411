import * as vscode from 'vscode';
import type { Finding, RuleSeverityOverrides } from '../core/model';
import { PROJECT_FILE_NAMES, type ProjectConfig, isProjectFile, parseProjectConfig } from '../core/projectConfig';
import { allRuleMetas } from '../core/rules';
import { projectRelease } from '../core/engine/settingsPrecedence';

/**
 * The `.smtpdoctor.yaml` at the root of each workspace folder: its rule severities apply to the files of
 * that folder (the CLI reads the same file), and what is wrong in it shows as diagnostics on it.
 */
export class ProjectConfigs implements vscode.Disposable {
  private readonly byFolder = new Map<string, ProjectConfig>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a project file's rules may have changed (the workspace should be linted again). */
  readonly onDidChange = this.changed.event;
  private readonly ruleIds = allRuleMetas().map((r) => r.id);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly findingsChanged = new vscode.EventEmitter<readonly string[]>();
  /** The project files (URI strings) whose findings changed, for the one publisher of diagnostics. */
  readonly onDidChangeFindings = this.findingsChanged.event;

  /** Reads the project file of every workspace folder. */
  async load(): Promise<void> {
    await Promise.all((vscode.workspace.workspaceFolders ?? []).map((f) => this.loadFolder(f)));
  }

  rulesFor(file: string): RuleSeverityOverrides {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(file));
    return (folder && this.byFolder.get(folder.uri.toString())?.rules) ?? {};
  }

  /** The `exclude:` globs of the project file of the workspace folder `folder` (a URI string). */
  excludeFor(folder: string): readonly string[] {
    return this.byFolder.get(folder)?.exclude ?? [];
  }

  /** postfix.version of the project file that covers this file (URI string), if it sets one. */
  postfixVersionFor(file: string): { readonly version: string; readonly why: string } | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(file));
    return projectRelease(folder && this.byFolder.get(folder.uri.toString()));
  }

  findingsFor(uri: vscode.Uri): readonly Finding[] {
    for (const c of this.byFolder.values()) if (c.file === uri.toString()) return c.findings;
    return [];
  }

  watch(): vscode.Disposable[] {
    // Batched: typing in the file must not relint the workspace on every keystroke.
    const reload = (uri: vscode.Uri) => {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder || vscode.Uri.joinPath(uri, '..').toString() !== folder.uri.toString()) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.loadFolder(folder).then(() => this.changed.fire()), 300);
    };
    const watcher = vscode.workspace.createFileSystemWatcher(`**/{${PROJECT_FILE_NAMES.join(',')}}`);
    return [
      watcher,
      watcher.onDidCreate(reload),
      watcher.onDidChange(reload),
      watcher.onDidDelete(reload),
      // Typing in the file: its diagnostics and rules follow the editor, not just the disk.
      vscode.workspace.onDidChangeTextDocument((e) => isProjectFile(e.document.uri.path) && e.contentChanges.length && reload(e.document.uri)),
      vscode.workspace.onDidCloseTextDocument((d) => isProjectFile(d.uri.path) && reload(d.uri)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.load().then(() => this.changed.fire())),
    ];
  }

  private async loadFolder(folder: vscode.WorkspaceFolder): Promise<void> {
    const key = folder.uri.toString();
    const old = this.byFolder.get(key);
    this.byFolder.delete(key);
    if (old) this.findingsChanged.fire([old.file]);
    for (const name of PROJECT_FILE_NAMES) {
      const uri = vscode.Uri.joinPath(folder.uri, name);
      const text = await this.textOf(uri);
      if (text === undefined) continue;
      const config = parseProjectConfig({ file: uri.toString(), text }, this.ruleIds);
      this.byFolder.set(key, config);
      this.findingsChanged.fire([config.file]);
      return;
    }
  }

  private async textOf(uri: vscode.Uri): Promise<string | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === uri.toString());
    if (open) return open.getText();
    try {
      return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
    this.findingsChanged.dispose();
  }
}
