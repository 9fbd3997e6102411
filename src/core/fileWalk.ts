import { closeSync, type Dirent, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, type Stats, statSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { EXCLUDED_FOLDER_NAMES } from './discover';
import { MAX_CONFIG_BYTES } from './limits';
import { type ConfigDirEntry, type ConfigDirFiles, MAX_CONFIG_DIR_ENTRIES } from './sources/postfix/instance';
import type { LintInput } from './workspaceLint';
import { IgnoreStack } from './ignore';
import { IGNORE_FILE_NAMES, type ScanOptions, ScanScope } from './scanScope';
import { UNCLAIMED_EXPLICIT_FILE_SOURCE, isCheckedPath, readsFolderListing, scanReadingOf, sourceOf } from './sources/registry';

export type { ScanOptions } from './scanScope';

/**
 * The regular files directly in `dir` with their modification times (what postfix/map-not-built needs
 * to know about the files next to a main.cf); undefined when the folder cannot be read or is huge.
 */
export function listConfigDir(dir: string): ConfigDirFiles | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  if (names.length > MAX_CONFIG_DIR_ENTRIES) return undefined;
  const out = new Map<string, ConfigDirEntry>();
  for (const name of names) {
    try {
      const st = statSync(join(dir, name));
      if (st.isFile()) out.set(name, { mtimeMs: st.mtimeMs });
    } catch {
      // A dangling symlink or a file deleted meanwhile: it does not exist for Postfix either.
    }
  }
  return out;
}

export interface WalkResult {
  readonly files: LintInput[];
  readonly missing: string[];
}

/**
 * Collects the files the checks read from `inputs` (files are taken as given, folders are searched).
 * Oversized Postfix files are not read: they come back empty with their real size so the linter can
 * say so; oversized application files (bundles, data) are left out.
 */
export function collectConfigFiles(inputs: readonly string[]): WalkResult {
  const files: LintInput[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const listings = new Map<string, ConfigDirFiles | undefined>();
  const listingOf = (dir: string) => {
    if (!listings.has(dir)) listings.set(dir, listConfigDir(dir));
    return listings.get(dir);
  };
  const add = (p: string, size: number, explicit: boolean) => {
    const abs = resolve(p);
    if (seen.has(abs)) return;
    seen.add(abs);
    // Oversized files of a source that says nothing about them are left out; the others are kept to say why.
    const maxBytes = explicit ? undefined : sourceOf({ file: abs })?.maxFileBytes;
    if (maxBytes !== undefined && size > maxBytes) return;
    try {
      const text = size > MAX_CONFIG_BYTES ? '' : readFileSync(abs, 'utf8');
      const configDirFiles = readsFolderListing({ file: abs }) ? listingOf(dirname(abs)) : undefined;
      const input: LintInput = configDirFiles ? { file: abs, text, byteLength: size, configDirFiles } : { file: abs, text, byteLength: size };
      files.push(explicit ? { ...input, explicit } : input);
    } catch {
      // Unreadable (permissions, vanished): nothing to check.
    }
  };
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!EXCLUDED_FOLDER_NAMES.has(e.name)) walk(p);
      } else if (e.isFile() && isCheckedPath(p) && !/\.min\.js$/.test(e.name) && e.name !== 'package-lock.json') {
        try {
          add(p, statSync(p).size, false);
        } catch {
          // Raced with a delete.
        }
      }
    }
  };
  for (const input of inputs) {
    let st: Stats;
    try {
      st = statSync(input);
    } catch {
      missing.push(input);
      continue;
    }
    if (st.isDirectory()) walk(input);
    else add(input, st.size, true);
  }
  return { files, missing };
}

/**
 * The project file (.smtpdoctor.yaml) that applies to a check of `inputs`: the first one found in the
 * folder of the first input or any folder above it.
 */
