// SMTP connection URLs as nodemailer reads them: smtp://user:pass@host:port/?option=value

export interface SmtpUrl {
  readonly secure: boolean;
  readonly host?: string;
  readonly port?: number;
  readonly authPresent: boolean;
  /** Query options (`?pool=true&requireTLS=true`), with "true"/"false" and numbers converted. */
  readonly options: Readonly<Record<string, string | number | boolean>>;
  /** Where the port digits sit in the URL text (for exact ranges), if written. */
  readonly portSpan?: { readonly start: number; readonly end: number };
  readonly hostSpan?: { readonly start: number; readonly end: number };
  /** Where the user:password part sits, if present. */
  readonly userInfoSpan?: { readonly start: number; readonly end: number };
}

export type SmtpUrlResult = { readonly ok: true; readonly url: SmtpUrl } | { readonly ok: false; readonly error: string };

const PROTOCOLS = ['smtp:', 'smtps:', 'direct:'];

/** Whether a string is meant as an SMTP URL (so a malformed one is reported, not ignored). */
export function looksLikeSmtpUrl(text: string): boolean {
  // `smtp://` with its slashes: "SMTP: not configured" is prose, not a URL.
  return /^\s*(smtps?|direct):\/\//i.test(text);
}

export function parseSmtpUrl(text: string): SmtpUrlResult {
  // A bracketed host is an IP literal: no '/', '?', '#', '@' or space inside, so "[@x://y]" is not one host.
  const m = /^(smtps?|direct):\/\/(?:([^/?#]*)@)?(\[[^\]/?#@\s]*\]|[^:/?#]*)(?::([^/?#]*))?([/?#].*)?$/i.exec(text);
  if (!m) {
    if (!looksLikeSmtpUrl(text)) return { ok: false, error: 'not an smtp://, smtps:// or direct:// URL' };
    return { ok: false, error: 'expected smtp://[user:password@]host[:port][/?options]' };
  }
  const protocol = m[1].toLowerCase() + ':';
  if (!PROTOCOLS.includes(protocol)) return { ok: false, error: `unknown protocol "${m[1]}"` };
  const userInfo = m[2];
  const hostText = m[3];
  const portText = m[4];
  const hostStart = m[1].length + 3 + (userInfo !== undefined ? userInfo.length + 1 : 0);
  if (protocol !== 'direct:' && !hostText) return { ok: false, error: 'the URL has no host name' };
  let port: number | undefined;
  if (portText !== undefined) {
    if (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      return { ok: false, error: `"${portText}" is not a port number (1-65535)` };
    }
    port = Number(portText);
  }
  let parsed: URL;
  try {
    parsed = new URL(text.replace(/^[a-z]+:/i, 'http:').replace(/^http:\/\/(?=[/?#]|$)/, 'http://localhost'));
  } catch {
    return { ok: false, error: 'the URL does not parse' };
  }
  let host: string | undefined;
  try {
    host = hostText ? decodeURIComponent(hostText.replace(/^\[|\]$/g, '')) : undefined;
  } catch {
    // A "%" without two hex digits after it, which URL let through because it read the host elsewhere
    // (`smtp://a\\%zz`: a backslash ends the host for it).
    return { ok: false, error: 'the URL does not parse' };
  }
  const options: Record<string, string | number | boolean> = {};
  for (const [k, v] of parsed.searchParams) {
    options[k] = v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v;
  }
  return {
    ok: true,
    url: {
      secure: protocol === 'smtps:',
      host,
      port,
      authPresent: !!userInfo,
      options,
      hostSpan: hostText ? { start: hostStart, end: hostStart + hostText.length } : undefined,
      portSpan: portText !== undefined ? { start: hostStart + hostText.length + 1, end: hostStart + hostText.length + 1 + portText.length } : undefined,
      userInfoSpan: userInfo !== undefined ? { start: m[1].length + 3, end: m[1].length + 3 + userInfo.length } : undefined,
    },
  };
}
