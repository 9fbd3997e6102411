import type { MainCfParameter, Span } from '../mainCf';
import type { PostfixRule } from '../postfixRule';

/** One destination of `relayhost` (Postfix ≥ 3.5 accepts a comma/space separated list). */
export interface RelayhostEntry {
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
    const text = m[0];
    const start = m.index ?? 0;
    if (text.includes('$')) continue;
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
    out.push({ text, span: p.spanOfValue(start, start + text.length), host, bracketed, port });
  }
  return out;
}

/**
 * A relayhost on port 25. Many ISPs and cloud providers block outbound port 25, and smarthosts expect
 * authenticated clients on the submission port instead.
 */
export const relayhostPort25: PostfixRule = {
  meta: {
    id: 'postfix/relayhost-port-25',
    description: 'relayhost sends to port 25, which ISPs and clouds often block; smarthosts expect port 587.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    const p = instance.main?.effective.get('relayhost');
    if (!p) return;
    for (const e of relayhostEntries(p)) {
      if (e.port !== undefined && e.port !== '25' && e.port !== 'smtp') continue;
      const suggestion = `[${e.host}]:587`;
      const how = e.port === undefined ? 'has no port, so Postfix uses port 25' : `uses port ${e.port === 'smtp' ? '25 (smtp)' : '25'}`;
      report({
        file: 'main',
        span: e.span,
        message:
          `relayhost "${e.text}" ${how}. Outbound port 25 is commonly blocked by ISPs and cloud providers (mail then ` +
          `sits in the queue with "Connection timed out"), and smarthosts usually accept mail from customers only on ` +
          `the submission port. Use "${suggestion}" with STARTTLS and SASL (smtp_tls_security_level = encrypt, ` +
          `smtp_sasl_auth_enable = yes).`,
        fixes: [{ title: `Change to "${suggestion}"`, edits: [{ span: e.span, newText: suggestion }] }],
      });
    }
  },
};
