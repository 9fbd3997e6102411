// The VS Code half of the secrets sweep (the core half is test/unit/secretsSweep.test.ts): with
// test/fixtures/secrets in the workspace and a loopback server that echoes a password in its banner and
// EHLO reply, no password may appear in anything the extension shows or writes: diagnostics, the Results
// tree (nodes and TreeItems), hovers, quick fixes, the copied Markdown report, the JSON and SARIF exports,
// and the log file.
import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { SECRETS, Sweep } from '../../secretsFixture';
import { STRESS_PATHS } from '../../runners/stressWorkspace';
import { allResultNodes, extensionReady, keepLiveChecksOnLoopback, listenLoopback, portOf, waitFor, workspaceUri } from '../helpers';

/** The password the loopback server echoes, and the one the loopback transport is configured with. */
const ECHOED = SECRETS[0];
const CONFIGURED = SECRETS[11];

/** A loopback SMTP server that echoes credentials back in its greeting and EHLO reply (as a hostile one could). */
async function startEchoingSmtp(): Promise<net.Server & { connections: number }> {
  const server = net.createServer((socket) => {
    counted.connections++;
    socket.on('error', () => undefined);
    socket.write(`220 echo.test ESMTP smtp://relayuser:${ECHOED.password}@echo.test password=${ECHOED.password}\r\n`);
    socket.on('data', (d) => {
      const line = d.toString('latin1').toUpperCase();
      if (line.startsWith('EHLO')) socket.write(`250-echo.test\r\n250-AUTH PLAIN LOGIN\r\n250 X-ECHO pass=${ECHOED.password}\r\n`);
      // Verify Login: the server quotes the AUTH line back, login data and all.
      else if (line.startsWith('AUTH')) socket.write(`535 5.7.8 you sent: ${d.toString('latin1').trim()}\r\n`);
      else if (line.startsWith('QUIT')) socket.end('221 bye\r\n');
    });
  });
  const counted = Object.assign(server, { connections: 0 });
  await listenLoopback(server);
  return counted;
}

/** The extension's log file: <user-data>/logs/<session>/…/smtp-doctor.smtp-doctor/SMTP Doctor.log. */
function findLogFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) findLogFiles(p, out);
    else if (e.name === 'SMTP Doctor.log') out.push(p);
  }
  return out;
}

const hoverText = (hovers: readonly vscode.Hover[]) => hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');

