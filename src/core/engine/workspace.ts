// The static half of the engine: every configuration file a front end knows, its settings and project file
// in, findings (after suppressions, the test-scope cap and severity overrides), endpoints and what the live
// checks start from out. The CLI and the editor both ask it; neither re-assembles the pipeline.
//
// What a change recomputes:
// - setFile/deleteFile of a Postfix file: that folder's Postfix lint (main.cf, master.cf and their
//   templates are grouped within one folder, so folders are independent); other folders keep theirs.
// - setFile/deleteFile of an application file: the transports of that file are extracted again; the
//   other files' extractions are reused unless a .env or project manifest changed (lintAppFiles' cache).
//   The transport rules and DKIM selectors run again over all transports (they compare transports).
// - setSettings / setProjectConfig: every Postfix folder (the release may differ) and the transport rules;
//   extractions are kept unless the module loader changed.
// - The finding policy (suppressions, cap, overrides) is applied with each of those, to that folder's or
//   the application files' findings only (a finding's suppression comments are in its own file, which
//   belongs to the same part). result() without a change in between returns the same value.
import { isAppConfigPath, isProjectManifest, lintAppFiles, mayHoldAppTransport, type AppLintResult, type TransportCache } from '../appLint';
import { type CheckResult, checkStreamed } from '../check';
import { type ConfigKind, configKindOfPath } from '../discover';
import { type DkimSelector, findDkimSelectors, isDkimConfigPath } from '../sources/dkimSigning/selectors';
import { MAX_APP_FILE_BYTES } from '../limits';
import type { Endpoint, Finding } from '../model';
import type { ModuleLoader } from '../sources/app/scriptModuleAnalysis';
import type { ConfigDirFiles, PostfixInstance } from '../sources/postfix/instance';
import type { ProjectConfig } from '../projectConfig';
import { type LintInput, SKIPPED_FILE_RULE, lintPostfixGroups } from '../workspaceLint';
import { type SeverityOverrides, applyFindingPolicy } from './findingPolicy';
import { type PostfixRelease, projectRelease, releaseOver, severitiesOver } from './settingsPrecedence';
import { selectorsFromTransports } from '../sources/app/dkimOption';

/** What a front end knows about a file besides its text. */
export interface FileMeta {
  /** How to read it regardless of its name (the language the editor has for it). */
  readonly kind?: ConfigKind;
  /** Its size on disk, when the text given is not all of it (too large to read). */
  readonly byteLength?: number;
  /** Named by the user: if it is not checked, a finding says why. */
  readonly explicit?: boolean;
  /** On a main.cf: the files next to it with their modification times (postfix/map-not-built). */
  readonly configDirFiles?: ConfigDirFiles;
}

export type { PostfixRelease };

export interface WorkspaceSettings {
  /** Severities set by the user; on top of the project file's. */
  readonly severityOverrides?: SeverityOverrides;
  /** The Postfix release for all folders, or per folder (the folder of a main.cf); else the project file's. */
  readonly postfixRelease?: PostfixRelease | ((folder: string) => PostfixRelease | undefined);
  /** A file's path inside the folder checked, for the test-scope cap; left out, nothing is capped. */
  readonly relativePath?: (file: string) => string | undefined;
  /** How scripts' imports are read; left out, among the files set. */
  readonly moduleLoader?: ModuleLoader;
  /** A file's text when the workspace does not hold it (the CLI reads it again), for suppression comments. */
  readonly readText?: (file: string) => string | undefined;
}

export interface WorkspaceResult extends CheckResult {
  /** How many files were read as configuration. */
  readonly checkedFiles: number;
}

/** A file named on the command line that no application reader takes is read as Postfix (it then says why it is skipped). */
export function isPostfixInput(f: LintInput): boolean {
  return Boolean(f.kind || configKindOfPath(f.file) || (f.explicit && !isAppConfigPath(f.file)));
}

/** Whether an application file counts as checked: manifests and lockfiles only inform the others. */
const countsAsChecked = (file: string) => !isProjectManifest(file);

/** The folder Postfix files are grouped by; an editor's unsaved buffer (untitled:) has none and stands alone. */
export function folderOf(path: string): string {
  if (path.startsWith('untitled:')) return path;
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? '' : path.slice(0, i);
}

interface PostfixFolderResult {
  readonly findings: Finding[];
  readonly endpoints: Endpoint[];
  readonly instances: PostfixInstance[];
  readonly checkedFiles: number;
}

