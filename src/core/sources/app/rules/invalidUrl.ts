import { REDACTED, redactText } from '../../../redact';
import { parseSmtpUrl } from '../smtpUrl';
import type { TransportRule } from '../transportRule';

/**
 * The URL as safe to show: the password in `user:password@` replaced (up to the last "@", since a "/", "?" or
 * "#" written unencoded in a password is what often breaks the URL), a "port" that looks like a password (a
 * `user:password` written without `@host`) too, and secret-named query options (`?pass=…`).
 */
export function redactUrl(text: string): string {
  let out = redactText(text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^@/?#:]*:).*@/i, `$1${REDACTED}@`));
  out = out.replace(/^([a-z][a-z0-9+.-]*:\/\/[^@/?#:]*:)([^@/?#]*)(?=[/?#]|$)/i, (all, head: string, port: string) =>
    looksLikeSecret(port) ? head + REDACTED : all,
  );
  return out;
}

/** "587a" is a typo'd port; "hunter22" after `user:` is a password. */
function looksLikeSecret(portText: string): boolean {
  return portText.length > 5 || (portText.match(/\D/g)?.length ?? 0) > 1;
}

/**
 * parseSmtpUrl's error, more precise when Node's URL parser rejected a bad port, and without a "port" that
 * is really a password.
 */
function reason(url: string, error: string): string {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^/?#]*@)?(\[[^\]]*\]|[^:/?#@]*)(?::([^/?#]*))?/i.exec(url);
  if (m && error === 'the URL does not parse') {
    const port = m[3];
    if (port !== undefined && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) error = `"${port}" is not a port number (1-65535)`;
    else if (!m[2] && m[1].toLowerCase() !== 'direct') error = 'the URL has no host name';
  }
  return error.replace(/^"(.*)" is not a port number/, (all, port: string) => (looksLikeSecret(port) ? `"${REDACTED}" is not a port number` : all));
}

/** A `url` option (or a string passed to createTransport) that is not an SMTP URL nodemailer can use. */
export const invalidUrl: TransportRule = {
  meta: {
    id: 'nodemailer/invalid-url',
    description: 'A connection URL that is not a valid smtp://, smtps:// or direct:// URL.',
    defaultSeverity: 'error',
    fixable: false,
  },
  check(t, report) {
    const o = t.definition.options.get('url');
    if (!o || typeof o.value !== 'string') return;
    const parsed = parseSmtpUrl(o.value);
    if (parsed.ok && !t.urlError) return;
    const shownUrl = redactUrl(o.value);
    report({
      option: 'url',
      // An error only where createTransport throws (nodemailer 10 refuses such URLs); before, it goes on with what it parsed.
      severity: t.urlError ? 'error' : 'warning',
      message:
        `${JSON.stringify(shownUrl.length > 60 ? shownUrl.slice(0, 57) + '...' : shownUrl)}${o.env ? ` (from ${o.env.name})` : ''} is not a valid SMTP URL ` +
        `(${parsed.ok ? `nodemailer ${t.profile.version} throws "Invalid URL"` : reason(o.value, parsed.error)}); write smtp://user:pass@host:587.`,
    });
  },
};
