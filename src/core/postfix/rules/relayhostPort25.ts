import { relayhostEntries } from '../relayhost';
import type { PostfixRule } from '../postfixRule';

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