/** Postfix findings of one folder's files, and how many of them were read as Postfix. */
export function lintPostfixFolder(files: readonly LintInput[], release: PostfixRelease | undefined): PostfixFolderResult {
  const linted = lintPostfixGroups(files, { postfixVersion: release });
  // A file that is Postfix only because it was named, and turned out not to be, says why and is not counted.
  const skipped = new Set(linted.findings.filter((f) => f.ruleId === SKIPPED_FILE_RULE.id).map((f) => f.file));
  const checkedFiles = files.filter((f) => configKindOfPath(f.file) || !skipped.has(f.file)).length;
  return { ...linted, checkedFiles };
}

export class Workspace {
  /** Postfix files by folder; a folder's lint is cached until one of its files or the settings change. */
  private readonly postfixFolders = new Map<string, Map<string, LintInput>>();
  private readonly postfixResults = new Map<string, PostfixFolderResult>();
  /** Application files (scripts, JSON/YAML, .env, manifests, DKIM signing configs) that may hold a transport. */
  private readonly appFiles = new Map<string, string>();
  private readonly transportCache: TransportCache = new Map();
  private appResult: { readonly lint: AppLintResult; readonly dkimSelectors: DkimSelector[] } | undefined;
  private settings: WorkspaceSettings = {};
  private project: { readonly config: ProjectConfig; readonly text?: string } | undefined;
  private cached: WorkspaceResult | undefined;

  /**
   * Records a file's current text. A file that is neither Postfix nor an application file that may hold
   * a transport (too large, binary, no mail words) is dropped, as if deleted.
   */
  setFile(path: string, text: string, meta: FileMeta = {}): void {
    const input: LintInput = { file: path, text, ...meta };
    if (isPostfixInput(input)) {
      this.deleteApp(path);
      const folder = folderOf(path);
      const files = this.postfixFolders.get(folder) ?? new Map<string, LintInput>();
      const old = files.get(path);
      if (old && sameInput(old, input)) return;
      files.set(path, input);
      this.postfixFolders.set(folder, files);
      this.postfixChanged(folder);
      return;
    }
    this.deletePostfix(path);
    const size = meta.byteLength ?? text.length;
    if (!isAppConfigPath(path) || size > MAX_APP_FILE_BYTES || text.slice(0, 8192).includes('\u0000') || !mayHoldAppTransport(path, text)) {
      this.deleteApp(path);
      return;
    }
    if (this.appFiles.get(path) === text) return;
    this.appFiles.set(path, text);
    this.appChanged();
  }

  deleteFile(path: string): void {
    this.deletePostfix(path);
    this.deleteApp(path);
  }

  /** Whether the workspace holds this file (it was set and is read as configuration). */
  has(path: string): boolean {
    return this.appFiles.has(path) || this.isPostfixFile(path);
  }

  /** Whether the workspace holds this file as Postfix configuration. */
  isPostfixFile(path: string): boolean {
    return this.postfixFolders.get(folderOf(path))?.has(path) ?? false;
  }

  /** The current text of a file: as held, else as the settings' readText gives it. */
  textOf(path: string): string | undefined {
    if (this.project && path === this.project.config.file && this.project.text !== undefined) return this.project.text;
    return this.appFiles.get(path) ?? this.postfixFolders.get(folderOf(path))?.get(path)?.text ?? this.settings.readText?.(path);
  }

  /** Application files held, with their texts (what the live checks read their targets' lines from). */
  appSourceFiles(): { file: string; text: string }[] {
    return [...this.appFiles].map(([file, text]) => ({ file, text }));
  }

  /**
   * The project file (.smtpdoctor.yaml): its severities apply under the settings', its Postfix release
   * where the settings name none, and what is wrong in it is part of the findings. `text` is read for
   * suppression comments.
   */
  setProjectConfig(config: ProjectConfig | undefined, text?: string): void {
    this.project = config && { config, text };
    this.invalidateAll();
  }

  setSettings(settings: WorkspaceSettings): void {
    if (settings.moduleLoader !== this.settings.moduleLoader) {
      this.transportCache.clear();
      this.appResult = undefined;
    }
    this.settings = settings;
    this.invalidateAll();
  }

  /** The severities that apply to a file: the project file's, then the settings' on top. */
  severityOverridesFor(file: string) {
    const own = this.settings.severityOverrides;
    return severitiesOver(this.project?.config.rules, typeof own === 'function' ? own(file) : own);
  }

  result(): WorkspaceResult {
    if (this.cached) return this.cached;
    const postfix = [...this.postfixFolders.keys()].map((folder) => this.postfixFolder(folder));
    const app = this.app();
    this.cached = this.assemble(postfix, app.lint, app.dkimSelectors, [...this.appFiles.keys()].filter(countsAsChecked).length);
    return this.cached;
  }

