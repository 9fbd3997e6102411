// End to end: `smtp-doctor check` and `smtp-doctor port` against a real Postfix and a real dnsmasq on
// loopback. Every name resolves through the test's own dnsmasq (--dns); every address is 127.0.0.1.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli';
import { closedPort } from './peers/hostileSmtp';
import { type DnsmasqPeer, startDnsmasq } from './peers/dnsmasq';
import { type PostfixPeer, startPostfix, requirePostfix } from './peers/postfix';
import { type TestCerts, createTestCerts } from './peers/testCerts';

async function cli(args: string[], cwd: string) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), cwd });
  return { code, out, err };
}

interface JsonFinding {
  rule: string;
  file: string;
  line: number;
  message: string;
}

describe('CLI live checks against real Postfix and dnsmasq', function () {
  this.timeout(60_000);
  let certs: TestCerts;
  let postfix: PostfixPeer;
  let dns: DnsmasqPeer;
  let refused: number;
  let dir: string;

  before(async function () {
    requirePostfix(this);
    certs = createTestCerts();
    [postfix, dns, refused] = await Promise.all([
      startPostfix({ cert: certs.good, myhostname: 'mail.test' }),
      startDnsmasq({
        hosts: [
          { name: 'mail.test', addresses: ['127.0.0.1'] },
          // Port 25 there is closed (nothing on this machine listens on 127.0.0.254): the MX host refuses.
          { name: 'mx.example.test', addresses: ['127.0.0.254'] },
        ],
        mx: [
          { domain: 'example.test', exchange: 'mx.example.test', preference: 10 },
          { domain: 'nullmx.test', exchange: '.', preference: 0 },
        ],
      }),
      closedPort(),
    ]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-live-'));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    write(
      'postfix/main.cf',
      [
        'compatibility_level = 3.6',
        'myhostname = mail.test',
        'mydomain = example.test',
        'mydestination = $myhostname, nullmx.test',
        `relayhost = [mail.test]:${postfix.ports.smtp}`,
        'smtp_tls_security_level = encrypt',
        '',
      ].join('\n'),
    );
    write('postfix/master.cf', `127.0.0.1:${postfix.ports.submission} inet n - n - - smtpd\n`);
    write('app/src/mailer.js', `const nodemailer = require('nodemailer');\nmodule.exports = nodemailer.createTransport({ host: 'mail.test', port: ${postfix.ports.smtps}, secure: false });\n`);
    write('app/src/other.js', `const nodemailer = require('nodemailer');\nmodule.exports = nodemailer.createTransport({ host: 'mail.test', port: ${refused} });\n`);
  });

  after(async () => {
    await Promise.all([postfix?.stop(), dns?.stop()]);
    certs?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('check puts live results on the config lines that named each host', async () => {
    const r = await cli(['check', '.', '--format', 'json', '--dns', dns.server, '--timeout', '1500'], dir);
    const json = JSON.parse(r.out);
    const live = (json.findings as JsonFinding[]).filter((f) => /^(smtp|dns)\//.test(f.rule)).map((f) => `${f.rule} ${f.file}:${f.line}`).sort();
    assert.deepStrictEqual(live, [
      'dns/null-mx postfix/main.cf:4',
      // The mail-authentication checks of both domains: nothing is published in the test zone. The null-MX
      // domain receives no mail, so MTA-STS, TLS-RPT and DANE do not apply to it; SPF and DMARC still do.
      'dns/spf-missing postfix/main.cf:3',
      'dns/dmarc-missing postfix/main.cf:3',
      'dns/mta-sts-missing postfix/main.cf:3',
      'dns/tls-rpt-missing postfix/main.cf:3',
      'dns/dane-missing postfix/main.cf:3',
      'dns/spf-missing postfix/main.cf:4',
      'dns/dmarc-missing postfix/main.cf:4',
      `smtp/cert-untrusted postfix/main.cf:5`,
      // secure: false against the smtps (wrappermode) port: the server answered a ClientHello after the silence.
      'smtp/tls-mode-mismatch app/src/mailer.js:2',
      'smtp/port-refused app/src/other.js:2',
      // example.test's only MX host refuses port 25: senders cannot deliver to it.
      'smtp/port-refused postfix/main.cf:3',
    ].sort());
    assert.strictEqual(r.code, 1, 'errors (refused, no greeting) make the exit code 1');
  });

  it('check --format json carries every probe fact: banner, extensions, TLS and certificate', async () => {
    const r = await cli(['check', 'postfix', '--format', 'json', '--dns', dns.server, '--timeout', '1500'], dir);
    const { probes, mx } = JSON.parse(r.out);
    const relay = probes.find((p: { port: number }) => p.port === postfix.ports.smtp);
    assert.strictEqual(relay.status, 'open');
    assert.strictEqual(relay.address, '127.0.0.1');
    assert.ok(relay.banner.includes(postfix.banner), relay.banner);
    assert.ok('STARTTLS' in relay.extensions);
    assert.match(relay.tls.version, /^TLSv1\.[23]$/);
    assert.strictEqual(relay.tls.certificate.hostnameMatches, true);
    assert.strictEqual(relay.tls.certificate.trusted, false);
    assert.ok(relay.timings.total > 0);
    const example = mx.find((m: { domain: string }) => m.domain === 'example.test');
    assert.deepStrictEqual(example.hosts.map((h: { exchange: string; addresses: string[] }) => [h.exchange, h.addresses]), [['mx.example.test', ['127.0.0.254']]]);
    // The MX host's port 25 is probed too, and the relayhost's STARTTLS port scanned for TLS versions and weak ciphers.
    const mxProbe = probes.find((p: { host: string }) => p.host === 'mx.example.test');
    assert.deepStrictEqual([mxProbe.port, mxProbe.status, mxProbe.address], [25, 'refused', '127.0.0.254']);
    const { tlsScans } = JSON.parse(r.out);
    const scan = tlsScans.find((s: { port: number }) => s.port === postfix.ports.smtp);
    assert.strictEqual(scan.mode, 'starttls');
    assert.deepStrictEqual(scan.versions.map((v: { version: string; accepted: boolean }) => [v.version, v.accepted]), [['TLSv1', true], ['TLSv1.1', true], ['TLSv1.2', true], ['TLSv1.3', true]]);
  });

  it('check --offline sends nothing and reports only static findings', async () => {
    const r = await cli(['check', '.', '--format', 'json', '--offline'], dir);
    const json = JSON.parse(r.out);
    assert.strictEqual(json.probes, undefined);
    assert.ok(!(json.findings as JsonFinding[]).some((f) => /^(smtp|dns)\//.test(f.rule)));
  });

  it('port probes 25/587/465-style services and prints their facts', async () => {
    const r = await cli(['port', '127.0.0.1', '--port', `${postfix.ports.smtp},${postfix.ports.smtps},${refused}`, '--format', 'json', '--timeout', '1500'], dir);
    const { probes } = JSON.parse(r.out);
    assert.deepStrictEqual(probes.map((p: { status: string }) => p.status), ['open', 'no-greeting', 'refused']);
    const text = await cli(['port', `mail.test:${postfix.ports.smtp}`, '--dns', dns.server], dir);
    assert.match(text.out, new RegExp(`mail\\.test:${postfix.ports.smtp}\\s+open\\s+127\\.0\\.0\\.1 · "${postfix.myhostname}`));
    assert.match(text.out, /STARTTLS · TLSv1\.[23] /);
  });

  it('check with a DNS server that does not answer: one finding that names it and --dns, nothing that needs DNS runs', async () => {
    const dead = `127.0.0.1:${await closedPort()}`;
    const r = await cli(['check', '.', '--dns', dead, '--timeout', '1500'], dir);
    const live = r.out.split('\n').filter((l) => /\[(smtp|dns)\//.test(l));
    assert.deepStrictEqual(live, [`app/src/mailer.js:2:53: warning: DNS server ${dead} refused the query: live DNS checks skipped; fix --dns. [dns/resolver-unreachable]`]);
    assert.match(r.out, new RegExp(`^DNS: server ${dead.replace(/\./g, '\\.')}: nothing answers DNS at the server \\(connection refused\\); every DNS check skipped\\.$`, 'm'));
    assert.doesNotMatch(r.out, /does not resolve|ECONNREFUSED/);
    const json = JSON.parse((await cli(['check', '.', '--format', 'json', '--dns', dead, '--timeout', '1500'], dir)).out);
    assert.deepStrictEqual([json.resolver.status, json.resolver.error, json.resolver.servers], ['dead', 'ECONNREFUSED', [dead]]);
    assert.deepStrictEqual(json.probes, [], 'every host is a name: no probe without DNS');
    // port: a name that cannot be resolved is a failed probe, said once.
    const port = await cli(['port', `mail.test:${postfix.ports.smtp}`, '--dns', dead], dir);
    assert.strictEqual(port.code, 1);
    assert.match(port.out, /^warning: DNS server 127\.0\.0\.1:\d+ refused the query: live DNS checks skipped; fix --dns\. \[dns\/resolver-unreachable\]$/m);
  });

  it('check prints one line per root cause; --verbose adds the explanation and the findings folded into it', async () => {
    const plain = await cli(['check', 'postfix', '--dns', dns.server, '--timeout', '1500'], dir);
    const onMydomain = plain.out.split('\n').filter((l) => l.startsWith('postfix/main.cf:3:'));
    assert.strictEqual(onMydomain.length, 1, `one line for the six findings on mydomain (its MX host refusing port 25 speaks for them):\n${plain.out}`);
    const verbose = await cli(['check', 'postfix', '--verbose', '--dns', dns.server, '--timeout', '1500'], dir);
    const lines = verbose.out.split('\n');
    const at = lines.indexOf(onMydomain[0]);
    assert.ok(at >= 0, verbose.out);
    const block = lines.slice(at + 1).filter((_, i, all) => all.slice(0, i + 1).every((l) => l.startsWith('    ')));
    assert.ok(/^postfix\/main\.cf:3:\d+: error: MX \S+ refuses port 25/.test(onMydomain[0]), onMydomain[0]);
    assert.ok(block.filter((l) => /postfix\/main\.cf:3:\d+: also dns\//.test(l)).length === 5, block.join('\n'));
    for (const l of lines) assert.ok(!l.startsWith('    ') || l.length <= 104, `wrapped: ${l}`);
  });

  it('port rejects bad usage with exit code 2', async () => {
    assert.strictEqual((await cli(['port'], dir)).code, 2);
    assert.strictEqual((await cli(['port', 'host', '--port', '0'], dir)).code, 2);
    assert.strictEqual((await cli(['check', '.', '--timeout', 'soon'], dir)).code, 2);
  });
});
