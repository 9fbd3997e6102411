// postfix/map-not-built in the editor: main.cf is checked against the files beside it, and the listing is
// read again when a lookup table's database appears or goes (file watcher) and when its text is saved.
import * as vscode from 'vscode';
import { extensionReady, open, ourDiagnostics, rulesOf, waitForDiagnostics, workspaceUri } from '../helpers';

const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
const MAIN_CF = [
  'compatibility_level = 3.6',
  'myhostname = mail.example.com',
  'relayhost = [smtp.example.net]:587',
  'smtp_sasl_auth_enable = yes',
  'smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd',
  'smtp_sasl_security_options = noanonymous',
  'smtp_tls_security_level = encrypt',
  '',
].join('\n');

describe('postfix/map-not-built follows the files beside main.cf', () => {
  const dir = () => workspaceUri('watched', 'maps', 'postfix');
  const main = () => vscode.Uri.joinPath(dir(), 'main.cf');
  const table = () => vscode.Uri.joinPath(dir(), 'sasl_passwd');
  const database = () => vscode.Uri.joinPath(dir(), 'sasl_passwd.db');
  // Its message, or its related information where another rule's diagnostic on the same range folded it in.
  const mapMessages = () =>
    ourDiagnostics(main())
      .filter((d) => rulesOf(d).includes('postfix/map-not-built'))
      .flatMap((d) => [d.message, ...(d.relatedInformation ?? []).map((r) => r.message)]);
  const waitForMessage = (what: string, test: (messages: string[]) => boolean) => waitForDiagnostics(main(), () => test(mapMessages()), what, 30_000);

  before(async () => {
    await extensionReady();
    await write(table(), '[smtp.example.net]:587 user:secret\n');
    await write(main(), MAIN_CF);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(workspaceUri('watched', 'maps'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
  });

  it('says the database is missing, then nothing once it is written, then again when it is deleted', async () => {
    await waitForMessage('the missing database', (m) => m.some((x) => /sasl_passwd\.db is missing/.test(x)));
    await write(database(), 'not really a Berkeley DB file');
    await waitForMessage('no map-not-built once the database exists', (m) => m.length === 0);
    await vscode.workspace.fs.delete(database(), { useTrash: false });
    await waitForMessage('the missing database again', (m) => m.some((x) => /sasl_passwd\.db is missing/.test(x)));
  });

  it('says the database is older than its table once the table is saved a second later', async () => {
    await write(database(), 'not really a Berkeley DB file');
    await waitForMessage('no map-not-built once the database exists', (m) => m.length === 0);
    // Postfix compares whole seconds: the save must land in a later second than the database.
    await new Promise((r) => setTimeout(r, 1100));
    const doc = await open(table());
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(1, 0), '[backup.example.net]:587 user:other\n');
    await vscode.workspace.applyEdit(edit);
    await doc.save();
    await waitForMessage('the database older than its saved table', (m) => m.some((x) => /sasl_passwd\.db is older than sasl_passwd/.test(x)));
  });
});
