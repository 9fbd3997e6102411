// One rule for what a scan leaves out: the CLI walks folders, the editor filters what its file search found.
// Both must keep exactly the same files of the same tree.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { scanWorkspace } from '../../../src/core/fileWalk';
import { ScanScope, ScopeFilter } from '../../../src/core/scanScope';

/** Every file under `root` (relative, `/`-separated), as an editor's search for everything would list them. */
function allFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...allFiles(root, r));
    else out.push(r);
  }
  return out;
}

/** What the editor keeps: the flat filter over every file, reading ignore files from disk. */
async function keptByFilter(root: string, exclude: readonly string[]): Promise<string[]> {
  const filter = new ScopeFilter(new ScanScope({ exclude }), async (dir, name) => {
    try {
      return fs.readFileSync(path.join(root, dir, name), 'utf8');
    } catch {
      return undefined;
    }
  });
  const kept: string[] = [];
  for (const f of allFiles(root)) if (!(await filter.leavesOut(f))) kept.push(f);
  return kept;
}

/** What the CLI keeps (files it would read), restricted to the names both consider. */
function keptByWalk(root: string, exclude: readonly string[]): string[] {
  const scan = scanWorkspace([root], { exclude });
  return [...scan.eager.map((f) => f.file), ...scan.candidates.map((c) => c.file)].map((f) => path.relative(root, f).split(path.sep).join('/'));
}

function makeTree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-scope-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const sorted = (xs: readonly string[]) => [...xs].sort();
/** Files the CLI reads at all (scripts, configs, .env): the ignore files themselves are not among them. */
const checked = (xs: readonly string[]) => xs.filter((x) => /\.(js|ts|json|ya?ml)$|(^|\/)\.env[^/]*$/.test(x));

describe('scan scope: one rule for the CLI and the editor', () => {
  it('leaves out ignored, excluded, dependency, generated and translation paths; keeps .env files git ignores', async () => {
    const root = makeTree({
      '.gitignore': 'secret-build/\n*.generated.ts\n.env\n!keep.generated.ts\n',
      'src/mail.ts': 'x',
      'src/a.generated.ts': 'x',
      'src/keep.generated.ts': 'x',
      'secret-build/mail.js': 'x',
      'node_modules/pkg/index.js': 'x',
      'vendor/lib/mail.js': 'x',
      '.svelte-kit/out.js': 'x',
      'locales/de/translation.json': '{}',
      'legacy/old.js': 'x',
      'app/.ignore': 'fixtures/\n',
      'app/fixtures/mail.yaml': 'x',
      'app/config.yaml': 'x',
      'app/bundle.min.js': 'x',
      '.env': 'SMTP_HOST=x',
    });
    try {
      const filter = await keptByFilter(root, ['legacy/**']);
      assert.deepStrictEqual(sorted(checked(filter)), ['.env', 'app/config.yaml', 'src/keep.generated.ts', 'src/mail.ts']);
      assert.deepStrictEqual(sorted(checked(filter)), sorted(keptByWalk(root, ['legacy/**'])));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('agrees with the walk on generated trees (property-based)', async () => {
    const NAMES = ['a', 'b', 'dist', 'vendor', 'locales', 'fixtures', 'src'];
    const FILES = ['mail.js', 'x.ts', 'c.json', 'd.yaml', '.env', 'e.min.js', 'f.generated.ts'];
    const PATTERNS = ['a/', '*.ts', '/b', 'src/**', '!x.ts', 'c.json', '**/d.yaml', '.env', 'fixtures', '!src/mail.js', '#comment', '*.js'];
    const tree = fc.record({
      files: fc.uniqueArray(fc.tuple(fc.array(fc.constantFrom(...NAMES), { maxLength: 3 }), fc.constantFrom(...FILES)).map(([dirs, f]) => [...dirs, f].join('/')), { maxLength: 12 }),
      ignores: fc.array(fc.tuple(fc.array(fc.constantFrom(...NAMES), { maxLength: 2 }), fc.constantFrom('.gitignore', '.ignore'), fc.array(fc.constantFrom(...PATTERNS), { maxLength: 4 })), { maxLength: 4 }),
      exclude: fc.array(fc.constantFrom('a/**', '**/c.json', 'src', 'b/*.js'), { maxLength: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(tree, async ({ files, ignores, exclude }) => {
        const spec: Record<string, string> = {};
        for (const f of files) spec[f] = 'x';
        for (const [dirs, name, lines] of ignores) spec[[...dirs, name].join('/')] = lines.join('\n');
        // A file and a folder of one name cannot both exist.
        for (const k of Object.keys(spec)) if (Object.keys(spec).some((o) => o.startsWith(k + '/'))) return;
        const root = makeTree(spec);
        try {
          assert.deepStrictEqual(sorted(checked(await keptByFilter(root, exclude))), sorted(checked(keptByWalk(root, exclude))));
        } finally {
          fs.rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });
});
