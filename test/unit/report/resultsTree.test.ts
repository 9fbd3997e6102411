import * as assert from 'assert';
import { subjectSections } from '../../../src/core/report/checkRows';
import { indexResults } from '../../../src/core/report/liveResultIndex';
import type { LiveSubjectKind } from '../../../src/core/live/liveCheck';
import { LIVE_CHECKS } from '../../../src/core/live/liveCheckRegistry';
import type { Endpoint, Finding, Range } from '../../../src/core/model';
import type { MxCheckResult, PtrCheckResult } from '../../../src/core/live/dnsTypes';
import type { LiveResult } from '../../../src/core/live/liveChecks';
import type { LiveTargets } from '../../../src/core/live/liveTargets';
import type { Outbound25Diagnosis } from '../../../src/core/live/outbound25';
import type { SmtpProbeResult } from '../../../src/core/live/probeTypes';
import { type ResultNode, type ResultsInput, STATE_MARK_PATTERN, buildResultsTree, mdBlock, mdCode, mdText } from '../../../src/core/report/resultsTree';

const APP = 'file:///ws/src/mailer.js';
const MAIN = 'file:///ws/postfix/main.cf';
const ENV = 'file:///ws/.env';
const line = (n: number, from = 0, to = 10): Range => ({ start: { line: n, character: from }, end: { line: n, character: to } });
const rel = (f: string) => f.replace('file:///ws/', '');

const SECRET = 'hunter2-s3cret';
const transport: Endpoint = {
  host: 'smtp.example.test',
  port: 587,
  security: 'starttls-required',
  authPresent: true,
  source: 'nodemailer',
  sourceLabel: 'nodemailer transport',
  file: APP,
  range: line(3),
  optionRanges: {},
  envOrigins: { host: { variable: 'SMTP_HOST', file: ENV, range: line(0) } },
};

const healthy: SmtpProbeResult = {
  host: 'smtp.example.test',
  port: 587,
  address: '192.0.2.10',
  status: 'open',
  banner: '220 smtp.example.test ESMTP Postfix (Debian)',
  extensions: { PIPELINING: '', SIZE: '52428800', STARTTLS: '', '8BITMIME': '' },
  extensionsAfterTls: { PIPELINING: '', AUTH: 'PLAIN LOGIN' },
  tls: {
    mode: 'starttls',
    version: 'TLSv1.3',
    cipher: 'TLS_AES_256_GCM_SHA384',
    certificate: {
      subject: 'CN=smtp.example.test',
      subjectAltNames: ['smtp.example.test'],
      issuer: 'CN=Example Test CA',
      validFrom: '2026-01-01T00:00:00.000Z',
      validTo: '2026-09-20T00:00:00.000Z',
      daysLeft: 81,
      fingerprint256: 'AB:CD:EF',
      trusted: true,
      hostnameMatches: true,
    },
  },
  timings: { dns: 2, connect: 11, greeting: 25, ehlo: 4, tls: 31, ehloAfterTls: 3, total: 80 },
};

const probeTargets = (...hosts: [string, number, string, Range][]): LiveTargets['probes'] =>
  hosts.map(([host, port, file, range]) => ({ host, port, locations: [{ file, range }] }));

function tree(input: Partial<ResultsInput>) {
  return buildResultsTree({ files: new Map(), endpoints: [], displayPath: rel, ...input });
}
function find(nodes: readonly ResultNode[], label: string): ResultNode {
  for (const n of nodes) {
    if (n.label === label) return n;
    const inner = n.children.length ? findOrUndefined(n.children, label) : undefined;
    if (inner) return inner;
  }
  throw new Error(`no node ${label} in ${JSON.stringify(nodes.map((n) => n.label))}`);
}
function findOrUndefined(nodes: readonly ResultNode[], label: string): ResultNode | undefined {
  try {
    return find(nodes, label);
  } catch {
    return undefined;
  }
}
const everything = (nodes: readonly ResultNode[]): string => nodes.map((n) => [n.label, n.description, n.tooltip, everything(n.children)].join('\n')).join('\n');

