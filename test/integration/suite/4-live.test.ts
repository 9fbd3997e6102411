import * as assert from 'assert';
import * as net from 'net';
import * as vscode from 'vscode';
import {
  closedLoopbackPort,
  extensionReady,
  keepLiveChecksOnLoopback,
  portOf,
  ruleIdOf,
  startLoopbackSmtp,
  waitForDiagnostics,
  waitForRule,
  workspaceUri,
} from '../helpers';

describe('live checks in the editor', () => {
  let server: net.Server;
  before(async () => {
    await extensionReady();
    server = await startLoopbackSmtp('220 plain.test ESMTP');
    // Network rule: the fixture workspace names example.com hosts too.
    await keepLiveChecksOnLoopback(1500);
  });
  after(() => server?.close());

  it('Run Live Checks puts each result on the line that named the host, and an edit clears it', async () => {
    const open = portOf(server);
    const refused = await closedLoopbackPort();
    const uri = workspaceUri('watched', 'live.js');
    const text = [
      "const nodemailer = require('nodemailer');",
      `const plain = nodemailer.createTransport({ host: '127.0.0.1', port: ${open} });`,
      `const gone = nodemailer.createTransport({ host: '127.0.0.1', port: ${refused} });`,
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    try {
      // Opening it hands the text to the extension at once (no waiting for the file watcher).
      await vscode.workspace.openTextDocument(uri);
      const summary = await vscode.commands.executeCommand<{ probes: number }>('smtpDoctor.runLiveChecks');
      assert.ok(summary && summary.probes >= 2, `live run found ${JSON.stringify(summary)}`);
      const refusedDiag = await waitForRule(uri, 'smtp/port-refused');
      assert.strictEqual(refusedDiag.range.start.line, 2);
      assert.strictEqual(refusedDiag.severity, vscode.DiagnosticSeverity.Error);
      const plainDiag = await waitForRule(uri, 'smtp/starttls-missing');
      assert.strictEqual(plainDiag.range.start.line, 1);

      const doc = await vscode.workspace.openTextDocument(uri);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(0, 0), '// edited\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitForDiagnostics(uri, (ds) => !ds.some((d) => /^smtp\//.test(ruleIdOf(d) ?? '')), 'live results to be dropped after an edit');
      await vscode.commands.executeCommand('workbench.action.files.revert', doc.uri);
    } finally {
      await vscode.workspace.fs.delete(uri, { useTrash: false });
    }
  });
});
