// Shared by the measurement scripts and `npm run bench`: the generated inputs and the timing helper,
// so every script measures the same thing. Needs the compiled core in out/ (npm run compile-tests).
'use strict';
const fs = require('fs');
const path = require('path');
const { performance } = require('perf_hooks');
const { POSTFIX_DEFAULTS } = require(path.resolve(__dirname, '../out/src/core/sources/postfix/parameters.generated'));

/** Runs `fn` `warmup` times unmeasured, then `runs` times; the median time and the last result. */
function median(fn, runs, warmup = 0) {
  for (let i = 0; i < warmup; i++) fn();
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


/**
 * A main.cf of `lines` lines shaped like real ones: mostly comments and blank lines, each parameter set
 * once, some values continued on indented lines, $references, and a few typos.
 */
function generateMainCf(lines) {
  const names = [...POSTFIX_DEFAULTS.keys()];
  const o = [];
  for (let i = 0; o.length < lines; i++) {
    const name = names[i % names.length] + (i >= names.length ? `_copy${Math.floor(i / names.length)}` : '');
    o.push(`# ${name}: what this setting is for, in the words of whoever wrote this file.`, '#');
    if (i % 7 === 0) o.push('');
    if (i % 5 === 0) o.push(`${name} = $myhostname, localhost.$mydomain,`, `    extra${i}.example.com`);
    else if (i % 50 === 3) o.push(`${name.replace(/_/, '__')} = typo ${i}`);
    else o.push(`${name} = value${i}`);
  }
  return o.slice(0, lines).join('\n') + '\n';
}

/**
 * Writes a workspace of `total` files under `dir`: packages with source modules, JSON data, notes and a .env
 * each, `withTransports` of the modules defining a nodemailer transport. Returns the number of files written.
 */
function generateWorkspace(dir, total, withTransports) {
  const filler = (i) =>
    `// module ${i}\nexport function handler${i}(req, res) {\n  const items = req.body.items.map((x) => x * ${i});\n  res.json({ ok: true, items });\n}\n`.repeat(8);
  const transport = (i) =>
    `import nodemailer from 'nodemailer';\n\nconst base = { auth: { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS } };\n` +
    `export const mailer${i} = nodemailer.createTransport({\n  ...base,\n  host: process.env.SMTP_HOST || 'smtp.example.com',\n` +
    `  port: Number(process.env.SMTP_PORT ?? ${i % 3 === 0 ? 465 : 587}),\n  secure: ${i % 5 === 0 ? 'true' : 'false'},\n});\n`;
  // Every 100 modules share a package with one .env file: `modules` of the `total` files are modules, and
  // the transports are spread evenly over exactly those (spreading them over `total` left some out).
  let modules = total;
  while (modules > 0 && modules + Math.ceil(modules / 100) > total) modules--;
  let written = 0;
  for (let i = 0; written < total; i++) {
    const d = path.join(dir, `packages/pkg${Math.floor(i / 100)}/src`);
    fs.mkdirSync(d, { recursive: true });
    if (i % 100 === 0) {
      fs.writeFileSync(path.join(dir, `packages/pkg${Math.floor(i / 100)}/.env`), `SMTP_HOST=smtp${i}.example.com\nSMTP_PORT=587\n`);
      written++;
    }
    const isTransport = i < modules && Math.floor((i * withTransports) / modules) !== Math.floor(((i + 1) * withTransports) / modules);
    const kind = i % 10;
    const name = kind < 6 ? `mod${i}.ts` : kind < 8 ? `mod${i}.js` : kind < 9 ? `data${i}.json` : `notes${i}.md`;
    const body = isTransport ? transport(i) : kind === 8 ? JSON.stringify({ id: i, tags: ['a', 'b'], nested: { x: i } }, null, 2) : filler(i);
    fs.writeFileSync(path.join(d, isTransport ? `mailer${i}.ts` : name), body);
    written++;
  }
  return written;
}


module.exports = { median, generateMainCf, generateWorkspace };
