// The shape of src/, as a test: which modules may import what. It reads every import of every source
// file (type-only, re-exports, dynamic import() and require() included) and fails on a cycle, on an
// import that goes up a layer, on `vscode` outside src/vscode, on `fs` outside the file-access helpers
// and on network modules outside the live checks. What cannot be fixed before the engine rewrite
// (issue 18) is listed in KNOWN_EXCEPTIONS with its reason; an exception that no longer occurs fails
// too, so the list can only shrink.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { REPO_ROOT } from './helpers';

/** One import: `to` is a path under src/ for a relative import (`core/model.ts`), else the package name. */
interface ModuleImport {
  readonly to: string;
  readonly relative: boolean;
}

type ImportGraph = ReadonlyMap<string, readonly ModuleImport[]>;

/**
 * Configuration languages: the folders under core/sources/ with a source.ts (their ConfigSource, listed in
 * core/sources/registry.ts), found on disk so that a new language's folder needs no line here. Each reads its
 * own files and does not reach into another's folder.
 */
const SOURCE_FOLDERS: readonly string[] = fs
  .readdirSync(path.join(REPO_ROOT, 'src', 'core', 'sources'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(REPO_ROOT, 'src', 'core', 'sources', d.name, 'source.ts')))
  .map((d) => `core/sources/${d.name}/`)
  .sort();
const SOURCE_FOLDER_NAMES = SOURCE_FOLDERS.map((f) => f.slice('core/sources/'.length, -1)).join('|');

