import { findReferences } from './macros';
import { isTemplated } from './template';
import type { Span } from './mainCf';
import type { PostfixInstance } from './instance';

/** The parameter name under a source offset: a main.cf name, a `$reference`, or a master.cf `-o` name. */
export function parameterNameAt(
  instance: PostfixInstance,
  file: 'main' | 'master',
  offset: number,
): { name: string; span: Span } | undefined {
  const inside = (s: Span) => offset >= s.start && offset <= s.end;
  if (file === 'main') {
    for (const p of instance.main?.parameters ?? []) {
      if (offset < p.nameSpan.start || offset > p.statementSpan.end) continue;
      // A name a template fills in (PH_NAME = ..., a sed target) is not a Postfix name: nothing to describe.
      if (inside(p.nameSpan)) return isTemplated(p.name) ? undefined : { name: p.name, span: p.nameSpan };
      for (const r of instance.referencesOf(p)) {
        const span = p.spanOfValue(r.nameStart, r.nameEnd);
        if (inside(span)) return { name: r.name, span };
      }
    }
    return undefined;
  }
  for (const s of instance.master?.services ?? []) {
    if (offset < s.statementSpan.start || offset > s.statementSpan.end) continue;
    for (const o of s.overrides) {
      if (inside(o.nameSpan)) return { name: o.name, span: o.nameSpan };
      if (inside(o.valueSpan)) {
        // Values inside one -o field are contiguous in the source unless a { } group spans lines.
        for (const r of findReferences(o.value).refs) {
          const span = { start: o.valueSpan.start + r.nameStart, end: o.valueSpan.start + r.nameEnd };
          if (inside(span)) return { name: r.name, span };
        }
      }
    }
  }
  return undefined;
}