describe('secrets sweep in VS Code', function () {
  this.timeout(240_000);
  let smtp: Awaited<ReturnType<typeof startEchoingSmtp>>;
  const loopbackFile = () => workspaceUri(STRESS_PATHS.secrets, 'app', 'src', 'loopback-mailer.js');

  before(async () => {
    await extensionReady();
    smtp = await startEchoingSmtp();
    await keepLiveChecksOnLoopback(1500);
    const text = `const nodemailer = require('nodemailer');\nmodule.exports = nodemailer.createTransport({ host: '127.0.0.1', port: ${portOf(smtp)}, secure: false, auth: { user: '${CONFIGURED.user}', pass: '${CONFIGURED.password}' } });\n`;
    await vscode.workspace.fs.writeFile(loopbackFile(), new TextEncoder().encode(text));
  });

  after(async () => {
    smtp?.close();
    await vscode.workspace.fs.delete(loopbackFile(), { useTrash: false }).then(undefined, () => undefined);
  });

  it('no password in diagnostics, the Results tree, hovers, quick fixes, reports, exports or the log', async () => {
    const api = await extensionReady();
    const sweep = new Sweep();
    const results = api.results;
    await waitFor('the loopback transport in the Results tree', () =>
      allResultNodes(results).find((n) => n.kind === 'endpoint' && n.label === `127.0.0.1:${portOf(smtp)}`),
    );

    // A live run over everything the workspace names: the echoing server answers, the rest fail on loopback DNS.
    const summary = await vscode.commands.executeCommand<{ probes: number }>('smtpDoctor.runLiveChecks');
    assert.ok(summary && summary.probes > 0, JSON.stringify(summary));
    const seen = allResultNodes(results).filter((n) => n.label.includes('127.0.0.1') || n.label.includes('loopback-mailer'));
    assert.ok(smtp.connections > 0, `the live run never reached the echoing server: ${JSON.stringify(summary)} ${JSON.stringify(seen.map((n) => [n.kind, n.label, n.state, n.description]))}`);
    const endpoint = await waitFor('the echoing server checked', () =>
      allResultNodes(results).find((n) => n.kind === 'endpoint' && n.label === `127.0.0.1:${portOf(smtp)}` && n.state !== 'running' && /echo\.test/.test(n.tooltip + n.description + n.children.map((c) => c.tooltip).join(''))),
    );
    assert.ok(endpoint);

    // Verify Login on the loopback transport (its confirmation answered here as a user would): the result, and
    // what it logs, hold no password although the server echoes the AUTH data back.
    // VS Code refuses dialogs in tests: the API's confirmation stands in for the click.
    const holder = (api as unknown as { loginConfirmation: { ask: (login: unknown) => Thenable<boolean> } }).loginConfirmation;
    const original = holder.ask;
    const asked: unknown[] = [];
    holder.ask = async (login) => {
      asked.push(login);
      return true;
    };
    let login: unknown;
    try {
      login = await vscode.commands.executeCommand('smtpDoctor.verifyLogin', { file: loopbackFile().toString(), line: 1 });
    } finally {
      holder.ask = original;
    }
    assert.match(JSON.stringify(login), /"outcome":"rejected".*you sent: AUTH PLAIN ••••••/);
    sweep.addData('Verify Login result', login);
    assert.strictEqual(asked.length, 1);
    // What the confirmation names (the host and the account) without the password it must never show.
    sweep.addData('Verify Login confirmation', asked.map((l) => ({ ...(l as { target: object }).target, password: undefined })));

    // Problems: every diagnostic SMTP Doctor set, with related information.
    const secretsRoot = workspaceUri(STRESS_PATHS.secrets).toString();
    const ours = vscode.languages.getDiagnostics().flatMap(([uri, ds]) => ds.filter((d) => d.source === 'SMTP Doctor').map((d) => ({ uri, d })));
    const inSecrets = ours.filter(({ uri }) => uri.toString().startsWith(secretsRoot));
    assert.ok(inSecrets.length >= 20, `only ${inSecrets.length} diagnostics under secrets/`);
    sweep.add('diagnostics', ours.map(({ d }) => [d.message, JSON.stringify(d.code), ...(d.relatedInformation ?? []).map((r) => r.message)].join('\n')).join('\n'));

    // The Results tree: the provider's nodes and the TreeItems VS Code draws.
    const nodes = allResultNodes(results);
    sweep.addData('results tree nodes', nodes.map((n) => ({ id: n.id, label: n.label, description: n.description, tooltip: n.tooltip })));
    sweep.addData('results tree items', nodes.map((n) => {
      const item = results.getTreeItem(n);
      return { label: item.label, description: item.description, tooltip: typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value, args: JSON.stringify(item.command?.arguments ?? []) };
    }));

    // Hovers on every line of the Postfix files, and the quick fixes on every diagnostic under secrets/.
    let hovers = 0;
    for (const file of ['postfix/main.cf', 'postfix/master.cf', 'postfix-creds/main.cf']) {
      const uri = workspaceUri(STRESS_PATHS.secrets, ...file.split('/'));
      const doc = await vscode.workspace.openTextDocument(uri);
      const texts: string[] = [];
      for (let line = 0; line < doc.lineCount; line++) {
        const at = doc.lineAt(line).firstNonWhitespaceCharacterIndex;
        const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, at));
        hovers += found.length;
        texts.push(hoverText(found));
      }
      sweep.add(`hovers in ${file}`, texts.join('\n'));
    }
    assert.ok(hovers >= 10, `only ${hovers} hovers`);
    const fixes: string[] = [];
    for (const { uri, d } of inSecrets) {
      await vscode.workspace.openTextDocument(uri); // code actions are asked of an open model
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range);
      for (const a of actions) fixes.push(a.title, ...(a.edit?.entries() ?? []).flatMap(([, edits]) => edits.map((e) => e.newText)));
    }
    assert.ok(fixes.length > 0, 'no quick fix offered under secrets/');
    sweep.add('quick fixes', fixes.join('\n'));

    // Reports: the clipboard (Markdown) and the two export formats.
    const markdown = await vscode.commands.executeCommand<string>('smtpDoctor.copyReport');
    assert.ok(markdown && markdown.includes('echo.test'), 'the Markdown report lacks the live result');
    sweep.add('copied Markdown report', markdown);
    sweep.add('clipboard', await vscode.env.clipboard.readText());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-secrets-'));
    for (const name of ['report.json', 'report.sarif']) {
      const target = vscode.Uri.file(path.join(dir, name));
      await vscode.commands.executeCommand('smtpDoctor.exportReport', target);
      const text = fs.readFileSync(target.fsPath, 'utf8');
      sweep.add(`exported ${name}`, text);
      sweep.addData(`exported ${name}, parsed`, JSON.parse(text));
    }

    // The log file (the output channel writes it asynchronously).
    const userData = process.env.SMTP_DOCTOR_USER_DATA_DIR;
    assert.ok(userData, 'SMTP_DOCTOR_USER_DATA_DIR is not set by the runner');
    const log = await waitFor('the SMTP Doctor log to record the live run', () => {
      const text = findLogFiles(path.join(userData, 'logs')).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
      return /first scan/.test(text) && text.includes(`127.0.0.1:${portOf(smtp)}`) ? text : undefined;
    });
    sweep.add('log file', log);

    const total = [...sweep.outputs.values()].reduce((n, t) => n + t.length, 0);
    console.log(`${process.env.SMTP_DOCTOR_CONSOLE_TAG ?? ''}[smtp-doctor-stress] secrets sweep: ${sweep.outputs.size} outputs, ${(total / 1024).toFixed(0)} KiB, ${ours.length} diagnostics, ${nodes.length} tree nodes, ${hovers} hovers, ${fixes.length} fix strings`);
    sweep.assertClean();
  });
});
