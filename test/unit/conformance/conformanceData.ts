// Where the public conformance data lives (never copied into this repository): $SMTP_DOCTOR_CONFORMANCE_DIR
// when set (and nothing else then), else the first `shared/conformance` in a folder above the repository
// (CI: <repo>/../shared/conformance; a git worktree: further up). And the summary line every conformance
// suite prints.
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../helpers';

export const CONFORMANCE_ENV = 'SMTP_DOCTOR_CONFORMANCE_DIR';

/** The conformance folder, or undefined with the places looked at. */
export function conformanceDir(): { readonly dir?: string; readonly looked: readonly string[] } {
  const looked: string[] = [];
  const fromEnv = process.env[CONFORMANCE_ENV];
  if (fromEnv) return fs.existsSync(fromEnv) ? { dir: fromEnv, looked: [fromEnv] } : { looked: [fromEnv] };
  for (let dir = path.dirname(REPO_ROOT); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'conformance');
    looked.push(candidate);
    if (fs.existsSync(candidate)) return { dir: candidate, looked };
    if (path.dirname(dir) === dir) return { looked };
  }
}

/** The file `name` of the conformance data, or undefined (the caller skips, saying where it looked). */
export function conformanceFile(name: string): { readonly file?: string; readonly why?: string } {
  const { dir, looked } = conformanceDir();
  if (!dir) return { why: `no conformance data (looked for ${looked.join(', ')}; set ${CONFORMANCE_ENV})` };
  const file = path.join(dir, name);
  return fs.existsSync(file) ? { file } : { why: `${file} is missing` };
}

export interface Tally {
  cases: number;
  pass: number;
  /** Each wrong answer: the case and what we said. */
  readonly wrong: string[];
  /** Each case we gave no answer for (result "unknown"). */
  readonly declined: string[];
}

export function newTally(): Tally {
  return { cases: 0, pass: 0, wrong: [], declined: [] };
}

/** "spf-rfc7208: 203 cases, 203 pass, 0 wrong, 0 declined" */
export function summaryLine(suite: string, t: Tally): string {
  return `${suite}: ${t.cases} cases, ${t.pass} pass, ${t.wrong.length} wrong, ${t.declined.length} declined`;
}

/** SMTP_DOCTOR_CONFORMANCE_VERBOSE=1: print our answer to every case. */
export function verbose(): boolean {
  return process.env.SMTP_DOCTOR_CONFORMANCE_VERBOSE === '1';
}
