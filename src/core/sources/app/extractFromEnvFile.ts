// SMTP settings written as flat, prefixed variables: SMTP_HOST / SMTP_PORT, Laravel's MAIL_HOST /
// MAIL_ENCRYPTION, Django's EMAIL_HOST / EMAIL_USE_TLS, Symfony's MAILER_DSN, ... A .env file on its own
// is read here; the same key families inside YAML/JSON (docker-compose `environment:`) reuse
// `classifyFlatKey` and `assembleFamily` from extractFromConfig.ts.
import { MAX_SETTINGS_TEXT_CHARS } from '../../limits';
import type { Range, SourceFile, TextEdit } from '../../model';
import { LineIndex } from '../../text';
import { type EnvFile, type EnvVariable, isEnvTemplate } from './envFiles';
import { looksLikeSmtpUrl } from './smtpUrl';
import type { OptionValue, TransportDefinition } from './transport';

export type Scalar = string | number | boolean;

/** What a flat key sets. `transport` is a URL or a driver name, decided by its value. */
export type FlatRole =
  | 'host'
  | 'port'
  | 'secure'
  | 'encryption'
  | 'requireTLS'
  | 'ignoreTLS'
  | 'auth.user'
  | 'auth.pass'
  | 'url'
  | 'service'
  | 'driver'
  | 'transport'
  | 'from'
  | 'pool';

/** The words that mark a family of mail settings: SMTP_*, MAIL_*, EMAIL_*, MAILER_*. */
const MAIL_TOKENS = new Set(['smtp', 'mail', 'email', 'mailer']);

/** What follows the family prefix (words joined without separators, lower case) → what it sets. */
const SUFFIXES: Readonly<Record<string, FlatRole>> = {
  host: 'host',
  hostname: 'host',
  server: 'host',
  address: 'host',
  port: 'port',
  secure: 'secure',
  ssl: 'secure',
  usessl: 'secure',
  implicittls: 'secure',
  encryption: 'encryption',
  scheme: 'encryption',
  tls: 'requireTLS',
  usetls: 'requireTLS',
  starttls: 'requireTLS',
  requiretls: 'requireTLS',
  ignoretls: 'ignoreTLS',
  user: 'auth.user',
  username: 'auth.user',
  login: 'auth.user',
  hostuser: 'auth.user',
  authuser: 'auth.user',
  pass: 'auth.pass',
  password: 'auth.pass',
  passwd: 'auth.pass',
  hostpassword: 'auth.pass',
  authpass: 'auth.pass',
  authpassword: 'auth.pass',
  url: 'url',
  uri: 'url',
  dsn: 'url',
  connectionurl: 'url',
  service: 'service',
  driver: 'driver',
  mailer: 'driver',
  backend: 'driver',
  transport: 'transport',
  from: 'from',
  fromaddress: 'from',
  pool: 'pool',
};

export interface FlatKey {
  /** Family id, lower case words joined with `_` (SMTP_HOST and smtpHost share `smtp`). */
  readonly family: string;
  /** The family prefix as written, e.g. `SMTP`, `APP_MAIL`, `smtp`. */
  readonly prefix: string;
  /** The separator after the prefix (`_`, `.`, `-`, or '' for camelCase). */
  readonly separator: string;
  readonly role: FlatRole;
}

/** Words of a key: split at `_`, `.`, `-` and camelCase humps, with where each ends. */
function words(key: string): { word: string; end: number }[] {
  const out: { word: string; end: number }[] = [];
  const re = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(key))) out.push({ word: m[0].toLowerCase(), end: m.index + m[0].length });
  return out;
}

/** SMTP_HOST → {family smtp, role host}; EMAIL_HOST_USER → auth.user; DB_HOST → undefined. */
export function classifyFlatKey(key: string): FlatKey | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(key)) return undefined;
  const w = words(key);
  for (let i = w.length - 2; i >= 0; i--) {
    if (!MAIL_TOKENS.has(w[i].word)) continue;
    const suffix = w.slice(i + 1).map((x) => x.word).join('');
    const role = Object.hasOwn(SUFFIXES, suffix) ? SUFFIXES[suffix] : undefined; // not SMTP_CONSTRUCTOR's Object
    if (!role) continue;
    const prefix = key.slice(0, w[i].end);
    const rest = key.slice(w[i].end);
    const separator = /^[_.-]/.test(rest) ? rest[0] : '';
    return { family: w.slice(0, i + 1).map((x) => x.word).join('_'), prefix, separator, role };
  }
  return undefined;
}

