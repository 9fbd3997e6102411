import * as fs from 'fs';
import * as path from 'path';
import { MAX_CONFIG_BYTES, configKindOfPath } from './discover';
import type { SourceFile } from './model';

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.vscode-test', '.hg', '.svn']);

export interface WalkResult {
  readonly files: (SourceFile & { byteLength: number })[];
  readonly missing: string[];
}

/**
 * Collects the config files named by `inputs` (files are taken as given, folders are searched).
 * Oversized files are not read: they come back empty with their real size so the linter can say so.
 */
export function collectConfigFiles(inputs: readonly string[]): WalkResult {
  const files: (SourceFile & { byteLength: number })[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const add = (p: string, size: number) => {
    const abs = path.resolve(p);
    if (seen.has(abs)) return;
    seen.add(abs);
    const text = size > MAX_CONFIG_BYTES ? '' : fs.readFileSync(abs, 'utf8');
    files.push({ file: abs, text, byteLength: size });
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
      } else if (e.isFile() && configKindOfPath(p)) {
        add(p, fs.statSync(p).size);
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
    else add(input, st.size);
  }
  return { files, missing };
}
