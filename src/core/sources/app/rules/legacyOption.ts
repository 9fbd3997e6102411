import type { Fix } from '../../../model';
import type { OptionValue } from '../transport';
import type { TransportRule } from '../transportRule';

/**
 * Option names nodemailer 7 does not read but that copied code still uses. nodemailer reads (smtp-transport,
 * smtp-pool, smtp-connection): host, port, secure, requireTLS, ignoreTLS, opportunisticTLS, service, url,
 * name, localAddress, auth.{user, pass, type, ...}, authMethod, tls.{...}, servername, connection/greeting/
 * socket/dns timeouts, pool, maxConnections, maxMessages, rateDelta, rateLimit, proxy, logger, debug, ...
 */
interface Legacy {
  /** The current option to rename it to (the last part of its dotted name), if there is one. */
  readonly renameTo?: string;
  /** Where the name comes from and what nodemailer does without it. */
  readonly why: string;
}

const SECURE_WHY =
  'nodemailer decides implicit TLS by `secure` alone (when secure is not set: TLS at once only on port 465, STARTTLS when offered on any other port)';

/** Exact names (the flattened option name as written). */
const EXACT: Readonly<Record<string, Legacy>> = {
  secureConnection: { renameTo: 'secure', why: `secureConnection is nodemailer 0.x's name for secure; ${SECURE_WHY}` },
  ssl: { renameTo: 'secure', why: `ssl is another library's name (emailjs, PHPMailer ports) for secure; ${SECURE_WHY}` },
  hostname: { renameTo: 'host', why: 'nodemailer reads host; without it, it connects to localhost' },
  'auth.password': {
    renameTo: 'pass',
    why: 'nodemailer reads auth.pass: without it the login fails before it starts with "Missing credentials for "PLAIN"" (EAUTH)',
  },
  'auth.username': {
    renameTo: 'user',
    why: 'nodemailer reads auth.user: without it the login fails before it starts with "Missing credentials for "PLAIN"" (EAUTH)',
  },
  user: { why: 'the login belongs in auth: { user, pass }; at the top level nodemailer ignores it and sends without logging in ("530 5.7.0 Authentication Required")' },
  pass: { why: 'the login belongs in auth: { user, pass }; at the top level nodemailer ignores it and sends without logging in ("530 5.7.0 Authentication Required")' },
  password: { why: 'the login belongs in auth: { user, pass }; at the top level nodemailer ignores it and sends without logging in ("530 5.7.0 Authentication Required")' },
  username: { why: 'the login belongs in auth: { user, pass }; at the top level nodemailer ignores it and sends without logging in ("530 5.7.0 Authentication Required")' },
  rejectUnauthorized: { why: 'Node TLS options go inside tls: { ... }; nodemailer passes only tls.* to the TLS socket, so at the top level it does nothing' },
  ciphers: { why: 'Node TLS options go inside tls: { ... }; nodemailer passes only tls.* to the TLS socket, so at the top level it does nothing' },
  minVersion: { why: 'Node TLS options go inside tls: { ... }; nodemailer passes only tls.* to the TLS socket, so at the top level it does nothing' },
  secureProtocol: { why: 'Node TLS options go inside tls: { ... }; nodemailer passes only tls.* to the TLS socket, so at the top level it does nothing' },
  ca: { why: 'Node TLS options go inside tls: { ... }; nodemailer passes only tls.* to the TLS socket, so at the top level it does nothing' },
};

const OAUTH_WHY =
  "is the XOAUTH2 setting of nodemailer 0.x-2.x; nodemailer 7 ignores it and expects auth: { type: 'OAuth2', user, clientId, clientSecret, refreshToken } (or accessToken)";

