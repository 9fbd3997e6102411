// Runs the integration tests (out/test/integration/index.js) inside a real VS Code extension host without
// downloading VS Code: code-server (installed by scripts/install-code-server.sh) serves the workbench on
// 127.0.0.1, headless chromium (driven by playwright-core) opens it in extension-test mode, and the
// workbench reports the result through window.codeAutomationExit(code).
//
//   node out/test/runners/runInCodeServer.js
//
// Env:
//   CODE_SERVER_ENTRY           code-server's out/node/entry.js (default: CODE_SERVER_DIR's, else the newest
//                               under .vscode-test/)
//   CODE_SERVER_DIR             a code-server install made by scripts/install-code-server.sh (e.g. a shared one)
//   CHROMIUM_PATH               browser binary (default /usr/bin/chromium)
//   SMTP_DOCTOR_TEST_TIMEOUT    overall limit in seconds (default 420)
//   SMTP_DOCTOR_SCREENSHOTS     folder for the screenshots the suite asks for (default .test-tmp/screenshots;
//                               "none" for none). A test run never writes into the tree: `npm run screenshots`
//                               copies them into docs/images/ and media/ when you want the README to show them.
// The tests drive the workbench itself (the command palette, notifications, the tree's rows, screenshots)
// through a file bridge: they write a request into SMTP_DOCTOR_UI_BRIDGE, this runner plays it with Playwright
// and writes the answer (see test/integration/uiBridge.ts).
//   SMTP_DOCTOR_TEST_SET=NAME   (or --set NAME) which tests run, each set in its own folder of test/integration:
//                               suite      (default) the fixture workspace, trusted; takes the screenshots
//                               untrusted  trust stays on, so the fixture workspace opens untrusted
//                               stress     a generated workspace: 10,000 files, a 50 MB main.cf, a binary
//                                          main.cf, and test/fixtures/secrets (configs full of passwords)
//                               bench      the fixture workspace; writes activation timings as JSON to
//                                          SMTP_DOCTOR_BENCH_OUT (used by npm run bench)
//   SMTP_DOCTOR_UNTRUSTED=1     (or --untrusted) the same as SMTP_DOCTOR_TEST_SET=untrusted
//   SMTP_DOCTOR_TEST_VSIX=path  (or --vsix path) test the packaged extension: unzip the VSIX and load its
//                               extension/ folder instead of the source tree (the tests stay in out/test)
// Logs: .vscode-test/logs/code-server.log (the server) and .vscode-test/logs/user-data/ (its log folders).
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { UiStep } from '../integration/uiBridge';
import { describeStressWorkspace, writeStressWorkspace } from './stressWorkspace';

const REPO = path.resolve(__dirname, '..', '..', '..');
const LOG_DIR = path.join(REPO, '.vscode-test', 'logs');
const TIMEOUT_MS = Number(process.env.SMTP_DOCTOR_TEST_TIMEOUT || 420) * 1000;
const TESTS_MODULE = path.join(REPO, 'out', 'test', 'integration', 'index.js');
const WORKSPACE_FIXTURE = path.join(REPO, 'test', 'integration', 'workspace');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const TEST_SET = testSet();
const UNTRUSTED = TEST_SET === 'untrusted';
const VSIX = vsixPath();
// Only the main suite takes pictures: the README's come from that run.
const SCREENSHOTS = TEST_SET !== 'suite' ? undefined : screenshotFolder();

/** Where nothing answers: the extension gallery and telemetry must never leave the machine. */
const NOWHERE = 'http://127.0.0.1:9';

/** Prefix of the test output lines (see test/integration/index.ts). */
const CONSOLE_TAG = '[smtp-doctor-test] ';

const cleanups: Array<() => void | Promise<void>> = [];
let finished = false;

function log(message: string): void {
  process.stdout.write(`[runInCodeServer] ${message}\n`);
}

function screenshotFolder(): string | undefined {
  const v = process.env.SMTP_DOCTOR_SCREENSHOTS;
  if (v === undefined || v === '') return path.join(REPO, '.test-tmp', 'screenshots');
  if (['none', '0', 'false', 'no'].includes(v.toLowerCase())) return undefined;
  return path.resolve(v);
}

function testSet(): 'suite' | 'untrusted' | 'stress' | 'bench' {
  const i = process.argv.indexOf('--set');
  const untrusted = ['1', 'true', 'yes'].includes((process.env.SMTP_DOCTOR_UNTRUSTED ?? '').toLowerCase()) || process.argv.includes('--untrusted');
  const v = (i >= 0 ? process.argv[i + 1] : process.env.SMTP_DOCTOR_TEST_SET) || (untrusted ? 'untrusted' : 'suite');
  if (v === 'suite' || v === 'untrusted' || v === 'stress' || v === 'bench') return v;
  throw new Error(`unknown test set "${v}" (suite, untrusted, stress or bench)`);
}

