// Demo app: three nodemailer transports, each with something to find.
const nodemailer = require('nodemailer');

// Host and port come from .env; nothing listens there.
const main = nodemailer.createTransport({
  host: process.env.SMTP_HOST,
  port: process.env.SMTP_PORT,
  secure: process.env.SMTP_SECURE === 'true',
  requireTLS: true,
  from: 'Demo <noreply@demo.test>',
});

// secure: true on port 587: nodemailer would fail with "wrong version number".
// (old-relay.demo.test is not in the demo's DNS, so it does not resolve either.)
const bulk = nodemailer.createTransport({ host: 'old-relay.demo.test', port: 587, secure: true });

module.exports = { main, bulk };