/** The legacy meaning of an option name, if it has one. */
function legacyOf(name: string, o: OptionValue): Legacy | undefined {
  if (Object.hasOwn(EXACT, name)) return EXACT[name];
  const lower = name.toLowerCase();
  // `tls: true` (emailjs: "use STARTTLS"): nodemailer's tls is an object of Node TLS options.
  if (name === 'tls' && typeof o.value === 'boolean') {
    return o.value
      ? { renameTo: 'requireTLS', why: 'nodemailer\'s tls is an object of Node TLS options (tls: { servername, ca, ... }), so tls: true is ignored; STARTTLS is used whenever the server offers it, and requireTLS: true insists on it' }
      : { why: "nodemailer's tls is an object of Node TLS options, so tls: false is ignored and STARTTLS is still used when offered (ignoreTLS: true turns it off, which sends the login in plain text)" };
  }
  if ((lower === 'requiretls' && name !== 'requireTLS') || lower === 'starttls' || lower === 'usestarttls' || lower === 'requiressl') {
    return { renameTo: 'requireTLS', why: 'nodemailer reads requireTLS (this exact spelling) to insist on STARTTLS' };
  }
  if (lower === 'ignoretls' && name !== 'ignoreTLS') return { renameTo: 'ignoreTLS', why: 'nodemailer reads ignoreTLS (this exact spelling)' };
  if (/^auth\.(xoauth2|xoauthtoken)(\.|$)/.test(lower)) return { why: `auth.${name.split('.')[1]} ${OAUTH_WHY}` };
  return undefined;
}

/** The fix in a few words, for a name with no direct replacement (the why is in the rule's docs). */
function hintOf(why: string): string {
  if (why.includes('auth: { user, pass }')) return 'put the login in auth: { user, pass }.';
  if (why.includes('inside tls:')) return 'move it into tls: { ... }.';
  if (/oauth/i.test(why)) return "use auth: { type: 'OAuth2', user, clientId, clientSecret, refreshToken }.";
  if (why.includes('tls: false')) return 'remove it (ignoreTLS: true would switch STARTTLS off and send in clear).';
  return 'see the rule docs for what to use.';
}

/** Option names nodemailer ignores: nodemailer 0.x names, other libraries' names, misplaced login or TLS settings. */
export const legacyOption: TransportRule = {
  meta: {
    id: 'nodemailer/legacy-option',
    description: 'An option nodemailer does not read: an old or other library\'s name (secureConnection, ssl, tls: true, auth.password), or a misplaced one.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(t, report) {
    const def = t.definition;
    // Config files and .env are read by the application, which may map its own names.
    if (def.source !== 'nodemailer') return;
    const reported = new Set<string>();
    for (const [name, o] of def.options) {
      const legacy = legacyOf(name, o);
      if (!legacy) continue;
      // auth.XOAuth2.user, auth.XOAuth2.clientId, ...: one finding for the object.
      const group = name.split('.').slice(0, 2).join('.');
      const oauth = /^auth\.xoauth/i.test(name);
      if (oauth) {
        if (reported.has(group)) continue;
        reported.add(group);
      }
      const parent = name.includes('.') ? name.slice(0, name.lastIndexOf('.') + 1) : '';
      const target = legacy.renameTo ? parent + legacy.renameTo : undefined;
      const fixes: Fix[] = [];
      if (target && def.options.has(target)) {
        if (o.removeRange) fixes.push({ title: `Remove ${name} (${target} is already set)`, edits: [{ range: o.removeRange, newText: '' }], preferred: true });
      } else if (legacy.renameTo && o.keyRange) {
        fixes.push({ title: `Rename to ${legacy.renameTo}`, edits: [{ range: o.keyRange, newText: legacy.renameTo }], preferred: true });
      }
      const advice = target
        ? def.options.has(target)
          ? `${target} is already set, so remove ${name}.`
          : `use ${target}${typeof o.value === 'boolean' ? `: ${o.value}` : ''} instead.`
        : hintOf(legacy.why);
      report({
        option: name,
        range: o.keyRange,
        message: `nodemailer ignores ${oauth ? group : name}; ${advice}`,
        fixes: fixes.length ? fixes : undefined,
      });
    }
  },
};