function vsixPath(): string | undefined {
  const i = process.argv.indexOf('--vsix');
  const v = i >= 0 ? process.argv[i + 1] : process.env.SMTP_DOCTOR_TEST_VSIX;
  return v ? path.resolve(v) : undefined;
}

/** Unzips the VSIX into `dir` (python3's zipfile: no npm dependency) and returns its extension/ folder. */
function unpackVsix(vsix: string, dir: string): string {
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first.`);
  const r = spawnSync('python3', ['-m', 'zipfile', '-e', vsix, dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`unzipping ${vsix} failed: ${r.error?.message ?? r.stderr}`);
  const ext = path.join(dir, 'extension');
  for (const f of ['package.json', path.join('dist', 'extension.js')]) {
    if (!fs.existsSync(path.join(ext, f))) throw new Error(`${vsix} has no extension/${f}`);
  }
  return ext;
}

function findCodeServer(): string {
  if (process.env.CODE_SERVER_ENTRY) return path.resolve(process.env.CODE_SERVER_ENTRY);
  const dir = process.env.CODE_SERVER_DIR;
  if (dir) {
    const entry = path.resolve(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
    if (!fs.existsSync(entry)) throw new Error(`CODE_SERVER_DIR=${dir} holds no code-server (run scripts/install-code-server.sh with it)`);
    return entry;
  }
  const base = path.join(REPO, '.vscode-test');
  const candidates = (fs.existsSync(base) ? fs.readdirSync(base) : [])
    .filter((d) => d.startsWith('code-server-') && fs.existsSync(path.join(base, d, '.installed')))
    .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))
    .map((d) => path.join(base, d, 'node_modules', 'code-server', 'out', 'node', 'entry.js'))
    .filter((f) => fs.existsSync(f));
  if (candidates.length === 0) {
    throw new Error('code-server is not installed: run `bash scripts/install-code-server.sh` first.');
  }
  return candidates[0];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(0);
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Kills a detached child and everything it started (the extension host, file watchers, ptys). */
function killTree(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const pid = child.pid;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  return new Promise((resolve) => {
    const hard = setTimeout(() => {
      signal('SIGKILL');
      resolve();
    }, 3000);
    child.once('exit', () => {
      clearTimeout(hard);
      signal('SIGKILL'); // stragglers in the group
      resolve();
    });
  });
}

function userSettings(): Record<string, unknown> {
  return {
    // Untrusted mode: trust stays on and the workspace is never trusted (test mode refuses the dialog).
    'security.workspace.trust.enabled': UNTRUSTED,
    ...(UNTRUSTED ? { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false } : {}),
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.enableExperiments': false,
    'workbench.settings.enableNaturalLanguageSearch': false,
    'chat.commandCenter.enabled': false,
    'git.enabled': false,
    'git.autoRepositoryDetection': false,
    'npm.autoDetect': 'off',
    'typescript.tsc.autoDetect': 'off',
    'typescript.disableAutomaticTypeAcquisition': true,
    'files.autoSave': 'off',
    'window.title': 'SMTP Doctor',
    'editor.minimap.enabled': false,
  };
}

async function main(): Promise<number> {
  if (!fs.existsSync(TESTS_MODULE)) throw new Error(`${TESTS_MODULE} is missing: run \`npx tsc -p .\` first.`);
  if (!VSIX && !fs.existsSync(path.join(REPO, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `node esbuild.js` first.');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (Debian package "chromium", or set CHROMIUM_PATH).`);
  const entry = findCodeServer();

  // Everything the run writes lives in one throw-away folder.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-it-'));
  cleanups.push(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const userDataDir = path.join(tmp, 'user-data');
  const extensionsDir = path.join(tmp, 'extensions');
  const workspace = path.join(tmp, 'workspace');
  const bridge = path.join(tmp, 'ui-bridge');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(bridge, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(userSettings(), null, 2));
  if (TEST_SET === 'stress') log(`generated the stress workspace: ${describeStressWorkspace(writeStressWorkspace(workspace))}`);
  else fs.cpSync(WORKSPACE_FIXTURE, workspace, { recursive: true });
  const extensionPath = VSIX ? unpackVsix(VSIX, path.join(tmp, 'vsix')) : REPO;
  log(`extension under test: ${VSIX ? `${path.relative(REPO, VSIX) || VSIX} (unpacked)` : 'the source tree'}, test set "${TEST_SET}"`);
  const configFile = path.join(tmp, 'config.yaml'); // else code-server writes ~/.config/code-server/config.yaml
  fs.writeFileSync(configFile, 'auth: none\n');

  fs.mkdirSync(LOG_DIR, { recursive: true });
  const serverLog = path.join(LOG_DIR, 'code-server.log');
  const logFd = fs.openSync(serverLog, 'w');
  cleanups.push(() => {
    // Keep the server's own log folders (extension host, remote agent) for debugging.
    const dest = path.join(LOG_DIR, 'user-data');
    fs.rmSync(dest, { recursive: true, force: true });
    const logs = path.join(userDataDir, 'logs');
    if (fs.existsSync(logs)) fs.cpSync(logs, dest, { recursive: true });
  });

  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Started from a VS Code terminal or debug session, these would redirect or confuse the server.
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
  Object.assign(env, {
    EXTENSIONS_GALLERY: '{}', // no gallery at all (no serviceUrl): nothing to query
    CS_TELEMETRY_URL: `${NOWHERE}/telemetry`,
    SMTP_DOCTOR_UI_BRIDGE: bridge,
    SMTP_DOCTOR_SCREENSHOTS_ON: SCREENSHOTS ? 'yes' : '',
    SMTP_DOCTOR_TEST_SET: TEST_SET,
    // The tests read the extension's log file under <user-data>/logs.
    SMTP_DOCTOR_USER_DATA_DIR: userDataDir,
    SMTP_DOCTOR_CONSOLE_TAG: CONSOLE_TAG,
  });
  log(`starting code-server on ${origin} (log: ${path.relative(REPO, serverLog)})`);
  const server = spawn(
    process.execPath,
    [
      entry,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--config', configFile,
      '--disable-telemetry',
      '--disable-update-check',
      ...(UNTRUSTED ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--disable-proxy',
      '--ignore-last-opened',
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
    ],
    { cwd: tmp, env, detached: true, stdio: ['ignore', logFd, logFd] },
  );
  fs.closeSync(logFd);
  serverGroup = server.pid;
  cleanups.push(async () => {
    await killTree(server);
    serverGroup = undefined;
  });
  const serverExited = new Promise<number>((resolve) =>
    server.once('exit', (code, signal) => {
      if (!finished) log(`code-server exited early (code ${code}, signal ${signal}); see ${serverLog}`);
      resolve(1);
    }),
  );

  const ready = (async () => {
    while ((await httpStatus(`${origin}/healthz`)) !== 200) await sleep(100);
  })();
  if ((await Promise.race([ready.then(() => 0), serverExited, sleep(60_000).then(() => 2)])) !== 0) {
    throw new Error(`code-server did not start; see ${serverLog}`);
  }

  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Our own signal handlers stop code-server too; Playwright's would exit first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      // Nothing but loopback: names other than 127.0.0.1/localhost do not resolve.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
    ],
  });
  cleanups.push(() => browser.close().catch(() => undefined));
  const page: Page = await browser.newPage({ viewport: { width: 1400, height: 860 } });

  let exitWith!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (exitWith = resolve));
  await page.exposeFunction('codeAutomationExit', (code: number) => {
    log(`workbench reported exit code ${code}`);
    exitWith(Number(code) || 0);
  });
  page.on('console', (msg) => {
    const text = consoleText(msg.text(), msg.type());
    if (text !== undefined) process.stdout.write(text + '\n');
  });
  page.on('pageerror', (err) => log(`page error: ${err.message}`));
  browser.on('disconnected', () => {
    if (!finished) {
      log('the browser went away');
      exitWith(1);
    }
  });

  const payload = JSON.stringify([
    ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${extensionPath}`],
    ['extensionTestsPath', `vscode-remote://127.0.0.1:${port}${TESTS_MODULE}`],
  ]);
  const url = `${origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
  log(`opening the workbench on ${workspace}`);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

  const bridgeDone = serveUiBridge(page, bridge, exited);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<number>((resolve) => {
    timer = setTimeout(() => {
      log(`timed out after ${TIMEOUT_MS / 1000} s`);
      resolve(1);
    }, TIMEOUT_MS);
  });
  const code = await Promise.race([exited, serverExited, timedOut]);
  clearTimeout(timer);
  await Promise.race([bridgeDone, sleep(1000)]);
  return code;
}

/**
 * Page console lines are the workbench's log (`%c INFO color: #33f TEXT`); the tests' own lines carry
 * CONSOLE_TAG. Print those plainly, workbench errors with a prefix, the rest only when asked.
 */
function consoleText(raw: string, type: string): string | undefined {
  const i = raw.indexOf(CONSOLE_TAG);
  if (i >= 0) return raw.slice(i + CONSOLE_TAG.length);
  const plain = raw.replace(/^%c\s*(\w+)\s+color:\s*#?\w+;?\s*/, '[$1] ');
  if (process.env.SMTP_DOCTOR_VERBOSE || plain.startsWith('[ERR]')) return `[workbench] ${plain}`;
  if (type === 'error' && !plain.startsWith('Failed to load resource')) return `[workbench] ${plain}`;
  return undefined;
}

/** Plays one step; what it returns goes into the answer (texts and attributes; undefined otherwise). */
async function playStep(page: Page, step: UiStep): Promise<unknown> {
  if ('press' in step) return page.keyboard.press(step.press);
  if ('type' in step) return page.keyboard.type(step.type, { delay: 15 });
  if ('wait' in step) return sleep(step.wait);
  if ('waitFor' in step) return page.waitForSelector(step.waitFor, { timeout: step.timeout ?? 10_000, state: step.state ?? 'visible' }).then(() => undefined);
  if ('texts' in step) return page.$$eval(step.texts, (els) => els.map((e) => (e as unknown as { innerText: string }).innerText));
  if ('attributes' in step) return page.$$eval(step.attributes, (els, names) => els.map((e) => Object.fromEntries(names.map((n) => [n, e.getAttribute(n)]))), step.names);
  // Forced: a toast or a hover sliding over the target must not make the click wait for "stable".
  if ('click' in step) return page.locator(step.click).first().click({ timeout: step.timeout ?? 10_000, force: true });
  if ('hover' in step) return page.hover(step.hover);
  if ('mouse' in step) return page.mouse.move(step.mouse[0], step.mouse[1]);
  if (!SCREENSHOTS) return 'screenshots are off';
  if (step.waitForSquiggles) {
    // Squiggles are painted asynchronously: wait for one (but take the picture anyway).
    await page.waitForSelector('.squiggly-error, .squiggly-warning', { timeout: 10_000 }).catch(() => log('no squiggles visible for the screenshot'));
  }
  const file = path.join(SCREENSHOTS, path.basename(step.screenshot));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: file });
  log(`screenshot: ${path.relative(REPO, file) || file}`);
  return file;
}

