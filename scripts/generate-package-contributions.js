#!/usr/bin/env node
// Rewrites package.json's activationEvents, contributes.languages and smtpDoctor.include default from the
// configuration-source registry (src/core/sources/registry.ts). Compile first (`npm run compile-tests`).
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const { withSourceContributions } = require(path.join(root, 'out/src/core/sources/packageContributions.js'));

const file = path.join(root, 'package.json');
const before = fs.readFileSync(file, 'utf8');
const after = JSON.stringify(withSourceContributions(JSON.parse(before)), null, 2) + '\n';
if (after === before) console.log('package.json: up to date');
else {
  fs.writeFileSync(file, after);
  console.log('package.json: source contributions rewritten');
}
