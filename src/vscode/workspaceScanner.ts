import * as vscode from 'vscode';
import { IGNORE_FILE_NAMES, ScanScope, ScopeFilter } from '../core/scanScope';
import type { SmtpDoctorConfig } from './config';
import { ConfigDiagnostics } from './configDiagnostics';
import { type Log, NO_LOG } from './log';

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
    private readonly diagnostics: ConfigDiagnostics,
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
    // Ignore files and the project file may have changed since the last scan: read them again.
    this.scopes = new Map();
    for (const glob of cfg.include) {
      const uris = await vscode.workspace.findFiles(glob, exclude, MAX_SCANNED_FILES, token);
      if (uris.length >= MAX_SCANNED_FILES) this.reportLimit(glob);
      for (const u of await this.keptOf(uris)) if (ConfigDiagnostics.handles(u)) found.add(u.toString());
      if (token?.isCancellationRequested) break;
    }
    const gone: vscode.Uri[] = [];
    for (const old of [...this.diagnostics.workspaceFiles]) {
      if (found.has(old) || seenSince(old)) continue;
      this.diagnostics.workspaceFiles.delete(old);
      gone.push(vscode.Uri.parse(old));
    }
    const kept: vscode.Uri[] = [];
    // Checked in small batches: a workspace can hold thousands of scripts; most are dropped by the sniff.
    const list = [...found];
    for (let i = 0; i < list.length && !token?.isCancellationRequested; i += 64) {
      await Promise.all(
        list.slice(i, i + 64).map(async (u) => {
          const uri = vscode.Uri.parse(u);
          // Listed, then deleted with its folder before this line ran: an editor still open on it must not make it a workspace file again.
          if (vscode.workspace.textDocuments.some((d) => !d.isClosed && d.uri.toString() === u) && !(await isOnDisk(uri))) return;
          this.diagnostics.workspaceFiles.add(u);
          kept.push(uri);
        }),
      );
    }
    await this.diagnostics.refreshAll([...gone, ...kept]);
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
      watcher.onDidDelete((uri) => this.diagnostics.forget(uri));
      this.watchers.push(watcher);
    }
    this.watchers.push(this.watchFolders(), this.watchIgnoreFiles());
  }

  /** A file the watchers report that the scan keeps: linted as a scan would have. */
  private trackKept(uri: vscode.Uri): void {
    if (!ConfigDiagnostics.handles(uri)) return;
    this.diagnostics.workspaceFiles.add(uri.toString());
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
    watcher.onDidDelete((uri) => this.diagnostics.forgetUnder(uri));
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
          if (!ConfigDiagnostics.handles(found) || this.diagnostics.workspaceFiles.has(found.toString())) continue;
          this.diagnostics.workspaceFiles.add(found.toString());
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
