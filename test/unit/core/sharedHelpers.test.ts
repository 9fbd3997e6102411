// The one escaper per target, the one list of excluded folders and the one table of size caps.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_EXCLUDE_GLOBS, EXCLUDED_FOLDER_NAMES } from '../../../src/core/discover';
import { escapeRegExp, markdownTableCell, printable, quoted, withoutControls } from '../../../src/core/escape';
import { collectConfigFiles } from '../../../src/core/fileWalk';
import * as limits from '../../../src/core/limits';
import { REPO_ROOT } from '../helpers';

describe('shared text escapers', () => {
  it('escapeRegExp matches every character literally', () => {
    const text = 'a.b*c+d?e^f$g{h}i(j)k|l[m]n\\o/p';
    assert.ok(new RegExp(`^${escapeRegExp(text)}$`).test(text));
    assert.ok(!new RegExp(`^${escapeRegExp('a.c')}$`).test('abc'));
  });

  it('printable replaces control characters and cuts long text', () => {
    assert.strictEqual(printable('a\u001b[31mb\u0000c'), 'a?[31mb?c');
    assert.strictEqual(printable('x'.repeat(50), 40), `${'x'.repeat(40)}…`);
    assert.strictEqual(printable('short', 40), 'short');
  });

  it('withoutControls replaces C0 controls and DEL, and keeps the rest', () => {
    assert.strictEqual(withoutControls('a\r\nb\u0000c\u007fd é…'), 'a??b?c?d é…');
  });

  it('quoted writes JSON quotes (controls escaped) and cuts to max characters with an ellipsis', () => {
    assert.strictEqual(quoted('v=spf1 -all'), '"v=spf1 -all"');
    assert.strictEqual(quoted('a"b\r\n'), '"a\\"b\\r\\n"');
    assert.strictEqual(quoted('x'.repeat(121)), JSON.stringify(`${'x'.repeat(119)}…`));
    assert.strictEqual(quoted('x'.repeat(120)), JSON.stringify('x'.repeat(120)));
    assert.strictEqual(quoted('abcdef', 4), '"abc…"');
  });

  it('markdownTableCell keeps a cell one cell: pipes and backslashes escaped, line breaks made spaces', () => {
    assert.strictEqual(markdownTableCell('a | b\\c\r\nd'), 'a \\| b\\\\c d');
  });
});

describe('excluded folders', () => {
  it('the editor default lists every excluded folder, and package.json says the same', () => {
    for (const name of EXCLUDED_FOLDER_NAMES) assert.ok(DEFAULT_EXCLUDE_GLOBS.includes(`**/${name}/**`), name);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    assert.deepStrictEqual(pkg.contributes.configuration.properties['smtpDoctor.exclude'].default, [...DEFAULT_EXCLUDE_GLOBS]);
  });

  it('the CLI walk skips the same folders', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-excluded-'));
    try {
      for (const folder of ['etc/postfix', ...[...EXCLUDED_FOLDER_NAMES].map((n) => `${n}/postfix`)]) {
        fs.mkdirSync(path.join(dir, folder), { recursive: true });
        fs.writeFileSync(path.join(dir, folder, 'main.cf'), 'myhostname = mail.example.com\n');
      }
      const found = collectConfigFiles([dir]).files.map((f) => path.relative(dir, f.file));
      assert.deepStrictEqual(found, [path.join('etc', 'postfix', 'main.cf')]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('size caps', () => {
  it('each cap has one name and one value, in core/limits.ts only', () => {
    const caps = Object.keys(limits);
    assert.ok(caps.length >= 4);
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && !p.endsWith(`${path.sep}limits.ts`)) {
          for (const cap of caps) if (new RegExp(`\\bconst ${cap}\\b`).test(fs.readFileSync(p, 'utf8'))) offenders.push(`${path.relative(REPO_ROOT, p)}: ${cap}`);
        }
      }
    };
    walk(path.join(REPO_ROOT, 'src'));
    assert.deepStrictEqual(offenders, [], 'define the cap once in src/core/limits.ts and import it');
  });

  it('no two modules declare a cap (MAX_…) of the same name', () => {
    const declared = new Map<string, string[]>();
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) {
          for (const m of fs.readFileSync(p, 'utf8').matchAll(/\bconst (MAX_\w+|\w+_MAX)\b/g)) declared.set(m[1], [...(declared.get(m[1]) ?? []), path.relative(REPO_ROOT, p)]);
        }
      }
    };
    walk(path.join(REPO_ROOT, 'src'));
    assert.deepStrictEqual([...declared].filter(([, files]) => files.length > 1), [], 'give each cap a name that says what it caps');
  });
});
