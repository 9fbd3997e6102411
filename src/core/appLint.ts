import { isDkimConfigPath } from './sources/dkimSigning/selectors';
import { isOwnReport } from './discover';
import type { Endpoint, Finding, SourceFile } from './model';
import { type EnvFile, EnvResolver, isEnvFileName, isEnvTemplate, parseEnvFile } from './sources/app/envFiles';
import { endpointOf, effectiveTransport } from './sources/app/effectiveTransport';
import { extractConfigTransports, isConfigFile } from './sources/app/extractFromConfig';
import { extractEnvTransports } from './sources/app/extractFromEnvFile';
import { type ScriptExtraction, extractScriptTransportsWithNotes, isScriptFile, mayDefineTransport } from './sources/app/extractFromScript';
import type { ModuleLoader } from './sources/app/scriptModuleAnalysis';
import { lintTransports } from './sources/app/lintTransports';
import type { TransportDefinition } from './sources/app/transport';
import { LOCKFILE_NAMES, nodemailerRangeInManifest, nodemailerVersionInLockfile } from './sources/app/versions';
import { SKIPPED_FILE_RULE } from './workspaceLint';

export interface AppLintResult {
  readonly transports: TransportDefinition[];
  readonly endpoints: Endpoint[];
  readonly findings: Finding[];
}

/** Transports extracted per file, reused while neither the file nor any .env / project file changed. */
export type TransportCache = Map<string, { readonly text: string; readonly envKey: string; readonly transports: TransportDefinition[]; readonly notes: Finding[] }>;

const baseName = (path: string) => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
const dirOf = (path: string) => {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? '' : path.slice(0, i);
};

/** package.json and lockfiles: which nodemailer a project uses, and how its workspace packages depend on each other. */
export function isProjectManifest(path: string): boolean {
  const name = baseName(path);
  return name === 'package.json' || LOCKFILE_NAMES.includes(name);
}

/** Folders of translations: their strings name mail settings ("SMTP host") but set none. */
const LOCALE_DIR = /^(_?locales?|i18n|i18n[-_.].*|.*[-_.]i18n|intl|lang|langs|languages?|translations?|l10n|messages|nls)$/i;
/** en.json, pt-BR.yml, zh_Hant.json, translation.json, messages.de.json, *.i18n.json */
const LOCALE_FILE = /^([a-z]{2,3}([-_][A-Za-z]{2,4}){0,2}|translations?|messages([-_.][a-z]{2,3}([-_][A-Za-z]{2,4})?)?|.*\.i18n)\.(json5?|ya?ml)$/;

/** Whether a JSON/YAML path is a translation file (by its folders or its name). */
export function isLocalePath(path: string): boolean {
  const parts = path.split(/[\\/]/);
  const name = parts.pop() ?? '';
  if (!/\.(json5?|ya?ml)$/i.test(name)) return false;
  return LOCALE_FILE.test(name) || parts.some((p) => LOCALE_DIR.test(p));
}

