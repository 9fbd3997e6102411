// The live-check commands: Check Workspace, Re-check (a file, a host, or everything) and the runs that
// start by themselves on save or open (smtpDoctor.live.runOn).
import * as vscode from 'vscode';
import { parseHostPort } from '../../core/engine/hostPort';
import { type LiveRunSummary, summarizeLiveRun } from '../../core/engine/liveRunSummary';
import { ConfigDiagnostics } from '../configDiagnostics';
import { COMMANDS, type CommandContext, relative, requireTrust, staticFindings } from './commandContext';

/** Rescans the workspace with window progress; returns how many config files it found. */
async function scan(ctx: CommandContext): Promise<number> {
  const started = Date.now();
  const files = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'SMTP Doctor: linting mail configs' }, (_p, token) => ctx.scanner.scan(token));
  ctx.log.info(`scan: ${files} configuration file(s), ${ctx.diagnostics.files().length} read as configuration, ${staticFindings(ctx).length} finding(s) in ${Date.now() - started} ms`);
  return files;
}


/** "Check Workspace": a fresh static scan, then every live check (in a trusted workspace). */
export function checkWorkspace(ctx: CommandContext) {
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
export function recheck(ctx: CommandContext) {
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
    await ctx.diagnostics.refresh(uri, { fromDisk: true });
    if (!vscode.workspace.isTrusted) return { file: uri.toString() };
    const report = await ctx.live.run({ only: new Set([uri.toString()]), fresh: true });
    return { file: uri.toString(), ...(report ? { live: summarizeLiveRun(report) } : {}) };
  };
}

/**
 * With `smtpDoctor.live.runOn` "save" or "open", live checks for a file's hosts run by themselves (trusted
 * workspaces only), a second after the last such event, quietly (status bar progress; Cancel Live Checks stops it).
 */
export function watchRunOn(ctx: CommandContext): vscode.Disposable {
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
    if (!ConfigDiagnostics.handlesDocument(doc)) return;
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

