// `npm run demo` (scripts/demo.js): runs end to end on loopback only and shows every kind of result.
// Needs dist/cli.js (node esbuild.js), like the other net tests.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'esbuild.js'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no esbuild.js above ${__dirname}`);
    dir = up;
  }
  return dir;
}

describe('npm run demo (scripts/demo.js)', function () {
  this.timeout(40_000);

  it('starts its loopback servers, prints every kind of result, stops them all and exits 0 within 30 s', async () => {
    const root = repoRoot();
    const started = Date.now();
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      // The demo's own stdout/stderr pipes: the child exiting (and both pipes closing) means no server is left.
      const child = spawn(process.execPath, [path.join(root, 'scripts', 'demo.js')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      const killer = setTimeout(() => child.kill('SIGKILL'), 35_000);
      child.once('error', reject);
      child.once('close', (c) => {
        clearTimeout(killer);
        resolve({ code: c, out: text });
      });
    });
    const elapsed = Date.now() - started;
    assert.strictEqual(code, 0, out);
    assert.ok(elapsed < 30_000, `took ${elapsed} ms`);

    // Live results, from the CLI's probe table.
    assert.match(out, /mail\.demo\.test:\d+\s+open\s+127\.0\.0\.1 · .*STARTTLS · .*TLSv1\.[23] .*cert valid \d+ days \(untrusted\)/, out);
    assert.match(out, /down\.demo\.test:\d+\s+refused\s/, out);
    assert.match(out, /silent\.demo\.test:\d+\s+no-greeting\s/, out);
    assert.match(out, /\[smtp\/cert-untrusted\]/);
    // DNS, all from the demo's responder.
    assert.match(out, /null MX/);
    assert.match(out, /nullmx\.demo\.test\s+null-mx/);
    assert.match(out, /demo\.test\s+ok\s+10 mail\.demo\.test \(127\.0\.0\.1\)/);
    // Mail authentication from the demo zone's TXT records: SPF published, DMARC monitoring only.
    assert.match(out, /\n  demo\.test\s+SPF\s+ok\s/, out);
    assert.match(out, /\n  demo\.test\s+DMARC\s+1 problem\s+.*p=none/, out);
    assert.match(out, /127\.0\.0\.1\s+ok\s+mail\.demo\.test \(forward-confirmed\)/);
    // Static findings.
    assert.match(out, /postfix\/main\.cf:\d+:\d+: warning: Unknown parameter "smtpd_tls_securty_level".*\[postfix\/unknown-parameter\]/);
    assert.match(out, /app\/src\/mailer\.js:\d+:\d+: error: secure is true on port 587: TLS at connect fails.*\[nodemailer\/secure-port-mismatch\]/);
    // The closing lines: why the CLI said 1, and that the servers are gone.
    assert.match(out, /The CLI exited with 1 because/);
    assert.match(out, /All demo servers stopped\./);
  });
});
