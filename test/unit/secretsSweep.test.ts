// The secrets sweep: every output SMTP Doctor produces — CLI text, JSON and SARIF, `show`, `rules`, the
// Markdown report, the live-check text, the results tree (labels, descriptions, tooltips, ids, every string),
// and the live targets it would send over the network — run over a workspace full of passwords
// (test/fixtures/secrets), and again with live results from a hostile server that echoes credentials
// back in its banner, EHLO, certificate and errors. No password may appear in any of them: raw,
// JSON-escaped, percent-encoded, base64 (of the password, of user:password, and of AUTH PLAIN's
// \0user\0password), or as a 10-character piece of any of those (a truncated or half-masked secret).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../src/cli';
import { checkFiles } from '../../src/core/check';
import { collectConfigFiles } from '../../src/core/fileWalk';
import { type Finding, compareFindings } from '../../src/core/model';
import type { MxCheckResult, PtrCheckResult } from '../../src/core/live/dnsTypes';
import type { LiveResult } from '../../src/core/live/liveChecks';
import type { RelayTestResult } from '../../src/core/live/relayTest';
import { relayFindings } from '../../src/core/live/serverChecks';
import { type TlsScanResult, tlsScanFindings } from '../../src/core/live/tlsScanFindings';
import { verifyLogin } from '../../src/core/live/verifyLogin';
import { loginTargetAt } from '../../src/core/loginTarget';
import * as net from 'net';
import { mxFindings, outbound25Findings, probeFindings, ptrFindings } from '../../src/core/live/liveFindings';
import { type LiveTargets, type ProbeTarget, collectLiveTargets } from '../../src/core/live/liveTargets';
import type { Outbound25Diagnosis } from '../../src/core/live/outbound25';
import type { ProbeStatus, SmtpProbeResult } from '../../src/core/live/probeTypes';
import { REDACTED } from '../../src/core/redact';
import { formatJson } from '../../src/core/report/json';
import { formatLiveText } from '../../src/core/report/liveText';
import { formatMarkdown } from '../../src/core/report/markdown';
import { toReported, toReportedEndpoint } from '../../src/core/report/reportInput';
import { type ResultNode, type ResultsInput, buildResultsTree, snapshotOf } from '../../src/core/report/resultsTree';
import { formatSarif } from '../../src/core/report/sarif';
import { formatText } from '../../src/core/report/text';
import { allRuleMetas } from '../../src/core/rules';
import { REPO_ROOT } from './helpers';
import { SECRETS, type Secret, Sweep, writtenForm } from '../secretsFixture';

const FIXTURE_REL = 'test/fixtures/secrets';
const FIXTURE = path.join(REPO_ROOT, FIXTURE_REL);

// ---------- Running the outputs ----------

async function runMain(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(args, { out: (x) => (out += x), err: (x) => (out += x), cwd });
  return { code, out };
}

// show exits 1 where Postfix refuses the file, as postconf -n does (postfix/main.cf holds a pasted sasl_passwd line).
const CLI_RUNS: readonly { readonly name: string; readonly args: readonly string[]; readonly exit?: number }[] = [
  { name: 'check (default format)', args: ['check', '--offline', FIXTURE_REL] },
  { name: 'check --format text', args: ['check', '--offline', '--format', 'text', FIXTURE_REL] },
  { name: 'check --format json', args: ['check', '--offline', '--format', 'json', FIXTURE_REL] },
  { name: 'check --format sarif', args: ['check', '--offline', '--format=sarif', FIXTURE_REL] },
  { name: 'check --format json (one folder)', args: ['check', '--offline', '--format', 'json', `${FIXTURE_REL}/postfix-creds`] },
  { name: 'check --format text (files given one by one)', args: ['check', '--offline', `${FIXTURE_REL}/postfix/master.cf`, `${FIXTURE_REL}/config/mail.json`, `${FIXTURE_REL}/app/.env`] },
  { name: 'show postfix/main.cf', args: ['show', `${FIXTURE_REL}/postfix/main.cf`], exit: 1 },
  { name: 'show postfix/master.cf', args: ['show', `${FIXTURE_REL}/postfix/master.cf`] },
  { name: 'show postfix-creds/main.cf', args: ['show', `${FIXTURE_REL}/postfix-creds/main.cf`] },
  { name: 'rules', args: ['rules'] },
];

