import { parse as parseDotenv } from 'dotenv';
import type { Range, SourceFile } from '../model';
import { LineIndex } from '../text';

/** One variable a .env file sets, with where. */
export interface EnvVariable {
  readonly name: string;
  readonly value: string;
  readonly file: string;
  /** The whole `NAME=value` line. */
  readonly lineRange: Range;
  readonly nameRange: Range;
  /** The value as written (quotes included), or an empty range after "=". */
  readonly valueRange: Range;
}

export interface EnvFile {
  readonly file: string;
  readonly variables: ReadonlyMap<string, EnvVariable>;
  /** The file's text, when parsed from it (for edits that remove a line). */
  readonly text?: string;
}

/**
 * `.env`, `.env.local`, `.env.production`, `.env.example`, ... (not `.envrc`), and `<name>.env`
 * (`mail.env`, `smtp.env`: the files docker-compose services load with `env_file:`).
 */
export function isEnvFileName(path: string): boolean {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  return name === '.env' || /^\.env\.[A-Za-z0-9_.-]+$/.test(name) || /^[A-Za-z0-9_][A-Za-z0-9_.-]*\.env$/.test(name);
}

/** Values come from the `dotenv` package's parser; we only find the line each one is on. */
export function parseEnvFile(source: SourceFile): EnvFile {
  const values = parseDotenv(source.text);
  const lines = new LineIndex(source.text);
  const variables = new Map<string, EnvVariable>();
  // Blanks as dotenv (and String.prototype.trim) count them: \s without line breaks, so a BOM or NBSP too.
  const keyLine = /^([^\S\r\n]*(?:export[^\S\r\n]+)?)([\w.-]+)([^\S\r\n]*[=:][^\S\r\n]*)(.*)$/;
  for (let line = 0; line < lines.lineCount; line++) {
    const start = lines.lineStart(line);
    const text = source.text.slice(start, lines.lineEnd(line)).replace(/\r$/, '');
    const m = keyLine.exec(text);
    if (!m || !Object.hasOwn(values, m[2])) continue; // not `in`: `constructor:` is no variable dotenv set
    const nameStart = start + m[1].length;
    const valueStart = nameStart + m[2].length + m[3].length;
    // What dotenv reads as the value: a quoted string up to its closing quote, else the text before any "#".
    const quoted = /^(?:'(?:\\'|[^'])*'|"(?:\\"|[^"])*"|`(?:\\`|[^`])*`)(?=\s*(?:#[\s\S]*)?$)/.exec(m[4]);
    const hash = m[4].indexOf('#');
    const valueText = quoted ? quoted[0] : (hash < 0 ? m[4] : m[4].slice(0, hash)).trimEnd();
    // dotenv lets the last definition win; so does this loop.
    variables.set(m[2], {
      name: m[2],
      value: values[m[2]],
      file: source.file,
      lineRange: lines.range(start + m[1].length, start + text.length),
      nameRange: lines.range(nameStart, nameStart + m[2].length),
      valueRange: lines.range(valueStart, valueStart + valueText.length),
    });
  }
  return { file: source.file, variables, text: source.text };
}

// Within one folder, which file wins when several set a variable: the usual tool conventions
// (local overrides first), production next. Templates (.env.example, ...) are read by no tool: they come
// after every real file of every folder above, and an empty value in them is a placeholder, not a value.
const PRECEDENCE = ['.env.local', '.env', '.env.development.local', '.env.development', '.env.production.local', '.env.production'];
const TEMPLATE = /\.(example|sample|template|dist|defaults?|tpl)$|^(example|sample|template)\.env$/i;

function nameOf(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** `.env.example`, `.env.sample`, `.env.template`, `.env.dist`, ...: documentation of the variables, not values. */
export function isEnvTemplate(path: string): boolean {
  return TEMPLATE.test(nameOf(path));
}

function rank(path: string): number {
  const name = nameOf(path);
  const i = PRECEDENCE.indexOf(name);
  if (i >= 0) return i;
  return TEMPLATE.test(name) ? 200 : 100;
}

function dirOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? '' : path.slice(0, i);
}

/**
 * Folders whose .env files also reach code in a folder: the workspace packages that depend on the
 * package the code belongs to (their process loads their own .env and runs this code).
 */
export type LinkedFolders = (fromFile: string) => readonly string[];

/** Finds the value of `process.env.NAME` for a source file in the .env files of its folder and above. */
export class EnvResolver {
  private readonly byDir = new Map<string, EnvFile[]>();

  constructor(
    files: readonly EnvFile[],
    private readonly linked?: LinkedFolders,
  ) {
    for (const f of files) {
      const d = dirOf(f.file);
      this.byDir.set(d, [...(this.byDir.get(d) ?? []), f].sort((a, b) => rank(a.file) - rank(b.file) || (a.file < b.file ? -1 : 1)));
    }
  }

  get files(): EnvFile[] {
    return [...this.byDir.values()].flat();
  }

  /** The .env file with exactly this id (path or URI), if it is one of the files. */
  fileAt(file: string): EnvFile | undefined {
    return this.byDir.get(dirOf(file))?.find((f) => f.file === file);
  }

  /**
   * The variable as the code in `fromFile` most likely sees it: real .env files from its folder up, then
   * those of the workspace packages that run it (when they agree), then templates from its folder up
   * (an empty template value is a placeholder: not found).
   */
  lookup(name: string, fromFile: string): EnvVariable | undefined {
    const real = this.upward(name, fromFile, false);
    if (real) return real;
    const viaPackages = this.fromLinked(name, fromFile);
    if (viaPackages) return viaPackages;
    return this.upward(name, fromFile, true);
  }

  /** docker-compose interpolation: only the `.env` file next to the compose file, as Compose reads it. */
  lookupForCompose(name: string, composeFile: string): EnvVariable | undefined {
    return this.byDir.get(dirOf(composeFile))?.find((f) => nameOf(f.file) === '.env')?.variables.get(name);
  }

  private upward(name: string, fromFile: string, templates: boolean): EnvVariable | undefined {
    let dir = dirOf(fromFile);
    for (;;) {
      for (const f of this.byDir.get(dir) ?? []) {
        if (isEnvTemplate(f.file) !== templates) continue;
        const v = f.variables.get(name);
        if (v && !(templates && v.value === '')) return v;
      }
      const parent = dirOf(dir);
      if (parent === dir || dir === '') return undefined;
      dir = parent;
    }
  }

  private fromLinked(name: string, fromFile: string): EnvVariable | undefined {
    const folders = this.linked?.(fromFile) ?? [];
    const found: EnvVariable[] = [];
    for (const folder of folders) {
      const v = (this.byDir.get(folder) ?? []).filter((f) => !isEnvTemplate(f.file)).map((f) => f.variables.get(name)).find((x) => x !== undefined);
      if (v) found.push(v);
    }
    // Several packages that set it differently: which one runs this code is not known.
    if (!found.length || found.some((v) => v.value !== found[0].value)) return undefined;
    return found[0];
  }
}
