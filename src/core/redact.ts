// Secrets must never reach a message, hover, log or report in clear.

// `pas+w(or)?d` also catches the misspellings people make (pasword, paswd), e.g. smtp_sasl_pasword_maps.
// `_pw` ends LDAP's bind_pw and friends.
const SECRET_NAME = /(pass|pas+w(or)?d|pwd|secret|token|api[_-]?key|credential|_pw\b|^pw$)/i;

export const REDACTED = '••••••';

/** Whether a parameter or option name says its value is a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * A value safe to show. Postfix values can embed credentials inline (`static:user:pass`,
 * `inline:{ host = user:pass }`), so any value of a secret-named parameter is shown only by its table type.
 */
export function redactValue(name: string, value: string): string {
  if (!isSecretName(name) || value === '') return value;
  const table = /^([a-z0-9_]+):/i.exec(value);
  if (table && !/^(static|inline|texthash|randmap|pipemap|unionmap)$/i.test(table[1])) return value;
  return table ? `${table[1]}:${REDACTED}` : REDACTED;
}

/**
 * Free text (a log line, a server reply, an error) with anything that looks like a credential masked:
 * the password of a URL (`smtp://user:pass@host`) or of a bare `user:pass@host` (as written in a relayhost),
 * and the value after a secret-named key (`pass=…`, `password: …`). Masking twice changes nothing.
 */
export function redactText(text: string): string {
  // Every pattern below needs an "@" or a secret-like key: most texts (every lint message) have neither.
  if (!text.includes('@') && !SECRET_NAME.test(text)) return text;
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, `$1${REDACTED}@`)
    .replace(/\b((?:[A-Za-z0-9_-]*(?:pass(?:word|wd)?|pas+w(?:or)?d|pwd|secret|token|api[_-]?key|credential|_pw\b)[A-Za-z0-9_-]*)["']?\s*[:=]\s*)(?!•)("[^"]*"|'[^']*'|[^\s,;}]+)/gi, `$1${REDACTED}`)
    .replace(/(^|[\s[(<,"'=])((?!mailto:|email:)[^\s:@[\]()<>,"'=/]+:)[^\s@[\]/]+@(?=[A-Za-z0-9[])/gi, `$1$2${REDACTED}@`);
}

/** A copy of JSON-like data (live-check results as reports print them) with every string passed through redactText. */
export function redactStrings<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactStrings(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactText(k), redactStrings(v)])) as T;
  }
  return value;
}
