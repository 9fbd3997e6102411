import * as vscode from 'vscode';
import { POSTFIX_SOURCE } from '../core/sources/postfix/source';
import { sourceOf } from '../core/sources/registry';
import { IGNORE_FILE_NAMES, ScanScope, ScopeFilter } from '../core/scanScope';
import { AppDiagnostics } from './appDiagnostics';
import type { SmtpDoctorConfig } from './config';
import { type ConfigSources, groupKeyOf } from './configSources';
import type { PostfixDiagnostics } from './postfixDiagnostics';
import { type Log, NO_LOG } from './log';

/**
 * Whether the registry gives a file to the Postfix source (grouped by folder, linted by PostfixDiagnostics);
 * files of the other sources go to AppDiagnostics.
 */
const isPostfixPath = (path: string) => sourceOf({ file: path }) === POSTFIX_SOURCE;

/** Upper bound on files one glob of one scan picks up, so a huge workspace cannot stall the extension host. */
export const MAX_SCANNED_FILES = 20_000;

/** Finds mail configs in the workspace (also ones that are not open) and follows file changes. */
export class WorkspaceScanner implements vscode.Disposable {
  private watchers: vscode.Disposable[] = [];
  private warnedAboutLimit = false;
  private current?: Promise<number>;
  private next?: Promise<number>;
  /** When the watchers last reported each file created or changed (ms), so a running scan does not drop it. */
  private readonly watcherSeen = new Map<string, number>();
  /** Per workspace folder, what the scan leaves out (the CLI's rule); rebuilt by each scan. */
  private scopes = new Map<string, ScopeFilter>();
  private ignoreTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly sources: ConfigSources,
    private readonly diagnostics: PostfixDiagnostics,
    private readonly app: AppDiagnostics,
    private readonly config: () => SmtpDoctorConfig,
    private readonly log: Log = NO_LOG,
    /** The project file's `exclude:` globs for a workspace folder (URI string). */
    private readonly projectExclude: (folder: string) => readonly string[] = () => [],
  ) {}

  /**
   * Whether the scan leaves a file out, by the rule the CLI's `check` follows: dependency, build and generated
   * folders, the project file's `exclude:`, .gitignore / .ignore. Files outside every workspace folder are kept.
   */
  private async leftOut(uri: vscode.Uri): Promise<boolean> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return false;
    const base = folder.uri.path.replace(/\/$/, '');
    if (!uri.path.startsWith(base + '/')) return false;
    const key = folder.uri.toString();
    let filter = this.scopes.get(key);
    if (!filter) {
      const scope = new ScanScope({ exclude: this.projectExclude(key) });
      filter = new ScopeFilter(scope, async (dir, name) => {
        const at = vscode.Uri.joinPath(folder.uri, ...(dir ? dir.split('/') : []), name);
        try {
          return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(at));
        } catch {
          return undefined;
        }
      });
      this.scopes.set(key, filter);
    }
    return filter.leavesOut(uri.path.slice(base.length + 1));
  }

  /** The URIs of `uris` the scan keeps, in order. */
  private async keptOf(uris: readonly vscode.Uri[]): Promise<vscode.Uri[]> {
    const out: vscode.Uri[] = [];
    for (let i = 0; i < uris.length; i += 256) {
      const batch = uris.slice(i, i + 256);
      const left = await Promise.all(batch.map((u) => this.leftOut(u)));
      batch.forEach((u, j) => left[j] || out.push(u));
    }
    return out;
  }

  /**
   * Scans every workspace folder and lints what it finds; resolves when all diagnostics are set. Scans
   * never overlap: asked during one, a single further scan follows it (settings changes come in bursts).
   */
  scan(token?: vscode.CancellationToken): Promise<number> {
    if (!this.current) {
      this.current = this.scanOnce(token).finally(() => (this.current = undefined));
      return this.current;
    }
    this.next ??= this.current
      .catch(() => 0)
      .then(() => {
        this.next = undefined;
        return this.scan(token);
      });
    return this.next;
  }

  private async scanOnce(token?: vscode.CancellationToken): Promise<number> {
    const startedAt = Date.now();
    // A file the watchers reported after this scan listed the folders is newer than the listing: keep it.
    const seenSince = (uri: string) => (this.watcherSeen.get(uri) ?? 0) >= startedAt;
    const cfg = this.config();
    const exclude = cfg.exclude.length ? `{${cfg.exclude.join(',')}}` : undefined;
    const found = new Set<string>();
    const appFound = new Set<string>();
    // Ignore files and the project file may have changed since the last scan: read them again.
    this.scopes = new Map();
    for (const glob of cfg.include) {
      const uris = await vscode.workspace.findFiles(glob, exclude, MAX_SCANNED_FILES, token);
      if (uris.length >= MAX_SCANNED_FILES) this.reportLimit(glob);
      for (const u of await this.keptOf(uris)) {
        if (isPostfixPath(u.path)) found.add(u.toString());
        else if (AppDiagnostics.handles(u)) appFound.add(u.toString());
      }
      if (token?.isCancellationRequested) break;
    }
    for (const old of [...this.app.workspaceFiles]) if (!appFound.has(old) && !seenSince(old)) this.app.forget(vscode.Uri.parse(old));
    // Read in small batches: a workspace can hold thousands of scripts; most are dropped by the sniff.
    const appList = [...appFound];
    for (let i = 0; i < appList.length && !token?.isCancellationRequested; i += 64) {
      await Promise.all(
        appList.slice(i, i + 64).map(async (u) => {
          const uri = vscode.Uri.parse(u);
          // Listed, then deleted with its folder before this line ran: an editor still open on it must not make it a workspace file again.
          if (vscode.workspace.textDocuments.some((d) => !d.isClosed && d.uri.toString() === u) && !(await isOnDisk(uri))) return false;
          this.app.workspaceFiles.add(u);
          return this.app.updateFromDisk(uri);
        }),
      );
    }
    this.app.lintNow();
    const groups = new Set<string>();
    for (const old of this.sources.workspaceFiles) {
      if (!found.has(old) && !seenSince(old)) {
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
    for (const [uri, at] of this.watcherSeen) if (at < startedAt) this.watcherSeen.delete(uri);
    return found.size;
  }

  /** Says once per session that a glob matched more files than one scan takes (the rest go unchecked). */
  private reportLimit(glob: string): void {
    const message = `"${glob}" matches more than ${MAX_SCANNED_FILES.toLocaleString('en-US')} files; SMTP Doctor checked the first ${MAX_SCANNED_FILES.toLocaleString('en-US')}. Narrow smtpDoctor.include or add folders to smtpDoctor.exclude.`;
    this.log.warn(message);
    if (this.warnedAboutLimit) return;
    this.warnedAboutLimit = true;
    void vscode.window.showWarningMessage(`SMTP Doctor: ${message}`, 'Open Settings').then((pick) => {
      if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'smtpDoctor.include');
    });
  }

  /** (Re)creates file watchers for the include globs. */
  watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    for (const glob of this.config().include) {
      const watcher = vscode.workspace.createFileSystemWatcher(glob);
      const track = (uri: vscode.Uri) => {
        this.watcherSeen.set(uri.toString(), Date.now());
        void this.leftOut(uri).then((out) => out || this.trackKept(uri));
      };
      watcher.onDidCreate(track);
      watcher.onDidChange(track);
      watcher.onDidDelete((uri) => {
        if (!isPostfixPath(uri.path)) {
          this.app.forget(uri);
          return;
        }
        this.sources.workspaceFiles.delete(uri.toString());
        this.diagnostics.forget(uri);
        this.diagnostics.schedule(uri, 100);
      });
      this.watchers.push(watcher);
    }
    this.watchers.push(this.watchFolders(), this.watchIgnoreFiles());
  }

  /** A file the watchers report that the scan keeps: linted as a scan would have. */
  private trackKept(uri: vscode.Uri): void {
    if (!isPostfixPath(uri.path)) {
      if (!AppDiagnostics.handles(uri)) return;
      this.app.workspaceFiles.add(uri.toString());
      void this.app.updateFromDisk(uri).then((changed) => changed && this.app.schedule(100));
      return;
    }
    this.sources.workspaceFiles.add(uri.toString());
    this.diagnostics.schedule(uri, 100);
  }

  /** A .gitignore / .ignore written, changed or deleted changes what the scan keeps: scan again (batched). */
  private watchIgnoreFiles(): vscode.Disposable {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/{${IGNORE_FILE_NAMES.join(',')}}`);
    const rescan = () => {
      clearTimeout(this.ignoreTimer);
      this.ignoreTimer = setTimeout(() => void this.scan(), 300);
    };
    return vscode.Disposable.from(watcher, watcher.onDidCreate(rescan), watcher.onDidChange(rescan), watcher.onDidDelete(rescan), { dispose: () => clearTimeout(this.ignoreTimer) });
  }

  /**
   * Glob watchers see neither the files inside a deleted folder nor, reliably, files created along
   * with a new folder; folder events are handled here (new folders batched, so an `npm install`
   * creating thousands of folders costs one search).
   */
  private watchFolders(): vscode.Disposable {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    const created = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    watcher.onDidDelete((uri) => {
      this.app.forgetUnder(uri);
      const prefix = uri.toString() + '/';
      for (const f of [...this.sources.workspaceFiles]) {
        if (!f.startsWith(prefix)) continue;
        const gone = vscode.Uri.parse(f);
        this.sources.workspaceFiles.delete(f);
        this.diagnostics.forget(gone);
        this.diagnostics.schedule(gone, 100);
      }
    });
    watcher.onDidCreate((uri) => {
      if (/\/(node_modules|\.git|\.vscode-test)\//.test(uri.path)) return;
      created.add(uri.toString());
      clearTimeout(timer);
      timer = setTimeout(() => void this.scanCreated([...created].splice(0), created), 300);
    });
    return vscode.Disposable.from(watcher, { dispose: () => clearTimeout(timer) });
  }

  private async scanCreated(uris: string[], pending: Set<string>): Promise<void> {
    for (const u of uris) pending.delete(u);
    const cfg = this.config();
    const exclude = cfg.exclude.length ? `{${cfg.exclude.join(',')}}` : undefined;
    for (const u of uris) {
      const uri = vscode.Uri.parse(u);
      let isFolder = false;
      try {
        isFolder = (await vscode.workspace.fs.stat(uri)).type === vscode.FileType.Directory;
      } catch {
        continue;
      }
      if (!isFolder) continue;
      for (const glob of cfg.include) {
        for (const found of await this.keptOf(await vscode.workspace.findFiles(new vscode.RelativePattern(uri, glob), exclude, MAX_SCANNED_FILES))) {
          if (!isPostfixPath(found.path)) {
            if (!AppDiagnostics.handles(found) || this.app.workspaceFiles.has(found.toString())) continue;
            this.app.workspaceFiles.add(found.toString());
            if (await this.app.updateFromDisk(found)) this.app.schedule(100);
            continue;
          }
          if (this.sources.workspaceFiles.has(found.toString())) continue;
          this.sources.workspaceFiles.add(found.toString());
          this.diagnostics.schedule(found, 100);
        }
      }
    }
  }

  dispose(): void {
    for (const w of this.watchers) w.dispose();
  }
}

const isOnDisk = (uri: vscode.Uri): Thenable<boolean> => vscode.workspace.fs.stat(uri).then(() => true, () => false);
