// Verify Login in a real VS Code: one modal confirmation naming host and account, then a login as the
// transport would make it against a loopback server that checks the password; nothing happens without the
// confirmation, the Results tree offers it only on endpoints that log in, and no mail command is ever sent.
import * as assert from 'assert';
import * as net from 'net';
import * as vscode from 'vscode';
import { allResultNodes, extensionReady, keepLiveChecksOnLoopback, listenLoopback, portOf, waitFor, workspaceUri } from '../helpers';

const USER = 'app@loopback.test';
const PASSWORD = 'Vrfy-int-pw-5521';

/** A loopback SMTP server with AUTH PLAIN and LOGIN (no TLS: the password stays on this machine). */
async function startAuthSmtp(): Promise<net.Server & { lines: string[]; connections: number }> {
  const lines: string[] = [];
  const server = net.createServer((socket) => {
    counted.connections++;
    socket.on('error', () => undefined);
    socket.write('220 auth.loopback.test ESMTP\r\n');
    let buffer = '';
    socket.on('data', (d) => {
      buffer += d.toString('latin1');
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        lines.push(line);
        if (/^EHLO/i.test(line)) socket.write('250-auth.loopback.test\r\n250 AUTH PLAIN LOGIN\r\n');
        else if (/^AUTH PLAIN /i.test(line)) {
          const [, user, pass] = Buffer.from(line.slice(11), 'base64').toString('utf8').split('\u0000');
          socket.write(user === USER && pass === PASSWORD ? '235 2.7.0 Authentication successful\r\n' : '535 5.7.8 Error: authentication failed\r\n');
        } else if (/^QUIT/i.test(line)) socket.end('221 2.0.0 Bye\r\n');
        else socket.write('502 5.5.2 not here\r\n');
      }
    });
  });
  const counted = Object.assign(server, { lines, connections: 0 });
  await listenLoopback(server);
  return counted;
}

interface LoginLike {
  readonly target: { readonly host: string; readonly port: number; readonly user: string; readonly password?: string };
}

/** The extension API's hold on Verify Login's confirmation (src/vscode/verifyLogin.ts LoginConfirmation). */
interface ConfirmationHolder {
  ask(login: LoginLike): Thenable<boolean>;
}

/**
 * Answers the confirmation as a user would (VS Code refuses to show dialogs in tests: the test stands in for
 * the click through the API's confirmation), recording whom it was asked about.
 */
async function answerConfirmation(answer: boolean): Promise<{ asked: string[]; restore(): void }> {
  const api = (await extensionReady()) as unknown as { loginConfirmation: ConfirmationHolder };
  const holder = api.loginConfirmation;
  const original = holder.ask;
  const asked: string[] = [];
  holder.ask = async (login) => {
    asked.push(`${login.target.user} at ${login.target.host}:${login.target.port}`);
    return answer;
  };
  return { asked, restore: () => (holder.ask = original) };
}

