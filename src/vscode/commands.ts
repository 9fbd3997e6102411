import * as vscode from 'vscode';
import { version } from '../../package.json';
import { checkFiles } from '../core/check';
import { configKindOfPath } from '../core/discover';
import { type Finding, compareFindings } from '../core/model';
import { type LiveTargets, collectLiveTargets } from '../core/net/liveTargets';
import { redactText } from '../core/redact';
import { formatJson } from '../core/report/json';
import { formatMarkdown } from '../core/report/markdown';
import { toReported, toReportedEndpoint } from '../core/report/reportInput';
import { formatSarif } from '../core/report/sarif';
import { allRuleMetas } from '../core/rules';
import type { LintInput } from '../core/workspaceLint';
import { AppDiagnostics } from './appDiagnostics';
import type { SmtpDoctorConfig } from './config';
import { groupKeyOf } from './configSources';
import { configKindOfLanguage } from './languages';
import type { LiveDiagnostics, LiveRunReport } from './liveDiagnostics';
import type { OutputLog } from './log';
import type { StaticDiagnostics } from './staticDiagnostics';
import type { WorkspaceScanner } from './workspaceScanner';

export const COMMAND_LINT_WORKSPACE = 'smtpDoctor.lintWorkspace';

/** "SMTP Doctor: Lint Mail Configs in Workspace": rescan, then report how many problems were found. */
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
  readonly diagnostics: StaticDiagnostics;
  readonly app: AppDiagnostics;
  readonly live: LiveDiagnostics;
  readonly log: OutputLog;
  readonly config: () => SmtpDoctorConfig;
  /** Every config the extension knows, as the user sees it now. */
  readonly currentFiles: () => Promise<LintInput[]>;
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
} as const;

/** Context key that is true while live checks run (enables Cancel Checks). */
export const RUNNING_CONTEXT_KEY = 'smtpDoctor.running';

/** What a live command returns (for tests and other extensions). */
export interface LiveRunSummary {
  readonly probes: readonly { readonly host: string; readonly port: number; readonly status: string; readonly detail?: string; readonly ms: number }[];
  readonly findings: number;
  readonly incomplete: boolean;
  readonly cancelled: boolean;
}

export interface PortCheckSummary extends LiveRunSummary {
  readonly host: string;
  readonly ports: readonly number[];
}

function summarize(report: LiveRunReport): LiveRunSummary {
  return {
    probes: report.probes.map((p) => ({ host: p.host, port: p.port, status: p.status, ...(p.detail ? { detail: redactText(p.detail) } : {}), ms: Math.round(p.timings.total) })),
    findings: report.findings.length,
    incomplete: report.incomplete,
    cancelled: report.cancelled,
  };
}

/** `host`, `host:port`, `[v6]:port` or a bare IPv6 address. */
export function parseHostPort(text: string): { host: string; port?: number } | undefined {
  const m = /^(\[[^\]]+\]|[^:\s[\]/]+|[0-9a-f]*:[0-9a-f:.]+)(?::(\d{1,5}))?$/i.exec(text.trim());
  if (!m) return undefined;
  const host = m[1].replace(/^\[|\]$/g, '');
  // A bare IPv6 address has colons of its own: a trailing group is not a port.
  if (m[2] !== undefined && m[1].includes(':') && !m[1].startsWith('[')) return { host: text.trim() };
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { host, ...(port ? { port } : {}) };
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

async function workspaceTargets(ctx: CommandContext): Promise<LiveTargets> {
  const files = await ctx.currentFiles();
  const result = checkFiles(files, { postfixVersion: files[0] && ctx.config().postfixVersionFor(files[0].file) });
  return collectLiveTargets(result.postfixInstances, result.endpoints, result.transports, result.dkimSelectors);
}

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
    description: t.security ?? 'Postfix server port',
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

/** "Check SMTP Port": probes one host on the given port, or on the configured ports. */
function checkSmtpPort(ctx: CommandContext) {
  return async (arg?: string | { host: string; port?: number }): Promise<PortCheckSummary | undefined> => {
    if (!requireTrust()) return undefined;
    const targets = await workspaceTargets(ctx);
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
    const ports = subject.port ? [subject.port] : ctx.config().ports;
    ctx.log.info(`Check SMTP Port: ${subject.host} on ${ports.join(', ')}`);
    const report = await ctx.live.runProbes(subject.host, ports, { known: targets.probes, fresh: true, title: `SMTP Doctor: checking ${subject.host}` });
    return report && { host: subject.host, ports, ...summarize(report) };
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
    const report = await ctx.live.run(await ctx.currentFiles(), { fresh: true });
    return { files, problems, ...(report ? { live: summarize(report) } : {}) };
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
      const targets = await workspaceTargets(ctx);
      const named = targets.probes.filter((t) => t.host.toLowerCase() === subject.host.toLowerCase()).map((t) => t.port);
      const ports = subject.port ? [subject.port] : named.length ? named : ctx.config().ports;
      ctx.log.info(`Re-check ${subject.host} on ${ports.join(', ')}`);
      const report = await ctx.live.runProbes(subject.host, ports, { known: targets.probes, fresh: true });
      return report && { host: subject.host, ports, ...summarize(report) };
    }
    const uri = subject.uri;
    ctx.log.info(`Re-check ${relative(uri.toString())}`);
    if (configKindOfPath(uri.path) || ctx.diagnostics.files().includes(uri.toString())) await ctx.diagnostics.lintGroup(groupKeyOf(uri));
    else if (AppDiagnostics.handles(uri)) {
      await ctx.app.updateFromDisk(uri);
      ctx.app.lintNow();
    }
    if (!vscode.workspace.isTrusted) return { file: uri.toString() };
    const report = await ctx.live.run(await ctx.currentFiles(), { only: new Set([uri.toString()]), fresh: true });
    return { file: uri.toString(), ...(report ? { live: summarize(report) } : {}) };
  };
}

/** Everything the reports show, paths relative to the workspace folder. */
function reportData(ctx: CommandContext) {
  const findings = [...staticFindings(ctx), ...ctx.live.allFindings()].sort(compareFindings).map((f) => toReported(f, relative));
  const endpoints = [...ctx.diagnostics.endpoints(), ...ctx.app.endpoints].map((e) => toReportedEndpoint(e, relative));
  const last = ctx.live.lastReport;
  return { findings, endpoints, live: last && { probes: last.probes, mx: last.mx, ptr: last.ptr, outbound25: last.outbound25, auth: last.auth, incomplete: last.incomplete } };
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
      ? formatSarif(data.findings, allRuleMetas(), version)
      : formatJson(data.findings, data.endpoints, data.live && { probes: data.live.probes, mx: data.live.mx, ptr: data.live.ptr, outbound25: data.live.outbound25, auth: data.live.auth });
    try {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    } catch (error) {
      ctx.log.error(`export to ${uri.fsPath} failed`, error);
      void vscode.window.showErrorMessage(`SMTP Doctor: could not write ${uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    ctx.log.info(`report exported as ${sarif ? 'SARIF' : 'JSON'} to ${uri.fsPath}`);
    return uri.toString();
  };
}

/**
 * With `smtpDoctor.live.runOn` "save" or "open", live checks for a file's hosts run by themselves (trusted
 * workspaces only), a second after the last such event, quietly (status bar progress; Cancel Checks stops it).
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
      await ctx.live.run(await ctx.currentFiles(), { only, quiet: true, title: 'SMTP Doctor: checking' });
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
    ctx.live.onDidChange(setRunning),
    watchRunOn(ctx),
  ];
}
