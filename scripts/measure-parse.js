#!/usr/bin/env node
// Prints how long parsing and linting a large main.cf takes (median of repeated runs).
// Usage: npm run compile-tests && node scripts/measure-parse.js [lines]
'use strict';
const path = require('path');
const out = path.resolve(__dirname, '../out/src/core');
const { parseMainCf } = require(path.join(out, 'sources/postfix/mainCf'));
const { lintPostfix } = require(path.join(out, 'sources/postfix/lintPostfix'));
const { median, generateMainCf } = require('./benchData');

const big = Number(process.argv[2] || 10000);
const bigText = generateMainCf(big);
const smallText = generateMainCf(2000);
const rows = [
  [`parse ${big}-line main.cf`, median(() => parseMainCf({ file: 'main.cf', text: bigText }), 30, 3).ms],
  [`parse + lint ${big}-line main.cf`, median(() => lintPostfix({ main: { file: 'main.cf', text: bigText } }), 15, 3).ms],
  ['parse + lint 2,000-line main.cf (per keystroke)', median(() => lintPostfix({ main: { file: 'main.cf', text: smallText } }), 30, 3).ms],
];
for (const [what, ms] of rows) console.log(`${what.padEnd(50)} ${ms.toFixed(2)} ms`);
