// An app's outgoing mail, with the mistakes that cause "wrong version number" and blocked port 25.
import nodemailer from 'nodemailer';

const auth = { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS };

// SMTP_SECURE is the string "false", which is truthy: TLS is started on port 587.
export const transactional = nodemailer.createTransport({
  host: process.env.SMTP_HOST,
  port: Number(process.env.SMTP_PORT) || 587,
  secure: process.env.SMTP_SECURE,
  auth,
});

// A newsletter relay on port 25 with certificate checks switched off.
export const newsletter = nodemailer.createTransport({
  host: 'relay.example.net',
  port: 25,
  auth: { user: 'news@example.net', pass: 'correct-horse-battery-staple' },
  tls: { rejectUnauthorized: false },
});

// A typo in a well-known service name.
export const support = nodemailer.createTransport({ service: 'gmial', auth });
