// Every error-level Postfix rule against the real Postfix (Debian package): a configuration the rule calls
// an error, written into a throw-away instance, fails the way the rule says. Postfix refuses to start,
// smtpd, smtp or local stops with a fatal error in the mail log, or a real SMTP session on loopback gets
// the reply the rule predicts. Each case also lints the very files Postfix read, so a rule that stops
// finding the problem fails here too. All traffic stays on 127.0.0.0/8.
import * as assert from 'assert';
import * as net from 'net';
import { lintPostfix } from '../../src/core/sources/postfix/lintPostfix';
import type { Finding } from '../../src/core/model';
import { type PostfixOptions, type PostfixPeer, type PreparedPostfix, freePort, preparePostfix, requirePostfix } from './peers/postfix';
import { type TestCerts, createTestCerts } from './peers/testCerts';

/** One SMTP session: the greeting and one reply per command; "<closed>" or "<timeout>" ends a short session. */
async function smtpSession(port: number, commands: readonly string[], options: { localAddress?: string; timeoutMs?: number } = {}): Promise<string[]> {
  const socket = net.connect({ host: '127.0.0.1', port, localAddress: options.localAddress });
  const replies: string[] = [];
  let buffer = '';
  let waiting: ((reply: string) => void) | undefined;
  const pending: string[] = [];
  const deliver = (reply: string) => {
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w(reply);
    } else pending.push(reply);
  };
  let lines: string[] = [];
  socket.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      lines.push(line);
      if (/^\d{3}(?: |$)/.test(line)) {
        deliver(lines.join('\n'));
        lines = [];
      }
    }
  });
  socket.on('close', () => deliver('<closed>'));
  socket.on('error', () => deliver('<closed>'));
  const next = () =>
    new Promise<string>((resolve) => {
      if (pending.length) return resolve(pending.shift()!);
      const timer = setTimeout(() => {
        waiting = undefined;
        resolve('<timeout>');
      }, options.timeoutMs ?? 5000);
      waiting = (reply) => {
        clearTimeout(timer);
        resolve(reply);
      };
    });
  try {
    replies.push(await next());
    for (const command of commands) {
      if (!/^2/.test(replies[replies.length - 1]) && !/^354/.test(replies[replies.length - 1])) break;
      socket.write(`${command}\r\n`);
      replies.push(await next());
    }
    return replies;
  } finally {
    socket.destroy();
  }
}

/** A message to a remote domain, so that the queue manager hands it to the smtp client (relayhost). */
const SEND_REMOTE = ['EHLO client.test', 'MAIL FROM:<sender@mail.test>', 'RCPT TO:<someone@remote.test>', 'DATA', 'Subject: test\r\n\r\nhello\r\n.'];

interface Running {
  readonly prepared: PreparedPostfix;
  readonly findings: Finding[];
  peer?: PostfixPeer;
}

