import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  SOURCE,
  closeAllEditors,
  extensionReady,
  lineStartingWith,
  open,
  ourDiagnostics,
  rangeOf,
  ruleIdOf,
  summarize,
  waitForRule,
  workspaceUri,
} from '../helpers';

describe('languages and diagnostics', () => {
  before(async () => {
    await extensionReady();
  });
  after(closeAllEditors);

  it('main.cf is postfix-main and master.cf is postfix-master', async () => {
    const main = await vscode.workspace.openTextDocument(workspaceUri('postfix', 'main.cf'));
    const master = await vscode.workspace.openTextDocument(workspaceUri('postfix', 'master.cf'));
    assert.strictEqual(main.languageId, 'postfix-main');
    assert.strictEqual(master.languageId, 'postfix-master');
  });

  it('a misspelt parameter is an unknown-parameter warning on exactly the name, with a suggestion', async () => {
    const doc = await open(workspaceUri('postfix', 'main.cf'));
    const d = await waitForRule(doc.uri, 'postfix/unknown-parameter', (d) => d.message.includes('smtpd_tls_securty_level'));
    assert.strictEqual(d.source, SOURCE);
    assert.ok(d.message.includes('did you mean "smtpd_tls_security_level"?'), d.message);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(d.range.isEqual(rangeOf(doc, 'smtpd_tls_securty_level')), `range ${JSON.stringify(d.range)}`);
    assert.strictEqual(doc.getText(d.range), 'smtpd_tls_securty_level');
  });

  it('the diagnostic code is the rule id linking to its rendered docs page', async () => {
    const uri = workspaceUri('postfix', 'main.cf');
    const d = await waitForRule(uri, 'postfix/unknown-parameter');
    const code = d.code as { value: string | number; target: vscode.Uri };
    assert.strictEqual(typeof code, 'object');
    assert.strictEqual(code.value, 'postfix/unknown-parameter');
    assert.ok(code.target instanceof vscode.Uri, 'code.target should be a Uri');
    assert.strictEqual(code.target.toString(true), 'command:smtpDoctor.openRuleDocs?["postfix/unknown-parameter"]');
  });

  it('a parameter set twice is a duplicate-parameter warning on the earlier definition', async () => {
    const doc = await open(workspaceUri('postfix', 'main.cf'));
    const earlier = lineStartingWith(doc, 'myhostname = old.example.org');
    const later = lineStartingWith(doc, 'myhostname = mail.example.org');
    const d = await waitForRule(doc.uri, 'postfix/duplicate-parameter');
    assert.strictEqual(d.range.start.line, earlier);
    assert.strictEqual(doc.getText(d.range), 'myhostname');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
    const dupes = ourDiagnostics(doc.uri).filter((x) => ruleIdOf(x) === 'postfix/duplicate-parameter');
    assert.strictEqual(dupes.length, 1, `only the earlier definition is flagged: ${summarize(dupes)}`);
    assert.ok(
      d.relatedInformation?.some((r) => r.location.range.start.line === later),
      'related information points at the definition in force',
    );
  });

  it('a line without "=" is a syntax error', async () => {
    const doc = await open(workspaceUri('postfix', 'main.cf'));
    const line = lineStartingWith(doc, 'this line has no equals sign');
    const d = await waitForRule(doc.uri, 'postfix/syntax', (d) => d.range.start.line === line);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
  });

  it('master.cf problems are reported too', async () => {
    const doc = await open(workspaceUri('postfix', 'master.cf'));
    const line = lineStartingWith(doc, '  -o smtpd_sasl_auth_enable');
    const d = await waitForRule(doc.uri, 'postfix/syntax', (d) => d.range.start.line === line);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
  });

  it('files that were never opened get diagnostics from the workspace scan', async () => {
    const uri = workspaceUri('scanned', 'main.cf');
    assert.ok(
      !vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()),
      'scanned/main.cf must not be open for this test',
    );
    const d = await waitForRule(uri, 'postfix/unknown-parameter');
    assert.ok(d.message.includes('did you mean "mynetworks"?'), d.message);
  });

  it('a clean main.cf has no problems', async () => {
    const doc = await open(workspaceUri('clean', 'main.cf'));
    assert.strictEqual(doc.languageId, 'postfix-main');
    assert.deepStrictEqual(summarize(ourDiagnostics(doc.uri)), 'none');
  });

  it('the lintWorkspace command rescans and counts the problems', async () => {
    const count = await vscode.commands.executeCommand<number>('smtpDoctor.lintWorkspace');
    assert.strictEqual(typeof count, 'number');
    assert.ok(count >= 5, `expected at least the 5 fixture problems, got ${count}`);
    await waitForRule(workspaceUri('scanned', 'main.cf'), 'postfix/unknown-parameter');
  });
});
