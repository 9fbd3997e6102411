#!/usr/bin/env node
// Rewrites the rule tables of README.md and docs/rules/README.md from rule metadata (between their
// `<!-- rule-table:NAME -->` markers). Run through `npm run docs:rules`, which compiles first.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const { allRuleMetas } = require(path.join(root, 'out/src/core/rules.js'));
const { withReadmeRuleTable, withRuleIndexTables } = require(path.join(root, 'out/src/core/report/ruleTables.js'));

const metas = allRuleMetas();
for (const [rel, regenerate] of [
  ['README.md', withReadmeRuleTable],
  ['docs/rules/README.md', withRuleIndexTables],
]) {
  const file = path.join(root, rel);
  const before = fs.readFileSync(file, 'utf8');
  const after = regenerate(before, metas);
  if (after === before) {
    console.log(`${rel}: up to date`);
  } else {
    fs.writeFileSync(file, after);
    console.log(`${rel}: rule tables rewritten`);
  }
}
