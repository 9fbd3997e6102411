import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Finding, Range, TextEdit } from '../../src/core/model';
import { lintPostfix } from '../../src/core/sources/postfix/lintPostfix';
import type { PostfixRule } from '../../src/core/sources/postfix/postfixRule';

/** Repository root: the nearest folder up from here holding esbuild.js (works from out/ and from sources). */
export const REPO_ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'esbuild.js')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();
export const FIXTURES = path.join(REPO_ROOT, 'test/fixtures');

export function readFixture(rel: string): string {
  return fs.readFileSync(path.join(FIXTURES, rel), 'utf8');
}

/**
 * Lints in-memory Postfix files with one rule (or all) and returns its findings.
 * `main`/`master` are file texts; pass undefined for a file that does not exist.
 */
export function lintTexts(texts: { main?: string; master?: string }, rule?: PostfixRule): Finding[] {
  const findings = lintPostfix(
    {
      main: texts.main === undefined ? undefined : { file: 'main.cf', text: texts.main },
      master: texts.master === undefined ? undefined : { file: 'master.cf', text: texts.master },
    },
    rule ? [rule] : undefined,
  );
  return findings;
}

/** Lints a fixture directory (containing main.cf and/or master.cf) under test/fixtures. */
export function lintFixtureDir(rel: string, rule?: PostfixRule): Finding[] {
  const dir = path.join(FIXTURES, rel);
  const read = (name: string) => (fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name), 'utf8') : undefined);
  return lintTexts({ main: read('main.cf'), master: read('master.cf') }, rule);
}

/** The text `range` covers in `text`. */
export function textInRange(text: string, range: Range): string {
  const lines = text.split('\n');
  const { start, end } = range;
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  const parts = [lines[start.line].slice(start.character)];
  for (let l = start.line + 1; l < end.line; l++) parts.push(lines[l]);
  parts.push(lines[end.line].slice(0, end.character));
  return parts.join('\n');
}

/** The text a finding's range covers in `text`. */
export function coveredText(text: string, f: Finding): string {
  return textInRange(text, f.range);
}

/** Applies one edit to `text`. */
export function applyEdit(text: string, e: TextEdit): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
}

/** Compact "line:col rule" strings (1-based) for readable assertions. */
export function where(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.ruleId}`);
}

/** Applies a finding's first fix (or the named one) to `text` and returns the result. */
export function applyFix(text: string, f: Finding, title?: string): string {
  const fix = title ? f.fixes?.find((x) => x.title === title) : f.fixes?.[0];
  assert.ok(fix, `finding ${f.ruleId} has no fix ${title ?? ''}`);
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const edits = [...fix.edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of edits) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
