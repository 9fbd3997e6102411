// What users of good language extensions expect (issue 15, item 9): completion, go to definition, find
// references, the outline, Fix All, the master.cf override hover, and the rule link that shows the rule's page.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { extensionReady, open, ruleIdOf, scratchCopy, waitFor, waitForRule } from '../helpers';

const MAIN = [
  'compatibility_level = 3.6',
  'myhostname = mail.example.org',
  'mydomain = example.org',
  'myorigin = $mydomain',
  'smtpd_banner = $myhostname ESMTP',
  'smtpd_tls_securty_level = may',
  'smtpd_use_tls = yes',
  '',
].join('\n');
const MASTER = ['smtp      inet  n       -       y       -       -       smtpd', 'submission inet n       -       y       -       -       smtpd', '  -o smtpd_tls_security_level=encrypt', '  -o syslog_name=$myhostname/submission', ''].join('\n');

async function completionLabels(doc: vscode.TextDocument, position: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, position);
  return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

describe('editor features for Postfix configs', () => {
  let main: vscode.TextDocument;
  let master: vscode.TextDocument;

  before(async () => {
    await extensionReady();
    const mainUri = scratchCopy('main.cf', MAIN);
    const masterUri = vscode.Uri.joinPath(mainUri, '..', 'master.cf');
    await vscode.workspace.fs.writeFile(masterUri, new TextEncoder().encode(MASTER));
    main = await open(mainUri);
    master = await open(masterUri);
    await waitForRule(mainUri, 'postfix/unknown-parameter');
  });

  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('completes parameter names at the start of a line, and values of known kinds', async () => {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(main.uri, new vscode.Position(7, 0), 'smtpd_tls_sec\nsmtp_tls_security_level = \nsmtpd_recipient_restrictions = permit_mynetworks, \nvirtual_alias_maps = \n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      assert.ok((await completionLabels(main, new vscode.Position(7, 13))).includes('smtpd_tls_security_level'));
      const levels = await completionLabels(main, new vscode.Position(8, 26));
      for (const l of ['may', 'encrypt', 'dane', 'verify']) assert.ok(levels.includes(l), `${l} in ${levels.join(', ')}`);
      assert.ok(!levels.includes('smtpd_tls_security_level'), 'no parameter names where a value goes');
      assert.ok((await completionLabels(main, new vscode.Position(9, 50))).includes('reject_unauth_destination'));
      assert.ok((await completionLabels(main, new vscode.Position(10, 21))).includes('hash:'));
      const yesNo = await completionLabels(main, new vscode.Position(6, 16));
      assert.ok(yesNo.includes('yes') && yesNo.includes('no'), yesNo.join(', '));
    } finally {
      await vscode.window.showTextDocument(main);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('goes to the definition of a $name, in main.cf and from master.cf', async () => {
    const fromMain = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeDefinitionProvider', main.uri, new vscode.Position(3, 13));
    assert.deepStrictEqual(fromMain.map((l) => [l.uri.toString(), l.range.start.line, l.range.start.character, l.range.end.character]), [[main.uri.toString(), 2, 0, 8]]);
    const fromMaster = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeDefinitionProvider', master.uri, new vscode.Position(3, 20));
    assert.deepStrictEqual(fromMaster.map((l) => [l.uri.toString(), l.range.start.line]), [[main.uri.toString(), 1]]);
  });

  it('finds every reference of a name across main.cf and master.cf', async () => {
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', main.uri, new vscode.Position(1, 3));
    const where = refs.map((l) => `${l.uri.path.endsWith('master.cf') ? 'master' : 'main'}:${l.range.start.line}`).sort();
    assert.deepStrictEqual(where, ['main:1', 'main:4', 'master:3']);
  });

  it('outlines main.cf parameters and master.cf services with their overrides', async () => {
    const mainSymbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', main.uri);
    assert.deepStrictEqual(mainSymbols.slice(0, 3).map((s) => [s.name, s.detail]), [['compatibility_level', '3.6'], ['myhostname', 'mail.example.org'], ['mydomain', 'example.org']]);
    const masterSymbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', master.uri);
    assert.deepStrictEqual(masterSymbols.map((s) => s.name), ['smtp', 'submission']);
    assert.deepStrictEqual(masterSymbols[1].children.map((c) => `${c.name}=${c.detail}`), ['smtpd_tls_security_level=encrypt', 'syslog_name=$myhostname/submission']);
  });

  it('hovers a master.cf -o name=value with what the service overrides', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', master.uri, new vscode.Position(2, 8));
    const text = hoverText(hovers);
    assert.match(text, /Overridden for the submission \(inet\) service: `` encrypt ``/);
    assert.match(text, /Elsewhere \(main\.cf\): \*\(empty\)\*/, 'main.cf does not set it (the typo), so the default, empty, applies elsewhere');
  });

  it('Fix All applies every mechanical fix of the file at once', async () => {
    const uri = scratchCopy('main.cf', 'compatibility_level = 3.6\nmyhostname = mail.example.org\nsmtpd_tls_securty_level = may\nsmtpd_use_tls = yes\n');
    const doc = await open(uri);
    await waitForDiagnostics2(uri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(0, 0, doc.lineCount, 0), vscode.CodeActionKind.SourceFixAll.value);
    const fixAll = actions.find((a) => a.kind && vscode.CodeActionKind.SourceFixAll.contains(a.kind));
    assert.ok(fixAll?.edit, `a source.fixAll action: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    assert.match(doc.getText(), /^smtpd_tls_security_level = may$/m, 'the typo renamed');
    assert.doesNotMatch(doc.getText(), /smtpd_use_tls/, 'the deprecated parameter replaced');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it("the rule id of a diagnostic opens the rule's page rendered, not the Markdown source", async () => {
    const d = await waitForRule(main.uri, 'postfix/unknown-parameter');
    const code = d.code as { value: string; target: vscode.Uri };
    assert.strictEqual(code.target.scheme, 'command', String(code.target));
    const [, command, query] = /^command:([^?]+)\?(.*)$/.exec(code.target.toString(true)) ?? [];
    assert.strictEqual(command, 'smtpDoctor.openRuleDocs');
    await vscode.commands.executeCommand(command, ...JSON.parse(decodeURIComponent(query)));
    const tab = await waitFor('a Markdown preview of the rule page', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType) && /unknown-parameter/.test(t.label)),
    );
    assert.ok(tab);
    assert.ok(!vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputText && t.input.uri.path.endsWith('unknown-parameter.md')), 'not the editable source');
    assert.ok(ruleIdOf(d));
  });
});

async function waitForDiagnostics2(uri: vscode.Uri): Promise<void> {
  await waitForRule(uri, 'postfix/deprecated-parameter');
  await waitForRule(uri, 'postfix/unknown-parameter');
}
