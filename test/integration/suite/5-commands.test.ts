import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { closedLoopbackPort, extensionReady, listenLoopback, portOf, startLoopbackSmtp, waitFor, waitForRule, workspaceUri } from '../helpers';

/** What Check SMTP Port returns. */
interface PortCheckSummary {
  readonly host: string;
  readonly ports: readonly number[];
  readonly probes: readonly { readonly host: string; readonly port: number; readonly status: string; readonly ms: number }[];
  readonly cancelled: boolean;
  readonly incomplete: boolean;
}

const NEW_COMMANDS = [
  'smtpDoctor.checkSmtpPort',
  'smtpDoctor.checkWorkspace',
  'smtpDoctor.recheck',
  'smtpDoctor.cancel',
  'smtpDoctor.copyReport',
  'smtpDoctor.exportReport',
  'smtpDoctor.showLog',
  'smtpDoctor.clearResults',
];

/** Literal credentials in a fixture file: no report may contain them. */
const PASSWORD = 'Tr0ub4dor-fixture-pw';
const URL_PASSWORD = 'url-fixture-pw-9271';

/**
 * Creates a workspace file and opens it, and hands its text to the extension through an edit and a save: the
 * file watcher may read a file while it is being written, an editor's text is what the extension trusts.
 */
async function createOpenAndSave(uri: vscode.Uri, text: string, edited: string): Promise<vscode.TextDocument> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), edited);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was not applied');
  assert.ok(await doc.save(), 'the document was not saved');
  return doc;
}

const settings = () => vscode.workspace.getConfiguration('smtpDoctor');

async function setSetting(key: string, value: unknown): Promise<void> {
  await settings().update(key, value, vscode.ConfigurationTarget.Workspace);
  await waitFor(`setting ${key} to apply`, () => (JSON.stringify(settings().get(key)) === JSON.stringify(value) ? true : undefined));
}

function checkSmtpPort(arg: string): Thenable<PortCheckSummary | undefined> {
  return vscode.commands.executeCommand<PortCheckSummary | undefined>('smtpDoctor.checkSmtpPort', arg);
}

/** Exports the JSON report to a file outside the workspace and reads it back. */
async function exportJson(): Promise<{ findings: { rule: string; file: string; line: number }[]; endpoints: unknown[]; probes?: { host: string; port: number; status: string }[] }> {
  const target = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-export-')), 'report.json'));
  const written = await vscode.commands.executeCommand<string>('smtpDoctor.exportReport', target);
  assert.strictEqual(written, target.toString());
  return JSON.parse(fs.readFileSync(target.fsPath, 'utf8'));
}

