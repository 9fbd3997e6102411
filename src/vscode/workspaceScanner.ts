import * as vscode from 'vscode';
import type { SmtpDoctorConfig } from './config';
import { type ConfigSources, groupKeyOf } from './configSources';
import type { StaticDiagnostics } from './staticDiagnostics';

/** Upper bound on files one scan picks up, so a huge workspace cannot stall the extension host. */
const MAX_SCANNED_FILES = 5000;

/** Finds mail configs in the workspace (also ones that are not open) and follows file changes. */
export class WorkspaceScanner implements vscode.Disposable {
  private watchers: vscode.Disposable[] = [];

  constructor(
    private readonly sources: ConfigSources,
    private readonly diagnostics: StaticDiagnostics,
    private readonly config: () => SmtpDoctorConfig,
  ) {}

  /** Scans every workspace folder and lints what it finds; resolves when all diagnostics are set. */
  async scan(token?: vscode.CancellationToken): Promise<number> {
    const cfg = this.config();
    const exclude = cfg.exclude.length ? `{${cfg.exclude.join(',')}}` : undefined;
    const found = new Set<string>();
    for (const glob of cfg.include) {
      const uris = await vscode.workspace.findFiles(glob, exclude, MAX_SCANNED_FILES, token);
      for (const u of uris) found.add(u.toString());
      if (token?.isCancellationRequested) break;
    }
    const groups = new Set<string>();
    for (const old of this.sources.workspaceFiles) {
      if (!found.has(old)) {
        this.sources.workspaceFiles.delete(old);
        const uri = vscode.Uri.parse(old);
        if (!this.sources.openDocument(uri)) this.diagnostics.forget(uri);
        groups.add(groupKeyOf(uri));
      }
    }
    for (const u of found) {
      this.sources.workspaceFiles.add(u);
      groups.add(groupKeyOf(vscode.Uri.parse(u)));
    }
    await this.diagnostics.lintAll(groups);
    return found.size;
  }

  /** (Re)creates file watchers for the include globs. */
  watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    for (const glob of this.config().include) {
      const watcher = vscode.workspace.createFileSystemWatcher(glob);
      const track = (uri: vscode.Uri) => {
        if (isExcluded(uri)) return;
        this.sources.workspaceFiles.add(uri.toString());
        this.diagnostics.schedule(uri, 100);
      };
      watcher.onDidCreate(track);
      watcher.onDidChange(track);
      watcher.onDidDelete((uri) => {
        this.sources.workspaceFiles.delete(uri.toString());
        this.diagnostics.forget(uri);
        this.diagnostics.schedule(uri, 100);
      });
      this.watchers.push(watcher);
    }
  }

  dispose(): void {
    for (const w of this.watchers) w.dispose();
  }
}

function isExcluded(uri: vscode.Uri): boolean {
  return /\/(node_modules|\.git|\.vscode-test)\//.test(uri.path);
}
