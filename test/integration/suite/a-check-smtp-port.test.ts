// "Check SMTP Port" as a user meets it (issue 15, item 1): run from the command palette by its full title, it
// answers in the Results view (the server revealed, selected and expanded) and in one line with actions.
import * as assert from 'assert';
import * as net from 'net';
import * as vscode from 'vscode';
import {
  type ResultNodeLike,
  type SmtpDoctorApi,
  closedLoopbackPort,
  extensionReady,
  keepLiveChecksOnLoopback,
  portOf,
  resultsView,
  startLoopbackSmtp,
  waitFor,
} from '../helpers';
import { QUICK_INPUT, TOAST_MESSAGES, paletteRows, runFromPalette, screenshot, ui, uiBridgeAvailable, uiTexts } from '../uiBridge';

interface PortCheckSummary {
  readonly host: string;
  readonly ports: readonly number[];
  readonly headline: string;
  readonly failed: boolean;
  readonly probes: readonly { readonly port: number; readonly status: string }[];
}

const check = (arg: string) => vscode.commands.executeCommand<PortCheckSummary | undefined>('smtpDoctor.checkSmtpPort', arg);

/** The rows of the Results view whose accessible label starts with `label`: expanded and selected as the DOM says. */
async function resultRows(label: string): Promise<{ label: string; expanded: string | null; selected: string | null }[]> {
  const [rows] = await ui([{ attributes: '.part.sidebar .monaco-list-row', names: ['aria-label', 'aria-expanded', 'aria-selected'] }]);
  return (rows as Record<string, string | null>[])
    .filter((r) => (r['aria-label'] ?? '').startsWith(label))
    .map((r) => ({ label: r['aria-label'] ?? '', expanded: r['aria-expanded'], selected: r['aria-selected'] }));
}

/** The answer toasts shown now that name `text` (not the progress toast of the run). */
async function toasts(text: string): Promise<string[]> {
  return (await uiTexts(TOAST_MESSAGES)).filter((t) => t.includes(text) && !t.startsWith('SMTP Doctor: checking'));
}