const rel = (file: string) => path.relative(FIXTURE, file).split(path.sep).join('/');

function staticCheck() {
  const { files } = collectConfigFiles([FIXTURE]);
  const result = checkFiles(files);
  return { files, result };
}

// ---------- A hostile server's answers ----------

/** A credential as a hostile server or resolver might echo it; the contexts redaction is meant to recognize. */
function credentialText(secret: Secret, variant: number): string {
  const p = secret.password;
  const user = secret.user ?? 'user';
  // A value with spaces is only recognizable quoted (no password here has both spaces and a '"').
  const spaced = /\s/.test(p);
  const quoted = spaced ? `"${p}"` : p;
  switch (variant % 5) {
    case 0:
      return `smtp://${encodeURIComponent(user)}:${encodeURIComponent(p)}@relay.example.test:587`;
    case 1:
      return `password=${quoted}`;
    case 2:
      return `pass: ${quoted}`;
    case 3:
      return spaced ? `smtp_sasl_password_maps="static:${user}:${p}"` : `smtp_sasl_password_maps=static:${user}:${p}`;
    default:
      return p.includes('"') ? `auth_token='${p}'` : `auth_token="${p}"`;
  }
}

const FAILING: readonly ProbeStatus[] = ['refused', 'timeout', 'unreachable', 'dns-failure', 'no-greeting', 'bad-greeting', 'cancelled'];

/** An open port whose every free-text field carries the secret. */
function openProbe(host: string, port: number, secret: Secret, k: number): SmtpProbeResult {
  const c = (v: number) => credentialText(secret, k + v);
  return {
    host,
    port,
    address: '192.0.2.77',
    status: 'open',
    banner: `220 ${host} ESMTP ready ${c(0)}\n220-${c(1)}\n220 ${c(2)}`,
    detail: `EHLO answered oddly: ${c(3)}`,
    extensions: { PIPELINING: '', STARTTLS: '', AUTH: `PLAIN LOGIN ${c(4)}`, [`X-ECHO ${c(0)}`]: c(1) },
    extensionsAfterTls: { AUTH: `PLAIN ${c(2)}`, 'X-AFTER': c(3) },
    tls: {
      mode: port === 465 ? 'implicit' : 'starttls',
      version: 'TLSv1',
      cipher: 'ECDHE-RSA-AES128-SHA',
      certificate: {
        subject: `CN=${c(4)}`,
        subjectAltNames: [`DNS:${c(0)}`, `DNS:${c(1)}`],
        issuer: `O=${c(2)}, CN=Hostile CA`,
        validFrom: '2026-01-01T00:00:00.000Z',
        validTo: '2026-07-01T00:00:00.000Z',
        daysLeft: 5,
        fingerprint256: 'AA:BB:CC',
        trusted: false,
        trustError: `SELF_SIGNED ${c(3)}`,
        hostnameMatches: false,
      },
    },
    timings: { dns: 1, connect: 2, greeting: 3, ehlo: 4, tls: 5, ehloAfterTls: 6, total: 21 },
  };
}