/** One flat setting of a family, with a way to turn a (possibly coerced) value into an option. */
export interface FlatSetting {
  readonly name: string;
  readonly key: FlatKey;
  /** The value as the program reads it (a string for environment variables), if known. */
  readonly value?: Scalar;
  readonly unresolved?: OptionValue['unresolved'];
  /** A blank left in an example file: as if not written. */
  readonly placeholder?: boolean;
  /** Builds the option; `derived` when the value is not the written text retyped (MAIL_ENCRYPTION=ssl → secure). */
  option(value: Scalar | undefined, derived: boolean): OptionValue;
}

function asFlag(v: Scalar): Scalar {
  if (typeof v !== 'string') return v;
  const s = v.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(s)) return true;
  if (['false', '0', 'no', 'off', ''].includes(s)) return false;
  return v;
}

function asPortValue(v: Scalar): Scalar {
  return typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
}

/**
 * What an encryption/scheme word means: `ssl`/`smtps` → implicit TLS; `tls`/`starttls` → STARTTLS
 * (required); `none`/`null`/`smtp`/empty → no implicit TLS; anything else → unknown.
 */
export function encryptionMeaning(v: Scalar): { secure: boolean; requireTLS?: boolean } | undefined {
  const s = String(v).trim().toLowerCase();
  if (s === 'ssl' || s === 'smtps' || s === 'implicit' || s === 'true') return { secure: true };
  if (s === 'tls' || s === 'starttls') return { secure: false, requireTLS: true };
  if (s === '' || s === 'none' || s === 'null' || s === 'false' || s === 'smtp' || s === 'plain') return { secure: false };
  return undefined;
}

/**
 * Nodemailer options from the settings of one family, or undefined when the family is not an SMTP
 * transport: no host and no SMTP URL, or a driver that is not SMTP (MAIL_MAILER=log, EMAIL_BACKEND=console).
 */
export function assembleFamily(settings: readonly FlatSetting[]): Map<string, OptionValue> | undefined {
  const options = new Map<string, OptionValue>();
  let encryption: FlatSetting | undefined;
  for (const s of settings) {
    if (s.placeholder) continue;
    let role = s.key.role;
    if (role === 'transport') role = typeof s.value === 'string' && s.value.includes('://') ? 'url' : s.value === undefined ? 'transport' : 'driver';
    const v = s.value;
    switch (role) {
      case 'driver':
        if (v !== undefined && !/smtp/i.test(String(v))) return undefined;
        break;
      case 'transport':
        break;
      case 'url':
        if (v !== undefined && !(typeof v === 'string' && looksLikeSmtpUrl(v))) break;
        options.set('url', s.option(v, false));
        break;
      case 'host':
        if (v === '') break;
        // EMAIL_SERVER=smtps://... is a URL; "Email address" (a label) or 0 is no host at all.
        if (typeof v === 'string' && looksLikeSmtpUrl(v) && v.includes('://')) {
          options.set('url', s.option(v, false));
          break;
        }
        if (v !== undefined && !isPlausibleHost(v)) return undefined;
        options.set('host', s.option(v, false));
        break;
      case 'port':
        options.set('port', s.option(v === undefined ? v : asPortValue(v), false));
        break;
      case 'secure':
      case 'requireTLS':
      case 'ignoreTLS':
      case 'pool':
        options.set(role, s.option(v === undefined ? v : asFlag(v), false));
        break;
      case 'encryption':
        encryption = s;
        break;
      case 'auth.user':
      case 'auth.pass':
        // Laravel's env() reads `null` as null; an empty user means no login either.
        if (typeof v === 'string' && (v === '' || v.toLowerCase() === 'null' || v.toLowerCase() === '(null)')) break;
        options.set(role, s.option(v, false));
        break;
      default:
        options.set(role, s.option(v, false));
    }
  }
  const host = options.get('host');
  const url = options.get('url');
  if (!host && !url) return undefined;
  if (encryption) {
    if (encryption.value === undefined) {
      if (!options.has('secure')) options.set('secure', encryption.option(undefined, true));
    } else {
      const meaning = encryptionMeaning(encryption.value);
      if (meaning && !options.has('secure')) options.set('secure', encryption.option(meaning.secure, true));
      if (meaning?.requireTLS !== undefined && !options.has('requireTLS')) options.set('requireTLS', encryption.option(meaning.requireTLS, true));
    }
  }
  return options;
}

