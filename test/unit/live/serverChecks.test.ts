// What the checks past the probe mean on the config line: the setting that causes a finding about the
// workspace's own Postfix server, the static rule that already reports it, who the server trusts.
import * as assert from 'assert';
import type { Finding, Range } from '../../../src/core/model';
import { LIVE_RULES } from '../../../src/core/live/liveRules';
import type { RelayTestResult } from '../../../src/core/live/relayTest';
import { relayForms } from '../../../src/core/live/relayTest';
import { PostfixServer, placeOnServerSettings, postfixTlsFixes } from '../../../src/core/live/postfixServer';
import { clientTrusted, relayFindings } from '../../../src/core/live/serverChecks';
import { SERVER_RULES } from '../../../src/core/live/serverRules';
import { scrubLogin } from '../../../src/core/live/verifyLogin';
import { parsePostfixInstance } from '../../../src/core/sources/postfix/instance';

const MAIN = 'file:///ws/postfix/main.cf';
const MASTER = 'file:///ws/postfix/master.cf';
const line = (n: number, from = 0, to = 10): Range => ({ start: { line: n, character: from }, end: { line: n, character: to } });
const named = { file: MAIN, range: line(1, 13, 25) };

function server(main: string, master?: string, port = 25): PostfixServer {
  const instance = parsePostfixInstance({ main: { file: MAIN, text: main }, ...(master ? { master: { file: MASTER, text: master } } : {}) });
  const service = instance.master?.services.find((s) => s.fields[0].text.endsWith(port === 25 ? 'smtp' : 'submission'));
  return new PostfixServer(instance, port, service);
}

const live = (ruleId: string, severity: Finding['severity'] = 'warning'): Finding => ({ ruleId, severity, file: MAIN, range: named.range, message: `${ruleId} at mx.test:25.` });
const at = (f: Finding) => [f.ruleId, f.file.split('/').pop(), f.range.start.line, f.range.start.character];

const relay = (over: Partial<RelayTestResult> = {}): RelayTestResult => ({
  host: 'mx.test',
  port: 25,
  address: '203.0.113.25',
  localAddress: '198.51.100.7',
  tls: true,
  verdict: 'open',
  attempts: [{ kind: 'direct', from: '', to: 'relay-test@example.com', mail: '250 2.1.0 Ok', rcpt: '250 2.1.5 Ok', accepted: true }],
  ms: 5,
  ...over,
});

