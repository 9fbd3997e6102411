// nodemailer's parseConnectionUrl, per version: what options a connection URL turns into. Before 9 it is
// Node's url.parse; 9 parses with WHATWG URL (url.parse for what WHATWG refuses); 10 also IDNA-maps the host
// and refuses hosts the legacy parser would truncate (createTransport then throws "Invalid URL").
import { isIPv6 } from 'net';
import { domainToASCII, parse, type UrlWithParsedQuery } from 'url';
import type { NodemailerProfile } from './versions';

/**
 * The options object parseConnectionUrl returns: secure / direct from the scheme, port, host, auth, and
 * every query option not already set (`tls.x` under tls; other dotted names dropped), values converted as
 * nodemailer converts them ("true"/"false" to booleans, numeric strings to numbers).
 */
export type ConnectionUrlOptions = Record<string, unknown>;

export type ConnectionUrlResult = { readonly ok: true; readonly options: ConnectionUrlOptions } | { readonly ok: false; readonly error: string };

interface LegacyShape {
  protocol: string | null;
  hostname: string | null;
  port: string | null;
  auth: string | null;
  username?: string | null;
  password?: string | null;
  query: Record<string, string | string[] | undefined> | null;
}

const FORBIDDEN_HOST_CHARS = /[\x00-\x20#/:<>?@[\\\]^|\x7f]/;
const CONTROL_CHARS = /[\x00-\x1f\x7f]/;
const SLASHLESS_AUTHORITY = /^([a-zA-Z][a-zA-Z0-9+.-]*:)(?!\/\/)([\s\S]+)$/;
const LEGACY_TRIM = /^[\x00-\x20\u00a0\ufeff]+/;
const AUTHORITY = /^([a-zA-Z0-9+.-]+:)?[\\/]{2}([^\\/?#]*)/;

class InvalidUrl extends Error {}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Node's url.parse without its deprecation warnings: they quote the URL, password included, on stderr
 * (DEP0169/DEP0170), and a check must never print a secret.
 */
function quietParse(input: string): UrlWithParsedQuery {
  const original = process.emitWarning;
  process.emitWarning = (() => undefined) as typeof process.emitWarning;
  try {
    return parse(input, true);
  } finally {
    process.emitWarning = original;
  }
}

/** `smtp:host` as `smtp://host`: both versions add the slashes before handing the text to WHATWG URL. */
function withAuthoritySlashes(input: string): string {
  const slashless = SLASHLESS_AUTHORITY.exec(input);
  return slashless ? slashless[1] + '//' + slashless[2] : input;
}

function legacy(input: string): LegacyShape {
  // Node's own url.parse, as nodemailer before 10 calls it (query parsed).
  const u = quietParse(input);
  return { protocol: u.protocol, hostname: u.hostname, port: u.port, auth: u.auth, query: u.query as LegacyShape['query'] };
}

/** nodemailer 9's shared/url.js parse(): WHATWG URL, the host's case kept, url.parse for what WHATWG refuses. */
function whatwg9(input: string): LegacyShape {
  const normalized = withAuthoritySlashes(input);
  let u: URL;
  try {
    u = new URL(normalized);
  } catch {
    return legacy(input);
  }
  let hostname = u.hostname || '';
  if (hostname.startsWith('[') && hostname.endsWith(']')) hostname = hostname.slice(1, -1);
  else if (hostname) {
    const decoded = safeDecode(hostname);
    // punycode.toASCII: ASCII labels as they are (no lower-casing).
    hostname = /^[\x00-\x7f]*$/.test(decoded) ? decoded : domainToASCII(decoded) || decoded;
  }
  const auth = u.username || u.password ? safeDecode(u.username) + (u.password ? ':' + safeDecode(u.password) : '') : null;
  return { protocol: u.protocol || null, hostname, port: u.port || null, auth, query: queryOf(u) };
}

function queryOf(u: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null);
  u.searchParams.forEach((value, key) => {
    const had = query[key];
    if (had === undefined) query[key] = value;
    else if (Array.isArray(had)) had.push(value);
    else query[key] = [had, value];
  });
  return query;
}

/** nodemailer 10's shared/url.js parse(), for the fields parseConnectionUrl reads. */
function whatwg10(raw: string): LegacyShape {
  let start = 0;
  let end = raw.length;
  while (start < end && raw.charCodeAt(start) <= 0x20) start++;
  while (end > start && raw.charCodeAt(end - 1) <= 0x20) end--;
  const input = raw.slice(start, end);
  const normalized = withAuthoritySlashes(input);
  let u: URL;
  try {
    u = new URL(normalized);
  } catch {
    const parsed = quietParse(normalized);
    const authority = AUTHORITY.exec(normalized.replace(LEGACY_TRIM, ''));
    if (authority && (authority[1] || parsed.hostname !== null)) {
      const written = authority[2].slice(authority[2].lastIndexOf('@') + 1);
      if (!written || CONTROL_CHARS.test(written) || (parsed.host || '').toLowerCase() !== (domainToASCII(written.toLowerCase()) || written.toLowerCase())) throw new InvalidUrl();
      if (written.charAt(0) === '[' && !isIPv6(written.slice(1, written.indexOf(']')))) throw new InvalidUrl();
    } else if (parsed.hostname !== null) throw new InvalidUrl();
    const auth = parsed.auth === null || parsed.auth === undefined ? null : parsed.auth.split(':');
    return {
      protocol: parsed.protocol,
      hostname: parsed.hostname,
      port: parsed.port,
      auth: parsed.auth,
      username: auth ? auth.shift() ?? null : null,
      password: auth && auth.length ? auth.join(':') : null,
      query: parsed.query as LegacyShape['query'],
    };
  }
  let hostname = u.hostname || '';
  if (hostname) {
    if (hostname.startsWith('[') && hostname.endsWith(']')) hostname = hostname.slice(1, -1);
    else {
      const decoded = safeDecode(hostname);
      const mapped = FORBIDDEN_HOST_CHARS.test(decoded) ? '' : domainToASCII(decoded);
      if (!mapped) throw new InvalidUrl();
      hostname = mapped;
    }
  }
  let username: string | null = null;
  let password: string | null = null;
  if (u.username || u.password) {
    username = safeDecode(u.username);
    password = u.password ? safeDecode(u.password) : null;
  }
  return { protocol: u.protocol || null, hostname, port: u.port || null, auth: null, username, password, query: queryOf(u) };
}

/** What createTransport / SMTPTransport make of a connection URL, or the error it throws. */
export function parseConnectionUrl(text: string, profile: NodemailerProfile): ConnectionUrlResult {
  let url: LegacyShape;
  try {
    url = profile.urlParser === 'whatwg10' ? whatwg10(text) : profile.urlParser === 'whatwg9' ? whatwg9(text || '') : legacy(text);
  } catch (e) {
    return { ok: false, error: e instanceof InvalidUrl ? 'Invalid URL' : (e as Error).message };
  }
  const options: ConnectionUrlOptions = {};
  switch (url.protocol) {
    case 'smtp:':
      options.secure = false;
      break;
    case 'smtps:':
      options.secure = true;
      break;
    case 'direct:':
      options.direct = true;
      break;
  }
  if (url.port !== null && !isNaN(url.port as unknown as number) && Number(url.port)) options.port = Number(url.port);
  if (url.hostname) options.host = url.hostname;
  if (profile.urlParser === 'whatwg10') {
    if (url.username || url.password) options.auth = { user: url.username || '', pass: url.password || '' };
  } else if (url.auth) {
    const parts = url.auth.split(':');
    options.auth = { user: parts.shift(), pass: parts.join(':') };
  }
  const query = url.query ?? {};
  for (const key of Object.keys(query)) {
    let value: unknown = query[key];
    if (!isNaN(value as number)) value = Number(value);
    if (value === 'true') value = true;
    else if (value === 'false') value = false;
    let target = options;
    let name = key;
    if (key.indexOf('tls.') === 0) {
      name = key.slice(4);
      if (!options.tls) options.tls = {};
      target = options.tls as Record<string, unknown>;
    } else if (key.indexOf('.') >= 0) continue;
    if (name === '__proto__' || name in target) continue;
    target[name] = value;
  }
  return { ok: true, options };
}
