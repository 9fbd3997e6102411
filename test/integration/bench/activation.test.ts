// The "bench" set: `npm run bench` starts VS Code on the fixture workspace to read the extension's own
// activation timings, which this test hands back as JSON in the file named by SMTP_DOCTOR_BENCH_OUT.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { EXTENSION_ID, extensionReady } from '../helpers';

describe('activation timings for npm run bench', () => {
  it('writes activate() and first-scan times', async () => {
    const out = process.env.SMTP_DOCTOR_BENCH_OUT;
    assert.ok(out, 'SMTP_DOCTOR_BENCH_OUT is not set');
    const api = await extensionReady();
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext?.isActive);
    const { activateMs, firstScanMs } = api.timings;
    assert.ok(activateMs >= 0 && firstScanMs !== undefined && firstScanMs >= activateMs, JSON.stringify(api.timings));
    const diagnosedFiles = vscode.languages.getDiagnostics().filter(([, ds]) => ds.some((d) => d.source === 'SMTP Doctor')).length;
    fs.writeFileSync(out, JSON.stringify({ activateMs, firstScanMs, diagnosedFiles, vscodeVersion: vscode.version }));
  });
});
