// The static half of the engine: every configuration file a front end knows, its settings and project file
// in, findings (after suppressions, the test-scope cap and severity overrides), endpoints and what the live
// checks start from out. The CLI and the editor both ask it; neither re-assembles the pipeline. It knows no
// configuration language: each file goes to the source of the registry that reads it.
//
// What a change recomputes is the source's to say (ConfigSource.workspace): Postfix re-lints the folder
// of the file, the application settings re-extract the file (all files when a .env file or manifest
// changed) and run the transport rules again. A source without that hook is run again over all its files
// after any change to them or to a source before it. The settings and the project file reach every source.
// The finding policy (suppressions, cap, overrides) is applied once per part a source gives: a part that is
// the same object as before keeps its findings (a finding's suppression comments are in its own file, which
// belongs to the same part). result() without a change in between returns the same value.
import { CheckAssembly, type CheckResult, checkStreamed, withinLimits } from '../check';
import type { ConfigKind } from '../discover';
import type { Finding } from '../model';
import type { ModuleLoader } from '../sources/app/scriptModuleAnalysis';
import type { ConfigDirFiles } from '../sources/postfix/instance';
import type { ProjectConfig } from '../projectConfig';
import { SOURCES, readerOf } from '../sources/registry';
import type { ConfigSource, LiveTargetInputs, SourceContribution, SourceWorkspace, WorkspaceSourceContext } from '../sources/source';
import type { LintInput } from '../workspaceLint';
import { type SeverityOverrides, applyFindingPolicy } from './findingPolicy';
import { type PostfixRelease, projectRelease, releaseOver, severitiesOver } from './settingsPrecedence';

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

export interface WorkspaceOptions {
  /** The configuration languages read, in registry order; left out, the registry's (a test may add one). */
  readonly sources?: readonly ConfigSource[];
}

export class Workspace {
  private readonly sources: readonly ConfigSource[];
  /** Each source's files held, in registry order. */
  private readonly held: ReadonlyMap<ConfigSource, SourceWorkspace>;
  /** Which source holds a file. */
  private readonly holderOf = new Map<string, ConfigSource>();
  /** A part's findings after the policy; replaced when the settings or the project file change. */
  private policyApplied = new WeakMap<SourceContribution, Finding[]>();
  private settings: WorkspaceSettings = {};
  private project: { readonly config: ProjectConfig; readonly text?: string } | undefined;
  private cached: WorkspaceResult | undefined;

  constructor(options: WorkspaceOptions = {}) {
    this.sources = options.sources ?? SOURCES;
    this.held = new Map(this.sources.map((s) => [s, s.workspace?.() ?? new RecognisedFiles(s)]));
  }

  /**
   * Records a file's current text. A file that no source reads, or that its source does not keep (too large,
   * binary, no mail words), is dropped, as if deleted.
   */
  setFile(path: string, text: string, meta: FileMeta = {}): void {
    const input: LintInput = { file: path, text, ...meta };
    const source = readerOf(input, this.sources);
    const before = this.holderOf.get(path);
    if (before && before !== source) this.deleteFile(path);
    const files = source && this.held.get(source);
    if (!source || !files) return;
    const { held, changed } = files.setFile(input);
    if (held) this.holderOf.set(path, source);
    else this.holderOf.delete(path);
    if (changed) this.cached = undefined;
  }

  deleteFile(path: string): void {
    const source = this.holderOf.get(path);
    if (!source) return;
    this.holderOf.delete(path);
    if (this.held.get(source)?.deleteFile(path)) this.cached = undefined;
  }

  /** Whether the workspace holds this file (it was set and is read as configuration). */
  has(path: string): boolean {
    return this.holderOf.has(path);
  }

  /** The source that holds a file, if any. */
  sourceOfFile(path: string): ConfigSource | undefined {
    return this.holderOf.get(path);
  }

  /** The files held, with their texts, optionally only those of some sources (what the live checks read their targets' lines from). */
  heldFiles(of: (source: ConfigSource) => boolean = () => true): LintInput[] {
    return [...this.held].filter(([source]) => of(source)).flatMap(([, files]) => files.files());
  }

  /** The current text of a file: as held, else as the settings' readText gives it. */
  textOf(path: string): string | undefined {
    if (this.project && path === this.project.config.file && this.project.text !== undefined) return this.project.text;
    const source = this.holderOf.get(path);
    return (source && this.held.get(source)?.get(path)?.text) ?? this.settings.readText?.(path);
  }

  /**
   * The project file (.smtpdoctor.yaml): its severities apply under the settings', its Postfix release
   * where the settings name none, and what is wrong in it is part of the findings. `text` is read for
   * suppression comments.
   */
  setProjectConfig(config: ProjectConfig | undefined, text?: string): void {
    this.project = config && { config, text };
    this.invalidateAll(false);
  }

  setSettings(settings: WorkspaceSettings): void {
    const loaderChanged = settings.moduleLoader !== this.settings.moduleLoader;
    this.settings = settings;
    this.invalidateAll(loaderChanged);
  }

