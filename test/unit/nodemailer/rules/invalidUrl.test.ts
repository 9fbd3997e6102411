import * as assert from 'assert';
import type { Finding } from '../../../../src/core/model';
import { invalidUrl, redactUrl } from '../../../../src/core/nodemailer/rules/invalidUrl';
import { coveredText, where } from '../../helpers';
import { lintScript, transport } from './lintScript';

const lint = (text: string, env?: string) => lintScript(text, invalidUrl, env);
const call = (arg: string) => `const nodemailer = require('nodemailer');\nnodemailer.createTransport(${arg});\n`;
const shownText = (f: Finding) => [f.message, ...(f.related ?? []).map((r) => r.message)].join('\n');

describe('nodemailer/invalid-url', () => {
  it('flags a wrong protocol on the whole URL with parseSmtpUrl\'s reason', () => {
    const text = call("'https://smtp.example.com:587'");
    const findings = lint(text);
    assert.deepStrictEqual(where(findings), ['2:28 nodemailer/invalid-url']);
    const [f] = findings;
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(coveredText(text, f), "'https://smtp.example.com:587'");
    assert.match(f.message, /^"https:\/\/smtp\.example\.com:587" is not a valid SMTP URL \(not an smtp:\/\/, smtps:\/\/ or direct:\/\/ URL\)/);
    assert.strictEqual(f.fixes, undefined);
  });

  it('flags mailto:, bad ports and a missing host in the url option', () => {
    const messages = ["url: 'mailto:me@example.com'", "url: 'smtp://smtp.example.com:587a'", "url: 'smtp://smtp.example.com:70000'", "url: 'smtp://:587'"].map((o) => lint(transport(o))[0]?.message);
    assert.match(messages[0] ?? '', /not an smtp:\/\//);
    assert.match(messages[1] ?? '', /"587a" is not a port number \(1-65535\)/);
    assert.match(messages[2] ?? '', /"70000" is not a port number/);
    assert.match(messages[3] ?? '', /the URL has no host name/);
  });

  it('never shows a password from the URL', () => {
    const text = call("'smtp://app:S3cr3t-pw@smtp.example.com:58 7'");
    const [f] = lint(text);
    assert.ok(f);
    assert.ok(!shownText(f).includes('S3cr3t'), f.message);
    assert.match(f.message, /smtp:\/\/app:••••••@smtp\.example\.com:58 7/);

    // user:password with the @host forgotten: the "port" is the password.
    const [g] = lint(call("'smtp://app:S3cr3t-pw'"));
    assert.ok(g);
    assert.ok(!shownText(g).includes('S3cr3t'), g.message);
    assert.match(g.message, /"smtp:\/\/app:••••••" is not a valid SMTP URL \("••••••" is not a port number/);

    assert.strictEqual(redactUrl('smtps://u:p@ss@h.example:465'), 'smtps://u:••••••@h.example:465');
    assert.strictEqual(redactUrl('smtp://h.example:587a'), 'smtp://h.example:587a');
  });

  it('reports a URL from .env, naming the variable', () => {
    const text = call('process.env.SMTP_URL');
    const [f] = lint(text, 'SMTP_URL=smtp.example.com:587\n');
    assert.ok(f);
    assert.strictEqual(coveredText(text, f), 'process.env.SMTP_URL');
    assert.match(f.message, /"smtp\.example\.com:587" \(from SMTP_URL\) is not a valid SMTP URL/);
  });

  it('says nothing for valid or unresolved URLs, or no URL', () => {
    for (const arg of ["'smtp://smtp.example.com:587'", "'smtps://u:p@smtp.example.com'", "'smtp://[::1]:25/?pool=true'", "'direct://h.example'", 'process.env.NOT_SET', "{ host: 'h.example' }"]) {
      assert.deepStrictEqual(lint(call(arg)), [], arg);
    }
  });
});
