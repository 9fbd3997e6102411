import * as assert from 'assert';
import { checkFiles } from '../../../src/core/check';
import type { SmtpProbeResult } from '../../../src/core/live/probeTypes';
import { REDACTED, redactText } from '../../../src/core/redact';
import { formatMarkdown } from '../../../src/core/report/markdown';
import { toReported, toReportedEndpoint } from '../../../src/core/report/reportInput';

const PASSWORD = 'hunter2-Sup3rSecret';

/** Static results of a small workspace, as the extension reports them (paths relative). */
function reportOf(files: Record<string, string>) {
  const result = checkFiles(Object.entries(files).map(([file, text]) => ({ file, text })));
  return {
    findings: result.findings.map((f) => toReported(f)),
    endpoints: result.endpoints.map((e) => toReportedEndpoint(e)),
  };
}

const mailer = [
  "const nodemailer = require('nodemailer');",
  `const t = nodemailer.createTransport({ host: 'smtp.example.com', port: 587, secure: true, auth: { user: 'app', pass: '${PASSWORD}' } });`,
  '',
].join('\n');
const mainCf = 'myhostname = mail.example.org\nmynetworkz = 127.0.0.0/8\n';

const openProbe: SmtpProbeResult = {
  host: 'smtp.example.com',
  port: 587,
  address: '192.0.2.7',
  status: 'open',
  banner: '220 smtp.example.com ESMTP | ready',
  extensions: { STARTTLS: '', AUTH: 'PLAIN LOGIN' },
  tls: { mode: 'starttls', version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', certificate: { subject: 'CN=smtp.example.com', subjectAltNames: [], issuer: 'CN=Test CA', validFrom: '', validTo: '', daysLeft: 80, fingerprint256: '', trusted: true, hostnameMatches: true } },
  timings: { total: 41.6 },
};
const refusedProbe: SmtpProbeResult = { host: 'smtp.example.com', port: 25, status: 'refused', detail: 'ECONNREFUSED', timings: { total: 2 } };

describe('Markdown report', () => {
  it('lists findings by file, each with its line and rule id', () => {
    const md = formatMarkdown(reportOf({ 'app/mailer.js': mailer, 'postfix/main.cf': mainCf }));
    assert.match(md, /^# SMTP Doctor report\n/);
    assert.match(md, /### `app\/mailer\.js`/);
    assert.match(md, /### `postfix\/main\.cf`/);
    assert.match(md, /\| 2:\d+ \| \w+ \| `nodemailer\/hardcoded-credentials` \|/);
    assert.match(md, /\| 2:1 \| \w+ \| `postfix\/unknown-parameter` \|/);
    assert.match(md, /\*\*\d+ errors?, \d+ warnings?, \d+ other\*\* in 2 files\./);
  });

  it('lists the endpoints with security, whether they log in, and where they are defined', () => {
    const md = formatMarkdown(reportOf({ 'app/mailer.js': mailer }));
    assert.match(md, /\| `smtp\.example\.com` \| 587 \| implicit-tls \| yes \| app\/mailer\.js:2 \(nodemailer\) \|/);
  });

  it('never shows a literal password from the configuration', () => {
    const md = formatMarkdown(reportOf({ 'app/mailer.js': mailer }));
    assert.ok(!md.includes(PASSWORD), md);
  });

  it('tabulates live probe facts, sorted by host and port', () => {
    const md = formatMarkdown({ findings: [], endpoints: [], live: { probes: [openProbe, refusedProbe], mx: [], ptr: [], outbound25: [] } });
    const rows = md.split('\n').filter((l) => l.startsWith('| `smtp.example.com:'));
    assert.deepStrictEqual(rows.map((r) => r.split(' | ')[0]), ['| `smtp.example.com:25`', '| `smtp.example.com:587`']);
    assert.match(rows[0], /\| refused \| ECONNREFUSED \| 2 ms \|$/);
    assert.match(rows[1], /\| open \| 192\.0\.2\.7 · "220 smtp\.example\.com ESMTP \\\| ready" · STARTTLS · AUTH PLAIN LOGIN · STARTTLS TLSv1\.3 TLS_AES_256_GCM_SHA384 · cert valid 80 days \| 42 ms \|$/);
  });

  it('says when a live run was incomplete, and adds MX and reverse DNS tables', () => {
    const md = formatMarkdown({
      findings: [],
      endpoints: [],
      live: {
        incomplete: true,
        probes: [],
        mx: [{ domain: 'example.org', status: 'ok', hosts: [{ exchange: 'mx.example.org', priority: 10, addresses: ['192.0.2.1'], isCname: false, isIpLiteral: false }], ms: 3 }],
        ptr: [{ address: '192.0.2.1', status: 'ok', names: ['mx.example.org'], forwardConfirmed: true, ms: 2 }],
        outbound25: [],
      },
    });
    assert.match(md, /_Incomplete: the run was cancelled/);
    assert.match(md, /\| `example\.org` \| ok \| 10 mx\.example\.org \(192\.0\.2\.1\) \|/);
    assert.match(md, /\| `192\.0\.2\.1` \| ok \| mx\.example\.org \(forward-confirmed\) \|/);
  });

  it('masks credentials that reach free text (a server reply, an error)', () => {
    const probe: SmtpProbeResult = { ...refusedProbe, detail: `failed for smtp://app:${PASSWORD}@smtp.example.com and password=${PASSWORD}` };
    const md = formatMarkdown({ findings: [], endpoints: [], live: { probes: [probe], mx: [], ptr: [], outbound25: [] } });
    assert.ok(!md.includes(PASSWORD), md);
    assert.ok(md.includes(`smtp://app:${REDACTED}@smtp.example.com`));
  });

  it('redactText leaves ordinary text alone', () => {
    assert.strictEqual(redactText('smtp.example.com:587 open (secure: true) in 12 ms'), 'smtp.example.com:587 open (secure: true) in 12 ms');
    assert.strictEqual(redactText('pass: "a b"'), `pass: ${REDACTED}`);
  });
});
