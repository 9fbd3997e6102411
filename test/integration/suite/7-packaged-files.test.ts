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
    // Each link runs smtpDoctor.openRuleDocs for its rule, which renders the page the extension ships.
    for (const t of targets) {
      const m = /^command:smtpDoctor\.openRuleDocs\?(.*)$/.exec(vscode.Uri.parse(t).toString(true));
      assert.ok(m, `${t} does not open a rule page`);
      const [ruleId] = JSON.parse(decodeURIComponent(m[1])) as string[];
      const page = vscode.Uri.joinPath(ext.extensionUri, 'docs', 'rules', `${ruleId}.md`);
      assert.ok(await exists(page), `rule page ${page.toString()} is missing`);
    }
  });
});
