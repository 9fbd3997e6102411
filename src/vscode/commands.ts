import * as vscode from 'vscode';
import { version } from '../../package.json';
import { parseHostPort } from '../core/engine/hostPort';
import { type LiveRunSummary, summarizeLiveRun } from '../core/engine/liveRunSummary';
import { configKindOfPath } from '../core/discover';
import { type Finding, ruleDocsPath, ruleDocsUrl } from '../core/model';
import { probeFindings, resolverFindings } from '../core/live/liveFindings';
import type { LiveTargets } from '../core/live/liveTargets';
import type { SmtpProbeResult } from '../core/live/probeTypes';
import { redactText } from '../core/redact';
import { formatJson } from '../core/report/json';
import { formatProbeDetails } from '../core/report/liveText';
import { formatMarkdown } from '../core/report/markdown';
import { buildReport } from '../core/report/report';
import { securityLabel } from '../core/report/endpointLabels';
import { probeSummary } from '../core/report/probeRows';
import type { ResultNode, ResultsFilter } from '../core/report/resultNode';
import { formatSarif } from '../core/report/sarif';
import { allRuleMetas } from '../core/rules';
import { suppressionEdit } from '../core/suppressions';
import type { LintInput } from '../core/workspaceLint';
import { AppDiagnostics } from './appDiagnostics';
import type { SmtpDoctorConfig } from './config';
import { groupKeyOf } from './configSources';
import { OPEN_RULE_DOCS_COMMAND, toVsRange } from './convert';
import { configKindOfLanguage } from './languages';
import { DNS_SERVERS_SETTING, type LiveDiagnostics, type LiveRunReport } from './liveDiagnostics';
import type { OutputLog } from './log';
import { RESULTS_VIEW_ID, type ResultsTreeProvider } from './resultsTree';
import type { PostfixDiagnostics } from './postfixDiagnostics';
import { RESULTS_VIEW_COMMAND } from './statusBar';
import type { WorkspaceScanner } from './workspaceScanner';
import { type LoginConfirmation, VERIFY_LOGIN_COMMAND, verifyLoginCommand } from './verifyLogin';

export const COMMAND_LINT_WORKSPACE = 'smtpDoctor.lintWorkspace';

/** "SMTP Doctor: Lint Workspace Configs (No Network)": rescan, then report how many problems were found. */
export function lintWorkspaceCommand(scanner: WorkspaceScanner, problemCount: () => number) {
  return async (): Promise<number> => {
    const files = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'SMTP Doctor: linting mail configs' },
      (_p, token) => scanner.scan(token),
    );
    const problems = problemCount();
    void vscode.window.setStatusBarMessage(`SMTP Doctor: ${files} config file(s), ${problems} problem(s)`, 5000);
    return problems;
  };
}

/** What the check, report and result commands work with (built once in extension.ts). */
export interface CommandContext {
  readonly scanner: WorkspaceScanner;
  readonly diagnostics: PostfixDiagnostics;
  readonly app: AppDiagnostics;
  readonly live: LiveDiagnostics;
  readonly log: OutputLog;
  readonly config: () => SmtpDoctorConfig;
  /** Every config the extension knows, as the user sees it now. */
  readonly currentFiles: () => Promise<LintInput[]>;
  /** How Verify Login asks before it logs in (the modal, unless the API was given another). */
  readonly loginConfirmation?: LoginConfirmation;
  readonly results: ResultsTreeProvider;
  readonly view: vscode.TreeView<ResultNode>;
  readonly extensionUri: vscode.Uri;
}