/** A port that failed, in one of every way, with the secret in what the failure says. */
function failedProbe(host: string, port: number, secret: Secret, k: number): SmtpProbeResult {
  const c = (v: number) => credentialText(secret, k + v);
  const status = FAILING[k % FAILING.length];
  if (k % (FAILING.length + 1) === FAILING.length) {
    // Open, but the TLS handshake failed.
    return { host, port, address: '192.0.2.78', status: 'open', banner: `220 ${c(1)}`, extensions: { STARTTLS: '', AUTH: c(2) }, tls: { mode: port === 465 ? 'implicit' : 'starttls', error: `handshake failed: ${c(0)}` }, timings: { total: 9 } };
  }
  return {
    host,
    port,
    address: '192.0.2.79',
    status,
    detail: `${status}: ${c(0)}`,
    banner: status === 'bad-greeting' ? `554 go away ${c(1)}\n554 ${c(2)}` : undefined,
    timings: { connect: 3, total: 3 },
  };
}

function outbound(host: string, secret: Secret, k: number): Outbound25Diagnosis {
  const c = (v: number) => credentialText(secret, k + v);
  return {
    host,
    verdict: k % 2 ? 'network-blocks-25' : 'inconclusive',
    summary: `Port 25 is silent (${c(0)}).`,
    recommendation: `Send through a relay (${c(1)}).`,
    evidence: [
      { target: `${host}:25`, host, port: 25, role: 'host-25', status: 'timeout', ms: 5000, detail: c(2) },
      { target: 'mx.ref.example.test:25', host: 'mx.ref.example.test', port: 25, role: 'reference-25', status: 'timeout', ms: 5000, detail: c(3) },
    ],
    missing: [c(4)],
  };
}

function mxResults(domain: string, secret: Secret, k: number): MxCheckResult[] {
  const c = (v: number) => credentialText(secret, k + v);
  return [
    { domain, status: 'lookup-failed', hosts: [], error: `SERVFAIL ${c(0)}`, ms: 4 },
    {
      domain,
      status: 'ok',
      hosts: [
        { exchange: `mx1.${domain}`, priority: 10, addresses: [], isCname: true, isIpLiteral: false, error: `ENOTFOUND ${c(1)}` },
        { exchange: `mx2.${domain}`, priority: 20, addresses: ['192.0.2.5'], isCname: false, isIpLiteral: false },
      ],
      ms: 4,
    },
    { domain, status: 'no-mx', hosts: [], error: `ENODATA ${c(2)}`, ms: 4 },
  ];
}

function ptrResults(address: string, secret: Secret, k: number): PtrCheckResult[] {
  const c = (v: number) => credentialText(secret, k + v);
  return [
    { address, status: 'mismatch', names: [c(0), `mail.example.test`], forwardConfirmed: false, expectedName: 'mail.example.com', matchesExpectedName: false, ms: 2 },
    { address, status: 'lookup-failed', names: [], forwardConfirmed: false, error: `ETIMEOUT ${c(1)}`, ms: 2 },
    { address, status: 'not-confirmed', names: [c(2)], forwardConfirmed: false, ms: 2 },
  ];
}

interface HostileRun {
  readonly targets: LiveTargets;
  readonly results: LiveResult[];
  readonly findings: Finding[];
  readonly live: { probes: SmtpProbeResult[]; mx: MxCheckResult[]; ptr: PtrCheckResult[]; outbound25: Outbound25Diagnosis[]; incomplete: boolean; tlsScans: TlsScanResult[]; relayTests: RelayTestResult[] };
}

/** A relay test whose server echoed the secret in every reply. */
function hostileRelay(host: string, port: number, secret: Secret, k: number): RelayTestResult {
  const c = (v: number) => credentialText(secret, k + v);
  return {
    host,
    port,
    address: '192.0.2.77',
    localAddress: '198.51.100.7',
    tls: true,
    verdict: k % 2 ? 'open' : 'refused',
    attempts: [
      { kind: 'direct', from: '', to: 'relay-test@example.com', mail: `250 ok ${c(0)}`, rcpt: `${k % 2 ? 250 : 554} ${c(1)}`, accepted: k % 2 === 1 },
      { kind: 'routed', from: 'relay-test@[192.0.2.77]', to: 'example.com!relay-test', mail: `250 ${c(2)}`, rcpt: `554 ${c(3)}`, accepted: false, error: `closed: ${c(4)}` },
    ],
    detail: c(1),
    ms: 5,
  };
}

