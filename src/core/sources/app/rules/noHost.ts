import type { TransportRule } from '../transportRule';

/**
 * Options that say where to connect (or that nodemailer gets a ready socket / connects some other way):
 * with any of them, a missing `host` is not the default-to-localhost mistake.
 */
const DESTINATION = ['host', 'service', 'url', 'connection', 'socket', 'getSocket', 'direct'];

/**
 * A createTransport options object, fully known, with no host, service or url: nodemailer silently
 * connects to localhost:587 (465 with secure).
 */
export const noHost: TransportRule = {
  meta: {
    id: 'nodemailer/no-host',
    description: 'createTransport options with no host, service or url: nodemailer silently connects to localhost.',
    // A warning: a local relay (MailHog, Postfix on the same machine) may be meant.
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(t, report) {
    const def = t.definition;
    // Only options known in full: a spread, a parameter or a later assignment may add the host.
    if (def.source !== 'nodemailer' || !def.complete || t.kind === 'unknown') return;
    if (DESTINATION.some((k) => def.options.has(k) || [...def.options.keys()].some((name) => name.startsWith(`${k}.`)))) return;
    const port = t.port.value ?? 587;
    const edit = def.addOption('host', 'localhost');
    const misspelt = ['hostname', 'server', 'smtpHost', 'address', 'hostName'].find((k) => def.options.has(k));
    report({
      range: def.headRange,
      message: misspelt
        ? `No host: nodemailer ignores "${misspelt}" and connects to localhost:${port}; rename it to host.`
        : `No host, service or url: nodemailer connects to localhost:${port}; set host (or host: 'localhost' if meant).`,
      fixes: edit ? [{ title: "Add host: 'localhost' (the server runs on this machine)", edits: [edit] }] : undefined,
    });
  },
};
