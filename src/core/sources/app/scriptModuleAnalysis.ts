// What one JS/TS module holds before its transports are read: scopes, bindings and their mutations,
// imports (nodemailer's factory and namespaces, other packages), exports, and the workspace modules it imports.
import { parseExpression } from '@babel/parser';
import type { Node } from '@babel/types';
import type { SourceFile } from '../../model';
import { LineIndex } from '../../text';
import type { EnvResolver } from './envFiles';
import { type EvalContext, type ObjectValue, entryValue, evaluate, propertyName } from './evaluate';
import { resolveRelative } from './extractFromConfig';
import { type ParsedScript, parseScript } from './parseScript';
import { isRequireOf, unwrapped } from './scriptAst';
import { ModuleWalk } from './scriptModuleWalk';

/** Reads another module of the workspace by id (a path or URI built from the importing file's). */
export type ModuleLoader = (id: string) => SourceFile | undefined;

export interface ModuleInfo {
  readonly ctx: EvalContext;
  readonly namespaces: ReadonlySet<string>;
  readonly factories: ReadonlySet<string>;
  /** Local names of what packages export (import x from 'pkg', const x = require('pkg')): name → package. */
  readonly packageImports: ReadonlyMap<string, string>;
  readonly mutated: ReadonlySet<string>;
  readonly exports: ObjectValue;
  /** Whether a name is a parameter typed as another transport's options. */
  readonly isNonSmtpParam?: (name: string, at: number) => boolean;
  /** Exported names (`default` included) of classes with a `send` method: custom transports, not SMTP options. */
  readonly transportClassExports?: ReadonlySet<string>;
  /** Whether a name used at `at` is such a class, declared here or imported from a module of the workspace. */
  readonly isTransportClass?: (name: string, at: number) => boolean;
}

export class ModuleCache {
  private readonly cache = new Map<string, ModuleInfo | null>();
  private readonly loading = new Set<string>();
  constructor(
    readonly env: EnvResolver,
    readonly loader?: ModuleLoader,
  ) {}

