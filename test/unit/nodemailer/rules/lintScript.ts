// Shared by the nodemailer rule tests: extract the transports of a small JS/TS source and lint them.
import type { Finding } from '../../../../src/core/model';
import { EnvResolver, parseEnvFile } from '../../../../src/core/nodemailer/envFiles';
import { extractScriptTransports } from '../../../../src/core/nodemailer/extractFromScript';
import { lintTransports } from '../../../../src/core/nodemailer/lintTransports';
import type { TransportRule } from '../../../../src/core/nodemailer/transportRule';

export const SCRIPT = '/app/src/mail.js';
export const ENV = '/app/.env';

/** Lints `text` (as /app/src/mail.js) with one rule; `env` is the text of /app/.env, if any. */
export function lintScript(text: string, rule: TransportRule, env?: string, file = SCRIPT): Finding[] {
  const resolver = new EnvResolver(env === undefined ? [] : [parseEnvFile({ file: ENV, text: env })]);
  return lintTransports(extractScriptTransports({ file, text }, resolver), [rule]);
}

/** `const nodemailer = require('nodemailer'); ... createTransport({ <options> })` on line 2. */
export function transport(options: string): string {
  return `const nodemailer = require('nodemailer');\nconst t = nodemailer.createTransport({ ${options} });\n`;
}
