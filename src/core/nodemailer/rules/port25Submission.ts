import type { TextEdit } from '../../model';
import type { TransportRule } from '../transportRule';
import { isDirect, isLocalNetworkHost, parsedUrl, rangeInValue, replaceLiteral } from './common';

const WHY =
  'Outbound port 25 is blocked on most residential networks and by cloud providers (AWS, Google Cloud and Azure ' +
  'block or throttle it by default), so sending fails with "Connection timeout" (ETIMEDOUT) or ECONNREFUSED, and ' +
  'mail providers accept mail from applications on the submission ports anyway. Use port 587 with STARTTLS ' +
  '(requireTLS: true), or port 465 with secure: true.';

/** An application sending to a remote server on port 25 (server-to-server relay) instead of submission. */
export const port25Submission: TransportRule = {
  meta: {
    id: 'nodemailer/port-25-submission',
    description: 'An application sends to a remote server on port 25, which most networks and clouds block.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(t, report) {
    const def = t.definition;
    const host = t.host.value;
    // A relay on this machine or the local network (a Docker service, an internal MTA) on 25 is fine.
    if (t.port.value !== 25 || host === undefined || isLocalNetworkHost(host) || isDirect(t)) return;
    const newPort = t.secure.value === true ? '465' : '587';

    if (t.port.origin === 'service') {
      report({
        option: 'service',
        message:
          `nodemailer's well-known service "${String(t.definition.options.get('service')?.value)}" connects to ${host} on port 25. ${WHY} ` +
          `service overrides host and port, so replace it with host: '${host}' and the provider's submission port.`,
      });
      return;
    }

    if (t.port.origin === 'url') {
      const u = parsedUrl(t);
      const range = u?.url.portSpan && rangeInValue(def, u.option, u.url.portSpan.start, u.url.portSpan.end);
      report({
        option: range ? undefined : 'url',
        range: range || undefined,
        message: `The URL sends to ${host} on port 25. ${WHY}`,
        fixes: range ? [{ title: `Use port ${newPort}`, edits: [{ range, newText: newPort }], preferred: true }] : undefined,
      });
      return;
    }

    const edit: TextEdit | undefined = replaceLiteral(t.port.option, newPort);
    report({
      option: 'port',
      message: `port 25 sends to ${host} the way mail servers relay to each other. ${WHY}`,
      fixes: edit ? [{ title: `Use port ${newPort}`, edits: [edit], preferred: true }] : undefined,
    });
  },
};
