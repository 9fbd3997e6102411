import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  extensionReady,
  open,
  ourDiagnostics,
  rangeOf,
  ruleIdOf,
  rulesOf,
  scratchCopy,
  waitForDiagnostics,
  waitForRule,
  workspaceUri,
} from '../helpers';

const TYPO = 'smtpd_tls_securty_level';
const FIXED = 'smtpd_tls_security_level';
const SCRATCH_MAIN_CF = ['myhostname = old.example.org', `${TYPO} = may`, 'myhostname = mail.example.org', ''].join('\n');

const hasTypo = (ds: vscode.Diagnostic[]) => ds.some((d) => ruleIdOf(d) === 'postfix/unknown-parameter');

describe('editing', () => {
  before(async () => {
    await extensionReady();
  });
  afterEach(async () => {
    // Leave nothing dirty behind (the edits below are never saved).
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await closeAllEditors();
  });

  it('correcting the typo in the editor clears its diagnostic without saving', async () => {
    const doc = await open(scratchCopy('main.cf', SCRATCH_MAIN_CF));
    assert.strictEqual(doc.languageId, 'postfix-main');
    await waitForDiagnostics(doc.uri, hasTypo, 'the typo diagnostic');

    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, rangeOf(doc, TYPO), FIXED);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(doc.isDirty);
    await waitForDiagnostics(doc.uri, (ds) => !hasTypo(ds), 'the typo diagnostic to go away');
    // The duplicate is still there: only what was fixed disappears.
    assert.ok(ourDiagnostics(doc.uri).some((d) => rulesOf(d).includes('postfix/duplicate-parameter')));
  });

  it('closing a file outside the workspace clears its diagnostics', async () => {
    // open() opens it as a user does: see there why that matters for closing.
    const uri = scratchCopy('main.cf', SCRATCH_MAIN_CF);
    await open(uri);
    await waitForDiagnostics(uri, hasTypo, 'the typo diagnostic');
    await closeAllEditors();
    await waitForDiagnostics(uri, (ds) => ds.length === 0, 'diagnostics to be cleared after closing');
  });

  it('deleting a workspace config clears its diagnostics', async () => {
    // In a folder that exists from the start: a file created together with its folder can be missed by
    // the file watcher (the folder is not watched yet when the file appears).
    const uri = workspaceUri('watched', 'main.cf');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(SCRATCH_MAIN_CF));
    try {
      await waitForDiagnostics(uri, hasTypo, 'diagnostics for a newly created file (file watcher)');
    } finally {
      await vscode.workspace.fs.delete(uri, { useTrash: false });
    }
    await waitForDiagnostics(uri, (ds) => ds.length === 0, 'diagnostics to be cleared after deleting the file');
  });

  it('a config created together with its new folder is linted, and deleting the folder clears it', async () => {
    const folder = workspaceUri('created-later');
    const uri = vscode.Uri.joinPath(folder, 'postfix', 'main.cf');
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(folder, 'postfix'));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(SCRATCH_MAIN_CF));
    try {
      await waitForDiagnostics(uri, hasTypo, 'diagnostics for a config in a new folder');
    } finally {
      await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false });
    }
    await waitForDiagnostics(uri, (ds) => ds.length === 0, 'diagnostics to be cleared after deleting the folder');
  });

  it('hover on a parameter name shows its default and effective value', async () => {
    const doc = await open(workspaceUri('postfix', 'main.cf'));
    const position = rangeOf(doc, 'myhostname = mail.example.org').start.translate(0, 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position);
    const text = (hovers ?? [])
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.ok(text.includes('Default:'), `hover: ${text}`);
    assert.ok(text.includes('Effective value:'), `hover: ${text}`);
    assert.ok(text.includes('mail.example.org'), `the effective value is the later definition: ${text}`);
  });

  it('the quick fix for a typo changes the name', async () => {
    const doc = await open(scratchCopy('main.cf', SCRATCH_MAIN_CF));
    const d = await waitForRule(doc.uri, 'postfix/unknown-parameter');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range);
    const fix = actions.find((a) => a.title === `Change to "${FIXED}"`);
    assert.ok(fix, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `kind ${fix.kind?.value}`);
    assert.ok(fix.edit, 'the quick fix carries an edit');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.strictEqual(doc.lineAt(d.range.start.line).text, `${FIXED} = may`);
    await waitForDiagnostics(doc.uri, (ds) => !hasTypo(ds), 'the typo diagnostic to go away');
  });

  it('the quick fix for a duplicate removes the earlier definition', async () => {
    const doc = await open(scratchCopy('main.cf', SCRATCH_MAIN_CF));
    // Other findings about the whole file sit on the same first statement: one diagnostic holds them all.
    const ds = await waitForDiagnostics(doc.uri, (all) => all.some((x) => rulesOf(x).includes('postfix/duplicate-parameter')), 'the duplicate');
    const d = ds.find((x) => rulesOf(x).includes('postfix/duplicate-parameter'))!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range);
    const fix = actions.find((a) => a.title === 'Remove the earlier definition');
    assert.ok(fix?.edit, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.strictEqual(doc.getText(), SCRATCH_MAIN_CF.replace('myhostname = old.example.org\n', ''));
    await waitForDiagnostics(
      doc.uri,
      (ds) => !ds.some((x) => rulesOf(x).includes('postfix/duplicate-parameter')),
      'the duplicate diagnostic to go away',
    );
  });
});
