import * as vscode from 'vscode';
import { outboundEndpoints } from '../core/composeServices';
import type { Endpoint, Finding } from '../core/model';
import type { LiveResult } from '../core/live/liveChecks';
import type { LiveTargets } from '../core/live/liveTargets';
import { type NodeState, type ResultNode, type ResultSnapshot, type ResultsFilter, type ResultsTree, STATE_MARK_PATTERN, buildResultsTree, snapshotOf } from '../core/report/resultsTree';
import type { SmtpDoctorConfig } from './config';
import { toVsRange } from './convert';

export const RESULTS_VIEW_ID = 'smtpDoctor.results';
/** Context key: something was found or checked (otherwise the view shows its welcome). */
export const HAS_RESULTS_CONTEXT = 'smtpDoctor.hasResults';
/** Context key: live results exist (for "Clear Live Results"). */
export const HAS_LIVE_RESULTS_CONTEXT = 'smtpDoctor.hasLiveResults';
/** Context key: the panel's filter (all, live, errors), for the title-bar filter buttons. */
export const FILTER_CONTEXT = 'smtpDoctor.filter';
const REFRESH_DELAY_MS = 100;

/** What the panel reads; the diagnostics classes satisfy it as they are. */
export interface ResultsSources {
  readonly diagnostics: {
    filesWithResults(): string[];
    findingsFor(uri: vscode.Uri): readonly Finding[];
    readonly endpoints: readonly Endpoint[];
    files(): { file: string; text: string }[];
    readonly onDidUpdate: vscode.Event<void>;
  };
  readonly live: {
    readonly isRunning: boolean;
    readonly progress: { readonly done: number; readonly total: number } | undefined;
    readonly targets: LiveTargets | undefined;
    readonly partial: readonly LiveResult[];
    allFindings(): Finding[];
    readonly onDidChange: vscode.Event<void>;
  };
  readonly config: () => SmtpDoctorConfig;
}

/** The codicon of each state: the tree's icons, and the marks at the start of tooltip lines. */
const CODICONS: Readonly<Record<NodeState, string>> = { pass: 'pass', error: 'error', warning: 'warning', running: 'loading~spin', skipped: 'circle-slash', info: 'info' };

const ICONS: Readonly<Record<NodeState, vscode.ThemeIcon>> = {
  pass: new vscode.ThemeIcon(CODICONS.pass, new vscode.ThemeColor('testing.iconPassed')),
  error: new vscode.ThemeIcon(CODICONS.error, new vscode.ThemeColor('problemsErrorIcon.foreground')),
  warning: new vscode.ThemeIcon(CODICONS.warning, new vscode.ThemeColor('problemsWarningIcon.foreground')),
  running: new vscode.ThemeIcon(CODICONS.running),
  skipped: new vscode.ThemeIcon(CODICONS.skipped, new vscode.ThemeColor('disabledForeground')),
  info: new vscode.ThemeIcon(CODICONS.info, new vscode.ThemeColor('problemsInfoIcon.foreground')),
};

/** A tooltip with the core's state marks drawn as codicons ($(error), ...). */
export const withStateIcons = (tooltip: string): string => tooltip.replace(STATE_MARK_PATTERN, (_mark, state: NodeState) => `$(${CODICONS[state]})`);

/**
 * The Results panel: config files → endpoints / domains / addresses → checks, rebuilt (debounced) whenever
 * static findings, application findings or live results change, so live checks appear as they finish.
 */
