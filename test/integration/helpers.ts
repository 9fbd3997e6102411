// Shared helpers for the integration tests (they run inside the VS Code extension host).
import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as tls from 'tls';
import * as vscode from 'vscode';
import { screenshot, screenshotsWanted } from './uiBridge';

export const EXTENSION_ID = 'smtp-doctor.smtp-doctor';
export const SOURCE = 'SMTP Doctor';

/** The extension, activated. */
export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this extension host`);
  await ext.activate();
  return ext;
}

/** A node of the Results panel (src/core/report/resultsTree.ts ResultNode, as far as the tests read it). */
export interface ResultNodeLike {
  readonly id: string;
  readonly kind: string;
  readonly label: string;
  readonly description: string;
  readonly tooltip: string;
  readonly state: string;
  readonly children: readonly ResultNodeLike[];
}

/** The Results panel's TreeDataProvider (src/vscode/resultsTree.ts), as the API hands it out. */
export interface ResultsProviderLike extends vscode.TreeDataProvider<ResultNodeLike> {
  getChildren(node?: ResultNodeLike): ResultNodeLike[];
  getTreeItem(node: ResultNodeLike): vscode.TreeItem;
  rebuild(): unknown;
  readonly problems: number;
}

/** What the extension's activate() returns. */
export interface SmtpDoctorApi {
  readonly ready: Promise<void>;
  readonly results: ResultsProviderLike;
  readonly timings: { readonly activateMs: number; readonly firstScanMs?: number };
  readonly statusBar: { readonly state: { readonly text: string; readonly visible: boolean } };
}

/** Every node of the Results tree, depth first, read through the real provider (rebuilt now). */
export function allResultNodes(results: ResultsProviderLike): ResultNodeLike[] {
  results.rebuild();
  const out: ResultNodeLike[] = [];
  const walk = (nodes: readonly ResultNodeLike[]) => {
    for (const n of nodes) {
      out.push(n);
      walk(results.getChildren(n));
    }
  };
  walk(results.getChildren());
  return out;
}

/** The TreeView the provider draws into (a private field of the provider: the only way to its badge). */
export function resultsView(results: ResultsProviderLike): vscode.TreeView<ResultNodeLike> | undefined {
  return (results as unknown as { view?: vscode.TreeView<ResultNodeLike> }).view;
}

/** Id of a tree item's ThemeIcon ('pass', 'error', 'warning', 'loading~spin', …). */
export function iconId(item: vscode.TreeItem): string | undefined {
  return item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined;
}

/** Markdown or plain text of a tree item's tooltip. */
export function tooltipText(item: vscode.TreeItem): string {
  const t = item.tooltip;
  return typeof t === 'string' ? t : t?.value ?? '';
}

/** A TCP server on 127.0.0.1 (resolves once listening). */
export function listenLoopback(server: net.Server): Promise<net.Server> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export const portOf = (server: net.Server): number => (server.address() as net.AddressInfo).port;

/** A loopback port nothing listens on. */
export async function closedLoopbackPort(): Promise<number> {
  const s = await listenLoopback(net.createServer());
  const port = portOf(s);
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * A plain SMTP server on loopback (no STARTTLS) that greets with `banner` after `greetAfterMs`, answers
 * EHLO and QUIT, and counts its connections.
 */
export async function startLoopbackSmtp(banner = '220 tree.test ESMTP', greetAfterMs = 0): Promise<net.Server & { connections: number }> {
  const server = net.createServer((socket) => {
    counted.connections++;
    socket.on('error', () => undefined);
    const timer = setTimeout(() => socket.writable && socket.write(`${banner}\r\n`), greetAfterMs);
    socket.on('close', () => clearTimeout(timer));
    socket.on('data', (d) => {
      const line = d.toString('latin1').toUpperCase();
      if (line.startsWith('EHLO')) socket.write('250-tree.test\r\n250 PIPELINING\r\n');
      else if (line.startsWith('QUIT')) socket.end('221 bye\r\n');
    });
  });
  const counted = Object.assign(server, { connections: 0 });
  await listenLoopback(server);
  return counted;
}

/** An SMTP server on loopback that offers STARTTLS with the given certificate, answers EHLO before and after TLS, and QUIT. */
export async function startLoopbackStarttlsSmtp(pair: { readonly key: string; readonly cert: string }, banner = '220 tls.test ESMTP'): Promise<net.Server> {
  const ehlo = (tlsDone: boolean) => `250-tls.test\r\n${tlsDone ? '' : '250-STARTTLS\r\n'}250 PIPELINING\r\n`;
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.write(`${banner}\r\n`);
    const onPlain = (d: Buffer) => {
      const line = d.toString('latin1').toUpperCase();
      if (line.startsWith('EHLO')) socket.write(ehlo(false));
      else if (line.startsWith('QUIT')) socket.end('221 bye\r\n');
      else if (line.startsWith('STARTTLS')) {
        socket.off('data', onPlain);
        socket.write('220 go ahead\r\n', () => {
          const secure = new tls.TLSSocket(socket, { isServer: true, key: pair.key, cert: pair.cert });
          secure.on('error', () => undefined);
          secure.on('data', (e: Buffer) => {
            const l = e.toString('latin1').toUpperCase();
            if (l.startsWith('EHLO')) secure.write(ehlo(true));
            else if (l.startsWith('QUIT')) secure.end('221 bye\r\n');
          });
        });
      }
    };
    socket.on('data', onPlain);
  });
  return listenLoopback(server);
}

/** Network rule: every DNS lookup of a live run goes to a closed loopback port; outbound-25 probes stay on loopback. */
export async function keepLiveChecksOnLoopback(timeoutMs = 1500): Promise<void> {
  const config = vscode.workspace.getConfiguration('smtpDoctor');
  await config.update('dnsServers', [`127.0.0.1:${await closedLoopbackPort()}`], vscode.ConfigurationTarget.Workspace);
  await config.update('live.outbound25ProbeHosts', ['127.0.0.1'], vscode.ConfigurationTarget.Workspace);
  await config.update('live.timeoutMs', timeoutMs, vscode.ConfigurationTarget.Workspace);
}

/** Activates the extension and waits until its first workspace scan has set its diagnostics. */
export async function extensionReady(): Promise<SmtpDoctorApi> {
  const ext = await activateExtension();
  const api = ext.exports as SmtpDoctorApi | undefined;
  assert.ok(api && typeof api.ready?.then === 'function', 'activate() should return { ready: Promise }');
  await api.ready;
  return api;
}

/**
 * Opens a file in an editor the way a user does, and returns its document. (A document the extension
 * host opens itself with openTextDocument stays open for minutes after its editor closes; one the
 * workbench opens is closed with its editor, which also clears the diagnostics of files outside the
 * workspace.)
 */
export async function open(uri: vscode.Uri): Promise<vscode.TextDocument> {
  await vscode.commands.executeCommand('vscode.open', uri, { preview: false });
  const key = uri.toString();
  const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === key);
  if (editor) return editor.document;
  return waitFor(`${uri.fsPath} to open`, () => vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === key));
}

/** The range of the first occurrence of `text` in `doc`. */
export function rangeOf(doc: vscode.TextDocument, text: string): vscode.Range {
  const i = doc.getText().indexOf(text);
  if (i < 0) throw new Error(`${JSON.stringify(text)} not found in ${doc.uri.fsPath}`);
  return new vscode.Range(doc.positionAt(i), doc.positionAt(i + text.length));
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the fixture workspace (test/integration/workspace) open');
  return folder.uri;
}

export function workspaceUri(...segments: string[]): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...segments);
}

/** Polls `probe` until it returns something other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string | (() => string), probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise<void>((resolve) => {
      // Diagnostics changes wake us early; otherwise poll.
      const timer = setTimeout(done, 100);
      const sub = vscode.languages.onDidChangeDiagnostics(done);
      function done() {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  }
}

export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function ruleIdOf(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  if (code === undefined) return undefined;
  if (typeof code === 'object') return String(code.value);
  return String(code);
}

/**
 * Every rule a diagnostic stands for: its own, and those folded into it as related information ("also RULE
 * (severity): ...") because they sit on the same range (one range, one diagnostic).
 */
export function rulesOf(d: vscode.Diagnostic): string[] {
  const folded = (d.relatedInformation ?? []).map((r) => /^also (\S+) \(/.exec(r.message)?.[1]).filter((x): x is string => !!x);
  return [ruleIdOf(d) ?? '', ...folded];
}

/** Waits until the file's SMTP Doctor diagnostics satisfy `accept`, and returns them. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  what = 'diagnostics',
  timeoutMs = 15_000,
): Promise<vscode.Diagnostic[]> {
  return waitFor(() => `${what} on ${uri.fsPath} (now: ${summarize(ourDiagnostics(uri))})`, () => {
    const ds = ourDiagnostics(uri);
    return accept(ds) ? ds : undefined;
  }, timeoutMs);
}

/** Waits for a diagnostic of `ruleId` (optionally matching `where`) and returns it. */
export async function waitForRule(
  uri: vscode.Uri,
  ruleId: string,
  where: (d: vscode.Diagnostic) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<vscode.Diagnostic> {
  const ds = await waitForDiagnostics(uri, (ds) => ds.some((d) => ruleIdOf(d) === ruleId && where(d)), `a ${ruleId} diagnostic`, timeoutMs);
  return ds.find((d) => ruleIdOf(d) === ruleId && where(d))!;
}

export function summarize(ds: readonly vscode.Diagnostic[]): string {
  if (ds.length === 0) return 'none';
  return ds.map((d) => `${ruleIdOf(d)}@${d.range.start.line + 1}:${d.range.start.character + 1}`).join(', ');
}

/** The 0-based line of the first line of `doc` that starts with `prefix`. */
export function lineStartingWith(doc: vscode.TextDocument, prefix: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.startsWith(prefix)) return i;
  throw new Error(`no line starting with ${JSON.stringify(prefix)} in ${doc.uri.fsPath}`);
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

let scratchRoot: string | undefined;

/** Writes `text` to a file named `name` in a fresh folder outside the workspace and returns its Uri. */
export function scratchCopy(name: string, text: string): vscode.Uri {
  scratchRoot ??= fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-scratch-'));
  const dir = fs.mkdtempSync(path.join(scratchRoot, 'f-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return vscode.Uri.file(file);
}

/** Removes every scratch file (at the end of the run). */
export function removeScratchFiles(): void {
  if (scratchRoot) fs.rmSync(scratchRoot, { recursive: true, force: true });
  scratchRoot = undefined;
}

/**
 * The README's first picture (docs/images/diagnostics.png): postfix/main.cf with its squiggles and the
 * Problems panel. The extension host must still be alive then: its diagnostics disappear with it.
 */
export async function showcaseForScreenshot(): Promise<void> {
  if (!screenshotsWanted()) return;
  try {
    // The answers of earlier tests are not part of the picture.
    await vscode.commands.executeCommand('notifications.clearAll');
    await closeAllEditors();
    const uri = workspaceUri('postfix', 'main.cf');
    const doc = await open(uri);
    await waitForDiagnostics(uri, (ds) => ds.length > 0, 'diagnostics for the screenshot');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    // Keep the keyboard focus (and the cursor) in the editor, with the Problems panel still showing.
    await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: false });
    await screenshot('diagnostics.png', { waitForSquiggles: true });
  } catch (e) {
    // A missing picture must not fail a passing run.
    console.log(`${process.env.SMTP_DOCTOR_CONSOLE_TAG ?? ''}screenshot preparation failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  await showcaseResultsPanel();
}

