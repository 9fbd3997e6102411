// The mail world, end to end: a DNSSEC-signed test zone behind a validating resolver (nsd + unbound), and five
// real Postfix servers on port 25 — a good one (DANE-matched), one with an expired certificate, one without
// STARTTLS, one that speaks only TLS 1.0/1.1, and an open relay (through an access table no static rule can
// see into) — all inside a network namespace made for the test. A workspace names their domains the way an
// organisation's configs do, and `smtp-doctor check --relay-test` runs inside the namespace as a user would.
// Each of the four faults must be reported once, on the line to change; and every fact is compared with the
// specialists on the same servers in the same run: posttls-finger (STARTTLS, TLS version, DANE), ldns-dane,
// nmap's smtp-open-relay and ssl-enum-ciphers, and testssl.sh where it is installed.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hasCommand } from './peers/netns';
import { type MailWorld, mailWorldUnavailable, RESOLVER, startMailWorld } from './peers/mailWorld';
import type { PostfixPeer } from './peers/postfix';
import { createTestCerts, type TestCerts } from './peers/testCerts';
import { type ServerKind, startWorldServers, UNSIGNED_ZONE, WORLD_ADDRESSES, worldTestZone } from './peers/worldServers';
import { REPO_ROOT } from '../unit/helpers';

