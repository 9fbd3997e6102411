// What sysadmins look for (issue 15, item 11): the raw SMTP transcript of a probe (credentials masked), a
// filter (live results only, errors only), Copy on any node, and removing one hand-checked host.
import * as assert from 'assert';
import * as net from 'net';
import * as vscode from 'vscode';
import { type ResultNodeLike, type SmtpDoctorApi, allResultNodes, closedLoopbackPort, extensionReady, keepLiveChecksOnLoopback, portOf, startLoopbackSmtp, waitFor } from '../helpers';

const PW = 'Banner-Pw-5521';

describe('for sysadmins', () => {
  let api: SmtpDoctorApi;
  let chatty: net.Server;
  let refused: number;
  const byHand = () => api.results.getChildren().find((n) => n.kind === 'group' && n.label === 'Checked by hand');
  const endpoint = (port: number) => byHand()?.children.find((n) => n.kind === 'endpoint' && n.label === `127.0.0.1:${port}`);

  before(async () => {
    api = await extensionReady();
    // A banner that quotes a credential: the transcript shows what the server said, masked.
    chatty = await startLoopbackSmtp(`220-relay.test ESMTP ready\r\n220 see smtp://admin:${PW}@relay.test`);
    refused = await closedLoopbackPort();
    await keepLiveChecksOnLoopback(1500);
    await vscode.commands.executeCommand('smtpDoctor.clearResults');
    await vscode.commands.executeCommand('smtpDoctor.checkSmtpPort', `127.0.0.1:${portOf(chatty)}`);
    await vscode.commands.executeCommand('smtpDoctor.checkSmtpPort', `127.0.0.1:${refused}`);
  });

  after(async () => {
    chatty?.close();
    await vscode.commands.executeCommand('smtpDoctor.filterResults', 'all');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Show SMTP Transcript on a server opens the conversation as swaks prints it, credentials masked', async () => {
    const node = await waitFor('the server node', () => endpoint(portOf(chatty)));
    const text = await vscode.commands.executeCommand<string>('smtpDoctor.showTranscript', node);
    assert.ok(text, 'a transcript');
    assert.strictEqual(vscode.window.activeTextEditor?.document.getText(), text, 'shown in an editor');
    const lines = text.split('\n');
    assert.ok(lines.includes(`=== Trying 127.0.0.1:${portOf(chatty)}...`), text);
    assert.ok(lines.includes('<-  220-relay.test ESMTP ready'), text);
    assert.ok(lines.some((l) => /^ -> EHLO \S+$/.test(l)), text);
    assert.ok(lines.includes('<-  250-tree.test') && lines.includes('<-  250 PIPELINING'), text);
    assert.ok(lines.includes(' -> QUIT') && lines.includes('<-  221 bye'), text);
    assert.ok(!text.includes(PW), 'the password in the banner is masked');
    assert.match(text, /smtp:\/\/admin:••••••@relay\.test/);
  });

  it('filters the panel: errors only, live results only, all', async () => {
    await vscode.commands.executeCommand('smtpDoctor.filterResults', 'errors');
    const errorsOnly = allResultNodes(api.results);
    assert.ok(errorsOnly.length > 0);
    const leaves = errorsOnly.filter((n) => n.children.length === 0);
    assert.ok(leaves.every((n) => n.state === 'error'), leaves.map((n) => `${n.label} ${n.state}`).join('\n'));
    assert.ok(errorsOnly.some((n) => n.label === `127.0.0.1:${refused}`), 'the refused port is an error');
    assert.ok(!errorsOnly.some((n) => n.label === `127.0.0.1:${portOf(chatty)}`), 'the open server (a warning) is not');

    await vscode.commands.executeCommand('smtpDoctor.filterResults', 'live');
    const live = allResultNodes(api.results);
    assert.ok(!live.some((n) => n.kind === 'problems' || n.kind === 'finding'), 'no static findings');
    assert.ok(live.filter((n) => n.kind === 'file').every((n) => n.children.length > 0), 'only files with live targets');
    assert.ok(live.some((n) => n.label === `127.0.0.1:${portOf(chatty)}`));

    await vscode.commands.executeCommand('smtpDoctor.filterResults', 'all');
    assert.ok(allResultNodes(api.results).some((n) => n.kind === 'problems'), 'everything again');
  });

  it('copies any node: a file, a server, a check', async () => {
    const file = api.results.getChildren().find((n) => n.kind === 'file')!;
    const server = endpoint(portOf(chatty))!;
    const check = server.children.find((c) => c.label === 'Greeting')!;
    for (const node of [file, server, check] as ResultNodeLike[]) {
      const text = await vscode.commands.executeCommand<string>('smtpDoctor.copyResult', node);
      assert.strictEqual(await vscode.env.clipboard.readText(), text);
      assert.ok(text.startsWith(`${node.label} — ${node.description}`), text);
      assert.ok(!text.includes(PW));
    }
  });

  it('removes one host checked by hand and keeps the others', async () => {
    const gone = endpoint(refused)!;
    assert.strictEqual(api.results.getTreeItem(gone).contextValue, 'smtpDoctor.result.endpoint.byhand');
    assert.strictEqual(await vscode.commands.executeCommand('smtpDoctor.removeCheckedHost', gone), true);
    await waitFor('the host to leave', () => (endpoint(refused) ? undefined : true));
    assert.ok(endpoint(portOf(chatty)), 'the other host stays');
  });
});
