import type { TransportRule } from '../transportRule';

/** The options that decide where and how mail is sent. */
const OPTIONS = ['url', 'service', 'host', 'port', 'secure'] as const;

const WHEN_UNSET: Readonly<Record<(typeof OPTIONS)[number], string>> = {
  url: 'nodemailer gets no URL and connects to localhost:587',
  service: 'nodemailer ignores service and uses host and port',
  host: 'nodemailer connects to localhost',
  port: 'nodemailer uses port 587 (465 with secure: true)',
  secure: 'nodemailer uses plain text with STARTTLS (TLS at once on port 465)',
};

/** A connection setting read from an environment variable that no .env file in the workspace sets. */
export const unresolvedValue: TransportRule = {
  meta: {
    id: 'nodemailer/unresolved-value',
    description: 'host, port, secure, service or url comes from an environment variable no .env file sets.',
    defaultSeverity: 'information',
    fixable: false,
  },
  check(t, report) {
    for (const key of OPTIONS) {
      const o = t.definition.options.get(key);
      // `process.env.X || 587` has a value: the default in the code.
      if (!o || o.value !== undefined || o.unresolved?.reason !== 'env') continue;
      const variable = o.env?.name;
      report({
        option: key,
        message:
          (variable
            ? `${key} comes from ${variable}, which no .env file in the workspace sets`
            : `${key} depends on an environment variable no .env file in the workspace sets (${o.unresolved.description})`) +
          `: its value is only known at run time, so the checks that need it are skipped. If ${variable ?? 'it'} is ` +
          `unset when the app runs, ${WHEN_UNSET[key]}. ` +
          `Add it to a .env file (or .env.example) to have it checked.`,
      });
    }
  },
};
