// Which files are mail configurations, decided from the path and a cheap look at the content.

/** Files larger than this are not parsed (a real main.cf is a few KB; 10,000 lines is ~400 KB). */
export const MAX_CONFIG_BYTES = 5 * 1024 * 1024;

export type ConfigKind = 'postfix-main' | 'postfix-master';

/** Glob patterns (VS Code / minimatch style) for the files the scanner reads. */
export const CONFIG_GLOBS: readonly string[] = [
  '**/main.cf',
  '**/master.cf',
  '**/postfix/**/*.cf',
  // Templates and copies: main.cf.j2, postfix_main.cf.erb, main.cf-el8.erb, master.cf.proto, postfix_main_cf.tmpl
  '**/*{main,master}{.,_}cf{.,-}*',
  '**/*[._-]{main,master}.cf',
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

/**
 * A main.cf or master.cf by another name: a template or copy (`main.cf.j2`, `postfix_main.cf.erb`,
 * `main.cf-el8.erb`, `master.cf.proto`, `postfix_main_cf.tmpl`). Group 2 is main/master; groups 1 and 3
 * the rest of the name, which pairs a main.cf variant with the master.cf variant of the same name.
 */
const VARIANT_NAME = /^(?:(|.*[._-])(main|master)[._]cf((?:[._-][A-Za-z0-9]+)+)|(.*[._-])(main|master)\.cf())$/;

/** The kind of config a path names, from its name alone; `*.cf` under a postfix folder may be main.cf-like. */
export function configKindOfPath(path: string): ConfigKind | undefined {
  const name = baseName(path);
  if (name === 'master.cf') return 'postfix-master';
  if (name === 'main.cf') return 'postfix-main';
  const variant = VARIANT_NAME.exec(name);
  if (variant && !/\.(swp|swo|gz|bz2|xz|zip|db|lmdb|cdb)$/i.test(name)) return (variant[2] ?? variant[5]) === 'main' ? 'postfix-main' : 'postfix-master';
  if (name.endsWith('.cf') && /(^|[/\\])postfix[^/\\]*[/\\]/i.test(path)) return 'postfix-main';
  return undefined;
}

/** Whether `path` must be parsed as main.cf regardless of content (its name says so). */
export function isNamedMainCf(path: string): boolean {
  const name = baseName(path);
  const variant = VARIANT_NAME.exec(name);
  return name === 'main.cf' || (variant?.[2] ?? variant?.[5]) === 'main';
}

/** Why a file is not parsed, or undefined when it can be. */
export function unreadableReason(text: string, byteLength = text.length): string | undefined {
  if (byteLength > MAX_CONFIG_BYTES) {
    return `File is ${(byteLength / 1024 / 1024).toFixed(1)} MB; files over ${MAX_CONFIG_BYTES / 1024 / 1024} MB are not checked.`;
  }
  if (text.slice(0, 8192).includes('\u0000')) return 'File looks binary (it contains NUL bytes); it is not checked.';
  return undefined;
}

/** What groups a main.cf with its master.cf: the directory, and for variants the rest of the name (main.cf.j2 ↔ master.cf.j2). */
export function instanceKey(path: string): string {
  const variant = VARIANT_NAME.exec(baseName(path));
  return variant ? `${directoryOf(path)}\u0000${variant[1] ?? variant[4]}\u0000${variant[3] ?? variant[6]}` : directoryOf(path);
}

/**
 * A looser key for a main.cf or master.cf left without a partner: the name without its template extension,
 * so etc_postfix_main.cf.j2 (a template) pairs with etc_postfix_master.cf (a static file).
 */
export function partnerKey(path: string): string {
  const variant = VARIANT_NAME.exec(baseName(path));
  if (!variant) return directoryOf(path);
  return `${directoryOf(path)}\u0000${variant[1] ?? variant[4]}\u0000${(variant[3] ?? variant[6]).replace(TEMPLATE_SUFFIX, '')}`;
}

/** A template extension at the end of a file name (kept in step with template.ts). */
const TEMPLATE_SUFFIX = /\.(j2|jinja2?|twig|erb|epp|tpl|tmpl|gotmpl|tt2?|in|template|mas|ftl|mustache|hbs|liquid|njk)$/i;
