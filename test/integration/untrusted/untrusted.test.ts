// Runs only in the runner's untrusted mode (SMTP_DOCTOR_UNTRUSTED=1 / --untrusted): workspace trust is on
// and the fixture workspace is not trusted. Static linting must work; live checks must connect nowhere.
import * as assert from 'assert';
import * as dgram from 'dgram';
// The module objects themselves (an import * namespace has read-only getters), so wrapping reaches every caller.
import dns = require('dns');
import * as net from 'net';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  EXTENSION_ID,
  allResultNodes,
  extensionReady,
  keepLiveChecksOnLoopback,
  portOf,
  startLoopbackSmtp,
  waitFor,
  waitForRule,
  workspaceUri,
} from '../helpers';

/** One network call: a TCP/TLS connect, a DNS lookup or query, or a UDP send, with the stack that made it. */
interface NetworkCall {
  readonly what: string;
  readonly stack: string;
}

/**
 * Wraps every way this process can reach the network (net/tls connects, dns lookups and resolver queries,
 * UDP sends) so the suite can tell whether the extension touched the network at all. Returns the undo.
 */
function recordNetworkCalls(calls: NetworkCall[]): () => void {
  const undo: Array<() => void> = [];
  const wrap = <T extends object>(owner: T, name: string, describe: (args: unknown[]) => string) => {
    const target = owner as Record<string, unknown>;
    const original = target[name];
    if (typeof original !== 'function') return;
    target[name] = function (this: unknown, ...args: unknown[]) {
      calls.push({ what: `${name} ${describe(args)}`, stack: new Error().stack ?? '' });
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
    undo.push(() => (target[name] = original));
  };
  const show = (args: unknown[]) => {
    try {
      return JSON.stringify(args.filter((a) => typeof a !== 'function')).slice(0, 200);
    } catch {
      return String(args[0]);
    }
  };
  // A connect with a `path` is IPC (the extension host talks to the server over a pipe): not network.
  const isIpc = (args: unknown[]) => {
    const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
    return typeof first === 'string' || (typeof first === 'object' && first !== null && 'path' in first && !!(first as { path?: unknown }).path);
  };
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    if (!isIpc(args)) calls.push({ what: `connect ${show(args)}`, stack: new Error().stack ?? '' });
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;
  undo.push(() => (net.Socket.prototype.connect = connect));
  wrap(dns, 'lookup', show);
  wrap(dns.promises, 'lookup', show);
  for (const proto of [dns.Resolver.prototype, dns.promises.Resolver.prototype]) {
    for (const name of Object.getOwnPropertyNames(proto)) if (/^(resolve|reverse)/.test(name)) wrap(proto, name, show);
  }
  wrap(dgram.Socket.prototype, 'send', () => '(UDP)');
  return () => undo.reverse().forEach((u) => u());
}

describe('untrusted workspace', () => {
  let smtp: Awaited<ReturnType<typeof startLoopbackSmtp>>;
  const liveFile = () => workspaceUri('watched', 'untrusted-live.js');
  const calls: NetworkCall[] = [];
  let stopRecording = () => undefined as void;

  before(async () => {
    await extensionReady();
    smtp = await startLoopbackSmtp('220 untrusted.test ESMTP');
    // Network rule, even though nothing should connect at all.
    await keepLiveChecksOnLoopback(1500);
    stopRecording = recordNetworkCalls(calls);
  });

  after(async () => {
    stopRecording();
    await vscode.workspace.getConfiguration('smtpDoctor').update('live.runOn', undefined, vscode.ConfigurationTarget.Workspace);
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

  it('Run Live Checks, Check SMTP Port, Re-check, Check Workspace and Verify Login make no connection', async () => {
    const port = portOf(smtp);
    const uri = liveFile();
    const text = `const nodemailer = require('nodemailer');\nconst t = nodemailer.createTransport({ host: '127.0.0.1', port: ${port}, auth: { user: 'u@loopback.test', pass: 'untrusted-pw' } });\n`;
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
    assert.strictEqual(await vscode.commands.executeCommand('smtpDoctor.verifyLogin', { file: uri.toString(), line: 1 }), undefined, 'Verify Login in an untrusted workspace');
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

  it('live.runOn "open" and "save": opening and saving a file with a host checks nothing', async () => {
    const config = vscode.workspace.getConfiguration('smtpDoctor');
    const uri = workspaceUri('watched', 'untrusted-runon.js');
    const text = `const nodemailer = require('nodemailer');\nnodemailer.createTransport({ host: '127.0.0.1', port: ${portOf(smtp)} });\n`;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    try {
      for (const runOn of ['open', 'save']) {
        await config.update('live.runOn', runOn, vscode.ConfigurationTarget.Workspace);
        const doc = await vscode.workspace.openTextDocument(uri);
        const editor = await vscode.window.showTextDocument(doc);
        await editor.edit((e) => e.insert(new vscode.Position(doc.lineCount - 1, 0), '// edited\n'));
        await doc.save();
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      }
      await new Promise((r) => setTimeout(r, 1500));
      assert.strictEqual(smtp.connections, 0);
    } finally {
      await vscode.workspace.fs.delete(uri, { useTrash: false }).then(undefined, () => undefined);
    }
  });

  it('nothing SMTP Doctor did in this suite touched the network: no connect, no DNS, no UDP', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    // The recorder works: this suite's own loopback connect is seen (and is not the extension's).
    const probe = net.connect(portOf(smtp), '127.0.0.1');
    probe.on('error', () => undefined);
    probe.destroy();
    assert.ok(calls.some((c) => c.what.startsWith('connect ') && c.what.includes(String(portOf(smtp)))), 'the recorder missed a connect');
    // The extension's code is its bundle; the tests live elsewhere (out/test), also under the source tree.
    const bundle = path.join(ext.extensionPath, 'dist');
    const ours = calls.filter((c) => c.stack.includes(bundle));
    assert.deepStrictEqual(ours.map((c) => c.what), [], `SMTP Doctor reached for the network:\n${ours.map((c) => c.stack).join('\n\n')}`);
  });
});
