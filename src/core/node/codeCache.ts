// Loading a CommonJS bundle with a V8 code cache made when it was built: V8 then skips parsing and compiling
// it, ~10 ms of every `smtp-doctor port` start (Node 20 has no compile cache of its own). The cache is an
// optimisation only: missing, older than its bundle or rejected by V8 (another Node version, other flags),
// the bundle is compiled as `require` would.
import { isAscii } from 'buffer';
import { readFileSync, statSync } from 'fs';
import { createRequire } from 'module';
import { dirname } from 'path';
import { Script } from 'vm';

/** The file a bundle's code cache is kept in, beside it. */
export function codeCachePath(bundle: string): string {
  return bundle.replace(/\.js$/, '.v8-cache');
}

/**
 * The bundle's text inside the same function wrapper `require` gives a CommonJS module. esbuild writes
 * ASCII (it escapes the rest), which decodes as latin1 in half the time UTF-8 decoding takes (~2 ms for port).
 */
function wrappedBundle(bundle: string): string {
  const bytes = readFileSync(bundle);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
}

/**
 * A code cache for the bundle (what the build writes to codeCachePath), made after loading it once: the
 * functions its modules run while loading are then in the cache too, not compiled again at every start
 * (~4 ms more for port). Loading a command bundle only defines things; the command runs when called.
 */
export function createCodeCache(bundle: string): Buffer {
  const script = new Script(wrappedBundle(bundle), { filename: bundle });
  runWrapped(script, bundle);
  return script.createCachedData();
}

/**
 * V8 checks a cache against its own version, its flags and the source's LENGTH only, so a cache older than
 * its bundle (an edit of the same length) would run stale code: such a cache is not used.
 */
function readFreshCache(bundle: string): Buffer | undefined {
  try {
    const cache = codeCachePath(bundle);
    return statSync(cache).mtimeMs >= statSync(bundle).mtimeMs ? readFileSync(cache) : undefined;
  } catch {
    return undefined;
  }
}

/** The bundle compiled in its CommonJS wrapper; `cacheUsed`: whether V8 took its code cache instead of compiling. */
export function compileBundle(bundle: string): { script: Script; cacheUsed: boolean } {
  const cachedData = readFreshCache(bundle);
  const script = new Script(wrappedBundle(bundle), { filename: bundle, cachedData });
  return { script, cacheUsed: cachedData !== undefined && !script.cachedDataRejected };
}

function runWrapped(script: Script, bundle: string): unknown {
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return module.exports;
}

/** `require(bundle)` for a self-contained bundle (it requires only Node's own modules), using its code cache. */
export function requireBundle(bundle: string): unknown {
  return runWrapped(compileBundle(bundle).script, bundle);
}
