import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { codeCachePath, compileBundle, createCodeCache, requireBundle } from '../../../src/core/node/codeCache';
import { REPO_ROOT } from '../helpers';

describe('command bundles loaded with their V8 code cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-code-cache-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Writes a bundle and, when asked, its cache after it (as the build does). */
  function bundle(text: string, withCache = false): string {
    const file = path.join(dir, 'command.js');
    fs.writeFileSync(file, text);
    if (withCache) fs.writeFileSync(codeCachePath(file), createCodeCache(file));
    return file;
  }

  it('runs a bundle as require would: exports, module, __filename, __dirname and a require relative to it', () => {
    fs.writeFileSync(path.join(dir, 'beside.js'), 'module.exports = "beside";');
    const file = bundle('exports.file = __filename; exports.dir = __dirname; exports.beside = require("./beside.js"); module.exports.path = require("path").sep;', true);
    assert.deepStrictEqual(requireBundle(file), { file, dir, beside: 'beside', path: path.sep });
  });

  it('uses the cache written after the build, and compiles without one', () => {
    const file = bundle('module.exports = 41 + 1;', true);
    assert.strictEqual(compileBundle(file).cacheUsed, true);
    assert.strictEqual(requireBundle(file), 42);
    fs.rmSync(codeCachePath(file));
    assert.strictEqual(compileBundle(file).cacheUsed, false);
    assert.strictEqual(requireBundle(file), 42);
  });

  it('ignores a cache older than its bundle: V8 would accept one made from an edit of the same length', () => {
    const file = bundle('module.exports = "old";', true);
    fs.writeFileSync(file, 'module.exports = "new";');
    fs.utimesSync(codeCachePath(file), new Date(0), new Date(0));
    assert.strictEqual(compileBundle(file).cacheUsed, false);
    assert.strictEqual(requireBundle(file), 'new');
  });

  it('compiles the bundle when the cache is not V8 data', () => {
    const file = bundle('module.exports = "compiled";');
    fs.writeFileSync(codeCachePath(file), Buffer.from('not a code cache, just bytes'));
    assert.strictEqual(compileBundle(file).cacheUsed, false);
    assert.strictEqual(requireBundle(file), 'compiled');
  });

  it('the build wrote a cache that this Node accepts for every CLI command bundle', function () {
    const cliDir = path.join(REPO_ROOT, 'dist', 'cli');
    if (!fs.existsSync(cliDir)) this.skip();
    const bundles = fs.readdirSync(cliDir).filter((f) => f.endsWith('.js'));
    assert.ok(bundles.includes('port.js'), bundles.join(' '));
    for (const b of bundles) assert.strictEqual(compileBundle(path.join(cliDir, b)).cacheUsed, true, `dist/cli/${b}`);
  });
});