/**
 * Which client a family of flat settings is written for: Django (EMAIL_HOST_USER, EMAIL_USE_TLS, ...),
 * Laravel (MAIL_MAILER, MAIL_ENCRYPTION, ...), or not known.
 */
export function familyClient(settings: readonly { readonly name: string; readonly key: FlatKey }[]): 'django' | 'laravel' | 'unknown' {
  if (!settings.length) return 'unknown';
  const key = settings[0].key;
  const style = familyStyle(key, new Set(settings.map((s) => s.name)));
  return style === 'generic' ? 'unknown' : style;
}

/**
 * Whether a value can be a host name or address as written in a setting: a DNS name, an IPv4 or IPv6
 * address, or a `${VAR}` / `{{ template }}` filled in later. Labels ("SMTP host"), numbers and URLs are not.
 */
export function isPlausibleHost(v: Scalar): boolean {
  if (typeof v !== 'string') return false;
  const h = v.trim();
  if (/\$\{|\{\{/.test(h)) return true;
  return /^[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/.test(h) || /^\[?[0-9A-Fa-f:.]+(%\w+)?\]?$/.test(h) && h.includes(':') || /^\d{1,3}(\.\d{1,3}){3}$/.test(h);
}

/** Groups settings by family, in first-seen order. */
export function groupFamilies<T extends { readonly key: FlatKey }>(settings: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const s of settings) {
    const g = groups.get(s.key.family);
    if (g) g.push(s);
    else groups.set(s.key.family, [s]);
  }
  return [...groups.values()];
}

export function comparePositions(a: Range['start'], b: Range['start']): number {
  return a.line - b.line || a.character - b.character;
}

/** The smallest range covering all of `ranges`. */
export function spanOf(ranges: readonly Range[]): Range {
  let start = ranges[0].start;
  let end = ranges[0].end;
  for (const r of ranges) {
    if (comparePositions(r.start, start) < 0) start = r.start;
    if (comparePositions(r.end, end) > 0) end = r.end;
  }
  return { start, end };
}

/** SMTP settings a .env file holds on its own: one transport per family (SMTP_*, MAIL_*, EMAIL_*, MAILER_*). */
export function extractEnvTransports(source: SourceFile, envFile: EnvFile): TransportDefinition[] {
  if (source.text.length > MAX_SETTINGS_TEXT_CHARS) return [];
  const settings = envFileSettings(envFile, source.text);
  const out: TransportDefinition[] = [];
  for (const family of groupFamilies(settings)) {
    const options = assembleFamily(family);
    if (!options) continue;
    const names = new Set(family.map((s) => s.name));
    const key = family[0].key;
    out.push({
      file: source.file,
      source: 'env',
      range: spanOf(family.map((s) => s.variable.lineRange)),
      client: familyClient(family),
      options,
      addOption: (option, value) => envAddOption(source, envFile, key, names, options, option, value),
    });
  }
  return out.sort((a, b) => comparePositions(a.range.start, b.range.start));
}

/**
 * The SMTP settings of a .env file, each becoming an option written in that file (also for a
 * docker-compose service that loads the file with `env_file:`).
 */
export function envFileSettings(envFile: EnvFile, text = envFile.text): (FlatSetting & { readonly variable: EnvVariable })[] {
  const settings: (FlatSetting & { readonly variable: EnvVariable })[] = [];
  let lines: LineIndex | undefined;
  const template = isEnvTemplate(envFile.file);
  for (const variable of envFile.variables.values()) {
    const key = classifyFlatKey(variable.name);
    if (!key) continue;
    // An empty value in .env.example is a blank to fill in, not a value (no port "", no service "").
    const placeholder = template && variable.value.trim() === '';
    settings.push({
      name: variable.name,
      key,
      variable,
      placeholder,
      value: placeholder ? undefined : variable.value,
      option: (value, derived) => {
        let removeRange: Range | undefined;
        // Only a definition alone on its line: a quoted value's other lines, or a neighbour, would stay or go with it.
        if (!derived && text !== undefined && variable.aloneOnLine) {
          // The variable's whole line, with its line break (the last line: up to the end of the file).
          lines = lines ?? new LineIndex(text);
          const line = variable.lineRange.start.line;
          const end = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : lines.lineEnd(line);
          removeRange = lines.range(lines.lineStart(line), end);
        }
        return {
          value,
          unresolved:
            value === undefined
              ? { reason: 'dynamic', description: placeholder ? `${variable.name} is left blank in an example file` : `${variable.name} has a value SMTP Doctor does not understand` }
              : undefined,
          file: envFile.file,
          range: variable.valueRange,
          verbatim: !derived && value === variable.value ? variable.verbatim : undefined,
          optionRange: variable.lineRange,
          env: { name: variable.name, file: variable.file, range: variable.valueRange },
          literal: !derived,
          removeRange,
        };
      },
    });
  }
  return settings;
}

/** Which naming convention a family follows, to name a variable it does not have yet. */
function familyStyle(key: FlatKey, names: ReadonlySet<string>): 'django' | 'laravel' | 'generic' {
  const has = (suffix: string) => [...names].some((n) => n.toUpperCase() === `${key.prefix}${key.separator}${suffix}`.toUpperCase());
  if (key.family === 'email' && (has('HOST_USER') || has('HOST_PASSWORD') || has('USE_TLS') || has('USE_SSL') || has('BACKEND'))) return 'django';
  if (key.family === 'mail' && (has('MAILER') || has('DRIVER') || has('ENCRYPTION') || has('USERNAME') || has('FROM_ADDRESS') || has('SCHEME'))) return 'laravel';
  return 'generic';
}

function envAddOption(
  source: SourceFile,
  envFile: EnvFile,
  key: FlatKey,
  names: ReadonlySet<string>,
  options: ReadonlyMap<string, OptionValue>,
  option: string,
  value: Scalar,
): TextEdit | undefined {
  // A DSN decides everything; a separate variable next to it would not be read.
  if (options.has('url') && !options.has('host')) return undefined;
  const style = familyStyle(key, names);
  let suffix: string | undefined;
  let text: string | undefined;
  const word = (v: Scalar) => (style === 'django' && typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));
  if (option === 'host' || option === 'port') {
    suffix = option.toUpperCase();
    text = String(value);
  } else if (style === 'django') {
    if (option === 'secure') suffix = 'USE_SSL';
    else if (option === 'requireTLS') suffix = 'USE_TLS';
    text = word(typeof value === 'string' ? value : Boolean(value));
  } else if (style === 'laravel') {
    // Laravel has one variable for both; when it is already written the fix is a replacement, not ours.
    if ((option === 'secure' && value === true) || (option === 'requireTLS' && value === true)) {
      suffix = 'ENCRYPTION';
      text = option === 'secure' ? 'ssl' : 'tls';
    }
  } else if (option === 'secure') {
    suffix = 'SECURE';
    text = String(value);
  }
  if (!suffix || text === undefined) return undefined;
  const lower = key.prefix === key.prefix.toLowerCase();
  const sep = key.separator || '_';
  const name = `${key.prefix}${sep}${lower ? suffix.toLowerCase() : suffix}`;
  if (envFile.variables.has(name) || names.has(name)) return undefined;
  const t = source.text;
  const eol = t.includes('\r\n') ? '\r\n' : '\n';
  const lines = t.split('\n');
  const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
  const needsBreak = t.length > 0 && !t.endsWith('\n');
  return { range: { start: end, end }, newText: `${needsBreak ? eol : ''}${name}=${text}${eol}` };
}
