// Control over findings in VS Code: the project file .smtpdoctor.yaml at the workspace root, and the
// "Suppress RULE on this line" quick fix with the comment it writes.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, extensionReady, open, ourDiagnostics, ruleIdOf, scratchCopy, waitForDiagnostics, waitForRule, workspaceUri } from '../helpers';

const projectFile = () => workspaceUri('.smtpdoctor.yaml');
const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
const has = (rule: string, severity?: vscode.DiagnosticSeverity) => (ds: readonly vscode.Diagnostic[]) =>
  ds.some((d) => ruleIdOf(d) === rule && (severity === undefined || d.severity === severity));

describe('control over findings', () => {
  before(async () => {
    await extensionReady();
  });

  after(async () => {
    await vscode.workspace.fs.delete(projectFile(), { useTrash: false }).then(undefined, () => undefined);
    await closeAllEditors();
  });

  it('.smtpdoctor.yaml turns a rule off, raises another, reports its own mistakes, and is undone by deleting it', async () => {
    const mainCf = workspaceUri('postfix', 'main.cf');
    await waitForRule(mainCf, 'postfix/unknown-parameter', (d) => d.severity === vscode.DiagnosticSeverity.Warning);

    await write(projectFile(), 'rules:\n  postfix/unknown-parameter: error\n  postfix/duplicate-parameter: off\n  postfix/no-such-rule: off\n');
    await waitForDiagnostics(mainCf, (ds) => has('postfix/unknown-parameter', vscode.DiagnosticSeverity.Error)(ds) && !has('postfix/duplicate-parameter')(ds), 'unknown-parameter as an error, no duplicate-parameter');
    const own = await waitForRule(projectFile(), 'config/project-file');
    assert.strictEqual(own.range.start.line, 3);
    assert.match(own.message, /Unknown rule "postfix\/no-such-rule"/);

    await vscode.workspace.fs.delete(projectFile(), { useTrash: false });
    await waitForDiagnostics(mainCf, (ds) => has('postfix/unknown-parameter', vscode.DiagnosticSeverity.Warning)(ds) && has('postfix/duplicate-parameter')(ds), 'the defaults back');
    await waitForDiagnostics(projectFile(), (ds) => ds.length === 0, 'no diagnostics left on the deleted project file');
  });

  it('"Suppress RULE on this line" writes the comment and the finding goes, the others stay', async () => {
    const uri = scratchCopy('main.cf', 'myhostname = mail.example.com\nrelayhost = smtp.isp.example:587\nsmtpd_tls_securty_level = may\n');
    const doc = await open(uri);
    const target = await waitForRule(uri, 'postfix/relayhost-mx-lookup');
    const others = ourDiagnostics(uri).filter((d) => d !== target).length;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, target.range);
    const suppress = actions.find((a) => a.title === 'Suppress postfix/relayhost-mx-lookup on this line');
    assert.ok(suppress?.edit, `actions: ${actions.map((a) => a.title).join(' | ')}`);
    // The rule's own fix comes first; suppressing is the last resort.
    assert.ok(actions.findIndex((a) => a.isPreferred) < actions.indexOf(suppress) && actions.some((a) => a.isPreferred), 'the rule\'s own fix comes first');
    assert.ok(await vscode.workspace.applyEdit(suppress.edit));
    assert.strictEqual(doc.lineAt(1).text, '# smtp-doctor-disable-next-line postfix/relayhost-mx-lookup');
    assert.strictEqual(doc.lineAt(2).text, 'relayhost = smtp.isp.example:587');
    const after = await waitForDiagnostics(uri, (ds) => !has('postfix/relayhost-mx-lookup')(ds), 'relayhost-mx-lookup suppressed');
    assert.strictEqual(after.length, others, `the other findings: ${after.map(ruleIdOf).join(', ')}`);
    await doc.save();
  });
});