describe('Verify Login', function () {
  this.timeout(60_000);
  let server: Awaited<ReturnType<typeof startAuthSmtp>>;
  const file = () => workspaceUri('watched', 'login-mailer.js');

  before(async () => {
    await extensionReady();
    await keepLiveChecksOnLoopback(1500);
    server = await startAuthSmtp();
    const port = portOf(server);
    const text = [
      "const nodemailer = require('nodemailer');",
      `exports.good = nodemailer.createTransport({ host: '127.0.0.1', port: ${port}, ignoreTLS: true, auth: { user: '${USER}', pass: '${PASSWORD}' } });`,
      `exports.bad = nodemailer.createTransport({ host: '127.0.0.1', port: ${port}, ignoreTLS: true, auth: { user: '${USER}', pass: 'wrong-password' } });`,
      `exports.anonymous = nodemailer.createTransport({ host: '127.0.0.1', port: ${port} });`,
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(file(), new TextEncoder().encode(text));
    await vscode.workspace.openTextDocument(file());
  });

  after(async () => {
    server?.close();
    await vscode.workspace.fs.delete(file(), { useTrash: false }).then(undefined, () => undefined);
  });

  const verify = (line: number) => vscode.commands.executeCommand<{ outcome: string; reply?: string; account: string; mechanism?: string } | undefined>('smtpDoctor.verifyLogin', { file: file().toString(), line });

  it('by default asks with a modal dialog naming the host and the account, and connects to nothing before', async () => {
    const before = server.connections;
    // VS Code refuses dialogs in tests, and says what the dialog would have shown.
    await assert.rejects(Promise.resolve(verify(1)), (e: Error) => e.message.includes(`refused to show dialog in tests. Contents: Verify the login of ${USER} at 127.0.0.1:${portOf(server)}?`) && !e.message.includes(PASSWORD));
    assert.strictEqual(server.connections, before);
  });

  it('asks once, then reports the server\'s 235', async () => {
    const confirm = await answerConfirmation(true);
    try {
      const r = await verify(1);
      assert.deepStrictEqual(confirm.asked, [`${USER} at 127.0.0.1:${portOf(server)}`]);
      assert.deepStrictEqual([r?.outcome, r?.reply, r?.account, r?.mechanism], ['accepted', '235 2.7.0 Authentication successful', USER, 'PLAIN']);
      assert.ok(!JSON.stringify(r).includes(PASSWORD), 'the result holds no password');
    } finally {
      confirm.restore();
    }
    // AUTH, then QUIT: no MAIL, RCPT or DATA.
    assert.ok(!server.lines.some((l) => /^(MAIL|RCPT|DATA)\b/i.test(l)), server.lines.join(' | '));
    assert.ok(server.lines.some((l) => /^QUIT$/i.test(l)));
  });

  it('reports 535 for a wrong password', async () => {
    const confirm = await answerConfirmation(true);
    try {
      const r = await verify(2);
      assert.deepStrictEqual([r?.outcome, r?.reply], ['rejected', '535 5.7.8 Error: authentication failed']);
    } finally {
      confirm.restore();
    }
  });

  it('does nothing (no connection) when the confirmation is dismissed, or where no login is configured', async () => {
    const before = server.connections;
    const confirm = await answerConfirmation(false);
    try {
      assert.strictEqual(await verify(1), undefined);
      assert.strictEqual(confirm.asked.length, 1);
      assert.strictEqual(await verify(3), undefined, 'a transport without a login');
      assert.strictEqual(confirm.asked.length, 1, 'no confirmation for a line without a login');
    } finally {
      confirm.restore();
    }
    await new Promise((r) => setTimeout(r, 500));
    assert.strictEqual(server.connections, before);
  });

  it('is offered in the Results tree on endpoints that log in, and runs from such a node', async () => {
    const api = await extensionReady();
    const port = portOf(server);
    const nodes = await waitFor('the login transports in the Results tree', () => {
      const found = allResultNodes(api.results).filter((n) => n.kind === 'endpoint' && n.label === `127.0.0.1:${port}`);
      return found.length ? found : undefined;
    });
    const items = nodes.map((n) => api.results.getTreeItem(n).contextValue);
    assert.ok(items.every((c) => /^smtpDoctor\.result\.endpoint\.login\.located$/.test(c ?? '')), JSON.stringify(items));
    const contributed = vscode.extensions.getExtension('smtp-doctor.smtp-doctor')!.packageJSON.contributes.menus['view/item/context'] as { command: string; when: string }[];
    const menu = contributed.find((m) => m.command === 'smtpDoctor.verifyLogin')!;
    assert.match(menu.when, /isWorkspaceTrusted/);
    assert.ok(new RegExp(/viewItem =~ \/(.*)\//.exec(menu.when)![1]).test(items[0]!), 'the menu entry matches the node');
    const confirm = await answerConfirmation(true);
    try {
      const r = await vscode.commands.executeCommand<{ outcome: string }>('smtpDoctor.verifyLogin', nodes[0]);
      assert.strictEqual(r?.outcome, 'accepted');
    } finally {
      confirm.restore();
    }
  });
});
