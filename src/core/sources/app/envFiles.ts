import { isSecretName, redactText } from '../../redact';
import { parse as parseDotenv } from 'dotenv';
import type { Range, SourceFile } from '../../model';
import { LineIndex } from '../../text';
import { verbatimSpan } from './transport';

/** One variable a .env file sets, with where. */
export interface EnvVariable {
  readonly name: string;
  readonly value: string;
  readonly file: string;
  /** From the name to the end of the line the value ends on (a quoted value may run over several lines). */
  readonly lineRange: Range;
  readonly nameRange: Range;
  /** The value as written (quotes included, every line of a quoted value), or an empty range after "=". */
  readonly valueRange: Range;
  /** Where the value's characters are written one for one (inside its quotes, on one line), when they are. */
  readonly verbatim?: Range;
  /** True when the definition is the only thing on its one line, so deleting that line removes exactly it. */
  readonly aloneOnLine: boolean;
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

/**
 * dotenv's grammar (its `LINE` expression, dotenv 17): the same alternatives in the same order, so each
 * match is a definition dotenv reads; groups: 1 name, 2 separator, 3 the value before dotenv trims it.
 * It runs, like dotenv, on the text with CRLF and CR turned into LF. `\s` crosses line breaks as in dotenv:
 * a quoted value may run over several lines or start on the line after `NAME=`, and `NAME` may be
 * followed by `=value` on the next line.
 */
const DOTENV_DEFINITION = /^\s*(?:export\s+)?([\w.-]+)(\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?$/dgm;

/** Where dotenv's lines end (its `$`): LF (after normalising), and U+2028 / U+2029. */
const DOTENV_LINE_END = /[\n\u2028\u2029]/g;

/** Blanks dotenv skips before a name, on the name's own line. */
const BEFORE_NAME = /^[^\S\r\n\u2028\u2029]*(?:export[^\S\r\n\u2028\u2029]+)?$/;

/** Offsets in the text with CRLF turned into LF → offsets in the text as written. */
function unnormalize(text: string): (offset: number) => number {
  const collapsed: number[] = [];
  for (let i = text.indexOf('\r\n'); i >= 0; i = text.indexOf('\r\n', i + 2)) collapsed.push(i - collapsed.length);
  return (offset) => {
    let lo = 0;
    let hi = collapsed.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (collapsed[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return offset + lo;
  };
}

/**
 * Values come from the `dotenv` package's parser; where each is written comes from the same grammar run
 * over the text (the last definition of a name wins, as in dotenv).
 */
export function parseEnvFile(source: SourceFile): EnvFile {
  const text = source.text;
  const values = parseDotenv(text);
  const lines = new LineIndex(text);
  const normalized = text.replace(/\r\n?/g, '\n');
  const original = unnormalize(text);
  const variables = new Map<string, EnvVariable>();
  for (const m of normalized.matchAll(DOTENV_DEFINITION)) {
    const name = m[1];
    if (!Object.hasOwn(values, name)) continue; // `__proto__` is no variable dotenv set
    const indices = m.indices!;
    const [nameStart, nameEnd] = indices[1];
    const separator = indices[2][0] + m[2].search(/[=:]/);
    let valueStart: number;
    let valueEnd: number;
    if (m[3] !== undefined) {
      // dotenv trims the value (String.prototype.trim: a BOM or NBSP too)
      const [s, e] = indices[3];
      valueStart = s + (m[3].length - m[3].trimStart().length);
      valueEnd = Math.max(valueStart, e - (m[3].length - m[3].trimEnd().length));
    } else {
      valueStart = separator + 1;
      while (valueStart < normalized.length && /[^\S\n\u2028\u2029]/.test(normalized[valueStart])) valueStart++;
      valueEnd = valueStart;
    }
    DOTENV_LINE_END.lastIndex = valueEnd;
    const lineEnd = DOTENV_LINE_END.exec(normalized)?.index ?? normalized.length;
    const [ns, ne, vs, ve, le] = [nameStart, nameEnd, valueStart, valueEnd, lineEnd].map(original);
    const value = values[name];
    const verbatim = verbatimSpan(text, vs, ve, value);
    const line = lines.positionAt(ns).line;
    const ownLineEnd = lines.lineEnd(line) - (text[lines.lineEnd(line) - 1] === '\r' ? 1 : 0);
    variables.set(name, {
      name,
      value,
      file: source.file,
      lineRange: lines.range(ns, le),
      nameRange: lines.range(ns, ne),
      valueRange: lines.range(vs, ve),
      verbatim: verbatim && lines.range(verbatim[0], verbatim[1]),
      aloneOnLine: le === ownLineEnd && BEFORE_NAME.test(text.slice(lines.lineStart(line), ns)),
    });
  }
  return { file: source.file, variables, text };
}

// Within one folder, which file wins when several set a variable: the usual tool conventions
// (local overrides first), production next. Templates (.env.example, ...) are read by no tool: they only
// document a variable (an example, never its value), and an empty value in them is a placeholder.
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
   * those of the workspace packages that run it (when they agree). Templates (.env.example, ...) document
   * a variable, they do not set it: what they say is `example`'s, never a value.
   */
  lookup(name: string, fromFile: string): EnvVariable | undefined {
    return this.upward(name, fromFile, false) ?? this.fromLinked(name, fromFile);
  }

  /** The value a template from `fromFile`'s folder up documents for the variable (empty ones are placeholders). */
  example(name: string, fromFile: string): EnvVariable | undefined {
    return this.upward(name, fromFile, true);
  }

  /**
   * Why the variable has no value for `fromFile`, with a template's example when one gives it (never a
   * secret's): "SMTP_HOST is not set in a .env file this code loads (example: 127.0.0.1)".
   */
  notSetDescription(name: string, fromFile: string, where = 'in a .env file this code loads'): string {
    const example = this.example(name, fromFile);
    const shown = example && !isSecretName(name) ? redactText(example.value) : undefined;
    if (!example || shown === undefined) return `${name} is not set ${where}`;
    return `${name} is not set ${where} (example in ${nameOf(example.file)}: ${shown.length > 60 ? shown.slice(0, 57) + '...' : shown})`;
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
