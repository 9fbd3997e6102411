// Application settings as a configuration source: mail transports in scripts (nodemailer and its kin), JSON /
// YAML settings, .env files and docker-compose, with package.json and lockfiles for the nodemailer version.
import { AppLinter, inMemoryLoader, isProjectManifest, mayHoldAppTransport } from '../../appLint';
import { MAX_APP_FILE_BYTES, MAX_LOCKFILE_BYTES } from '../../limits';
import type { ConfigSource, ScanReading } from '../source';
import { isEnvFileName } from './envFiles';
import { isConfigFile } from './settingsFileNames';
import { isScriptFile } from './extractFromScript';
import { LOCKFILE_NAMES } from './versions';
import { selectorsFromTransports } from './dkimOption';
import { TRANSPORT_RULES } from './rules';

const baseName = (path: string) => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);

/** What every other file's settings depend on: .env files (values) and package.json (versions, workspace packages). */
const isReadFirst = (path: string) => isEnvFileName(path) || isProjectManifest(path);

// One value each, not one per file: the scan asks for every file of the workspace.
const READ_UP_FRONT: ScanReading = { upFront: true };
const LOCKFILE_READING: ScanReading = { upFront: true, maxBytes: MAX_LOCKFILE_BYTES };
const STREAMED: ScanReading = { upFront: false, maxBytes: MAX_APP_FILE_BYTES };

export const APP_SETTINGS_SOURCE: ConfigSource = {
  id: 'app',
  discovery: 'workspace',
  globs: [
    '**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}',
    '**/*.{json,yaml,yml}',
    '**/.env',
    '**/.env.*',
    // docker-compose `env_file:` targets such as mail.env
    '**/*.env',
  ],
  rules: /* @__PURE__ */ TRANSPORT_RULES.map((r) => r.meta),
  editor: {
    languages: [],
    documentLanguages: ['javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'json', 'jsonc', 'yaml', 'dotenv', 'properties', 'plaintext'],
    activationEvents: [
      'workspaceContains:**/.env',
      'workspaceContains:**/.env.*',
      'workspaceContains:**/*.env',
      'onLanguage:javascript',
      'onLanguage:typescript',
      'onLanguage:javascriptreact',
      'onLanguage:typescriptreact',
      'onLanguage:yaml',
      'onLanguage:dotenv',
    ],
  },
  claims: ({ file }) => isEnvFileName(file) || isScriptFile(file) || isConfigFile(file) || baseName(file) === 'package.json',
  recognise: mayHoldAppTransport,
  scanReading(path) {
    const name = baseName(path);
    if (isEnvFileName(path) || name === 'package.json') return READ_UP_FRONT;
    if (LOCKFILE_NAMES.includes(name)) return LOCKFILE_READING;
    if (isScriptFile(path) || isConfigFile(path)) return STREAMED;
    return undefined;
  },
  maxFileBytes: MAX_APP_FILE_BYTES,
  open(files, context) {
    const linter = new AppLinter(files.filter((f) => isReadFirst(f.file)), context.loader ?? inMemoryLoader(files));
    let checkedFiles = files.filter((f) => isEnvFileName(f.file)).length;
    for (const f of files) {
      if (isReadFirst(f.file)) continue;
      checkedFiles++;
      linter.add(linter.extract(f));
    }
    return {
      add(file) {
        checkedFiles++;
        linter.add(linter.extract(file));
      },
      finish() {
        const a = linter.finish();
        return { findings: a.findings, endpoints: a.endpoints, transports: a.transports, dkimSelectors: selectorsFromTransports(a.transports), checkedFiles };
      },
    };
  },
};
