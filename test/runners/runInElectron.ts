// Runs the integration tests in a downloaded VS Code (Electron) through @vscode/test-electron.
// Needs internet access to download VS Code the first time (cached in .vscode-test/); where there is
// none, use runInCodeServer.js (what `npm run test:integration` and CI run).
//
//   node out/test/runners/runInElectron.js        (env VSCODE_VERSION: 'stable' by default)
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

const REPO = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<number> {
  const extensionDevelopmentPath = REPO;
  const extensionTestsPath = path.join(REPO, 'out', 'test', 'integration', 'index.js');
  if (!fs.existsSync(path.join(REPO, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `node esbuild.js` first.');

  // The tests edit and delete files: give them a copy of the fixture workspace.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-it-'));
  const workspace = path.join(tmp, 'workspace');
  const userDataDir = path.join(tmp, 'user-data');
  fs.cpSync(path.join(REPO, 'test', 'integration', 'workspace'), workspace, { recursive: true });
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'workbench.startupEditor': 'none',
      'extensions.autoCheckUpdates': false,
      'git.enabled': false,
    }),
  );
  try {
    return await runTests({
      version: process.env.VSCODE_VERSION || 'stable',
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', userDataDir, '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('Integration tests failed to run:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
