// The Results panel through the real TreeDataProvider the extension registers in the real VS Code.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  type ResultNodeLike,
  type ResultsProviderLike,
  allResultNodes,
  closedLoopbackPort,
  extensionReady,
  iconId,
  keepLiveChecksOnLoopback,
  portOf,
  resultsView,
  startLoopbackSmtp,
  tooltipText,
  waitFor,
  workspaceUri,
} from '../helpers';

type Smtp = Awaited<ReturnType<typeof startLoopbackSmtp>>;

const describeNode = (n: ResultNodeLike) => `${n.kind} ${n.label} [${n.state}] ${n.description}`;

describe('results tree', () => {
  let results: ResultsProviderLike;
  let smtp: Smtp;
  let slow: Smtp;
  let open: number;
  let refused: number;
  const treeFile = () => workspaceUri('watched', 'tree.js');

  const nodes = () => allResultNodes(results);
  const dump = () => nodes().map(describeNode).join('\n');
  const fileNode = (label: string) => results.getChildren().find((n) => n.kind === 'file' && n.label === label);
  const childOf = (parent: ResultNodeLike, label: string) => results.getChildren(parent).find((n) => n.label === label);

  before(async () => {
    results = (await extensionReady()).results;
    assert.ok(results && typeof results.getChildren === 'function', 'activate() should return the results tree provider');
    smtp = await startLoopbackSmtp('220 tree.test ESMTP ready');
    slow = await startLoopbackSmtp('220 slow.test ESMTP', 1500);
    open = portOf(smtp);
    refused = await closedLoopbackPort();
    await keepLiveChecksOnLoopback(1500);
  });

  after(async () => {
    smtp?.close();
    slow?.close();
    await vscode.commands.executeCommand('smtpDoctor.clearResults');
    await vscode.workspace.fs.delete(treeFile(), { useTrash: false }).then(undefined, () => undefined);
  });

  it('before a live run: a node per fixture config with its counts, and endpoints "not checked yet"', async () => {
    await vscode.commands.executeCommand('smtpDoctor.clearResults');
    results.rebuild();
    const roots = results.getChildren();
    for (const label of ['postfix/main.cf', 'app/config/mail.yml']) assert.ok(fileNode(label), `no file node ${label} in:\n${dump()}`);
    assert.ok(!roots.some((n) => n.kind === 'notice'), 'a trusted workspace shows no "Live checks are off" notice');

    const main = fileNode('postfix/main.cf')!;
    assert.match(main.description, /\d+ errors?/, main.description);
    assert.strictEqual(main.state, 'error');
    const mainItem = results.getTreeItem(main);
    assert.strictEqual(iconId(mainItem), 'error');
    assert.strictEqual(mainItem.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    // The static findings are folded under one Problems node (the Problems panel lists them too).
    const problems = results.getChildren(main).find((n) => n.kind === 'problems');
    assert.ok(problems, dump());
    assert.strictEqual(results.getTreeItem(problems).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.ok(results.getChildren(problems).some((n) => n.kind === 'finding' && /postfix\/unknown-parameter/.test(n.description)), dump());

    const yml = fileNode('app/config/mail.yml')!;
    assert.match(yml.description, /1 server/, yml.description);
    const endpoint = childOf(yml, 'smtp.example.net:465');
    assert.ok(endpoint, `no endpoint node for smtp.example.net:465 in:\n${dump()}`);
    assert.strictEqual(endpoint.kind, 'endpoint');
    assert.match(endpoint.description, /implicit TLS · not checked yet$/);
    assert.strictEqual(endpoint.state, 'skipped');
    assert.strictEqual(iconId(results.getTreeItem(endpoint)), 'circle-slash');
  });

  it('after Run Live Checks: open and refused endpoints with their checks, states, icons and tooltips', async () => {
    const uri = treeFile();
    const text = [
      "const nodemailer = require('nodemailer');",
      `const plain = nodemailer.createTransport({ host: '127.0.0.1', port: ${open} });`,
      `const gone = nodemailer.createTransport({ host: '127.0.0.1', port: ${refused} });`,
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    await vscode.workspace.openTextDocument(uri);
    await waitFor('watched/tree.js in the results tree', () => fileNode('watched/tree.js'));
    const before = smtp.connections;
    const summary = await vscode.commands.executeCommand<{ probes: number }>('smtpDoctor.runLiveChecks');
    assert.ok(summary && summary.probes >= 2, `live run found ${JSON.stringify(summary)}`);
    assert.ok(smtp.connections > before, 'the live run did not connect to the loopback server');

    const file = await waitFor(() => `live results in the tree:\n${dump()}`, () => {
      results.rebuild();
      const f = fileNode('watched/tree.js');
      const ep = f && childOf(f, `127.0.0.1:${open}`);
      return ep && ep.state !== 'running' && ep.children.length ? f : undefined;
    });

    // The open server: no STARTTLS, so a problem; its checks say why.
    const plain = childOf(file, `127.0.0.1:${open}`)!;
    assert.match(plain.description, new RegExp(`^${open} open · no STARTTLS`), plain.description);
    assert.ok(plain.state === 'warning' || plain.state === 'error', describeNode(plain));
    const plainItem = results.getTreeItem(plain);
    assert.strictEqual(iconId(plainItem), plain.state);
    assert.strictEqual(plainItem.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.match(tooltipText(plainItem), /Timings: .*total \d+ ms/);
    const checks = results.getChildren(plain);
    assert.deepStrictEqual(checks.slice(0, 3).map((c) => c.label), ['Connection', 'Greeting', 'STARTTLS'], checks.map(describeNode).join('\n'));
    const [connection, greeting, starttls] = checks;
    assert.strictEqual(connection.state, 'pass');
    assert.strictEqual(iconId(results.getTreeItem(connection)), 'pass');
    assert.match(connection.description, /^open · \d+ ms$/);
    assert.match(tooltipText(results.getTreeItem(connection)), /Timings: .*connect \d+ ms.*total \d+ ms/);
    assert.strictEqual(greeting.state, 'pass');
    assert.match(greeting.description, /tree\.test ESMTP ready/);
    assert.match(tooltipText(results.getTreeItem(greeting)), /Banner:[\s\S]*tree\.test ESMTP ready/);
    assert.match(tooltipText(results.getTreeItem(greeting)), /Greeting after \d+ ms/);
    assert.strictEqual(starttls.description, 'not offered');
    assert.strictEqual(iconId(results.getTreeItem(starttls)), starttls.state);
    assert.ok(starttls.state === 'warning' || starttls.state === 'error', describeNode(starttls));

    // The closed port: an error, and nothing past the connection.
    const gone = childOf(file, `127.0.0.1:${refused}`)!;
    assert.ok(gone, dump());
    assert.match(gone.description, new RegExp(`^${refused} refused`));
    assert.strictEqual(gone.state, 'error');
    assert.strictEqual(iconId(results.getTreeItem(gone)), 'error');
    assert.deepStrictEqual(results.getChildren(gone).map((c) => [c.label, c.state]), [['Connection', 'error']]);

    assert.strictEqual(file.state, 'error');
    assert.match(file.description, /\d+ errors? .*2 servers/);

    // The badge counts the problems (static and live).
    const view = resultsView(results);
    assert.ok(view, 'the provider is attached to a TreeView');
    assert.ok(results.problems > 0);
    assert.strictEqual(view.badge?.value, results.problems);
  });

  it("a node's command opens its config line", async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const file = fileNode('watched/tree.js')!;
    const gone = childOf(file, `127.0.0.1:${refused}`)!;
    const item = results.getTreeItem(gone);
    assert.ok(item.command, 'an endpoint node has a command');
    assert.strictEqual(item.command.command, 'vscode.open');
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const editor = await waitFor('tree.js to open in an editor', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.toString() === treeFile().toString() ? e : undefined;
    });
    assert.strictEqual(editor.selection.start.line, 2, 'the editor shows the line that names the closed port');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Check SMTP Port: the tree shows the endpoint running while the server has not greeted, then its result', async () => {
    await keepLiveChecksOnLoopback(8000);
    try {
      const port = portOf(slow);
      const label = `127.0.0.1:${port}`;
      const find = () => allResultNodes(results).find((n) => n.kind === 'endpoint' && n.label === label);
      const run = vscode.commands.executeCommand<{ probes: { status: string }[] }>('smtpDoctor.checkSmtpPort', label);
      const running = await waitFor(() => `a running node for ${label}:\n${dump()}`, () => {
        const n = find();
        return n?.state === 'running' ? n : undefined;
      }, 5000);
      assert.match(running.description, /checking…$/);
      assert.strictEqual(iconId(results.getTreeItem(running)), 'loading~spin');
      const group = results.getChildren().find((n) => n.kind === 'group');
      assert.ok(group && group.state === 'running', `the "Checked by hand" group runs too:\n${dump()}`);

      const summary = await run;
      assert.deepStrictEqual(summary?.probes.map((p) => p.status), ['open']);
      const done = await waitFor(() => `the result of ${label}:\n${dump()}`, () => {
        const n = find();
        return n && n.state !== 'running' ? n : undefined;
      });
      assert.match(done.description, new RegExp(`^${port} open`));
      const greeting = done.children.find((c) => c.label === 'Greeting');
      assert.ok(greeting, describeNode(done));
      assert.match(greeting.tooltip, /Greeting after (1[4-9]\d\d|[2-9]\d\d\d) ms/, 'the greeting came after ~1.5 s');
    } finally {
      await keepLiveChecksOnLoopback(1500);
    }
  });
});