interface JsonFinding {
  readonly rule: string;
  readonly severity: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

const EDGE_MAIN = [
  'compatibility_level = 3.6',
  'myhostname = mx.good.test',
  'mydomain = good.test',
  'mydestination = good.test, expired.test, plain.test, old.test, unsigned.test',
  'mynetworks = 127.0.0.10/32',
  'smtpd_tls_cert_file = /etc/ssl/certs/mx.good.test.pem',
  'smtpd_tls_key_file = /etc/ssl/private/mx.good.test.key',
  'smtpd_tls_security_level = may',
  'smtpd_tls_protocols = >=TLSv1.2',
  'smtpd_tls_mandatory_protocols = >=TLSv1.2',
  'smtpd_tls_exclude_ciphers = aNULL',
  '',
].join('\n');

const RELAY_MAIN = [
  'compatibility_level = 3.6',
  'myhostname = mx.relay.test',
  'mydomain = relay.test',
  'mydestination = $mydomain',
  'mynetworks = 127.0.0.14/32',
  'smtpd_relay_restrictions = permit_mynetworks, check_client_access cidr:/etc/postfix/clients.cidr, reject_unauth_destination',
  'smtpd_tls_cert_file = /etc/ssl/certs/mx.relay.test.pem',
  'smtpd_tls_key_file = /etc/ssl/private/mx.relay.test.key',
  'smtpd_tls_security_level = may',
  'smtpd_tls_protocols = >=TLSv1.2',
  'smtpd_tls_mandatory_protocols = >=TLSv1.2',
  'smtpd_tls_exclude_ciphers = aNULL',
  '',
].join('\n');

const MASTER = 'smtp      inet  n       -       y       -       -       smtpd\n';

/** Runs the engine inside the namespace and prints the results tree's snapshot (what the VS Code panel draws). */
const TREE_SCRIPT = `
const [root, ws, dns] = JSON.parse(process.argv[1]);
const req = (m) => require(root + '/out/src/core/' + m);
const { collectConfigFiles } = req('fileWalk');
const { checkFiles } = req('check');
const { collectLiveTargets } = req('live/liveTargets');
const { runLiveChecks } = req('live/liveChecks');
const { buildResultsTree, snapshotOf } = req('report/resultsTree');
(async () => {
  const result = checkFiles(collectConfigFiles([ws]).files);
  const targets = collectLiveTargets(result.postfixInstances, result.endpoints, result.transports, result.dkimSelectors);
  const results = [];
  const live = await runLiveChecks(targets, { dnsServers: [dns], stepTimeoutMs: 3000, dnsblZones: [], relayTest: 'workspace', onResult: (r) => results.push(r) });
  const files = new Map();
  for (const f of result.findings) files.set(f.file, [...(files.get(f.file) || []), f]);
  const tree = buildResultsTree({ files, endpoints: result.endpoints, live: { running: false, targets, results, findings: live.findings } });
  process.stdout.write(JSON.stringify(snapshotOf(tree.roots)));
})().catch((e) => { console.error(e); process.exit(1); });
`;

interface Snapshot {
  readonly kind: string;
  readonly label: string;
  readonly description: string;
  readonly state: string;
  readonly children: readonly Snapshot[];
}

describe('the mail world: MX hosts, open relay, TLS versions and DANE against the specialists', function () {
  this.timeout(300_000);
  let certs: TestCerts;
  let world: MailWorld | undefined;
  let servers: Record<ServerKind, PostfixPeer> | undefined;
  let ws: string;
  let findings: JsonFinding[];
  let report: {
    probes: { host: string; port: number; status: string }[];
    tlsScans: { host: string; port: number; versions: { version: string; accepted?: boolean }[]; weakCiphers: { family: string; accepted?: boolean }[] }[];
    relayTests: { host: string; port: number; verdict: string; attempts: { accepted: boolean; to: string }[] }[];
    auth: { check: string; subject: string; problems: { ruleId: string; severity?: string }[]; summary: string }[];
  };
  let stderr: string;

  before(async function () {
    const why = mailWorldUnavailable();
    if (why) {
      console.log(`      cannot build the mail world here: ${why}`);
      this.skip();
    }
    certs = createTestCerts();
    world = await startMailWorld({ addresses: Object.values(WORLD_ADDRESSES), testZone: worldTestZone(certs), unsignedZones: [UNSIGNED_ZONE(certs)] });
    servers = await startWorldServers(world.netns, certs);
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-world-ws-'));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
      fs.writeFileSync(path.join(ws, rel), text);
    };
    write('edge/main.cf', EDGE_MAIN);
    write('edge/master.cf', MASTER);
    write('relay/main.cf', RELAY_MAIN);
    write('relay/master.cf', MASTER);
    write('relay/clients.cidr', '0.0.0.0/0 OK\n');
    // A config dir for posttls-finger, which reads main.cf.
    fs.writeFileSync(path.join(world.dir, 'main.cf'), 'compatibility_level = 3.6\n');
    const r = await world.exec(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'check', '.', '--format', 'json', '--dns', RESOLVER, '--relay-test', '--timeout', '3000', '--dnsbl', 'none'], { cwd: ws, timeoutMs: 120_000 });
    stderr = r.stderr;
    const json = JSON.parse(r.stdout);
    findings = json.findings;
    report = json;
  });

  after(async () => {
    await Promise.all(Object.values(servers ?? {}).map((s) => s.stop()));
    await world?.stop();
    certs?.cleanup();
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
  });

  const only = (rule: string) => findings.filter((f) => f.rule === rule);
  const exec = (command: string, args: string[], timeoutMs = 60_000) => world!.exec(command, args, { env: { MAIL_CONFIG: world!.dir }, timeoutMs });

