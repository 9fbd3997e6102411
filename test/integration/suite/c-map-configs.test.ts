// Lookup-table configs (issue 15, item 3): an ldap:/mysql:/... client config under a postfix folder is not a
// main.cf, whether opened or scanned, and no hover ever shows a password, whatever the file.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { SOURCE, extensionReady, open, waitFor, waitForRule, workspaceUri } from '../helpers';

const LDAP_PW = 'Ldap-Bind-Pw-4471';
const SQL_PW = 'Sql-Pass-8812';
const STATIC_PW = 'Static-Pw-3390';

const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));

/** Every hover's text at `text` in a document (all providers, ours included). */
async function hoverText(doc: vscode.TextDocument, text: string, delta = 1): Promise<string> {
  const at = doc.positionAt(doc.getText().indexOf(text) + delta);
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at)) ?? [];
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

describe('lookup-table configs are not main.cf', () => {
  const dir = () => workspaceUri('watched', 'mapcfg', 'postfix');
  const main = () => vscode.Uri.joinPath(dir(), 'main.cf');
  const ldap = () => vscode.Uri.joinPath(dir(), 'ldap-users.cf');
  const mysql = () => vscode.Uri.joinPath(dir(), 'mysql-virtual.cf');
  const odd = () => vscode.Uri.joinPath(dir(), 'odd-map.cf');

  before(async () => {
    await extensionReady();
    await write(
      main(),
      [
        'compatibility_level = 3.6',
        'myhostname = mail.example.org',
        'virtual_alias_maps = ldap:/etc/postfix/ldap-users.cf, proxy:mysql:/etc/postfix/odd-map.cf',
        'virtual_mailbox_domains = mysql:/etc/postfix/mysql-virtual.cf',
        'smtp_sasl_password_maps = static:relay:' + STATIC_PW,
        'smtpd_tls_securty_level = may',
        '',
      ].join('\n'),
    );
    await write(ldap(), `server_host = ldap://ldap.example.org\nsearch_base = dc=example,dc=org\nquery_filter = (mail=%s)\nresult_attribute = mail\nbind = yes\nbind_dn = cn=postfix,dc=example,dc=org\nbind_pw = ${LDAP_PW}\nversion = 3\ntimeout = 10\n`);
    await write(mysql(), `hosts = 127.0.0.1\nuser = postfix\npassword = ${SQL_PW}\ndbname = mail\nquery = SELECT 1 FROM domains WHERE domain='%s'\n`);
    // Keys no table documents: only main.cf's proxy:mysql: reference says what it is.
    await write(odd(), 'sql_thing = yes\nsomething_else = 12\n');
  });

  after(async () => {
    await vscode.workspace.fs.delete(workspaceUri('watched', 'mapcfg'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
  });

  it('an opened ldap: config gets no diagnostics and its password shows in no hover', async () => {
    // The main.cf next to it is linted (the positive control), then the map config is opened as a user does.
    await waitForRule(main(), 'postfix/unknown-parameter', undefined, 30_000);
    const doc = await open(ldap());
    assert.strictEqual(doc.languageId, 'postfix-main', 'VS Code calls any *.cf under a postfix folder main.cf');
    // Give the linter its chance: a lint of the group, then nothing from it on the ldap file.
    await vscode.commands.executeCommand('smtpDoctor.recheck', ldap());
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepStrictEqual(vscode.languages.getDiagnostics(ldap()).filter((d) => d.source === SOURCE), []);
    for (const at of ['bind_pw', LDAP_PW, 'server_host']) assert.ok(!(await hoverText(doc, at)).includes(LDAP_PW), `hover at ${at}`);
  });

  it('scanned mysql: configs, and a file main.cf uses behind proxy:mysql:, are not linted either', async () => {
    await waitForRule(main(), 'postfix/unknown-parameter', undefined, 30_000);
    await vscode.commands.executeCommand('smtpDoctor.lintWorkspace');
    for (const uri of [mysql(), odd()]) assert.deepStrictEqual(vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE), [], uri.path);
    const doc = await open(odd());
    await vscode.commands.executeCommand('smtpDoctor.recheck', odd());
    await new Promise((r) => setTimeout(r, 500));
    assert.deepStrictEqual(vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === SOURCE), [], 'opened, still not main.cf');
  });

  it('hovers mask secrets in main.cf too: a static: password and a stray bind_pw', async () => {
    const doc = await open(main());
    const hover = await hoverText(doc, 'smtp_sasl_password_maps');
    assert.match(hover, /static:••••••/);
    assert.ok(!hover.includes(STATIC_PW));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(doc.lineCount - 1, 0), `bind_pw = ${LDAP_PW}\n`);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const stray = await waitFor('the hover on bind_pw', async () => {
      const h = await hoverText(doc, 'bind_pw =');
      return h.includes('bind_pw') ? h : undefined;
    });
    assert.ok(!stray.includes(LDAP_PW), stray);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