/** Bundled or minified output (a webpack/rollup bundle in public/, a vendored build): not the project's settings. */
export function isGeneratedScript(text: string): boolean {
  const head = text.slice(0, 65536);
  if (/__webpack_require__|webpackBootstrap|\/\*! For license information|\/\/# sourceMappingURL=data:/.test(head)) return true;
  let longest = 0;
  let start = 0;
  for (let i = head.indexOf('\n'); ; i = head.indexOf('\n', start)) {
    const end = i < 0 ? head.length : i;
    longest = Math.max(longest, end - start);
    if (i < 0) break;
    start = i + 1;
  }
  return longest > 3000;
}

/** Whether a file's text may define a transport, decided without parsing (keeps big workspaces cheap). */
export function mayHoldAppTransport(path: string, text: string): boolean {
  if (isEnvFileName(path) || isDkimConfigPath(path)) return true;
  if (baseName(path) === 'package.json') return text.includes('"nodemailer"') || text.includes('"workspaces"') || text.includes('"name"');
  if (isScriptFile(path)) return mayDefineTransport(text);
  // Our own reports (Export Report, --format json/sarif) name every host they checked: never read them as config.
  if (isConfigFile(path)) return /smtp|mail|transport/i.test(text) && !isLocalePath(path) && !isOwnReport(text);
  return false;
}

interface PackageInfo {
  readonly dir: string;
  readonly name?: string;
  readonly dependencies: ReadonlySet<string>;
  readonly nodemailer?: string;
}

/**
 * What the package.json files and lockfiles say: the nodemailer version code in a folder runs with, and
 * which workspace packages depend on which (a package's code runs in its dependents' processes).
 */
export class ProjectInfo {
  private readonly packages = new Map<string, PackageInfo>();
  private readonly lockVersions = new Map<string, string>();

  constructor(files: readonly SourceFile[]) {
    for (const f of files) {
      const name = baseName(f.file);
      if (name === 'package.json') {
        let manifest: Record<string, unknown> | undefined;
        try {
          const parsed = JSON.parse(f.text);
          manifest = parsed && typeof parsed === 'object' ? parsed : undefined;
        } catch {
          manifest = undefined;
        }
        if (!manifest) continue;
        const deps = new Set<string>();
        for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
          const d = manifest[field];
          if (d && typeof d === 'object') for (const k of Object.keys(d)) deps.add(k);
        }
        this.packages.set(dirOf(f.file), {
          dir: dirOf(f.file),
          name: typeof manifest.name === 'string' ? manifest.name : undefined,
          dependencies: deps,
          nodemailer: nodemailerRangeInManifest(f.text),
        });
      } else if (LOCKFILE_NAMES.includes(name)) {
        const v = nodemailerVersionInLockfile(name, f.text);
        if (v) this.lockVersions.set(dirOf(f.file), v);
      }
    }
  }

  /** The package a file belongs to: the nearest folder above it with a package.json. */
  packageOf(file: string): PackageInfo | undefined {
    for (let dir = dirOf(file); ; ) {
      const p = this.packages.get(dir);
      if (p) return p;
      const up = dirOf(dir);
      if (up === dir || dir === '') return undefined;
      dir = up;
    }
  }

  /**
   * The nodemailer version code in `file` uses: the lockfile's when one above it installs one whose major the
   * nearest manifest asking for nodemailer allows, else that manifest's range, else undefined (the latest).
   */
  nodemailerVersionFor(file: string): string | undefined {
    let range: string | undefined;
    let locked: string | undefined;
    for (let dir = dirOf(file); ; ) {
      range ??= this.packages.get(dir)?.nodemailer;
      locked ??= this.lockVersions.get(dir);
      const up = dirOf(dir);
      if (up === dir || dir === '') break;
      dir = up;
    }
    if (locked && (!range || majorOf(range) === undefined || majorOf(range) === majorOf(locked))) return locked;
    return range ?? locked;
  }

  /** Folders of the workspace packages that depend on the package `file` belongs to. */
  dependentFolders(file: string): string[] {
    const own = this.packageOf(file);
    if (!own?.name) return [];
    return [...this.packages.values()].filter((p) => p.dependencies.has(own.name as string)).map((p) => p.dir);
  }
}

function majorOf(version: string): number | undefined {
  const m = /(\d+)/.exec(version);
  return m ? Number(m[1]) : undefined;
}

/** A note that a file which mentions nodemailer could not be read as code, so it was not checked. */
function skippedNote(file: string, message: string): Finding {
  return { ruleId: SKIPPED_FILE_RULE.id, severity: SKIPPED_FILE_RULE.defaultSeverity, file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message };
}

/**
 * Application settings, one file at a time: built with every .env and project file (package.json,
 * lockfiles) first, then fed the other files one by one (the CLI reads, checks and drops each), then
 * finished. `lintAppFiles` runs it over files held in memory (the editor).
 */
export class AppLinter {
  readonly resolver: EnvResolver;
  readonly project: ProjectInfo;
  private readonly envFiles: { source: SourceFile; parsed: EnvFile }[] = [];
  private readonly transports: TransportDefinition[] = [];
  private readonly notes: Finding[] = [];
  /** Part of every cache key: a change to any .env or project file can change every file's result. */
  readonly envKey: string;

  constructor(
    envAndProjectFiles: readonly SourceFile[],
    private readonly loader?: ModuleLoader,
  ) {
    for (const f of envAndProjectFiles) if (isEnvFileName(f.file)) this.envFiles.push({ source: f, parsed: parseEnvFile(f) });
    this.project = new ProjectInfo(envAndProjectFiles.filter((f) => isProjectManifest(f.file)));
    this.resolver = new EnvResolver(
      this.envFiles.map((e) => e.parsed),
      (file) => this.project.dependentFolders(file),
    );
    this.envKey = envAndProjectFiles.map((e) => `${e.file}\u0000${e.text.length}\u0000${e.text}`).join('\u0001');
  }

