import * as vscode from 'vscode';
import { MAX_APP_FILE_BYTES } from '../core/check';
import type { Workspace } from '../core/engine/workspace';
import type { Endpoint, Finding } from '../core/model';
import { diskModuleLoader } from '../core/fileWalk';
import { POSTFIX_SOURCE } from '../core/sources/postfix/source';
import { sourceOf } from '../core/sources/registry';
import type { ConfigSource } from '../core/sources/source';
import type { SmtpDoctorConfig } from './config';

/** Every source but Postfix, whose files PostfixDiagnostics reads by folder and by the editor's language. */
const isFileBySource = (source: ConfigSource | undefined) => source !== undefined && source !== POSTFIX_SOURCE;

/**
 * Diagnostics for the files of every configuration source but Postfix: application mail settings
 * (nodemailer in JS/TS, JSON/YAML configs, .env files), DKIM signing setups, and any source the registry
 * adds. Hands their texts to the engine Workspace, which re-reads what a change reaches (for application
 * settings: the file, and the rules over all transports, since process.env values in one file depend on
 * .env files).
 */
export class AppDiagnostics implements vscode.Disposable {
  /** Files the workspace scan found (kept after their editor closes). */
  readonly workspaceFiles = new Set<string>();
  private findingsByUri = new Map<string, Finding[]>();
  private endpointList: Endpoint[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidUpdate = this.changed.event;
  private readonly findingsChanged = new vscode.EventEmitter<readonly string[]>();
  /** The files (URI strings) whose findings changed, for the one publisher of diagnostics. */
  readonly onDidChangeFindings = this.findingsChanged.event;

  constructor(
    private readonly config: () => SmtpDoctorConfig,
    private readonly workspace: Workspace,
  ) {}

  static handles(uri: vscode.Uri): boolean {
    return isFileBySource(sourceOf({ file: uri.path })) && !/\/(node_modules|\.git)\//.test(uri.path);
  }

  findingsFor(uri: vscode.Uri): readonly Finding[] {
    return this.findingsByUri.get(uri.toString()) ?? [];
  }

  allFindings(): Finding[] {
    return [...this.findingsByUri.values()].flat();
  }

  /** Files that hold a transport or a finding, as URI strings. */
  filesWithResults(): string[] {
    return [...new Set([...this.findingsByUri.keys(), ...this.endpointList.map((e) => e.file)])];
  }

  /** Every file that may hold a transport (and every .env file), and the other sources' files, as last seen. */
  files(): { file: string; text: string }[] {
    return this.workspace.heldFiles(isFileBySource).map(({ file, text }) => ({ file, text }));
  }

  get endpoints(): readonly Endpoint[] {
    return this.endpointList;
  }

  /** Records a file's current text (dropping it when it no longer may hold a transport). */
  update(uri: vscode.Uri, text: string | undefined): boolean {
    const key = uri.toString();
    // A Postfix file is PostfixDiagnostics' to set and delete.
    if (this.workspace.sourceOfFile(key) === POSTFIX_SOURCE) return false;
    const before = this.workspace.has(key) ? this.workspace.textOf(key) : undefined;
    if (text === undefined) this.workspace.deleteFile(key);
    else this.workspace.setFile(key, text);
    const after = this.workspace.has(key) ? this.workspace.textOf(key) : undefined;
    return before !== after;
  }

  /** Reads a file from disk (workspace scan, watcher) unless an open editor holds it. */
  async updateFromDisk(uri: vscode.Uri): Promise<boolean> {
    const isOpen = () => vscode.workspace.textDocuments.some((d) => !d.isClosed && d.uri.toString() === uri.toString());
    if (isOpen()) return false;
    let text: string | undefined;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      text = stat.size > MAX_APP_FILE_BYTES ? undefined : new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      text = undefined;
    }
    // An editor opened while we read: its text (already recorded) wins over the disk's.
    if (isOpen()) return false;
    return this.update(uri, text);
  }

  /** A module a script imports (its config): an editor's or a scanned text, else the file on disk (file: URIs only). */
  readModule(id: string): { file: string; text: string } | undefined {
    const held = (this.workspace.has(id) ? this.workspace.textOf(id) : undefined) ?? vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === id)?.getText();
    if (held !== undefined) return { file: id, text: held };
    const uri = vscode.Uri.parse(id);
    if (uri.scheme !== 'file') return undefined;
    const found = diskModuleLoader(uri.fsPath);
    return found && { file: id, text: found.text };
  }

  schedule(delayMs = 0): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.lintNow(), delayMs);
  }

  lintNow(): void {
    clearTimeout(this.timer);
    // Suppressions, the test-scope cap and severity overrides are the engine's (the settings the extension gave it).
    const result = this.workspace.result();
    const findings = result.findings.filter((f) => this.workspace.sourceOfFile(f.file) !== POSTFIX_SOURCE);
    const byFile = new Map<string, Finding[]>();
    for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    const touched = [...new Set([...this.findingsByUri.keys(), ...byFile.keys()])];
    this.findingsByUri = byFile;
    this.findingsChanged.fire(touched);
    this.endpointList = result.endpoints.filter((e) => this.workspace.sourceOfFile(e.file) !== POSTFIX_SOURCE);
    this.changed.fire();
  }

  /** Editor events: typing, opening and closing application files. */
  watch(): vscode.Disposable[] {
    return [
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (AppDiagnostics.handles(d.uri) && this.update(d.uri, d.getText())) this.schedule();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!AppDiagnostics.handles(e.document.uri) || e.contentChanges.length === 0) return;
        const cfg = this.config();
        if (this.update(e.document.uri, e.document.getText()) && cfg.lintOnType) this.schedule(cfg.lintDelayMs);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (!AppDiagnostics.handles(d.uri)) return;
        // A workspace file goes back to what is on disk; any other file leaves with its editor.
        if (this.workspaceFiles.has(d.uri.toString())) void this.updateFromDisk(d.uri).then((changed) => changed && this.schedule());
        else this.forget(d.uri);
      }),
    ];
  }

  forget(uri: vscode.Uri): void {
    this.workspaceFiles.delete(uri.toString());
    // A file deleted or renamed on disk while an editor holds it stays as the editor shows it.
    const open = vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === uri.toString());
    if (this.update(uri, open?.getText())) this.schedule(100);
  }

  /** Forgets every file under a deleted folder. */
  forgetUnder(folder: vscode.Uri): void {
    const prefix = folder.toString() + '/';
    let changed = false;
    for (const key of [...this.workspaceFiles]) if (key.startsWith(prefix)) this.workspaceFiles.delete(key);
    for (const { file: key } of this.workspace.heldFiles(isFileBySource)) if (key.startsWith(prefix)) changed = this.update(vscode.Uri.parse(key), undefined) || changed;
    if (changed) this.schedule(100);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
    this.findingsChanged.dispose();
  }
}
