import type { TransportRule } from '../transportRule';
import { isDirect, isLoopbackHost, parsedUrl, rangeInValue, usesImplicitTls } from './common';

/** An IPv4 or IPv6 address literal (brackets allowed), not a name. */
export function isIpLiteral(host: string): boolean {
  const h = host.trim().replace(/^\[|\]$/g, '');
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) return v4.slice(1).every((p) => Number(p) <= 255);
  return h.includes(':') && /^[0-9a-f:.]+(%[\w.-]+)?$/i.test(h) && (h.match(/::/g) ?? []).length <= 1;
}

// Node's TLS tests truthiness: false, 0 and "" turn verification off.
const falsy = (v: unknown) => v === false || v === 0 || v === '';

/**
 * host is an IP address, TLS is used (implicit, or STARTTLS that is not ignored) and no servername is
 * set: Node verifies the certificate against the IP address, which certificates practically never list.
 */
export const ipHostWithoutServername: TransportRule = {
  meta: {
    id: 'nodemailer/ip-host-without-servername',
    description: 'host is an IP address and TLS is used without tls.servername: the certificate cannot match (ERR_TLS_CERT_ALTNAME_INVALID).',
    defaultSeverity: 'warning',
    fixable: false,
  },
  check(t, report) {
    const def = t.definition;
    const host = t.host.value;
    if (host === undefined || (t.host.origin !== 'option' && t.host.origin !== 'url') || !isIpLiteral(host) || isDirect(t)) return;
    const o = def.options;
    // nodemailer reads servername at the top level too (smtp-connection); a custom check decides itself.
    if (o.has('servername') || o.has('tls.servername') || o.has('tls.checkServerIdentity')) return;
    const u = parsedUrl(t);
    if (u && 'tls.servername' in u.url.options) return;
    // With verification off nothing fails (nodemailer/tls-verify-disabled is about that); unknown: say nothing.
    const verify = u && 'tls.rejectUnauthorized' in u.url.options ? u.url.options['tls.rejectUnauthorized'] : o.has('tls.rejectUnauthorized') ? o.get('tls.rejectUnauthorized')?.value : true;
    if (verify === undefined || falsy(verify)) return;

    const implicit = usesImplicitTls(t);
    if (implicit === undefined) return;
    if (!implicit && t.ignoreTLS) return;
    // Mail catchers on this machine (MailHog, Mailpit, smtp4dev) do not offer STARTTLS: nothing to verify.
    if (!implicit && !t.requireTLS && isLoopbackHost(host)) return;

    const ip = host.replace(/^\[|\]$/g, '');
    let range;
    let option: string | undefined = 'host';
    if (t.host.origin === 'url' && u) {
      range = u.url.hostSpan ? rangeInValue(def, u.option, u.url.hostSpan.start, u.url.hostSpan.end) : undefined;
      option = range ? undefined : 'url';
    }
    report({
      option,
      range,
      message: `host is the IP ${ip}, which the certificate will not name (TLS fails); connect by name or set tls.servername.`,
    });
  },
};
