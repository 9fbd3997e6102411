import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension } from '../helpers';

describe('activation', () => {
  it('the extension is installed and activates', async () => {
    const ext = await activateExtension();
    assert.strictEqual(ext.id, EXTENSION_ID);
    assert.strictEqual(ext.isActive, true);
  });

  it('contributes the smtpDoctor.lintWorkspace command', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('smtpDoctor.lintWorkspace'), 'smtpDoctor.lintWorkspace is not registered');
  });
});