  /**
   * The result of the files given, for workspaces too big to hold: `eager` (Postfix, .env, manifests,
   * lockfiles, DKIM signing configs) whole, `candidates` (scripts, JSON/YAML) read one at a time through
   * `read` and dropped once checked. The settings and project file apply; the files set are not part of
   * it, and nothing of these files is kept.
   */
  checkStreamed(
    eager: readonly LintInput[],
    candidates: readonly { readonly file: string; readonly size: number }[],
    read: (file: string, sniff: (text: string) => boolean) => string | undefined,
  ): WorkspaceResult {
    const folders = new Map<string, LintInput[]>();
    for (const f of eager.filter(isPostfixInput)) folders.set(folderOf(f.file), [...(folders.get(folderOf(f.file)) ?? []), f]);
    const postfix = [...folders].map(([folder, files]) => {
      const linted = lintPostfixFolder(files, this.postfixReleaseFor(folder));
      return { ...linted, findings: this.applyPolicy(linted.findings) };
    });
    const app = checkStreamed(eager.filter((f) => !isPostfixInput(f)), candidates, read, this.settings.moduleLoader);
    return this.assemble(postfix, { ...app, findings: this.applyPolicy(app.findings) }, app.dkimSelectors, app.checkedFiles);
  }

  /** Findings (live ones, too) after suppressions, the test-scope cap and severity overrides. */
  applyPolicy(findings: readonly Finding[]): Finding[] {
    return applyFindingPolicy(findings, {
      textOf: (file) => this.textOf(file),
      relativePath: this.settings.relativePath,
      severityOverrides: (file) => this.severityOverridesFor(file),
    });
  }

  /** One result from parts whose findings already went through the policy. */
  private assemble(postfix: readonly PostfixFolderResult[], app: AppLintResult, dkimSelectors: DkimSelector[], appCheckedFiles: number): WorkspaceResult {
    return {
      findings: [...this.applyPolicy(this.project?.config.findings ?? []), ...postfix.flatMap((p) => p.findings), ...app.findings],
      endpoints: [...postfix.flatMap((p) => p.endpoints), ...app.endpoints],
      postfixInstances: postfix.flatMap((p) => p.instances),
      transports: app.transports,
      dkimSelectors,
      checkedFiles: postfix.reduce((n, p) => n + p.checkedFiles, 0) + appCheckedFiles,
    };
  }

  /** The release for a folder: the settings', else the project file's. */
  postfixReleaseFor(folder: string): PostfixRelease | undefined {
    const own = this.settings.postfixRelease;
    return releaseOver(projectRelease(this.project?.config), typeof own === 'function' ? own(folder) : own);
  }

  private postfixFolder(folder: string): PostfixFolderResult {
    let r = this.postfixResults.get(folder);
    if (!r) {
      const linted = lintPostfixFolder([...(this.postfixFolders.get(folder)?.values() ?? [])], this.postfixReleaseFor(folder));
      r = { ...linted, findings: this.applyPolicy(linted.findings) };
      this.postfixResults.set(folder, r);
    }
    return r;
  }

  private app(): { readonly lint: AppLintResult; readonly dkimSelectors: DkimSelector[] } {
    if (!this.appResult) {
      const files = this.appSourceFiles();
      const linted = lintAppFiles(files, this.transportCache, this.settings.moduleLoader);
      const lint = { ...linted, findings: this.applyPolicy(linted.findings) };
      for (const file of this.transportCache.keys()) if (!this.appFiles.has(file)) this.transportCache.delete(file);
      this.appResult = { lint, dkimSelectors: findDkimSelectors(files.filter((f) => isDkimConfigPath(f.file)), selectorsFromTransports(lint.transports)) };
    }
    return this.appResult;
  }

  private deletePostfix(path: string): void {
    const folder = folderOf(path);
    const files = this.postfixFolders.get(folder);
    if (!files?.delete(path)) return;
    if (files.size === 0) this.postfixFolders.delete(folder);
    this.postfixChanged(folder);
  }

  private deleteApp(path: string): void {
    if (!this.appFiles.delete(path)) return;
    this.transportCache.delete(path);
    this.appChanged();
  }

  private postfixChanged(folder: string): void {
    this.postfixResults.delete(folder);
    this.cached = undefined;
  }

  private appChanged(): void {
    this.appResult = undefined;
    this.cached = undefined;
  }

  private invalidateAll(): void {
    this.postfixResults.clear();
    this.appResult = undefined;
    this.cached = undefined;
  }
}

function sameInput(a: LintInput, b: LintInput): boolean {
  return a.text === b.text && a.kind === b.kind && a.byteLength === b.byteLength && a.explicit === b.explicit && sameDirFiles(a.configDirFiles, b.configDirFiles);
}

function sameDirFiles(a: ConfigDirFiles | undefined, b: ConfigDirFiles | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.size !== b.size) return false;
  for (const [name, entry] of a) if (b.get(name)?.mtimeMs !== entry.mtimeMs) return false;
  return true;
}
