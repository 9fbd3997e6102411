// Short messages on the value that causes them, one diagnostic per root cause (issue 15, items 4, 5 and 6).
import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as vscode from 'vscode';
import { createTestCerts, issueTestCert, type TestCerts } from '../../net/peers/testCerts';
import {
  type SmtpDoctorApi,
  SOURCE,
  allResultNodes,
  closedLoopbackPort,
  extensionReady,
  keepLiveChecksOnLoopback,
  portOf,
  rangeOf,
  ruleIdOf,
  rulesOf,
  startLoopbackStarttlsSmtp,
  waitFor,
  waitForDiagnostics,
  waitForRule,
  workspaceUri,
} from '../helpers';

const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);

describe('one root cause, one short diagnostic, on the value', () => {
  let api: SmtpDoctorApi;
  let certs: TestCerts;
  let tlsServer: net.Server;
  const multi = () => workspaceUri('watched', 'multi-line.js');
  const certFile = () => workspaceUri('watched', 'cert-mailer.js');
  const compose = () => workspaceUri('watched', 'stack', 'docker-compose.yml');

  before(async () => {
    api = await extensionReady();
    certs = createTestCerts();
    // Self-signed as far as the probe knows (it does not trust the test CA), for another name, expiring in 5 days.
    const soon = issueTestCert(certs, 'soon', 'other.test', 'DNS:other.test', ['-days', '5']);
    tlsServer = await startLoopbackStarttlsSmtp(soon);
    await keepLiveChecksOnLoopback(2000);
  });

  after(async () => {
    tlsServer?.close();
    certs?.cleanup();
    for (const uri of [multi(), certFile(), workspaceUri('watched', 'stack')]) await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false }).then(undefined, () => undefined);
  });

  it('a live finding underlines the value that causes it, one line at most, and its hover says the rest', async () => {
    const refused = await closedLoopbackPort();
    const text = ["const nodemailer = require('nodemailer');", 'const t = nodemailer.createTransport({', "  host: '127.0.0.1',", `  port: ${refused},`, '  pool: true,', '});', ''].join('\n');
    await write(multi(), text);
    const doc = await vscode.workspace.openTextDocument(multi());
    await vscode.commands.executeCommand('smtpDoctor.recheck', multi());
    const d = await waitForRule(multi(), 'smtp/port-refused');
    assert.ok(d.range.isEqual(rangeOf(doc, String(refused))), `on the port value, not the createTransport block: ${JSON.stringify(d.range)}`);
    assert.strictEqual(d.message, `127.0.0.1:${refused} refused the connection; check the port, or start the mail server there.`);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', multi(), d.range.start.translate(0, 1));
    // Markdown source: appendText escapes spaces and punctuation.
    const hover = hovers
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')))
      .join('\n')
      .replace(/&nbsp;/g, ' ')
      .replace(/\\(.)/g, '$1');
    assert.match(hover, /smtp\/port-refused/);
    assert.match(hover, /Nothing listens on that port, or a firewall rejects the connection\..*ECONNREFUSED/s, hover);
  });

  it('two rules on one secure: value are one diagnostic, and the .env line it comes from is not a second', async () => {
    const dir = workspaceUri('watched', 'envapp');
    fs.mkdirSync(dir.fsPath, { recursive: true });
    await write(vscode.Uri.joinPath(dir, '.env'), 'SMTP_HOST=smtp.envapp.example\nSMTP_PORT=587\nSMTP_SECURE=false\n');
    const code = vscode.Uri.joinPath(dir, 'mailer.js');
    const text = "const nodemailer = require('nodemailer');\nmodule.exports = nodemailer.createTransport({ host: process.env.SMTP_HOST, port: Number(process.env.SMTP_PORT), secure: process.env.SMTP_SECURE });\n";
    await write(code, text);
    const doc = await vscode.workspace.openTextDocument(code);
    try {
      const ds = await waitForDiagnostics(code, (all) => all.some((d) => rulesOf(d).includes('nodemailer/env-boolean-string') && rulesOf(d).includes('nodemailer/secure-port-mismatch')), 'both rules on secure', 20_000);
      const onSecure = ds.filter((d) => d.range.isEqual(rangeOf(doc, 'process.env.SMTP_SECURE')));
      assert.strictEqual(onSecure.length, 1, ds.map((d) => `${ruleIdOf(d)}@${d.range.start.character}`).join(', '));
      assert.strictEqual(ruleIdOf(onSecure[0]), 'nodemailer/secure-port-mismatch', 'the error speaks');
      assert.deepStrictEqual(rulesOf(onSecure[0]).sort(), ['nodemailer/env-boolean-string', 'nodemailer/secure-port-mismatch']);
      assert.ok((onSecure[0].relatedInformation ?? []).some((r) => r.location.uri.path.endsWith('/envapp/.env')), 'the .env line is related information');
      const envDs = ours(vscode.Uri.joinPath(dir, '.env')).filter((d) => (ruleIdOf(d) ?? '').startsWith('nodemailer/secure'));
      assert.deepStrictEqual(envDs.map((d) => d.message), [], 'the mismatch is not said again on the .env line');
    } finally {
      await vscode.workspace.fs.delete(dir, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    }
  });

  it('three certificate problems of one server are one diagnostic, the others its related information', async () => {
    const port = portOf(tlsServer);
    const text = `const nodemailer = require('nodemailer');\nconst t = nodemailer.createTransport({ host: '127.0.0.1', port: ${port} });\n`;
    await write(certFile(), text);
    const doc = await vscode.workspace.openTextDocument(certFile());
    await vscode.commands.executeCommand('smtpDoctor.recheck', certFile());
    const ds = await waitForDiagnostics(certFile(), (all) => all.some((d) => (ruleIdOf(d) ?? '').startsWith('smtp/cert-')), 'a certificate diagnostic', 20_000);
    const cert = ds.filter((d) => (ruleIdOf(d) ?? '').startsWith('smtp/cert-'));
    assert.strictEqual(cert.length, 1, ds.map((d) => `${ruleIdOf(d)}: ${d.message}`).join('\n'));
    assert.ok(cert[0].range.isEqual(rangeOf(doc, "'127.0.0.1'")), 'on the host value');
    const related = (cert[0].relatedInformation ?? []).map((r) => r.message);
    const rules = [ruleIdOf(cert[0]), ...related.map((m) => /^also (\S+)/.exec(m)?.[1])].sort();
    assert.deepStrictEqual(rules, ['smtp/cert-expiring', 'smtp/cert-hostname-mismatch', 'smtp/cert-untrusted']);
    // The tree still shows the certificate check with all three problems.
    const node = await waitFor('the Certificate check', () => allResultNodes(api.results).find((n) => n.kind === 'check' && n.label === 'Certificate' && n.tooltip.includes('cert-expiring')));
    assert.match(node.tooltip, /cert-hostname-mismatch/);
  });

  it('a compose service that is a mail server is not an outbound connection; the app service next to it is', async () => {
    const refused = await closedLoopbackPort();
    const text = [
      'services:',
      '  mailpit:',
      '    image: axllent/mailpit:latest',
      '    environment:',
      '      SMTP_HOST: 127.0.0.1',
      `      SMTP_PORT: ${await closedLoopbackPort()}`,
      '  app:',
      '    image: node:20',
      '    environment:',
      '      SMTP_HOST: 127.0.0.1',
      `      SMTP_PORT: ${refused}`,
      '      SMTP_SECURE: "false"',
      '',
    ].join('\n');
    fs.mkdirSync(workspaceUri('watched', 'stack').fsPath, { recursive: true });
    await write(compose(), text);
    const doc = await vscode.workspace.openTextDocument(compose());
    await vscode.commands.executeCommand('smtpDoctor.recheck', compose());
    const d = await waitForRule(compose(), 'smtp/port-refused');
    const live = ours(compose()).filter((x) => (ruleIdOf(x) ?? '').startsWith('smtp/'));
    assert.strictEqual(live.length, 1, live.map((x) => x.message).join('\n'));
    assert.strictEqual(d.range.start.line, 10, 'on the app service port value');
    assert.strictEqual(d.range.start.line, d.range.end.line, 'one line, not the 13-line service');
    assert.ok(d.range.isEqual(new vscode.Range(10, doc.lineAt(10).text.indexOf(String(refused)), 10, doc.lineAt(10).text.length)));
    const inTree = allResultNodes(api.results).filter((n) => n.kind === 'endpoint' && n.label.startsWith('127.0.0.1:') && n.id.includes('docker-compose.yml'));
    assert.deepStrictEqual(inTree.map((n) => n.label), [`127.0.0.1:${refused}`], 'only the app service is a server the tree lists');
  });
});
