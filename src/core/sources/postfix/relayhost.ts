import type { Endpoint, EndpointSecurity } from '../../model';
import { REDACTED } from '../../redact';
import type { PostfixInstance } from './instance';
import type { MainCfParameter, Span } from './mainCf';
import { isTemplated } from './template';

/** One destination of `relayhost` (Postfix ≥ 3.5 accepts a comma/space separated list). */
export interface RelayhostEntry {
  /** The entry as written, with any `user:password@` before the host masked. */
  readonly text: string;
  /** Source span of the whole entry. */
  readonly span: Span;
  /** The host as written, without brackets (`ipv6:2001:db8::1` stays as is). */
  readonly host: string;
  /** `[host]`: connect to the host itself, no MX lookup. */
  readonly bracketed: boolean;
  /** The port or service name after the host; undefined when none is given (port 25). */
  readonly port?: string;
}

/** The literal destinations in a relayhost statement; entries with $names or odd syntax are left out. */
export function relayhostEntries(p: MainCfParameter): RelayhostEntry[] {
  const out: RelayhostEntry[] = [];
  for (const m of p.value.matchAll(/[^\s,]+/g)) {
    const written = m[0];
    const start = m.index ?? 0;
    // $names and template code are not literal destinations.
    if (written.includes('$') || isTemplated(written)) continue;
    // `[user:password@host]:587` is not relayhost syntax (Postfix reads logins from smtp_sasl_password_maps),
    // but people write it: keep the host, and let the password reach no message, endpoint or DNS lookup.
    const at = written.lastIndexOf('@');
    const open = written.startsWith('[') ? '[' : '';
    const text = at < 0 ? written : `${open}${written.slice(at + 1)}`;
    let host: string;
    let port: string | undefined;
    let bracketed = false;
    if (text.startsWith('[')) {
      const close = text.indexOf(']');
      if (close < 0) continue;
      bracketed = true;
      host = text.slice(1, close);
      const rest = text.slice(close + 1);
      if (rest !== '' && !rest.startsWith(':')) continue;
      port = rest ? rest.slice(1) : undefined;
    } else {
      const colon = text.indexOf(':');
      host = colon < 0 ? text : text.slice(0, colon);
      port = colon < 0 ? undefined : text.slice(colon + 1);
      if (port !== undefined && port.includes(':')) continue; // an unbracketed IPv6 address: not a valid relayhost
    }
    if (!host) continue;
    const shown = at < 0 ? written : `${open}${REDACTED}${written.slice(at)}`;
    out.push({ text: shown, span: p.spanOfValue(start, start + written.length), host, bracketed, port });
  }
  return out;
}


/** Ports for the service names Postfix resolves through /etc/services in a relayhost. */
const SERVICE_PORTS: Readonly<Record<string, number>> = { smtp: 25, submission: 587, smtps: 465, submissions: 465 };

/** How Postfix's SMTP client secures its connection to the relayhost. */
function clientSecurity(instance: PostfixInstance): EndpointSecurity {
  const yes = (name: string) => (instance.effectiveValue(name) ?? '').trim().toLowerCase() === 'yes';
  if (yes('smtp_tls_wrappermode')) return 'implicit-tls';
  const level = (instance.effectiveValue('smtp_tls_security_level') ?? '').trim().toLowerCase();
  if (['encrypt', 'verify', 'secure', 'dane-only', 'fingerprint'].includes(level)) return 'starttls-required';
  if (level === 'may' || level === 'dane') return 'starttls-opportunistic';
  if (level === 'none') return 'none';
  if (yes('smtp_enforce_tls')) return 'starttls-required';
  return yes('smtp_use_tls') ? 'starttls-opportunistic' : 'none';
}

/** The smarthosts main.cf's relayhost sends to, as endpoints for the live checks. */
export function relayhostEndpoints(instance: PostfixInstance): Endpoint[] {
  const main = instance.main;
  const p = main?.effective.get('relayhost');
  if (!main || !p) return [];
  const security = clientSecurity(instance);
  const authPresent = (instance.effectiveValue('smtp_sasl_auth_enable') ?? '').trim().toLowerCase() === 'yes';
  return relayhostEntries(p).map((e) => {
    // hasOwn: a port written `constructor` or `__proto__` is an unknown service, not a property of Object.prototype.
    const port = e.port === undefined ? 25 : /^\d+$/.test(e.port) ? Number(e.port) : Object.hasOwn(SERVICE_PORTS, e.port) ? SERVICE_PORTS[e.port] : undefined;
    const range = main.range(e.span);
    return {
      host: e.host.replace(/^ipv6:/i, ''),
      port,
      security,
      authPresent,
      source: 'postfix-relayhost',
      sourceLabel: 'Postfix relayhost',
      file: main.source.file,
      range,
      optionRanges: { relayhost: { file: main.source.file, range } },
    };
  });
}
