// The workbench as a user meets it, for tests that run in the extension host: they cannot reach the browser
// page the workbench runs in, so the code-server runner (test/runners/runInCodeServer.ts) plays their UI
// requests with Playwright (keys, text, clicks, reading the DOM, screenshots) through files in SMTP_DOCTOR_UI_BRIDGE.
import * as fs from 'fs';
import * as path from 'path';

/** One step of a UI request, as the runner (test/runners/runInCodeServer.ts) plays it. */
export type UiStep =
  | { readonly press: string }
  | { readonly type: string }
  | { readonly wait: number }
  | { readonly waitFor: string; readonly timeout?: number; readonly state?: 'visible' | 'hidden' }
  | { readonly texts: string }
  | { readonly attributes: string; readonly names: readonly string[] }
  | { readonly click: string; readonly timeout?: number }
  | { readonly hover: string }
  | { readonly mouse: readonly [number, number] }
  | { readonly screenshot: string; readonly waitForSquiggles?: boolean };

const bridge = () => process.env.SMTP_DOCTOR_UI_BRIDGE;

/** Whether a runner plays UI requests (code-server: yes; @vscode/test-electron: no). */
export function uiBridgeAvailable(): boolean {
  return !!bridge() && fs.existsSync(bridge()!);
}

/** Whether this run keeps screenshots (the main suite of the code-server runner, unless turned off). */
export function screenshotsWanted(): boolean {
  return uiBridgeAvailable() && process.env.SMTP_DOCTOR_SCREENSHOTS_ON === 'yes';
}

let next = 0;

/** Plays `steps` in the workbench and returns what each step read (texts, attributes; undefined otherwise). */
export async function ui(steps: readonly UiStep[], timeoutMs = 60_000): Promise<unknown[]> {
  const dir = bridge();
  if (!dir) throw new Error('no UI bridge: these tests need the code-server runner');
  const n = String(++next).padStart(4, '0');
  const request = path.join(dir, `req-${n}.json`);
  fs.writeFileSync(`${request}.tmp`, JSON.stringify({ steps }));
  fs.renameSync(`${request}.tmp`, request);
  const answer = path.join(dir, `res-${n}.json`);
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(answer)) {
    if (Date.now() > deadline) throw new Error(`the runner did not answer UI request ${n} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const { ok, results, error } = JSON.parse(fs.readFileSync(answer, 'utf8')) as { ok: boolean; results: unknown[]; error?: string };
  if (!ok) throw new Error(`UI request ${n} failed: ${error}`);
  return results;
}

/** Texts of the elements `selector` matches, now. */
export async function uiTexts(selector: string): Promise<string[]> {
  return (await ui([{ texts: selector }]))[0] as string[];
}

export const QUICK_INPUT = '.quick-input-widget';
export const QUICK_INPUT_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';
export const TOAST_MESSAGES = '.notifications-toasts .notification-list-item-message';

/**
 * The rows the command palette lists for `text` (typed as a user types it), as their accessible labels
 * ("TITLE, recently used"); VS Code's "similar commands" suggestions are left out. The palette is closed again.
 */
export async function paletteRows(text: string): Promise<string[]> {
  const results = await ui([
    { press: 'Escape' },
    { press: 'F1' },
    { waitFor: QUICK_INPUT },
    { press: 'Control+a' },
    { type: `>${text}` },
    { wait: 700 },
    { attributes: QUICK_INPUT_ROWS, names: ['aria-label'] },
    { press: 'Escape' },
  ]);
  const rows = (results[6] as { 'aria-label': string | null }[]).map((r) => r['aria-label'] ?? '');
  // The first row of a group carries the group's name: everything from "similar commands" on is VS Code's guess.
  const similar = rows.findIndex((r) => /, similar commands$/.test(r));
  return similar < 0 ? rows : rows.slice(0, similar);
}

/** Types `text` into the command palette and presses Enter, as a user does. */
export async function runFromPalette(text: string): Promise<void> {
  await ui([{ press: 'Escape' }, { press: 'F1' }, { waitFor: QUICK_INPUT }, { press: 'Control+a' }, { type: `>${text}` }, { wait: 700 }, { press: 'Enter' }]);
}

/** Saves a picture of the workbench as `name` in the screenshots folder, when this run keeps screenshots. */
export async function screenshot(name: string, options: { waitForSquiggles?: boolean; mouseAway?: boolean } = {}): Promise<void> {
  if (!screenshotsWanted()) return;
  // The mouse out of the way, unless the picture shows a hover it opened.
  await ui([...(options.mouseAway === false ? [] : [{ mouse: [0, 0] as const }]), { wait: 300 }, { screenshot: name, ...(options.waitForSquiggles ? { waitForSquiggles: true } : {}) }]);
}
