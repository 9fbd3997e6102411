import * as assert from 'assert';
import { checkFiles } from '../../../src/core/check';
import { collectLiveTargets, endpointRole, roleOfPort, startsTlsAtConnect } from '../../../src/core/live/liveTargets';

function targets(files: Record<string, string>) {
  const r = checkFiles(Object.entries(files).map(([file, text]) => ({ file, text })));
  return collectLiveTargets(r.postfixInstances, r.endpoints, r.transports);
}

describe('live targets', () => {
  const main = [
    'myhostname = mail.example.test',
    'mydomain = example.test',
    'myorigin = $mydomain',
    'mydestination = $myhostname, localhost.$mydomain, localhost, shop.example.test',
    'relayhost = relay.example.test:587',
    'smtp_bind_address = 192.0.2.25',
    '',
  ].join('\n');
  const master = 'smtp inet n - y - - smtpd\nsubmission inet n - y - - smtpd\n127.0.0.1:10025 inet n - n - - smtpd\n';

  it('probes the relayhost and the server\'s own SMTP ports at myhostname, each tied to its line', () => {
    const t = targets({ '/etc/postfix/main.cf': main, '/etc/postfix/master.cf': master });
    assert.deepStrictEqual(t.probes.map((p) => `${p.host}:${p.port}`).sort(), ['mail.example.test:25', 'mail.example.test:587', 'relay.example.test:587']);
    const relay = t.probes.find((p) => p.host === 'relay.example.test')!;
    assert.strictEqual(relay.locations[0].range.start.line, 4);
    assert.strictEqual(t.probes.find((p) => p.port === 25)!.locations[0].range.start.line, 0);
  });

  it('checks the MX of the domains mail comes from and goes to, and of an unbracketed relayhost', () => {
    const t = targets({ '/etc/postfix/main.cf': main, '/etc/postfix/master.cf': master });
    assert.deepStrictEqual(t.domains.map((d) => d.domain).sort(), ['example.test', 'relay.example.test', 'shop.example.test']);
  });

  it('states the sender SPF is checked for: the domain\'s postmaster with the HELO name, or an app\'s from', () => {
    const t = targets({ '/etc/postfix/main.cf': `${main}smtp_helo_name = out.example.test\n`, '/etc/postfix/master.cf': master });
    const sender = (domain: string) => t.domains.find((d) => d.domain === domain)?.sender;
    assert.deepStrictEqual(sender('example.test'), { address: 'postmaster@example.test', helo: 'out.example.test', origin: 'postmaster at mydomain (main.cf)' });
    assert.deepStrictEqual(sender('shop.example.test'), { address: 'postmaster@shop.example.test', helo: 'out.example.test', origin: 'postmaster at mydestination (main.cf)' });
    assert.strictEqual(sender('relay.example.test'), undefined, 'mail is not sent as the relayhost');
    const noHelo = targets({ '/etc/postfix/main.cf': 'mydomain = example.test\n' });
    assert.deepStrictEqual(noHelo.domains[0].sender, { address: 'postmaster@example.test', origin: 'postmaster at mydomain (main.cf)' }, 'no HELO name invented');
    const app = targets({ '/app/src/mail.ts': "import nodemailer from 'nodemailer';\nexport const t = nodemailer.createTransport({ host: 'smtp.example.test', port: 587, name: 'web1.example.test', from: '\"Shop\" <orders@shop.example.test>' });\n" });
    assert.deepStrictEqual(app.domains.map((d) => [d.domain, d.sender]), [['shop.example.test', { address: 'orders@shop.example.test', helo: 'web1.example.test', origin: 'from (mail.ts)' }]]);
  });

  it('checks reverse DNS of the server name and its bind address against the HELO name', () => {
    const t = targets({ '/etc/postfix/main.cf': main, '/etc/postfix/master.cf': master });
    assert.deepStrictEqual(t.ptrs.map((p) => [p.hostOrAddress, p.expectedName]), [
      ['mail.example.test', 'mail.example.test'],
      ['192.0.2.25', 'mail.example.test'],
    ]);
  });

  it('probes application transports once per host:port, with every line that names them', () => {
    const code = "import nodemailer from 'nodemailer';\nconst a = nodemailer.createTransport({ host: 'smtp.example.test', port: 587, from: 'App <app@example.test>' });\nconst b = nodemailer.createTransport({ host: 'smtp.example.test', port: 587 });\n";
    const t = targets({ '/app/src/mail.ts': code });
    assert.strictEqual(t.probes.length, 1);
    assert.strictEqual(t.probes[0].locations.length, 2);
    assert.strictEqual(t.probes[0].security, 'starttls-opportunistic');
    assert.deepStrictEqual(t.domains.map((d) => d.domain), ['example.test']);
  });

  it('gives each target its role: the server\'s own 25 is an MX, 587/465 and authenticated or application servers are submission', () => {
    const t = targets({
      '/etc/postfix/main.cf': 'myhostname = mail.example.test\nrelayhost = [relay.example.test]:25\nsmtp_tls_security_level = may\n',
      '/etc/postfix/master.cf': 'smtp inet n - y - - smtpd\nsubmission inet n - y - - smtpd\nsmtps inet n - y - - smtpd\n  -o smtpd_tls_wrappermode=yes\n',
      '/app/src/mail.ts': "import nodemailer from 'nodemailer';\nexport const t = nodemailer.createTransport({ host: 'mx.example.test', port: 25 });\n",
    });
    const role = (host: string, port: number) => t.probes.find((p) => p.host === host && p.port === port)?.role;
    assert.strictEqual(role('mail.example.test', 25), 'mx');
    assert.strictEqual(role('mail.example.test', 587), 'submission');
    assert.strictEqual(role('mail.example.test', 465), 'submission');
    assert.strictEqual(role('relay.example.test', 25), 'mx', 'Postfix at "may" without SASL does not verify the relay');
    assert.strictEqual(role('mx.example.test', 25), 'submission', 'nodemailer verifies certificates, even on 25');
    // The own 465's TLS mode is set by the -o line of its service in master.cf.
    const smtps = t.probes.find((p) => p.port === 465)!.locations[0];
    assert.strictEqual(smtps.tlsMode?.kind, 'postfix-server');
    assert.deepStrictEqual([smtps.tlsMode?.at?.file, smtps.tlsMode?.at?.range.start.line], ['/etc/postfix/master.cf', 3]);
    assert.strictEqual(t.probes.find((p) => p.port === 587)!.locations[0].tlsMode?.at?.range.start.line, 1, 'the service line when no -o sets it');

    assert.strictEqual(endpointRole({ port: 25, authPresent: true, source: 'postfix-relayhost', security: 'starttls-opportunistic' }), 'submission');
    assert.strictEqual(endpointRole({ port: 25, authPresent: false, source: 'postfix-relayhost', security: 'starttls-required' }), 'other', 'encrypt or verify: not known');
    assert.strictEqual(endpointRole({ port: 2525, authPresent: false, source: 'nodemailer', security: 'none' }), 'other', 'never starts TLS');
    assert.deepStrictEqual([25, 465, 587, 2525].map(roleOfPort), ['mx', 'submission', 'submission', 'other']);
  });

  it('records the option that chooses TLS at connect: nodemailer secure, Postfix smtp_tls_wrappermode', () => {
    const t = targets({
      '/etc/postfix/main.cf': 'relayhost = [relay.example.test]:465\nsmtp_sasl_auth_enable = yes\nsmtp_tls_wrappermode = yes\nsmtp_tls_security_level = encrypt\n',
      '/app/src/mail.ts': "import nodemailer from 'nodemailer';\nexport const t = nodemailer.createTransport({\n  host: 'smtp.example.test',\n  port: 587,\n  secure: true,\n});\n",
    });
    const relay = t.probes.find((p) => p.host === 'relay.example.test')!;
    assert.strictEqual(relay.security, 'implicit-tls');
    assert.strictEqual(relay.role, 'submission');
    assert.deepStrictEqual([relay.locations[0].tlsMode?.kind, relay.locations[0].tlsMode?.at?.range.start.line], ['postfix-client', 2]);
    const app = t.probes.find((p) => p.host === 'smtp.example.test')!;
    assert.strictEqual(app.security, 'implicit-tls');
    assert.deepStrictEqual([app.locations[0].tlsMode?.kind, app.locations[0].tlsMode?.at?.range.start.line], ['nodemailer', 4]);
    assert.deepStrictEqual([app.locations[0].range.start.line, app.locations[0].range.start.character], [2, 8], 'findings about the server go on its host value');
    assert.deepStrictEqual([app.locations[0].portAt?.range.start.line, app.locations[0].portAt?.range.start.character], [3, 8], 'and connection failures on its port');
    // The probe uses the client's mode: TLS at connect where configured, else the port's convention.
    assert.deepStrictEqual(
      [startsTlsAtConnect('implicit-tls', 587), startsTlsAtConnect('starttls-opportunistic', 465), startsTlsAtConnect(undefined, 465), startsTlsAtConnect('unknown', 587)],
      [true, false, true, false],
    );
  });
});
