// Postfix main.cf and master.cf (and their templates and copies) as a configuration source: the files are
// grouped into instances (a main.cf with its master.cf), linted, and their relayhosts become endpoints.
import { configKindOfPath } from '../../discover';
import type { ConfigSource, EditorLanguage, ScanReading, SourceContribution, SourceWorkspace } from '../source';
import type { ConfigDirFiles } from './instance';
import { POSTFIX_RULES } from './rules';
import { type LintInput, type PostfixLintOptions, SKIPPED_FILE_RULE, lintPostfixGroups, sniffKind } from '../../workspaceLint';

const READ_UP_FRONT: ScanReading = { upFront: true };

const MAIN_CF: EditorLanguage = {
  id: 'postfix-main',
  aliases: ['Postfix main.cf', 'postfix-main'],
  filenames: ['main.cf'],
  filenamePatterns: ['**/postfix/**/*.cf', 'main.cf.*', 'main.cf-*', '*[._-]main.cf', '*[._-]main.cf.*', '*[._-]main_cf.*'],
};

const MASTER_CF: EditorLanguage = {
  id: 'postfix-master',
  aliases: ['Postfix master.cf', 'postfix-master'],
  filenames: ['master.cf'],
  filenamePatterns: ['master.cf.*', 'master.cf-*', '*[._-]master.cf', '*[._-]master.cf.*', '*[._-]master_cf.*'],
};

export const POSTFIX_SOURCE: ConfigSource = {
  id: 'postfix',
  discovery: 'workspace',
  globs: [
    '**/main.cf',
    '**/master.cf',
    '**/postfix/**/*.cf',
    // Templates and copies: main.cf.j2, postfix_main.cf.erb, main.cf-el8.erb, master.cf.proto, postfix_main_cf.tmpl
    '**/*{main,master}{.,_}cf{.,-}*',
    '**/*[._-]{main,master}.cf',
  ],
  rules: /* @__PURE__ */ POSTFIX_RULES.map((r) => r.meta),
  editor: {
    languages: [MAIN_CF, MASTER_CF],
    documentLanguages: [],
    activationEvents: ['onLanguage:postfix-main', 'onLanguage:postfix-master', 'workspaceContains:**/main.cf', 'workspaceContains:**/master.cf'],
  },
  claims: (f) => Boolean(f.kind || configKindOfPath(f.file)),
  recognise: (path, text) => configKindOfPath(path) !== undefined || sniffKind(text) !== undefined,
  scanReading: (path) => (configKindOfPath(path) ? READ_UP_FRONT : undefined),
  // Huge or binary files are taken, to say why they are not checked (config/skipped-file).
  takesUnclaimedExplicitFiles: true,
  listsFilesWithoutResults: true,
  // postfix/map-not-built compares a lookup table's text with the database postmap builds from it.
  folderListing: {
    isFor: (f) => (f.kind ?? configKindOfPath(f.file)) === 'postfix-main',
    changedBy: '**/*.{db,lmdb,cdb,dir,pag}',
  },
  open(files: readonly LintInput[], context) {
    return { finish: () => lintPostfixFiles(files, context.options) };
  },
  workspace: () => new PostfixFolders(),
};

/** Findings, relayhost endpoints and instances of Postfix files, and how many were read as Postfix. */
function lintPostfixFiles(files: readonly LintInput[], options: PostfixLintOptions): SourceContribution {
  const p = lintPostfixGroups(files, options);
  // A file named on the command line that is not read as Postfix after all says why (config/skipped-file) and is not counted.
  const skipped = new Set(p.findings.filter((f) => f.ruleId === SKIPPED_FILE_RULE.id).map((f) => f.file));
  return {
    findings: p.findings,
    endpoints: p.endpoints,
    postfixInstances: p.instances,
    checkedFiles: files.filter((f) => configKindOfPath(f.file) || !skipped.has(f.file)).length,
  };
}

/** The folder Postfix files are grouped by; an editor's unsaved buffer (untitled:) has none and stands alone. */
function folderOf(path: string): string {
  if (path.startsWith('untitled:')) return path;
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? '' : path.slice(0, i);
}

/**
 * Postfix files held by folder, one part per folder: main.cf, master.cf and their templates are grouped
 * within a folder, so a change re-lints its folder only.
 */
class PostfixFolders implements SourceWorkspace {
  private readonly folders = new Map<string, Map<string, LintInput>>();
  private readonly results = new Map<string, SourceContribution>();

  setFile(input: LintInput) {
    const folder = folderOf(input.file);
    const files = this.folders.get(folder) ?? new Map<string, LintInput>();
    const old = files.get(input.file);
    if (old && sameInput(old, input)) return { held: true, changed: false };
    files.set(input.file, input);
    this.folders.set(folder, files);
    this.results.delete(folder);
    return { held: true, changed: true };
  }

  deleteFile(path: string): boolean {
    const folder = folderOf(path);
    const files = this.folders.get(folder);
    if (!files?.delete(path)) return false;
    if (files.size === 0) this.folders.delete(folder);
    this.results.delete(folder);
    return true;
  }

  get(path: string): LintInput | undefined {
    return this.folders.get(folderOf(path))?.get(path);
  }

  files(): LintInput[] {
    return [...this.folders.values()].flatMap((files) => [...files.values()]);
  }

  result(context: { optionsFor(folder: string): PostfixLintOptions }): SourceContribution[] {
    return [...this.folders].map(([folder, files]) => {
      let r = this.results.get(folder);
      if (!r) {
        r = lintPostfixFiles([...files.values()], context.optionsFor(folder));
        this.results.set(folder, r);
      }
      return r;
    });
  }

  reset(): void {
    this.results.clear();
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
