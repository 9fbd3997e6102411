// Login verification against a real Postfix with Cyrus SASL (sasldb) on loopback, side by side with nodemailer's
// own transporter.verify() on the same transports: `smtp-doctor verify FILE:LINE` on a nodemailer transport
// (literal password, password from .env, a URL) and on a Postfix relayhost whose login is in sasl_passwd next to
// main.cf. The password must appear in no output.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { type LoginTarget, verifyLogin } from '../../src/core/live/verifyLogin';
import { type PostfixPeer, startPostfix, requirePostfix } from './peers/postfix';
import { createTestCerts, type TestCerts } from './peers/testCerts';
import { REPO_ROOT } from '../unit/helpers';

/** The real nodemailer (a dev dependency), as far as these tests use it. */
const nodemailer = require('nodemailer') as { createTransport(options: object): { verify(): Promise<true>; close(): void } };

const USER = 'alice@mail.test';
const PASSWORD = 'Vfy-pw-Qz81-xK';

function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every form the password could leak in. */
function assertNoPassword(text: string, what: string): void {
  for (const form of [PASSWORD, Buffer.from(PASSWORD).toString('base64'), Buffer.from(`\u0000${USER}\u0000${PASSWORD}`).toString('base64'), encodeURIComponent(PASSWORD)]) {
    assert.ok(!text.includes(form), `${what} contains the password (${form})`);
  }
}