/**
 * The second picture (media/screenshot-results.png): the SMTP Doctor Results panel with live results of a
 * loopback run expanded, postfix/main.cf with its squiggles, and the Problems panel.
 */
async function showcaseResultsPanel(): Promise<void> {
  let server: Awaited<ReturnType<typeof startLoopbackSmtp>> | undefined;
  const mailer = workspaceUri('watched', 'mailer.js');
  try {
    const api = await extensionReady();
    server = await startLoopbackSmtp('220 mail.loopback.test ESMTP Postfix (Debian)');
    const openPort = portOf(server);
    const refused = await closedLoopbackPort();
    await keepLiveChecksOnLoopback(1500);
    const text = [
      '// Transports of the notification worker.',
      "const nodemailer = require('nodemailer');",
      '',
      `const relay = nodemailer.createTransport({ host: '127.0.0.1', port: ${openPort} });`,
      `const backup = nodemailer.createTransport({ host: '127.0.0.1', port: ${refused} });`,
      '',
      'module.exports = { relay, backup };',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(mailer, new TextEncoder().encode(text));
    await vscode.workspace.openTextDocument(mailer);
    await vscode.commands.executeCommand('smtpDoctor.clearResults');
    // Only this file's hosts: the fixture's example.org names would fill the picture with DNS failures.
    await vscode.commands.executeCommand('smtpDoctor.recheck', mailer);

    await closeAllEditors();
    await vscode.commands.executeCommand('workbench.view.extension.smtpDoctor');
    const results = api.results;
    const view = resultsView(results);
    if (view) {
      await vscode.commands.executeCommand('workbench.actions.treeView.smtpDoctor.results.collapseAll').then(undefined, () => undefined);
      // reveal() knows only the node objects the view has fetched: let it draw the current tree first, then
      // retry if a late rebuild replaced them.
      for (let attempt = 0; ; attempt++) {
        await new Promise((r) => setTimeout(r, 700));
        try {
          const roots = results.getChildren();
          const file = roots.find((n) => n.kind === 'file' && n.label === 'watched/mailer.js');
          const main = roots.find((n) => n.kind === 'file' && n.label === 'postfix/main.cf');
          if (main) await view.reveal(main, { expand: true, select: false, focus: false });
          for (const n of file ? results.getChildren(file) : []) {
            if (n.kind === 'endpoint') await view.reveal(n, { expand: true, select: false, focus: false });
          }
          // Scroll the live results into view.
          if (file) await view.reveal(file, { select: false, focus: false });
          break;
        } catch (e) {
          if (attempt >= 4) throw e;
        }
      }
    }

    const uri = workspaceUri('postfix', 'main.cf');
    const doc = await open(uri);
    await waitForDiagnostics(uri, (ds) => ds.length > 0, 'diagnostics for the screenshot');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: false });
    await vscode.commands.executeCommand('notifications.clearAll');
    await screenshot('screenshot-results.png', { waitForSquiggles: true });
  } catch (e) {
    console.log(`${process.env.SMTP_DOCTOR_CONSOLE_TAG ?? ''}results screenshot preparation failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    server?.close();
  }
}
