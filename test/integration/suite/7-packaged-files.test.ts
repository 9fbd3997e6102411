// What the extension reads from its own folder must be there: in the VSIX run (npm run test:integration)
// the extension is the unpacked VSIX, so this checks the package, not the source tree.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, ourDiagnostics, waitForRule, workspaceUri } from '../helpers';

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(() => true, () => false);
}

describe('files the extension ships', () => {
  it('the grammars, the language configuration and the icons named in package.json exist', async () => {
    const ext = await activateExtension();
    const pkg = ext.packageJSON as { icon: string; contributes: { grammars: { path: string }[]; languages: { configuration?: string }[]; viewsContainers: { activitybar: { icon: string }[] } } };
    const files = [pkg.icon, ...pkg.contributes.grammars.map((g) => g.path), ...pkg.contributes.languages.map((l) => l.configuration).filter((c): c is string => !!c), ...pkg.contributes.viewsContainers.activitybar.map((v) => v.icon)];
    for (const f of files) assert.ok(await exists(vscode.Uri.joinPath(ext.extensionUri, f)), `${f} is missing from ${ext.extensionUri.fsPath}`);
  });

  it("every diagnostic's rule link points at a rule page that exists", async () => {
    const ext = await activateExtension();
    const uri = workspaceUri('postfix', 'main.cf');
    await waitForRule(uri, 'postfix/unknown-parameter');
    const targets = new Set<string>();
    for (const [, ds] of vscode.languages.getDiagnostics()) {
      for (const d of ds.filter((x) => x.source === 'SMTP Doctor')) if (typeof d.code === 'object') targets.add(d.code.target.toString());
    }
    for (const d of ourDiagnostics(uri)) assert.ok(typeof d.code === 'object', 'a diagnostic without a rule link');
    assert.ok(targets.size >= 3, `only ${targets.size} rule links`);
    for (const t of targets) {
      const target = vscode.Uri.parse(t);
      assert.ok(target.path.startsWith(ext.extensionUri.path), `${t} is not inside the extension`);
      assert.ok(await exists(target), `rule page ${t} is missing`);
    }
  });
});
