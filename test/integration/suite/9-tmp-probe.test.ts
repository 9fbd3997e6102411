import * as vscode from 'vscode';
import { extensionReady, waitForDiagnostics, workspaceUri, ruleIdOf } from '../helpers';
describe('probe', () => {
  it('deleting a folder clears diagnostics of configs in it', async () => {
    await extensionReady();
    const folder = workspaceUri('deleted2');
    const uri = vscode.Uri.joinPath(folder, 'main.cf');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('mynetworkz = 1\n'));
    await waitForDiagnostics(uri, (ds) => ds.some((d) => ruleIdOf(d) === 'postfix/unknown-parameter'), 'created');
    await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false });
    await waitForDiagnostics(uri, (ds) => ds.length === 0, 'cleared after folder delete', 8000);
  });
});
