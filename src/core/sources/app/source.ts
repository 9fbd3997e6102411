// Application settings as a configuration source: mail transports in scripts (nodemailer and its kin), JSON /
// YAML settings, .env files and docker-compose, with package.json and lockfiles for the nodemailer version.
import { AppLinter, type TransportCache, inMemoryLoader, isProjectManifest, lintAppFiles, mayHoldAppTransport } from '../../appLint';
import { MAX_APP_FILE_BYTES, MAX_LOCKFILE_BYTES } from '../../limits';
import type { LintInput } from '../../workspaceLint';
import type { ConfigSource, ScanReading, SourceContribution, SourceWorkspace, WorkspaceSourceContext } from '../source';
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
  workspace: () => new AppSettingsFiles(),
};

const isBinary = (text: string) => text.slice(0, 8192).includes('\u0000');

/**
 * Application files held between changes, as one part: the transport rules compare transports across
 * files, so they run again over all of them; a file's transports are extracted again only when it, a .env
 * file or a manifest changed (lintAppFiles' cache).
 */
class AppSettingsFiles implements SourceWorkspace {
  private readonly texts = new Map<string, string>();
  private readonly transportCache: TransportCache = new Map();
  private part: SourceContribution | undefined;

  setFile(file: LintInput) {
    const size = file.byteLength ?? file.text.length;
    if (size > MAX_APP_FILE_BYTES || isBinary(file.text) || !mayHoldAppTransport(file.file, file.text)) return { held: false, changed: this.deleteFile(file.file) };
    if (this.texts.get(file.file) === file.text) return { held: true, changed: false };
    this.texts.set(file.file, file.text);
    this.part = undefined;
    return { held: true, changed: true };
  }

  deleteFile(path: string): boolean {
    if (!this.texts.delete(path)) return false;
    this.transportCache.delete(path);
    this.part = undefined;
    return true;
  }

  get(path: string): LintInput | undefined {
    const text = this.texts.get(path);
    return text === undefined ? undefined : { file: path, text };
  }

  files(): LintInput[] {
    return [...this.texts].map(([file, text]) => ({ file, text }));
  }

  result(context: WorkspaceSourceContext): SourceContribution[] {
    if (!this.part) {
      const a = lintAppFiles(this.files(), this.transportCache, context.loader);
      for (const file of this.transportCache.keys()) if (!this.texts.has(file)) this.transportCache.delete(file);
      // Manifests and lockfiles only inform the other files.
      const checkedFiles = [...this.texts.keys()].filter((f) => !isProjectManifest(f)).length;
      this.part = { findings: a.findings, endpoints: a.endpoints, transports: a.transports, dkimSelectors: selectorsFromTransports(a.transports), checkedFiles };
    }
    return [this.part];
  }

  reset(loaderChanged: boolean): void {
    if (loaderChanged) this.transportCache.clear();
    this.part = undefined;
  }
}
