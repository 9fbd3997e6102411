#!/usr/bin/env node
// Copies the screenshots of the latest integration run (.test-tmp/screenshots/, which tests write and git
// ignores) into the tree, where the README shows them. Tests never write into the tree themselves.
//
//   npm run test:integration && npm run screenshots
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const SHOTS = [
  ['.test-tmp/screenshots/diagnostics.png', 'docs/images/diagnostics.png'],
  ['.test-tmp/screenshots/screenshot-results.png', 'media/screenshot-results.png'],
  ['.test-tmp/screenshots/check-smtp-port.png', 'docs/images/check-smtp-port.png'],
  ['.test-tmp/screenshots/dead-resolver.png', 'docs/images/dead-resolver.png'],
];

let missing = 0;
for (const [from, to] of SHOTS) {
  const source = path.join(root, from);
  if (!fs.existsSync(source)) {
    console.error(`screenshots: ${from} is missing: run \`npm run test:integration\` first (it takes the screenshots)`);
    missing++;
    continue;
  }
  const taken = fs.statSync(source).mtime.toISOString().replace('T', ' ').slice(0, 16);
  fs.copyFileSync(source, path.join(root, to));
  console.log(`${to} <- ${from} (taken ${taken} UTC)`);
}
process.exit(missing ? 1 : 0);
