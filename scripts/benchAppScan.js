#!/usr/bin/env node
// Bench rows for scanning a big application workspace with the CLI (called by scripts/bench.js; runs on its
// own too: `node scripts/benchAppScan.js [files]` after `node esbuild.js --production`). The tree is a
// monorepo of 60,000 files: packages with source modules, translation JSONs that say "email" and "SMTP" in
// every language (what a mail settings screen needs), data files, a few transports and .env files.
// Measured: wall time against `grep -rl createTransport` on the same tree, peak RSS of the CLI process, and
// that the CLI finishes with a 64 MB V8 heap. Nothing here touches the network (--offline).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { performance } = require('perf_hooks');

const CLI = path.join(__dirname, '..', 'dist', 'cli.js');
const LANGS = ['en', 'de', 'fr', 'es', 'it', 'pt-BR', 'nl', 'pl', 'ru', 'ja', 'zh-CN', 'ko', 'tr', 'uk', 'sv', 'fi', 'cs', 'ar', 'he', 'vi'];

/** Writes the tree; returns the number of files. */
function generateTree(dir, total) {
  const locale = (lang, i) =>
    JSON.stringify(
      {
        settings: {
          email: { title: `Email settings (${lang})`, smtp_host: 'SMTP host', smtp_port: 'Port', host: 'Mail server address', port: 'Port number' },
          'email-address': `Email address ${i}`,
          mail: { subject: 'Welcome', body: 'Thanks for signing up, we sent you an email.' },
        },
        errors: Array.from({ length: 40 }, (_, k) => `Message ${k} about mail delivery in ${lang}`),
      },
      null,
      2,
    );
  const module = (i) => `export function handler${i}(req, res) {\n  const items = req.body.items.map((x) => x * ${i});\n  res.json({ ok: true, items });\n}\n`.repeat(6);
  const transport = (i) =>
    `import nodemailer from 'nodemailer';\nexport const mailer${i} = nodemailer.createTransport({\n  host: process.env.SMTP_HOST,\n  port: Number(process.env.SMTP_PORT ?? 587),\n  secure: false,\n  requireTLS: true,\n});\n`;
  let written = 0;
  for (let p = 0; written < total; p++) {
    const pkg = path.join(dir, `packages/pkg${p}`);
    fs.mkdirSync(path.join(pkg, 'src'), { recursive: true });
    fs.mkdirSync(path.join(pkg, 'locales'), { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: `@bench/pkg${p}`, dependencies: { nodemailer: '^6.9.0' } }));
    fs.writeFileSync(path.join(pkg, '.env'), `SMTP_HOST=smtp${p}.example.com\nSMTP_PORT=587\n`);
    written += 2;
    for (const lang of LANGS) {
      if (written >= total) break;
      fs.writeFileSync(path.join(pkg, 'locales', `${lang}.json`), locale(lang, p));
      written++;
    }
    for (let i = 0; i < 78 && written < total; i++) {
      const n = p * 100 + i;
      const name = i === 0 && p % 5 === 0 ? `mailer${n}.ts` : i % 7 === 0 ? `data${n}.json` : `mod${n}.ts`;
      const body = name.startsWith('mailer') ? transport(n) : name.startsWith('data') ? JSON.stringify({ id: n, tags: ['a', 'b'] }) : module(n);
      fs.writeFileSync(path.join(pkg, 'src', name), body);
      written++;
    }
  }
  return written;
}

/** Runs the CLI on `dir`; resolves to { ms, peakMb, status, endpoints }. */
function runCli(dir, nodeArgs = []) {
  const peak = 'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nmaxrss="+process.resourceUsage().maxRSS+"\\n"))';
  const t = performance.now();
  const r = spawnSync(process.execPath, [...nodeArgs, '--import', peak, CLI, 'check', '--offline', '--no-config', '--format', 'json', dir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t;
  const m = /\nmaxrss=(\d+)\n/.exec(r.stderr || '');
  let endpoints;
  try {
    endpoints = JSON.parse(r.stdout).endpoints.length;
  } catch {
    endpoints = undefined;
  }
  return { ms, peakMb: m ? Number(m[1]) / 1024 : undefined, status: r.status, endpoints, stderr: r.stderr };
}

/** The rows: [label, ours, peer, ratio, target]. */
function appScanRows(log = () => undefined, total = 60000) {
  const rows = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-bench-apps-'));
  try {
    log(`app scan: generating ${total.toLocaleString('en-US')} files (with ${LANGS.length} locale JSONs per package)`);
    const written = generateTree(dir, total);
    // Warm the page cache for both, then take the median of three.
    spawnSync('grep', ['-rl', 'createTransport', dir]);
    const med = (fn) => {
      const runs = [fn(), fn(), fn()].sort((a, b) => a.ms - b.ms);
      return runs[1];
    };
    const grep = med(() => {
      const t = performance.now();
      const r = spawnSync('grep', ['-rl', 'createTransport', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      return { ms: performance.now() - t, files: r.stdout.split('\n').filter(Boolean).length };
    });
    log('app scan: CLI runs');
    const ours = med(() => runCli(dir));
    const ok = ours.status === 0 || ours.status === 1;
    const label = `CLI check --offline, ${written.toLocaleString('en-US')}-file monorepo with locale JSONs`;
    rows.push([`${label} vs \`grep -rl createTransport\``, `${ours.ms.toFixed(0)} ms (${ours.endpoints ?? '?'} endpoints)`, `${grep.ms.toFixed(0)} ms (${grep.files} files)`, `${(ours.ms / grep.ms).toFixed(2)}x`, `${ok && ours.ms <= 5 * grep.ms ? 'met' : 'MISSED'}: within 5x of grep`]);
    rows.push([`${label}: peak RSS of the CLI process`, ours.peakMb === undefined ? '?' : `${ours.peakMb.toFixed(1)} MiB`, '—', '—', `${ours.peakMb !== undefined && ours.peakMb < 150 ? 'met' : 'MISSED'}: < 150 MiB`]);
    const small = runCli(dir, ['--max-old-space-size=64']);
    const passed = small.status === 0 || small.status === 1;
    rows.push([`${label}: with --max-old-space-size=64`, passed ? `exit ${small.status}, ${small.ms.toFixed(0)} ms, ${small.peakMb?.toFixed(1)} MiB` : `failed (exit ${small.status}): ${String(small.stderr).trim().split('\n').pop()}`, '—', '—', `${passed ? 'met' : 'MISSED'}: finishes`]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

module.exports = { appScanRows, generateTree };

if (require.main === module) {
  const total = Number(process.argv[2]) || 60000;
  for (const r of appScanRows((s) => process.stderr.write(`[bench] ${s}\n`), total)) console.log(`| ${r.join(' | ')} |`);
}