  it('reports the expired MX certificate, the missing STARTTLS, the TLS 1.0/1.1-only MX and the open relay once each, on the line to change', () => {
    const expired = only('smtp/cert-expired');
    assert.deepStrictEqual(expired.map((f) => [f.file, f.line, f.severity]), [['edge/main.cf', 4, 'warning']], JSON.stringify(expired));
    assert.match(expired[0].message, /^The certificate of mx\.expired\.test:25 expired on 2020-02-01/);
    const plain = only('smtp/starttls-missing');
    assert.deepStrictEqual(plain.map((f) => [f.file, f.line, f.severity]), [['edge/main.cf', 4, 'warning']]);
    assert.match(plain[0].message, /^mx\.plain\.test:25 .*does not offer STARTTLS/);
    const old = only('smtp/tls-weak-version');
    assert.deepStrictEqual(old.map((f) => [f.file, f.line, f.severity]), [['edge/main.cf', 4, 'warning']]);
    assert.strictEqual(old[0].message, 'mx.old.test:25 speaks only TLS 1.0 and TLS 1.1, which clients with a TLS 1.2 floor refuse; enable TLS 1.2 and 1.3.');
    assert.deepStrictEqual(only('smtp/starttls-failed'), [], 'a TLS 1.0/1.1-only server is that, not a failed STARTTLS');
    // The open relay: on the access table in smtpd_relay_restrictions that lets strangers through.
    const relay = only('smtp/open-relay');
    assert.deepStrictEqual(relay.map((f) => [f.file, f.line, f.column, f.severity]), [['relay/main.cf', 6, 47, 'error']]);
    assert.match(relay[0].message, /^mx\.relay\.test:25 relays for anyone: it accepted <relay-test@example\.com> from a client outside mynetworks/);
    assert.deepStrictEqual(only('postfix/open-relay'), [], 'no static rule sees into the access table');
  });

  it('probes port 25 of every MX host of every checked domain, and prints no process warning', () => {
    const mxProbes = report.probes.filter((p) => p.port === 25).map((p) => `${p.host} ${p.status}`).sort();
    assert.deepStrictEqual(mxProbes, ['mx.expired.test open', 'mx.good.test open', 'mx.old.test open', 'mx.plain.test open', 'mx.relay.test open', 'mx1.unsigned.test open', 'mx2.unsigned.test open']);
    assert.strictEqual(stderr, '');
  });

  it('sees STARTTLS, the TLS version and the certificate as posttls-finger does', async function () {
    if (!hasCommand('posttls-finger')) this.skip();
    const finger = async (domain: string) => (await exec('posttls-finger', ['-c', '-l', 'may', domain])).stdout;
    assert.doesNotMatch(await finger('plain.test'), /TLS connection established/, 'posttls-finger: no STARTTLS at mx.plain.test');
    assert.match(await finger('expired.test'), /Untrusted TLS connection established to mx\.expired\.test\[127\.0\.0\.11\]:25: TLSv1\.3/);
    // posttls-finger (Postfix's client allows TLS 1.1 by default) gets TLS 1.1 where Node's floor of 1.2 gets nothing.
    assert.match(await finger('old.test'), /TLS connection established to mx\.old\.test\[127\.0\.0\.13\]:25: TLSv1\.1 /);
    const ours = (host: string) => report.tlsScans.find((s) => s.host === host && s.port === 25)!;
    assert.deepStrictEqual(ours('mx.old.test').versions.filter((v) => v.accepted).map((v) => v.version), ['TLSv1', 'TLSv1.1']);
  });

