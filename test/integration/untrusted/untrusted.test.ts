// Runs only in the runner's untrusted mode (SMTP_DOCTOR_UNTRUSTED=1 / --untrusted): workspace trust is on
// and the fixture workspace is not trusted. Static linting must work; live checks must connect nowhere.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  allResultNodes,
  extensionReady,
  keepLiveChecksOnLoopback,
  portOf,
  startLoopbackSmtp,
  waitFor,
  waitForRule,
  workspaceUri,
} from '../helpers';

describe('untrusted workspace', () => {
  let smtp: Awaited<ReturnType<typeof startLoopbackSmtp>>;
  const liveFile = () => workspaceUri('watched', 'untrusted-live.js');

  before(async () => {
    await extensionReady();
    smtp = await startLoopbackSmtp('220 untrusted.test ESMTP');
    // Network rule, even though nothing should connect at all.
    await keepLiveChecksOnLoopback(1500);
  });

  after(async () => {
    smtp?.close();
    await vscode.workspace.fs.delete(liveFile(), { useTrash: false }).then(undefined, () => undefined);
  });

  it('the workspace is not trusted', () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
  });

  it('static diagnostics still appear for postfix/main.cf', async () => {
    const uri = workspaceUri('postfix', 'main.cf');
    const d = await waitForRule(uri, 'postfix/unknown-parameter');
    assert.strictEqual(d.range.start.line, 7, 'smtpd_tls_securty_level is on line 8');
  });

  it('Run Live Checks, Check SMTP Port, Re-check and Check Workspace make no connection', async () => {
    const port = portOf(smtp);
    const uri = liveFile();
    const text = `const nodemailer = require('nodemailer');\nconst t = nodemailer.createTransport({ host: '127.0.0.1', port: ${port} });\n`;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    await vscode.workspace.openTextDocument(uri);
    const results = (await extensionReady()).results;
    // The endpoint is known statically (so a live run would have something to probe) …
    await waitFor('the loopback endpoint in the results tree', () =>
      allResultNodes(results).find((n) => n.kind === 'endpoint' && n.label === `127.0.0.1:${port}`),
    );

    // … yet none of the commands may reach it.
    const live = await vscode.commands.executeCommand('smtpDoctor.runLiveChecks');
    assert.strictEqual(live, undefined, `Run Live Checks returned ${JSON.stringify(live)}`);
    await vscode.commands.executeCommand('smtpDoctor.checkSmtpPort', `127.0.0.1:${port}`);
    await vscode.commands.executeCommand('smtpDoctor.recheck', uri);
    await vscode.commands.executeCommand('smtpDoctor.recheck', { host: '127.0.0.1', port });
    const workspace = await vscode.commands.executeCommand<{ files: number; live?: unknown }>('smtpDoctor.checkWorkspace');
    assert.ok(workspace && workspace.files > 0 && workspace.live === undefined, JSON.stringify(workspace));
    // Give anything started in the background time to connect.
    await new Promise((r) => setTimeout(r, 1500));
    assert.strictEqual(smtp.connections, 0, 'a live check connected in an untrusted workspace');
    assert.ok(!vscode.languages.getDiagnostics(uri).some((d) => /^smtp\//.test(String(typeof d.code === 'object' ? d.code.value : d.code))));
  });

  it('the results tree shows "Live checks are off", and endpoints say why they are not checked', async () => {
    const results = (await extensionReady()).results;
    results.rebuild();
    const [first] = results.getChildren();
    assert.ok(first, 'the results tree is empty');
    assert.strictEqual(first.kind, 'notice');
    assert.strictEqual(first.label, 'Live checks are off');
    assert.match(first.description, /not trusted/);
    const item = results.getTreeItem(first);
    assert.strictEqual(item.command?.command, 'workbench.trust.manage');
    const endpoint = allResultNodes(results).find((n) => n.kind === 'endpoint' && n.label === `127.0.0.1:${portOf(smtp)}`);
    assert.ok(endpoint);
    assert.match(endpoint.description, /not checked · this workspace is not trusted$/);
    assert.strictEqual(endpoint.state, 'skipped');
  });
});
