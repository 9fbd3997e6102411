import { type ParserPlugin, parse } from '@babel/parser';
import type { File } from '@babel/types';

/** How a file name maps to Babel's syntax plugins (TypeScript and JSX cannot both read `<T>x`). */
function pluginsFor(file: string): ParserPlugin[] {
  const ext = /\.([cm]?[jt]sx?)$/i.exec(file)?.[1].toLowerCase() ?? 'js';
  // Decorators (@Module({...}) over a NestJS class, class-validator fields) in the form TypeScript and Babel's legacy transform take.
  const common: ParserPlugin[] = ['decorators-legacy', 'importAttributes', 'explicitResourceManagement'];
  if (ext === 'tsx') return ['typescript', 'jsx', ...common];
  if (ext.endsWith('ts')) return ['typescript', ...common];
  return ['jsx', ...common];
}

const MAX_REPAIRS = 8;

/**
 * Parses JS/TS/JSX/TSX with Babel, tolerating the half-typed code an editor holds: Babel's own
 * error recovery first, then up to a few repairs that keep every offset where it was (the line
 * Babel stops at is blanked out with spaces; unclosed brackets are closed after the end).
 * Returns undefined when the text cannot be read even so.
 */
export function parseScript(text: string, file: string): File | undefined {
  const plugins = pluginsFor(file);
  let attempt = text;
  for (let i = 0; i <= MAX_REPAIRS; i++) {
    try {
      return parse(attempt, {
        sourceType: 'unambiguous',
        plugins,
        errorRecovery: true,
        allowReturnOutsideFunction: true,
        allowAwaitOutsideFunction: true,
        allowImportExportEverywhere: true,
        allowUndeclaredExports: true,
        allowNewTargetOutsideFunction: true,
        allowSuperOutsideMethod: true,
      }) as unknown as File;
    } catch (err) {
      const pos = (err as { pos?: number }).pos;
      if (typeof pos !== 'number') return undefined;
      const repaired = repair(attempt, pos, text.length);
      if (repaired === undefined || repaired === attempt) return undefined;
      attempt = repaired;
    }
  }
  return undefined;
}

/**
 * One repair step. Inside the text: blank the line holding `pos` (offsets stay put). At the end: close
 * what is still open, then, if a dangling `key:` or operator still fails, give it an operand, then
 * blank the last line and start over.
 */
function repair(text: string, pos: number, originalLength: number): string | undefined {
  const body = text.slice(0, originalLength);
  if (pos < originalLength) {
    const lineStart = body.lastIndexOf('\n', pos - 1) + 1;
    let lineEnd = body.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = body.length;
    if (body.slice(lineStart, lineEnd).trim() !== '') {
      return body.slice(0, lineStart) + body.slice(lineStart, lineEnd).replace(/[^\r\n]/g, ' ') + body.slice(lineEnd) + text.slice(originalLength);
    }
  }
  const suffix = text.slice(originalLength);
  const closers = unclosedBrackets(body);
  if (suffix === '' && closers) return body + '\n' + closers;
  if (!suffix.includes('undefined') && closers) return body + '\nundefined' + closers;
  const lastLine = body.trimEnd().lastIndexOf('\n') + 1;
  if (body.slice(lastLine).trim() === '') return undefined;
  return body.slice(0, lastLine) + body.slice(lastLine).replace(/[^\r\n]/g, ' ');
}

/** The closing brackets for what is open at the end of `text`, skipping strings and comments. */
function unclosedBrackets(text: string): string {
  const stack: string[] = [];
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && !(c !== '`' && text[j] === '\n')) j += text[j] === '\\' ? 2 : 1;
      i = j;
    } else if (pairs[c]) stack.push(pairs[c]);
    else if (c === ')' || c === ']' || c === '}') {
      if (stack[stack.length - 1] === c) stack.pop();
    }
  }
  return stack.reverse().join('');
}
