// Shared by the nodemailer rule tests: where a case's files live, and a one-line transport to put options in.

export const SCRIPT = '/app/src/mail.js';
export const ENV = '/app/.env';

/** `const nodemailer = require('nodemailer'); ... createTransport({ <options> })` on line 2. */
export function transport(options: string): string {
  return `const nodemailer = require('nodemailer');\nconst t = nodemailer.createTransport({ ${options} });\n`;
}
