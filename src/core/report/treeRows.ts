// The pieces every row of the Results tree is made of: node states and their marks, Markdown that what a
// server or a file says cannot subvert, one check's row, and judging a row by its rules' findings.
// resultsTree.ts assembles the tree; each kind of check's row builder (probeRows.ts, mxRow.ts, ...) builds on this.
import type { Finding, RuleMeta, Severity } from '../model';
import type { ConfigLocation } from '../live/liveFindings';
import { redactText } from '../redact';

export type NodeState = 'pass' | 'warning' | 'error' | 'running' | 'skipped' | 'info';

/**
 * A state's mark at the start of a tooltip line ("{state:error} The certificate has expired."). The tree is
 * presentation-neutral: an adapter draws the mark as its icon (VS Code: a codicon), another may print a word.
 * Escaped text (mdText) cannot produce one, since it escapes braces.
 */
export const stateMark = (state: NodeState): string => `{state:${state}}`;

/** Every state mark in a tooltip (each at the start of a line), for an adapter to replace. */
export const STATE_MARK_PATTERN = /^\{state:(pass|warning|error|running|skipped|info)\}/gm;

const STATE_RANK: Readonly<Record<NodeState, number>> = { error: 0, warning: 1, running: 2, pass: 3, info: 4, skipped: 5 };

/** The state a parent shows: its most urgent child's. */
export function worstState(states: Iterable<NodeState>, empty: NodeState = 'skipped'): NodeState {
  let worst: NodeState | undefined;
  for (const s of states) if (worst === undefined || STATE_RANK[s] < STATE_RANK[worst]) worst = s;
  return worst ?? empty;
}

export function stateOfSeverity(s: Severity): NodeState {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'info';
}

// ---------- Markdown that cannot be subverted by what a server or a file says ----------

/** Plain text as Markdown: credentials masked, one line, nothing in it read as a link, emphasis, HTML or block. */
export function mdText(text: string): string {
  return redactText(text)
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_{}[\]<>!~|&]/g, '\\$&')
    .replace(/^(\s*)([#+\-=])/, '$1\\$2')
    // "1." or "127.0.0.1" at the start would open an ordered list: escape the dot, not the digits.
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** Inline code that survives backticks in the text. */
export function mdCode(text: string): string {
  const t = redactText(text).replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return longest ? `${fence} ${t} ${fence}` : `${fence}${t}${fence}`;
}

/** A fenced block that survives any fence inside the text. */
export function mdBlock(text: string): string {
  const t = redactText(text);
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${t}\n${fence}`;
}

/** Markdown lines joined as hard line breaks within one paragraph. */
export const lines = (...xs: (string | undefined | false)[]) => xs.filter((x): x is string => !!x).join('  \n');
export const para = (...xs: (string | undefined | false)[]) => xs.filter((x): x is string => !!x).join('\n\n');

/** One check of an endpoint, domain or address, as its row. */
export interface CheckRow {
  readonly name: string;
  readonly state: NodeState;
  readonly description: string;
  readonly tooltip: string;
  /** Checks under this one (an MX host's port-25 checks under it). */
  readonly children?: readonly CheckRow[];
  /** What Re-check on it probes again. */
  readonly host?: string;
  readonly port?: number;
  /** Rules of the findings behind the state. */
  readonly ruleIds?: readonly string[];
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Free text (a banner, an error) as one short line, credentials masked. */
export const oneLine = (text: string, max = 80) => {
  const s = redactText(text).replace(/\s+/g, ' ').trim();
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
};

/** A location for findings that are only judged, never shown at a place. */
export const NOWHERE: ConfigLocation = { file: '', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };

/** State and problem lines from the findings of the given rules (pass when there are none). */
export function judge(findings: readonly Finding[], rules: readonly RuleMeta[]): { state: NodeState; problems: string[]; ruleIds: string[] } {
  const ids = new Set(rules.map((r) => r.id));
  const mine = findings.filter((f) => ids.has(f.ruleId));
  return {
    state: worstState(mine.map((f) => stateOfSeverity(f.severity)), 'pass'),
    problems: mine.map((f) => `${stateMark(f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info')} ${mdText(f.message)} (${mdCode(f.ruleId)})${f.details ? `  \n${mdText(f.details)}` : ''}`),
    ruleIds: [...new Set(mine.map((f) => f.ruleId))],
  };
}
