// What the Results panel shows of a built tree: the filter (all, live only, errors only) and the masking of
// credentials in labels; applied last, to the whole tree.
import { redactText } from '../redact';
import type { ResultNode, ResultsFilter } from './resultNode';

/**
 * The nodes a filter keeps. `live`: servers, domains and addresses with their checks (no static findings, no
 * file without live targets); `errors`: only nodes in the error state, with the parents that lead to them.
 */
export function filtered(roots: readonly ResultNode[], filter: ResultsFilter): ResultNode[] {
  if (filter === 'all') return [...roots];
  if (filter === 'live') {
    return roots.flatMap((n) => {
      if (n.kind === 'notice' || n.kind === 'group') return [n];
      if (n.kind !== 'file') return [];
      const children = n.children.filter((c) => c.kind !== 'problems');
      return children.length ? [{ ...n, children }] : [];
    });
  }
  const keep = (n: ResultNode): ResultNode | undefined => {
    const children = n.children.map(keep).filter((c): c is ResultNode => !!c);
    if (children.length) return { ...n, children };
    return n.state === 'error' && n.kind !== 'file' && n.kind !== 'group' && n.kind !== 'problems' ? { ...n, children: [] } : undefined;
  };
  return roots.map(keep).filter((n): n is ResultNode => !!n);
}

/** Labels and descriptions are plain text, partly what servers and resolvers said: credentials in them are masked. */
export function masked(nodes: readonly ResultNode[]): ResultNode[] {
  return nodes.map((n) => ({ ...n, label: redactText(n.label), description: redactText(n.description), children: masked(n.children) }));
}
