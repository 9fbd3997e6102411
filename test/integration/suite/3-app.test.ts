import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, extensionReady, open, rangeOf, ruleIdOf, waitForDiagnostics, waitForRule, workspaceUri } from '../helpers';

const MISMATCH = 'nodemailer/secure-port-mismatch';

describe('application transports', () => {
  before(async () => {
    await extensionReady();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await closeAllEditors();
  });

  it('JS: a secure flag from .env on port 587 is an error on the option, linked to the .env line', async () => {
    const uri = workspaceUri('app', 'src', 'mailer.js');
    const d = await waitForRule(uri, MISMATCH);
    const doc = await open(uri);
    assert.strictEqual(doc.getText(d.range), "process.env.SMTP_SECURE === 'true'");
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    const related = d.relatedInformation ?? [];
    const envLine = related.find((r) => r.location.uri.path.endsWith('/app/.env'));
    assert.ok(envLine, `related: ${related.map((r) => r.location.uri.toString()).join(', ')}`);
    assert.strictEqual(envLine.location.range.start.line, 3, 'SMTP_SECURE is on line 4 of .env');
  });

  it('TS: port 465 without secure is an error whose quick fix sets secure: true', async () => {
    const doc = await open(workspaceUri('app', 'src', 'notify.ts'));
    const d = await waitForRule(doc.uri, MISMATCH);
    assert.strictEqual(doc.getText(d.range), 'false');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range);
    const fix = actions.find((a) => a.title === 'Set secure: true');
    assert.ok(actions.some((a) => a.title === 'Use port 587'), 'the other way round is offered too');
    assert.ok(fix?.edit, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.ok(doc.getText().includes('secure: true'), doc.getText());
    await waitForDiagnostics(doc.uri, (ds) => !ds.some((x) => ruleIdOf(x) === MISMATCH), 'the mismatch to go away after the fix');
  });

  it('TS: typing a broken port in the editor is reported live, and half-typed code raises nothing', async () => {
    const doc = await open(workspaceUri('app', 'src', 'notify.ts'));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, rangeOf(doc, 'port: 465'), 'port: 70000');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForRule(doc.uri, 'nodemailer/invalid-port');
    const half = new vscode.WorkspaceEdit();
    half.insert(doc.uri, doc.positionAt(doc.getText().length), '\nconst broken = createTransport({ host: "x", port: ');
    assert.ok(await vscode.workspace.applyEdit(half));
    await waitForDiagnostics(doc.uri, (ds) => ds.some((x) => ruleIdOf(x) === 'nodemailer/invalid-port'), 'diagnostics to survive half-typed code');
  });

  it('YAML: disabled certificate checks in a config file are reported on the value', async () => {
    const uri = workspaceUri('app', 'config', 'mail.yml');
    const d = await waitForRule(uri, 'nodemailer/tls-verify-disabled');
    const doc = await open(uri);
    assert.strictEqual(doc.getText(d.range), 'false');
    assert.strictEqual(d.range.start.line, 6);
  });
});