export class ResultsTreeProvider implements vscode.TreeDataProvider<ResultNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ResultNode | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private tree: ResultsTree | undefined;
  private parents = new Map<string, ResultNode>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private view: vscode.TreeView<ResultNode> | undefined;
  /** Files edited since the live run: their old results may describe lines that changed. */
  private readonly staleFiles = new Set<string>();
  private wasRunning = false;
  private filter: ResultsFilter = 'all';
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly sources: ResultsSources) {
    void vscode.commands.executeCommand('setContext', FILTER_CONTEXT, this.filter);
    const refresh = () => this.refresh();
    this.subscriptions.push(
      sources.diagnostics.onDidUpdate(refresh),
      sources.live.onDidChange(() => {
        const running = sources.live.isRunning;
        if ((running && !this.wasRunning) || !sources.live.targets) this.staleFiles.clear();
        this.wasRunning = running;
        this.refresh();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!e.contentChanges.length || !sources.live.targets || this.staleFiles.has(e.document.uri.toString())) return;
        this.staleFiles.add(e.document.uri.toString());
        this.refresh();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(refresh),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('smtpDoctor.rules') && refresh()),
    );
  }

  /** Which nodes show: everything, live results only, or errors only. */
  setFilter(filter: ResultsFilter): void {
    this.filter = filter;
    void vscode.commands.executeCommand('setContext', FILTER_CONTEXT, filter);
    if (this.view) this.view.description = filter === 'all' ? undefined : filter === 'live' ? 'live results only' : 'errors only';
    this.rebuild();
  }

  get currentFilter(): ResultsFilter {
    return this.filter;
  }

  /**
   * The node of an endpoint host:port, rebuilt now: where a config names it, else under "Checked by hand"
   * (undefined when the filter hides it).
   */
  findEndpoint(host: string, port: number): ResultNode | undefined {
    const key = `${host.toLowerCase().replace(/\.$/, '')}:${port}`;
    const matches: ResultNode[] = [];
    const walk = (nodes: readonly ResultNode[]) => {
      for (const n of nodes) {
        if (n.kind === 'endpoint' && n.host && n.port && `${n.host.toLowerCase().replace(/\.$/, '')}:${n.port}` === key) matches.push(n);
        walk(n.children);
      }
    };
    walk(this.rebuild().roots);
    return matches.find((n) => !n.location) ?? matches[0];
  }

  /** Shows the tree in a view (badge, progress message and context keys follow each rebuild). */
  attach(view: vscode.TreeView<ResultNode>): void {
    this.view = view;
    this.rebuild();
  }

  /** Rebuilds soon, coalescing bursts (every keystroke and every live result fires an event). */
  refresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.rebuild();
    }, REFRESH_DELAY_MS);
  }

  /** Rebuilds now (for tests and commands that need the tree current). */
  rebuild(): ResultsTree {
    clearTimeout(this.timer);
    this.timer = undefined;
    const tree = this.build();
    this.tree = tree;
    this.parents = new Map();
    const index = (nodes: readonly ResultNode[], parent?: ResultNode) => {
      for (const n of nodes) {
        if (parent) this.parents.set(n.id, parent);
        index(n.children, n);
      }
    };
    index(tree.roots);
    this.changed.fire();
    void vscode.commands.executeCommand('setContext', HAS_RESULTS_CONTEXT, tree.hasResults);
    void vscode.commands.executeCommand('setContext', HAS_LIVE_RESULTS_CONTEXT, !!this.sources.live.targets);
    if (this.view) {
      this.view.badge = tree.problems ? { value: tree.problems, tooltip: `${tree.problems} problem${tree.problems === 1 ? '' : 's'} in mail configs` } : undefined;
      this.view.message = this.progressMessage();
    }
    return tree;
  }

  /** The tree as plain data (rebuilt now): what the panel shows, for tests. */
  snapshot(): ResultSnapshot[] {
    return snapshotOf(this.rebuild().roots);
  }

  /** Error and warning findings, static and live (the badge number). */
  get problems(): number {
    return (this.tree ?? this.rebuild()).problems;
  }

  getChildren(node?: ResultNode): ResultNode[] {
    return [...(node ? node.children : (this.tree ?? this.rebuild()).roots)];
  }

  getParent(node: ResultNode): ResultNode | undefined {
    return this.parents.get(node.id);
  }

  getTreeItem(node: ResultNode): vscode.TreeItem {
    const collapsible =
      node.children.length === 0
        ? vscode.TreeItemCollapsibleState.None
        : node.kind === 'file' || node.kind === 'group'
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, collapsible);
    item.id = node.id;
    item.description = node.description;
    const tooltip = new vscode.MarkdownString(withStateIcons(node.tooltip), true);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    item.tooltip = tooltip;
    item.iconPath = ICONS[node.state];
    // e.g. smtpDoctor.result.endpoint.login.located, smtpDoctor.result.check.located.finding: menus match on these words.
    item.contextValue = `smtpDoctor.result.${node.kind}${node.login ? '.login' : ''}${node.location ? '.located' : node.kind === 'endpoint' ? '.byhand' : ''}${node.ruleIds?.length ? '.finding' : ''}`;
    if (node.kind === 'notice') {
      item.command =
        node.action === 'dns-settings'
          ? { command: 'workbench.action.openSettings', title: 'Open the DNS server setting', arguments: ['smtpDoctor.dnsServers'] }
          : { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' };
    } else if (node.location) {
      item.command = {
        command: 'vscode.open',
        title: 'Go to config line',
        arguments: [vscode.Uri.parse(node.location.file), { selection: toVsRange(node.location.range), preview: true } satisfies vscode.TextDocumentShowOptions],
      };
    }
    return item;
  }

  private build(): ResultsTree {
    const { diagnostics, live } = this.sources;
    const files = new Map<string, readonly Finding[]>();
    for (const f of diagnostics.filesWithResults()) files.set(f, diagnostics.findingsFor(vscode.Uri.parse(f)));
    const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    const texts = new Map(diagnostics.files().map((f) => [f.file, f.text]));
    return buildResultsTree({
      files,
      // A compose service that is a mail server is not a connection the application makes.
      endpoints: outboundEndpoints(diagnostics.endpoints, (f) => texts.get(f)),
      live: { running: live.isRunning, targets: live.targets, results: live.partial, findings: live.allFindings(), staleFiles: this.staleFiles },
      liveDisabledReason: vscode.workspace.isTrusted ? undefined : 'this workspace is not trusted',
      // One map for the whole tree: the first folder's project file, then the settings.
      overrides: this.sources.config().rulesFor(vscode.workspace.workspaceFolders?.[0]?.uri.toString() ?? ''),
      displayPath: (file) => vscode.workspace.asRelativePath(vscode.Uri.parse(file), multiRoot),
      dnsSetting: 'smtpDoctor.dnsServers',
      filter: this.filter,
    });
  }

  /** What the run under way has done of its own checks (earlier results do not count). */
  private progressMessage(): string | undefined {
    const p = this.sources.live.progress;
    return p ? `Live checks running: ${Math.min(p.done, p.total)} of ${p.total} done` : undefined;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
