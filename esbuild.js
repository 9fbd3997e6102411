// Bundles the extension (dist/extension.js) and the CLI: dist/cli.js is only the dispatcher, and each
// command is its own bundle in dist/cli/, required when that command runs (start-up cost of one
// command, not of all of them).
//   node esbuild.js               development build with sourcemaps
//   node esbuild.js --production  minified
//   node esbuild.js --watch       rebuild on change, errors in the problem-matcher format
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints build start/end and errors so VS Code's esbuild problem matcher can follow watch mode. */
const problemMatcherPlugin = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  sourcesContent: false,
  minify: production,
  logLevel: 'silent',
  plugins: watch ? [problemMatcherPlugin] : [],
};

const CLI_COMMANDS = ['check', 'port', 'show', 'rules', 'verify'];

/**
 * The dispatcher's `import('./cli/commands/NAME')` becomes a load of the command's own bundle, dist/cli/NAME.js,
 * through src/core/node/codeCache.ts, which uses the V8 code cache written beside it after the build.
 */
const cliCommandsExternal = {
  name: 'cli-commands-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/cli\/commands\/[a-z]+$/ }, (args) => ({ path: args.path.split('/').pop(), namespace: 'cli-command' }));
    build.onLoad({ filter: /.*/, namespace: 'cli-command' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(CODE_CACHE_MODULE)}).requireBundle(require('path').join(__dirname, 'cli', ${JSON.stringify(`${args.path}.js`)}));`,
      resolveDir: __dirname,
      loader: 'js',
    }));
  },
};

/**
 * `smtp-doctor port` probes the ports of one host: it never checks a domain, an address's PTR or a DKIM key,
 * so the code the live checks load only for those (the mail-authentication checks, the MX and PTR checks and
 * the MX host probes, all behind `import()`) is left out of its bundle, half its size and start-up. Reached anyway, the import
 * fails with a message that says so (the runner reports such a check as an internal error, not a crash).
 */
const PORT_LEAVES_OUT = /^\.\/(mailAuth\/|mxProbe$|mxCheck$|ptrCheck$)/;
const portLeavesOutDomainChecks = {
  name: 'port-leaves-out-domain-checks',
  setup(build) {
    build.onResolve({ filter: PORT_LEAVES_OUT }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, namespace: 'left-out-of-port' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'left-out-of-port' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not in the port command's bundle: port checks no domains`)});`,
      loader: 'js',
    }));
  },
};

/**
 * `smtp-doctor rules` prints the rule catalogue, which the registries build from every source and live check
 * (parsers and Babel included). Its bundle gets the catalogue as data instead, computed here from the same
 * code, so the command starts without loading them (~440 KiB less).
 */
const RULE_CATALOGUE_MODULE = path.join(__dirname, 'src', 'core', 'rules.ts');
const ruleCatalogueAsData = {
  name: 'rule-catalogue-as-data',
  setup(build) {
    build.onResolve({ filter: /\/core\/rules$/ }, (args) => (path.join(args.resolveDir, args.path) + '.ts' === RULE_CATALOGUE_MODULE ? { path: RULE_CATALOGUE_MODULE, namespace: 'rule-catalogue' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'rule-catalogue' }, async () => {
      const { allRuleMetas } = await evaluateModule(RULE_CATALOGUE_MODULE);
      return { contents: `const RULES = ${JSON.stringify(allRuleMetas())};\nexports.allRuleMetas = () => RULES.map((r) => ({ ...r }));\n`, loader: 'js' };
    });
  },
};

const CODE_CACHE_MODULE = path.join(__dirname, 'src', 'core', 'node', 'codeCache.ts');

/** A module of src/ built in memory and loaded into this process (the build runs the project's own code). */
async function evaluateModule(entry) {
  const { outputFiles } = await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent' });
  const module = { exports: {} };
  new Function('exports', 'require', 'module', '__filename', '__dirname', outputFiles[0].text)(module.exports, require, module, entry, path.dirname(entry));
  return module.exports;
}

/** src/core/node/codeCache.ts itself, so the caches are made by the code that reads them. */
function codeCacheModule() {
  return evaluateModule(CODE_CACHE_MODULE);
}

/** What a command's bundle leaves out or carries as data (see the plugins above); the others bundle their code as it is. */
const COMMAND_PLUGINS = { port: [portLeavesOutDomainChecks], rules: [ruleCatalogueAsData] };

const commandBundle = (command) => path.join(__dirname, 'dist', 'cli', `${command}.js`);

/** The command bundles' code caches: removed before a build (a stale one would run old code), written after. */
function removeCodeCaches(codeCache) {
  for (const c of CLI_COMMANDS) fs.rmSync(codeCache.codeCachePath(commandBundle(c)), { force: true });
}

function writeCodeCaches(codeCache) {
  for (const c of CLI_COMMANDS) fs.writeFileSync(codeCache.codeCachePath(commandBundle(c)), codeCache.createCodeCache(commandBundle(c)));
}

async function main() {
  const codeCache = await codeCacheModule();
  removeCodeCaches(codeCache);
  const contexts = await Promise.all([
    esbuild.context({ ...common, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
    esbuild.context({
      ...common,
      entryPoints: ['src/cli.ts'],
      outfile: 'dist/cli.js',
      banner: { js: '#!/usr/bin/env node' },
      supported: { 'dynamic-import': false },
      plugins: [...common.plugins, cliCommandsExternal],
    }),
    // One context per command: a plugin applies to every module of its context's entry points.
    ...CLI_COMMANDS.map((c) =>
      esbuild.context({ ...common, entryPoints: { [c]: `src/cli/commands/${c}.ts` }, outdir: 'dist/cli', plugins: [...common.plugins, ...(COMMAND_PLUGINS[c] ?? [])] }),
    ),
  ]);
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  try {
    await Promise.all(contexts.map((c) => c.rebuild()));
    writeCodeCaches(codeCache);
  } catch (e) {
    for (const err of e.errors ?? [e]) console.error(err.text ?? err);
    process.exitCode = 1;
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
