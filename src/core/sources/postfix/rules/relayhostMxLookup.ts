import type { PostfixRule } from '../postfixRule';
import { relayhostEntries } from '../relayhost';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * relayhost without brackets: Postfix looks up the MX records of the name and delivers to those hosts,
 * which is rarely what a smarthost setting means. A bare IPv4 address is not flagged: Postfix's DNS
 * lookup refuses numeric names (dns_lookup() returns "not found") and it then connects to the address
 * directly.
 */
export const relayhostMxLookup: PostfixRule = {
  meta: {
    id: 'postfix/relayhost-mx-lookup',
    description: 'relayhost names a host without [brackets], so Postfix delivers to its MX hosts instead.',
    defaultSeverity: 'information',
    fixable: true,
  },
  check(instance, report) {
    const p = instance.main?.effective.get('relayhost');
    if (!p) return;
    for (const e of relayhostEntries(p)) {
      if (e.bracketed || IPV4.test(e.host)) continue;
      const suggestion = `[${e.host}]` + (e.port !== undefined ? `:${e.port}` : '');
      report({
        file: 'main',
        span: e.span,
        message: `Without [ ] Postfix sends to the MX hosts of "${e.host}"; write "${suggestion}" for that host.`,
        fixes: [{ title: `Change to "${suggestion}"`, edits: [{ span: e.span, newText: suggestion }], preferred: true }],
      });
    }
  },
};
