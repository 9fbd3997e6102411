import * as vscode from 'vscode';
import type { FileMeta, Workspace } from '../core/engine/workspace';
import { diskModuleLoader } from '../core/fileWalk';
import type { Endpoint, Finding } from '../core/model';
import { FOLDER_LISTING_GLOBS, sourceOf } from '../core/sources/registry';
import type { LintInput } from '../core/workspaceLint';
import type { SmtpDoctorConfig } from './config';
import { type ConfigSources, groupKeyOf } from './configSources';
import { configKindOfLanguage } from './languages';

/** Folders whose files are never checked when opened (dependencies, the repository's own data). */
const NEVER_CHECKED = /\/(node_modules|\.git)\//;

const sameFindings = (a: readonly Finding[] | undefined, b: readonly Finding[] | undefined) => a === b || (!!a && !!b && a.length === b.length && a.every((f, i) => f === b[i]));

/**
 * Keeps the Problems view in step with the static rules of every configuration source of the registry: hands
 * the engine Workspace the text of each configuration file as the user sees it (an open editor's, else the
 * disk's for files the workspace scan found) whenever one is opened, typed in, saved, created, changed or
 * deleted, and publishes the Workspace's findings per file. The Workspace and its sources decide what a change
 * re-checks (a main.cf's change re-lints its folder, so its master.cf's findings follow).
 */
export class ConfigDiagnostics implements vscode.Disposable {
  /** Configuration files the workspace scan found (URI strings), read from disk when no editor holds them. */
  readonly workspaceFiles = new Set<string>();
  private findingsByUri = new Map<string, readonly Finding[]>();
  private endpointList: readonly Endpoint[] = [];
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Per file, the read under way: reads of one file are applied in the order they were asked for. */
  private readonly reading = new Map<string, Promise<void>>();
  /** The files next to a file as last read (what typing in its editor keeps until the next read). */
  private readonly listings = new Map<string, NonNullable<FileMeta['configDirFiles']>>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after the findings were published. */
  readonly onDidUpdate = this.changed.event;
  private readonly findingsChanged = new vscode.EventEmitter<readonly string[]>();
  /** The files (URI strings) whose findings changed, for the one publisher of diagnostics. */
  readonly onDidChangeFindings = this.findingsChanged.event;

  constructor(
    private readonly sources: ConfigSources,
    private readonly config: () => SmtpDoctorConfig,
    private readonly workspace: Workspace,
  ) {}

  /** Whether a source of the registry reads this file (by the editor's language, else by name). */
  static handles(uri: vscode.Uri, languageId?: string): boolean {
    const kind = languageId === undefined ? undefined : configKindOfLanguage(languageId);
    if (kind) return sourceOf({ file: uri.path, kind }) !== undefined;
    return sourceOf({ file: uri.path }) !== undefined && !NEVER_CHECKED.test(uri.path);
  }

  static handlesDocument(d: vscode.TextDocument): boolean {
    return ConfigDiagnostics.handles(d.uri, d.languageId);
  }

  findingsFor(uri: vscode.Uri): readonly Finding[] {
    return this.findingsByUri.get(uri.toString()) ?? [];
  }

  allFindings(): Finding[] {
    return [...this.findingsByUri.values()].flat();
  }

  /**
   * The files the results list, as URI strings: those with a finding or an endpoint, and every file of a
   * source whose files are configuration by themselves (a main.cf with nothing wrong in it).
   */
  filesWithResults(): string[] {
    const listed = this.workspace.heldFiles((s) => s.listsFilesWithoutResults === true).map((f) => f.file);
    return [...new Set([...listed, ...this.findingsByUri.keys(), ...this.endpointList.map((e) => e.file)])];
  }

  /** Every configuration file held, as last read (with what the sources were told about it). */
  files(): LintInput[] {
    return this.workspace.heldFiles();
  }

  get endpoints(): readonly Endpoint[] {
    return this.endpointList;
  }

  /** A module a script imports (its config): an editor's or a held text, else the file on disk (file: URIs only). */
  readModule(id: string): { file: string; text: string } | undefined {
    const held = this.workspace.textOf(id) ?? this.sources.openDocument(vscode.Uri.parse(id))?.getText();
    if (held !== undefined) return { file: id, text: held };
    const uri = vscode.Uri.parse(id);
    if (uri.scheme !== 'file') return undefined;
    const found = diskModuleLoader(uri.fsPath);
    return found && { file: id, text: found.text };
  }

