// One root cause, one diagnostic. Rules and checks report what they see, each on its own; before findings are
// shown (the editor, the CLI), those that are one problem seen twice become one finding, the others riding
// along as related information so nothing they said is lost.
import { type Finding, type Range, type RelatedLocation, SEVERITY_ORDER } from './model';

const rangeKey = (file: string, r: Range) => `${file}\u0000${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

/** Which of several findings on one range speaks for them: the most severe, then one with a fix, then the first. */
function primaryFirst(a: { f: Finding; i: number }, b: { f: Finding; i: number }): number {
  return SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || Number(!a.f.fixes?.length) - Number(!b.f.fixes?.length) || a.i - b.i;
}

/**
 * Findings as they should be shown: at most one per range of a file, and none that repeats another finding
 * of the same rule its related information already points to (a `.env` value and the code that reads it).
 * Order is kept (a merged finding takes its primary's place).
 */
export function consolidateFindings(findings: readonly Finding[]): Finding[] {
  // 1. The same rule reported here and at a place another finding of that rule points to: keep the pointer.
  const pointers = new Map<string, Finding[]>();
  for (const g of findings) {
    for (const r of g.related ?? []) {
      const key = `${g.ruleId}\u0000${rangeKey(r.file, r.range)}`;
      pointers.set(key, [...(pointers.get(key) ?? []), g]);
    }
  }
  const dropped = new Set<Finding>();
  if (pointers.size) {
    for (const f of findings) {
      const by = pointers.get(`${f.ruleId}\u0000${rangeKey(f.file, f.range)}`);
      if (by?.some((g) => g !== f && !dropped.has(g))) dropped.add(f);
    }
  }
  const kept = dropped.size ? findings.filter((f) => !dropped.has(f)) : [...findings];

  // 2. One range, one finding.
  const groups = new Map<string, { f: Finding; i: number }[]>();
  kept.forEach((f, i) => {
    const key = rangeKey(f.file, f.range);
    const g = groups.get(key);
    if (g) g.push({ f, i });
    else groups.set(key, [{ f, i }]);
  });
  const out: { f: Finding; i: number }[] = [];
  for (const group of groups.values()) {
    if (group.length === 1) {
      out.push(group[0]);
      continue;
    }
    const [primary, ...others] = [...group].sort(primaryFirst);
    // The same rule and message twice (two lines naming one host reach the same range) is one finding.
    const distinct = others.filter((o, k) => !(o.f.ruleId === primary.f.ruleId && o.f.message === primary.f.message) && others.findIndex((x) => x.f.ruleId === o.f.ruleId && x.f.message === o.f.message) === k);
    const related: RelatedLocation[] = [...(primary.f.related ?? [])];
    for (const o of distinct) related.push({ file: o.f.file, range: o.f.range, message: `also ${o.f.ruleId} (${o.f.severity}): ${o.f.message}` });
    for (const o of others) for (const r of o.f.related ?? []) if (!related.some((x) => rangeKey(x.file, x.range) === rangeKey(r.file, r.range) && x.message === r.message)) related.push(r);
    out.push({ f: related.length ? { ...primary.f, related } : primary.f, i: Math.min(...group.map((g) => g.i)) });
  }
  return out.sort((a, b) => a.i - b.i).map((x) => x.f);
}