describe('error-level Postfix rules: the real Postfix fails as the rule says', function () {
  this.timeout(60_000);
  let certs: TestCerts;
  const running: Running[] = [];

  before(function () {
    requirePostfix(this);
    certs = createTestCerts();
  });

  afterEach(async () => {
    for (const r of running.splice(0)) {
      if (r.peer) await r.peer.stop();
      else r.prepared.remove();
    }
  });

  /** Writes the instance and lints exactly the files Postfix will read. */
  async function prepare(options: Omit<PostfixOptions, 'cert'>): Promise<Running> {
    const prepared = await preparePostfix({ cert: certs.good, myhostname: 'mail.test', ...options });
    const findings = lintPostfix({ main: { file: 'main.cf', text: prepared.mainCf }, master: { file: 'master.cf', text: prepared.masterCf } });
    const r: Running = { prepared, findings };
    running.push(r);
    return r;
  }

  /** The errors found, as "rule line-text"; every error of the instance must be the one the case is about. */
  function errors(r: Running, rule: string, file: 'main.cf' | 'master.cf' = 'main.cf'): string[] {
    const text = file === 'main.cf' ? r.prepared.mainCf : r.prepared.masterCf;
    const all = r.findings.filter((f) => f.severity === 'error');
    assert.deepStrictEqual(
      all.map((f) => f.ruleId),
      all.map(() => rule),
      `only ${rule} errors expected:\n${all.map((f) => `${f.ruleId}: ${f.message}`).join('\n')}`,
    );
    assert.ok(all.length > 0, `${rule} reports no error on:\n${text}`);
    for (const f of all) assert.strictEqual(f.file, file);
    return all.map((f) => text.split('\n')[f.range.start.line].trim());
  }

  async function start(r: Running): Promise<PostfixPeer> {
    r.peer = await r.prepared.start();
    return r.peer;
  }

  /** Waits for a mail log line matching `re` and returns it. */
  async function logLine(peer: PostfixPeer, re: RegExp, ms = 20_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const line = peer.log().split('\n').find((l) => re.test(l));
      if (line) return line;
      if (Date.now() > deadline) assert.fail(`no mail log line matches ${re}:\n${peer.log()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Starting must fail; returns what `postfix start` printed plus the mail log. */
  async function refusedStart(r: Running): Promise<string> {
    try {
      r.peer = await r.prepared.start();
    } catch (e) {
      return (e as Error).message;
    }
    assert.fail('Postfix started');
  }

  it('postfix/syntax: a line without "=" stops the postfix command (start refused)', async () => {
    const r = await prepare({ extraMain: () => ['smtpd_banner $myhostname ESMTP'] });
    assert.deepStrictEqual(errors(r, 'postfix/syntax'), ['smtpd_banner $myhostname ESMTP']);
    assert.match(await refusedStart(r), /fatal: .*main\.cf, line \d+: missing '=' after attribute name: "smtpd_banner \$myhostname ESMTP"/);
  });

  it('postfix/inline-comment: "# ..." after a yes/no value stops smtpd ("bad boolean configuration")', async () => {
    const r = await prepare({ extraMain: () => ['smtpd_tls_auth_only = yes # TLS first'], readyWhen: 'listening' });
    assert.deepStrictEqual(errors(r, 'postfix/inline-comment'), ['smtpd_tls_auth_only = yes # TLS first']);
    const peer = await start(r);
    assert.deepStrictEqual(await smtpSession(peer.ports.smtp, [], { timeoutMs: 3000 }), ['<timeout>']);
    assert.match(await logLine(peer, /smtpd\[\d+\]: fatal:/), /fatal: bad boolean configuration: smtpd_tls_auth_only = yes # TLS first/);
  });

  it('postfix/inline-comment: "# ..." in a master.cf daemon line is passed to smtpd as arguments', async () => {
    const port = await freePort();
    const service = `127.0.0.1:${port} inet n - n - - smtpd # plain SMTP`;
    const r = await prepare({ extraMaster: () => [service] });
    assert.deepStrictEqual(errors(r, 'postfix/inline-comment', 'master.cf'), [service]);
    const peer = await start(r);
    assert.ok(!(await smtpSession(port, [], { timeoutMs: 3000 }))[0].startsWith('220'));
    assert.match(await logLine(peer, /smtpd\[\d+\]: fatal:/), /fatal: .*#/);
  });

  it('postfix/invalid-value: a value outside the domain stops smtpd (enumeration and number)', async () => {
    const [enumPort, numberPort] = [await freePort(), await freePort()];
    const services = [
      `127.0.0.1:${enumPort} inet n - n - - smtpd -o syslog_name=postfix/enum -o smtpd_tls_security_level=dane`,
      `127.0.0.1:${numberPort} inet n - n - - smtpd -o syslog_name=postfix/number -o smtpd_recipient_limit=1k`,
    ];
    const r = await prepare({ extraMaster: () => services });
    assert.deepStrictEqual(errors(r, 'postfix/invalid-value', 'master.cf'), services);
    const peer = await start(r);
    assert.deepStrictEqual(await smtpSession(enumPort, [], { timeoutMs: 3000 }), ['<timeout>']);
    assert.deepStrictEqual(await smtpSession(numberPort, [], { timeoutMs: 3000 }), ['<timeout>']);
    assert.match(await logLine(peer, /postfix\/enum\/smtpd\[\d+\]: fatal:/), /fatal: Invalid TLS level "dane"/);
    assert.match(await logLine(peer, /postfix\/number\/smtpd\[\d+\]: fatal:/), /bad numerical configuration: smtpd_recipient_limit = 1k/);
  });

  it('postfix/master-syntax: a service line with 7 fields makes master refuse to start', async () => {
    const port = await freePort();
    const service = `127.0.0.1:${port} inet n - n - smtpd`;
    const r = await prepare({ extraMaster: () => [service] });
    assert.deepStrictEqual(errors(r, 'postfix/master-syntax', 'master.cf'), [service]);
    assert.match(await refusedStart(r), /fatal: .*master\.cf: line \d+: bad field count/);
  });

  it('postfix/master-option-spacing: "-o name = value" stops smtpd', async () => {
    const port = await freePort();
    const service = [`127.0.0.1:${port} inet n - n - - smtpd`, '  -o smtpd_tls_security_level = encrypt'];
    const r = await prepare({ extraMaster: () => service });
    assert.deepStrictEqual(errors(r, 'postfix/master-option-spacing', 'master.cf'), ['-o smtpd_tls_security_level = encrypt']);
    const peer = await start(r);
    assert.deepStrictEqual(await smtpSession(port, [], { timeoutMs: 3000 }), ['<timeout>']);
    assert.match(await logLine(peer, /smtpd\[\d+\]: fatal:/), /smtpd_tls_security_level/);
  });

  it('postfix/open-relay: without reject_unauth_destination in either list smtpd stops', async () => {
    const r = await prepare({ extraMain: () => ['smtpd_relay_restrictions = permit_mynetworks'], readyWhen: 'listening' });
    assert.deepStrictEqual(errors(r, 'postfix/open-relay'), ['smtpd_relay_restrictions = permit_mynetworks']);
    const peer = await start(r);
    await smtpSession(peer.ports.smtp, ['EHLO client.test', 'MAIL FROM:<a@client.test>', 'RCPT TO:<b@remote.test>'], { timeoutMs: 3000 });
    assert.match(await logLine(peer, /smtpd\[\d+\]: fatal:/), /specify at least one working instance of: .*reject_unauth_destination/);
  });

  it('postfix/open-relay: "permit" before reject_unauth_destination disables the check and smtpd stops', async () => {
    const r = await prepare({ extraMain: () => ['smtpd_relay_restrictions = permit, reject_unauth_destination'], readyWhen: 'listening' });
    assert.deepStrictEqual(errors(r, 'postfix/open-relay'), ['smtpd_relay_restrictions = permit, reject_unauth_destination']);
    const peer = await start(r);
    await smtpSession(peer.ports.smtp, [], { timeoutMs: 3000 });
    assert.match(await logLine(peer, /restriction .* after .* is ignored/), /restriction .reject_unauth_destination' after .permit' is ignored/);
    assert.match(await logLine(peer, /smtpd\[\d+\]: fatal:/), /specify at least one working instance of: .*reject_unauth_destination/);
  });

  it('postfix/open-relay: a relay check inside a restriction class counts, and then smtpd runs', async () => {
    const r = await prepare({ extraMain: () => ['smtpd_restriction_classes = relay_gate', 'relay_gate = permit_mynetworks, reject_unauth_destination', 'smtpd_relay_restrictions = relay_gate'] });
    assert.deepStrictEqual(r.findings.filter((f) => f.severity === 'error'), []);
    const peer = await start(r);
    const relay = ['EHLO client.test', 'MAIL FROM:<a@client.test>', 'RCPT TO:<b@remote.test>'];
    assert.match((await smtpSession(peer.ports.smtp, relay))[3], /^250 /);
  });

  it('postfix/open-relay: lists at their defaults with compatibility_level 0 are no finding, and smtpd runs', async () => {
    const r = await prepare({ extraMain: () => ['compatibility_level = 0', 'smtpd_recipient_restrictions = permit_sasl_authenticated, permit_mynetworks'] });
    assert.deepStrictEqual(r.findings.filter((f) => f.ruleId === 'postfix/open-relay'), []);
    const peer = await start(r);
    const session = await smtpSession(peer.ports.smtp, ['EHLO client.test', 'MAIL FROM:<a@client.test>', 'RCPT TO:<b@remote.test>']);
    assert.match(session[0], /^220 /);
    assert.match(session[3], /^[245]\d\d /);
    assert.doesNotMatch(peer.log(), /specify at least one working instance/);
  });

  it('postfix/open-relay: mynetworks = 0.0.0.0/0 relays for a client the narrower list refuses', async () => {
    const wide = await prepare({ extraMain: () => ['mynetworks = 0.0.0.0/0'] });
    assert.deepStrictEqual(errors(wide, 'postfix/open-relay'), ['mynetworks = 0.0.0.0/0']);
    const narrow = await prepare({ extraMain: () => ['mynetworks = 127.0.0.1/32'] });
    assert.deepStrictEqual(narrow.findings.filter((f) => f.severity === 'error'), []);
    const relay = ['EHLO client.test', 'MAIL FROM:<a@client.test>', 'RCPT TO:<b@remote.test>'];
    const widePeer = await start(wide);
    assert.match((await smtpSession(widePeer.ports.smtp, relay, { localAddress: '127.0.0.2' }))[3], /^250 /);
    const narrowPeer = await start(narrow);
    assert.match((await smtpSession(narrowPeer.ports.smtp, relay, { localAddress: '127.0.0.2' }))[3], /^554 5\.7\.1 .*Relay access denied/);
  });

  it('postfix/relayhost-465-wrappermode: a relayhost on port 465 without wrapper mode never gets a greeting', async () => {
    // An SMTPS listener of the same instance on 127.0.0.46:465 (any 127/8 address is local).
    const r = await prepare({
      extraMain: () => ['relayhost = [127.0.0.46]:465', 'smtp_helo_timeout = 3s', 'smtp_connect_timeout = 3s'],
      extraMaster: () => ['127.0.0.46:465 inet n - n - - smtpd -o syslog_name=postfix/smtps465 -o smtpd_tls_wrappermode=yes'],
    });
    assert.deepStrictEqual(errors(r, 'postfix/relayhost-465-wrappermode'), ['relayhost = [127.0.0.46]:465']);
    const peer = await start(r);
    const session = await smtpSession(peer.ports.smtp, SEND_REMOTE);
    assert.match(session[session.length - 1], /^250 .*queued as/, session.join('\n'));
    assert.match(await logLine(peer, /smtp\[\d+\]: .*127\.0\.0\.46/), /(timed out while receiving the initial server greeting|lost connection with .* while receiving the initial server greeting)/);
  });

  it('postfix/client-sasl-without-maps: smtp_sasl_auth_enable without a password table stops the smtp client', async () => {
    const r = await prepare({ extraMain: (ports) => ['smtp_sasl_auth_enable = yes', `relayhost = [127.0.0.1]:${ports.smtp}`] });
    assert.deepStrictEqual(errors(r, 'postfix/client-sasl-without-maps'), ['smtp_sasl_auth_enable = yes']);
    const peer = await start(r);
    const session = await smtpSession(peer.ports.smtp, SEND_REMOTE);
    assert.match(session[session.length - 1], /^250 .*queued as/, session.join('\n'));
    assert.match(await logLine(peer, /smtp\[\d+\]: fatal:/), /specify a password table via the .smtp_sasl_password_maps. configuration parameter/);
  });

  it('postfix/destination-overlap: a domain in mydestination and virtual_mailbox_domains is "User unknown"', async () => {
    const virtual = ['virtual_mailbox_maps = inline:{ alice@example.test=alice/ }', 'local_recipient_maps = proxy:unix:passwd.byname'];
    const overlap = await prepare({ extraMain: () => ['mydestination = example.test', 'virtual_mailbox_domains = example.test', ...virtual] });
    assert.deepStrictEqual(errors(overlap, 'postfix/destination-overlap'), ['virtual_mailbox_domains = example.test']);
    const separate = await prepare({ extraMain: () => ['mydestination = mail.test', 'virtual_mailbox_domains = example.test', ...virtual] });
    assert.deepStrictEqual(separate.findings.filter((f) => f.severity === 'error'), []);
    const rcpt = ['EHLO client.test', 'MAIL FROM:<a@client.test>', 'RCPT TO:<alice@example.test>'];
    assert.match((await smtpSession((await start(overlap)).ports.smtp, rcpt))[3], /^550 5\.1\.1 .*User unknown in local recipient table/);
    assert.match((await smtpSession((await start(separate)).ports.smtp, rcpt))[3], /^250 /);
  });

  it('postfix/hostname-not-fqdn: an empty or malformed myhostname makes Postfix refuse to start', async () => {
    const empty = await prepare({ extraMain: () => ['myhostname ='] });
    assert.deepStrictEqual(errors(empty, 'postfix/hostname-not-fqdn'), ['myhostname =']);
    assert.match(await refusedStart(empty), /fatal: .*myhostname/);
    const dotted = await prepare({ extraMain: () => ['myhostname = mail.test.'] });
    assert.deepStrictEqual(errors(dotted, 'postfix/hostname-not-fqdn'), ['myhostname = mail.test.']);
    assert.match(await refusedStart(dotted), /fatal: .*mail\.test\./);
  });

  it('postfix/unknown-restriction: a misspelled restriction answers 451 4.3.5 "Server configuration error"', async () => {
    const r = await prepare({ extraMain: () => ['smtpd_relay_restrictions = permit_mynetwork, reject_unauth_destination'] });
    assert.deepStrictEqual(errors(r, 'postfix/unknown-restriction'), ['smtpd_relay_restrictions = permit_mynetwork, reject_unauth_destination']);
    const peer = await start(r);
    const session = await smtpSession(peer.ports.smtp, ['EHLO client.test', 'MAIL FROM:<a@client.test>', 'RCPT TO:<b@remote.test>']);
    assert.match(session[3], /^451 4\.3\.5 .*Server configuration error/);
    assert.match(await logLine(peer, /unknown smtpd restriction/), /unknown smtpd restriction: "permit_mynetwork"/);
  });

  it('postfix/backslash-continuation: a shell-style "\\" line break makes the next line a statement (start refused)', async () => {
    const r = await prepare({ extraMain: () => ['smtpd_relay_restrictions = permit_mynetworks, \\', 'reject_unauth_destination'] });
    assert.deepStrictEqual(errors(r, 'postfix/backslash-continuation'), ['smtpd_relay_restrictions = permit_mynetworks, \\']);
    assert.match(await refusedStart(r), /fatal: .*main\.cf, line \d+: missing '=' after attribute name: "reject_unauth_destination"/);
  });

  it('postfix/backslash-continuation: "\\" kept in a yes/no value stops smtpd', async () => {
    const r = await prepare({ extraMain: () => ['smtpd_tls_auth_only = yes \\', '    # more'], readyWhen: 'listening' });
    assert.deepStrictEqual(errors(r, 'postfix/backslash-continuation'), ['smtpd_tls_auth_only = yes \\']);
    const peer = await start(r);
    await smtpSession(peer.ports.smtp, [], { timeoutMs: 3000 });
    assert.match(await logLine(peer, /smtpd\[\d+\]: fatal:/), /bad boolean configuration: smtpd_tls_auth_only = yes \\/);
  });

  it('postfix/mailbox-size-limit: mailbox_size_limit below message_size_limit stops local(8)', async () => {
    const r = await prepare({
      extraMain: (_ports, dir) => [
        'mydestination = mail.test',
        'message_size_limit = 20480000',
        'mailbox_size_limit = 10240000',
        // Never the machine's spool, should local(8) ever deliver here.
        `mail_spool_directory = ${dir}/spool`,
      ],
    });
    assert.deepStrictEqual(errors(r, 'postfix/mailbox-size-limit'), ['mailbox_size_limit = 10240000']);
    const peer = await start(r);
    const session = await smtpSession(peer.ports.smtp, ['EHLO client.test', 'MAIL FROM:<a@client.test>', 'RCPT TO:<postmaster@mail.test>', 'DATA', 'Subject: test\r\n\r\nhello\r\n.']);
    assert.match(session[session.length - 1], /^250 .*queued as/, session.join('\n'));
    assert.match(await logLine(peer, /local\[\d+\]: fatal:/), /mailbox_size_limit is smaller than message_size_limit/);
  });
});
