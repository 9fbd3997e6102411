// Export Report and the command set (issue 15, items 7 and 8): a report saved in the workspace is never read
// as configuration and its place is said with an Open action; the palette offers a small set of commands whose
// titles say what they do, each found first by its own full title.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { SOURCE, allResultNodes, extensionReady, waitFor, workspaceRoot, workspaceUri } from '../helpers';
import { TOAST_MESSAGES, paletteRows, ui, uiBridgeAvailable, uiTexts } from '../uiBridge';

/** What the palette should offer for "SMTP Doctor:" (Cancel only while checks run, Clear only with live results). */
const PALETTE = [
  'SMTP Doctor: Check SMTP Port',
  'SMTP Doctor: Check Workspace (Configs and Live Servers)',
  'SMTP Doctor: Copy Report as Markdown',
  'SMTP Doctor: Export Report (JSON or SARIF)…',
  // VS Code's own, for every view.
  'SMTP Doctor: Focus on Results View',
  'SMTP Doctor: Lint Workspace Configs (No Network)',
  'SMTP Doctor: Show Log',
];

describe('reports and commands', function () {
  const report = () => workspaceUri('smtp-doctor-report.json');

  before(async () => {
    await extensionReady();
  });

  after(async () => {
    await vscode.workspace.fs.delete(report(), { useTrash: false }).then(undefined, () => undefined);
  });

  it('Export Report in the workspace root says where it went, with Open, and the report is never linted as a config', async function () {
    const api = await extensionReady();
    const filesBefore = api.results.getChildren().filter((n) => n.kind === 'file').map((n) => n.label);
    const written = await vscode.commands.executeCommand<string>('smtpDoctor.exportReport', report());
    assert.strictEqual(written, report().toString());
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(report()));
    assert.match(text, /"endpoints"/, 'the report names the servers');
    if (uiBridgeAvailable()) {
      const toast = await waitFor('the saved notification', async () => (await uiTexts(TOAST_MESSAGES)).find((t) => t.includes('report saved to')), 10_000);
      assert.strictEqual(toast, 'SMTP Doctor: report saved to smtp-doctor-report.json');
      const buttons = await uiTexts('.notifications-toasts .notification-toast:has-text("report saved to") .monaco-button');
      assert.deepStrictEqual(buttons.map((b) => b.trim()), ['Open']);
      await ui([{ click: '.notifications-toasts .notification-toast:has-text("report saved to") .monaco-button:has-text("Open")' }]);
      await waitFor('the report to open', () => (vscode.window.activeTextEditor?.document.uri.toString() === report().toString() ? true : undefined));
    } else {
      await vscode.window.showTextDocument(report());
    }
    // Opened, saved and scanned: still not a config.
    await vscode.commands.executeCommand('workbench.action.files.save');
    await vscode.commands.executeCommand('smtpDoctor.lintWorkspace');
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepStrictEqual(vscode.languages.getDiagnostics(report()).filter((d) => d.source === SOURCE), []);
    const filesAfter = api.results.getChildren().filter((n) => n.kind === 'file').map((n) => n.label);
    assert.ok(!filesAfter.includes('smtp-doctor-report.json'), `the tree lists the report: ${filesAfter.join(', ')}`);
    assert.deepStrictEqual(filesAfter.filter((f) => !filesBefore.includes(f)), [], 'no new config appeared');
    assert.ok(!allResultNodes(api.results).some((n) => n.id.includes('smtp-doctor-report.json')));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('the palette offers a small set of commands with titles that say what they do', async function () {
    if (!uiBridgeAvailable()) this.skip();
    await vscode.commands.executeCommand('smtpDoctor.clearResults');
    const rows = await paletteRows('SMTP Doctor:');
    const ours = rows.filter((r) => r.startsWith('SMTP Doctor:')).map((r) => r.replace(/, .*$/, ''));
    assert.deepStrictEqual([...new Set(ours)].sort(), [...PALETTE].sort(), rows.join('\n'));
    // Not twice the same: one Clear, no "Run Live Checks" next to "Check Workspace".
    assert.ok(!ours.some((t) => /Run Live Checks|Clear Live Check Results|Clear Results$/.test(t)));
  });

  it('each palette command is found first by its own full title', async function () {
    if (!uiBridgeAvailable()) this.skip();
    for (const title of PALETTE.filter((t) => !t.includes('Focus on'))) {
      const rows = (await paletteRows(title)).filter((r) => r.startsWith('SMTP Doctor:'));
      assert.ok(rows[0]?.startsWith(title), `"${title}" offers first: ${rows.join(' | ')}`);
      assert.strictEqual(rows.length, 1, `"${title}" also matches: ${rows.join(' | ')}`);
    }
  });

  it('the extension contributes no second command for the same action to the palette', () => {
    const pkg = vscode.extensions.getExtension('smtp-doctor.smtp-doctor')!.packageJSON as {
      contributes: { commands: { command: string; title: string }[]; menus: { commandPalette: { command: string; when: string }[] } };
    };
    const hidden = new Set(pkg.contributes.menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command));
    const shown = pkg.contributes.commands.filter((c) => !hidden.has(c.command));
    assert.ok(shown.length <= 8, shown.map((c) => c.title).join(', '));
    assert.strictEqual(shown.filter((c) => /^Clear/.test(c.title)).length, 1, 'one Clear');
    assert.ok(workspaceRoot());
  });
});