describe('Check SMTP Port shows its answer', function () {
  let api: SmtpDoctorApi;
  let smtp: net.Server;
  let slow: net.Server;

  before(async function () {
    if (!uiBridgeAvailable()) this.skip(); // the workbench itself is needed (code-server runner)
    api = await extensionReady();
    smtp = await startLoopbackSmtp('220 answer.test ESMTP');
    slow = await startLoopbackSmtp('220 slow-answer.test ESMTP', 1500);
    await keepLiveChecksOnLoopback(3000);
  });

  after(async () => {
    smtp?.close();
    slow?.close();
    await ui([{ press: 'Escape' }]).catch(() => undefined);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('typing its full title in the palette runs it, even right after Run Live Checks was used there', async () => {
    // A user who ran the workspace live checks from the palette before: that command is "recently used".
    await runFromPalette('SMTP Doctor: Run Live Checks');
    await ui([{ wait: 500 }, { press: 'Escape' }]);
    await waitFor('no live run', () => (api.results.rebuild() && !resultsView(api.results)?.message ? true : undefined), 60_000);
    const rows = await paletteRows('SMTP Doctor: Check SMTP Port');
    assert.match(rows[0] ?? '', /^SMTP Doctor: Check SMTP Port/, `the palette offers first: ${rows.join(' | ')}`);
    assert.strictEqual(rows.filter((r) => r.startsWith('SMTP Doctor:')).length, 1, `only Check SMTP Port matches its own title: ${rows.join(' | ')}`);

    // A tidy view for the picture taken below: every file folded, the answer unfolds its server.
    await vscode.commands.executeCommand('workbench.view.extension.smtpDoctor');
    await vscode.commands.executeCommand('workbench.actions.treeView.smtpDoctor.results.collapseAll').then(undefined, () => undefined);
    await runFromPalette('SMTP Doctor: Check SMTP Port');
    const [, title] = await ui([{ waitFor: `${QUICK_INPUT} .quick-input-title` }, { texts: `${QUICK_INPUT} .quick-input-title` }]);
    assert.deepStrictEqual(title, ['SMTP Doctor: Check SMTP Port'], 'the host picker of Check SMTP Port opened');
    // Hosts the workspace names are offered with their TLS mode in words.
    const [offered] = await ui([{ attributes: `${QUICK_INPUT} .quick-input-list .monaco-list-row`, names: ['aria-label'] }]);
    const labels = (offered as { 'aria-label': string }[]).map((r) => r['aria-label']).join(' | ');
    assert.ok(!/starttls-opportunistic|starttls-required|implicit-tls/.test(labels), `internal names in the picker: ${labels}`);

    const port = portOf(smtp);
    await ui([{ type: `127.0.0.1:${port}` }, { wait: 300 }, { press: 'Enter' }]);
    const line = await waitFor('the answer notification', async () => (await toasts(`127.0.0.1:${port}`))[0], 30_000);
    assert.strictEqual(line, `SMTP Doctor: 127.0.0.1:${port} open · no STARTTLS`);
    const buttons = await uiTexts(`.notifications-toasts .notification-toast:has-text("127.0.0.1:${port}"):not(:has-text("checking")) .monaco-button`);
    assert.deepStrictEqual(buttons.map((b) => b.trim()), ['Show details', 'Copy', 'Re-check']);
    await screenshot('check-smtp-port.png');
  });

  it('opens the Results view and reveals, selects and expands the checked server, with a one-line answer', async () => {
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    const port = portOf(smtp);
    const summary = await check(`127.0.0.1:${port}`);
    assert.ok(summary, 'the command answered');
    assert.strictEqual(summary.headline, `127.0.0.1:${port} open · no STARTTLS`);
    assert.strictEqual(summary.failed, false);
    const view = resultsView(api.results)!;
    await waitFor('the Results view to be visible', () => (view.visible ? true : undefined));
    const selected = await waitFor('the server selected', () => view.selection.find((n: ResultNodeLike) => n.kind === 'endpoint' && n.label === `127.0.0.1:${port}`));
    assert.strictEqual(selected.state, 'warning');
    // Hand-checked hosts come first in the tree, where the user just looked.
    api.results.rebuild();
    assert.strictEqual(api.results.getChildren().find((n) => n.kind !== 'notice')?.label, 'Checked by hand');
    const rows = await waitFor('its row expanded and selected', async () => {
      const r = await resultRows(`127.0.0.1:${port}`);
      return r.some((x) => x.expanded === 'true' && x.selected === 'true') ? r : undefined;
    });
    assert.ok(rows.length >= 1);
  });

  beforeEach(async () => {
    // Each test reads and clicks its own toast: earlier answers for the same server must not be there, and
    // VS Code shows at most 3 toasts in 800 ms (its spam protection).
    await vscode.commands.executeCommand('notifications.clearAll');
    await new Promise((r) => setTimeout(r, 900));
  });

  it('says a failure in plain words, and Copy puts that line on the clipboard', async () => {
    const refused = await closedLoopbackPort();
    const summary = await check(`127.0.0.1:${refused}`);
    assert.strictEqual(summary?.failed, true);
    assert.strictEqual(summary?.headline, `127.0.0.1:${refused} refused the connection; check the port, or start the mail server there.`);
    await waitFor('the warning toast', async () => (await toasts(`127.0.0.1:${refused}`))[0], 15_000);
    await vscode.env.clipboard.writeText('');
    await ui([{ click: `.notifications-toasts .notification-toast:has-text("127.0.0.1:${refused}"):not(:has-text("checking")) .monaco-button:has-text("Copy")` }]);
    const copied = await waitFor('the clipboard', async () => (await vscode.env.clipboard.readText()) || undefined);
    assert.strictEqual(copied, summary?.headline);
  });

  it('Show details opens the probe with its SMTP transcript', async () => {
    const port = portOf(smtp);
    await check(`127.0.0.1:${port}`);
    await waitFor('the toast', async () => (await toasts(`127.0.0.1:${port}`))[0], 15_000);
    await ui([{ click: `.notifications-toasts .notification-toast:has-text("127.0.0.1:${port}"):not(:has-text("checking")) .monaco-button:has-text("Show details")` }]);
    const editor = await waitFor('the details document', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.getText().includes('Transcript') ? e : undefined;
    });
    const text = editor.document.getText();
    assert.match(text, /^SMTP Doctor: 127\.0\.0\.1:\d+\n\n127\.0\.0\.1:\d+ open · no STARTTLS/);
    assert.match(text, /<- {2}220 answer\.test ESMTP/);
    assert.match(text, / -> EHLO /);
    assert.match(text, / -> QUIT/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('counts only what this command runs, in the view and the status bar, whatever ran before', async () => {
    // Earlier results: several servers. The slow server greets after 1.5 s: the run is seen under way.
    const label = `127.0.0.1:${portOf(slow)}`;
    const run = check(label);
    const view = resultsView(api.results)!;
    const message = await waitFor('the progress message', () => (view.message?.startsWith('Live checks running') ? view.message : undefined), 5000);
    assert.strictEqual(message, 'Live checks running: 0 of 1 done');
    await waitFor(() => `the status bar to count 0/1 (now ${api.statusBar.state.text})`, () => (api.statusBar.state.text === '$(sync~spin) $(mail) 0/1' ? true : undefined), 3000);
    const summary = await run;
    assert.deepStrictEqual(summary?.probes.map((p) => p.status), ['open']);
    await waitFor('the message to go', () => (view.message === undefined ? true : undefined));
  });

  it("is a button in the Results view's title bar", async () => {
    await vscode.commands.executeCommand('workbench.view.extension.smtpDoctor');
    const [, labels] = await ui([{ waitFor: '.part.sidebar .title-actions .action-label' }, { attributes: '.part.sidebar .title-actions .action-label', names: ['aria-label'] }]);
    const titles = (labels as { 'aria-label': string | null }[]).map((l) => l['aria-label'] ?? '');
    assert.ok(titles.some((t) => t.startsWith('Check SMTP Port')), `title bar: ${titles.join(' | ')}`);
  });
});
