import * as vscode from 'vscode';
import { configKindOfPath } from '../core/discover';
import type { Workspace } from '../core/engine/workspace';
import type { Endpoint, Finding } from '../core/model';
import { POSTFIX_SOURCE } from '../core/sources/postfix/source';
import type { LintInput } from '../core/workspaceLint';
import type { SmtpDoctorConfig } from './config';
import { type ConfigSources, groupKeyOf } from './configSources';
import { configKindOfLanguage } from './languages';

/**
 * Keeps the Problems view in step with the static rules: hands a folder's Postfix files to the engine
 * Workspace whenever one of them is opened, typed in, saved, created or deleted, and keeps what it finds.
 */
export class PostfixDiagnostics implements vscode.Disposable {
  private readonly findingsByUri = new Map<string, Finding[]>();
  private readonly urisByGroup = new Map<string, Set<string>>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after any group was re-linted. */
  readonly onDidUpdate = this.changed.event;
  private readonly findingsChanged = new vscode.EventEmitter<readonly string[]>();
  /** The files (URI strings) whose findings changed, for the one publisher of diagnostics. */
  readonly onDidChangeFindings = this.findingsChanged.event;

  constructor(
    private readonly sources: ConfigSources,
    private readonly config: () => SmtpDoctorConfig,
    private readonly workspace: Workspace,
  ) {}

  /** Findings last computed for a file (for quick fixes). */
  findingsFor(uri: vscode.Uri): readonly Finding[] {
    return this.findingsByUri.get(uri.toString()) ?? [];
  }

  allFindings(): Finding[] {
    return [...this.findingsByUri.values()].flat();
  }

  /** Files with Postfix diagnostics state (with or without findings), as URI strings. */
  files(): string[] {
    return [...this.findingsByUri.keys()];
  }

  /** The relayhost endpoints of every Postfix configuration linted so far. */
  endpoints(): Endpoint[] {
    return this.workspace.result().endpoints.filter((e) => this.workspace.sourceOfFile(e.file) === POSTFIX_SOURCE);
  }

  /** Re-lints the folder of `uri` after `delayMs` (coalescing bursts of keystrokes). */
  schedule(uri: vscode.Uri, delayMs = 0): void {
    const key = groupKeyOf(uri);
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.lintGroup(key);
      }, delayMs),
    );
  }

  /** Lints one folder's files now; concurrent requests for a folder run one after another. */
  lintGroup(groupKey: string): Promise<void> {
    const previous = this.running.get(groupKey) ?? Promise.resolve();
    const next = previous.then(() => this.doLintGroup(groupKey));
    this.running.set(groupKey, next);
    void next.finally(() => {
      if (this.running.get(groupKey) === next) this.running.delete(groupKey);
    });
    return next;
  }

  async lintAll(groupKeys: Iterable<string>): Promise<void> {
    await Promise.all([...new Set(groupKeys)].map((k) => this.lintGroup(k)));
  }

  /** Removes a file's diagnostics (closed, deleted or no longer a config). */
  forget(uri: vscode.Uri): void {
    if (this.findingsByUri.delete(uri.toString())) this.findingsChanged.fire([uri.toString()]);
  }

  private async doLintGroup(groupKey: string): Promise<void> {
    const members = this.sources.membersOf(groupKey);
    const read = (await Promise.all(members.map((u) => this.sources.read(u)))).filter((x): x is LintInput => !!x);
    // The files next to main.cf (for postfix/map-not-built) are listed here: the lint itself reads no disk.
    const inputs = await this.sources.withConfigDirFiles(read);
    // Only what reads as Postfix goes to the engine (a file of another kind in the folder is not this class's).
    const postfix = inputs.filter((i) => i.kind ?? configKindOfPath(i.file));
    const current = new Set(postfix.map((i) => i.file));
    for (const old of this.urisByGroup.get(groupKey) ?? []) if (!current.has(old) && this.workspace.sourceOfFile(old) === POSTFIX_SOURCE) this.workspace.deleteFile(old);
    for (const i of postfix) this.workspace.setFile(i.file, i.text, { kind: i.kind, byteLength: i.byteLength, configDirFiles: i.configDirFiles });
    const findings = this.workspace.result().findings;
    const byFile = new Map<string, Finding[]>(inputs.map((i) => [i.file, []]));
    for (const f of findings) byFile.get(f.file)?.push(f);

    for (const old of this.urisByGroup.get(groupKey) ?? []) {
      if (!byFile.has(old)) this.forget(vscode.Uri.parse(old));
    }
    this.urisByGroup.set(groupKey, new Set(byFile.keys()));
    for (const [file, list] of byFile) this.findingsByUri.set(file, list);
    this.findingsChanged.fire([...byFile.keys()]);
    this.changed.fire();
  }

  /** Wires editor and file-system events; returns what must be disposed. */
  watch(): vscode.Disposable[] {
    const isPostfixDoc = (d: vscode.TextDocument) => !!configKindOfLanguage(d.languageId);
    // A lookup table's text saved, or its database written by postmap, changes what postfix/map-not-built says.
    const linted = (uri: vscode.Uri) => (this.urisByGroup.get(groupKeyOf(uri))?.size ?? 0) > 0;
    const databases = vscode.workspace.createFileSystemWatcher('**/*.{db,lmdb,cdb,dir,pag}');
    const onDatabase = (uri: vscode.Uri) => {
      if (linted(uri)) this.schedule(uri, 300);
    };
    return [
      databases,
      databases.onDidCreate(onDatabase),
      databases.onDidChange(onDatabase),
      databases.onDidDelete(onDatabase),
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (isPostfixDoc(d)) this.schedule(d.uri);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!isPostfixDoc(e.document) || e.contentChanges.length === 0) return;
        const cfg = this.config();
        if (cfg.lintOnType) this.schedule(e.document.uri, cfg.lintDelayMs);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (isPostfixDoc(d) || linted(d.uri)) this.schedule(d.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (!isPostfixDoc(d) && !this.findingsByUri.has(d.uri.toString())) return;
        // A file outside the workspace scan has nobody left to show it: drop its problems.
        if (!this.sources.workspaceFiles.has(d.uri.toString())) this.forget(d.uri);
        this.schedule(d.uri);
      }),
    ];
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.changed.dispose();
    this.findingsChanged.dispose();
  }
}
