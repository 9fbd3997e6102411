import * as assert from 'assert';
import * as net from 'net';
import * as vscode from 'vscode';
import { extensionReady, ruleIdOf, waitForDiagnostics, waitForRule, workspaceUri } from '../helpers';

/** A plain SMTP server on loopback that offers no STARTTLS (a real socket in the extension host). */
function startPlainSmtp(): Promise<net.Server> {
  const server = net.createServer((socket) => {
    socket.write('220 plain.test ESMTP\r\n');
    socket.on('data', (d) => {
      const line = d.toString('latin1').toUpperCase();
      if (line.startsWith('EHLO')) socket.write('250-plain.test\r\n250 PIPELINING\r\n');
      else if (line.startsWith('QUIT')) socket.end('221 bye\r\n');
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('live checks in the editor', () => {
  let server: net.Server;
  before(async () => {
    await extensionReady();
    server = await startPlainSmtp();
    // Network rule: the fixture workspace names example.com hosts too. Every lookup goes to a closed
    // loopback port (so it fails at once), and the outbound-25 diagnosis may only probe loopback.
    const config = vscode.workspace.getConfiguration('smtpDoctor');
    await config.update('dnsServers', [`127.0.0.1:${await closedPort()}`], vscode.ConfigurationTarget.Workspace);
    await config.update('live.timeoutMs', 1500, vscode.ConfigurationTarget.Workspace);
    await config.update('live.outbound25ProbeHosts', ['127.0.0.1'], vscode.ConfigurationTarget.Workspace);
  });
  after(() => server?.close());

  it('Run Live Checks puts each result on the line that named the host, and an edit clears it', async () => {
    const open = (server.address() as net.AddressInfo).port;
    const refused = await closedPort();
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