/**
 * Answers the tests' UI requests until the run ends: `req-N.json` ({ steps }) in, `res-N.json` ({ ok, results,
 * error }) out. The workbench runs in this page; the tests run in its extension host and cannot touch it.
 */
async function serveUiBridge(page: Page, dir: string, exited: Promise<number>): Promise<void> {
  let done = false;
  void exited.then(() => (done = true));
  const served = new Set<string>();
  while (!done) {
    const requests = fs.readdirSync(dir).filter((f) => /^req-\d+\.json$/.test(f) && !served.has(f)).sort();
    if (!requests.length) {
      await sleep(50);
      continue;
    }
    for (const name of requests) {
      served.add(name);
      const results: unknown[] = [];
      let error: string | undefined;
      try {
        const { steps } = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { steps: UiStep[] };
        for (const step of steps) results.push(await playStep(page, step));
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
        log(`UI request ${name} failed: ${error}`);
      }
      const answer = path.join(dir, name.replace(/^req-/, 'res-'));
      fs.writeFileSync(`${answer}.tmp`, JSON.stringify({ ok: !error, results, ...(error ? { error } : {}) }));
      fs.renameSync(`${answer}.tmp`, answer);
    }
  }
}

let cleaning: Promise<void> | undefined;
/** Stops everything and removes the temp folder; every caller gets the same (single) run. */
function cleanup(): Promise<void> {
  finished = true;
  cleaning ??= (async () => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch (e) {
        log(`cleanup: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  })();
  return cleaning;
}

/** Last resort if we exit without cleaning up: code-server is detached and would outlive us. */
let serverGroup: number | undefined;
process.on('exit', () => {
  if (serverGroup === undefined) return;
  try {
    process.kill(-serverGroup, 'SIGKILL');
  } catch {
    /* gone */
  }
});

let exitCode: number | undefined;
for (const [sig, number] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]] as const) {
  process.once(sig, () => {
    log(`${sig}: stopping`);
    exitCode ??= 128 + number;
    void cleanup().finally(() => process.exit(exitCode));
  });
}

main()
  .catch((e: unknown) => {
    if (!finished) log(`error: ${e instanceof Error ? e.stack || e.message : String(e)}`);
    return 1;
  })
  .then(async (code) => {
    await cleanup();
    exitCode ??= code;
    log(exitCode === 0 ? 'integration tests passed' : `integration tests FAILED (exit ${exitCode})`);
    process.exit(exitCode);
  });
