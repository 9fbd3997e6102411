// In-place suppressions: a comment that switches rules off for the next line or for the whole file.
//   # smtp-doctor-disable-next-line postfix/relayhost-mx-lookup     (main.cf, master.cf, YAML, .env)
//   // smtp-doctor-disable-next-line nodemailer/tls-verify-disabled -- reason   (JS/TS)
//   # smtp-doctor-disable-file postfix/no-compatibility-level
// With no rule id the comment covers every rule. Text after " -- " is a free reason.
import type { Finding, Range } from './model';
import { LineIndex } from './text';

export const DISABLE_NEXT_LINE = 'smtp-doctor-disable-next-line';
export const DISABLE_FILE = 'smtp-doctor-disable-file';

export interface SuppressionDirective {
  readonly kind: 'next-line' | 'file';
  /** 0-based line of the comment. */
  readonly line: number;
  /** Rule ids; empty means every rule. */
  readonly rules: readonly string[];
}

// A comment opener of any of the formats we read (#, //, /* or a block comment's *), then the directive.
const DIRECTIVE = /^[^\S\r\n]*(?:#|\/\/|\/\*+|\*)[^\S\r\n]*smtp-doctor-disable-(next-line|file)(?![\w-])([^\r\n]*)$/gm;
const RULE_ID = /^[a-z0-9-]+\/[a-z0-9-]+$/;

/** The directives in a file (cheap when there are none: one substring search). */
export function parseSuppressions(text: string): SuppressionDirective[] {
  if (!text.includes('smtp-doctor-disable-')) return [];
  const out: SuppressionDirective[] = [];
  let lines: LineIndex | undefined;
  for (const m of text.matchAll(DIRECTIVE)) {
    lines ??= new LineIndex(text);
    const rest = m[2].replace(/\*\/.*$/, '').split(' -- ')[0];
    const rules = rest.split(/[\s,]+/).filter((w) => RULE_ID.test(w));
    out.push({ kind: m[1] === 'file' ? 'file' : 'next-line', line: lines.positionAt(m.index ?? 0).line, rules });
  }
  return out;
}

/**
 * Findings minus those a directive in their own file switches off. `textOf` gives a file's current
 * text (undefined: nothing to read, keep its findings). Each file is read for directives once.
 */
export function applySuppressions(findings: readonly Finding[], textOf: (file: string) => string | undefined): Finding[] {
  const byFile = new Map<string, SuppressionDirective[]>();
  const directivesOf = (file: string) => {
    let d = byFile.get(file);
    if (!d) {
      const text = textOf(file);
      d = text === undefined ? [] : parseSuppressions(text);
      byFile.set(file, d);
    }
    return d;
  };
  return findings.filter((f) => !isSuppressed(f, directivesOf(f.file)));
}

/**
 * Whether a directive covers a finding: a file directive naming its rule (or none), or a next-line
 * directive on the line above its first line; stacked directive lines all count.
 */
export function isSuppressed(f: Finding, directives: readonly SuppressionDirective[]): boolean {
  if (!directives.length) return false;
  const covers = (d: SuppressionDirective) => d.rules.length === 0 || d.rules.includes(f.ruleId);
  if (directives.some((d) => d.kind === 'file' && covers(d))) return true;
  const byLine = new Map(directives.filter((d) => d.kind === 'next-line').map((d) => [d.line, d]));
  for (let line = f.range.start.line - 1; byLine.has(line); line--) if (covers(byLine.get(line)!)) return true;
  return false;
}

/** How a file type writes a line comment, or undefined where it has none (JSON). */
export function commentPrefixOf(path: string): '#' | '//' | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (/\.(js|mjs|cjs|jsx|ts|mts|cts|tsx|jsonc|json5)$/.test(name)) return '//';
  if (/\.(json)$/.test(name)) return undefined;
  return '#'; // main.cf, master.cf, *.cf, YAML, .env files
}

/**
 * The edit that suppresses a finding: a next-line comment above its first line with that line's indent
 * (or, for a finding on the very first character of a file with nothing to point at, a file comment).
 * Undefined when the file type has no comments.
 */
export function suppressionEdit(
  path: string,
  text: string,
  f: Pick<Finding, 'ruleId' | 'range'>,
): { readonly range: Range; readonly newText: string; readonly scope: 'line' | 'file' } | undefined {
  const prefix = commentPrefixOf(path);
  if (!prefix) return undefined;
  const lines = new LineIndex(text);
  const line = Math.min(f.range.start.line, lines.lineCount - 1);
  const indent = /^[ \t]*/.exec(text.slice(lines.lineStart(line), lines.lineEnd(line)))![0];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const wholeFile = f.range.start.line === 0 && f.range.start.character === 0 && f.range.end.line === 0 && f.range.end.character === 0;
  // Postfix reads an indented line as a continuation, but comment lines are dropped first: indenting is safe.
  const directive = wholeFile ? DISABLE_FILE : DISABLE_NEXT_LINE;
  const at = { line, character: 0 };
  return { range: { start: at, end: at }, newText: `${wholeFile ? '' : indent}${prefix} ${directive} ${f.ruleId}${eol}`, scope: wholeFile ? 'file' : 'line' };
}
