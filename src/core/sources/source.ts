// A configuration language as one value: which files are its own (globs for the editor's search, a name test
// and a content sniff), and how its files become findings, endpoints and what the live checks start from.
// The registry (registry.ts) lists every source; nothing else names them.
import type { DkimSelector } from '../dkimSelector';
import type { ModuleLoader } from './app/scriptModuleAnalysis';
import type { Endpoint, Finding, RuleMeta, SourceFile } from '../model';
import type { TransportDefinition } from './app/transport';
import type { PostfixInstance } from './postfix/instance';
import type { LintInput, PostfixLintOptions } from '../workspaceLint';

/** The parsed models the live checks start from (collectLiveTargets' inputs), one list per kind of model. */
export interface LiveTargetInputs {
  readonly postfixInstances: PostfixInstance[];
  readonly transports: TransportDefinition[];
  /** DKIM selectors the signing setups use; dkimTargets() makes live targets of them. */
  readonly dkimSelectors: DkimSelector[];
}

/** What one source adds to a check; the check concatenates the contributions in registry order. */
export interface SourceContribution extends Partial<LiveTargetInputs> {
  readonly findings: readonly Finding[];
  readonly endpoints: readonly Endpoint[];
  /** How many of its files were read as configuration (the CLI's "checked N files"). */
  readonly checkedFiles: number;
}

/** What a check hands every source: run options and a module loader for scripts. */
export interface SourceContext {
  readonly options: PostfixLintOptions;
  /** Reads a module a script imports; absent: the modules among the files the source is opened with. */
  readonly loader?: ModuleLoader;
}

/**
 * One check over a source's files. It is opened with the files every other file depends on (read up front),
 * may be fed further files one at a time (`add`, which keeps none it does not need, so memory does not grow
 * with the workspace), and is finished once, after the sources before it in the registry.
 */
export interface SourceCheck {
  add?(file: SourceFile): void;
  finish(earlier: LiveTargetInputs): SourceContribution;
}

/** What the engine Workspace hands a source's held files when it asks for their contribution. */
export interface WorkspaceSourceContext {
  /** Run options for the files of one folder (the editor may name a Postfix release per folder). */
  optionsFor(folder: string): PostfixLintOptions;
  /** Run options where no folder is meant: the settings' own, else the project file's. */
  readonly options: PostfixLintOptions;
  /** Reads a module a script imports; absent: among the files held. */
  readonly loader?: ModuleLoader;
}

/**
 * A source's files held between changes, for the engine Workspace (the editor checks again at each
 * keystroke). The Workspace gives it every file the registry gives the source, and asks for its
 * contribution in parts: a part that is the same object as last time is reused as it is (the finding
 * policy is applied once per part), so a source re-reads only what a change reaches.
 */
export interface SourceWorkspace {
  /** Records a file's text; not held (no settings in it, too large) counts as deleted. */
  setFile(file: LintInput): { readonly held: boolean; readonly changed: boolean };
  /** Forgets a file; false when it was not held. */
  deleteFile(path: string): boolean;
  /** A file held, as last set. */
  get(path: string): LintInput | undefined;
  /** Every file held. */
  files(): LintInput[];
  /** The contribution in parts; `earlier` holds the models of the sources before it in the registry. */
  result(context: WorkspaceSourceContext, earlier: LiveTargetInputs): readonly SourceContribution[];
  /** The settings or the project file changed: no part is reused (nor anything read through the old module loader). */
  reset(loaderChanged: boolean): void;
}

/** A language the editor knows the source's files by (package.json contributes.languages). */
export interface EditorLanguage {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly filenames: readonly string[];
  readonly filenamePatterns: readonly string[];
}

/**
 * Files checked against the files beside them (their names and modification times): a front end lists their
 * folder for them (FileMeta.configDirFiles), since no source reads the disk.
 */
export interface FolderListing {
  /** Whether this file's check reads the listing of its folder. */
  isFor(file: Pick<LintInput, 'file' | 'kind'>): boolean;
  /** A glob of the files whose creation, change or deletion changes what the listing tells (the editor watches them). */
  readonly changedBy: string;
}

export interface ScanReading {
  readonly upFront: boolean;
  /** Larger files are left out (unset: read whatever the size; the source says why it skips a huge one). */
  readonly maxBytes?: number;
}

export interface ConfigSource {
  /** Short stable name: 'postfix', 'app', 'dkim-signing', 'project'. */
  readonly id: string;
  /**
   * Where its files are found: 'workspace' by the workspace scan (its globs join smtpDoctor.include and the
   * file watchers), 'project-root' at a workspace folder's root or a checked path's folder and above.
   */
  readonly discovery: 'workspace' | 'project-root';
  /** Glob patterns (VS Code / minimatch) of the files it reads. */
  readonly globs: readonly string[];
  /** Metadata of the rules its findings come from (docs, SARIF, settings, the project file's rule ids). */
  readonly rules: readonly RuleMeta[];
  /** What the editor contributes for it (package.json is generated from these and a test holds them equal). */
  readonly editor: {
    /** Languages the source defines. */
    readonly languages: readonly EditorLanguage[];
    /** Existing editor languages its files may be open in (document selectors for quick fixes). */
    readonly documentLanguages: readonly string[];
    readonly activationEvents: readonly string[];
  };
  /**
   * Whether a file is one of its own, by name alone or by the kind the caller forces (the editor's language);
   * a file an earlier source in the registry claims is not offered.
   */
  claims(file: Pick<LintInput, 'file' | 'kind'>): boolean;
  /** Name and content: whether a claimed file may hold settings, decided without parsing (keeps big workspaces cheap). */
  recognise(path: string, text: string): boolean;
  /**
   * How the streamed workspace scan reads a file by this name (it may list files the checks do not claim,
   * such as lockfiles): up front (every other file depends on it) or one at a time through `recognise` and
   * `add`, and up to what size; undefined: not at all.
   */
  scanReading(path: string): ScanReading | undefined;
  /** Files over this size, or binary, are left out before the source sees them (none: it says why itself). */
  readonly maxFileBytes?: number;
  /** Whether a file named on the command line that no source claims is given to this source (which says why it skips it). */
  readonly takesUnclaimedExplicitFiles?: boolean;
  /**
   * Whether the editor's results list each of its files even with nothing found in it: a main.cf is mail
   * configuration by itself, a script only where it defines a transport (unset: only files with results).
   */
  readonly listsFilesWithoutResults?: boolean;
  /** Which of its files are checked against the files beside them (a main.cf against its lookup tables' databases). */
  readonly folderListing?: FolderListing;
  open(upFront: readonly LintInput[], context: SourceContext): SourceCheck;
  /**
   * Its files held for the engine Workspace, checked again only where a change reaches (Postfix: the
   * folder; application settings: the file, or all when a .env file or manifest changed). Without it the
   * Workspace holds the files the source recognises and runs `open`/`finish` over all of them after a change.
   */
  workspace?(): SourceWorkspace;
}
