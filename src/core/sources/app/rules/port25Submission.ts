import type { TextEdit } from '../../../model';
import type { TransportRule } from '../transportRule';
import { isDirect, isLocalNetworkHost, parsedUrl, rangeInValue, replaceLiteral } from './common';

const WHY = 'most networks and clouds block it; use 587 with requireTLS (or 465 with secure).';

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
        message: `The service "${String(t.definition.options.get('service')?.value)}" sends to ${host} on port 25, which ${WHY.replace('use 587', "use host: '" + host + "' and 587")}`,
      });
      return;
    }

    if (t.port.origin === 'url') {
      const u = parsedUrl(t);
      const range = u?.url.portSpan && rangeInValue(def, u.option, u.url.portSpan.start, u.url.portSpan.end);
      report({
        option: range ? undefined : 'url',
        range: range || undefined,
        message: `The URL sends to ${host} on port 25, which ${WHY}`,
        fixes: range ? [{ title: `Use port ${newPort}`, edits: [{ range, newText: newPort }], preferred: true }] : undefined,
      });
      return;
    }

    const edit: TextEdit | undefined = replaceLiteral(t.port.option, newPort);
    report({
      option: 'port',
      message: `Port 25 to ${host} is the relay port: ${WHY}`,
      fixes: edit ? [{ title: `Use port ${newPort}`, edits: [edit], preferred: true }] : undefined,
    });
  },
};
