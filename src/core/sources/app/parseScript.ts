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
 * Offsets [start, end) of text the parse could not read: a line a repair blanked out, the end of the text
 * when brackets were still open there (start = end = text length), where Babel recovered from an error
 * (`syntax`), or a bracket group nested deeper than the parser's stack allows (`depth`).
 */
export interface UnreadSpan {
  readonly start: number;
  readonly end: number;
  readonly reason: 'syntax' | 'depth';
}

/** A parsed script, with the stretches of its text the AST does not reflect. */
export interface ParsedScript {
  readonly ast: File;
  readonly unread: readonly UnreadSpan[];
}

/** What each kind of unread text means for a value it holds, said to the user. */
export const UNREAD_DESCRIPTION: Readonly<Record<UnreadSpan['reason'], string>> = {
  syntax: 'it could not be read (a syntax error)',
  depth: 'it is nested deeper than the parser can follow',
};

/**
 * The first unread span that the node at [start, end) reaches into. An empty span (an error Babel
 * recovered from) counts when it lies strictly inside; the one at the end of the text (`textLength`) also
 * when the node runs past it, into the brackets or operand a repair appended there.
 */
export function unreadWithin(unread: readonly UnreadSpan[], start: number, end: number, textLength: number): UnreadSpan | undefined {
  return unread.find((u) => (u.start < u.end ? u.start < end && u.end > start : (start < u.start && u.start < end) || (u.start >= textLength && end > u.start)));
}

/** Whether a span is where the text stops with brackets still open: whatever follows is not written yet. */
export const isCutOff = (u: UnreadSpan, textLength: number): boolean => u.start === u.end && u.start >= textLength;

/** Above this size a text that is nested too deep is not repaired: each repair step costs a few dozen parses. */
const MAX_DEPTH_REPAIR_CHARS = 100_000;

/**
 * Parses JS/TS/JSX/TSX with Babel, tolerating the half-typed code an editor holds: Babel's own
 * error recovery first, then up to a few repairs that keep every offset where it was (the line
 * Babel stops at is blanked out with spaces; unclosed brackets are closed after the end).
 * Returns undefined when the text cannot be read even so.
 */
export function parseScript(text: string, file: string): ParsedScript | undefined {
  const plugins = pluginsFor(file);
  let attempt = text;
  const unread: UnreadSpan[] = [];
  for (let i = 0; i <= MAX_REPAIRS; i++) {
    try {
      const ast = babelParse(attempt, plugins);
      for (const e of (ast as { errors?: { pos?: number }[] }).errors ?? []) {
        const pos = Math.min(e.pos ?? text.length, text.length);
        unread.push({ start: pos, end: pos, reason: 'syntax' });
      }
      return { ast, unread };
    } catch (err) {
      const repaired = !isStackOverflow(err)
        ? repairAt(err, attempt, text.length)
        : attempt.length <= MAX_DEPTH_REPAIR_CHARS
          ? emptyTooDeepGroup(attempt, text.length, plugins)
          : undefined;
      if (repaired === undefined) return undefined;
      const [next, skipped] = repaired;
      if (next === attempt) return undefined;
      unread.push(skipped);
      attempt = next;
    }
  }
  return undefined;
}