export const COMMANDS = {
  checkSmtpPort: 'smtpDoctor.checkSmtpPort',
  checkWorkspace: 'smtpDoctor.checkWorkspace',
  recheck: 'smtpDoctor.recheck',
  cancel: 'smtpDoctor.cancel',
  copyReport: 'smtpDoctor.copyReport',
  exportReport: 'smtpDoctor.exportReport',
  showLog: 'smtpDoctor.showLog',
  clearResults: 'smtpDoctor.clearResults',
  openRuleDocs: OPEN_RULE_DOCS_COMMAND,
  filterResults: 'smtpDoctor.filterResults',
  copyResult: 'smtpDoctor.copyResult',
  suppressFinding: 'smtpDoctor.suppressFinding',
  openFindingDocs: 'smtpDoctor.openFindingDocs',
  showTranscript: 'smtpDoctor.showTranscript',
  removeCheckedHost: 'smtpDoctor.removeCheckedHost',
} as const;

/** Context key that is true while live checks run (enables Cancel Live Checks). */
export const RUNNING_CONTEXT_KEY = 'smtpDoctor.running';

/** What a live command returns (for tests and other extensions). */
export type { LiveRunSummary };

export interface PortCheckSummary extends LiveRunSummary {
  readonly host: string;
  readonly ports: readonly number[];
  /** The one line the notification shows. */
  readonly headline: string;
  /** Whether the answer is a failure (shown as a warning). */
  readonly failed: boolean;
}

/** Live checks connect to hosts a workspace names: only where the user trusts it. */
function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage('SMTP Doctor runs live network checks only in a trusted workspace.', 'Manage Workspace Trust').then((pick) => {
    if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}

const relative = (file: string) => vscode.workspace.asRelativePath(vscode.Uri.parse(file), false);

/** Rescans the workspace with window progress; returns how many config files it found. */
async function scan(ctx: CommandContext): Promise<number> {
  const started = Date.now();
  const files = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'SMTP Doctor: linting mail configs' }, (_p, token) => ctx.scanner.scan(token));
  ctx.log.info(`scan: ${files} Postfix file(s), ${ctx.app.files().length} application file(s), ${staticFindings(ctx).length} finding(s) in ${Date.now() - started} ms`);
  return files;
}

const staticFindings = (ctx: CommandContext): Finding[] => [...ctx.diagnostics.allFindings(), ...ctx.app.allFindings()];

interface PortPick extends vscode.QuickPickItem {
  readonly host: string;
  readonly port?: number;
}

/** Hosts the workspace names first, then whatever the user types as host[:port]. */
async function pickHostPort(ctx: CommandContext, targets: LiveTargets): Promise<{ host: string; port?: number } | undefined> {
  const known: PortPick[] = targets.probes.map((t) => ({
    label: `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`,
    description: t.security ? securityLabel(t.security, t.port) : 'Postfix server port',
    detail: t.locations.map((l) => `${relative(l.file)}:${l.range.start.line + 1}`).join(', '),
    host: t.host,
    port: t.port,
  }));
  const quickPick = vscode.window.createQuickPick<PortPick>();
  quickPick.title = 'SMTP Doctor: Check SMTP Port';
  quickPick.placeholder = `A host from the workspace, or type host[:port] (without a port: ${ctx.config().ports.join(', ')})`;
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  const withTyped = (value: string): PortPick[] => {
    const typed = parseHostPort(value);
    if (!typed) return known;
    const item: PortPick = { label: value.trim(), description: typed.port ? `port ${typed.port}` : `ports ${ctx.config().ports.join(', ')}`, alwaysShow: true, ...typed };
    return [item, ...known.length ? [{ label: 'In the workspace', kind: vscode.QuickPickItemKind.Separator, host: '' }, ...known] : []];
  };
  quickPick.items = known;
  return new Promise((resolve) => {
    const subscriptions = [
      quickPick.onDidChangeValue((value) => (quickPick.items = withTyped(value))),
      quickPick.onDidAccept(() => {
        const picked = quickPick.selectedItems[0];
        const typed = parseHostPort(quickPick.value);
        resolve(picked ? { host: picked.host, ...(picked.port ? { port: picked.port } : {}) } : typed);
        quickPick.hide();
      }),
      quickPick.onDidHide(() => {
        resolve(undefined);
        for (const s of subscriptions) s.dispose();
        quickPick.dispose();
      }),
    ];
    quickPick.show();
  });
}

