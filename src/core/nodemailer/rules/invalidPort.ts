import type { TransportRule } from '../transportRule';
import { shown } from './common';

/** A `port` option nodemailer cannot connect to: not an integer in 1..65535. */
export const invalidPort: TransportRule = {
  meta: {
    id: 'nodemailer/invalid-port',
    description: '`port` is not a whole number from 1 to 65535.',
    defaultSeverity: 'error',
    fixable: false,
  },
  check(t, report) {
    // A port the service or URL overrides is never used (and URL ports are nodemailer/invalid-url's).
    if (t.port.origin !== 'option' || !t.port.option) return;
    const o = t.port.option;
    const v = o.value;
    if (v === undefined) return;
    // smtp-connection: Number(options.port) || (secure ? 465 : 587); net.connect then validates it.
    const n = Number(v);
    if (typeof v !== 'boolean' && Number.isInteger(n) && n >= 1 && n <= 65535) return;
    const fallback = t.secure.value === true ? 465 : 587;
    const effect =
      typeof v === 'boolean' && v
        ? 'Number(true) is 1, so nodemailer connects to port 1.'
        : !n
        ? `Number(port) is ${Number.isNaN(n) ? 'NaN' : '0'}, so nodemailer silently falls back to port ${fallback} ` +
          `(the default for secure: ${t.secure.value === true}), which may not be the port you meant.`
        : `nodemailer passes it on and the connection fails with "RangeError [ERR_SOCKET_BAD_PORT]: Port should be ` +
          `>= 0 and < 65536".`;
    report({
      option: 'port',
      message: `port is ${typeof v === 'number' && Number.isNaN(v) ? 'NaN' : shown(o)}, not a whole number from 1 to 65535: ${effect}`,
    });
  },
};