  it("agrees with nmap's smtp-open-relay and ssl-enum-ciphers on port 25 of the same servers", async function () {
    if (!hasCommand('nmap')) this.skip();
    const r = await exec('nmap', ['-Pn', '-n', '-sT', '-p', '25', '--script', 'ssl-enum-ciphers,smtp-open-relay', '--script-args', 'smtp-open-relay.domain=example.com', ...Object.values(WORLD_ADDRESSES)], 120_000);
    const hosts = new Map(r.stdout.split(/^Nmap scan report for /m).slice(1).map((block) => [block.split('\n')[0].trim(), block]));
    const relayTest = report.relayTests.find((t) => t.host === 'mx.relay.test')!;
    for (const [kind, address] of Object.entries(WORLD_ADDRESSES) as [ServerKind, string][]) {
      const block = hosts.get(address) ?? '';
      const nmapVersions = [...block.matchAll(/^\|\s+(TLSv1\.[0-3]):/gm)].map((m) => m[1].replace('TLSv1.0', 'TLSv1'));
      const scan = report.tlsScans.find((s) => s.host === `mx.${kind}.test` && s.port === 25);
      if (kind === 'plain') assert.ok(!scan && nmapVersions.length === 0, 'no STARTTLS: neither scans');
      else assert.deepStrictEqual(scan!.versions.filter((v) => v.accepted).map((v) => v.version), nmapVersions, `TLS versions of mx.${kind}.test`);
      const nmapRelays = /Server is an open relay \((\d+)\/(\d+) tests\)/.exec(block);
      if (kind === 'relay') {
        assert.ok(nmapRelays && nmapRelays[1] === nmapRelays[2], block);
        assert.strictEqual(relayTest.verdict, 'open');
        assert.ok(relayTest.attempts.every((a) => a.accepted), 'every form accepted, as nmap found every test relayed');
      } else assert.ok(!nmapRelays, `nmap: mx.${kind}.test is no open relay`);
    }
    // The relay test ran only where the workspace configures the server: the relay, and the edge server (closed).
    assert.deepStrictEqual(report.relayTests.map((t) => `${t.host} ${t.verdict}`).sort(), ['mx.good.test refused', 'mx.relay.test open']);
  });

  it('judges the TLS 1.0/1.1-only server as testssl.sh does (where installed)', async function () {
    if (!hasCommand('testssl')) {
      console.log('      testssl.sh is not installed: comparison skipped');
      this.skip();
    }
    const r = await exec('testssl', ['--quiet', '--color', '0', '--warnings', 'off', '-t', 'smtp', '-p', '-s', `${WORLD_ADDRESSES.old}:25`], 240_000);
    const offered = (label: string) => new RegExp(`^ ${label.replace('.', '\\.')}\\s+offered`, 'm').test(r.stdout);
    const scan = report.tlsScans.find((s) => s.host === 'mx.old.test')!;
    const ours = new Set(scan.versions.filter((v) => v.accepted).map((v) => v.version));
    assert.deepStrictEqual([offered('TLS 1'), offered('TLS 1.1'), offered('TLS 1.2'), offered('TLS 1.3')], [ours.has('TLSv1'), ours.has('TLSv1.1'), ours.has('TLSv1.2'), ours.has('TLSv1.3')], r.stdout);
    const weak = (label: RegExp) => r.stdout.split('\n').some((l) => label.test(l) && /\soffered/.test(l) && !/not offered/.test(l));
    assert.strictEqual(weak(/NULL ciphers/), scan.weakCiphers.find((c) => c.family === 'null')!.accepted);
    assert.strictEqual(weak(/Anonymous NULL/), scan.weakCiphers.find((c) => c.family === 'anonymous')!.accepted);
    assert.strictEqual(weak(/Export ciphers/), scan.weakCiphers.find((c) => c.family === 'export')!.accepted);
    assert.strictEqual(weak(/Triple DES/), scan.weakCiphers.find((c) => c.family === '3des')!.accepted);
  });

