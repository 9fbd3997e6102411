// "SMTP Doctor: Verify Login": on explicit request only, in a trusted workspace only, after one modal
// confirmation naming the host and the account, log in as the transport or relayhost would and show the
// server's answer. The password is never shown and never logged; the log names account, host and outcome.
import * as vscode from 'vscode';
import { checkFiles } from '../core/check';
import { type LoginAt, loginTargetAt } from '../core/loginTarget';
import { resolveAddresses } from '../core/live/dnsChecks';
import { type LoginResult, verifyLogin } from '../core/live/verifyLogin';
import type { LintInput } from '../core/workspaceLint';
import type { SmtpDoctorConfig } from './config';
import type { OutputLog } from './log';

export const VERIFY_LOGIN_COMMAND = 'smtpDoctor.verifyLogin';

/** What the command returns (for tests and other extensions): no password, ever. */
export type VerifyLoginSummary = Omit<LoginResult, 'ms'> & { readonly ms: number };

/** Asks once; resolves true only on the explicit button. */
export type ConfirmLogin = (login: LoginAt) => Thenable<boolean>;

/**
 * Where the command finds its confirmation: the modal by default. The extension API hands this out so that
 * an embedding UI (and the integration tests, where VS Code refuses to show dialogs) can ask instead; that
 * grants nothing new, as any extension can already read the workspace and connect.
 */
/** What Verify Login needs of the command context (commands.ts passes its own). */
export interface VerifyLoginContext {
  readonly log: OutputLog;
  readonly config: () => SmtpDoctorConfig;
  readonly currentFiles: () => Promise<LintInput[]>;
}

export interface LoginConfirmation {
  ask: ConfirmLogin;
}

const MODE = { implicit: 'TLS at connect', 'starttls-required': 'STARTTLS', 'starttls-opportunistic': 'STARTTLS if offered', none: 'no TLS' } as const;

export const confirmWithModal: ConfirmLogin = async (login) => {
  const t = login.target;
  const pick = await vscode.window.showWarningMessage(
    `Verify the login of ${t.user} at ${t.host}:${t.port}?`,
    {
      modal: true,
      detail: `SMTP Doctor connects as the ${t.client === 'postfix' ? 'Postfix relayhost client' : 'application'} would (${MODE[t.mode]}), logs in with the password from this workspace, and quits without sending mail. The password is not shown or logged.`,
    },
    'Verify Login',
  );
  return pick === 'Verify Login';
};

/** A config line from what the command was given: a results-tree node, {file, line}, a Uri, or the cursor. */
function lineOf(arg: unknown): { file: string; line: number } | undefined {
  if (arg && typeof arg === 'object') {
    const o = arg as { location?: { file?: unknown; range?: { start?: { line?: unknown } } }; file?: unknown; line?: unknown };
    if (typeof o.location?.file === 'string' && typeof o.location.range?.start?.line === 'number') return { file: o.location.file, line: o.location.range.start.line };
    if (typeof o.file === 'string' && typeof o.line === 'number') return { file: o.file, line: o.line };
  }
  const editor = vscode.window.activeTextEditor;
  return editor ? { file: editor.document.uri.toString(), line: editor.selection.active.line } : undefined;
}

export function verifyLoginCommand(ctx: VerifyLoginContext, confirmation: LoginConfirmation = { ask: confirmWithModal }) {
  return async (arg?: unknown): Promise<VerifyLoginSummary | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('SMTP Doctor verifies logins only in a trusted workspace.', 'Manage Workspace Trust').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      return undefined;
    }
    const at = lineOf(arg);
    if (!at) {
      void vscode.window.showInformationMessage('SMTP Doctor: put the cursor on a mail transport or relayhost line, or pick one in the results.');
      return undefined;
    }
    const files = await ctx.currentFiles();
    const texts = new Map(files.map((f) => [f.file, f.text]));
    // Lookup tables next to main.cf (sasl_passwd) are not configs the extension keeps: read them when asked.
    const tables = new Map<string, string | undefined>();
    const found = loginTargetAt(checkFiles(files), at.file, at.line, (file) => texts.get(file) ?? tables.get(file));
    let lookup = found;
    if (!found.ok && /looked in/.test(found.reason)) {
      const main = vscode.Uri.parse(at.file);
      for (const name of found.reason.match(/looked in ([^)]*) next/)?.[1].split(', ') ?? []) {
        const uri = vscode.Uri.joinPath(main, '..', name);
        try {
          tables.set(uri.toString(), new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
        } catch {
          tables.set(uri.toString(), undefined);
        }
      }
      lookup = loginTargetAt(checkFiles(files), at.file, at.line, (file) => texts.get(file) ?? tables.get(file));
    }
    if (!lookup.ok) {
      void vscode.window.showWarningMessage(`SMTP Doctor cannot verify a login here: ${lookup.reason}.`);
      return undefined;
    }
    const login = lookup.login;
    const t = login.target;
    if (!(await confirmation.ask(login))) {
      ctx.log.info(`verify login: ${t.user} at ${t.host}:${t.port} not confirmed`);
      return undefined;
    }
    ctx.log.info(`verify login: ${t.user} at ${t.host}:${t.port} (${MODE[t.mode]}, as ${t.client} would)`);
    const cfg = ctx.config();
    const dns = { servers: cfg.dnsServers.length ? cfg.dnsServers : undefined, timeoutMs: cfg.timeoutMs };
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `SMTP Doctor: verifying the login of ${t.user} at ${t.host}:${t.port}`, cancellable: true },
      (_progress, token) => {
        const abort = new AbortController();
        const subscription = token.onCancellationRequested(() => abort.abort());
        return verifyLogin(t, { stepTimeoutMs: cfg.timeoutMs, signal: abort.signal, lookup: dns.servers ? (h) => resolveAddresses(h, { ...dns, signal: abort.signal }) : undefined }).finally(() => subscription.dispose());
      },
    );
    ctx.log.info(`verify login: ${t.user} at ${t.host}:${t.port}: ${result.outcome}${result.reply ? ` (${result.reply})` : ''} in ${result.ms} ms`);
    const text = `SMTP Doctor: ${result.detail}${result.reply ? ` Server: ${result.reply}` : ''}`;
    if (result.outcome === 'accepted') void vscode.window.showInformationMessage(text);
    else if (result.outcome !== 'cancelled') void vscode.window.showWarningMessage(text);
    return result;
  };
}