  /** The severities that apply to a file: the project file's, then the settings' on top. */
  severityOverridesFor(file: string) {
    const own = this.settings.severityOverrides;
    return severitiesOver(this.project?.config.rules, typeof own === 'function' ? own(file) : own);
  }

  result(): WorkspaceResult {
    if (this.cached) return this.cached;
    const context = this.sourceContext();
    const assembly = new CheckAssembly();
    assembly.findings.push(...this.applyPolicy(this.project?.config.findings ?? []));
    for (const files of this.held.values()) {
      for (const part of files.result(context, assembly.models)) assembly.add(part, this.partFindings(part));
    }
    this.cached = assembly.done();
    return this.cached;
  }

  /**
   * The result of the files given, for workspaces too big to hold: `eager` (files every other file depends
   * on: Postfix, .env, manifests, lockfiles, DKIM signing configs) whole, `candidates` (scripts, JSON/YAML)
   * read one at a time through `read` and dropped once checked. The settings (their release for every
   * folder, not per folder) and the project file apply; the files set are not part of it, and nothing of
   * these files is kept.
   */
  checkStreamed(
    eager: readonly LintInput[],
    candidates: readonly { readonly file: string; readonly size: number }[],
    read: (file: string, sniff: (text: string) => boolean) => string | undefined,
  ): WorkspaceResult {
    const checked = checkStreamed(eager, candidates, read, this.settings.moduleLoader, this.sourceContext().options, this.sources);
    return { ...checked, findings: [...this.applyPolicy(this.project?.config.findings ?? []), ...this.applyPolicy(checked.findings)] };
  }

  /** Findings (live ones, too) after suppressions, the test-scope cap and severity overrides. */
  applyPolicy(findings: readonly Finding[]): Finding[] {
    return applyFindingPolicy(findings, {
      textOf: (file) => this.textOf(file),
      relativePath: this.settings.relativePath,
      severityOverrides: (file) => this.severityOverridesFor(file),
    });
  }

  /** The release for a folder: the settings', else the project file's. */
  postfixReleaseFor(folder: string): PostfixRelease | undefined {
    const own = this.settings.postfixRelease;
    return releaseOver(projectRelease(this.project?.config), typeof own === 'function' ? own(folder) : own);
  }

  private sourceContext(): WorkspaceSourceContext {
    const own = this.settings.postfixRelease;
    const everywhere = releaseOver(projectRelease(this.project?.config), typeof own === 'function' ? undefined : own);
    return {
      optionsFor: (folder) => ({ postfixVersion: this.postfixReleaseFor(folder) }),
      options: { postfixVersion: everywhere },
      loader: this.settings.moduleLoader,
    };
  }

  private partFindings(part: SourceContribution): Finding[] {
    let findings = this.policyApplied.get(part);
    if (!findings) {
      findings = this.applyPolicy(part.findings);
      this.policyApplied.set(part, findings);
    }
    return findings;
  }

  private invalidateAll(loaderChanged: boolean): void {
    for (const files of this.held.values()) files.reset(loaderChanged);
    this.policyApplied = new WeakMap();
    this.cached = undefined;
  }
}

/**
 * The files of a source that gives no incremental hook: those within its size limit that it recognises,
 * run through open/finish again after a change to them, to the settings or to a source before it.
 */
class RecognisedFiles implements SourceWorkspace {
  private readonly texts = new Map<string, LintInput>();
  private last: { readonly part: SourceContribution; readonly earlier: LiveTargetInputs } | undefined;

  constructor(private readonly source: ConfigSource) {}

  setFile(file: LintInput) {
    if (!withinLimits(file, this.source) || !this.source.recognise(file.file, file.text)) return { held: false, changed: this.deleteFile(file.file) };
    const old = this.texts.get(file.file);
    if (old?.text === file.text && old.byteLength === file.byteLength) return { held: true, changed: false };
    this.texts.set(file.file, file);
    this.last = undefined;
    return { held: true, changed: true };
  }

  deleteFile(path: string): boolean {
    if (!this.texts.delete(path)) return false;
    this.last = undefined;
    return true;
  }

  get(path: string): LintInput | undefined {
    return this.texts.get(path);
  }

  files(): LintInput[] {
    return [...this.texts.values()];
  }

  result(context: WorkspaceSourceContext, earlier: LiveTargetInputs): SourceContribution[] {
    if (!this.last || !sameModels(this.last.earlier, earlier)) {
      const part = this.source.open(this.files(), { options: context.options, loader: context.loader }).finish(earlier);
      // The models as they are now: `earlier` grows as later sources add theirs.
      this.last = { part, earlier: { postfixInstances: [...earlier.postfixInstances], transports: [...earlier.transports], dkimSelectors: [...earlier.dkimSelectors] } };
    }
    return [this.last.part];
  }

  reset(): void {
    this.last = undefined;
  }
}

/** Whether two sets of models hold the same objects in the same order. */
function sameModels(a: LiveTargetInputs, b: LiveTargetInputs): boolean {
  const same = <T>(x: readonly T[], y: readonly T[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return same(a.postfixInstances, b.postfixInstances) && same(a.transports, b.transports) && same(a.dkimSelectors, b.dkimSelectors);
}
