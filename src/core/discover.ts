// Which files are mail configurations, decided from the path and a cheap look at the content.

import { MAX_CONFIG_BYTES } from './limits';

export { MAX_CONFIG_BYTES };

export type ConfigKind = 'postfix-main' | 'postfix-master';

/** Folders never scanned, wherever they are: dependencies, version control, build output, caches. */
export const EXCLUDED_FOLDER_NAMES: ReadonlySet<string> = new Set(['node_modules', '.git', '.vscode-test', 'dist', 'out', 'build', 'coverage', '.hg', '.svn', '.next', '.nuxt', '.cache', 'bower_components']);
/** The editor's default `smtpDoctor.exclude` (package.json says the same): those folders, minified bundles, npm's lockfile. */
export const DEFAULT_EXCLUDE_GLOBS: readonly string[] = [...[...EXCLUDED_FOLDER_NAMES].map((name) => `**/${name}/**`), '**/*.min.js', '**/package-lock.json'];

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

/**
 * Parameter names of Postfix lookup-table client configs (ldap_table(5), mysql_table(5), pgsql_table(5),
 * sqlite_table(5), memcache_table(5)) that main.cf never has. Such a file is read by a `ldap:`, `mysql:`,
 * `pgsql:`, `sqlite:` or `memcache:` table (maybe behind `proxy:`), never by Postfix as main.cf, and it holds
 * the database password.
 */
const MAP_CONFIG_KEYS = new Set([
  // LDAP
  'server_host', 'server_port', 'search_base', 'query_filter', 'result_attribute', 'special_result_attribute',
  'terminal_result_attribute', 'leaf_result_attribute', 'bind', 'bind_dn', 'bind_pw', 'dereference', 'chase_referrals',
  'start_tls', 'tls_ca_cert_dir', 'tls_ca_cert_file', 'tls_cert', 'tls_key', 'tls_require_cert', 'tls_random_file',
  'tls_cipher_suite', 'sasl_mechs', 'sasl_realm', 'sasl_authz_id', 'sasl_minssf', 'debuglevel', 'size_limit', 'recursion_limit', 'scope',
  // MySQL, PostgreSQL, SQLite
  'hosts', 'user', 'password', 'dbname', 'dbpath', 'query', 'select_field', 'select_function', 'where_field', 'additional_conditions',
  'table', 'option_file', 'option_group', 'require_result_set', 'tls_cert_file', 'tls_key_file', 'tls_CAfile', 'tls_CApath',
  'tls_verify_cert', 'tls_ciphers', 'idle_interval', 'retry_interval',
  // memcache
  'memcache', 'backup', 'key_format', 'data_size_limit', 'line_size_limit', 'max_try', 'retry_pause', 'ttl', 'flags',
]);

/** Postfix main.cf parameters that share a name with a map-config key (so they do not count against it). */
const SHARED_WITH_MAIN_CF = new Set(['debuglevel']);

/**
 * Whether `text` is a lookup-table client config (ldap:/mysql:/pgsql:/sqlite:/memcache: file) rather than a
 * main.cf: it uses at least one map-config key, and such keys outnumber known main.cf parameters. `isKnownMainCf`
 * says whether a name is a main.cf parameter.
 */
export function isLookupTableConfig(text: string, isKnownMainCf: (name: string) => boolean): boolean {
  let mapKeys = 0;
  let mainCf = 0;
  for (const m of text.matchAll(/^[ \t]*([A-Za-z][A-Za-z0-9_]*)[ \t]*=/gm)) {
    const name = m[1];
    if (MAP_CONFIG_KEYS.has(name) && !SHARED_WITH_MAIN_CF.has(name)) mapKeys++;
    else if (isKnownMainCf(name)) mainCf++;
  }
  return mapKeys > 0 && mapKeys >= mainCf;
}

/** Table types whose argument is a client config file (`proxy:` in front of one still names that file). */
export const MAP_CONFIG_TABLE = /(?:^|[\s,])(?:proxy:)?(?:ldap|mysql|pgsql|sqlite|memcache):([^\s,]+)/g;

/** Base names of the files main.cf-like text uses as lookup-table client configs (`ldap:/etc/postfix/ldap-users.cf`). */
export function mapConfigFileNames(mainCfText: string): Set<string> {
  const names = new Set<string>();
  for (const m of mainCfText.matchAll(MAP_CONFIG_TABLE)) names.add(baseName(m[1]));
  return names;
}

/**
 * Whether a file is SMTP Doctor's own report (Export Report, `check --format json|sarif`): it names the hosts
 * it checked, and reading it as a config would find them all again.
 */
export function isOwnReport(text: string): boolean {
  const head = text.slice(0, 4096);
  if (/"\$schema"\s*:\s*"[^"]*sarif/i.test(head) && /"name"\s*:\s*"SMTP Doctor"/.test(text.slice(0, 65536))) return true;
  return /^\{\s*"findings"\s*:\s*\[/.test(head) && /"endpoints"\s*:\s*\[/.test(text);
}
