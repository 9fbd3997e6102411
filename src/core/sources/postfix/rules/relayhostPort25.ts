import { relayhostEntries } from '../relayhost';
import type { PostfixRule } from '../postfixRule';
import { isYes } from '../serviceScope';

/**
 * A relayhost on port 25 that the client logs in to. A smarthost that wants a login is a provider's
 * submission service, which expects port 587, and outbound port 25 is blocked by many ISPs and clouds.
 * A relay without a login is usually an internal hub that takes mail on 25 by design: not flagged.
 */
export const relayhostPort25: PostfixRule = {
  meta: {
    id: 'postfix/relayhost-port-25',
    description: 'relayhost on port 25 with a SASL login: a provider smarthost expects port 587, and port 25 is often blocked.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    const p = instance.main?.effective.get('relayhost');
    if (!p || !isYes(instance.effectiveValue('smtp_sasl_auth_enable'))) return;
    for (const e of relayhostEntries(p)) {
      if (e.port !== undefined && e.port !== '25' && e.port !== 'smtp') continue;
      const suggestion = `[${e.host}]:587`;
      report({
        file: 'main',
        span: e.span,
        message: `A login relayhost on port 25 is often blocked; smarthosts take 587: use "${suggestion}".`,
        fixes: [{ title: `Change to "${suggestion}"`, edits: [{ span: e.span, newText: suggestion }] }],
      });
    }
  },
};
