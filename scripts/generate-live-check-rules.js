#!/usr/bin/env node
// Rewrites src/core/live/liveCheckRules.generated.ts from the rules each live check declares in its own file,
// loading every check the registry lists. Compile first (`npm run compile-tests`).
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const { LIVE_CHECKS } = require(path.join(root, 'out/src/core/live/liveCheckRegistry.js'));
const { LIVE_CHECK_RULES_FILE, liveCheckRuleModule, liveCheckRuleTable } = require(path.join(root, 'out/src/core/live/liveCheckRuleTable.js'));

liveCheckRuleTable(LIVE_CHECKS).then((table) => {
  const file = path.join(root, LIVE_CHECK_RULES_FILE);
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const after = liveCheckRuleModule(table);
  if (after === before) console.log(`${LIVE_CHECK_RULES_FILE}: up to date`);
  else {
    fs.writeFileSync(file, after);
    console.log(`${LIVE_CHECK_RULES_FILE}: rewritten`);
  }
});