/** A TLS scan whose server's refusals and odd answers carry the secret. */
function hostileScan(host: string, port: number, secret: Secret, k: number): TlsScanResult {
  const c = (v: number) => credentialText(secret, k + v);
  return {
    host,
    port,
    mode: port === 465 ? 'implicit' : 'starttls',
    versions: [
      { version: 'TLSv1', accepted: true, suite: 'TLS_RSA_WITH_AES_128_CBC_SHA' },
      { version: 'TLSv1.1', accepted: false, detail: `refused ${c(0)}` },
      { version: 'TLSv1.2', detail: `not a TLS answer: ${c(1)}` },
      { version: 'TLSv1.3', accepted: false, detail: c(2) },
    ],
    weakCiphers: [
      { family: 'anonymous', accepted: true, suite: 'TLS_DH_anon_WITH_AES_128_CBC_SHA' },
      { family: 'export', accepted: false, detail: c(3) },
      { family: 'rc4', detail: c(4) },
      { family: '3des', accepted: false },
      { family: 'null', accepted: false },
    ],
    ...(k % 3 === 0 ? { error: c(0) } : {}),
    ms: 7,
  };
}

/**
 * Live results for the fixture's own targets plus one extra host, domain and address per secret, each
 * echoing that secret; findings made from them as runLiveChecks makes them.
 */