function babelParse(text: string, plugins: ParserPlugin[]): File {
  return parse(text, {
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
}

function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}

/** Whether Babel's recursive descent runs out of stack on `text` (other errors do not count). */
function overflows(text: string, plugins: ParserPlugin[]): boolean {
  try {
    babelParse(text, plugins);
    return false;
  } catch (err) {
    return isStackOverflow(err);
  }
}

function repairAt(err: unknown, text: string, originalLength: number): [string, UnreadSpan] | undefined {
  const pos = (err as { pos?: number }).pos;
  return typeof pos === 'number' ? repair(text, pos, originalLength) : undefined;
}

/**
 * Nesting deeper than Babel's stack allows (thousands of brackets or of `a || a || ...` terms): find where
 * the parse runs out of stack (the shortest prefix that does, closed), then empty the innermost bracket
 * group around that point whose emptying lets the whole text parse. Offsets stay put: the group's content
 * becomes spaces (`void 0` in parentheses, so an expression stays an expression). Each step is one parse,
 * found by bisection, so the cost stays a few dozen parses.
 */
function emptyTooDeepGroup(text: string, originalLength: number, plugins: ParserPlugin[]): [string, UnreadSpan] | undefined {
  const body = text.slice(0, originalLength);
  let lo = 0;
  let hi = body.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const prefix = body.slice(0, mid);
    if (overflows(prefix + '\n' + unclosedBrackets(prefix), plugins)) hi = mid;
    else lo = mid + 1;
  }
  const { openAt, closerOf } = bracketsAround(text, lo);
  const emptied = (k: number): [string, UnreadSpan] | undefined => {
    const open = openAt[k];
    const close = closerOf(open);
    if (close === undefined || close - open < 2) return undefined;
    let inside = text.slice(open + 1, close).replace(/[^\r\n]/g, ' ');
    if (text[open] === '(') {
      const room = inside.search(/ {6}/);
      if (room < 0) return undefined;
      inside = inside.slice(0, room) + 'void 0' + inside.slice(room + 6);
    }
    return [text.slice(0, open + 1) + inside + text.slice(close), { start: open + 1, end: Math.min(close, originalLength), reason: 'depth' }];
  };
  // Deeper groups remove less; the deepest one whose emptying parses is the least lost.
  let best: [string, UnreadSpan] | undefined;
  let a = 0;
  let b = openAt.length - 1;
  while (a <= b) {
    const k = (a + b) >> 1;
    const candidate = emptied(k);
    if (candidate && !overflows(candidate[0], plugins)) {
      best = candidate;
      a = k + 1;
    } else b = k - 1;
  }
  return best;
}

/**
 * One repair step, with the stretch of the text it stopped reading. Inside the text: blank the line
 * holding `pos` (offsets stay put). At the end: close what is still open, then, if a dangling `key:` or
 * operator still fails, give it an operand, then blank the last line and start over.
 */
function repair(text: string, pos: number, originalLength: number): [string, UnreadSpan] | undefined {
  const body = text.slice(0, originalLength);
  const blank = (start: number, end: number, rest: string): [string, UnreadSpan] => [
    body.slice(0, start) + body.slice(start, end).replace(/[^\r\n]/g, ' ') + body.slice(end) + rest,
    { start, end, reason: 'syntax' },
  ];
  if (pos < originalLength) {
    const lineStart = body.lastIndexOf('\n', pos - 1) + 1;
    let lineEnd = body.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = body.length;
    if (body.slice(lineStart, lineEnd).trim() !== '') return blank(lineStart, lineEnd, text.slice(originalLength));
  }
  const suffix = text.slice(originalLength);
  const closers = unclosedBrackets(body);
  const atEnd: UnreadSpan = { start: originalLength, end: originalLength, reason: 'syntax' };
  if (suffix === '' && closers) return [body + '\n' + closers, atEnd];
  if (!suffix.includes('undefined') && closers) return [body + '\nundefined' + closers, atEnd];
  const lastLine = body.trimEnd().lastIndexOf('\n') + 1;
  if (body.slice(lastLine).trim() === '') return undefined;
  return blank(lastLine, body.length, '');
}

/**
 * Brackets outside strings and comments, in order: `visit(i, c)` for each one. A stand-in for a tokenizer,
 * good enough for repairs (a `/` in a regular expression literal is taken for division).
 */
function scanBrackets(text: string, end: number, visit: (at: number, c: string) => void): void {
  for (let i = 0; i < end; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 1;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && !(c !== '`' && text[j] === '\n')) j += text[j] === '\\' ? 2 : 1;
      i = j;
    } else if ('([{)]}'.includes(c)) visit(i, c);
  }
}

const CLOSER: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

/** The closing brackets for what is open at the end of `text`, skipping strings and comments. */
function unclosedBrackets(text: string): string {
  const stack: string[] = [];
  scanBrackets(text, text.length, (_, c) => {
    if (CLOSER[c]) stack.push(CLOSER[c]);
    else if (stack[stack.length - 1] === c) stack.pop();
  });
  return stack.reverse().join('');
}

/** The brackets open at offset `at`, outermost first, and where each one closes (undefined: never). */
function bracketsAround(text: string, at: number): { openAt: number[]; closerOf: (open: number) => number | undefined } {
  const closes = new Map<number, number>();
  const stack: number[] = [];
  let openAt: number[] | undefined;
  scanBrackets(text, text.length, (i, c) => {
    if (!openAt && i >= at) openAt = [...stack];
    if (CLOSER[c]) stack.push(i);
    else if (stack.length && CLOSER[text[stack[stack.length - 1]]] === c) closes.set(stack.pop()!, i);
  });
  return { openAt: openAt ?? [...stack], closerOf: (open) => closes.get(open) };
}
