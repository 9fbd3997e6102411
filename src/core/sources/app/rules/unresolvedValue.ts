import type { TransportRule } from '../transportRule';

/** The options that decide where and how mail is sent. */
const OPTIONS = ['url', 'service', 'host', 'port', 'secure'] as const;

/** A connection setting read from an environment variable that no .env file in the workspace sets. */
export const unresolvedValue: TransportRule = {
  meta: {
    id: 'nodemailer/unresolved-value',
    description: 'host, port, secure, service or url comes from an environment variable that no .env file this code loads sets.',
    defaultSeverity: 'information',
    fixable: false,
  },
  check(t, report) {
    for (const key of OPTIONS) {
      const o = t.definition.options.get(key);
      // `process.env.X || 587` has a value: the default in the code.
      if (!o || o.value !== undefined || o.unresolved?.reason !== 'env') continue;
      const variable = o.env?.name;
      // Said without naming other folders: the answer for this file must not depend on what else was checked.
      report({
        option: key,
        message: variable
          ? `${key} comes from ${variable}, which no .env file this code loads sets; it is checked once it is set.`
          : `${key} depends on an environment variable no .env file this code loads sets; it is checked once set.`,
        // "... (example in .env.example: 127.0.0.1)": what a template documents, never taken as the value.
        ...(/\(example in /.test(o.unresolved.description) ? { details: `${o.unresolved.description}.` } : {}),
      });
    }
  },
};
