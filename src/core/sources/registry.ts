// Every configuration language SMTP Doctor reads, in the order a check runs them: a file belongs to the first
// source that claims it, and each source is finished after the ones before it (DKIM signing reads the
// transports the application settings found). The globs, the editor's languages and activation events, what
// the workspace scan reads, the rule catalogue and what the engine Workspace holds all derive from this list;
// it is the only place that names the sources.
import { DKIM_SIGNING_SOURCE } from './dkimSigning/source';
import { APP_SETTINGS_SOURCE } from './app/source';
import { POSTFIX_SOURCE } from './postfix/source';
import { PROJECT_FILE_SOURCE } from '../projectFileSource';
import type { LintInput } from '../workspaceLint';
import type { ConfigSource, EditorLanguage, ScanReading } from './source';

export const SOURCES: readonly ConfigSource[] = [POSTFIX_SOURCE, APP_SETTINGS_SOURCE, DKIM_SIGNING_SOURCE, PROJECT_FILE_SOURCE];

/** The source a file belongs to: the first that claims it by name (or by the kind the caller forces). */
export function sourceOf(file: Pick<LintInput, 'file' | 'kind'>, sources: readonly ConfigSource[] = SOURCES): ConfigSource | undefined {
  return sources.find((s) => s.claims(file));
}

/** The source given a file named on the command line that no source claims. */
export const UNCLAIMED_EXPLICIT_FILE_SOURCE: ConfigSource | undefined = /* @__PURE__ */ SOURCES.find((s) => s.takesUnclaimedExplicitFiles);

/** The source that reads a file; a file named on the command line that no source claims goes to the one that says why it skips it. */
export function readerOf(f: Pick<LintInput, 'file' | 'kind' | 'explicit'>, sources: readonly ConfigSource[] = SOURCES): ConfigSource | undefined {
  return sourceOf(f, sources) ?? (f.explicit ? sources.find((s) => s.takesUnclaimedExplicitFiles) : undefined);
}

/** Whether a file's check reads the listing of its folder (its source's folderListing says so). */
export function readsFolderListing(file: Pick<LintInput, 'file' | 'kind'>, sources: readonly ConfigSource[] = SOURCES): boolean {
  return sourceOf(file, sources)?.folderListing?.isFor(file) === true;
}

/** Whether the checks read this path at all (by name; content is sniffed later). */
export function isCheckedPath(path: string): boolean {
  return sourceOf({ file: path }) !== undefined;
}

/** A reading with its source, made once per distinct reading a source returns (the scan asks for every file). */
const withSource = /* @__PURE__ */ new WeakMap<ScanReading, SourceReading>();

export type SourceReading = ScanReading & { readonly source: ConfigSource };

function readingOf(source: ConfigSource, reading: ScanReading): SourceReading {
  let hit = withSource.get(reading);
  if (!hit) {
    hit = { ...reading, source };
    withSource.set(reading, hit);
  }
  return hit;
}

/**
 * How the streamed workspace scan reads a file by this name, and for which source; undefined: it does not.
 * A file some source reads one at a time is streamed to it even when an earlier source would read it up
 * front (main.cf.yaml goes to the application settings).
 */
export function scanReadingOf(path: string, sources: readonly ConfigSource[] = SOURCES): SourceReading | undefined {
  let upFront: SourceReading | undefined;
  for (const source of sources) {
    const reading = source.scanReading(path);
    if (reading && !reading.upFront) return readingOf(source, reading);
    if (reading) upFront ??= readingOf(source, reading);
  }
  return upFront;
}

// The derived values are marked pure: a bundle that only walks files or reads one (the CLI's show) leaves the
// sources' parsers and linters out.
function unique(of: (source: ConfigSource) => readonly string[]): string[] {
  return [...new Set(SOURCES.flatMap(of))];
}

function workspaceGlobs(): string[] {
  return SOURCES.filter((s) => s.discovery === 'workspace').flatMap((s) => s.globs);
}

function editorLanguages(): EditorLanguage[] {
  return SOURCES.flatMap((s) => s.editor.languages);
}

/** Glob patterns (VS Code / minimatch style) of the files the workspace scan reads: smtpDoctor.include's default, the file watchers. */
export const CONFIG_GLOBS: readonly string[] = /* @__PURE__ */ workspaceGlobs();

/** package.json `activationEvents`. */
export const ACTIVATION_EVENTS: readonly string[] = /* @__PURE__ */ unique((s) => s.editor.activationEvents);

/** package.json `contributes.languages`: the languages the sources define. */
export const EDITOR_LANGUAGES: readonly EditorLanguage[] = /* @__PURE__ */ editorLanguages();

/** Globs of the files whose change changes a folder listing some source reads (the editor watches them). */
export const FOLDER_LISTING_GLOBS: readonly string[] = /* @__PURE__ */ unique((s) => (s.folderListing ? [s.folderListing.changedBy] : []));

/** Existing editor languages the sources' files may be open in (beside the languages they define). */
export const DOCUMENT_LANGUAGES: readonly string[] = /* @__PURE__ */ unique((s) => s.editor.documentLanguages);
