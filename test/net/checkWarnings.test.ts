// `smtp-doctor check` as a whole process must print nothing on stderr: no MaxListenersExceededWarning, no
// deprecation, no unhandled rejection. The workspace fans out as far as a real one does: a domain with twelve
// MX hosts (three queries each and a port-25 probe each, all under one run's signals), an SPF record with
// includes, a relayhost, an application transport and DKIM selectors, all answered by a dnsmasq on loopback.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { type DnsmasqPeer, dnsmasqAvailable, startDnsmasq } from './peers/dnsmasq';
import { REPO_ROOT } from '../unit/helpers';

const MX_HOSTS = 12;

function runCli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('check prints no process warning', function () {
  this.timeout(60_000);
  let dns: DnsmasqPeer | undefined;
  let dir: string;

  before(async function () {
    if (!dnsmasqAvailable()) this.skip();
    const hosts = Array.from({ length: MX_HOSTS }, (_, i) => `mx${i + 1}.many.test`);
    dns = await startDnsmasq({
      mx: hosts.map((exchange, i) => ({ domain: 'many.test', exchange, preference: 10 + i })),
      hosts: [...hosts.map((name) => ({ name, addresses: ['127.0.0.1'] })), { name: 'mail.many.test', addresses: ['127.0.0.1'] }],
      txts: [
        { name: 'many.test', text: ['v=spf1 include:a.many.test include:b.many.test include:c.many.test mx -all'] },
        ...['a', 'b', 'c'].map((n) => ({ name: `${n}.many.test`, text: [`v=spf1 ip4:192.0.2.${n.charCodeAt(0) - 96} mx -all`] })),
        { name: '_dmarc.many.test', text: ['v=DMARC1; p=reject; rua=mailto:d@many.test'] },
      ],
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-warnings-'));
    fs.mkdirSync(path.join(dir, 'postfix'));
    fs.mkdirSync(path.join(dir, 'app'));
    fs.writeFileSync(
      path.join(dir, 'postfix', 'main.cf'),
      ['compatibility_level = 3.6', 'myhostname = mail.many.test', 'mydomain = many.test', 'myorigin = $mydomain', 'mydestination = $mydomain', 'relayhost = many.test', ''].join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'postfix', 'opendkim.conf'), 'Domain many.test\nSelector s1\nKeyFile /etc/dkim/s1.private\n');
    fs.writeFileSync(
      path.join(dir, 'app', 'mailer.js'),
      "const nodemailer = require('nodemailer');\nmodule.exports = nodemailer.createTransport({ host: 'mx1.many.test', port: 587, from: 'app@many.test' });\n",
    );
  });

  after(async () => {
    await dns?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('checks a workspace whose domain has twelve MX hosts with an empty stderr', async () => {
    const r = await runCli(['check', '.', '--dns', dns!.server, '--timeout', '1500', '--dnsbl', 'none', '--probe-hosts', '127.0.0.1'], dir);
    assert.strictEqual(r.stderr, '', `stderr:\n${r.stderr}`);
    assert.match(r.stdout, /many\.test\s+ok\s+10 mx1\.many\.test/, 'the MX set was looked up');
    assert.ok(r.code === 0 || r.code === 1, `exit code ${r.code}`);
  });
});
