import type { Fix } from '../../../model';
import { REDACTED, redactText } from '../../../redact';
import type { TransportRule } from '../transportRule';
import { parsedUrl, rangeInValue } from './common';

/** Secret options, what to call them, and the variable the quick fix reads instead. */
const SECRETS: readonly { readonly option: string; readonly what: string; readonly variable: string }[] = [
  { option: 'auth.pass', what: 'A password', variable: 'SMTP_PASS' },
  { option: 'auth.accessToken', what: 'An OAuth2 access token', variable: 'SMTP_ACCESS_TOKEN' },
  { option: 'auth.refreshToken', what: 'An OAuth2 refresh token', variable: 'SMTP_REFRESH_TOKEN' },
  { option: 'auth.clientSecret', what: 'An OAuth2 client secret', variable: 'SMTP_CLIENT_SECRET' },
  { option: 'auth.privateKey', what: 'A service-account private key', variable: 'SMTP_PRIVATE_KEY' },
  { option: 'dkim.privateKey', what: 'A DKIM private key', variable: 'DKIM_PRIVATE_KEY' },
];

/** The secret options of one transport: the fixed ones, and the private key of each `dkim.keys[N]`. */
function secretOptions(names: Iterable<string>): (typeof SECRETS)[number][] {
  const keys = [...names].filter((n) => /^dkim\.keys\.\d+\.privateKey$/.test(n)).map((option) => ({ option, what: 'A DKIM private key', variable: 'DKIM_PRIVATE_KEY' }));
  return [...SECRETS, ...keys];
}

const WHY = 'read it from the environment or a secret store.';

/**
 * Credentials written in the source (or a config file) rather than read from the environment. The secret
 * itself never appears in a message or a fix title.
 */
export const hardcodedCredentials: TransportRule = {
  meta: {
    id: 'nodemailer/hardcoded-credentials',
    description: 'A password, token or client secret written in the source instead of read from the environment.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(t, report) {
    const def = t.definition;
    for (const s of secretOptions(def.options.keys())) {
      const o = def.options.get(s.option);
      // Values from process.env / .env files are where secrets belong.
      if (!o || o.env || typeof o.value !== 'string' || o.value === '') continue;
      const how = o.literal ? 'written in the source' : 'a constant in the source';
      const fixes: Fix[] | undefined =
        o.literal && def.source === 'nodemailer' && o.file === def.file
          ? [{ title: `Read it from process.env.${s.variable}`, edits: [{ range: o.range, newText: `process.env.${s.variable}` }] }]
          : undefined;
      report({ option: s.option, message: `${s.what} is ${how} (${s.option}: ${REDACTED}); ${WHY}`, fixes });
    }

    const u = parsedUrl(t);
    if (!u || u.option.env || !u.url.userInfoSpan) return;
    const info = u.text.slice(u.url.userInfoSpan.start, u.url.userInfoSpan.end);
    const colon = info.indexOf(':');
    if (colon < 0 || colon === info.length - 1) return;
    const start = u.url.userInfoSpan.start + colon + 1;
    const range = rangeInValue(def, u.option, start, u.url.userInfoSpan.end);
    // The query may hold a password of its own (`?pass=…`).
    const redactedUrl = redactText(u.text.slice(0, start) + REDACTED + u.text.slice(u.url.userInfoSpan.end));
    report({
      option: range ? undefined : 'url',
      range,
      message: `A password is ${u.option.literal ? 'written' : 'a constant'} in the SMTP URL (${redactedUrl.length > 60 ? redactedUrl.slice(0, 57) + '...' : redactedUrl}); ${WHY}`,
    });
  },
};
