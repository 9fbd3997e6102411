import { isPostfixSpace } from '../../text';

/** A stretch of a logical line that comes from one physical line. */
export interface LineSegment {
  /** Index in the logical line's text. */
  readonly logicalStart: number;
  /** Offset in the file's text. */
  readonly sourceStart: number;
  readonly length: number;
}

/**
 * One logical line as Postfix's readlline() builds it: the physical lines of a statement concatenated
 * (no separator; continuation lines keep their leading white space), with comment and blank lines
 * dropped even when they sit inside the statement.
 */
export interface LogicalLine {
  readonly text: string;
  readonly segments: readonly LineSegment[];
  /** Zero-based physical line numbers of the first and last line that contributed text. */
  readonly firstLine: number;
  readonly lastLine: number;
}

/** A comment line (first non-blank character `#`), kept for rules that look at commented-out text. */
export interface CommentLine {
  readonly line: number;
  /** Offset of the `#`. */
  readonly start: number;
  readonly end: number;
}

export interface LogicalLineSplit {
  readonly lines: readonly LogicalLine[];
  /** Logical lines that start with white space: Postfix warns and ignores them. */
  readonly orphanContinuations: readonly LogicalLine[];
  readonly comments: readonly CommentLine[];
}

/** Splits a Postfix configuration text into logical lines exactly as readlline() does. */
export function splitLogicalLines(text: string): LogicalLineSplit {
  const lines: LogicalLine[] = [];
  const orphans: LogicalLine[] = [];
  const comments: CommentLine[] = [];
  let parts: string[] = [];
  let segments: LineSegment[] = [];
  let length = 0;
  let firstLine = -1;
  let lastLine = -1;

  const flush = () => {
    if (segments.length === 0) return;
    const line: LogicalLine = { text: parts.join(''), segments, firstLine, lastLine };
    (isPostfixSpace(line.text.charCodeAt(0)) ? orphans : lines).push(line);
    parts = [];
    segments = [];
    length = 0;
  };

  let lineNo = 0;
  let pos = 0;
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    if (nl < 0 && pos === text.length) break; // no final partial line
    let first = pos;
    while (first < end && isPostfixSpace(text.charCodeAt(first))) first++;
    if (first < end && text.charCodeAt(first) === 35 /* # */) {
      comments.push({ line: lineNo, start: first, end });
    } else if (first < end) {
      // A line with text: it continues the current logical line unless it starts a new one.
      if (segments.length > 0 && !isPostfixSpace(text.charCodeAt(pos))) flush();
      if (segments.length === 0) firstLine = lineNo;
      segments.push({ logicalStart: length, sourceStart: pos, length: end - pos });
      parts.push(text.slice(pos, end));
      length += end - pos;
      lastLine = lineNo;
    }
    if (nl < 0) break;
    pos = nl + 1;
    lineNo++;
  }
  flush();
  return { lines, orphanContinuations: orphans, comments };
}

/** Source offset of a character index in a logical line (an index at the end maps past the last char). */
export function sourceOffset(line: LogicalLine, index: number): number {
  const segs = line.segments;
  let lo = 0;
  let hi = segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segs[mid].logicalStart <= index) lo = mid;
    else hi = mid - 1;
  }
  const seg = segs[lo];
  return seg.sourceStart + Math.min(index - seg.logicalStart, seg.length);
}

/** Source offsets [start, end) of the logical-line slice [from, to). */
export function sourceSpan(line: LogicalLine, from: number, to: number): { start: number; end: number } {
  if (to <= from) {
    const at = sourceOffset(line, from);
    return { start: at, end: at };
  }
  return { start: sourceOffset(line, from), end: sourceOffset(line, to - 1) + 1 };
}

/** Postfix warns about and ignores a logical line that starts with white space. */
export function orphanContinuationProblems(
  orphans: readonly LogicalLine[],
): { kind: 'orphan-continuation'; span: { start: number; end: number }; message: string }[] {
  return orphans.map((orphan) => ({
    kind: 'orphan-continuation',
    span: sourceSpan(orphan, 0, orphan.text.length),
    message: 'This indented line continues nothing, so Postfix ignores it; remove the indentation or the line.',
  }));
}