  /** Extracts the transports of one script or JSON/YAML file (others are ignored); never throws. */
  extract(f: SourceFile): { transports: TransportDefinition[]; notes: Finding[] } {
    let found: TransportDefinition[] = [];
    const notes: Finding[] = [];
    try {
      if (isScriptFile(f.file)) {
        if (!mayDefineTransport(f.text)) return { transports: [], notes };
        if (isGeneratedScript(f.text)) return { transports: [], notes };
        const r: ScriptExtraction = extractScriptTransportsWithNotes(f, this.resolver, this.loader);
        found = r.transports;
        if (r.unreadable) notes.push(skippedNote(f.file, `This script mentions nodemailer but does not parse (${r.unreadable}), so it was not checked.`));
      } else if (isConfigFile(f.file) && !isLocalePath(f.file)) found = extractConfigTransports(f, this.resolver);
    } catch (e) {
      notes.push(skippedNote(f.file, `This file could not be checked (internal error: ${(e as Error).message}).`));
    }
    const version = this.project.nodemailerVersionFor(f.file);
    found = found.map((t) => (t.source === 'nodemailer' || t.client === 'nodemailer' ? withVersion(t, version) : t));
    return { transports: found, notes };
  }

  add(extracted: { transports: readonly TransportDefinition[]; notes: readonly Finding[] }): void {
    this.transports.push(...extracted.transports);
    this.notes.push(...extracted.notes);
  }

  finish(): AppLintResult {
    const transports = [...this.transports];
    // A .env family is shown on its own only when no code that loads that file reads it: code whose value
    // came from it, or code under its folder reading the same names (folders elsewhere do not count).
    const consumed = new Set<string>();
    const readUnder: { dir: string; name: string }[] = [];
    const loaded = new Set<string>();
    for (const t of transports) {
      for (const f of t.loadsEnvFiles ?? []) loaded.add(f);
      for (const o of t.options.values()) {
        if (!o.env) continue;
        if (o.env.file) consumed.add(`${o.env.file}\u0000${o.env.name}`);
        if (t.source === 'nodemailer') readUnder.push({ dir: dirOf(t.file), name: o.env.name });
      }
    }
    const under = (dir: string, envDir: string) => dir === envDir || dir.startsWith(envDir + '/') || dir.startsWith(envDir + '\\');
    for (const e of this.envFiles) {
      // A template documents the variables; on its own it configures nothing.
      if (loaded.has(e.source.file) || isEnvTemplate(e.source.file)) continue;
      const envDir = dirOf(e.source.file);
      for (const t of extractEnvTransports(e.source, e.parsed)) {
        const names = [...t.options.values()].map((o) => o.env?.name).filter((n): n is string => !!n);
        const read = names.some((n) => consumed.has(`${e.source.file}\u0000${n}`) || readUnder.some((r) => r.name === n && under(r.dir, envDir)));
        if (!read) transports.push(t);
      }
    }
    const kept = transports.filter((t) => effectiveTransport(t).kind !== 'other');
    return { transports: kept, endpoints: kept.map(endpointOf), findings: [...this.notes, ...lintTransports(kept)] };
  }
}

function withVersion(t: TransportDefinition, version: string | undefined): TransportDefinition {
  if (version === undefined || t.nodemailerVersion !== undefined) return t;
  return Object.assign(Object.create(Object.getPrototypeOf(t)), t, { nodemailerVersion: version });
}

/**
 * Finds every outgoing-mail transport in application files (JS/TS, JSON/YAML, .env), resolves
 * process.env values from the .env files among `files`, and lints them. `cache` keeps extractions of
 * files that did not change (the editor re-lints on every keystroke).
 */
export function lintAppFiles(files: readonly SourceFile[], cache?: TransportCache, loader?: ModuleLoader): AppLintResult {
  const linter = new AppLinter(
    files.filter((f) => isEnvFileName(f.file) || isProjectManifest(f.file)),
    loader ?? inMemoryLoader(files),
  );
  for (const f of files) {
    if (isEnvFileName(f.file) || isProjectManifest(f.file)) continue;
    const cached = cache?.get(f.file);
    if (cached && cached.text === f.text && cached.envKey === linter.envKey) {
      linter.add(cached);
      continue;
    }
    const extracted = linter.extract(f);
    cache?.set(f.file, { text: f.text, envKey: linter.envKey, ...extracted });
    linter.add(extracted);
  }
  return linter.finish();
}

/** Modules imported by a script, looked up among the files given (ids compared as written). */
export function inMemoryLoader(files: readonly SourceFile[]): ModuleLoader {
  const byId = new Map(files.map((f) => [f.file, f.text]));
  return (id) => {
    const text = byId.get(id);
    return text === undefined ? undefined : { file: id, text };
  };
}