  it('reports DANE as a validating sender does (posttls-finger -l dane, ldns-dane): validated for good.test; none, and nothing "missing", for the unsigned zone', async function () {
    const dane = (subject: string) => report.auth.find((a) => a.check === 'dane' && a.subject === subject)!;
    assert.deepStrictEqual(dane('good.test').problems, []);
    assert.match(dane('good.test').summary, /certificate matches, DNSSEC-validated/);
    assert.deepStrictEqual(dane('unsigned.test').problems.map((p) => p.ruleId), ['dns/dane-unvalidated']);
    assert.ok(!findings.some((f) => f.rule === 'dns/dane-missing' && f.severity === 'warning'), 'no sibling "missing" warning anywhere');
    if (hasCommand('posttls-finger')) {
      const good = (await exec('posttls-finger', ['-c', '-l', 'dane', 'good.test'])).stdout;
      assert.match(good, /Matched DANE EE certificate at depth 0: 3 1 1/);
      assert.match(good, /Verified TLS connection established to mx\.good\.test/);
      const unsigned = (await exec('posttls-finger', ['-c', '-l', 'dane', 'unsigned.test'])).stdout;
      assert.doesNotMatch(unsigned, /Matched DANE|Verified TLS/, 'posttls-finger uses no DANE for the unsigned zone');
      assert.match(unsigned, /Untrusted TLS connection established to mx1\.unsigned\.test/);
    }
    if (hasCommand('ldns-dane')) {
      // ldns-dane speaks no STARTTLS, so only its DNSSEC judgement (before the handshake) is compared.
      assert.match((await exec('ldns-dane', ['verify', 'mx1.unsigned.test', '25'])).stdout + (await exec('ldns-dane', ['verify', 'mx1.unsigned.test', '25'])).stderr, /TLSA records for _25\._tcp\.mx1\.unsigned\.test\. were found, but were insecure/);
      const secure = await exec('ldns-dane', ['verify', 'mx.good.test', '25']);
      assert.doesNotMatch(secure.stdout + secure.stderr, /insecure/);
    }
  });

  it("shows each MX host's port-25 checks under its domain in the results tree", async () => {
    const r = await world!.exec(process.execPath, ['-e', TREE_SCRIPT, JSON.stringify([REPO_ROOT, ws, RESOLVER])], { timeoutMs: 120_000 });
    assert.strictEqual(r.stderr, '');
    const roots = JSON.parse(r.stdout) as Snapshot[];
    const edge = roots.find((n) => n.label.endsWith('edge/main.cf'))!;
    const domain = (name: string) => edge.children.find((n) => n.kind === 'domain' && n.label === name)!;
    const mxNode = (name: string, host: string) => domain(name).children.find((c) => /^MX \d+ /.test(c.label) && c.label.endsWith(` ${host}`))!;
    const expired = mxNode('expired.test', 'mx.expired.test');
    assert.strictEqual(expired.kind, 'endpoint');
    assert.match(expired.description, /^127\.0\.0\.11 · 25 open · STARTTLS · TLS 1\.3 · cert expired \d+ days ago/);
    assert.strictEqual(expired.state, 'warning');
    assert.deepStrictEqual(expired.children.map((c) => c.label), ['Connection', 'Greeting', 'STARTTLS', 'Authentication', 'TLS version', 'Certificate', 'TLS versions', 'Weak ciphers', 'Reverse DNS 127.0.0.11']);
    assert.strictEqual(expired.children.find((c) => c.label === 'Certificate')!.state, 'warning');
    const plain = mxNode('plain.test', 'mx.plain.test');
    assert.match(plain.description, /25 open · no STARTTLS/);
    assert.strictEqual(plain.children.find((c) => c.label === 'STARTTLS')!.state, 'warning');
    const old = mxNode('old.test', 'mx.old.test');
    assert.strictEqual(old.children.find((c) => c.label === 'TLS versions')!.description, 'TLS 1.0 and TLS 1.1');
    assert.strictEqual(old.children.find((c) => c.label === 'TLS versions')!.state, 'warning');
    const unsigned = domain('unsigned.test');
    assert.deepStrictEqual(unsigned.children.filter((c) => /^MX \d+ /.test(c.label)).map((c) => [c.label, c.kind]), [['MX 10 mx1.unsigned.test', 'endpoint'], ['MX 20 mx2.unsigned.test', 'endpoint']]);
    // The relay test shows under the relay server's own port 25.
    const relayFile = roots.find((n) => n.label.endsWith('relay/main.cf'))!;
    const relayPort = relayFile.children.find((n) => n.kind === 'endpoint' && n.label === 'mx.relay.test:25')!;
    const relayCheck = relayPort.children.find((c) => c.label === 'Open relay')!;
    assert.strictEqual(relayCheck.state, 'error');
    assert.match(relayCheck.description, /^accepted 17 of 17 foreign recipients$/);
  });
});
