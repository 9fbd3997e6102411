// The editor's workspace scan leaves out what the CLI's `check` leaves out: .gitignore'd folders, the project
// file's `exclude:`, generated folders; and it follows an ignore file that changes.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { extensionReady, ourDiagnostics, ruleIdOf, waitFor, waitForRule, workspaceUri } from '../helpers';

const RULE = 'nodemailer/tls-verify-disabled';
const MAILER = "const nodemailer = require('nodemailer');\nnodemailer.createTransport({ host: 'mail.example.com', port: 587, tls: { rejectUnauthorized: false } });\n";

describe('workspace scan scope (the rule the CLI follows)', () => {
  const base = () => workspaceUri('watched', 'scope');
  const file = (...p: string[]) => vscode.Uri.joinPath(base(), ...p);
  const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const projectFile = () => workspaceUri('.smtpdoctor.yaml');
  const hasRule = (uri: vscode.Uri) => ourDiagnostics(uri).some((d) => ruleIdOf(d) === RULE);

  before(async () => {
    await extensionReady();
  });
  after(async () => {
    await vscode.workspace.fs.delete(projectFile(), { useTrash: false }).then(undefined, () => undefined);
    await vscode.workspace.fs.delete(base(), { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await vscode.commands.executeCommand('smtpDoctor.lintWorkspace');
  });

  it('leaves out .gitignore\'d, excluded and generated folders; a changed .gitignore brings a folder back', async () => {
    await write(file('.gitignore'), 'ignored/\n');
    await write(file('kept', 'mailer.js'), MAILER);
    await write(file('ignored', 'mailer.js'), MAILER);
    await write(file('legacy', 'mailer.js'), MAILER);
    await write(file('.svelte-kit', 'mailer.js'), MAILER);
    await write(projectFile(), 'exclude:\n  - watched/scope/legacy/**\n');
    await vscode.commands.executeCommand('smtpDoctor.lintWorkspace');
    await waitForRule(file('kept', 'mailer.js'), RULE);
    // Given the scan time to reach them: a full rescan has run, and the kept file has its diagnostic.
    await vscode.commands.executeCommand('smtpDoctor.lintWorkspace');
    for (const left of [file('ignored', 'mailer.js'), file('legacy', 'mailer.js'), file('.svelte-kit', 'mailer.js')]) {
      assert.ok(!hasRule(left), `${left.path} is left out by the CLI, so by the editor too`);
    }

    // The ignore file no longer ignores the folder: the watcher rescans and the file is checked.
    await write(file('.gitignore'), '# nothing ignored\n');
    await waitFor('ignored/mailer.js checked once .gitignore changed', () => (hasRule(file('ignored', 'mailer.js')) ? true : undefined));
    assert.ok(!hasRule(file('legacy', 'mailer.js')), 'the project file still excludes legacy/');
  });
});
