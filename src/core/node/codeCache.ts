// Loading a CommonJS bundle with a V8 code cache made when it was built: V8 then skips parsing and compiling
// it, ~8 ms of every `smtp-doctor port` start (Node 20 has no compile cache of its own). The cache is an
// optimisation only: missing, older than its bundle or rejected by V8 (another Node version, other flags),
// the bundle is compiled as `require` would.
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import * as vm from 'vm';

/** The file a bundle's code cache is kept in, beside it. */
export function codeCachePath(bundle: string): string {
  return bundle.replace(/\.js$/, '.v8-cache');
}

/** The bundle's text inside the same function wrapper `require` gives a CommonJS module. */
function wrapped(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
}

/** A code cache for the bundle (what the build writes to codeCachePath). */
export function createCodeCache(bundle: string): Buffer {
  return new vm.Script(wrapped(fs.readFileSync(bundle, 'utf8')), { filename: bundle }).createCachedData();
}

/**
 * V8 checks a cache against its own version, its flags and the source's LENGTH only, so a cache older than
 * its bundle (an edit of the same length) would run stale code: such a cache is not used.
 */
function readFreshCache(bundle: string): Buffer | undefined {
  try {
    const cache = codeCachePath(bundle);
    return fs.statSync(cache).mtimeMs >= fs.statSync(bundle).mtimeMs ? fs.readFileSync(cache) : undefined;
  } catch {
    return undefined;
  }
}

/** The bundle compiled in its CommonJS wrapper; `cacheUsed`: whether V8 took its code cache instead of compiling. */
export function compileBundle(bundle: string): { script: vm.Script; cacheUsed: boolean } {
  const cachedData = readFreshCache(bundle);
  const script = new vm.Script(wrapped(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  return { script, cacheUsed: cachedData !== undefined && !script.cachedDataRejected };
}

/** `require(bundle)` for a self-contained bundle (it requires only Node's own modules), using its code cache. */
export function requireBundle(bundle: string): unknown {
  const module = { exports: {} as unknown };
  const run = compileBundle(bundle).script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, Module.createRequire(bundle), module, bundle, path.dirname(bundle));
  return module.exports;
}