function hostileRun(fixtureTargets: LiveTargets, anchor: { file: string }): HostileRun {
  const at = { file: anchor.file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  const probes: ProbeTarget[] = [...fixtureTargets.probes];
  const domains = [...fixtureTargets.domains];
  const ptrs = [...fixtureTargets.ptrs];
  SECRETS.forEach((_, i) => {
    const n = String(i + 1).padStart(2, '0');
    probes.push({ host: `hostile-${n}.example.test`, port: 587, security: 'starttls-required', locations: i % 2 ? [at] : [] });
    probes.push({ host: `hostile-${n}.example.test`, port: [25, 465, 2525][i % 3], locations: [at] });
    domains.push({ domain: `mx-${n}.example.test`, locations: [at] });
    ptrs.push({ hostOrAddress: `192.0.2.${100 + i}`, expectedName: 'mail.example.com', locations: [at] });
  });
  const targets: LiveTargets = { probes, domains, ptrs };
  const results: LiveResult[] = [];
  const findings: Finding[] = [];
  const live: HostileRun['live'] = { probes: [], mx: [], ptr: [], outbound25: [], incomplete: true, tlsScans: [], relayTests: [] };
  const secretFor = (k: number) => SECRETS[k % SECRETS.length];

  // Each secret gets an open port and a failed one (the fixture's own targets get some too).
  const seen = new Set<string>();
  probes.forEach((t, k) => {
    const key = `${t.host.toLowerCase()}:${t.port}`;
    if (seen.has(key)) return;
    seen.add(key);
    const secret = secretFor(Math.floor(k / 2));
    const result = k % 2 === 0 ? openProbe(t.host, t.port, secret, k) : failedProbe(t.host, t.port, secret, k);
    const r = t.port === 25 && result.status === 'open' ? { ...failedProbe(t.host, 25, secret, 1), status: 'timeout' as const } : result;
    live.probes.push(r);
    results.push({ kind: 'probe', result: r, target: t });
    if (r.status === 'timeout' && t.port === 25) {
      const d = outbound(t.host, secret, k);
      live.outbound25.push(d);
      results.push({ kind: 'outbound25', result: d });
      if (d.verdict === 'network-blocks-25') {
        for (const l of t.locations) findings.push(...outbound25Findings(l, d));
        return;
      }
    }
    for (const l of t.locations) findings.push(...probeFindings(l, r, t.security));
    // The checks past the probe, echoing the secret too.
    const scan = hostileScan(t.host, t.port, secret, k);
    const relay = hostileRelay(t.host, t.port, secret, k);
    live.tlsScans.push(scan);
    live.relayTests.push(relay);
    results.push({ kind: 'tls-scan', result: scan }, { kind: 'relay', result: relay });
    for (const l of t.locations) findings.push(...tlsScanFindings(l, scan, { role: 'submission', owned: true }), ...relayFindings(l, relay, undefined));
  });
  domains.forEach((d, k) => {
    const r = mxResults(d.domain, secretFor(k), k)[k % 3];
    live.mx.push(r);
    results.push({ kind: 'mx', result: r });
    for (const l of d.locations) findings.push(...mxFindings(l, r));
  });
  ptrs.forEach((p, k) => {
    const address = /^\d/.test(p.hostOrAddress) ? p.hostOrAddress : '192.0.2.99';
    const r = ptrResults(address, secretFor(k + 3), k)[k % 3];
    live.ptr.push(r);
    results.push({ kind: 'ptr', result: r });
    for (const l of p.locations) findings.push(...ptrFindings(l, r));
  });
  return { targets, results, findings, live };
}

function countNodes(nodes: readonly ResultNode[], pred: (n: ResultNode) => boolean): number {
  return nodes.reduce((sum, n) => sum + (pred(n) ? 1 : 0) + countNodes(n.children, pred), 0);
}

// ---------- The tests ----------

describe('secrets sweep', function () {
  this.timeout(60_000);

  it('knows every password in the fixture, and each is written there as listed', () => {
    const texts = new Map<string, string>();
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else texts.set(rel(p), fs.readFileSync(p, 'utf8'));
      }
    };
    walk(FIXTURE);
    for (const secret of SECRETS) {
      assert.ok(secret.password.startsWith(secret.id) && /\D/.test(secret.password[secret.id.length]), `${secret.id}: a password starts with its tag`);
      const text = texts.get(secret.file);
      assert.ok(text !== undefined, `${secret.id}: no fixture file ${secret.file}`);
      for (const form of secret.written) assert.ok(text.includes(writtenForm(secret, form)), `${secret.id} is not written in ${secret.file} as ${form}`);
    }
    const ids = SECRETS.map((x) => x.id);
    assert.strictEqual(new Set(ids).size, ids.length, 'tags are unique');
    assert.strictEqual(new Set(SECRETS.map((x) => x.password)).size, ids.length, 'passwords are unique');
    // The other way round: a password added to the fixture must be added to the list.
    const inFixture = new Set([...texts.values()].flatMap((t) => t.match(/Sw33p-\d+/g) ?? []));
    assert.deepStrictEqual([...inFixture].filter((tag) => !ids.includes(tag)), [], 'passwords in the fixture that the list does not name');
  });

  it('the fixture is really read: every file, endpoint and secret-bearing transport is found', () => {
    const { files, result } = staticCheck();
    const checked = files.map((f) => rel(f.file)).sort();
    for (const f of new Set(SECRETS.map((x) => x.file))) assert.ok(checked.includes(f), `${f} is read`);
    const endpoints = result.endpoints.map((e) => `${rel(e.file)} ${e.source}`);
    for (const source of ['postfix-relayhost', 'nodemailer', 'smtp-url', 'json', 'yaml', 'env']) assert.ok(endpoints.some((e) => e.endsWith(` ${source}`)), `an endpoint from ${source}`);
    assert.ok(result.endpoints.length >= 20, `${result.endpoints.length} endpoints`);
    assert.ok(result.endpoints.filter((e) => e.authPresent).length >= 15, 'most endpoints log in');
    const hardcoded = result.findings.filter((f) => f.ruleId === 'nodemailer/hardcoded-credentials').map((f) => rel(f.file));
    assert.ok(hardcoded.length >= 12, `${hardcoded.length} hard-coded credentials`);
    for (const f of ['app/src/mailer.js', 'app/src/mailer.ts', 'config/mail.json', 'config/settings.yml', 'config/mailers.yaml', 'deploy/docker-compose.yml', 'deploy/k8s/deployment.yaml']) {
      assert.ok(hardcoded.includes(f), `hard-coded credentials reported in ${f}`);
    }
    const rules = new Set(result.findings.map((f) => f.ruleId));
    for (const r of ['nodemailer/invalid-url', 'postfix/syntax', 'postfix/unknown-parameter', 'nodemailer/tls-verify-disabled']) assert.ok(rules.has(r), `a ${r} finding`);
    assert.ok(result.postfixInstances.length === 2, 'two Postfix instances');
    const targets = collectLiveTargets(result.postfixInstances, result.endpoints, result.transports);
    assert.ok(targets.probes.length >= 10 && targets.domains.length >= 1 && targets.ptrs.length >= 1, 'live targets of every kind');
  });

  it('no password in the CLI: check in every format, show, rules (in-process, from two working folders)', async () => {
    const sweep = new Sweep();
    for (const run of CLI_RUNS) {
      const r = await runMain([...run.args], REPO_ROOT);
      sweep.add(`cli ${run.name}`, r.out);
      if (run.args[0] === 'check') assert.ok(r.code === 0 || r.code === 1, `${run.name} exits 0 or 1, not ${r.code}: ${r.out.slice(0, 400)}`);
      else assert.strictEqual(r.code, run.exit ?? 0, `${run.name}: ${r.out.slice(0, 400)}`);
    }
    // From inside the fixture, with "." and relative paths.
    for (const format of ['text', 'json', 'sarif']) sweep.add(`cli check --format ${format} (cwd fixture)`, (await runMain(['check', '--offline', '--format', format, '.'], FIXTURE)).out);

    const json = JSON.parse(sweep.outputs.get('cli check --format json')!);
    assert.ok(json.endpoints.length >= 20, `JSON lists ${json.endpoints.length} endpoints`);
    assert.ok(json.findings.filter((f: { rule: string }) => f.rule === 'nodemailer/hardcoded-credentials').length >= 12, 'JSON reports the hard-coded credentials');
    const sarif = JSON.parse(sweep.outputs.get('cli check --format sarif')!);
    assert.ok(sarif.runs[0].results.length >= 25, 'SARIF has the findings');
    assert.match(sweep.outputs.get('cli check --format text')!, /12 files checked/);
    assert.match(sweep.outputs.get('cli show postfix/main.cf')!, /line 21: Missing "=" after "\[smtp\.example\.com\]:587"/);
    assert.match(sweep.outputs.get('cli show postfix-creds/main.cf')!, /^smtp_sasl_password_maps = static:/m);
    assert.match(sweep.outputs.get('cli show postfix/master.cf')!, /^relay +unix/m);
    assert.match(sweep.outputs.get('cli show postfix-creds/main.cf')!, /^relayhost = /m);
    assert.ok(sweep.outputs.get('cli check --format text')!.includes(REDACTED), 'the text output shows that something was masked');
    sweep.assertClean();
  });

  it('no password in the bundled dist/cli.js (child process), in any format', function () {
    const cli = path.join(REPO_ROOT, 'dist/cli.js');
    if (!fs.existsSync(cli)) this.skip();
    const sweep = new Sweep();
    for (const run of CLI_RUNS) {
      const r = spawnSync(process.execPath, [cli, ...run.args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 });
      assert.ok(r.status === (run.exit ?? 0) || (run.args[0] === 'check' && r.status === 1), `${run.name} exit ${r.status}: ${r.stderr}`);
      sweep.add(`dist/cli.js ${run.name} (stdout)`, r.stdout);
      sweep.add(`dist/cli.js ${run.name} (stderr)`, r.stderr);
    }
    assert.ok(JSON.parse(sweep.outputs.get('dist/cli.js check --format json (stdout)')!).endpoints.length >= 20, 'the bundle finds the endpoints');
    sweep.assertClean();
  });

  it('no password in the Markdown report, the live text, the results tree or the live targets of the static check', () => {
    const { files, result } = staticCheck();
    const sweep = new Sweep();
    const findings = [...result.findings].sort(compareFindings);
    const reported = findings.map((f) => toReported(f, rel));
    const endpoints = result.endpoints.map((e) => toReportedEndpoint(e, rel));
    const md = sweep.add('markdown report', formatMarkdown({ title: 'secrets', findings: reported, endpoints }));
    assert.ok(md.includes('nodemailer/hardcoded-credentials') && md.includes('## SMTP endpoints'), 'the report has the findings and endpoints');
    sweep.add('text report (formatText)', formatText({ findings: reported, endpoints, checkedFiles: files.length }));
    sweep.add('json report (formatJson)', formatJson({ findings: reported, endpoints }));
    sweep.add('sarif report (formatSarif)', formatSarif({ findings: reported, endpoints }, allRuleMetas(), '0.0.0-test'));
    sweep.add('live text (no results)', formatLiveText({ probes: [], mx: [], ptr: [], outbound25: [] }));

    const targets = collectLiveTargets(result.postfixInstances, result.endpoints, result.transports);
    sweep.addData('live targets (what would go over the network)', targets);

    const byFile = new Map<string, Finding[]>(files.map((f) => [f.file, []]));
    for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    const base: ResultsInput = { files: byFile, endpoints: result.endpoints, displayPath: rel };
    const trees: [string, ResultsInput][] = [
      ['before any run', base],
      ['while a run is under way', { ...base, live: { running: true, targets, results: [], findings: [] } }],
      ['after a run with no results', { ...base, live: { running: false, targets, results: [], findings: [] } }],
      ['with live checks off', { ...base, liveDisabledReason: 'this workspace is not trusted' }],
    ];
    for (const [name, input] of trees) {
      const tree = buildResultsTree(input);
      assert.ok(countNodes(tree.roots, (n) => n.kind === 'endpoint') >= 15, `${name}: the tree shows the endpoints`);
      assert.ok(countNodes(tree.roots, (n) => n.kind === 'finding') >= 25, `${name}: the tree shows the findings`);
      sweep.addData(`results tree ${name}`, tree);
      sweep.addData(`results tree snapshot ${name}`, snapshotOf(tree.roots));
    }
    sweep.assertClean();
  });

  it('no password from a hostile server: banner, EHLO, certificate, errors and DNS answers echo credentials', () => {
    const { files, result } = staticCheck();
    const fixtureTargets = collectLiveTargets(result.postfixInstances, result.endpoints, result.transports);
    const anchor = result.endpoints.find((e) => e.source === 'nodemailer')!;
    const run = hostileRun(fixtureTargets, anchor);
    const sweep = new Sweep();

    // Non-vacuous: the hostile text is really in the inputs.
    const inputs = JSON.stringify(run.live);
    for (const secret of SECRETS) assert.ok(inputs.includes(encodeURIComponent(secret.password)) || inputs.includes(JSON.stringify(secret.password).slice(1, -1)), `${secret.id} is echoed by the hostile server`);
    assert.ok(run.live.probes.length >= 2 * SECRETS.length, `${run.live.probes.length} probes`);
    assert.ok(run.live.outbound25.length >= 2 && run.live.mx.length >= SECRETS.length && run.live.ptr.length >= SECRETS.length);
    assert.ok(run.findings.length >= SECRETS.length, `${run.findings.length} live findings`);

    // As the CLI prints them: static and live findings together.
    const findings = [...result.findings, ...run.findings].sort(compareFindings);
    const reported = findings.map((f) => toReported(f, rel));
    const endpoints = result.endpoints.map((e) => toReportedEndpoint(e, rel));
    const liveText = sweep.add('live text (formatLiveText)', formatLiveText(run.live));
    const withLive = sweep.add('check text with live results', formatText({ findings: reported, endpoints, checkedFiles: files.length, live: run.live }));
    assert.ok(withLive.includes(liveText), 'the text report carries the live text');
    const json = sweep.add('check json with live results', formatJson({ findings: reported, endpoints, live: run.live }));
    sweep.addData('check json with live results, parsed', JSON.parse(json));
    sweep.add('check sarif with live findings', formatSarif({ findings: reported, endpoints }, allRuleMetas(), '0.0.0-test'));
    sweep.add('markdown report with live results', formatMarkdown({ title: 'hostile', generatedAt: '2026-01-01T00:00:00Z', findings: reported, endpoints, live: run.live }));
    sweep.addData('live findings (messages as diagnostics show them)', run.findings);

    const byFile = new Map<string, Finding[]>(files.map((f) => [f.file, []]));
    for (const f of result.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    for (const running of [false, true]) {
      const tree = buildResultsTree({ files: byFile, endpoints: result.endpoints, displayPath: rel, live: { running, targets: run.targets, results: run.results, findings: run.findings } });
      assert.ok(countNodes(tree.roots, (n) => n.kind === 'check') >= 4 * SECRETS.length, 'the tree shows the checks');
      assert.ok(countNodes(tree.roots, (n) => n.tooltip.includes('Banner')), 'tooltips show banners');
      sweep.addData(`results tree with hostile live results${running ? ' (still running)' : ''}`, tree);
    }

    sweep.assertClean();
    // The masking really happened (the hostile text reached the outputs and was masked, not dropped).
    for (const name of ['live text (formatLiveText)', 'check json with live results', 'markdown report with live results', 'check sarif with live findings']) {
      assert.ok(sweep.outputs.get(name)!.includes(REDACTED), `${name} shows masked credentials`);
    }
  });

  it('no password from Verify Login: what it says about each config line, and a server that echoes the login back', async () => {
    const { files, result } = staticCheck();
    const sweep = new Sweep();
    const read = (file: string) => files.find((f) => f.file === file)?.text;
    // A server that offers every mechanism and quotes every line it gets back in its refusals.
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.write('220 echo.test ESMTP\r\n');
      let buffer = '';
      socket.on('data', (d) => {
        buffer += d.toString('latin1');
        for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
          const line = buffer.slice(0, nl).replace(/\r$/, '');
          buffer = buffer.slice(nl + 1);
          if (/^EHLO/i.test(line)) socket.write('250-echo.test\r\n250 AUTH PLAIN LOGIN CRAM-MD5\r\n');
          else if (/^AUTH LOGIN$/i.test(line)) socket.write('334 VXNlcm5hbWU6\r\n');
          else if (/^AUTH CRAM-MD5$/i.test(line)) socket.write('334 PDEyMzQ1QGVjaG8udGVzdD4=\r\n');
          else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
          else socket.write(`535 5.7.8 you sent: ${line}\r\n`);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    let logins = 0;
    try {
      for (const f of files) {
        const lines = f.text.split('\n').length;
        for (let line = 0; line < lines; line++) {
          const found = loginTargetAt(result, f.file, line, read);
          if (!found.ok) {
            sweep.add(`verify ${rel(f.file)}:${line + 1} (refused)`, found.reason);
            continue;
          }
          logins++;
          // Sent to the echoing server on loopback instead of the configured host, in clear (loopback).
          const login = await verifyLogin({ ...found.login.target, host: '127.0.0.1', port, mode: 'none' }, { stepTimeoutMs: 2000 });
          sweep.addData(`verify ${rel(f.file)}:${line + 1} (result)`, login);
          sweep.add(`verify ${rel(f.file)}:${line + 1} (message)`, `${login.detail}${login.reply ? ` Server: ${login.reply}` : ''}`);
        }
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    assert.ok(logins >= 6, `${logins} logins found in the fixture`);
    sweep.assertClean();
    assert.ok([...sweep.outputs.values()].some((o) => o.includes('you sent: AUTH PLAIN ••••••')), 'the echo really came back, masked');
  });
});
