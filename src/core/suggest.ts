/**
 * Optimal-string-alignment distance (edits: insert, delete, substitute, swap neighbours), computed only
 * inside a band of width 2·max+1; returns max+1 as soon as the distance must exceed `max`.
 */
export function editDistance(a: string, b: string, max = Math.max(a.length, b.length)): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  const INF = max + 1;
  let prev2 = rows(0, m);
  let prev = rows(1, m);
  let cur = rows(2, m);
  prev2.fill(INF, 0, m + 1);
  prev.fill(INF, 0, m + 1);
  for (let j = 0; j <= Math.min(m, max); j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur.fill(INF, 0, m + 1);
    if (i <= max) cur[0] = i;
    const from = Math.max(1, i - max);
    const to = Math.min(m, i + max);
    let rowMin = i <= max ? i : INF;
    const ai = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d > INF ? INF : d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return INF;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[m], INF);
}

// Three reusable rows: distance is computed for thousands of candidate names per lint.
let rowBuffers: Int32Array[] = [];
function rows(k: number, m: number): Int32Array {
  if (!rowBuffers[k] || rowBuffers[k].length < m + 1) {
    rowBuffers = [0, 1, 2].map((i) => (rowBuffers[i] && rowBuffers[i].length >= m + 1 ? rowBuffers[i] : new Int32Array(Math.max(m + 1, 64))));
  }
  return rowBuffers[k];
}

/** Typo budget for a word: longer names tolerate more edits. */
function maxEdits(word: string): number {
  return Math.max(1, Math.min(3, Math.floor(word.length / 4)));
}

// Re-linting on every keystroke asks for the same unknown names again and again.
const cache = new WeakMap<object, Map<string, string | undefined>>();
// Bounded (a few hundred KB); the oldest answer goes first, so a file with more unknown names than the limit
// still hits the cache for most of them instead of emptying it on every lint.
const CACHE_LIMIT = 10_000;

/** The candidate closest to `word` (ties: alphabetically first), if close enough to be a likely typo. */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const key = typeof candidates === 'object' ? (candidates as object) : undefined;
  const memo = key ? cache.get(key) ?? new Map<string, string | undefined>() : undefined;
  if (key && memo && !cache.has(key)) cache.set(key, memo);
  if (memo?.has(word)) return memo.get(word);

  const max = maxEdits(word);
  let best: string | undefined;
  let bestDistance = max + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - word.length) > Math.min(max, bestDistance)) continue;
    const d = editDistance(word, c, Math.min(max, bestDistance));
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      if (d <= max) {
        best = c;
        bestDistance = d;
      }
    }
  }
  if (memo) {
    if (memo.size >= CACHE_LIMIT) memo.delete(memo.keys().next().value as string);
    memo.set(word, best);
  }
  return best;
}
