import type { Range, TextEdit } from '../../model';

/** Where a value read from the environment was found. */
export interface EnvOrigin {
  /** The variable, e.g. SMTP_PORT. */
  readonly name: string;
  /** The .env file and the line that set it; undefined when no .env file sets it. */
  readonly file?: string;
  readonly range?: Range;
}

/**
 * One transport option as written: its value if it can be known without running the program, where it
 * is written, and where it came from.
 */
export interface OptionValue {
  /** The value the program will see, or undefined when it cannot be known statically. */
  readonly value?: string | number | boolean;
  /** Why `value` is undefined: an environment variable no .env file sets, or code we do not evaluate. */
  readonly unresolved?: { readonly reason: 'env' | 'dynamic'; readonly description: string };
  /** The value is written as `null` or `undefined` (known, and nodemailer treats it as not set). */
  readonly nullish?: 'null' | 'undefined';
  /** The file and range of the value's expression (the part a fix replaces). */
  readonly file: string;
  readonly range: Range;
  /** The whole option (`port: 465`, a YAML `key: value` pair, a .env line), for fixes that remove it. */
  readonly optionRange?: Range;
  /** Set when the value was read from process.env (or a .env file on its own). */
  readonly env?: EnvOrigin;
  /** True when the value is a literal written in this file (string, number, boolean, template). */
  readonly literal: boolean;
  /**
   * Where a string value's characters are written one for one (inside its quotes, on one line), checked
   * against the text by its producer (verbatimSpan); findings and fixes inside the value go there.
   */
  readonly verbatim?: Range;
  /** The option's name as written (without quotes), for fixes that rename it; only where a rename is safe. */
  readonly keyRange?: Range;
  /** What to delete to remove the option cleanly (with its comma or its lines); only where that is safe. */
  readonly removeRange?: Range;
  /**
   * Set when the value is an environment variable's text passed on as it is: a string, whatever it says,
   * so nodemailer's truthiness test takes "false" for true. `bare` when the expression is just the
   * variable (or a name bound to it: appending `=== 'true'` fixes it); `derived` when it has a default
   * (`|| false`), a string method, `Boolean()` / `!!` or a template around it. `range` is the whole expression,
   * `inner` the same without TypeScript casts (`as unknown as boolean`, `!`) around it.
   */
  readonly envString?: { readonly kind: 'bare' | 'derived'; readonly range: Range; readonly inner?: Range };
}

export type TransportSource = 'nodemailer' | 'smtp-url' | 'json' | 'yaml' | 'env';

/** Each kind of application setting in words: how the Results tree names what defined an endpoint. */
export const TRANSPORT_SOURCE_LABEL: Readonly<Record<TransportSource, string>> = {
  nodemailer: 'nodemailer transport',
  'smtp-url': 'SMTP URL',
  json: 'JSON config',
  yaml: 'YAML config',
  env: '.env settings',
};

/**
 * A mail transport an application defines. Option names are nodemailer's, flattened with dots:
 * host, port, secure, service, url, requireTLS, ignoreTLS, pool, auth.user, auth.pass, auth.type,
 * tls.rejectUnauthorized, tls.servername, tls.ciphers, name, from, ...
 */
export interface TransportDefinition {
  readonly file: string;
  readonly source: TransportSource;
  /** The whole definition: the createTransport(...) call, the URL string, the config mapping. */
  readonly range: Range;
  /** Where a finding about the definition as a whole goes, when narrower than `range` (`createTransport`). */
  readonly headRange?: Range;
  readonly options: ReadonlyMap<string, OptionValue>;
  /**
   * True when `options` is everything the transport gets: an object literal written in the call whose
   * spreads all resolve to object literals nothing else changes. An option missing from a complete
   * transport is really missing (nodemailer uses its default).
   */
  readonly complete?: boolean;
  /** The nodemailer version (or range) the definition's project uses, from its package.json or lockfile. */
  readonly nodemailerVersion?: string;
  /**
   * Which program reads the settings: nodemailer (code, and wrappers around it), a framework with its own
   * conventions (Django, Laravel), or not known (a .env or YAML file no code in the workspace reads).
   */
  readonly client?: 'nodemailer' | 'django' | 'laravel' | 'unknown';
  /** .env files the definition loads as a whole (a compose service's env_file:): their settings are its. */
  readonly loadsEnvFiles?: readonly string[];
  /**
   * An edit that adds `option` with `valueText` (a literal in the file's own syntax) to the
   * definition, or undefined when there is no sensible place (e.g. the options come from elsewhere).
   */
  addOption(option: string, value: string | number | boolean): TextEdit | undefined;
}

/**
 * [start, end) of `value`'s characters inside text[start, end): all of it when it is the value as it is,
 * inside the quotes when it is the value between two equal quotes; undefined when the text is anything
 * else (escapes, interpolation, line breaks, quotes the reader stripped elsewhere).
 */
export function verbatimSpan(text: string, start: number, end: number, value: string): [number, number] | undefined {
  const written = text.slice(start, end);
  if (/[\r\n]/.test(written)) return undefined;
  if (written === value) return [start, end];
  const q = written[0];
  if (written.length === value.length + 2 && (q === '"' || q === "'" || q === '`') && written.endsWith(q) && written.slice(1, -1) === value) return [start + 1, end - 1];
  return undefined;
}

/**
 * The range of characters [start, end) inside a string option written literally (e.g. the port digits
 * inside an SMTP URL), where its producer found the value written character for character (`verbatim`);
 * undefined otherwise (escapes, concatenation, several lines, values from elsewhere).
 */
export function rangeInsideValue(option: OptionValue, start: number, end: number): Range | undefined {
  const v = option.verbatim;
  if (!v || !option.literal || typeof option.value !== 'string') return undefined;
  if (v.start.line !== v.end.line || v.end.character - v.start.character !== option.value.length) return undefined;
  if (start < 0 || start > end || end > option.value.length) return undefined;
  return { start: { line: v.start.line, character: v.start.character + start }, end: { line: v.start.line, character: v.start.character + end } };
}
