// Which files are mail configurations, decided from the path and a cheap look at the content.

/** Files larger than this are not parsed (a real main.cf is a few KB; 10,000 lines is ~400 KB). */
export const MAX_CONFIG_BYTES = 5 * 1024 * 1024;

export type ConfigKind = 'postfix-main' | 'postfix-master';

/** Glob patterns (VS Code / minimatch style) for the files the scanner reads. */
export const CONFIG_GLOBS: readonly string[] = [
  '**/main.cf',
  '**/master.cf',
  '**/postfix/**/*.cf',
  '**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}',
  '**/*.{json,yaml,yml}',
  '**/.env',
  '**/.env.*',
  // docker-compose `env_file:` targets such as mail.env
  '**/*.env',
  // DKIM signing setups (their selectors): OpenDKIM, rspamd
  '**/{KeyTable,keytable,key.table,SigningTable,signingtable,signing.table,opendkim.conf}',
  '**/dkim_signing.conf',
];

/** Folders never worth scanning. */
export const DEFAULT_EXCLUDE_GLOBS: readonly string[] = ['**/node_modules/**', '**/.git/**', '**/.vscode-test/**', '**/dist/**', '**/out/**', '**/build/**', '**/coverage/**', '**/*.min.js', '**/package-lock.json'];

function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(i + 1);
}

function directoryOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? '' : path.slice(0, i);
}

/** The kind of config a path names, from its name alone; `*.cf` under a postfix folder may be main.cf-like. */
export function configKindOfPath(path: string): ConfigKind | undefined {
  const name = baseName(path);
  if (name === 'master.cf') return 'postfix-master';
  if (name === 'main.cf') return 'postfix-main';
  if (name.endsWith('.cf') && /(^|[/\\])postfix[^/\\]*[/\\]/i.test(path)) return 'postfix-main';
  return undefined;
}

/** Whether `path` must be parsed as main.cf regardless of content (its name says so). */
export function isNamedMainCf(path: string): boolean {
  return baseName(path) === 'main.cf';
}

/** Why a file is not parsed, or undefined when it can be. */
export function unreadableReason(text: string, byteLength = text.length): string | undefined {
  if (byteLength > MAX_CONFIG_BYTES) {
    return `File is ${(byteLength / 1024 / 1024).toFixed(1)} MB; files over ${MAX_CONFIG_BYTES / 1024 / 1024} MB are not checked.`;
  }
  if (text.slice(0, 8192).includes('\u0000')) return 'File looks binary (it contains NUL bytes); it is not checked.';
  return undefined;
}

/** The directory that groups a main.cf with its master.cf. */
export function instanceKey(path: string): string {
  return directoryOf(path);
}
