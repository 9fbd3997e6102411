// The scripts (bench, generators, measurements) load the compiled modules from out/ by path, where the type
// checker does not follow them: a module moved or a function renamed breaks `npm run bench` only when it runs.
// This reads each `const { a, b } = require(<a path into out/src/core>)` of scripts/*.js and checks that the
// module is there and exports every name taken from it.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './helpers';

const CORE = path.join(REPO_ROOT, 'out/src/core');

/** The ways the scripts name a compiled core module: `path.join(out, 'x')` (out = out/src/core), or a path with out/src/core/ in it. */
function coreModuleOf(requireArgument: string): string | undefined {
  const viaOut = /^path\.join\(out, '([^']+)'\)$/.exec(requireArgument);
  if (viaOut) return viaOut[1];
  const spelled = /^path\.(?:join|resolve)\((?:root|__dirname), '(?:\.\.\/)?out\/src\/core\/([^']+?)(?:\.js)?'\)$/.exec(requireArgument);
  return spelled?.[1];
}

interface ScriptImport {
  readonly script: string;
  readonly module: string;
  readonly names: readonly string[];
}

function scriptImports(): ScriptImport[] {
  const found: ScriptImport[] = [];
  for (const script of fs.readdirSync(path.join(REPO_ROOT, 'scripts')).filter((f) => f.endsWith('.js'))) {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'scripts', script), 'utf8');
    for (const m of text.matchAll(/const \{([^}]+)\} = require\((path\.[a-z]+\([^)]*\))\);/g)) {
      const module = coreModuleOf(m[2]);
      if (!module) continue;
      const names = m[1].split(',').map((n) => n.trim().split(':')[0].trim()).filter(Boolean);
      found.push({ script, module, names });
    }
  }
  return found;
}

describe('scripts/*.js', () => {
  it('take from the compiled core only modules and names that exist', function () {
    if (!fs.existsSync(CORE)) this.skip();
    const imports = scriptImports();
    assert.ok(imports.length >= 15, `found ${imports.length} requires of compiled modules: the patterns above no longer match the scripts`);
    const missing: string[] = [];
    for (const { script, module, names } of imports) {
      const file = path.join(CORE, `${module}.js`);
      if (!fs.existsSync(file)) {
        missing.push(`${script}: out/src/core/${module}.js does not exist`);
        continue;
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require(file) as Record<string, unknown>;
      for (const name of names) if (!(name in exported)) missing.push(`${script}: ${module} exports no ${name}`);
    }
    assert.deepStrictEqual(missing, []);
  });
});