describe('findings about the workspace\'s own server, on the setting to change', () => {
  it('puts an expired certificate on smtpd_tls_cert_file, with the line naming the server as related', () => {
    const s = server('compatibility_level = 3.6\nmyhostname = mx.test\nsmtpd_tls_cert_file = /etc/ssl/mx.pem\n');
    const [f] = placeOnServerSettings([live(LIVE_RULES.certExpired.id)], s, named, 'the server mx.test:25, named here');
    assert.deepStrictEqual(at(f), ['smtp/cert-expired', 'main.cf', 2, 22]);
    assert.deepStrictEqual(f.related, [{ file: MAIN, range: named.range, message: 'the server mx.test:25, named here' }]);
  });

  it("prefers the service's -o override in master.cf to main.cf", () => {
    const s = server('smtpd_tls_cert_file = /etc/ssl/main.pem\n', 'smtp inet n - y - - smtpd\n  -o smtpd_tls_cert_file=/etc/ssl/smtp.pem\n');
    const [f] = placeOnServerSettings([live(LIVE_RULES.certExpired.id)], s, named, 'x');
    assert.deepStrictEqual(at(f), ['smtp/cert-expired', 'master.cf', 1, 25]);
  });

  it('leaves a finding whose setting is not written where it was (the line naming the server)', () => {
    const s = server('myhostname = mx.test\n');
    const [f] = placeOnServerSettings([live(LIVE_RULES.certExpired.id)], s, named, 'x');
    assert.deepStrictEqual(at(f), ['smtp/cert-expired', 'main.cf', 1, 13]);
    assert.strictEqual(f.related, undefined);
  });

  it('drops a live finding whose cause a static rule already reports (one root cause, one diagnostic)', () => {
    // postfix/tls-disabled reports smtpd_tls_security_level = none; the live "no STARTTLS" confirms it quietly.
    assert.deepStrictEqual(placeOnServerSettings([live(LIVE_RULES.starttlsMissing.id)], server('smtpd_tls_security_level = none\n'), named, 'x'), []);
    // postfix/weak-tls-protocol reports the written smtpd_tls_protocols line.
    assert.deepStrictEqual(placeOnServerSettings([live(LIVE_RULES.tlsWeakVersion.id)], server('smtpd_tls_protocols = !SSLv2, !SSLv3\n'), named, 'x'), []);
    // postfix/open-relay reports mynetworks = 0.0.0.0/0.
    assert.deepStrictEqual(placeOnServerSettings([live(SERVER_RULES.openRelay.id, 'error')], server('mynetworks = 0.0.0.0/0\n'), named, 'x'), []);
    // TLS on, but the live server offers no STARTTLS: the deployed configuration differs; the finding stays, on the level.
    const [f] = placeOnServerSettings([live(LIVE_RULES.starttlsMissing.id)], server('compatibility_level = 3.6\nmyhostname = mx.test\nsmtpd_tls_security_level = may\n'), named, 'x');
    assert.deepStrictEqual(at(f), ['smtp/starttls-missing', 'main.cf', 2, 27]);
  });

  it('puts an open relay on the access table or permit ahead of reject_unauth_destination, else on mynetworks', () => {
    const table = server('compatibility_level = 3.6\nmynetworks = 127.0.0.0/8\nsmtpd_relay_restrictions = permit_mynetworks, check_client_access cidr:/etc/postfix/clients.cidr, reject_unauth_destination\n');
    const [t] = placeOnServerSettings([live(SERVER_RULES.openRelay.id, 'error')], table, named, 'x');
    assert.deepStrictEqual(at(t), ['smtp/open-relay', 'main.cf', 2, 46]);
    assert.strictEqual(t.range.end.character, 46 + 'check_client_access cidr:/etc/postfix/clients.cidr'.length);
    const master = server('mynetworks = 127.0.0.0/8\n', 'smtp inet n - y - - smtpd\n  -o smtpd_recipient_restrictions=permit,reject_unauth_destination\n  -o smtpd_relay_restrictions=\n');
    assert.deepStrictEqual(at(placeOnServerSettings([live(SERVER_RULES.openRelay.id, 'error')], master, named, 'x')[0] ?? live('none')), ['none', 'main.cf', 1, 13], 'the static rule reports a permit before the gate');
    const plain = server('compatibility_level = 3.6\nmynetworks = 127.0.0.0/8, 192.168.0.0/16\n');
    assert.deepStrictEqual(at(placeOnServerSettings([live(SERVER_RULES.openRelay.id, 'error')], plain, named, 'x')[0]), ['smtp/open-relay', 'main.cf', 1, 13]);
  });

  it("names Postfix's own fix for weak TLS: the protocol setting of the service's level, the families to exclude", () => {
    assert.strictEqual(postfixTlsFixes(server('smtpd_tls_security_level = may\n')).versions, 'set smtpd_tls_protocols = >=TLSv1.2');
    const submission = server('smtpd_tls_exclude_ciphers = RC4\n', 'submission inet n - y - - smtpd\n  -o smtpd_tls_security_level=encrypt\n', 587);
    const fixes = postfixTlsFixes(submission);
    assert.strictEqual(fixes.versions, 'set smtpd_tls_mandatory_protocols = >=TLSv1.2');
    assert.strictEqual(fixes.ciphers(['anonymous', '3des']), 'set smtpd_tls_exclude_ciphers = RC4, aNULL, 3DES');
  });
});

