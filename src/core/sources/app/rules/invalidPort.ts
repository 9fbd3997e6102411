import type { TransportRule } from '../transportRule';
import { shown } from './common';

/**
 * A `port` nodemailer cannot use. smtp-connection takes Number(port) || (secure ? 465 : 587): a port outside
 * 0..65535 or not whole reaches net.connect, which throws (an error); a value Number() makes 0 or NaN ("587a",
 * "", 0) is silently replaced by the default (a warning: mail may still flow, to another port than written).
 */
export const invalidPort: TransportRule = {
  meta: {
    id: 'nodemailer/invalid-port',
    description: '`port` is not a whole number from 1 to 65535: out of range (sending fails) or ignored (the default is used).',
    defaultSeverity: 'error',
    fixable: false,
  },
  check(t, report) {
    const o = t.definition.options.get('port');
    if (!o || o.value === undefined) return;
    // A port the service or URL overrides is never used (and URL ports are nodemailer/invalid-url's).
    if (t.port.origin === 'service' || t.port.origin === 'url') return;
    const v = o.value;
    const n = Number(v);
    if (t.portInvalid) {
      report({ option: 'port', message: `port ${shown(o)} is out of range, so sending fails (ERR_SOCKET_BAD_PORT); use a port from 1 to 65535.` });
      return;
    }
    if (typeof v !== 'boolean' && Number.isInteger(n) && n >= 1 && n <= 65535) return;
    if (t.port.value === undefined) return;
    report({
      option: 'port',
      severity: 'warning',
      message: `port ${typeof v === 'number' && Number.isNaN(v) ? 'NaN' : shown(o)} is not a port number, so nodemailer uses ${t.port.value}; write the port you mean.`,
    });
  },
};
