// Entry point of the integration tests inside a VS Code extension host (code-server or Electron):
// the workbench loads this module (extensionTestsPath) and calls run(); its promise decides the exit code.
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import Mocha from 'mocha';
import { removeScratchFiles, showcaseForScreenshot } from './helpers';

/**
 * Prints a line of test output. In code-server the extension host's console reaches the runner mixed
 * with the workbench's own log lines, so the runner asks (env SMTP_DOCTOR_CONSOLE_TAG) for a tag to find ours.
 */
function out(...args: unknown[]): void {
  const tag = process.env.SMTP_DOCTOR_CONSOLE_TAG;
  if (tag) console.log(tag + util.format(...args));
  else console.log(...args);
}

export async function run(): Promise<void> {
  Mocha.reporters.Base.consoleLog = out;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  // Sets that never mix, each for its own workspace (see test/runners/runInCodeServer.ts): suite/ (the
  // fixture, trusted), untrusted/, stress/ (a generated workspace) and bench/ (activation timings).
  const requested = process.env.SMTP_DOCTOR_TEST_SET ?? 'suite';
  const set = ['suite', 'untrusted', 'stress', 'bench'].includes(requested) ? requested : 'suite';
  const suiteDir = path.join(__dirname, set);
  // out/ keeps the .js of deleted tests: run only those whose source still exists (when sources are here).
  const sourceDir = path.resolve(__dirname, '..', '..', '..', 'test', 'integration', set);
  const hasSources = fs.existsSync(sourceDir);
  const files = fs
    .readdirSync(fs.existsSync(suiteDir) ? suiteDir : __dirname)
    .filter((f) => f.endsWith('.test.js'))
    .filter((f) => !hasSources || fs.existsSync(path.join(sourceDir, f.replace(/\.js$/, '.ts'))))
    .sort();
  for (const f of files) mocha.addFile(path.join(suiteDir, f));

  const { passes, failures } = await new Promise<{ passes: number; failures: number }>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => resolve({ passes: runner.stats?.passes ?? 0, failures }));
    } catch (e) {
      reject(e);
    }
  }).finally(removeScratchFiles);
  out(`${passes} passed, ${failures} failed`);
  if (failures > 0) throw new Error(`${failures} integration test(s) failed.`);
  if (files.length === 0 || passes === 0) throw new Error(`No integration tests ran (looked in ${suiteDir}).`);

  // Only the code-server runner asks for this (it takes a screenshot of the workbench, then answers).
  if (set === 'suite') await showcaseForScreenshot();
}
