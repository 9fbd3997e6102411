import type { Fix, TextEdit } from '../../../model';
import type { TransportRule } from '../transportRule';
import type { EffectiveTransport } from '../effectiveTransport';
import { isLoopbackHost, replaceLiteral, usesImplicitTls } from './common';

/** A login sent over a connection that may stay (or always stays) unencrypted. */
export const plaintextAuth: TransportRule = {
  meta: {
    id: 'nodemailer/plaintext-auth',
    description: 'Credentials are sent on a connection that never requires TLS (ignoreTLS, or STARTTLS only if offered).',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(t, report) {
    const def = t.definition;
    // secure: false on 465 never gets as far as the login (nodemailer/secure-port-mismatch reports it).
    if (!t.authPresent || usesImplicitTls(t) !== false || t.port.value === 465) return;
    const host = t.host.value;
    if (host !== undefined && isLoopbackHost(host)) return;
    const to = host === undefined ? 'the server' : host;
    const requireOption = def.options.get('requireTLS');

    /** The edit that makes requireTLS true: set the written option, or add it. */
    const requireEdit = (): TextEdit | undefined => {
      return requireOption ? replaceLiteral(requireOption, 'true') : def.addOption('requireTLS', true);
    };

    if (t.ignoreTLS) {
      const ignore = def.options.get('ignoreTLS');
      const fromOption = ignore !== undefined && ignore.value !== undefined && !!ignore.value && !urlSets(t, 'ignoreTLS');
      const off = fromOption ? replaceLiteral(ignore, 'false') : undefined;
      const req = off ? requireEdit() : undefined;
      const fixes: Fix[] = [];
      if (off && req) fixes.push({ title: 'Set ignoreTLS: false and requireTLS: true', edits: [off, req], preferred: true });
      if (off) fixes.push({ title: 'Set ignoreTLS: false', edits: [off] });
      report({
        option: fromOption ? 'ignoreTLS' : 'url',
        message: `ignoreTLS sends the login and mail to ${to} in plain text; remove it and set requireTLS: true (or use 465 with secure).`,
        fixes: fixes.length ? fixes : undefined,
      });
      return;
    }
    if (t.requireTLS) return;

    const at = (['requireTLS', 'secure', 'port', 'host'] as const).find((k) => def.options.has(k) && !(k === 'requireTLS' && urlSets(t, k)));
    const option = t.secure.origin === 'url' || t.port.origin === 'url' ? 'url' : t.secure.origin === 'service' || t.port.origin === 'service' ? 'service' : at;
    const edit = urlSets(t, 'requireTLS') ? undefined : requireEdit();
    report({
      option,
      message: `The login to ${to} uses STARTTLS only if offered, so it can be sent in clear; set requireTLS: true (or use 465 with secure).`,
      fixes: edit ? [{ title: 'Set requireTLS: true', edits: [edit], preferred: true }] : undefined,
    });
  },
};

/** Whether the URL's query sets this flag (it then wins over the options object). */
function urlSets(t: EffectiveTransport, flag: string): boolean {
  const v = t.definition.options.get('url')?.value;
  return typeof v === 'string' && new RegExp(`[?&]${flag}=`).test(v);
}
