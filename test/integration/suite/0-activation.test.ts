import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension } from '../helpers';

describe('activation', () => {
  it('the extension is installed and activates', async () => {
    const ext = await activateExtension();
    assert.strictEqual(ext.id, EXTENSION_ID);
    assert.strictEqual(ext.isActive, true);
  });

  it('reports how long activation and the first workspace scan took', async () => {
    const ext = await activateExtension();
    const api = ext.exports as { ready: Promise<void>; timings: { activateMs: number; firstScanMs?: number } };
    await api.ready;
    assert.ok(api.timings.activateMs >= 0 && api.timings.activateMs < 5000, JSON.stringify(api.timings));
    assert.ok(api.timings.firstScanMs !== undefined && api.timings.firstScanMs >= api.timings.activateMs);
    // Printed for the closing note: the extension's activation time in the real VS Code.
    console.log(`${process.env.SMTP_DOCTOR_CONSOLE_TAG ?? ''}[smtp-doctor-timing] activate ${api.timings.activateMs} ms, first scan done ${api.timings.firstScanMs} ms after load`);
  });

  it('contributes the smtpDoctor.lintWorkspace command', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('smtpDoctor.lintWorkspace'), 'smtpDoctor.lintWorkspace is not registered');
  });
});
