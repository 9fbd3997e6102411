import type { Fix, TextEdit } from '../../../model';
import type { TransportRule } from '../transportRule';

/** The flags nodemailer (and Node's TLS) test for truthiness, and what a truthy "false" does to each. */
const FLAGS: readonly { readonly option: string; readonly compare: string; readonly effect: string }[] = [
  {
    option: 'secure',
    compare: "=== 'true'",
    effect:
      'nodemailer starts TLS at once, so on port 587 or 25 the handshake fails with "ssl3_get_record:wrong version number" (ESOCKET)',
  },
  {
    option: 'requireTLS',
    compare: "=== 'true'",
    effect:
      'nodemailer insists on STARTTLS, so a server that does not offer it fails with "Error upgrading connection with STARTTLS" (ETLS)',
  },
  {
    option: 'ignoreTLS',
    compare: "=== 'true'",
    effect: 'nodemailer never uses STARTTLS: the login and every message go over the network in plain text',
  },
  {
    // Verification is on unless the variable says "false": the comparison keeps that default.
    option: 'tls.rejectUnauthorized',
    compare: "!== 'false'",
    effect:
      'certificates are still verified, so the "self-signed certificate" or "unable to verify the first certificate" error the variable was meant to silence stays (and an empty value turns verification off)',
  },
];

/**
 * `secure: process.env.SMTP_SECURE` (and requireTLS, ignoreTLS, tls.rejectUnauthorized): an environment
 * variable is a string, and nodemailer tests the option for truthiness, so "false" means true.
 */
export const envBooleanString: TransportRule = {
  meta: {
    id: 'nodemailer/env-boolean-string',
    description: 'A TLS flag taken straight from an environment variable: the string "false" is truthy.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(t, report) {
    const def = t.definition;
    const url = def.options.get('url')?.value;
    for (const { option, compare } of FLAGS) {
      const o = def.options.get(option);
      const shape = o?.envString;
      if (!o || !shape) continue;
      // A flag in the URL's query wins over the options object: this one is not read.
      if (typeof url === 'string' && new RegExp(`[?&]${option.replace('.', '\\.')}=`).test(url)) continue;
      const variable = o.env?.name;
      const nowFalse = typeof o.value === 'string' && /^\s*(false|0|no|off)\s*$/i.test(o.value);
      const key = option.split('.').pop() as string;
      const expression = variable ? `process.env.${variable} ${compare}` : `process.env.X ${compare}`;
      const convert = def.source === 'nodemailer' ? `compare instead: ${key}: ${expression}.` : `convert it where it is loaded (${expression}).`;
      const inFile = shape.range && o.file === def.file;

      const fixes: Fix[] = [];
      if (def.source === 'nodemailer' && shape.kind === 'bare' && inFile) {
        const r = shape.range;
        const sameAsProperty =
          !!o.optionRange &&
          o.optionRange.start.line === r.start.line &&
          o.optionRange.start.character === r.start.character &&
          o.optionRange.end.line === r.end.line &&
          o.optionRange.end.character === r.end.character;
        // `{ secure }` (shorthand) becomes `{ secure: secure === 'true' }`; TypeScript casts around the
        // variable go (`process.env.X as unknown as boolean` → `process.env.X === 'true'`), or the
        // comparison would be between a boolean and a string.
        const inner = shape.inner ?? r;
        const edit: TextEdit = sameAsProperty
          ? { range: r, newText: `${key}: ${key} ${compare}` }
          : { range: { start: inner.end, end: r.end }, newText: ` ${compare}` };
        fixes.push({ title: `Compare: ${compare}`, edits: [edit], preferred: true });
      }
      report({
        option,
        range: inFile ? shape.range : undefined,
        message: `${option} is ${variable ?? 'a variable'} as a string, so "false" means true${nowFalse ? ' (it is now)' : ''}; ${convert}`,
        fixes: fixes.length ? fixes : undefined,
      });
    }
  },
};
