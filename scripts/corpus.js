#!/usr/bin/env node
// Real-world precision harness: runs `smtp-doctor check --offline --format json` on every entry of a
// corpus folder (each immediate subfolder is one copied public repository; see corpus/*.tsv for the
// lists) and prints what a person judging the findings needs: per entry the files, endpoints and
// findings; per rule the counts. The corpus itself is never committed (it is other people's code).
//
//   npm run corpus -- DIR [--details] [--json FILE] [--rule RULE]... [--entry NAME]...
//
//   --details   every finding (entry/file:line severity rule message) and every endpoint
//   --json FILE everything, machine-readable, for a judging sheet
//   --rule      only these rules (repeatable); --entry only these entries (repeatable)
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const CLI = path.join(__dirname, '..', 'dist', 'cli.js');
// Loaded into each CLI run: prints the process's peak RSS (KiB) as its last stderr line.
const REPORT_PEAK_RSS = 'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nmaxrss="+process.resourceUsage().maxRSS+"\\n"))';

function usage(message) {
  if (message) process.stderr.write(`corpus: ${message}\n`);
  process.stderr.write('usage: npm run corpus -- DIR [--details] [--json FILE] [--rule RULE]... [--entry NAME]...\n');
  process.exit(2);
}

function parseArgs(argv) {
  const options = { dir: undefined, details: false, json: undefined, rules: [], entries: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--details') options.details = true;
    else if (a === '--json') options.json = argv[++i] ?? usage('--json takes a file');
    else if (a === '--rule') options.rules.push(argv[++i] ?? usage('--rule takes a rule id'));
    else if (a === '--entry') options.entries.push(argv[++i] ?? usage('--entry takes a name'));
    else if (a.startsWith('-')) usage(`unknown option "${a}"`);
    else if (options.dir) usage('one DIR only');
    else options.dir = a;
  }
  if (!options.dir) usage();
  return options;
}

/** Runs the bundled CLI on one entry; resolves with its parsed JSON, exit code, time and peak RSS. */
function checkEntry(dir) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', REPORT_PEAK_RSS, CLI, 'check', '--offline', '--no-config', '--format', 'json', '.'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const stderr = Buffer.concat(err).toString('utf8');
      const rss = /\nmaxrss=(\d+)\n$/.exec(stderr);
      const peakKb = rss ? Number(rss[1]) : undefined;
      let report;
      try {
        report = JSON.parse(Buffer.concat(out).toString('utf8'));
      } catch {
        report = undefined;
      }
      resolve({ code, ms, peakKb, report, stderr: rss ? stderr.slice(0, rss.index) : stderr });
    });
  });
}

async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const pad = (s, n) => String(s).padEnd(n);
const padStart = (s, n) => String(s).padStart(n);

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(CLI)) usage('dist/cli.js is missing: run `node esbuild.js` first');
  const root = path.resolve(options.dir);
  const entries = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .filter((name) => !options.entries.length || options.entries.includes(name))
    .sort();
  if (!entries.length) usage(`no entries (subfolders) in ${root}`);

  const results = await mapLimit(entries, Math.max(1, Math.min(4, os.cpus().length)), async (name) => ({ name, ...(await checkEntry(path.join(root, name))) }));
  const keep = (f) => !options.rules.length || options.rules.includes(f.rule);

  const perRule = new Map();
  console.log(`${pad('entry', 44)} ${padStart('exit', 4)} ${padStart('ms', 6)} ${padStart('MB', 5)} ${padStart('endp', 5)} ${padStart('err', 4)} ${padStart('warn', 5)} ${padStart('info', 5)}`);
  for (const r of results) {
    const findings = (r.report?.findings ?? []).filter(keep);
    const count = (s) => findings.filter((f) => f.severity === s).length;
    const mb = r.peakKb === undefined ? '?' : (r.peakKb / 1024).toFixed(0);
    console.log(
      `${pad(r.name.slice(0, 44), 44)} ${padStart(r.code, 4)} ${padStart(r.ms.toFixed(0), 6)} ${padStart(mb, 5)} ${padStart(r.report?.endpoints?.length ?? '?', 5)} ${padStart(count('error'), 4)} ${padStart(count('warning'), 5)} ${padStart(count('information') + count('hint'), 5)}`,
    );
    if (!r.report) console.log(`  (no JSON: ${r.stderr.trim().split('\n').slice(-3).join(' | ')})`);
    for (const f of findings) {
      const row = perRule.get(f.rule) ?? { rule: f.rule, severities: new Set(), count: 0, entries: new Set() };
      row.count++;
      row.severities.add(f.severity);
      row.entries.add(r.name);
      perRule.set(f.rule, row);
    }
  }

  console.log(`\n${pad('rule', 46)} ${pad('severity', 22)} ${padStart('findings', 8)} ${padStart('entries', 7)}`);
  for (const row of [...perRule.values()].sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule))) {
    console.log(`${pad(row.rule, 46)} ${pad([...row.severities].sort().join(','), 22)} ${padStart(row.count, 8)} ${padStart(row.entries.size, 7)}`);
  }
  const all = results.flatMap((r) => (r.report?.findings ?? []).filter(keep));
  const endpoints = results.reduce((n, r) => n + (r.report?.endpoints?.length ?? 0), 0);
  const failed = results.filter((r) => r.code !== 0 && r.code !== 1).length;
  console.log(
    `\n${entries.length} entries, ${all.length} findings (${all.filter((f) => f.severity === 'error').length} errors), ${endpoints} endpoints; ` +
      `${results.filter((r) => r.code === 1).length} entries exit 1; ${failed} failed to run`,
  );

  if (options.details) {
    for (const r of results) {
      const findings = (r.report?.findings ?? []).filter(keep);
      const eps = r.report?.endpoints ?? [];
      if (!findings.length && !eps.length) continue;
      console.log(`\n== ${r.name}`);
      for (const f of findings) console.log(`  ${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule} ${f.message}`);
      for (const e of eps) console.log(`  endpoint ${e.file}:${e.line} ${e.source} ${e.host ?? '?'}:${e.port ?? '?'} ${e.security}`);
    }
  }
  if (options.json) {
    fs.writeFileSync(options.json, JSON.stringify(results.map((r) => ({ entry: r.name, exit: r.code, ms: Math.round(r.ms), peakKb: r.peakKb, findings: r.report?.findings, endpoints: r.report?.endpoints })), null, 2));
  }
}

main().catch((e) => {
  process.stderr.write(`corpus: ${e.stack ?? e}\n`);
  process.exit(3);
});
