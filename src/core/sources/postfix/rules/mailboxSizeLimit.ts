import type { PostfixInstance } from '../instance';
import type { PostfixReport, PostfixRule } from '../postfixRule';
import { listTokens } from '../serviceScope';
import { isTemplated } from '../template';
import { serviceCommand, serviceName } from '../masterCf';

const MESSAGE = 'message_size_limit';

/** A whole number as Postfix reads it, or undefined when the value is not one (another rule's business). */
function limitOf(instance: PostfixInstance, name: string): number | undefined {
  const v = (instance.effectiveValue(name) ?? '').trim();
  return /^\d+$/.test(v) && !isTemplated(v) ? Number(v) : undefined;
}

/**
 * Whether mail for a class of domains goes to a delivery agent running `command`: the transport parameter
 * (local_transport, virtual_transport) names a master.cf service running it. Without master.cf, Postfix's
 * standard services: the transport name is the command.
 */
function deliversWith(instance: PostfixInstance, transportParameter: string, command: string): boolean {
  const transport = (instance.effectiveValue(transportParameter) ?? '').trim();
  if (isTemplated(transport)) return false;
  const service = transport.split(':')[0];
  if (!instance.master) return service === command;
  return instance.master.services.some((s) => serviceName(s) === service && serviceCommand(s) === command);
}

/** Whether a domain list really lists something (a template value is unknown: not "something"). */
function lists(instance: PostfixInstance, name: string): boolean {
  const v = instance.effectiveValue(name) ?? '';
  return !isTemplated(v) && listTokens(v).length > 0;
}

/**
 * local(8) and virtual(8) refuse to run when their mailbox limit is below message_size_limit (or when
 * messages are unlimited but mailboxes are not): "fatal: configuration error: mailbox_size_limit is
 * smaller than message_size_limit", and mail to local or virtual mailboxes stays in the queue.
 */
export const mailboxSizeLimit: PostfixRule = {
  meta: {
    id: 'postfix/mailbox-size-limit',
    description: 'mailbox_size_limit or virtual_mailbox_limit below message_size_limit: local(8)/virtual(8) stop with a fatal error.',
    defaultSeverity: 'error',
    fixable: true,
  },
  check(instance, report) {
    const main = instance.main;
    if (!main || main.template?.opaque) return;
    const message = limitOf(instance, MESSAGE);
    if (message === undefined) return;
    const agents: { limit: string; agent: string; used: boolean }[] = [
      { limit: 'mailbox_size_limit', agent: 'local(8)', used: deliversWith(instance, 'local_transport', 'local') && lists(instance, 'mydestination') },
      { limit: 'virtual_mailbox_limit', agent: 'virtual(8)', used: deliversWith(instance, 'virtual_transport', 'virtual') && lists(instance, 'virtual_mailbox_domains') },
    ];
    for (const a of agents) {
      const limit = limitOf(instance, a.limit);
      if (!a.used || limit === undefined || limit === 0 || (message !== 0 && limit >= message)) continue;
      const own = main.effective.get(a.limit);
      const msg = main.effective.get(MESSAGE);
      const anchor = own ?? msg;
      if (!anchor) continue; // both are Postfix's defaults, which agree
      const fixed = message === 0 ? '0' : String(message);
      const r: PostfixReport = {
        file: 'main',
        span: anchor.value ? anchor.valueSpan : anchor.nameSpan,
        message:
          message === 0
            ? `${a.limit} is limited (${limit}) but message_size_limit is not: ${a.agent} stops with a fatal error; set ${a.limit} = 0.`
            : `${a.limit} (${limit}) is below message_size_limit (${message}): ${a.agent} stops with a fatal error; raise it.`,
        fixes: own
          ? [{ title: `Set ${a.limit} = ${fixed}`, edits: [{ span: own.value ? own.valueSpan : own.statementSpan, newText: own.value ? fixed : `${a.limit} = ${fixed}` }], preferred: true }]
          : [{ title: `Add ${a.limit} = 0 (no limit)`, edits: [{ span: { start: anchor.statementSpan.end, end: anchor.statementSpan.end }, newText: `\n${a.limit} = 0` }], preferred: true }],
        related: own && msg ? [{ file: 'main', span: msg.statementSpan, message: `message_size_limit is ${message} here` }] : undefined,
      };
      report(r);
    }
  },
};
