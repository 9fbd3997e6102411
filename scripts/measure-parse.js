#!/usr/bin/env node
// Prints how long parsing and linting a large main.cf takes (median of repeated runs).
// Usage: npm run compile-tests && node scripts/measure-parse.js [lines]
'use strict';
const { performance } = require('perf_hooks');
const path = require('path');
const out = path.resolve(__dirname, '../out/src/core');
const { parseMainCf } = require(path.join(out, 'postfix/mainCf'));
const { lintPostfix } = require(path.join(out, 'postfix/lintPostfix'));
const { POSTFIX_DEFAULTS } = require(path.join(out, 'postfix/parameters.generated'));

/**
 * A main.cf of `lines` lines shaped like real ones: mostly comments and blank lines, each parameter set
 * once, some values continued on indented lines, $references, and a few typos.
 */
function generateMainCf(lines) {
  const names = [...POSTFIX_DEFAULTS.keys()];
  const out = [];
  for (let i = 0; out.length < lines; i++) {
    const name = names[i % names.length] + (i >= names.length ? `_copy${Math.floor(i / names.length)}` : '');
    out.push(`# ${name}: what this setting is for, in the words of whoever wrote this file.`, '#');
    if (i % 7 === 0) out.push('');
    if (i % 5 === 0) out.push(`${name} = $myhostname, localhost.$mydomain,`, `    extra${i}.example.com`);
    else if (i % 50 === 3) out.push(`${name.replace(/_/, '__')} = typo ${i}`);
    else out.push(`${name} = value${i}`);
  }
  return out.slice(0, lines).join('\n') + '\n';
}

function median(fn, runs) {
  for (let i = 0; i < 3; i++) fn(); // warm up the JIT
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const big = Number(process.argv[2] || 10000);
const bigText = generateMainCf(big);
const smallText = generateMainCf(2000);
const rows = [
  [`parse ${big}-line main.cf`, median(() => parseMainCf({ file: 'main.cf', text: bigText }), 30)],
  [`parse + lint ${big}-line main.cf`, median(() => lintPostfix({ main: { file: 'main.cf', text: bigText } }), 15)],
  ['parse + lint 2,000-line main.cf (per keystroke)', median(() => lintPostfix({ main: { file: 'main.cf', text: smallText } }), 30)],
];
for (const [what, ms] of rows) console.log(`${what.padEnd(50)} ${ms.toFixed(2)} ms`);
