// The workspace of the "stress" integration set (test/integration/stress), generated for each run: too big
// to commit. The tests import the constants below to know what the workspace holds.
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..', '..');

/** Generated source files (scripts/benchData.js generateWorkspace: modules, JSON, notes, a .env per package). */
export const STRESS_FILES = 10_000;
/** How many of those define a nodemailer transport (one each). */
export const STRESS_TRANSPORTS = 100;
/** The size of big/main.cf: far over the 5 MB limit (MAX_CONFIG_BYTES). */
export const STRESS_BIG_BYTES = 50 * 1024 * 1024;
/** Where the special files live, relative to the workspace. */
export const STRESS_PATHS = {
  generated: 'generated',
  big: 'big/main.cf',
  binary: 'binary/main.cf',
  secrets: 'secrets',
} as const;

export interface StressWorkspace {
  readonly files: number;
  readonly transports: number;
  readonly bigBytes: number;
  readonly secrets: boolean;
}

/** Writes the stress workspace into `dir` (which must not exist yet or be empty). */
export function writeStressWorkspace(dir: string): StressWorkspace {
  fs.mkdirSync(dir, { recursive: true });
  // The benchmark's generator, so the stress test and `npm run bench` scan the same kind of tree.
  const { generateWorkspace, generateMainCf } = require(path.join(REPO, 'scripts', 'benchData.js')) as {
    generateWorkspace(dir: string, total: number, withTransports: number): number;
    generateMainCf(lines: number): string;
  };
  const files = generateWorkspace(path.join(dir, STRESS_PATHS.generated), STRESS_FILES, STRESS_TRANSPORTS);

  // 50 MB of a real-looking main.cf: a config that only its size makes unreadable.
  const chunk = Buffer.from(generateMainCf(20_000));
  const big = path.join(dir, STRESS_PATHS.big);
  fs.mkdirSync(path.dirname(big), { recursive: true });
  const fd = fs.openSync(big, 'w');
  for (let written = 0; written < STRESS_BIG_BYTES; written += chunk.length) fs.writeSync(fd, chunk, 0, Math.min(chunk.length, STRESS_BIG_BYTES - written));
  fs.closeSync(fd);

  // A binary file named main.cf: NUL bytes and invalid UTF-8, deterministic.
  const binary = Buffer.alloc(64 * 1024);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 2654435761) >>> 24;
  fs.mkdirSync(path.dirname(path.join(dir, STRESS_PATHS.binary)), { recursive: true });
  fs.writeFileSync(path.join(dir, STRESS_PATHS.binary), binary);

  const secretsFixture = path.join(REPO, 'test', 'fixtures', 'secrets');
  const secrets = fs.existsSync(secretsFixture);
  if (secrets) fs.cpSync(secretsFixture, path.join(dir, STRESS_PATHS.secrets), { recursive: true });
  return { files, transports: STRESS_TRANSPORTS, bigBytes: fs.statSync(big).size, secrets };
}

export function describeStressWorkspace(w: StressWorkspace): string {
  return `${w.files} generated files (${w.transports} transports), a ${(w.bigBytes / 1048576).toFixed(0)} MB main.cf, a binary main.cf${w.secrets ? ', the secrets fixture' : ''}`;
}
