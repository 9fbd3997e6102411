// Which login a config line defines, as its client would use it (no network here).
import * as assert from 'assert';
import { checkFiles } from '../../../src/core/check';
import { loginTargetAt } from '../../../src/core/loginTarget';

const APP = '/ws/app/mailer.js';
const MAIN = '/ws/postfix/main.cf';

function lookup(files: Record<string, string>, file: string, line: number, extra: Record<string, string> = {}) {
  const result = checkFiles(Object.entries(files).map(([f, text]) => ({ file: f, text })));
  return loginTargetAt(result, file, line, (f) => extra[f]);
}

const transport = (options: string) => `const nodemailer = require('nodemailer');\nmodule.exports = nodemailer.createTransport(${options});\n`;

describe('the login a config line defines', () => {
  it('reads a nodemailer transport: host, port, TLS mode, user, password, method, certificate checks, EHLO name', () => {
    const r = lookup({ [APP]: transport("{ host: 'smtp.example.test', port: 587, requireTLS: true, name: 'app.example.test', auth: { user: 'u@example.test', pass: 'p4ss', method: 'LOGIN' }, tls: { rejectUnauthorized: false } }") }, APP, 1);
    assert.ok(r.ok, !r.ok ? r.reason : '');
    if (!r.ok) return;
    const { password, ...shown } = r.login.target;
    assert.strictEqual(password, 'p4ss');
    assert.deepStrictEqual(shown, { host: 'smtp.example.test', port: 587, mode: 'starttls-required', user: 'u@example.test', client: 'nodemailer', method: 'LOGIN', verifyCertificate: false, ehloName: 'app.example.test' });
    assert.strictEqual(r.login.source, 'nodemailer');
  });

  it('takes the login from an smtps:// URL (decoded) and from the .env file process.env reads', () => {
    const url = lookup({ [APP]: transport("'smtps://u%40example.test:p%2Fw@smtp.example.test'") }, APP, 1);
    assert.ok(url.ok);
    if (url.ok) assert.deepStrictEqual([url.login.target.mode, url.login.target.port, url.login.target.user, url.login.target.password, url.login.target.verifyCertificate], ['implicit', 465, 'u@example.test', 'p/w', true]);
    const env = lookup({ [APP]: transport('{ host: process.env.SMTP_HOST, port: 587, auth: { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS } }'), '/ws/app/.env': 'SMTP_HOST=smtp.example.test\nSMTP_USER=env-user\nSMTP_PASS=env-pass\n' }, APP, 1);
    assert.ok(env.ok);
    if (env.ok) assert.deepStrictEqual([env.login.target.mode, env.login.target.user, env.login.target.password], ['starttls-opportunistic', 'env-user', 'env-pass']);
  });

  it('says why it cannot verify: no login, a password no .env file sets, a line with no transport', () => {
    const none = lookup({ [APP]: transport("{ host: 'smtp.example.test', port: 587 }") }, APP, 1);
    assert.deepStrictEqual(none, { ok: false, reason: 'the transport has no login (no auth.user and auth.pass)' });
    const unset = lookup({ [APP]: transport("{ host: 'smtp.example.test', port: 587, auth: { user: 'u', pass: process.env.NOWHERE_PASS } }") }, APP, 1);
    assert.ok(!unset.ok && /^the password is not known here \(.*NOWHERE_PASS/.test(unset.reason), JSON.stringify(unset));
    const elsewhere = lookup({ [APP]: transport("{ host: 'smtp.example.test', port: 587, auth: { user: 'u', pass: 'p' } }") }, APP, 0);
    assert.deepStrictEqual(elsewhere, { ok: false, reason: 'no mail transport or relayhost is defined at line 1 of mailer.js' });
  });

  const relayMain = (maps: string, extra = '') =>
    `compatibility_level = 3.6\nrelayhost = [smtp.isp.example]:587\nsmtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = ${maps}\nsmtp_tls_security_level = encrypt\n${extra}`;

  it("reads a relayhost's login from static:, inline: and a hash: table's text file next to main.cf, as Postfix looks it up", () => {
    const stat = lookup({ [MAIN]: relayMain('static:relay-user:relay-pass') }, MAIN, 1);
    assert.ok(stat.ok);
    if (!stat.ok) return;
    const { password, ...shown } = stat.login.target;
    assert.strictEqual(password, 'relay-pass');
    // Postfix's default smtp_sasl_tls_security_options (noplaintext) rules out PLAIN and LOGIN.
    assert.deepStrictEqual(shown, { host: 'smtp.isp.example', port: 587, mode: 'starttls-required', user: 'relay-user', client: 'postfix', excludedMechanisms: ['PLAIN', 'LOGIN'], verifyCertificate: false });
    const inline = lookup({ [MAIN]: relayMain('inline:{ [other.example]:587=x:y, [smtp.isp.example]:587=in-user:in-pass }') }, MAIN, 1);
    assert.ok(inline.ok && inline.login.target.user === 'in-user' && inline.login.target.password === 'in-pass');
    const table = lookup({ [MAIN]: relayMain('hash:/etc/postfix/sasl_passwd', 'smtp_sasl_tls_security_options = noanonymous\n') }, MAIN, 1, { '/ws/postfix/sasl_passwd': '# logins\n[smtp.isp.example]:587 table-user:table:pass\n' });
    assert.ok(table.ok);
    if (table.ok) assert.deepStrictEqual([table.login.target.user, table.login.target.password, table.login.target.excludedMechanisms], ['table-user', 'table:pass', []]);
    const missing = lookup({ [MAIN]: relayMain('hash:/etc/postfix/sasl_passwd') }, MAIN, 1);
    assert.deepStrictEqual(missing, { ok: false, reason: 'no login for [smtp.isp.example]:587 in smtp_sasl_password_maps (looked in sasl_passwd next to main.cf)' });
  });

  it('knows when Postfix does not log in to the relayhost, and which lines are not the relayhost', () => {
    assert.deepStrictEqual(lookup({ [MAIN]: 'relayhost = [smtp.isp.example]:587\n' }, MAIN, 0), { ok: false, reason: 'Postfix does not log in to the relayhost (smtp_sasl_auth_enable is not yes)' });
    assert.deepStrictEqual(lookup({ [MAIN]: relayMain('static:a:b') }, MAIN, 2), { ok: false, reason: 'line 3 of main.cf is not the relayhost line' });
  });
});
