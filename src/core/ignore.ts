// Which paths a scan leaves out: glob patterns (`--exclude`, `exclude:` in .smtpdoctor.yaml) and the
// project's own .gitignore / .ignore files, read as git reads them (per folder, later lines and deeper
// files winning, `!` re-including, a trailing `/` for folders only, a `/` inside anchoring the pattern).

/** A glob (`**`, `*`, `?`, `[...]`, `{a,b}`) as a regular expression over `/`-separated relative paths. */
export function globToRegExp(glob: string, anchored = true): RegExp {
  let re = '';
  let i = 0;
  let braces = 0;
  while (i < glob.length) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches any number of folders (none included); a trailing `**` anything.
        i += 2;
        if (glob[i] === '/') {
          re += '(?:.*/)?';
          i++;
        } else re += '.*';
        continue;
      }
      re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let set = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (set.startsWith('!')) set = '^' + set.slice(1);
        re += `[${set}]`;
        i = end;
      }
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else if (c === '\\' && i + 1 < glob.length) {
      i++;
      re += glob[i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    i++;
  }
  return new RegExp(anchored ? `^${re}$` : re);
}

/** Exclude globs: a path is out when a glob matches it or one of the folders it is in. */
export class ExcludeGlobs {
  private readonly patterns: RegExp[];
  constructor(globs: readonly string[]) {
    this.patterns = globs
      .map((g) => g.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/$/, ''))
      .filter(Boolean)
      .map((g) => globToRegExp(g.includes('/') || g.startsWith('**') ? g : `**/${g}`));
  }
  get empty(): boolean {
    return this.patterns.length === 0;
  }
  /** `relative` uses `/`; folders are tested with and without their contents. */
  excludes(relative: string): boolean {
    return this.patterns.some((p) => p.test(relative) || p.test(relative + '/'));
  }
}

interface IgnoreRule {
  readonly pattern: RegExp;
  readonly negate: boolean;
  readonly dirOnly: boolean;
}

/** The rules of one .gitignore / .ignore file, relative to its folder. */
export function parseIgnoreFile(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (let line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    line = line.replace(/(?<!\\)\s+$/, '');
    if (!line) continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    if (!line) continue;
    // A slash at the start or in the middle anchors the pattern to the file's folder.
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    const glob = anchored ? line : `**/${line}`;
    rules.push({ pattern: globToRegExp(glob), negate, dirOnly });
  }
  return rules;
}

/** The .gitignore / .ignore rules in force in a folder: its parents' first, its own last. */
export class IgnoreStack {
  constructor(private readonly layers: readonly { readonly base: string; readonly rules: readonly IgnoreRule[] }[] = []) {}

  /** The stack for a subfolder `dir` (relative to the scan root), with the rules of its own ignore files added. */
  with(dir: string, rules: readonly IgnoreRule[]): IgnoreStack {
    return rules.length ? new IgnoreStack([...this.layers, { base: dir, rules }]) : this;
  }

  /** Whether `relative` (from the scan root, `/`-separated) is ignored; the last matching rule decides. */
  ignores(relative: string, isDir: boolean): boolean {
    let ignored = false;
    for (const layer of this.layers) {
      const prefix = layer.base ? layer.base + '/' : '';
      if (prefix && !relative.startsWith(prefix)) continue;
      const rel = relative.slice(prefix.length);
      for (const r of layer.rules) {
        if (r.dirOnly && !isDir) continue;
        if (r.pattern.test(rel)) ignored = !r.negate;
      }
    }
    return ignored;
  }
}