describe('results tree', () => {
  it('is empty with nothing found, so the view shows its welcome', () => {
    const t = tree({});
    assert.deepStrictEqual(t.roots, []);
    assert.strictEqual(t.hasResults, false);
    assert.strictEqual(t.problems, 0);
  });

  it('lists config files by workspace path, their endpoints first and their findings folded under one Problems node, before any live run', () => {
    const finding: Finding = { ruleId: 'nodemailer/insecure-tls', severity: 'warning', file: APP, range: line(5), message: 'rejectUnauthorized: false turns off certificate checks.' };
    const t = tree({ files: new Map([[APP, [finding]], [MAIN, []]]), endpoints: [transport] });
    assert.deepStrictEqual(
      t.roots.map((r) => r.label),
      ['postfix/main.cf', 'src/mailer.js'],
    );
    const app = find(t.roots, 'src/mailer.js');
    assert.strictEqual(app.kind, 'file');
    assert.strictEqual(app.description, '1 warning · 1 server');
    assert.strictEqual(app.state, 'warning');
    assert.deepStrictEqual(
      app.children.map((c) => [c.kind, c.label, c.state]),
      [
        ['endpoint', 'smtp.example.test:587', 'skipped'],
        ['problems', 'Problems', 'warning'],
      ],
    );
    const problems = app.children[1];
    assert.strictEqual(problems.description, '1 finding · also in the Problems panel');
    assert.deepStrictEqual(problems.children.map((c) => [c.kind, c.label, c.state, c.ruleIds]), [['finding', finding.message, 'warning', ['nodemailer/insecure-tls']]]);
    const endpoint = app.children[0];
    assert.strictEqual(endpoint.description, 'STARTTLS required · not checked yet');
    assert.strictEqual(endpoint.location?.range.start.line, 3);
    assert.deepStrictEqual([endpoint.host, endpoint.port, app.file], ['smtp.example.test', 587, APP], 'what Re-check on a node checks again');
    assert.strictEqual(problems.children[0].description, 'nodemailer/insecure-tls · line 6');
    assert.strictEqual(find(t.roots, 'postfix/main.cf').description, 'no problems');
    assert.strictEqual(find(t.roots, 'postfix/main.cf').state, 'pass');
    assert.strictEqual(t.problems, 1);
  });

  it('shows targets without a result as running while a run is under way, and results as they arrive', () => {
    const targets: LiveTargets = { probes: probeTargets(['smtp.example.test', 587, APP, line(3)], ['other.example.test', 465, APP, line(9)]), domains: [], ptrs: [] };
    const first: LiveResult = { kind: 'probe', result: healthy, target: targets.probes[0] };
    const t = tree({ endpoints: [transport], live: { running: true, targets, results: [first], findings: [] } });
    const app = find(t.roots, 'src/mailer.js');
    assert.deepStrictEqual(
      app.children.map((c) => [c.label, c.state]),
      [
        ['smtp.example.test:587', 'pass'],
        ['other.example.test:465', 'running'],
      ],
    );
    assert.strictEqual(find(t.roots, 'other.example.test:465').description, 'server · submissions · checking…');
  });

  it('describes a healthy endpoint in one line, with one passing check per step', () => {
    const targets: LiveTargets = { probes: probeTargets(['smtp.example.test', 587, APP, line(3)]), domains: [], ptrs: [] };
    const t = tree({ endpoints: [transport], live: { running: false, targets, results: [{ kind: 'probe', result: healthy, target: targets.probes[0] }], findings: [] } });
    const endpoint = find(t.roots, 'smtp.example.test:587');
    assert.strictEqual(endpoint.description, '587 open · STARTTLS · TLS 1.3 · cert valid 81 days');
    assert.strictEqual(endpoint.state, 'pass');
    assert.deepStrictEqual(
      endpoint.children.map((c) => [c.label, c.state, c.description]),
      [
        ['Connection', 'pass', 'open · 192.0.2.10 · 80 ms'],
        ['Greeting', 'pass', '220 smtp.example.test ESMTP Postfix (Debian)'],
        ['STARTTLS', 'pass', 'offered · handshake ok'],
        ['Authentication', 'pass', 'AUTH PLAIN LOGIN after TLS only'],
        ['TLS version', 'pass', 'TLSv1.3 · TLS_AES_256_GCM_SHA384'],
        ['Certificate', 'pass', 'valid 81 days · issuer CN=Example Test CA'],
      ],
    );
    for (const check of endpoint.children) assert.strictEqual(check.location?.range.start.line, 3, `${check.label} goes to the config line`);
  });

  it('puts the evidence in the tooltips: banner, EHLO extensions, certificate, timings', () => {
    const targets: LiveTargets = { probes: probeTargets(['smtp.example.test', 587, APP, line(3)]), domains: [], ptrs: [] };
    const t = tree({ endpoints: [transport], live: { running: false, targets, results: [{ kind: 'probe', result: healthy, target: targets.probes[0] }], findings: [] } });
    const tip = (label: string) => find(t.roots, label).tooltip;
    assert.match(tip('Greeting'), /220 smtp\.example\.test ESMTP Postfix \(Debian\)/);
    assert.match(tip('STARTTLS'), /SIZE 52428800/);
    assert.match(tip('STARTTLS'), /AUTH PLAIN LOGIN/);
    assert.match(tip('Certificate'), /CN=Example Test CA/);
    assert.match(tip('Certificate'), /AB:CD:EF/);
    assert.match(tip('Certificate'), /2026-09-20/);
    assert.match(tip('Connection'), /connect 11 ms · greeting 25 ms/);
    assert.match(tip('smtp.example.test:587'), /SMTP_HOST/);
    assert.match(tip('smtp.example.test:587'), /credentials not shown/);
  });

  it('gives each failed step its finding\'s state and message, and the endpoint its worst state', () => {
    const bad: SmtpProbeResult = {
      ...healthy,
      extensions: { PIPELINING: '', AUTH: 'PLAIN' },
      extensionsAfterTls: undefined,
      tls: undefined,
    };
    const targets: LiveTargets = { probes: [{ host: 'smtp.example.test', port: 587, security: 'starttls-required', locations: [{ file: APP, range: line(3) }] }], domains: [], ptrs: [] };
    const t = tree({ endpoints: [transport], live: { running: false, targets, results: [{ kind: 'probe', result: bad, target: targets.probes[0] }], findings: [] } });
    const endpoint = find(t.roots, 'smtp.example.test:587');
    assert.strictEqual(endpoint.description, '587 open · no STARTTLS');
    assert.strictEqual(endpoint.state, 'error');
    const starttls = find(endpoint.children, 'STARTTLS');
    assert.strictEqual(starttls.state, 'error', 'required STARTTLS that is missing is an error');
    assert.match(starttls.tooltip, /does not offer STARTTLS/);
    assert.strictEqual(find(endpoint.children, 'Authentication').state, 'error', 'AUTH with no TLS at all sends passwords in clear');
    assert.strictEqual(find(endpoint.children, 'Authentication').description, 'AUTH PLAIN without TLS');
    assert.strictEqual(findOrUndefined(endpoint.children, 'Certificate'), undefined);

    const authFirst: SmtpProbeResult = { ...healthy, extensions: { STARTTLS: '', AUTH: 'LOGIN' } };
    const early = tree({ live: { running: false, targets, results: [{ kind: 'probe', result: authFirst, target: targets.probes[0] }], findings: [] } });
    assert.strictEqual(find(early.roots, 'Authentication').state, 'warning');
    assert.strictEqual(find(early.roots, 'Authentication').description, 'AUTH LOGIN before TLS');
    assert.match(find(early.roots, 'Authentication').tooltip, /smtpd\\_tls\\_auth\\_only/);
  });

  it('shows a TLS mode mix-up as its own check, with the evidence, and nothing after it', () => {
    const secureLine = line(5, 2, 14);
    const implicitApp: Endpoint = { ...transport, security: 'implicit-tls', optionRanges: { secure: { file: APP, range: secureLine } } };
    const met220: SmtpProbeResult = {
      host: 'smtp.example.test',
      port: 587,
      address: '192.0.2.10',
      status: 'no-greeting',
      plainGreetingDuringTls: true,
      banner: 'smtp.example.test ESMTP Postfix',
      tls: { mode: 'implicit', error: 'the server sent a plain-text SMTP greeting ("220 smtp.example.test ESMTP Postfix") instead of a TLS ServerHello' },
      detail: 'TLS handshake failed: the server sent a plain-text SMTP greeting ("220 smtp.example.test ESMTP Postfix") instead of a TLS ServerHello',
      timings: { connect: 11, tls: 12, total: 25 },
    };
    const targets: LiveTargets = { probes: [{ host: 'smtp.example.test', port: 587, security: 'implicit-tls', locations: [{ file: APP, range: line(3), security: 'implicit-tls', role: 'submission', tlsMode: { kind: 'nodemailer', at: { file: APP, range: secureLine } } }] }], domains: [], ptrs: [] };
    const t = tree({ endpoints: [implicitApp], live: { running: false, targets, results: [{ kind: 'probe', result: met220, target: targets.probes[0] }], findings: [] } });
    const endpoint = find(t.roots, 'smtp.example.test:587');
    assert.strictEqual(endpoint.state, 'error');
    assert.strictEqual(endpoint.description, '587 no greeting · speaks plain SMTP, not TLS at connect');
    assert.deepStrictEqual(
      endpoint.children.map((c) => [c.label, c.state]),
      [
        ['Connection', 'pass'],
        ['TLS mode', 'error'],
      ],
    );
    const mode = find(endpoint.children, 'TLS mode');
    assert.strictEqual(mode.description, 'server greets in plain text · client starts TLS at connect');
    assert.match(mode.tooltip, /smtp\/tls-mode-mismatch/);
    assert.match(mode.tooltip, /set secure: false or use port 465/);
    assert.match(mode.tooltip, /The secure setting is on line 6/);
    assert.match(mode.tooltip, /smtp.example.test ESMTP Postfix/);
    assert.match(mode.tooltip, /first bytes answering our TLS ClientHello were a plain-text SMTP reply/);
    // The problem line starts with the state's mark, which the adapter draws as an icon: no codicon in core.
    assert.deepStrictEqual([...mode.tooltip.matchAll(STATE_MARK_PATTERN)].map((m) => m[1]), ['error']);
    assert.doesNotMatch(everything(t.roots), /\$\([a-z~-]+\)/);
    assert.doesNotMatch(mdText('{state:error} forged'), STATE_MARK_PATTERN);

    // secure: false against an implicit-TLS port, probed before any target knew the option: from the endpoint.
    const silentThenTls: SmtpProbeResult = { host: 'smtp.example.test', port: 465, status: 'no-greeting', tlsRecordSeen: true, detail: 'no greeting within 5000 ms', timings: { greeting: 5000, tls: 3, total: 5004 } };
    const plainApp: Endpoint = { ...transport, port: 465, security: 'starttls-opportunistic', optionRanges: { secure: { file: APP, range: secureLine } } };
    const t2 = tree({ endpoints: [plainApp], live: { running: false, results: [{ kind: 'probe', result: silentThenTls, target: { host: 'smtp.example.test', port: 465, locations: [] } }], findings: [] } });
    const mode2 = find(t2.roots, 'TLS mode');
    assert.strictEqual(mode2.state, 'error');
    assert.strictEqual(mode2.description, 'server speaks implicit TLS · client waits for a plain greeting');
    assert.strictEqual(find(t2.roots, 'smtp.example.test:465').description, '465 no greeting · speaks implicit TLS');
    assert.match(mode2.tooltip, /set secure: true or use port 587/);
    assert.match(mode2.tooltip, /The secure setting is on line 6/);
    assert.strictEqual(findOrUndefined(t2.roots, 'Greeting'), undefined);
  });

  it('keeps "STARTTLS offered" and "certificate verified" apart, the certificate\'s state following the port\'s role', () => {
    const selfSigned: SmtpProbeResult = { ...healthy, tls: { ...healthy.tls!, certificate: { ...healthy.tls!.certificate!, trusted: false, trustError: 'DEPTH_ZERO_SELF_SIGNED_CERT' } } };
    // Submission (587, an application's server): the certificate is an error, STARTTLS still passes.
    const targets: LiveTargets = { probes: probeTargets(['smtp.example.test', 587, APP, line(3)]), domains: [], ptrs: [] };
    const t = tree({ endpoints: [transport], live: { running: false, targets, results: [{ kind: 'probe', result: selfSigned, target: targets.probes[0] }], findings: [] } });
    const endpoint = find(t.roots, 'smtp.example.test:587');
    assert.deepStrictEqual([find(endpoint.children, 'STARTTLS').state, find(endpoint.children, 'STARTTLS').description], ['pass', 'offered · handshake ok']);
    assert.deepStrictEqual([find(endpoint.children, 'Certificate').state, find(endpoint.children, 'Certificate').description], ['error', 'valid 81 days · untrusted · issuer CN=Example Test CA']);
    assert.strictEqual(endpoint.state, 'error');
    // The Postfix server's own port 25 (an MX): information, and the endpoint does not turn red for it.
    const mx: SmtpProbeResult = { ...selfSigned, host: 'mail.example.test', port: 25 };
    const mxTargets: LiveTargets = { probes: [{ host: 'mail.example.test', port: 25, role: 'mx', locations: [{ file: MAIN, range: line(0), role: 'mx', tlsMode: { kind: 'postfix-server' } }] }], domains: [], ptrs: [] };
    const t2 = tree({ live: { running: false, targets: mxTargets, results: [{ kind: 'probe', result: mx, target: mxTargets.probes[0] }], findings: [] } });
    const cert = find(t2.roots, 'Certificate');
    assert.strictEqual(cert.state, 'info');
    assert.match(cert.tooltip, /do not verify certificates/);
    assert.strictEqual(find(t2.roots, 'STARTTLS').state, 'pass');
    assert.strictEqual(find(t2.roots, 'mail.example.test:25').state, 'pass');
  });

  it('follows the user\'s severity overrides', () => {
    const expiring: SmtpProbeResult = { ...healthy, tls: { ...healthy.tls!, certificate: { ...healthy.tls!.certificate!, daysLeft: 5 } } };
    const targets: LiveTargets = { probes: probeTargets(['smtp.example.test', 587, APP, line(3)]), domains: [], ptrs: [] };
    const live = { running: false, targets, results: [{ kind: 'probe' as const, result: expiring, target: targets.probes[0] }], findings: [] };
    assert.strictEqual(find(tree({ live }).roots, 'Certificate').state, 'warning');
    assert.strictEqual(find(tree({ live, overrides: { 'smtp/cert-expiring': 'error' } }).roots, 'Certificate').state, 'error');
    assert.strictEqual(find(tree({ live, overrides: { 'smtp/cert-expiring': 'off' } }).roots, 'Certificate').state, 'pass');
  });

  it('shows a refused port as a failed connection with nothing after it', () => {
    const refused: SmtpProbeResult = { host: 'smtp.example.test', port: 587, status: 'refused', detail: 'ECONNREFUSED', timings: { connect: 1, total: 1 } };
    const targets: LiveTargets = { probes: probeTargets(['smtp.example.test', 587, APP, line(3)]), domains: [], ptrs: [] };
    const t = tree({ live: { running: false, targets, results: [{ kind: 'probe', result: refused, target: targets.probes[0] }], findings: [] } });
    const endpoint = find(t.roots, 'smtp.example.test:587');
    assert.strictEqual(endpoint.description, '587 refused');
    assert.deepStrictEqual(
      endpoint.children.map((c) => [c.label, c.state, c.description]),
      [['Connection', 'error', 'refused · ECONNREFUSED · 1 ms']],
    );
  });

  it('adds the outbound-25 verdict to a port 25 that timed out', () => {
    const timeout: SmtpProbeResult = { host: 'mail.example.test', port: 25, status: 'timeout', detail: 'no answer in 5000 ms', timings: { total: 5000 } };
    const diagnosis: Outbound25Diagnosis = {
      host: 'mail.example.test',
      verdict: 'network-blocks-25',
      summary: 'Port 25 is silent here and on 2 reference MX hosts, while port 587 connects.',
      recommendation: 'Send through a relay on port 587.',
      evidence: [
        { target: 'mail.example.test:25', host: 'mail.example.test', port: 25, role: 'host-25', status: 'timeout', ms: 5000 },
        { target: 'mx.ref.test:25', host: 'mx.ref.test', port: 25, role: 'reference-25', status: 'timeout', ms: 5000 },
        { target: 'mail.example.test:587', host: 'mail.example.test', port: 587, role: 'host-submission', status: 'open', ms: 40 },
      ],
    };
    const targets: LiveTargets = { probes: probeTargets(['mail.example.test', 25, MAIN, line(0)]), domains: [], ptrs: [] };
    const t = tree({
      live: { running: false, targets, results: [{ kind: 'probe', result: timeout, target: targets.probes[0] }, { kind: 'outbound25', result: diagnosis }], findings: [] },
    });
    const endpoint = find(t.roots, 'mail.example.test:25');
    assert.strictEqual(endpoint.description, '25 timed out · this network blocks port 25');
    assert.deepStrictEqual(
      endpoint.children.map((c) => [c.label, c.state]),
      [
        ['Connection', 'warning'],
        ['Outbound port 25', 'warning'],
      ],
    );
    assert.match(find(endpoint.children, 'Outbound port 25').tooltip, /mx\.ref\.test:25/);
  });

  it('shows a domain\'s MX answers and an address\'s reverse DNS under the line that named them', () => {
    const mx: MxCheckResult = {
      domain: 'example.test',
      status: 'ok',
      hosts: [
        { exchange: 'mx1.example.test', priority: 10, addresses: ['192.0.2.1'], isCname: false, isIpLiteral: false },
        { exchange: 'mx2.example.test', priority: 20, addresses: [], isCname: false, isIpLiteral: false, error: 'ENOTFOUND' },
      ],
      ms: 7,
    };
    const ptr: PtrCheckResult = { address: '192.0.2.25', status: 'ok', names: ['mail.example.test'], forwardConfirmed: true, expectedName: 'mail.example.test', matchesExpectedName: true, ms: 3 };
    const targets: LiveTargets = {
      probes: [],
      domains: [{ domain: 'example.test', locations: [{ file: MAIN, range: line(1) }] }],
      ptrs: [{ hostOrAddress: '192.0.2.25', expectedName: 'mail.example.test', locations: [{ file: MAIN, range: line(5) }] }],
    };
    const t = tree({ files: new Map([[MAIN, []]]), live: { running: false, targets, results: [{ kind: 'mx', result: mx }, { kind: 'ptr', result: ptr }], findings: [] } });
    const main = find(t.roots, 'postfix/main.cf');
    assert.deepStrictEqual(
      main.children.map((c) => [c.kind, c.label, c.description, c.state]),
      [
        ['domain', 'example.test', 'MX · 10 mx1.example.test, 20 mx2.example.test', 'error'],
        ['address', '192.0.2.25', 'PTR · mail.example.test · forward-confirmed', 'pass'],
      ],
    );
    const domain = main.children[0];
    assert.deepStrictEqual(
      domain.children.map((c) => [c.label, c.state]),
      [
        ['MX records', 'pass'],
        ['MX 10 mx1.example.test', 'pass'],
        ['MX 20 mx2.example.test', 'error'],
      ],
    );
    assert.match(domain.tooltip, /10 mx1\.example\.test → 192\.0\.2\.1/);
  });

  it("nests each MX host's port-25 checks under its domain: the probe's steps, the TLS scan and the relay test", () => {
    const mx: MxCheckResult = {
      domain: 'example.test',
      status: 'ok',
      hosts: [
        { exchange: 'mx1.example.test', priority: 10, addresses: ['192.0.2.1'], isCname: false, isIpLiteral: false },
        { exchange: 'mx2.example.test', priority: 20, addresses: ['192.0.2.2'], isCname: false, isIpLiteral: false },
      ],
      ms: 7,
    };
    const expired: SmtpProbeResult = {
      ...healthy,
      host: 'mx1.example.test',
      port: 25,
      address: '192.0.2.1',
      tls: { ...healthy.tls!, certificate: { ...healthy.tls!.certificate!, daysLeft: -3, validTo: '2026-06-27T00:00:00.000Z' } },
    };
    const plain: SmtpProbeResult = { host: 'mx2.example.test', port: 25, address: '192.0.2.2', status: 'open', banner: 'mx2 ESMTP', extensions: { PIPELINING: '' }, timings: { total: 9 } };
    const targets: LiveTargets = { probes: [], domains: [{ domain: 'example.test', locations: [{ file: MAIN, range: line(1) }] }], ptrs: [] };
    const mxProbe = (result: SmtpProbeResult): LiveResult => ({ kind: 'probe', result, target: { host: result.host, port: 25, role: 'mx', locations: [], mxOf: ['example.test'] } });
    const scan: LiveResult = {
      kind: 'tls-scan',
      result: {
        host: 'mx1.example.test',
        port: 25,
        mode: 'starttls',
        versions: [
          { version: 'TLSv1', accepted: true, suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA' },
          { version: 'TLSv1.1', accepted: false, detail: 'refused (protocol_version)' },
          { version: 'TLSv1.2', accepted: true, suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' },
          { version: 'TLSv1.3', accepted: true, suite: 'TLS_AES_128_GCM_SHA256' },
        ],
        weakCiphers: [
          { family: 'anonymous', accepted: false },
          { family: 'export', accepted: false },
          { family: 'rc4', accepted: false },
          { family: '3des', accepted: true, suite: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA' },
          { family: 'null', accepted: false },
        ],
        ms: 40,
      },
    };
    const relay: LiveResult = {
      kind: 'relay',
      result: { host: 'mx1.example.test', port: 25, address: '192.0.2.1', localAddress: '198.51.100.7', tls: true, verdict: 'refused', attempts: [{ kind: 'direct', from: '', to: 'relay-test@example.com', mail: '250 2.1.0 Ok', rcpt: '554 5.7.1 Relay access denied', accepted: false }], ms: 30 },
    };
    const t = tree({ files: new Map([[MAIN, []]]), live: { running: false, targets, results: [{ kind: 'mx', result: mx }, mxProbe(expired), mxProbe(plain), scan, relay], findings: [] } });
    const domain = find(t.roots, 'postfix/main.cf').children[0];
    const [records, mx1, mx2] = domain.children;
    assert.strictEqual(records.label, 'MX records');
    assert.deepStrictEqual([mx1.kind, mx1.label, mx1.host, mx1.port], ['endpoint', 'MX 10 mx1.example.test', 'mx1.example.test', 25]);
    assert.strictEqual(mx1.description, '192.0.2.1 · 25 open · STARTTLS · TLS 1.3 · cert expired 3 days ago');
    // An owned domain's MX: an expired certificate and a 3DES suite are warnings, TLS 1.0 besides 1.2/1.3 too.
    assert.strictEqual(mx1.state, 'warning');
    assert.deepStrictEqual(
      mx1.children.map((c) => [c.label, c.state]),
      [
        ['Connection', 'pass'],
        ['Greeting', 'pass'],
        ['STARTTLS', 'pass'],
        ['Authentication', 'pass'],
        ['TLS version', 'pass'],
        ['Certificate', 'warning'],
        ['TLS versions', 'warning'],
        ['Weak ciphers', 'warning'],
        ['Open relay', 'pass'],
      ],
    );
    assert.deepStrictEqual(mx1.children.slice(-3).map((c) => c.description), ['TLS 1.0, TLS 1.2 and TLS 1.3', 'accepts 3DES', 'refused · 1 attempts']);
    assert.match(mx1.children.find((c) => c.label === 'Open relay')!.tooltip, /never DATA/);
    assert.strictEqual(mx2.description, '192.0.2.2 · 25 open · no STARTTLS');
    assert.strictEqual(mx2.state, 'warning');
    assert.strictEqual(domain.state, 'warning');
  });

  it("lists an endpoint's rows as its checks contribute them: the probe's stages, then its TLS scan, then its relay test", () => {
    const targets: LiveTargets = { probes: probeTargets(['smtp.example.test', 587, APP, line(3)]), domains: [], ptrs: [] };
    const scan: LiveResult = {
      kind: 'tls-scan',
      result: { host: 'smtp.example.test', port: 587, mode: 'starttls', versions: [{ version: 'TLSv1', accepted: true, suite: 'TLS_RSA_WITH_AES_128_CBC_SHA' }, { version: 'TLSv1.3', accepted: true, suite: 'TLS_AES_128_GCM_SHA256' }], weakCiphers: [{ family: 'rc4', accepted: false }], ms: 40 },
    };
    const relay: LiveResult = {
      kind: 'relay',
      result: { host: 'smtp.example.test', port: 587, address: '192.0.2.10', localAddress: '198.51.100.7', tls: false, verdict: 'open', attempts: [{ kind: 'direct', from: '', to: 'relay-test@example.com', mail: '250 2.1.0 Ok', rcpt: '250 2.1.5 Ok', accepted: true }], ms: 30 },
    };
    // Another endpoint's scan is not this one's.
    const otherScan: LiveResult = { kind: 'tls-scan', result: { ...(scan.result as Extract<LiveResult, { kind: 'tls-scan' }>['result']), host: 'other.example.test' } };
    const t = tree({ endpoints: [transport], live: { running: false, targets, results: [{ kind: 'probe', result: healthy, target: targets.probes[0] }, relay, otherScan, scan], findings: [] } });
    const endpoint = find(t.roots, 'smtp.example.test:587');
    assert.deepStrictEqual(endpoint.children.map((c) => c.label).slice(-3), ['TLS versions', 'Weak ciphers', 'Open relay']);
    assert.deepStrictEqual(endpoint.children.slice(-3).map((c) => [c.state, c.description]), [
      ['pass', 'TLS 1.0 and TLS 1.3'],
      ['pass', 'none accepted'],
      ['warning', 'accepted 1 of 1 foreign recipients'],
    ]);
    assert.strictEqual(endpoint.state, 'warning');
  });

  it("takes a target's sections from the registry: the kinds of result its subject kind's checks declare", () => {
    const index = indexResults([]);
    const kinds = (subject: LiveSubjectKind) => subjectSections(subject, { index, overrides: {} }).map((x) => x.kind);
    assert.deepStrictEqual(kinds('endpoint'), ['probe', 'tls-scan', 'relay']);
    assert.deepStrictEqual(kinds('domain'), ['mx', 'auth']);
    assert.deepStrictEqual(kinds('address'), ['ptr', 'auth']);
    assert.deepStrictEqual(kinds('dkim'), ['auth']);
    for (const check of LIVE_CHECKS) for (const kind of check.results) assert.ok(kinds(check.subject).includes(kind), `${check.id}: ${kind} rows under ${check.subject}`);
  });

  it("shows an MX host's reverse DNS against the name it greets with, as information only", () => {
    const mx: MxCheckResult = { domain: 'example.test', status: 'ok', hosts: [{ exchange: 'mx1.example.test', priority: 10, addresses: ['192.0.2.1'], isCname: false, isIpLiteral: false }], ms: 7 };
    const probe: SmtpProbeResult = { host: 'mx1.example.test', port: 25, address: '192.0.2.1', status: 'open', banner: 'mx1.example.test ESMTP', extensions: { STARTTLS: '' }, timings: { total: 9 } };
    const targets: LiveTargets = { probes: [], domains: [{ domain: 'example.test', locations: [{ file: MAIN, range: line(1) }] }], ptrs: [] };
    const withPtr = (ptr: PtrCheckResult): LiveResult => ({ kind: 'probe', result: probe, target: { host: 'mx1.example.test', port: 25, role: 'mx', locations: [], mxOf: ['example.test'] }, ptr });
    const mx1 = (ptr: PtrCheckResult) => {
      const t = tree({ files: new Map([[MAIN, []]]), live: { running: false, targets, results: [{ kind: 'mx', result: mx }, withPtr(ptr)], findings: [] } });
      return find(t.roots, 'postfix/main.cf').children[0].children[1];
    };
    const mismatch = mx1({ address: '192.0.2.1', status: 'mismatch', names: ['host-1.isp.test'], forwardConfirmed: true, expectedName: 'mx1.example.test', ms: 2 });
    const reverse = mismatch.children.find((c) => c.label === 'Reverse DNS 192.0.2.1')!;
    assert.deepStrictEqual([reverse.state, reverse.description, reverse.ruleIds], ['info', 'host-1.isp.test · not mx1.example.test', ['dns/ptr-mismatch']]);
    const missing = mx1({ address: '192.0.2.1', status: 'no-ptr', names: [], forwardConfirmed: false, expectedName: 'mx1.example.test', ms: 2 });
    assert.strictEqual(missing.children.find((c) => c.label === 'Reverse DNS 192.0.2.1')!.state, 'info', 'an MX needs no PTR to receive mail');
    const ok = mx1({ address: '192.0.2.1', status: 'ok', names: ['mx1.example.test'], forwardConfirmed: true, expectedName: 'mx1.example.test', ms: 2 });
    assert.strictEqual(ok.children.find((c) => c.label === 'Reverse DNS 192.0.2.1')!.state, 'pass');
  });

  it('counts static and live errors and warnings for the badge and the file description', () => {
    const staticFinding: Finding = { ruleId: 'postfix/open-relay', severity: 'error', file: MAIN, range: line(2), message: 'Open relay.' };
    const hint: Finding = { ruleId: 'postfix/x', severity: 'information', file: MAIN, range: line(4), message: 'FYI.' };
    const liveFinding: Finding = { ruleId: 'smtp/port-refused', severity: 'error', file: APP, range: line(3), message: 'refused' };
    const t = tree({ files: new Map([[MAIN, [staticFinding, hint]]]), endpoints: [transport], live: { running: false, results: [], findings: [liveFinding] } });
    assert.strictEqual(t.problems, 2);
    assert.strictEqual(find(t.roots, 'postfix/main.cf').description, '1 error');
    assert.strictEqual(find(t.roots, 'src/mailer.js').description, '1 error · 1 server');
    assert.strictEqual(find(t.roots, 'FYI.').state, 'info');
  });

  it('in an untrusted workspace says why live checks are off, on top and on every target', () => {
    const t = tree({ files: new Map([[APP, []]]), endpoints: [transport], liveDisabledReason: 'this workspace is not trusted' });
    assert.strictEqual(t.roots[0].kind, 'notice');
    assert.match(t.roots[0].tooltip, /trusted workspace/);
    assert.strictEqual(find(t.roots, 'smtp.example.test:587').description, 'STARTTLS required · not checked · this workspace is not trusted');
    assert.deepStrictEqual(tree({ liveDisabledReason: 'this workspace is not trusted' }).roots, [], 'no notice without results: the welcome view says it');
  });

  it('marks results of a file edited since the run as out of date', () => {
    const targets: LiveTargets = { probes: probeTargets(['smtp.example.test', 587, APP, line(3)]), domains: [], ptrs: [] };
    const t = tree({ endpoints: [transport], live: { running: false, targets, results: [{ kind: 'probe', result: healthy, target: targets.probes[0] }], findings: [], staleFiles: new Set([APP]) } });
    const endpoint = find(t.roots, 'smtp.example.test:587');
    assert.strictEqual(endpoint.state, 'skipped');
    assert.strictEqual(endpoint.description, 'STARTTLS required · changed since the last check');
  });

  it('groups hosts checked by hand that no config names', () => {
    const target = { host: 'adhoc.example.test', port: 465, locations: [] };
    const t = tree({ live: { running: false, targets: { probes: [target], domains: [], ptrs: [] }, results: [{ kind: 'probe', result: { ...healthy, host: 'adhoc.example.test', port: 465, tls: { ...healthy.tls!, mode: 'implicit' } }, target }], findings: [] } });
    assert.strictEqual(t.roots.length, 1);
    assert.strictEqual(t.roots[0].kind, 'group');
    const endpoint = t.roots[0].children[0];
    assert.strictEqual(endpoint.label, 'adhoc.example.test:465');
    assert.strictEqual(endpoint.location, undefined);
    assert.match(endpoint.description, /^465 open · implicit TLS · TLS 1\.3/);
    assert.ok(find(endpoint.children, 'Implicit TLS'));
  });

  it('keeps ids stable across rebuilds, so expanded nodes stay expanded', () => {
    const a = tree({ endpoints: [transport] });
    const b = tree({ endpoints: [transport] });
    assert.deepStrictEqual(
      everythingIds(a.roots),
      everythingIds(b.roots),
    );
    const ids = everythingIds(a.roots);
    assert.strictEqual(new Set(ids).size, ids.length, 'ids are unique');
  });

  it('never shows a secret: credentials in a banner, a finding or a URL are masked', () => {
    const leaky: SmtpProbeResult = { ...healthy, banner: `220 smtp.example.test ready smtp://bob:${SECRET}@relay.test password=${SECRET}`, detail: `AUTH failed for pass: ${SECRET}` };
    const finding: Finding = { ruleId: 'nodemailer/hardcoded-credentials', severity: 'error', file: APP, range: line(3), message: `A password is written in the source (smtps://bob:${SECRET}@smtp.example.test).` };
    const targets: LiveTargets = { probes: probeTargets(['smtp.example.test', 587, APP, line(3)]), domains: [], ptrs: [] };
    const t = tree({ files: new Map([[APP, [finding]]]), endpoints: [transport], live: { running: false, targets, results: [{ kind: 'probe', result: leaky, target: targets.probes[0] }], findings: [] } });
    const text = everything(t.roots);
    assert.ok(!text.includes(SECRET), 'a secret reached the tree');
    assert.match(text, /••••••/);
  });

  it('escapes Markdown a server could send, and keeps code spans and blocks intact', () => {
    assert.strictEqual(mdText('[click](command:evil) <b>'), '\\[click\\](command:evil) \\<b\\>');
    assert.strictEqual(mdText('# not a heading'), '\\# not a heading');
    assert.strictEqual(mdCode('a`b'), '`` a`b ``');
    assert.ok(mdBlock('x\n```\ny').startsWith('````text\n'));
  });
});

function everythingIds(nodes: readonly ResultNode[]): string[] {
  return nodes.flatMap((n) => [n.id, ...everythingIds(n.children)]);
}
