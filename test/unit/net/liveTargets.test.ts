import * as assert from 'assert';
import { checkFiles } from '../../../src/core/check';
import { collectLiveTargets } from '../../../src/core/net/liveTargets';

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
});