/**
 * The answer of a port check in one line: `smtp.example.com:587 open · STARTTLS · TLS 1.3 · cert valid 81 days`,
 * a failure in plain words (the finding's sentence), or the DNS server that did not answer.
 */
export function portCheckHeadline(host: string, ports: readonly number[], report: LiveRunReport): { text: string; failed: boolean } {
  const shown = host.includes(':') ? `[${host}]` : host;
  const probes = ports.map((p) => report.probes.find((r) => r.port === p && r.host.toLowerCase() === host.toLowerCase())).filter((r): r is SmtpProbeResult => !!r);
  if (!probes.length) {
    const dead = report.resolver && resolverFindings(report.resolver, [{ file: '', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }], DNS_SERVERS_SETTING)[0];
    return { text: dead ? dead.message : report.cancelled ? `${shown}: cancelled` : `${shown}: not checked`, failed: true };
  }
  const problems = (r: SmtpProbeResult) => probeFindings({ file: '', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }, r);
  const failed = probes.some((r) => r.status !== 'open') || probes.some((r) => problems(r).some((f) => f.severity === 'error'));
  if (probes.length === 1) {
    const r = probes[0];
    const first = r.status !== 'open' && r.status !== 'cancelled' ? problems(r)[0] : undefined;
    return { text: first ? first.message : `${shown}:${probeSummary(r)}`, failed };
  }
  return { text: `${shown}: ${probes.map((r) => probeSummary(r)).join('; ')}`, failed };
}