  /** Reads a file again after `delayMs` (coalescing bursts of keystrokes) and publishes what changed. */
  schedule(uri: vscode.Uri, delayMs = 0): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.refresh(uri);
      }, delayMs),
    );
  }

  /** Reads whatever is scheduled now, so what is held is what the user sees. */
  async flush(): Promise<void> {
    const due = [...this.timers.keys()];
    for (const key of due) clearTimeout(this.timers.get(key));
    this.timers.clear();
    await this.refreshAll(due.map((key) => vscode.Uri.parse(key)));
    await Promise.all(this.reading.values());
  }

  /**
   * Reads a file as the user sees it now and gives it to the Workspace (or takes it away: closed and not
   * found by the scan, deleted, too large for its source), then publishes. `fromDisk`: read a file nobody
   * opened or scanned (a re-check the user asked for).
   */
  async refresh(uri: vscode.Uri, options: { readonly fromDisk?: boolean } = {}): Promise<void> {
    await this.read(uri, options.fromDisk === true);
    this.publish();
  }

  /** refresh() for many files, publishing once (the workspace scan: thousands of files). */
  async refreshAll(uris: readonly vscode.Uri[]): Promise<void> {
    for (let i = 0; i < uris.length; i += 64) await Promise.all(uris.slice(i, i + 64).map((u) => this.read(u, false)));
    this.publish();
  }

  /** A file that left the workspace scan (deleted, renamed, excluded): its problems go unless an editor holds it. */
  forget(uri: vscode.Uri): void {
    this.workspaceFiles.delete(uri.toString());
    this.schedule(uri, 100);
  }

  /** Forgets every file under a deleted folder. */
  forgetUnder(folder: vscode.Uri): void {
    const prefix = folder.toString() + '/';
    for (const key of [...this.workspaceFiles]) if (key.startsWith(prefix)) this.workspaceFiles.delete(key);
    for (const { file } of this.workspace.heldFiles()) if (file.startsWith(prefix)) this.schedule(vscode.Uri.parse(file), 100);
  }

  /** Sets or deletes one file in the Workspace, after any read of it asked for earlier. */
  private read(uri: vscode.Uri, fromDisk: boolean): Promise<void> {
    const key = uri.toString();
    const next = (this.reading.get(key) ?? Promise.resolve()).then(async () => {
      const input = await this.currentInput(uri, fromDisk);
      if (input?.configDirFiles) this.listings.set(key, input.configDirFiles);
      else this.listings.delete(key);
      if (input) this.workspace.setFile(key, input.text, { kind: input.kind, byteLength: input.byteLength, configDirFiles: input.configDirFiles });
      else this.workspace.deleteFile(key);
    });
    this.reading.set(key, next);
    void next.finally(() => {
      if (this.reading.get(key) === next) this.reading.delete(key);
    });
    return next;
  }

  /** An editor opened on a file (or open at start-up): its text is held at once, and published after a read. */
  opened(d: vscode.TextDocument): void {
    if (!ConfigDiagnostics.handlesDocument(d)) return;
    this.setFromEditor(d);
    this.schedule(d.uri);
  }

  /**
   * Hands an editor's text to the Workspace at once (a live run may start before the next read), with the
   * files next to it as last read; the read that follows publishes.
   */
  private setFromEditor(d: vscode.TextDocument): void {
    const key = d.uri.toString();
    const text = d.getText();
    this.workspace.setFile(key, text, { kind: configKindOfLanguage(d.languageId), byteLength: text.length, configDirFiles: this.listings.get(key) });
  }

  /** The file as the user sees it (an open editor's text wins over the disk's); undefined: not configuration to hold. */
  private async currentInput(uri: vscode.Uri, fromDisk: boolean): Promise<LintInput | undefined> {
    const doc = this.sources.openDocument(uri);
    const wanted = doc ? ConfigDiagnostics.handlesDocument(doc) : (fromDisk || this.workspaceFiles.has(uri.toString())) && ConfigDiagnostics.handles(uri);
    const input = wanted ? await this.sources.read(uri) : undefined;
    // Over its source's cap a file is not configuration to hold; over the overall cap its source says why it skips it.
    const cap = input && sourceOf({ file: uri.path, kind: input.kind })?.maxFileBytes;
    if (!input || (cap !== undefined && (input.byteLength ?? input.text.length) > cap)) return undefined;
    // The files next to it, where its source compares against them (a main.cf: postfix/map-not-built).
    return (await this.sources.withConfigDirFiles([input]))[0];
  }

  /** Publishes the Workspace's findings: fires for the files whose findings are not the same as before. */
  private publish(): void {
    const result = this.workspace.result();
    const byFile = new Map<string, Finding[]>();
    for (const f of result.findings) {
      const list = byFile.get(f.file);
      if (list) list.push(f);
      else byFile.set(f.file, [f]);
    }
    const touched = [...new Set([...this.findingsByUri.keys(), ...byFile.keys()])].filter((file) => !sameFindings(this.findingsByUri.get(file), byFile.get(file)));
    this.findingsByUri = byFile;
    this.endpointList = result.endpoints;
    if (touched.length) this.findingsChanged.fire(touched);
    this.changed.fire();
  }

  /** The held files next to `uri` that were read with the files beside them: what a change among those files changes. */
  private withListingIn(uri: vscode.Uri): vscode.Uri[] {
    const folder = groupKeyOf(uri);
    return this.workspace
      .heldFiles()
      .map((f) => f.configDirFiles && vscode.Uri.parse(f.file))
      .filter((u): u is vscode.Uri => !!u && groupKeyOf(u) === folder);
  }

  /** Wires editor and file-system events; returns what must be disposed. */
  watch(): vscode.Disposable[] {
    // A file saved beside one read with its folder's listing, or one its source names (a lookup table's
    // database written by postmap), changes what that file's checks say.
    const onListingChange = (uri: vscode.Uri) => {
      for (const u of this.withListingIn(uri)) this.schedule(u, 300);
    };
    const listingWatchers = FOLDER_LISTING_GLOBS.map((glob) => vscode.workspace.createFileSystemWatcher(glob));
    return [
      ...listingWatchers.flatMap((w) => [w, w.onDidCreate(onListingChange), w.onDidChange(onListingChange), w.onDidDelete(onListingChange)]),
      vscode.workspace.onDidOpenTextDocument((d) => this.opened(d)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0 || !ConfigDiagnostics.handlesDocument(e.document)) return;
        this.setFromEditor(e.document);
        const cfg = this.config();
        if (cfg.lintOnType) this.schedule(e.document.uri, cfg.lintDelayMs);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (ConfigDiagnostics.handlesDocument(d)) this.schedule(d.uri);
        for (const u of this.withListingIn(d.uri)) this.schedule(u);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        // A workspace file goes back to what is on disk; any other file leaves with its editor.
        if (ConfigDiagnostics.handlesDocument(d) || this.workspace.has(d.uri.toString())) this.schedule(d.uri);
      }),
    ];
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.changed.dispose();
    this.findingsChanged.dispose();
  }
}