export function findProjectFile(inputs: readonly string[], names: readonly string[]): string | undefined {
  const first = inputs[0];
  if (first === undefined) return undefined;
  let dir = resolve(first);
  try {
    if (!statSync(dir).isDirectory()) dir = dirname(dir);
  } catch {
    dir = dirname(dir);
  }
  for (;;) {
    for (const n of names) {
      const candidate = join(dir, n);
      if (existsSync(candidate)) return candidate;
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}


export interface WorkspaceScan {
  /** Read while scanning (small, needed by every other file): Postfix configs, .env files, package.json, lockfiles, DKIM setups. */
  readonly eager: LintInput[];
  /** Scripts and JSON/YAML files, read one at a time by the check (most are dropped by a cheap sniff). */
  readonly candidates: { readonly file: string; readonly size: number }[];
  readonly missing: string[];
  /** For a file found under a folder given: its path inside that folder (`/`-separated). */
  readonly relative: ReadonlyMap<string, string>;
}

/**
 * Lists what a check reads under `inputs` without holding the workspace in memory: the walk honours
 * .gitignore/.ignore and `exclude`, skips dependency, build and generated folders, and reads only the
 * small files every other file depends on.
 */
export function scanWorkspace(inputs: readonly string[], options: ScanOptions = {}): WorkspaceScan {
  const eager: LintInput[] = [];
  const candidates: { file: string; size: number }[] = [];
  const missing: string[] = [];
  const relative = new Map<string, string>();
  const seen = new Set<string>();
  const listings = new Map<string, ConfigDirFiles | undefined>();
  const scope = new ScanScope(options);
  const readEager = (abs: string, size: number, explicit: boolean) => {
    try {
      const text = size > MAX_CONFIG_BYTES ? '' : readFileSync(abs, 'utf8');
      let configDirFiles: ConfigDirFiles | undefined;
      if (readsFolderListing({ file: abs })) {
        const dir = dirname(abs);
        if (!listings.has(dir)) listings.set(dir, listConfigDir(dir));
        configDirFiles = listings.get(dir);
      }
      const input: LintInput = configDirFiles ? { file: abs, text, byteLength: size, configDirFiles } : { file: abs, text, byteLength: size };
      eager.push(explicit ? { ...input, explicit } : input);
    } catch {
      // Unreadable (permissions, vanished): nothing to check.
    }
  };
  const take = (abs: string, size: number, rel: string | undefined, explicit: boolean) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    if (rel !== undefined) relative.set(abs, rel);
    if (explicit) return readEager(abs, size, true);
    const reading = scanReadingOf(abs);
    if (!reading || (reading.maxBytes !== undefined && size > reading.maxBytes)) return;
    if (reading.upFront) readEager(abs, size, false);
    else candidates.push({ file: abs, size });
  };
  for (const input of inputs) {
    let st: Stats;
    try {
      st = statSync(input);
    } catch {
      missing.push(input);
      continue;
    }
    if (!st.isDirectory()) {
      // A file named on the command line that no source claims goes to the one that says why it skips it.
      const source = sourceOf({ file: input });
      take(resolve(input), st.size, undefined, source === undefined || source === UNCLAIMED_EXPLICIT_FILE_SOURCE);
      continue;
    }
    const root = resolve(input);
    // Depth first with an explicit stack: deep trees cannot overflow it.
    const stack: { dir: string; rel: string; ignores: IgnoreStack }[] = [{ dir: root, rel: '', ignores: new IgnoreStack() }];
    while (stack.length) {
      const { dir, rel, ignores: parentIgnores } = stack.pop() as { dir: string; rel: string; ignores: IgnoreStack };
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      const ignoreTexts = scope.readsIgnoreFiles
        ? IGNORE_FILE_NAMES.map((name) => {
            if (!entries.some((e) => e.name === name && e.isFile())) return undefined;
            try {
              return readFileSync(join(dir, name), 'utf8');
            } catch {
              return undefined; // An unreadable ignore file ignores nothing.
            }
          })
        : [];
      const ignores = scope.rulesIn(rel, parentIgnores, ignoreTexts);
      entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
      for (const e of entries) {
        const childRel = rel ? `${rel}/${e.name}` : e.name;
        const abs = join(dir, e.name);
        if (e.isDirectory()) {
          if (!scope.leavesOutFolder(childRel, ignores)) stack.push({ dir: abs, rel: childRel, ignores });
        } else if (e.isFile()) {
          const reading = scanReadingOf(abs);
          if (!reading) continue;
          if (scope.leavesOutFile(childRel, ignores)) continue;
          // Files read one at a time (scripts, JSON/YAML) are sized when they are read (one stat less per file).
          if (!reading.upFront) {
            if (!seen.has(abs)) {
              seen.add(abs);
              relative.set(abs, childRel);
              candidates.push({ file: abs, size: -1 });
            }
            continue;
          }
          let size: number;
          try {
            size = statSync(abs).size;
          } catch {
            continue;
          }
          take(abs, size, childRel, false);
        }
      }
    }
  }
  return { eager, candidates, missing, relative };
}

/** Reads a module a script imports (a path the importing file's folder leads to), if it exists and is small. */
export function diskModuleLoader(id: string): { file: string; text: string } | undefined {
  try {
    const st = statSync(id);
    if (!st.isFile() || st.size > 512 * 1024) return undefined;
    return { file: id, text: readFileSync(id, 'utf8') };
  } catch {
    return undefined;
  }
}

let readBuffer = Buffer.allocUnsafe(64 * 1024);

/**
 * Reads a script or JSON/YAML file for the streamed check: undefined when it is over `maxBytes`, gone, or
 * when `sniff` (given the bytes as latin1 text: ASCII words read the same) says it cannot hold settings,
 * so most files are never decoded as UTF-8.
 */
export function readCandidate(file: string, maxBytes: number, sniff: (latin1: string) => boolean): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    if (size > maxBytes) return undefined;
    // One buffer, reused for every file: reading 60,000 files leaves no trail of buffers for the GC.
    if (readBuffer.length < size) readBuffer = Buffer.allocUnsafe(Math.max(size, readBuffer.length * 2));
    const buf = readBuffer;
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buf, read, size - read, read);
      if (n <= 0) break;
      read += n;
    }
    const bytes = buf.subarray(0, read);
    if (!sniff(bytes.toString('latin1'))) return undefined;
    return bytes.toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether `file` exists (a file or a folder). */
export function fileExists(file: string): boolean {
  return existsSync(file);
}

/** The size of `file` in bytes; undefined when it is gone or unreadable. */
export function fileSize(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}

/** The whole text of a file the user named; undefined when it is gone or unreadable. */
export function readWholeFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Reads one file (for its suppression comments); undefined when it is gone, unreadable or over `maxBytes`. */
export function readTextFile(file: string, maxBytes = MAX_CONFIG_BYTES): string | undefined {
  try {
    if (statSync(file).size > maxBytes) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
