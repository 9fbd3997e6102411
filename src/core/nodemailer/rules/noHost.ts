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
    defaultSeverity: 'error',
    fixable: true,
  },
  check(t, report) {
    const def = t.definition;
    // Only a literal object whose every property is known: a spread or a later assignment may add the host.
    if (def.source !== 'nodemailer' || !def.complete) return;
    if (DESTINATION.some((k) => def.options.has(k) || [...def.options.keys()].some((name) => name.startsWith(`${k}.`)))) return;
    const port = t.port.value ?? 587;
    const edit = def.addOption('host', 'localhost');
    report({
      range: def.headRange,
      message:
        `These transport options have no host, service or url, so nodemailer falls back to its default and connects to ` +
        `localhost:${port} without a word. Unless a mail server listens on this machine (in a container: in the ` +
        `container itself), sending fails with "connect ECONNREFUSED 127.0.0.1:${port}" (or ::1:${port}). Set host ` +
        `(e.g. host: process.env.SMTP_HOST), a well-known service, or a url. Was the key misspelt (hostname, server)?`,
      fixes: edit ? [{ title: "Add host: 'localhost' (the server runs on this machine)", edits: [edit] }] : undefined,
    });
  },
};
