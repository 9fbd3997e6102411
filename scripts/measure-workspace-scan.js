#!/usr/bin/env node
// Generates a workspace of N files (M of them defining mail transports) in a temp folder and prints
// how long discovering + statically checking it takes, against the floor of `grep -rl` over the tree.
// Usage: npm run compile-tests && node scripts/measure-workspace-scan.js [files=20000] [withTransports=200]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const out = path.resolve(__dirname, '../out/src/core');
const { collectConfigFiles } = require(path.join(out, 'fileWalk'));
const { checkFiles } = require(path.join(out, 'check'));
const { median, generateWorkspace } = require('./benchData');

const total = Number(process.argv[2] || 20000);
const withTransports = Number(process.argv[3] || 200);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-scan-'));

const written = generateWorkspace(root, total, withTransports);

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
