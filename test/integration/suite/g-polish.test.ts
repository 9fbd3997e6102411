// Polish (issue 15, item 10): the status bar item icon first, words instead of internal names, no stray
// backslash in tooltips, a host removed from a config leaves the tree, and finding nodes have a context menu.
import * as assert from 'assert';
import * as net from 'net';
import * as vscode from 'vscode';
import {
  type ResultNodeLike,
  type SmtpDoctorApi,
  allResultNodes,
  closedLoopbackPort,
  extensionReady,
  keepLiveChecksOnLoopback,
  portOf,
  startLoopbackSmtp,
  waitFor,
  waitForRule,
  workspaceUri,
} from '../helpers';
import { T, rdata, startWireDns, type WireDnsPeer } from '../../net/peers/wireDns';

/** Ids the JSON output uses, which must never reach the panel as they are. */
const INTERNAL = /\b(no-greeting|bad-greeting|dns-failure|starttls-opportunistic|starttls-required|implicit-tls|network-blocks-25|not-blocked|host-filtered|lookup-failed|null-mx|no-mx|no-ptr|not-confirmed)\b/;

describe('polish', () => {
  let api: SmtpDoctorApi;
  let smtp: net.Server;
  let silent: net.Server;
  let dns: WireDnsPeer;
  const two = () => workspaceUri('watched', 'two-hosts.js');
  const words = () => workspaceUri('watched', 'words', 'main.cf');

  before(async () => {
    api = await extensionReady();
    smtp = await startLoopbackSmtp('220 polish.test ESMTP');
    silent = await new Promise<net.Server>((resolve) => {
      const s = net.createServer((socket) => socket.on('error', () => undefined));
      s.listen(0, '127.0.0.1', () => resolve(s));
    });
    dns = await startWireDns({ records: [{ name: 'words.test', type: T.MX, data: rdata.mx(10, 'mx.words.test') }, { name: 'mx.words.test', type: T.A, data: rdata.a('127.0.0.1') }] });
    await keepLiveChecksOnLoopback(1200);
  });

  after(async () => {
    smtp?.close();
    silent?.close();
    await dns?.close();
    for (const uri of [two(), workspaceUri('watched', 'words')]) await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false }).then(undefined, () => undefined);
  });

  it('the status bar item is icon first, as VS Code counts problems, and shows where there is mail configuration', () => {
    const { text, visible } = api.statusBar.state;
    assert.match(text, /^\$\(mail\) \$\(error\) \d+ \$\(warning\) \d+$/);
    assert.strictEqual(visible, true, 'this workspace has mail configuration');
  });

  it('says outcomes in words: no internal ids in labels, descriptions or tooltips, and no stray backslash', async () => {
    const refused = await closedLoopbackPort();
    const text = [
      "const nodemailer = require('nodemailer');",
      `const a = nodemailer.createTransport({ host: '127.0.0.1', port: ${portOf(silent)} });`,
      `const b = nodemailer.createTransport({ host: '127.0.0.1', port: ${refused}, secure: false, requireTLS: true });`,
      `const c = nodemailer.createTransport({ host: '127.0.0.1', port: ${portOf(smtp)} });`,
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(two(), new TextEncoder().encode(text));
    await vscode.workspace.openTextDocument(two());
    await vscode.commands.executeCommand('smtpDoctor.recheck', two());
    await vscode.workspace.fs.writeFile(words(), new TextEncoder().encode('compatibility_level = 3.6\nmydestination = words.test\n'));
    await vscode.workspace.openTextDocument(words());
    await vscode.workspace.getConfiguration('smtpDoctor').update('dnsServers', [dns.server], vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('smtpDoctor.recheck', words());
    const nodes = await waitFor('the silent server and the MX host in the tree', () => {
      const all = allResultNodes(api.results);
      const mx = all.find((n) => n.kind === 'check' && n.label === 'MX 10 mx.words.test');
      const silentNode = all.find((n) => n.kind === 'endpoint' && n.label === `127.0.0.1:${portOf(silent)}` && n.state !== 'running' && n.children.length);
      return mx && silentNode ? all : undefined;
    }, 20_000);
    for (const n of nodes) {
      assert.doesNotMatch(`${n.label} ${n.description}`, INTERNAL, `${n.kind} ${n.label}: ${n.description}`);
      assert.doesNotMatch(n.tooltip, /\\\d/, `a backslash before a digit in the tooltip of ${n.label}: ${n.tooltip}`);
    }
    const silentNode = nodes.find((n) => n.kind === 'endpoint' && n.label === `127.0.0.1:${portOf(silent)}`)!;
    assert.match(silentNode.description, / no greeting/);
    const mx = nodes.find((n) => n.label === 'MX 10 mx.words.test')!;
    assert.match(mx.tooltip, /127\\?\.0\.0\.1/);
  });

  it('a host removed from the config leaves the tree', async () => {
    const removed = `127.0.0.1:${portOf(smtp)}`;
    const label = (n: ResultNodeLike) => n.kind === 'endpoint' && n.label === removed && n.id.includes('two-hosts.js');
    await waitFor('the host in the tree', () => allResultNodes(api.results).find(label));
    const doc = await vscode.workspace.openTextDocument(two());
    const edit = new vscode.WorkspaceEdit();
    edit.delete(two(), doc.lineAt(3).rangeIncludingLineBreak);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
    await waitFor(() => `${removed} to leave the tree:\n${allResultNodes(api.results).filter((n) => n.kind === 'endpoint').map((n) => `${n.label} ${n.description}`).join('\n')}`, () =>
      allResultNodes(api.results).some(label) ? undefined : true,
    );
    // The hosts still named stay.
    assert.ok(allResultNodes(api.results).some((n) => n.kind === 'endpoint' && n.label === `127.0.0.1:${portOf(silent)}` && n.id.includes('two-hosts.js')));
  });

  it('finding nodes have Copy, Suppress and Open Rule Documentation, and they work', async () => {
    const pkg = vscode.extensions.getExtension('smtp-doctor.smtp-doctor')!.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };
    const context = pkg.contributes.menus['view/item/context'].map((m) => m.command);
    for (const c of ['smtpDoctor.copyResult', 'smtpDoctor.suppressFinding', 'smtpDoctor.openFindingDocs']) assert.ok(context.includes(c), c);

    await vscode.commands.executeCommand('smtpDoctor.recheck', two());
    const connection = await waitFor('a check with a finding', () =>
      allResultNodes(api.results).find((n) => n.kind === 'check' && n.label === 'Greeting' && n.id.includes('two-hosts.js') && n.state === 'error'),
    20_000);
    const item = api.results.getTreeItem(connection);
    assert.match(String(item.contextValue), /\.located\.finding$/);

    const copied = await vscode.commands.executeCommand<string>('smtpDoctor.copyResult', connection);
    assert.strictEqual(await vscode.env.clipboard.readText(), copied);
    assert.match(copied, /^Greeting — no 220 greeting \(watched\/two-hosts\.js:2\)/);

    await vscode.commands.executeCommand('smtpDoctor.openFindingDocs', connection);
    await waitFor('the rule page', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => /no-greeting/.test(t.label)));

    assert.strictEqual(await vscode.commands.executeCommand('smtpDoctor.suppressFinding', connection), true);
    const doc = await vscode.workspace.openTextDocument(two());
    assert.strictEqual(doc.lineAt(1).text, '// smtp-doctor-disable-next-line smtp/no-greeting');
    await doc.save();
    await waitForRule(two(), 'smtp/port-refused').catch(() => undefined);
  });
});
