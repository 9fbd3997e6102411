import type { TransportRule } from '../transportRule';
import { isLoopbackHost, parsedUrl, rangeInValue, replaceLiteral, shown } from './common';

const KEY = 'tls.rejectUnauthorized';

const WHY = 'the server certificate is not checked; fix what this hides instead (tls.ca, or the name on the certificate).';

// Node's TLS tests truthiness: false, 0 and "" turn verification off; the string "false" does not.
const falsy = (v: unknown) => v === false || v === 0 || v === '';

/** `tls.rejectUnauthorized: false` (or `?tls.rejectUnauthorized=false` in the URL): certificates are not verified. */
export const tlsVerifyDisabled: TransportRule = {
  meta: {
    id: 'nodemailer/tls-verify-disabled',
    description: '`tls.rejectUnauthorized` is false: the server certificate is not verified.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(t, report) {
    const def = t.definition;
    // On this machine nobody sits between client and server.
    if (t.host.value !== undefined && isLoopbackHost(t.host.value)) return;
    const u = parsedUrl(t);
    if (u && KEY in u.url.options) {
      // URL options win over the options object.
      if (!falsy(u.url.options[KEY])) return;
      const m = new RegExp(`[?&]${KEY.replace('.', '\\.')}=([^&#]*)`).exec(u.text);
      const at = m ? (m.index ?? 0) + m[0].length - m[1].length : -1;
      const range = m ? rangeInValue(def, u.option, at, at + m[1].length) : undefined;
      report({
        option: range ? undefined : 'url',
        range,
        message: `The URL sets tls.rejectUnauthorized=${String(u.url.options[KEY])}, so ${WHY}`,
        fixes: range ? [{ title: 'Set tls.rejectUnauthorized=true', edits: [{ range, newText: 'true' }], preferred: true }] : undefined,
      });
      return;
    }
    const o = def.options.get(KEY);
    if (!o || o.value === undefined || !falsy(o.value)) return;
    const edit = replaceLiteral(o, 'true');
    report({
      option: KEY,
      message: `tls.rejectUnauthorized is ${shown(o)}, so ${WHY}`,
      fixes: edit ? [{ title: 'Set rejectUnauthorized: true', edits: [edit], preferred: true }] : undefined,
    });
  },
};