/** Opens the Results view and reveals, selects and expands a server's node (retrying while a rebuild replaces nodes). */
async function revealEndpoint(ctx: CommandContext, host: string, port: number): Promise<boolean> {
  await vscode.commands.executeCommand(RESULTS_VIEW_COMMAND);
  for (let attempt = 0; attempt < 5; attempt++) {
    const node = ctx.results.findEndpoint(host, port);
    if (!node) return false;
    try {
      await ctx.view.reveal(node, { select: true, focus: false, expand: true });
      return true;
    } catch (error) {
      ctx.log.debug(`reveal of ${host}:${port} failed (attempt ${attempt + 1}): ${error instanceof Error ? error.message : String(error)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return false;
}

/** The page of one probe: summary, certificate, timings and the transcript. */
async function showProbeDetails(ctx: CommandContext, host: string, port: number): Promise<vscode.TextDocument | undefined> {
  const probe = ctx.live.probeResult(host, port);
  if (!probe) {
    void vscode.window.showInformationMessage(`SMTP Doctor: ${host}:${port} has no live result yet.`);
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: formatProbeDetails(probe, `${host}:${probeSummary(probe)}`) });
  await vscode.window.showTextDocument(doc, { preview: true });
  return doc;
}

/** "Check SMTP Port": probes one host on the given port, or on the configured ports, and shows the answer. */
function checkSmtpPort(ctx: CommandContext) {
  const run = async (subject: { host: string; port?: number }, targets?: LiveTargets): Promise<PortCheckSummary | undefined> => {
    const ports = subject.port ? [subject.port] : ctx.config().ports;
    ctx.log.info(`Check SMTP Port: ${subject.host} on ${ports.join(', ')}`);
    const known = (targets ?? ctx.live.workspaceTargets()).probes;
    // The Results view shows the run (its progress bar and count) and then the answer: one toast, not two.
    await vscode.commands.executeCommand(RESULTS_VIEW_COMMAND);
    const report = await ctx.live.runProbes(subject.host, ports, { known, fresh: true, title: `SMTP Doctor: checking ${subject.host}`, progressView: RESULTS_VIEW_ID });
    if (!report) return undefined;
    const headline = portCheckHeadline(subject.host, ports, report);
    // The answer: the server's node in the Results view, and one line with what to do next.
    await revealEndpoint(ctx, subject.host, ports[0]);
    const show = headline.failed ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(`SMTP Doctor: ${headline.text}`, 'Show details', 'Copy', 'Re-check').then(async (pick) => {
      if (pick === 'Show details') await showProbeDetails(ctx, subject.host, ports[0]);
      else if (pick === 'Copy') await vscode.env.clipboard.writeText(headline.text);
      else if (pick === 'Re-check') await run(subject);
    });
    return { host: subject.host, ports, headline: headline.text, failed: headline.failed, ...summarizeLiveRun(report) };
  };
  return async (arg?: string | { host: string; port?: number }): Promise<PortCheckSummary | undefined> => {
    if (!requireTrust()) return undefined;
    const targets = ctx.live.workspaceTargets();
    let subject: { host: string; port?: number } | undefined;
    if (typeof arg === 'string') {
      subject = parseHostPort(arg);
      if (!subject) {
        void vscode.window.showErrorMessage(`SMTP Doctor: "${arg}" is not host[:port].`);
        return undefined;
      }
    } else if (arg && typeof arg.host === 'string') subject = arg;
    else subject = await pickHostPort(ctx, targets);
    if (!subject) return undefined;
    return run(subject, targets);
  };
}

/** "Check Workspace": a fresh static scan, then every live check (in a trusted workspace). */
function checkWorkspace(ctx: CommandContext) {
  return async (): Promise<{ files: number; problems: number; live?: LiveRunSummary }> => {
    const files = await scan(ctx);
    const problems = staticFindings(ctx).length;
    if (!vscode.workspace.isTrusted) {
      ctx.log.info('live checks skipped: the workspace is not trusted');
      requireTrust();
      return { files, problems };
    }
    const report = await ctx.live.run({ fresh: true });
    return { files, problems, ...(report ? { live: summarizeLiveRun(report) } : {}) };
  };
}

/** What a tree node, a Uri or a string names: a file, or a host (and port). */
function recheckSubject(arg: unknown): { uri: vscode.Uri } | { host: string; port?: number } | undefined {
  if (arg instanceof vscode.Uri) return { uri: arg };
  if (typeof arg === 'string') {
    if (/^[a-z][a-z0-9+.-]+:\/\//i.test(arg)) return { uri: vscode.Uri.parse(arg) };
    return parseHostPort(arg);
  }
  if (!arg || typeof arg !== 'object') return undefined;
  const o = arg as Record<string, unknown>;
  const port = typeof o.port === 'number' ? o.port : undefined;
  if (typeof o.host === 'string' && o.host) return { host: o.host, ...(port ? { port } : {}) };
  for (const key of ['target', 'endpoint', 'probe', 'result']) {
    const inner = o[key];
    if (inner && typeof inner === 'object' && typeof (inner as { host?: unknown }).host === 'string') return recheckSubject(inner);
  }
  for (const key of ['resourceUri', 'uri', 'file']) {
    const inner = o[key];
    if (inner instanceof vscode.Uri || typeof inner === 'string') return recheckSubject(inner);
  }
  return undefined;
}

/** "Re-check": one file's or one host's checks (from the results tree or a Uri); everything without one. */
function recheck(ctx: CommandContext) {
  return async (arg?: unknown): Promise<unknown> => {
    const subject = recheckSubject(arg);
    if (!subject) return vscode.commands.executeCommand(COMMANDS.checkWorkspace);
    if ('host' in subject) {
      if (!requireTrust()) return undefined;
      const targets = ctx.live.workspaceTargets();
      const named = targets.probes.filter((t) => t.host.toLowerCase() === subject.host.toLowerCase()).map((t) => t.port);
      const ports = subject.port ? [subject.port] : named.length ? named : ctx.config().ports;
      ctx.log.info(`Re-check ${subject.host} on ${ports.join(', ')}`);
      const report = await ctx.live.runProbes(subject.host, ports, { known: targets.probes, fresh: true });
      return report && { host: subject.host, ports, ...summarizeLiveRun(report) };
    }
    const uri = subject.uri;
    ctx.log.info(`Re-check ${relative(uri.toString())}`);
    if (configKindOfPath(uri.path) || ctx.diagnostics.files().includes(uri.toString())) await ctx.diagnostics.lintGroup(groupKeyOf(uri));
    else if (AppDiagnostics.handles(uri)) {
      await ctx.app.updateFromDisk(uri);
      ctx.app.lintNow();
    }
    if (!vscode.workspace.isTrusted) return { file: uri.toString() };
    const report = await ctx.live.run({ only: new Set([uri.toString()]), fresh: true });
    return { file: uri.toString(), ...(report ? { live: summarizeLiveRun(report) } : {}) };
  };
}

/** Everything the reports show, paths relative to the workspace folder. */
function reportData(ctx: CommandContext) {
  return buildReport({ findings: [...staticFindings(ctx), ...ctx.live.allFindings()], endpoints: [...ctx.diagnostics.endpoints(), ...ctx.app.endpoints], live: ctx.live.lastReport, displayPath: relative });
}

/** "Copy Report (Markdown)": returns the Markdown it put on the clipboard. */
function copyReport(ctx: CommandContext) {
  return async (): Promise<string> => {
    const data = reportData(ctx);
    const markdown = formatMarkdown({ ...data, title: vscode.workspace.name, generatedAt: new Date().toISOString() });
    await vscode.env.clipboard.writeText(markdown);
    ctx.log.info(`report copied: ${data.findings.length} finding(s), ${data.endpoints.length} endpoint(s), ${data.live?.probes.length ?? 0} probe(s)`);
    void vscode.window.setStatusBarMessage('SMTP Doctor: report copied to the clipboard', 3000);
    return markdown;
  };
}

/** "Export Report…": JSON or SARIF (by the file's extension); a Uri argument skips the save dialog. */
function exportReport(ctx: CommandContext) {
  return async (target?: vscode.Uri): Promise<string | undefined> => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri =
      target instanceof vscode.Uri
        ? target
        : await vscode.window.showSaveDialog({
            title: 'SMTP Doctor: Export Report',
            saveLabel: 'Export',
            defaultUri: folder && vscode.Uri.joinPath(folder, 'smtp-doctor-report.json'),
            filters: { JSON: ['json'], SARIF: ['sarif'] },
          });
    if (!uri) return undefined;
    const data = reportData(ctx);
    const sarif = /\.sarif(\.json)?$/i.test(uri.path);
    const text = sarif
      ? formatSarif(data, allRuleMetas(), version)
      : formatJson(data);
    try {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    } catch (error) {
      ctx.log.error(`export to ${uri.fsPath} failed`, error);
      void vscode.window.showErrorMessage(`SMTP Doctor: could not write ${uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    ctx.log.info(`report exported as ${sarif ? 'SARIF' : 'JSON'} to ${uri.fsPath}`);
    // Said where it went, with a way there (the scan never reads our own reports as configuration).
    void vscode.window.showInformationMessage(`SMTP Doctor: report saved to ${vscode.workspace.asRelativePath(uri, false)}`, 'Open').then((pick) => {
      if (pick) void vscode.window.showTextDocument(uri, { preview: false });
    });
    return uri.toString();
  };
}

/** Opens a rule's docs page rendered: the page shipped with the extension in the Markdown preview, else on the web. */
function openRuleDocs(ctx: CommandContext) {
  return async (ruleId?: unknown): Promise<string | undefined> => {
    if (typeof ruleId !== 'string' || !/^[a-z]+\/[a-z0-9-]+$/.test(ruleId)) return undefined;
    const page = vscode.Uri.joinPath(ctx.extensionUri, ruleDocsPath(ruleId));
    try {
      await vscode.workspace.fs.stat(page);
      await vscode.commands.executeCommand('markdown.showPreview', page);
      return page.toString();
    } catch (error) {
      ctx.log.debug(`no rendered docs page for ${ruleId} here (${error instanceof Error ? error.message : String(error)}): opening the web page`);
      const url = vscode.Uri.parse(ruleDocsUrl(ruleId));
      await vscode.env.openExternal(url);
      return url.toString();
    }
  };
}

const FILTERS: readonly { readonly filter: ResultsFilter; readonly label: string; readonly detail: string }[] = [
  { filter: 'all', label: 'All results', detail: 'Live results and each file\'s problems' },
  { filter: 'live', label: 'Live results only', detail: 'Servers, domains and addresses with their checks' },
  { filter: 'errors', label: 'Errors only', detail: 'Only what is an error, with the nodes that lead to it' },
];

/** "Filter Results": all, live results only, or errors only (a quick pick, or the filter as argument). */
function filterResults(ctx: CommandContext) {
  return async (arg?: unknown): Promise<ResultsFilter | undefined> => {
    let filter = FILTERS.find((f) => f.filter === arg)?.filter;
    if (!filter) {
      const pick = await vscode.window.showQuickPick(
        FILTERS.map((f) => ({ label: f.label, detail: f.detail, filter: f.filter, picked: f.filter === ctx.results.currentFilter })),
        { title: 'SMTP Doctor: Filter Results' },
      );
      filter = pick?.filter;
    }
    if (filter) ctx.results.setFilter(filter);
    return filter;
  };
}

/** A node as text: what the panel shows, and where it comes from. */
function nodeText(node: ResultNode): string {
  const where = node.location?.file ? ` (${relative(node.location.file)}:${node.location.range.start.line + 1})` : '';
  const own = `${node.label}${node.description ? ` — ${node.description}` : ''}${where}`;
  return redactText([own, ...node.children.map((c) => `  ${c.label}${c.description ? ` — ${c.description}` : ''}`)].join('\n'));
}

/** The rule a node stands for: its only one, or the one the user picks. */
async function ruleOf(node: ResultNode): Promise<string | undefined> {
  const ids = node.ruleIds ?? [];
  if (ids.length <= 1) return ids[0];
  return vscode.window.showQuickPick([...ids], { title: 'SMTP Doctor: which rule?' });
}

/** "Suppress on This Line" on a finding node: writes the suppression comment above the config line. */
function suppressFinding(ctx: CommandContext) {
  return async (node?: ResultNode): Promise<boolean> => {
    const at = node?.location;
    const ruleId = node && at?.file ? await ruleOf(node) : undefined;
    if (!at || !ruleId) return false;
    const uri = vscode.Uri.parse(at.file);
    const doc = await vscode.workspace.openTextDocument(uri);
    const edit = suppressionEdit(uri.path, doc.getText(), { ruleId, range: at.range });
    if (!edit) {
      void vscode.window.showInformationMessage(`SMTP Doctor: ${relative(at.file)} has no comments to suppress ${ruleId} with; set it to "off" in .smtpdoctor.yaml instead.`);
      return false;
    }
    const change = new vscode.WorkspaceEdit();
    change.insert(uri, toVsRange(edit.range).start, edit.newText);
    const applied = await vscode.workspace.applyEdit(change);
    ctx.log.info(`suppressed ${ruleId} on ${relative(at.file)}:${at.range.start.line + 1}`);
    return applied;
  };
}

/** A server node's host and port. */
const endpointOf = (node?: ResultNode) => (node?.host && node.port ? { host: node.host, port: node.port } : undefined);

/**
 * With `smtpDoctor.live.runOn` "save" or "open", live checks for a file's hosts run by themselves (trusted
 * workspaces only), a second after the last such event, quietly (status bar progress; Cancel Live Checks stops it).
 */
function watchRunOn(ctx: CommandContext): vscode.Disposable {
  const pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = async () => {
    timer = undefined;
    // Never cut a run short for an automatic one: try again when it is over.
    if (ctx.live.isRunning) {
      timer = setTimeout(() => void flush(), 1000);
      return;
    }
    const only = new Set(pending);
    pending.clear();
    if (!only.size || !vscode.workspace.isTrusted) return;
    ctx.log.info(`live checks on ${ctx.config().runOn}: ${[...only].map(relative).join(', ')}`);
    try {
      await ctx.live.run({ only, quiet: true, title: 'SMTP Doctor: checking' });
    } catch (error) {
      ctx.log.error('automatic live checks failed', error);
    }
  };
  const trigger = (doc: vscode.TextDocument, event: 'save' | 'open') => {
    if (ctx.config().runOn !== event || !vscode.workspace.isTrusted) return;
    if (!['file', 'untitled', 'vscode-remote'].includes(doc.uri.scheme)) return;
    if (!configKindOfLanguage(doc.languageId) && !configKindOfPath(doc.uri.path) && !AppDiagnostics.handles(doc.uri)) return;
    pending.add(doc.uri.toString());
    clearTimeout(timer);
    timer = setTimeout(() => void flush(), 1000);
  };
  return vscode.Disposable.from(
    vscode.workspace.onDidSaveTextDocument((d) => trigger(d, 'save')),
    vscode.workspace.onDidOpenTextDocument((d) => trigger(d, 'open')),
    { dispose: () => clearTimeout(timer) },
  );
}

/** Registers the check, report and result commands, the running context key and the run-on triggers. */
export function registerCheckCommands(ctx: CommandContext): vscode.Disposable[] {
  let running = false;
  const setRunning = () => {
    if (ctx.live.isRunning === running) return;
    running = ctx.live.isRunning;
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT_KEY, running);
  };
  void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT_KEY, false);
  return [
    vscode.commands.registerCommand(COMMANDS.checkSmtpPort, checkSmtpPort(ctx)),
    vscode.commands.registerCommand(COMMANDS.checkWorkspace, checkWorkspace(ctx)),
    vscode.commands.registerCommand(COMMANDS.recheck, recheck(ctx)),
    vscode.commands.registerCommand(COMMANDS.cancel, () => ctx.live.cancel()),
    vscode.commands.registerCommand(COMMANDS.copyReport, copyReport(ctx)),
    vscode.commands.registerCommand(COMMANDS.exportReport, exportReport(ctx)),
    vscode.commands.registerCommand(COMMANDS.showLog, () => ctx.log.show()),
    vscode.commands.registerCommand(COMMANDS.clearResults, () => {
      ctx.live.clear();
      ctx.log.info('live results cleared');
    }),
    vscode.commands.registerCommand(COMMANDS.openRuleDocs, openRuleDocs(ctx)),
    vscode.commands.registerCommand(COMMANDS.filterResults, filterResults(ctx)),
    vscode.commands.registerCommand(COMMANDS.copyResult, async (node?: ResultNode) => {
      if (!node) return undefined;
      const text = nodeText(node);
      await vscode.env.clipboard.writeText(text);
      return text;
    }),
    vscode.commands.registerCommand(COMMANDS.suppressFinding, suppressFinding(ctx)),
    vscode.commands.registerCommand(COMMANDS.openFindingDocs, async (node?: ResultNode) => {
      const ruleId = node && (await ruleOf(node));
      return ruleId ? vscode.commands.executeCommand(COMMANDS.openRuleDocs, ruleId) : undefined;
    }),
    vscode.commands.registerCommand(COMMANDS.showTranscript, async (node?: ResultNode | { host: string; port: number }) => {
      const e = node && 'host' in node && typeof node.host === 'string' && typeof node.port === 'number' ? { host: node.host, port: node.port } : undefined;
      const doc = e && (await showProbeDetails(ctx, e.host, e.port));
      return doc?.getText();
    }),
    vscode.commands.registerCommand(COMMANDS.removeCheckedHost, (node?: ResultNode) => {
      const e = endpointOf(node);
      return e ? ctx.live.removeCheckedHost(e.host, e.port) : false;
    }),
    ctx.live.onDidChange(setRunning),
    watchRunOn(ctx),
    vscode.commands.registerCommand(VERIFY_LOGIN_COMMAND, verifyLoginCommand(ctx, ctx.loginConfirmation)),
  ];
}