describe('who the server trusts, for the relay test', () => {
  const trusted = (mynetworks: string | undefined, over: Partial<RelayTestResult> = {}) =>
    clientTrusted(relay(over), server(`compatibility_level = 3.6\n${mynetworks === undefined ? '' : `mynetworks = ${mynetworks}\n`}`));

  it('reads mynetworks: literal networks decide, a table or a name leaves it open', () => {
    assert.strictEqual(trusted('127.0.0.0/8'), false);
    assert.strictEqual(trusted('198.51.100.0/24'), true);
    assert.strictEqual(trusted('[2001:db8::]/32, 198.51.100.7'), true);
    assert.strictEqual(trusted('hash:/etc/postfix/network_table'), undefined);
    assert.strictEqual(trusted('127.0.0.0/8', { localAddress: '127.0.0.1', address: '127.0.0.9' }), true);
  });

  it("without mynetworks, Postfix's default (style host) trusts only the server's own machine", () => {
    assert.strictEqual(trusted(undefined), false);
    assert.strictEqual(trusted(undefined, { localAddress: '203.0.113.25' }), true, 'the server testing itself');
    assert.strictEqual(clientTrusted(relay(), server('compatibility_level = 1\n')), undefined, 'style subnet: its subnets are not known');
  });

  it('behind NAT the server sees another address: only a mynetworks of private ranges still excludes this client', () => {
    // A public server address (pure data: nothing is sent anywhere).
    const natted = { localAddress: '192.168.1.5', address: '192.0.3.25' };
    assert.strictEqual(trusted('127.0.0.0/8, 192.168.0.0/16', natted), false, 'the server sees a public address, outside these ranges');
    assert.strictEqual(trusted('192.0.3.0/24', natted), undefined);
  });

  it('makes an accepted foreign recipient an error only for a client known to be a stranger', () => {
    const where = { file: MAIN, range: line(3) };
    assert.deepStrictEqual(relayFindings(where, relay(), server('mynetworks = 127.0.0.0/8\n')).map((f) => f.severity), ['error']);
    assert.deepStrictEqual(relayFindings(where, relay(), undefined).map((f) => f.severity), ['warning']);
    assert.deepStrictEqual(relayFindings(where, relay(), server('mynetworks = 198.51.100.0/24\n')), []);
    const routed = relay({ verdict: 'routed-accepted', attempts: [{ kind: 'routed', from: 'relay-test@[203.0.113.25]', to: 'example.com!relay-test', mail: '250', rcpt: '250', accepted: true }] });
    const [f] = relayFindings(where, routed, server('mynetworks = 127.0.0.0/8\n'));
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(f.message, 'mx.test:25 accepted the routed address <example.com!relay-test> without a login: it may relay.');
    assert.deepStrictEqual(relayFindings(where, relay({ verdict: 'refused', attempts: [] }), undefined), []);
  });
});

describe('relay test address forms', () => {
  it('are the 17 forms: 5 plain foreign recipients, 12 routed through the server (by IP literal and by name)', () => {
    const forms = relayForms('mx.test', '203.0.113.25', 'example.test');
    assert.strictEqual(forms.length, 17);
    assert.deepStrictEqual(forms.filter((f) => f.kind === 'direct').map((f) => f.from), ['', 'relay-test@example.org', 'postmaster@example.test', 'relay-test@mx.test', 'relay-test@[203.0.113.25]']);
    assert.ok(forms.every((f) => f.to.includes('example.com')), 'every recipient routes to the reserved foreign domain');
    assert.deepStrictEqual(
      forms.filter((f) => f.kind === 'routed').map((f) => f.to),
      [
        'relay-test%example.com@[203.0.113.25]',
        'relay-test%example.com@mx.test',
        '"relay-test@example.com"',
        '"relay-test%example.com"',
        'relay-test@example.com@[203.0.113.25]',
        'relay-test@example.com@mx.test',
        '"relay-test@example.com"@[203.0.113.25]',
        '@[203.0.113.25]:relay-test@example.com',
        '@mx.test:relay-test@example.com',
        'example.com!relay-test',
        'example.com!relay-test@[203.0.113.25]',
        'example.com!relay-test@mx.test',
      ],
    );
    assert.ok(relayForms('mx.test', '2001:db8::25', undefined).some((f) => f.to.endsWith('@[IPv6:2001:db8::25]')));
  });
});

describe('a login echoed back by a server', () => {
  it('is masked in every form the login sent it in', () => {
    const target = { user: 'alice@mail.test', password: 'pw-Xy7-secret' };
    const plain = Buffer.from(`\u0000${target.user}\u0000${target.password}`).toString('base64');
    const text = `535 5.7.8 bad: AUTH PLAIN ${plain} / ${Buffer.from(target.password).toString('base64')} / ${target.password}`;
    const scrubbed = scrubLogin(text, target);
    assert.ok(!scrubbed.includes(plain) && !scrubbed.includes(target.password) && !scrubbed.includes(Buffer.from(target.password).toString('base64')), scrubbed);
    assert.match(scrubbed, /^535 5\.7\.8 bad: AUTH PLAIN ••••••/);
  });
});
