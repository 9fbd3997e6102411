// What a workspace scan leaves out, as one rule for every front end: the CLI's folder walk and the editor's
// file search both ask here. Out are dependency, build and generated folders, minified code and translation
// files, the `exclude` globs (--exclude, `exclude:` in .smtpdoctor.yaml) and what the project's .gitignore /
// .ignore files ignore, read as git reads them (.env files excepted: they are ignored by git on purpose, and
// they are what the code reads).
import { isLocalePath } from './appLint';
import { EXCLUDED_FOLDER_NAMES } from './discover';
import { ExcludeGlobs, IgnoreStack, parseIgnoreFile } from './ignore';
import { isEnvFileName } from './sources/app/envFiles';

/** Besides EXCLUDED_FOLDER_NAMES (dependencies, build output, tool state): folders of generated or vendored output: built sites, framework caches, vendored dependencies, Storybook builds. */
export const GENERATED_DIRS: ReadonlySet<string> = new Set(['.output', '.svelte-kit', '.turbo', '.vercel', '.netlify', '.docusaurus', '.yarn', '.pnpm-store', '.expo', 'vendor', 'storybook-static', '.storybook-static', '.angular', '.parcel-cache', '.serverless', '.terraform']);

/** The files in a folder whose rules say what git (and ripgrep) leave out below it. */
export const IGNORE_FILE_NAMES: readonly string[] = ['.gitignore', '.ignore'];

export interface ScanOptions {
  /** Globs (relative to the folder scanned) of paths to leave out. */
  readonly exclude?: readonly string[];
  /** Honour .gitignore and .ignore files (default true). */
  readonly ignoreFiles?: boolean;
}

const nameOf = (relative: string) => relative.slice(relative.lastIndexOf('/') + 1);

/** The rule itself, over paths relative to the folder scanned (`/`-separated). */
export class ScanScope {
  private readonly excludes: ExcludeGlobs;
  readonly readsIgnoreFiles: boolean;

  constructor(options: ScanOptions = {}) {
    this.excludes = new ExcludeGlobs(options.exclude ?? []);
    this.readsIgnoreFiles = options.ignoreFiles !== false;
  }

  /** Whether a folder is left out (and all below it); `ignores` are the rules in force in its parent. */
  leavesOutFolder(relative: string, ignores: IgnoreStack): boolean {
    const name = nameOf(relative);
    if (EXCLUDED_FOLDER_NAMES.has(name) || GENERATED_DIRS.has(name)) return true;
    if (!this.excludes.empty && this.excludes.excludes(relative)) return true;
    return this.readsIgnoreFiles && ignores.ignores(relative, true);
  }

  /** Whether a file is left out; `ignores` are the rules in force in its folder (its folders are not asked). */
  leavesOutFile(relative: string, ignores: IgnoreStack): boolean {
    // Minified code and translation files hold no settings.
    if (/\.min\.js$/.test(nameOf(relative)) || isLocalePath(relative)) return true;
    if (!this.excludes.empty && this.excludes.excludes(relative)) return true;
    return this.readsIgnoreFiles && !isEnvFileName(relative) && ignores.ignores(relative, false);
  }

  /** The rules in force in `folder`: its parent's, with those of its own ignore files (their texts, undefined when absent). */
  rulesIn(folder: string, parent: IgnoreStack, ignoreFileTexts: readonly (string | undefined)[]): IgnoreStack {
    if (!this.readsIgnoreFiles) return parent;
    let stack = parent;
    for (const text of ignoreFileTexts) if (text !== undefined) stack = stack.with(folder, parseIgnoreFile(text));
    return stack;
  }
}

/**
 * The same rule for a flat list of paths (what an editor's file search returns): each path's folders are
 * asked from the top, and each folder's ignore files are read once, through `readIgnoreFile`.
 */
export class ScopeFilter {
  private readonly stacks = new Map<string, Promise<IgnoreStack | undefined>>();

  constructor(
    private readonly scope: ScanScope,
    /** The text of `name` in `folder` (relative to the scanned folder, '' for itself); undefined when there is none. */
    private readonly readIgnoreFile: (folder: string, name: string) => Promise<string | undefined>,
  ) {}

  /** Whether the file at `relative` is left out. */
  async leavesOut(relative: string): Promise<boolean> {
    const cut = relative.lastIndexOf('/');
    const stack = await this.rulesIn(cut < 0 ? '' : relative.slice(0, cut));
    return !stack || this.scope.leavesOutFile(relative, stack);
  }

  /** The rules in force in a folder; undefined when the folder itself (or one above it) is left out. */
  private rulesIn(folder: string): Promise<IgnoreStack | undefined> {
    let hit = this.stacks.get(folder);
    if (!hit) {
      hit = this.load(folder);
      this.stacks.set(folder, hit);
    }
    return hit;
  }

  private async load(folder: string): Promise<IgnoreStack | undefined> {
    let parent = new IgnoreStack();
    if (folder) {
      const cut = folder.lastIndexOf('/');
      const above = await this.rulesIn(cut < 0 ? '' : folder.slice(0, cut));
      if (!above || this.scope.leavesOutFolder(folder, above)) return undefined;
      parent = above;
    }
    if (!this.scope.readsIgnoreFiles) return parent;
    const texts = await Promise.all(IGNORE_FILE_NAMES.map((name) => this.readIgnoreFile(folder, name).catch(() => undefined)));
    return this.scope.rulesIn(folder, parent, texts);
  }
}
