#!/usr/bin/env node
// Generates a workspace of N files (M of them defining mail transports) in a temp folder and prints
// how long discovering + statically checking it takes, against the floor of `grep -rl` over the tree.
// Usage: npm run compile-tests && node scripts/measure-workspace-scan.js [files=20000] [withTransports=200]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { performance } = require('perf_hooks');
const out = path.resolve(__dirname, '../out/src/core');
const { collectConfigFiles } = require(path.join(out, 'fileWalk'));
const { checkFiles } = require(path.join(out, 'check'));

const total = Number(process.argv[2] || 20000);
const withTransports = Number(process.argv[3] || 200);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-scan-'));

const filler = (i) =>
  `// module ${i}\nexport function handler${i}(req, res) {\n  const items = req.body.items.map((x) => x * ${i});\n  res.json({ ok: true, items });\n}\n`.repeat(8);
const transport = (i) =>
  `import nodemailer from 'nodemailer';\n\nconst base = { auth: { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS } };\n` +
  `export const mailer${i} = nodemailer.createTransport({\n  ...base,\n  host: process.env.SMTP_HOST || 'smtp.example.com',\n` +
  `  port: Number(process.env.SMTP_PORT ?? ${i % 3 === 0 ? 465 : 587}),\n  secure: ${i % 5 === 0 ? 'true' : 'false'},\n});\n`;

let written = 0;
for (let i = 0; written < total; i++) {
  const dir = path.join(root, `packages/pkg${Math.floor(i / 100)}/src`);
  fs.mkdirSync(dir, { recursive: true });
  if (i % 100 === 0) {
    fs.writeFileSync(path.join(root, `packages/pkg${Math.floor(i / 100)}/.env`), `SMTP_HOST=smtp${i}.example.com\nSMTP_PORT=587\n`);
    written++;
  }
  const isTransport = i < total && Math.floor((i * withTransports) / total) !== Math.floor(((i + 1) * withTransports) / total);
  const kind = i % 10;
  const name = kind < 6 ? `mod${i}.ts` : kind < 8 ? `mod${i}.js` : kind < 9 ? `data${i}.json` : `notes${i}.md`;
  const body = isTransport ? transport(i) : kind === 8 ? JSON.stringify({ id: i, tags: ['a', 'b'], nested: { x: i } }, null, 2) : filler(i);
  fs.writeFileSync(path.join(dir, isTransport ? `mailer${i}.ts` : name), body);
  written++;
}

function median(fn, runs) {
  const times = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    last = fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], last };
}

const ours = median(() => {
  const { files } = collectConfigFiles([root]);
  return checkFiles(files);
}, 5);
const grep = median(() => execFileSync('grep', ['-rl', 'createTransport', root]).toString().split('\n').filter(Boolean).length, 5);
console.log(`workspace: ${written} files, ${withTransports} defining transports (${root})`);
console.log(`discover + read + check (ours)     ${ours.ms.toFixed(0).padStart(6)} ms   ${ours.last.endpoints.length} endpoints, ${ours.last.findings.length} findings`);
console.log(`grep -rl createTransport (floor)   ${grep.ms.toFixed(0).padStart(6)} ms   ${grep.last} files`);
console.log(`ratio                              ${(ours.ms / grep.ms).toFixed(2)}x`);
fs.rmSync(root, { recursive: true, force: true });