describe('check, report and result commands', () => {
  let smtp: net.Server;
  let silent: net.Server;
  let silentConnections = 0;
  let open: number;
  let refused: number;
  const secretFile = () => workspaceUri('watched', 'secret-mailer.js');

  before(async () => {
    await extensionReady();
    smtp = await startLoopbackSmtp('220 commands.test ESMTP');
    // Accepts and never greets: a probe of it waits for its greeting timeout.
    silent = await listenLoopback(
      net.createServer((socket) => {
        silentConnections++;
        socket.on('error', () => undefined);
      }),
    );
    open = portOf(smtp);
    refused = await closedLoopbackPort();
    // Network rule: every DNS lookup goes to a closed loopback port, and the outbound-25 diagnosis may only
    // probe loopback; the fixture workspace names example.com hosts.
    await setSetting('dnsServers', [`127.0.0.1:${await closedLoopbackPort()}`]);
    await setSetting('live.outbound25ProbeHosts', ['127.0.0.1']);
    await setSetting('live.timeoutMs', 1500);
  });

  after(async () => {
    smtp?.close();
    silent?.close();
    await settings().update('live.ports', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs.delete(secretFile(), { useTrash: false }).then(undefined, () => undefined);
  });

  it('registers every check, report and result command', async () => {
    const commands = new Set(await vscode.commands.getCommands(true));
    for (const c of [...NEW_COMMANDS, 'smtpDoctor.clearLiveResults']) assert.ok(commands.has(c), `${c} is not registered`);
  });

  it('Check SMTP Port probes an open and a closed loopback port, and the results join the live results', async () => {
    await vscode.commands.executeCommand('smtpDoctor.clearResults');
    const good = await checkSmtpPort(`127.0.0.1:${open}`);
    assert.ok(good, 'Check SMTP Port returned nothing');
    assert.deepStrictEqual(good.ports, [open]);
    assert.deepStrictEqual(good.probes.map((p) => [p.host, p.port, p.status]), [['127.0.0.1', open, 'open']]);
    assert.strictEqual(good.cancelled, false);

    const bad = await checkSmtpPort(`127.0.0.1:${refused}`);
    assert.deepStrictEqual(bad?.probes.map((p) => p.status), ['refused']);

    // Both runs are recorded: the second re-check keeps the first one's result.
    const report = await exportJson();
    const probes = (report.probes ?? []).map((p) => `${p.host}:${p.port} ${p.status}`);
    assert.ok(probes.includes(`127.0.0.1:${open} open`), `exported probes: ${probes.join(', ')}`);
    assert.ok(probes.includes(`127.0.0.1:${refused} refused`), `exported probes: ${probes.join(', ')}`);
  });

  it('Check SMTP Port without a port probes the ports of smtpDoctor.live.ports, read when it changes', async () => {
    await setSetting('live.ports', [open, refused]);
    const summary = await checkSmtpPort('127.0.0.1');
    assert.deepStrictEqual(summary?.ports, [open, refused]);
    assert.deepStrictEqual(
      [...(summary?.probes ?? [])].sort((a, b) => a.port - b.port).map((p) => [p.port, p.status]),
      [[open, 'open'], [refused, 'refused']].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
  });

  it('Cancel Checks ends a run against a server that never greets, reported as cancelled', async () => {
    await setSetting('live.timeoutMs', 30_000);
    try {
      const before = silentConnections;
      const started = Date.now();
      const run = checkSmtpPort(`127.0.0.1:${portOf(silent)}`);
      await waitFor('the probe to connect to the silent server', () => (silentConnections > before ? true : undefined));
      await vscode.commands.executeCommand('smtpDoctor.cancel');
      const summary = await run;
      const elapsed = Date.now() - started;
      assert.ok(summary, 'the cancelled run returned nothing');
      assert.strictEqual(summary.cancelled, true);
      assert.strictEqual(summary.incomplete, true);
      assert.deepStrictEqual(summary.probes.map((p) => p.status), ['cancelled']);
      assert.ok(elapsed < 15_000, `the run took ${elapsed} ms; it should end soon after Cancel, long before the 30 s greeting timeout`);
    } finally {
      await setSetting('live.timeoutMs', 1500);
    }
  });

  it('Re-check with a file re-runs that file\'s live checks and puts them on its lines', async () => {
    const uri = secretFile();
    const text = [
      "const nodemailer = require('nodemailer');",
      `const a = nodemailer.createTransport({ host: '127.0.0.1', port: ${refused}, auth: { user: 'app', pass: '${PASSWORD}' } });`,
      `const b = nodemailer.createTransport('smtp://app:${URL_PASSWORD}@127.0.0.1:${open}');`,
      '',
    ].join('\n');
    await createOpenAndSave(uri, `// being written\n${text}`, text);
    await waitForRule(uri, 'nodemailer/hardcoded-credentials');
    await vscode.commands.executeCommand('smtpDoctor.recheck', uri);
    const d = await waitForRule(uri, 'smtp/port-refused');
    assert.strictEqual(d.range.start.line, 1);
  });

  it('Re-check with a host re-probes just that host:port', async () => {
    const summary = await vscode.commands.executeCommand<PortCheckSummary>('smtpDoctor.recheck', { host: '127.0.0.1', port: open });
    assert.deepStrictEqual(summary?.probes.map((p) => [p.port, p.status]), [[open, 'open']]);
  });

  it('Check Workspace rescans, then runs the live checks of the whole workspace', async () => {
    const result = await vscode.commands.executeCommand<{ files: number; problems: number; live?: { probes: readonly { host: string; port: number }[] } }>('smtpDoctor.checkWorkspace');
    assert.ok(result && result.files >= 3 && result.problems > 0, JSON.stringify(result));
    const probed = (result.live?.probes ?? []).map((p) => `${p.host}:${p.port}`);
    assert.ok(probed.includes(`127.0.0.1:${refused}`), `probed: ${probed.join(', ')}`);
  });

  it('Copy Report puts Markdown with the rule ids on the clipboard, and no password', async () => {
    await waitForRule(secretFile(), 'nodemailer/hardcoded-credentials');
    const returned = await vscode.commands.executeCommand<string>('smtpDoctor.copyReport');
    const markdown = await vscode.env.clipboard.readText();
    assert.strictEqual(markdown, returned, 'the clipboard holds the report the command made');
    assert.match(markdown, /^# SMTP Doctor report/);
    for (const rule of ['postfix/unknown-parameter', 'nodemailer/hardcoded-credentials', 'smtp/port-refused']) {
      assert.ok(markdown.includes(`\`${rule}\``), `the report lacks ${rule}:\n${markdown}`);
    }
    assert.match(markdown, /### `postfix\/main\.cf`/, 'findings are grouped under workspace-relative paths');
    assert.ok(markdown.includes(`\`127.0.0.1:${open}\` | open |`), `the report lacks the probe table:\n${markdown}`);
    assert.ok(!markdown.includes(PASSWORD) && !markdown.includes(URL_PASSWORD), 'the report contains a password from the fixture');
  });

  it('Export Report writes JSON with workspace-relative paths (and SARIF for .sarif)', async () => {
    const report = await exportJson();
    const mainCf = report.findings.find((f) => f.rule === 'postfix/unknown-parameter' && f.file === 'postfix/main.cf');
    assert.ok(mainCf, `findings: ${report.findings.map((f) => `${f.rule}@${f.file}`).join(', ')}`);
    assert.ok(report.endpoints.length > 0);
    assert.ok(!JSON.stringify(report).includes(PASSWORD) && !JSON.stringify(report).includes(URL_PASSWORD));

    const sarifUri = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-export-')), 'report.sarif'));
    await vscode.commands.executeCommand('smtpDoctor.exportReport', sarifUri);
    const sarif = JSON.parse(fs.readFileSync(sarifUri.fsPath, 'utf8'));
    assert.strictEqual(sarif.version, '2.1.0');
    const uris: string[] = sarif.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uri);
    assert.ok(uris.includes('postfix/main.cf'), `SARIF locations: ${uris.join(', ')}`);
  });

  it('with smtpDoctor.live.runOn "save", saving a file checks the hosts it names', async () => {
    const uri = workspaceUri('watched', 'on-save.js');
    const transport = (port: number) => `const nodemailer = require('nodemailer');\nconst t = nodemailer.createTransport({ host: '127.0.0.1', port: ${port} });\n`;
    await setSetting('live.runOn', 'save');
    try {
      await createOpenAndSave(uri, transport(open), transport(refused));
      const d = await waitForRule(uri, 'smtp/port-refused');
      assert.strictEqual(d.range.start.line, 1);
    } finally {
      await settings().update('live.runOn', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.fs.delete(uri, { useTrash: false }).then(undefined, () => undefined);
    }
  });

  it('Clear Results drops the live results', async () => {
    await vscode.commands.executeCommand('smtpDoctor.clearResults');
    const report = await exportJson();
    assert.strictEqual(report.probes, undefined);
    assert.ok(!report.findings.some((f) => f.rule.startsWith('smtp/')));
  });
});