/** The layers, bottom up, and which layers each one may import (its own always). */
const LAYERS: readonly { readonly name: string; readonly modules: RegExp; readonly mayImport: readonly string[] }[] = [
  { name: 'model', modules: /^core\/(model|text|redact|hosts|escape|limits|suggest|dkimSelector|dkimNames)\.ts$/, mayImport: [] },
  // Each configuration language's entry (its ConfigSource) assembles its parser, rules and linter; the
  // registry lists them. Listed before 'sources', whose folders they sit in.
  { name: 'source contract', modules: /^core\/sources\/source\.ts$/, mayImport: ['model', 'sources', 'static engine'] },
  { name: 'source entries', modules: new RegExp(`^core/sources/(${SOURCE_FOLDER_NAMES})/source\\.ts$|^core/projectFileSource\\.ts$`), mayImport: ['model', 'sources', 'static engine', 'source contract'] },
  { name: 'source registry', modules: /^core\/sources\/[^/]+\.ts$/, mayImport: ['model', 'sources', 'static engine', 'source contract', 'source entries'] },
  {
    name: 'sources',
    modules: new RegExp(`^core/sources/(${SOURCE_FOLDER_NAMES})/|^core/(composeServices|suppressions|projectConfig|discover|ignore|testScope|consolidate)\\.ts$`),
    mayImport: ['model'],
  },
  { name: 'static engine', modules: /^core\/(appLint|workspaceLint|scanScope)\.ts$/, mayImport: ['model', 'sources'] },
  { name: 'static check', modules: /^core\/check\.ts$/, mayImport: ['model', 'sources', 'static engine', 'source contract', 'source registry'] },
  { name: 'live', modules: /^core\/live\//, mayImport: ['model', 'sources'] },
  { name: 'live planning', modules: /^core\/loginTarget\.ts$/, mayImport: ['model', 'sources', 'static engine', 'static check', 'live'] },
  // The rule catalogue is read from the registries: the sources' rules and the live checks'.
  { name: 'rule catalogue', modules: /^core\/rules\.ts$/, mayImport: ['model', 'sources', 'static engine', 'source contract', 'source entries', 'source registry', 'live'] },
  { name: 'engine', modules: /^core\/engine\//, mayImport: ['model', 'sources', 'static engine', 'source contract', 'source registry', 'static check', 'live'] },
  { name: 'report', modules: /^core\/report\//, mayImport: ['model', 'sources', 'static engine', 'live', 'rule catalogue', 'engine'] },
  { name: 'file access', modules: /^core\/(fileWalk\.ts$|node\/)/, mayImport: ['model', 'sources', 'static engine', 'source contract', 'source registry'] },
  { name: 'cli', modules: /^cli(\.ts$|\/)/, mayImport: ['model', 'sources', 'static engine', 'source contract', 'source entries', 'source registry', 'static check', 'live', 'live planning', 'rule catalogue', 'engine', 'report', 'file access'] },
  { name: 'vscode', modules: /^vscode\//, mayImport: ['model', 'sources', 'static engine', 'source contract', 'source entries', 'source registry', 'static check', 'live', 'live planning', 'rule catalogue', 'engine', 'report', 'file access'] },
];

/** The only modules that touch the file system. */
const FILE_ACCESS_MODULES = /^core\/(fileWalk\.ts$|node\/)/;
/** The live checks: the only modules that may open sockets or query DNS. */
const LIVE_MODULES = /^core\/live\//;
const NETWORK_PACKAGES = new Set(['net', 'tls', 'dns', 'dns/promises', 'http', 'https', 'http2', 'dgram']);
/** What `net` offers that opens no socket: address syntax checks, allowed anywhere. */
const PURE_NET_MEMBERS = new Set(['isIP', 'isIPv4', 'isIPv6']);

type Rule = 'cycle' | 'layer' | 'source-independence' | 'vscode' | 'fs' | 'network';

interface Violation {
  readonly rule: Rule;
  readonly from: string;
  readonly to: string;
}

/** Violations that need the engine rewrite of issue 18; remove a line when its violation is gone. */
const KNOWN_EXCEPTIONS: readonly (Violation & { readonly reason: string })[] = [
];

const key = (v: Violation) => `${v.rule}: ${v.from} -> ${v.to}`;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts')) out.push(full);
  }
  return out;
}

/** Every file under `srcDir` with what it imports. */
function readImportGraph(srcDir: string): Map<string, ModuleImport[]> {
  const graph = new Map<string, ModuleImport[]>();
  for (const file of sourceFiles(srcDir)) {
    const imports = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles.map((i): ModuleImport => {
      const spec = i.fileName;
      if (!spec.startsWith('.')) return { to: spec.replace(/^node:/, ''), relative: false };
      const base = path.resolve(path.dirname(file), spec);
      const target = [`${base}.ts`, path.join(base, 'index.ts'), base].find((c) => fs.existsSync(c) && fs.statSync(c).isFile()) ?? base;
      return { to: path.relative(srcDir, target).split(path.sep).join('/'), relative: true };
    });
    graph.set(path.relative(srcDir, file).split(path.sep).join('/'), imports);
  }
  return graph;
}

/** Each import cycle once, as the list of its files (Tarjan's strongly connected components). */
function findCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const { to, relative } of graph.get(v) ?? []) {
      if (!relative || !graph.has(to)) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(v, Math.min(low.get(v)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(v, Math.min(low.get(v)!, index.get(to)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfImport = (graph.get(v) ?? []).some((i) => i.relative && i.to === v);
      if (component.length > 1 || selfImport) cycles.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}

const layerOf = (file: string) => LAYERS.find((l) => l.modules.test(file));

/** `net` members a module outside the live checks uses, or undefined when it imports more than names. */
function netMembersUsed(text: string): string[] | undefined {
  const members: string[] = [];
  for (const m of text.matchAll(/import\s+(type\s+)?([^'";]+?)\s+from\s+['"](?:node:)?net['"]/g)) {
    if (m[1]) continue;
    const clause = m[2].trim();
    const named = /^\{([^}]*)\}$/.exec(clause);
    const namespace = /^\*\s+as\s+(\w+)$/.exec(clause);
    if (named) members.push(...named[1].split(',').map((s) => s.trim().split(/\s+as\s+/)[0]).filter(Boolean));
    else if (namespace) for (const use of text.matchAll(new RegExp(`\\b${namespace[1]}\\.(\\w+)`, 'g'))) members.push(use[1]);
    else return undefined;
  }
  return members;
}

/** Every violation in `graph`; `textOf` reads a module (for how it uses `net`). */
function findViolations(graph: ImportGraph, textOf: (file: string) => string): Violation[] {
  const out: Violation[] = [];
  for (const cycle of findCycles(graph)) out.push({ rule: 'cycle', from: cycle[0], to: cycle.slice(1).join(' -> ') || cycle[0] });
  for (const [from, imports] of graph) {
    const layer = layerOf(from);
    for (const imp of imports) {
      if (imp.relative) {
        if (!graph.has(imp.to)) continue; // package.json and other data
        const target = layerOf(imp.to);
        if (layer && target && target !== layer && !layer.mayImport.includes(target.name)) out.push({ rule: 'layer', from, to: imp.to });
        const fromSource = SOURCE_FOLDERS.find((s) => from.startsWith(s));
        const toSource = SOURCE_FOLDERS.find((s) => imp.to.startsWith(s));
        if (fromSource && toSource && fromSource !== toSource) out.push({ rule: 'source-independence', from, to: imp.to });
        continue;
      }
      if (imp.to === 'vscode' && !from.startsWith('vscode/')) out.push({ rule: 'vscode', from, to: imp.to });
      if ((imp.to === 'fs' || imp.to === 'fs/promises') && !FILE_ACCESS_MODULES.test(from)) out.push({ rule: 'fs', from, to: imp.to });
      if (NETWORK_PACKAGES.has(imp.to) && !LIVE_MODULES.test(from)) {
        const pure = imp.to === 'net' && netMembersUsed(textOf(from))?.every((m) => PURE_NET_MEMBERS.has(m));
        if (!pure) out.push({ rule: 'network', from, to: imp.to });
      }
    }
  }
  return [...new Map(out.map((v) => [key(v), v])).values()];
}

describe('architecture of src/', () => {
  const srcDir = path.join(REPO_ROOT, 'src');
  const graph = readImportGraph(srcDir);
  const violations = findViolations(graph, (file) => fs.readFileSync(path.join(srcDir, file), 'utf8'));
  const known = new Set(KNOWN_EXCEPTIONS.map(key));
  const report = (rule: Rule) => violations.filter((v) => v.rule === rule && !known.has(key(v))).map(key);

  it('reads the whole tree, every module placed in a layer', () => {
    assert.ok(graph.size > 100, `only ${graph.size} modules read`);
    assert.deepStrictEqual([...graph.keys()].filter((f) => !layerOf(f)), [], 'modules in no layer: add them to LAYERS');
  });

  it('has no import cycle (type-only imports count)', () => {
    assert.deepStrictEqual(report('cycle'), [], 'move the piece both sides need into its own module');
  });

  it('imports only downwards: core never imports cli or vscode, report never vscode, cli and vscode not each other', () => {
    assert.deepStrictEqual(report('layer'), []);
  });

  it('keeps each configuration language to its own folder under core/sources/ (postfix, app, dkimSigning)', () => {
    for (const folder of ['core/sources/dkimSigning/', 'core/sources/app/', 'core/sources/postfix/']) assert.ok(SOURCE_FOLDERS.includes(folder), `${folder} has a source.ts`);
    assert.deepStrictEqual(report('source-independence'), []);
  });

  it('imports vscode only under src/vscode', () => {
    assert.deepStrictEqual(report('vscode'), []);
  });

  it('touches the file system only in the file-access helpers (core/fileWalk.ts, core/node/)', () => {
    assert.deepStrictEqual(report('fs'), []);
  });

  it('opens sockets and queries DNS only in the live checks (core/live); elsewhere net only for isIP', () => {
    assert.deepStrictEqual(report('network'), []);
  });

  it('lists only exceptions that still occur, each with a reason', () => {
    const seen = new Set(violations.map(key));
    assert.deepStrictEqual(KNOWN_EXCEPTIONS.filter((e) => !seen.has(key(e))).map(key), [], 'fixed: remove these from KNOWN_EXCEPTIONS');
    for (const e of KNOWN_EXCEPTIONS) assert.ok(e.reason.length > 10, `${key(e)} needs a reason`);
  });

  describe('the checker itself', () => {
    const rel = (to: string): ModuleImport => ({ to, relative: true });
    const pkg = (to: string): ModuleImport => ({ to, relative: false });
    const texts: Record<string, string> = {
      'core/report/text.ts': "import { isIP } from 'net';\n",
      'core/sources/app/url.ts': "import * as net from 'net';\nnet.isIPv6(x); net.connect(25);\n",
    };
    const found = (g: Record<string, ModuleImport[]>) => findViolations(new Map(Object.entries(g)), (f) => texts[f] ?? '').map(key);

    it('finds a cycle of two and of three modules, and none in a chain', () => {
      assert.deepStrictEqual(findCycles(new Map([['a.ts', [rel('b.ts')]], ['b.ts', [rel('a.ts')]], ['c.ts', [rel('a.ts')]]])), [['a.ts', 'b.ts']]);
      assert.deepStrictEqual(findCycles(new Map([['a.ts', [rel('b.ts')]], ['b.ts', [rel('c.ts')]], ['c.ts', [rel('a.ts')]]])), [['a.ts', 'b.ts', 'c.ts']]);
      assert.deepStrictEqual(findCycles(new Map([['a.ts', [rel('b.ts')]], ['b.ts', [rel('c.ts')]], ['c.ts', []]])), []);
    });

    it('reports an upward import, vscode in core, fs outside file access, and a socket outside the live checks', () => {
      assert.deepStrictEqual(
        found({
          'core/model.ts': [],
          'core/report/text.ts': [rel('vscode/log.ts'), pkg('net')],
          'vscode/log.ts': [rel('core/model.ts'), pkg('vscode')],
          'core/sources/postfix/mainCf.ts': [rel('core/live/smtpProbe.ts'), rel('core/sources/app/url.ts'), pkg('vscode'), pkg('fs')],
          'core/sources/app/url.ts': [pkg('net')],
          'core/live/smtpProbe.ts': [pkg('tls')],
          'cli/main.ts': [rel('vscode/log.ts'), pkg('https')],
        }),
        [
          'layer: core/report/text.ts -> vscode/log.ts',
          'layer: core/sources/postfix/mainCf.ts -> core/live/smtpProbe.ts',
          'source-independence: core/sources/postfix/mainCf.ts -> core/sources/app/url.ts',
          'vscode: core/sources/postfix/mainCf.ts -> vscode',
          'fs: core/sources/postfix/mainCf.ts -> fs',
          'network: core/sources/app/url.ts -> net',
          'layer: cli/main.ts -> vscode/log.ts',
          'network: cli/main.ts -> https',
        ],
      );
    });
  });
});
