import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { SourceFile } from '../../../../src/core/model';
import { parseEnvFile } from '../../../../src/core/sources/app/envFiles';
import { FIXTURES } from '../../helpers';
import { effectiveTransport, endpointOf } from '../../../../src/core/sources/app/effectiveTransport';
import { classifyFlatKey, extractEnvTransports } from '../../../../src/core/sources/app/extractFromEnvFile';
import { applyEdit, textInRange } from '../../helpers';

const CONFIG_FIXTURES = path.join(FIXTURES, 'nodemailer/config');

function fixture(rel: string): SourceFile {
  const file = path.join(CONFIG_FIXTURES, rel);
  return { file, text: fs.readFileSync(file, 'utf8') };
}

const covered = textInRange;

function extract(src: SourceFile) {
  return extractEnvTransports(src, parseEnvFile(src));
}
const inline = (text: string): SourceFile => ({ file: '/app/.env', text });

describe('extractEnvTransports (.env files on their own)', () => {
  it('classifies flat keys into families', () => {
    assert.deepStrictEqual(classifyFlatKey('SMTP_HOST'), { family: 'smtp', prefix: 'SMTP', separator: '_', role: 'host' });
    assert.strictEqual(classifyFlatKey('EMAIL_HOST_USER')?.role, 'auth.user');
    assert.strictEqual(classifyFlatKey('EMAIL_HOST_PASSWORD')?.role, 'auth.pass');
    assert.strictEqual(classifyFlatKey('MAILER_DSN')?.role, 'url');
    assert.deepStrictEqual(classifyFlatKey('smtpHost'), { family: 'smtp', prefix: 'smtp', separator: '', role: 'host' });
    assert.strictEqual(classifyFlatKey('APP_SMTP_PORT')?.family, 'app_smtp');
    assert.strictEqual(classifyFlatKey('DB_HOST'), undefined);
    assert.strictEqual(classifyFlatKey('DEFAULT_FROM_EMAIL'), undefined);
    assert.strictEqual(classifyFlatKey('MAILGUN_DOMAIN'), undefined);
  });

  it('reads an SMTP_* family with exact value and line ranges', () => {
    const src = inline('# mail\nSMTP_HOST=smtp.example.com\nSMTP_PORT=465\nSMTP_SECURE=true\nSMTP_USER=me\nSMTP_PASS="p w"\nOTHER=1\n');
    const [t, ...rest] = extract(src);
    assert.strictEqual(rest.length, 0);
    assert.strictEqual(t.source, 'env');
    assert.strictEqual(covered(src.text, t.range), 'SMTP_HOST=smtp.example.com\nSMTP_PORT=465\nSMTP_SECURE=true\nSMTP_USER=me\nSMTP_PASS="p w"');
    const host = t.options.get('host')!;
    assert.strictEqual(host.value, 'smtp.example.com');
    assert.strictEqual(covered(src.text, host.range), 'smtp.example.com');
    assert.strictEqual(covered(src.text, host.optionRange!), 'SMTP_HOST=smtp.example.com');
    assert.deepStrictEqual(host.env && { name: host.env.name, file: host.env.file }, { name: 'SMTP_HOST', file: '/app/.env' });
    assert.strictEqual(host.literal, true);
    assert.strictEqual(t.options.get('port')!.value, 465);
    assert.strictEqual(t.options.get('secure')!.value, true);
    assert.strictEqual(t.options.get('auth.pass')!.value, 'p w');
    assert.strictEqual(covered(src.text, t.options.get('auth.pass')!.range), '"p w"');
    const e = endpointOf(t);
    assert.deepStrictEqual([e.host, e.port, e.security, e.authPresent, e.source], ['smtp.example.com', 465, 'implicit-tls', true, 'env']);
  });

  it('SMTP_SECURE=false is false (apps compare the string), not a truthy string', () => {
    const [t] = extract(inline('SMTP_HOST=h.example.com\nSMTP_SECURE=false\n'));
    assert.strictEqual(t.options.get('secure')!.value, false);
    assert.strictEqual(effectiveTransport(t).security, 'starttls-opportunistic');
  });

  it('Laravel MAIL_*: MAIL_ENCRYPTION=tls means STARTTLS, null credentials are no credentials', () => {
    const src = fixture('laravel/.env');
    const ts = extract(src);
    assert.strictEqual(ts.length, 1, 'DB_* is not a mail family');
    const [t] = ts;
    const secure = t.options.get('secure')!;
    assert.strictEqual(secure.value, false);
    assert.strictEqual(secure.literal, false, 'derived from MAIL_ENCRYPTION, not written as a boolean');
    assert.strictEqual(covered(src.text, secure.range), 'tls');
    assert.strictEqual(t.options.get('requireTLS')!.value, true);
    assert.ok(!t.options.has('auth.user') && !t.options.has('auth.pass'));
    const e = endpointOf(t);
    assert.deepStrictEqual([e.host, e.port, e.security, e.authPresent], ['smtp.mailtrap.io', 2525, 'starttls-required', false]);
    assert.strictEqual(covered(src.text, t.range).split('\n')[0], 'MAIL_MAILER=smtp');
  });

  it('Laravel MAIL_ENCRYPTION=ssl means implicit TLS; MAIL_MAILER=log is not SMTP', () => {
    const [t] = extract(inline('MAIL_MAILER=smtp\nMAIL_HOST=smtp.example.com\nMAIL_PORT=465\nMAIL_ENCRYPTION=ssl\n'));
    assert.strictEqual(effectiveTransport(t).security, 'implicit-tls');
    assert.deepStrictEqual(extract(inline('MAIL_MAILER=log\nMAIL_HOST=127.0.0.1\nMAIL_PORT=2525\n')), []);
  });

  it('Django EMAIL_*: EMAIL_USE_SSL=True, EMAIL_HOST_USER / EMAIL_HOST_PASSWORD', () => {
    const src = fixture('django/.env');
    const [t, ...rest] = extract(src);
    assert.strictEqual(rest.length, 0);
    assert.strictEqual(t.options.get('secure')!.value, true);
    assert.strictEqual(covered(src.text, t.options.get('secure')!.range), 'True');
    assert.strictEqual(t.options.get('auth.user')!.value, 'me@gmail.com');
    assert.strictEqual(t.options.get('auth.pass')!.value, 'app password');
    assert.ok(!t.options.has('from'), 'DEFAULT_FROM_EMAIL is not part of the family');
    const e = endpointOf(t);
    assert.deepStrictEqual([e.host, e.port, e.security], ['smtp.gmail.com', 465, 'implicit-tls']);
    const tls = extract(inline('EMAIL_HOST=smtp.example.com\nEMAIL_PORT=587\nEMAIL_USE_TLS=True\n'))[0];
    assert.strictEqual(effectiveTransport(tls).security, 'starttls-required');
    assert.deepStrictEqual(extract(inline('EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend\nEMAIL_HOST=localhost\n')), []);
  });

  it('Symfony MAILER_DSN=smtp://... is a URL transport; null://null is not', () => {
    const src = fixture('symfony/.env');
    const [t] = extract(src);
    const url = t.options.get('url')!;
    assert.strictEqual(covered(src.text, url.range), 'smtp://user:pass@smtp.example.com:587');
    const e = endpointOf(t);
    assert.deepStrictEqual([e.host, e.port, e.security, e.authPresent], ['smtp.example.com', 587, 'starttls-opportunistic', true]);
    assert.strictEqual(t.addOption('secure', true), undefined, 'the DSN decides; a separate variable would not be read');
  });

  it('needs a host or an SMTP URL: negative .env gives nothing', () => {
    assert.deepStrictEqual(extract(fixture('negative/.env')), []);
    assert.deepStrictEqual(extract(inline('SMTP_HOST=\nSMTP_PORT=587\n')), [], 'an empty template value is not a transport');
    assert.deepStrictEqual(extract(inline('')), []);
  });

  it('one transport per family', () => {
    const ts = extract(inline('SMTP_HOST=a.example.com\nMAIL_HOST=b.example.com\nMAIL_PORT=25\n'));
    assert.deepStrictEqual(ts.map((t) => t.options.get('host')!.value), ['a.example.com', 'b.example.com']);
  });

  it('addOption appends a line in the family naming', () => {
    const text = 'SMTP_HOST=smtp.example.com\nSMTP_PORT=465';
    const [t] = extract(inline(text));
    assert.strictEqual(applyEdit(text, t.addOption('secure', true)!), text + '\nSMTP_SECURE=true\n');
    assert.strictEqual(t.addOption('port', 587), undefined, 'already set: a replacement, not an addition');
    assert.strictEqual(t.addOption('tls.rejectUnauthorized', true), undefined);

    const django = 'EMAIL_HOST=smtp.example.com\nEMAIL_HOST_USER=me\n';
    const [d] = extract(inline(django));
    assert.strictEqual(applyEdit(django, d.addOption('requireTLS', true)!), django + 'EMAIL_USE_TLS=True\n');

    const laravel = 'MAIL_MAILER=smtp\nMAIL_HOST=smtp.example.com\n';
    const [l] = extract(inline(laravel));
    assert.strictEqual(applyEdit(laravel, l.addOption('secure', true)!), laravel + 'MAIL_ENCRYPTION=ssl\n');
    const laravelTls = extract(inline(laravel + 'MAIL_ENCRYPTION=tls\n'))[0];
    assert.strictEqual(laravelTls.addOption('secure', true), undefined);
  });
});
