// Large inputs through the bundled CLI, in a child process whose V8 heap is capped at 64 MB: a 50 MB
// main.cf, a 50 MB script and a binary main.cf among 10,000 files must be skipped with a clear message
// (a CLI that read the 50 MB files whole would die of the heap cap), and every transport still found.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from './helpers';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const HEAP_MB = 64;
const FIFTY_MB = 50 * 1024 * 1024;
// The benchmark's generator: packages of modules, JSON data, notes and a .env each.
const { generateWorkspace } = require(path.join(REPO_ROOT, 'scripts', 'benchData.js')) as {
  generateWorkspace(dir: string, total: number, withTransports: number): number;
};

function writeRepeated(file: string, chunk: string, bytes: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const buf = Buffer.from(chunk.repeat(Math.ceil((1 << 20) / chunk.length))); // ~1 MB per write
  const fd = fs.openSync(file, 'w');
  for (let n = 0; n < bytes; n += buf.length) fs.writeSync(fd, buf, 0, Math.min(buf.length, bytes - n));
  fs.closeSync(fd);
}

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, CLI, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

let dir: string;

describe(`large inputs through the CLI (heap capped at ${HEAP_MB} MB)`, function () {
  this.timeout(60_000);

  before(function () {
    if (!fs.existsSync(CLI)) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-large-'));
    assert.ok(generateWorkspace(path.join(dir, 'generated'), 10_000, 100) >= 10_000);
    writeRepeated(path.join(dir, 'big', 'main.cf'), 'myhostname = mail.example.com\n# a comment that makes the file long\n', FIFTY_MB);
    // Mentions createTransport on every line, so only its size keeps it from being parsed.
    writeRepeated(path.join(dir, 'big', 'bundle.js'), "nodemailer.createTransport({ host: 'smtp.example.com', port: 587 });\n", FIFTY_MB);
    const binary = Buffer.alloc(64 * 1024);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 2654435761) >>> 24;
    fs.mkdirSync(path.join(dir, 'binary'));
    fs.writeFileSync(path.join(dir, 'binary', 'main.cf'), binary);
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('check: both main.cf files get config/skipped-file saying why; the 100 transports are all found', () => {
    const r = cli(['check', '.', '--offline', '--format', 'json']);
    assert.strictEqual(r.signal, null, `the CLI was killed (${r.signal}): ${r.err.slice(-500)}`);
    // Exit 1: some generated transports have errors (secure: true on 587).
    assert.strictEqual(r.code, 1, r.err.slice(-2000));
    const json = JSON.parse(r.out) as { findings: { rule: string; file: string; message: string }[]; endpoints: { file: string; source: string }[] };
    const skipped = json.findings.filter((f) => f.rule === 'config/skipped-file').map((f) => `${f.file}: ${f.message}`).sort();
    assert.deepStrictEqual(skipped, [
      'big/main.cf: File is 50.0 MB; files over 5 MB are not checked.',
      'binary/main.cf: File looks binary (it contains NUL bytes); it is not checked.',
    ]);
    // The 100 transports; a package's .env that no code in its folder reads is an endpoint of its own.
    assert.strictEqual(json.endpoints.filter((e) => e.file.startsWith('generated/') && e.source === 'nodemailer').length, 100);
    assert.ok(!json.endpoints.some((e) => e.file.startsWith('big/')), 'the 50 MB script was parsed');
  });

  it('show refuses the 50 MB and the binary main.cf in one line, exit 2, without reading them whole', () => {
    for (const [file, why] of [
      ['big/main.cf', /^smtp-doctor: big\/main\.cf: File is 50\.0 MB; files over 5 MB are not checked\.\n$/],
      ['binary/main.cf', /^smtp-doctor: binary\/main\.cf: File looks binary/],
    ] as const) {
      const r = cli(['show', file]);
      assert.strictEqual(r.code, 2, `${file}: exit ${r.code} ${r.signal ?? ''} ${r.err.slice(-300)}`);
      assert.match(r.err, why);
      assert.strictEqual(r.out, '');
    }
  });
});