describe('Verify Login against a real Postfix with SASL', function () {
  this.timeout(60_000);
  let certs: TestCerts;
  let postfix: PostfixPeer;
  let dir: string;
  const lookup = async () => ['127.0.0.1'];

  before(async function () {
    requirePostfix(this);
    certs = createTestCerts();
    postfix = await startPostfix({ cert: certs.good, sasl: [{ user: USER, password: PASSWORD }] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-verify-'));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    const { submission, smtps } = postfix.ports;
    write(
      'app/mailer.js',
      [
        "const nodemailer = require('nodemailer');",
        `exports.good = nodemailer.createTransport({ host: '127.0.0.1', port: ${submission}, requireTLS: true, auth: { user: '${USER}', pass: '${PASSWORD}' } });`,
        `exports.wrong = nodemailer.createTransport({ host: '127.0.0.1', port: ${smtps}, secure: true, auth: { user: '${USER}', pass: 'not-the-password' } });`,
        `exports.fromEnv = nodemailer.createTransport({ host: '127.0.0.1', port: ${submission}, auth: { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS } });`,
        `exports.clear = nodemailer.createTransport({ host: '127.0.0.1', port: ${submission}, ignoreTLS: true, auth: { user: '${USER}', pass: '${PASSWORD}' } });`,
        `exports.cram = nodemailer.createTransport({ host: '127.0.0.1', port: ${smtps}, secure: true, auth: { user: '${USER}', pass: '${PASSWORD}', method: 'CRAM-MD5' } });`,
        `exports.xoauth = nodemailer.createTransport({ host: '127.0.0.1', port: ${smtps}, secure: true, auth: { user: '${USER}', pass: '${PASSWORD}', method: 'XOAUTH2' } });`,
        '',
      ].join('\n'),
    );
    write('app/.env', `SMTP_USER=${USER}\nSMTP_PASS=${PASSWORD}\n`);
    write(
      'postfix/main.cf',
      [
        'compatibility_level = 3.6',
        'myhostname = client.test',
        `relayhost = [127.0.0.1]:${submission}`,
        'smtp_sasl_auth_enable = yes',
        'smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd',
        'smtp_tls_security_level = encrypt',
        'smtp_sasl_tls_security_options = noanonymous',
        '',
      ].join('\n'),
    );
    write('postfix/sasl_passwd', `# relay logins\n[127.0.0.1]:${submission} ${USER}:${PASSWORD}\n`);
    write('postfix-default/main.cf', ['compatibility_level = 3.6', `relayhost = [127.0.0.1]:${submission}`, 'smtp_sasl_auth_enable = yes', `smtp_sasl_password_maps = static:${USER}:${PASSWORD}`, 'smtp_tls_security_level = encrypt', ''].join('\n'));
  });

  after(async () => {
    await postfix?.stop();
    certs?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({ NODE_EXTRA_CA_CERTS: certs.caFile });
  const verifyCli = async (at: string, format = 'text') => {
    const r = await runCli(['verify', at, '--timeout', '5000', '--format', format], dir, env());
    assertNoPassword(r.stdout + r.stderr, `verify ${at}`);
    return r;
  };

  it('reports 235 for the right password, and so does nodemailer', async () => {
    const r = await verifyCli('app/mailer.js:2');
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^Login of alice@mail\.test at 127\.0\.0\.1:\d+ \(STARTTLS, required, as nodemailer would\), then QUIT; no mail is sent\.$/m);
    assert.match(r.stdout, /^accepted: .*\n {2}server: 235 2\.7\.0 Authentication successful\n {2}TLS: TLSv1\.3/m);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: postfix.ports.submission, requireTLS: true, auth: { user: USER, pass: PASSWORD }, tls: { ca: certs.ca } });
    assert.strictEqual(await transport.verify(), true);
  });

  it('reports 535 5.7.8 for a wrong password, as nodemailer fails with it', async () => {
    const r = await verifyCli('app/mailer.js:3', 'json');
    assert.strictEqual(r.code, 1);
    const json = JSON.parse(r.stdout);
    assert.deepStrictEqual([json.outcome, json.mechanism, json.account, json.mode], ['rejected', 'PLAIN', USER, 'implicit']);
    assert.match(json.reply, /^535 5\.7\.8 /);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: postfix.ports.smtps, secure: true, auth: { user: USER, pass: 'not-the-password' }, tls: { ca: certs.ca } });
    await assert.rejects(transport.verify(), (e: { code?: string; responseCode?: number }) => e.code === 'EAUTH' && e.responseCode === 535);
  });

  it('takes the login from the .env file the code reads', async () => {
    const r = await verifyCli('app/mailer.js:4');
    assert.strictEqual(r.code, 0, r.stdout);
  });

  it("says AUTH before STARTTLS is refused (530 5.7.0) where nodemailer's verify() passes without logging in", async () => {
    const r = await verifyCli('app/mailer.js:5', 'json');
    const json = JSON.parse(r.stdout);
    assert.deepStrictEqual([r.code, json.outcome], [1, 'tls-required']);
    assert.match(json.reply, /^530 5\.7\.0 Must issue a STARTTLS command first/);
    // nodemailer sees no AUTH in the plain-text EHLO, skips the login and calls it verified.
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: postfix.ports.submission, ignoreTLS: true, auth: { user: USER, pass: PASSWORD } });
    assert.strictEqual(await transport.verify(), true);
  });

  it('uses the configured mechanism, and says when the server does not offer it', async () => {
    assert.strictEqual((await verifyCli('app/mailer.js:6')).code, 0, 'CRAM-MD5');
    const xoauth = JSON.parse((await verifyCli('app/mailer.js:7', 'json')).stdout);
    assert.deepStrictEqual([xoauth.outcome, xoauth.mechanism], ['no-mechanism', 'XOAUTH2']);
  });

  it('logs in as the Postfix relayhost client would, with the login from sasl_passwd next to main.cf', async () => {
    const r = await verifyCli('postfix/main.cf:3', 'json');
    const json = JSON.parse(r.stdout);
    assert.deepStrictEqual([r.code, json.outcome, json.client, json.mode], [0, 'accepted', 'postfix', 'starttls-required']);
    // Postfix's default smtp_sasl_tls_security_options (noplaintext) refuses PLAIN and LOGIN: so does the check.
    const d = JSON.parse((await verifyCli('postfix-default/main.cf:2', 'json')).stdout);
    assert.deepStrictEqual([d.outcome, d.mechanism], ['accepted', 'CRAM-MD5'], 'CRAM-MD5 is not plaintext: Postfix would use it');
  });

  it('says what it cannot verify, and refuses bad usage', async () => {
    const none = await verifyCli('postfix/main.cf:1');
    assert.strictEqual(none.code, 2);
    assert.match(none.stderr, /line 1 of main\.cf is not the relayhost line/);
    assert.strictEqual((await verifyCli('app/mailer.js')).code, 2);
    assert.strictEqual((await verifyCli('nowhere.js:3')).code, 2);
  });

  it('asks without the password when the server offers no AUTH, and reports the refusal', async () => {
    const base: LoginTarget = { host: '127.0.0.1', port: postfix.ports.smtp, mode: 'none', user: USER, password: PASSWORD, client: 'nodemailer', verifyCertificate: false };
    // Port 25 here offers no AUTH: asked without the password, the server says so.
    const r = await verifyLogin(base, { stepTimeoutMs: 5000 });
    assert.deepStrictEqual([r.outcome, r.reply], ['auth-not-offered', '503 5.5.1 Error: authentication not enabled']);
    // A name that resolves to loopback keeps the password on this machine: sent, and refused before STARTTLS.
    const named = await verifyLogin({ ...base, host: 'mail.test', port: postfix.ports.submission, method: 'PLAIN' }, { stepTimeoutMs: 5000, lookup });
    assert.deepStrictEqual([named.outcome, named.reply], ['tls-required', '530 5.7.0 Must issue a STARTTLS command first']);
    assertNoPassword(JSON.stringify([r, named]), 'the results');
  });
});
