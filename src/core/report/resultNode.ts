// A node of the Results tree as data (what the VS Code tree draws, and tests read as snapshots), and check
// rows turned into nodes. Separate so the row builders, the filter and the adapters share it without the tree.
import type { ConfigLocation } from '../live/liveFindings';
import type { CheckRow, NodeState } from './treeRows';

export type NodeKind =
  /** A config file. */
  | 'file'
  /** An SMTP server a config connects to, or a Postfix server's own port: host:port. */
  | 'endpoint'
  /** A domain whose MX records matter. */
  | 'domain'
  /** A server address (or the name it resolves from) whose reverse DNS matters. */
  | 'address'
  /** One live check of an endpoint, domain or address. */
  | 'check'
  /** A static finding of the file. */
  | 'finding'
  /** Checks of hosts no config names (e.g. Check SMTP Port). */
  | 'group'
  /** A file's static findings, folded (the Problems panel lists them too). */
  | 'problems'
  /** A sentence about the panel itself (e.g. why live checks are off, a DNS server that does not answer). */
  | 'notice';

/** What clicking a notice does. */
export type NoticeAction = 'manage-trust' | 'dns-settings';

/** Which nodes the panel shows: everything, live results only, or only what is an error. */
export type ResultsFilter = 'all' | 'live' | 'errors';

export interface ResultNode {
  /** Stable across rebuilds, so the tree keeps what the user expanded. */
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  readonly description: string;
  /** Markdown; free text in it is escaped and redacted. */
  readonly tooltip: string;
  readonly state: NodeState;
  /** The config line to go to. */
  readonly location?: ConfigLocation;
  /** An endpoint whose configuration logs in (Verify Login applies to it). */
  readonly login?: boolean;
  /** The rules of the findings this node shows (finding nodes, and checks with problems): copy, suppress, docs. */
  readonly ruleIds?: readonly string[];
  /** A notice's action. */
  readonly action?: NoticeAction;
  /** What "Re-check" on this node checks again: an endpoint's host and port, or a file (URI string). */
  readonly host?: string;
  readonly port?: number;
  readonly file?: string;
  readonly children: readonly ResultNode[];
}


export function checkNodes(parentId: string, checks: readonly CheckRow[], location: ConfigLocation | undefined): ResultNode[] {
  return checks.map((c) => {
    const id = `${parentId}/check:${c.name}`;
    return {
      id,
      kind: c.host ? 'endpoint' : 'check',
      label: c.name,
      description: c.description,
      tooltip: c.tooltip,
      state: c.state,
      location,
      ...(c.ruleIds?.length ? { ruleIds: c.ruleIds } : {}),
      ...(c.host ? { host: c.host, port: c.port } : {}),
      children: c.children ? checkNodes(id, c.children, location) : [],
    };
  });
}

/** A node and its descendants as plain data (for tests and the extension API). */
export interface ResultSnapshot {
  readonly kind: NodeKind;
  readonly label: string;
  readonly description: string;
  readonly state: NodeState;
  readonly tooltip: string;
  readonly line?: number;
  readonly children: readonly ResultSnapshot[];
}

export function snapshotOf(nodes: readonly ResultNode[]): ResultSnapshot[] {
  return nodes.map((n) => ({ kind: n.kind, label: n.label, description: n.description, state: n.state, tooltip: n.tooltip, ...(n.location ? { line: n.location.range.start.line } : {}), children: snapshotOf(n.children) }));
}