  /** The module `specifier` names from `fromFile` (relative paths only), analysed; undefined when unreadable. */
  load(fromFile: string, specifier: string): ModuleInfo | undefined {
    if (!this.loader || !/^\.{1,2}\//.test(specifier)) return undefined;
    const base = resolveRelative(fromFile, specifier);
    if (!base) return undefined;
    const stem = base.replace(/\.(js|mjs|cjs)$/, '');
    const candidates = [base, ...['.ts', '.tsx', '.js', '.mjs', '.cjs', '.mts', '.cts', '.json', '/index.ts', '/index.js', '/index.mjs'].map((x) => stem + x)];
    for (const id of candidates) {
      if (this.cache.has(id)) return this.cache.get(id) ?? undefined;
      if (this.loading.has(id) || this.cache.size > 64) return undefined;
      const file = this.loader(id);
      if (!file) continue;
      this.loading.add(id);
      let info: ModuleInfo | undefined;
      try {
        info = analyseModuleText(file, this);
      } catch {
        info = undefined;
      }
      this.loading.delete(id);
      this.cache.set(id, info ?? null);
      return info;
    }
    return undefined;
  }
}

function analyseModuleText(file: SourceFile, modules: ModuleCache): ModuleInfo | undefined {
  if (file.text.length > 512 * 1024) return undefined;
  if (/\.json$/i.test(file.file)) {
    let expr: Node;
    try {
      expr = parseExpression(file.text, { errorRecovery: false }) as unknown as Node;
    } catch {
      return undefined;
    }
    const ctx: EvalContext = { file: file.file, lines: new LineIndex(file.text), env: modules.env, bindings: new Map() };
    const v = evaluate(expr, ctx);
    const exports: ObjectValue = new Map();
    if (v.object) {
      for (const [k, e] of v.object) exports.set(k, e);
      exports.set('default', { property: expr, value: expr, ctx });
    }
    return { ctx, namespaces: new Set(), factories: new Set(), packageImports: new Map(), mutated: new Set(), exports };
  }
  const parsed = parseScript(file.text, file.file);
  return parsed ? analyse(parsed, file, modules.env, modules) : undefined;
}

export function analyse({ ast, unread }: ParsedScript, source: SourceFile, env: EnvResolver, modules: ModuleCache): ModuleInfo {
  const walk = new ModuleWalk(ast.program as unknown as Node, source.text.length).run();
  const ctx: EvalContext = {
    file: source.file,
    lines: new LineIndex(source.text),
    env,
    bindings: walk.bindings,
    mutated: walk.mutated,
    envHelpers: walk.envHelpers,
    unread,
    resolve: (name, at) => walk.lookupRecord(name, at),
    importModule: (specifier, name, depth) => importedValue(modules, source.file, specifier, name, depth),
  };
  const isNonSmtpParam = (name: string, at: number) => {
    const r = walk.lookupRecord(name, at);
    return !!r && r.kind === 'param' && walk.nonSmtpParams.has(`${name}@${r.scope.start}`);
  };
  const transportClassExports = new Set(walk.exportedLocals.filter((e) => e.local === '\0class' || walk.sendClasses.has(e.local)).map((e) => e.exported));
  const isTransportClass = (name: string, at: number) => isTransportClassAt(walk, modules, source.file, name, at);
  const { namespaces, factories, packageImports, mutated } = walk;
  return { ctx, namespaces, factories, packageImports, mutated, exports: moduleExports(walk, ctx), isNonSmtpParam, transportClassExports, isTransportClass };
}

/** What `import { name } from specifier` (or `* as`, or a default import) gives, from a module of the workspace. */
function importedValue(modules: ModuleCache, fromFile: string, specifier: string, name: string, depth: number): ReturnType<NonNullable<EvalContext['importModule']>> {
  if (depth > 12) return undefined;
  const mod = modules.load(fromFile, specifier);
  if (!mod) return undefined;
  if (name === '*') return { node: mod.ctx.lines ? ({ type: 'Identifier', name: '*', start: 0, end: 0 } as unknown as Node) : ({} as Node), object: namespaceOf(mod), literal: false, ctx: mod.ctx };
  const entry = mod.exports.get(name);
  if (!entry) {
    if (name === 'default') return { node: { type: 'Identifier', name: 'default', start: 0, end: 0 } as unknown as Node, object: namespaceOf(mod), literal: false, ctx: mod.ctx };
    return undefined;
  }
  return { ...entryValue(entry, depth + 1) };
}

/** The module's exports: `module.exports = ...` (its properties, and itself as default), then named exports. */
function moduleExports(walk: ModuleWalk, ctx: EvalContext): ObjectValue {
  const exports: ObjectValue = new Map();
  if (walk.moduleExports) {
    const v = evaluate(walk.moduleExports, ctx);
    if (v.object) for (const [k, e] of v.object) exports.set(k, e);
    exports.set('default', { property: walk.moduleExports, value: walk.moduleExports, ctx });
    if (!v.object) exports.open = true;
  }
  for (const e of walk.exportNodes) exports.set(e.name, { property: e.property, value: e.value, ctx });
  return exports;
}

/** Whether `name` at `at` is a class with a `send` method: declared here, or imported or required from a workspace module. */
function isTransportClassAt(walk: ModuleWalk, modules: ModuleCache, fromFile: string, name: string, at: number): boolean {
  const r = walk.lookupRecord(name, at);
  if (!r) return false;
  if (r.kind === 'class') return walk.sendClasses.has(name);
  let from = r.importFrom;
  // const X = require('./x'), const X = require('./x').X
  const init = r.init && unwrapped(r.init);
  if (!from && init && isRequireOf(init, /^\./)) from = { source: (init as Node & { arguments: { value: string }[] }).arguments[0].value, name: 'default' };
  else if (!from && init?.type === 'MemberExpression' && isRequireOf(init.object, /^\./)) {
    const member = propertyName(init.property, init.computed);
    if (member) from = { source: (unwrapped(init.object) as Node & { arguments: { value: string }[] }).arguments[0].value, name: member };
  }
  if (!from) return false;
  return !!modules.load(fromFile, from.source)?.transportClassExports?.has(from.name);
}

/** A module's exports as one object (require('./x'), import * as x). */
function namespaceOf(mod: ModuleInfo): ObjectValue {
  const def = mod.exports.get('default');
  if (def && mod.exports.size === 1) {
    const v = entryValue(def, 1);
    if (v.object) return v.object;
  }
  return mod.exports;
}
