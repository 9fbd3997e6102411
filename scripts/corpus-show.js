#!/usr/bin/env node
// `show` against the real postconf on every plain main.cf/master.cf of a corpus (see scripts/corpus.js):
// where postconf reads a file, `smtp-doctor show` must print exactly what `postconf -c DIR -n` (main.cf) or
// `postconf -c DIR -M` (master.cf) prints, except masked credentials; where postconf refuses a file,
// show must exit non-zero too. Templates (main.cf.j2, ...) are skipped: Postfix cannot read them either.
//
//   node scripts/corpus-show.js DIR        (after `node esbuild.js`; needs postconf, e.g. Debian's postfix)
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const CLI = path.join(__dirname, '..', 'dist', 'cli.js');
const POSTCONF = ['/usr/sbin/postconf', '/usr/bin/postconf'].find((p) => fs.existsSync(p));
const TEMPLATE = /\.(j2|jinja2?|twig|erb|epp|tpl|tmpl|gotmpl|tt2?|in|template|mas|ftl|mustache|hbs|liquid|njk)$/i;
const MASK = '••••••';
/** The installed release: show leaves out the names it does not know, as its postconf does. */
const RELEASE = POSTCONF ? spawnSync(POSTCONF, ['-d', '-h', 'mail_version'], { encoding: 'utf8' }).stdout.trim() : '';

function usage(message) {
  process.stderr.write(`corpus-show: ${message}\nusage: node scripts/corpus-show.js DIR\n`);
  process.exit(2);
}

/** `name = value` lines without the config_directory postconf adds for -c. */
function postconfLines(out) {
  return out.split('\n').filter((l) => l && !l.startsWith('config_directory ='));
}

/** Lines equal except where ours masks a credential (the masked text stands for any run of non-blank text). */
function sameExceptMasks(ours, theirs) {
  if (ours.length !== theirs.length) return false;
  return ours.every((l, i) => {
    if (l === theirs[i]) return true;
    if (!l.includes(MASK)) return false;
    const re = new RegExp(`^${l.split(MASK).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\S+?')}$`);
    return re.test(theirs[i]);
  });
}

function main() {
  const dir = process.argv[2];
  if (!dir) usage('no DIR');
  if (!POSTCONF) usage('postconf not found (install Postfix)');
  if (!fs.existsSync(CLI)) usage('dist/cli.js is missing: run `node esbuild.js` first');
  const entries = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  let checked = 0;
  let refusedAlike = 0;
  const failures = [];
  for (const entry of entries) {
    const files = fs.readdirSync(path.join(dir, entry));
    for (const name of files) {
      const kind = /(^|[._-])main[._]cf([._-][A-Za-z0-9]+)*$/.test(name) ? 'main' : /(^|[._-])master[._]cf([._-][A-Za-z0-9]+)*$/.test(name) ? 'master' : undefined;
      if (!kind || TEMPLATE.test(name)) continue;
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-show-'));
      try {
        fs.copyFileSync(path.join(dir, entry, name), path.join(tmp, `${kind}.cf`));
        if (kind === 'master') fs.writeFileSync(path.join(tmp, 'main.cf'), ''); // postconf -M reads main.cf too
        // main.cf is shown together with its master.cf (names used in -o are not "unused").
        const sibling = kind === 'main' ? name.replace(/main([._]cf)/, 'master$1') : undefined;
        if (sibling && sibling !== name && files.includes(sibling)) fs.copyFileSync(path.join(dir, entry, sibling), path.join(tmp, 'master.cf'));
        const theirs = spawnSync(POSTCONF, ['-c', tmp, kind === 'main' ? '-n' : '-M'], { encoding: 'utf8' });
        const ours = spawnSync(process.execPath, [CLI, 'show', path.join(tmp, `${kind}.cf`), '--postfix-version', RELEASE], { encoding: 'utf8' });
        checked++;
        const where = `${entry}/${name}`;
        if (theirs.status !== 0) {
          if (ours.status === 0) failures.push(`${where}: postconf refuses it (${theirs.stderr.trim().split('\n').pop()}) but show exits 0`);
          else refusedAlike++;
          continue;
        }
        if (ours.status !== 0) {
          failures.push(`${where}: postconf reads it but show exits ${ours.status}: ${ours.stderr.trim()}`);
          continue;
        }
        const a = ours.stdout.split('\n').filter(Boolean);
        const b = kind === 'main' ? postconfLines(theirs.stdout) : theirs.stdout.split('\n').filter(Boolean);
        if (!sameExceptMasks(a, b)) {
          const i = a.findIndex((l, k) => l !== b[k]);
          failures.push(`${where}: differs at line ${i + 1}:\n    show:     ${a[i] ?? '(end)'}\n    postconf: ${b[i] ?? '(end)'}`);
        }
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    }
  }
  for (const f of failures) console.log(`FAIL ${f}`);
  console.log(`${checked} plain files: ${checked - failures.length} agree with postconf (${refusedAlike} refused by both), ${failures.length} differ`);
  process.exitCode = failures.length ? 1 : 0;
}

main();
