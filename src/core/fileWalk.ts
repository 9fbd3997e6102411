import * as fs from 'fs';
import * as path from 'path';
import { MAX_APP_FILE_BYTES, isCheckedPath } from './check';
import { MAX_CONFIG_BYTES, configKindOfPath } from './discover';
import { type ConfigDirEntry, type ConfigDirFiles, MAX_CONFIG_DIR_ENTRIES } from './postfix/instance';
import type { LintInput } from './workspaceLint';

/** Folders that hold dependencies, build output or tool state, never the project's own settings. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.vscode-test', '.hg', '.svn', '.next', '.nuxt', '.cache', 'coverage', 'bower_components', 'dist', 'out', 'build']);

/**
 * The regular files directly in `dir` with their modification times (what postfix/map-not-built needs
 * to know about the files next to a main.cf); undefined when the folder cannot be read or is huge.
 */
export function listConfigDir(dir: string): ConfigDirFiles | undefined {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return undefined;
  }
  if (names.length > MAX_CONFIG_DIR_ENTRIES) return undefined;
  const out = new Map<string, ConfigDirEntry>();
  for (const name of names) {
    try {
      const st = fs.statSync(path.join(dir, name));
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
    const abs = path.resolve(p);
    if (seen.has(abs)) return;
    seen.add(abs);
    const postfix = configKindOfPath(abs) !== undefined || explicit;
    if (!postfix && size > MAX_APP_FILE_BYTES) return;
    try {
      const text = size > MAX_CONFIG_BYTES ? '' : fs.readFileSync(abs, 'utf8');
      const configDirFiles = configKindOfPath(abs) === 'postfix-main' ? listingOf(path.dirname(abs)) : undefined;
      const input: LintInput = configDirFiles ? { file: abs, text, byteLength: size, configDirFiles } : { file: abs, text, byteLength: size };
      files.push(explicit ? { ...input, explicit } : input);
    } catch {
      // Unreadable (permissions, vanished): nothing to check.
    }
  };
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) walk(p);
      } else if (e.isFile() && isCheckedPath(p) && !/\.min\.js$/.test(e.name) && e.name !== 'package-lock.json') {
        try {
          add(p, fs.statSync(p).size, false);
        } catch {
          // Raced with a delete.
        }
      }
    }
  };
  for (const input of inputs) {
    let st: fs.Stats;
    try {
      st = fs.statSync(input);
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
  let dir = path.resolve(first);
  try {
    if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    dir = path.dirname(dir);
  }
  for (;;) {
    for (const n of names) {
      const candidate = path.join(dir, n);
      if (fs.existsSync(candidate)) return candidate;
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
