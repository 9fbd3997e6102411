// What one JS/TS module holds before its transports are read: scopes, bindings and their mutations,
// imports (nodemailer's factory and namespaces, other packages), exports, and the workspace modules it imports.
import { parseExpression } from '@babel/parser';
import type { Node } from '@babel/types';
import type { SourceFile } from '../../model';
import { LineIndex } from '../../text';
import type { EnvResolver } from './envFiles';
import { type Binding, type EvalContext, type MutationEvent, type ObjectValue, entryValue, evaluate, propertyName } from './evaluate';
import { resolveRelative } from './extractFromConfig';
import { type ParsedScript, parseScript } from './parseScript';
import { isDynamicImportOf, isRequireOf, memberOf, memberPath, rootName, unwrapped } from './scriptAst';

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

interface ScopeNode {
  readonly start: number;
  readonly end: number;
  readonly isFunction: boolean;
}

type BindingRecord = Binding & {
  readonly name: string;
  readonly scope: ScopeNode;
  readonly at: number;
  readonly condDepth: number;
  readonly fnDepth: number;
  events: MutationEvent[];
};

const CONDITIONAL = new Set(['IfStatement', 'ConditionalExpression', 'LogicalExpression', 'SwitchCase', 'WhileStatement', 'DoWhileStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement', 'CatchClause', 'TryStatement']);
const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ObjectMethod', 'ClassMethod', 'ClassPrivateMethod']);
const BLOCKS = new Set(['BlockStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement', 'SwitchStatement', 'CatchClause', 'StaticBlock']);

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
  const bindings = new Map<string, Node>();
  const records = new Map<string, BindingRecord[]>();
  const namespaces = new Set<string>(['nodemailer']);
  const factories = new Set<string>();
  const packageImports = new Map<string, string>();
  const envHelpers = new Set<string>();
  const mutated = new Set<string>();
  const nonSmtpParams = new Set<string>();
  const sendClasses = new Set<string>();
  /** Exported name → the local name it exports (for classes exported by name). */
  const exportedLocals: { exported: string; local: string }[] = [];
  const exportNodes: { name: string; value: Node; property: Node }[] = [];
  let moduleExports: Node | undefined;

  const program: ScopeNode = { start: 0, end: source.text.length + 1, isFunction: true };
  const declare = (name: string, scope: ScopeNode, rec: Omit<BindingRecord, 'name' | 'scope' | 'events'>) => {
    const list = records.get(name) ?? [];
    list.push({ ...rec, name, scope, events: [] });
    records.set(name, list);
    if (rec.init && !bindings.has(name)) bindings.set(name, rec.init);
  };
  const pending: { root: string; at: number; event: MutationEvent; condDepth: number; fnDepth: number }[] = [];

  // A depth-first walk with the stacks the bindings need (scopes, conditions, functions).
  interface Frame {
    node: Node;
    scopes: ScopeNode[];
    condDepth: number;
    fnDepth: number;
  }
  const stack: Frame[] = [{ node: ast.program as unknown as Node, scopes: [program], condDepth: 0, fnDepth: 0 }];
  const declareIds = (pattern: Node, scope: ScopeNode, kind: BindingRecord['kind'], init: Node | undefined, f: Frame, at: number) => {
    const p = unwrapped(pattern);
    if (p.type === 'Identifier') declare(p.name, scope, { kind, init, at, condDepth: f.condDepth, fnDepth: f.fnDepth });
    else if (p.type === 'ObjectPattern') {
      for (const prop of p.properties) {
        if (prop.type === 'RestElement') {
          if (prop.argument.type === 'Identifier') declare(prop.argument.name, scope, { kind, at, condDepth: f.condDepth, fnDepth: f.fnDepth });
          continue;
        }
        const key = propertyName(prop.key, prop.computed);
        let target = prop.value as Node;
        let fallback: Node | undefined;
        if (target.type === 'AssignmentPattern') {
          fallback = target.right;
          target = target.left;
        }
        const member = init && key !== undefined ? memberOf(init, key, prop) : undefined;
        const value = member && fallback ? ({ type: 'LogicalExpression', operator: '??', left: member, right: fallback, start: prop.start, end: prop.end } as unknown as Node) : member;
        declareIds(target, scope, kind, value, f, at);
      }
    } else if (p.type === 'ArrayPattern') {
      for (const el of p.elements) if (el) declareIds(el.type === 'RestElement' ? el.argument : el, scope, kind, undefined, f, at);
    } else if (p.type === 'AssignmentPattern') declareIds(p.left, scope, kind, init, f, at);
    else if (p.type === 'RestElement') declareIds(p.argument, scope, kind, undefined, f, at);
  };

  while (stack.length) {
    const f = stack.pop() as Frame;
    const n = f.node as Node & Record<string, unknown>;
    let scopes = f.scopes;
    let condDepth = f.condDepth;
    let fnDepth = f.fnDepth;
    const here = scopes[scopes.length - 1];
    const functionScope = [...scopes].reverse().find((x) => x.isFunction) ?? program;

    if (FUNCTIONS.has(n.type)) {
      const fnNode = n as unknown as Node & { params: Node[]; id?: Node | null };
      if (n.type === 'FunctionDeclaration' && fnNode.id?.type === 'Identifier') declare(fnNode.id.name, here, { kind: 'function', at: n.start ?? 0, condDepth, fnDepth });
      const scope: ScopeNode = { start: n.start ?? 0, end: n.end ?? 0, isFunction: true };
      scopes = [...scopes, scope];
      fnDepth++;
      for (const param of fnNode.params ?? []) {
        // Strapi config files: `module.exports = ({ env }) => ({ ... })`: env('X') reads a variable.
        if (param.type === 'ObjectPattern') {
          for (const prop of param.properties) if (prop.type === 'ObjectProperty' && propertyName(prop.key, prop.computed) === 'env' && prop.value.type === 'Identifier') envHelpers.add(prop.value.name);
        }
        const target = param.type === 'TSParameterProperty' ? (param as unknown as { parameter: Node }).parameter : param;
        declareIds(target, scope, 'param', undefined, { ...f, condDepth, fnDepth }, param.start ?? 0);
        // A parameter typed as another transport's options (SESTransport.Options, SendmailTransportOptions).
        const typeName = typeNameOf(target);
        if (typeName && target.type === 'Identifier' && NON_SMTP_TYPE.test(typeName)) nonSmtpParams.add(`${target.name}@${scope.start}`);
      }
    } else if (BLOCKS.has(n.type) && n !== (ast.program as unknown)) {
      scopes = [...scopes, { start: n.start ?? 0, end: n.end ?? 0, isFunction: false }];
    } else if (n.type === 'ClassDeclaration' && (n as unknown as { id?: Node }).id?.type === 'Identifier') {
      const className = ((n as unknown as { id: Node & { name: string } }).id).name;
      declare(className, here, { kind: 'class', at: n.start ?? 0, condDepth, fnDepth });
      if (hasSendMethod(n)) sendClasses.add(className);
    }
    if (CONDITIONAL.has(n.type)) condDepth++;

    switch (n.type) {
      case 'ImportDeclaration': {
        const d = n as unknown as Node & { source: { value: string }; specifiers: Node[] };
        for (const sp of d.specifiers) {
          const s2 = sp as Node & { local: { name: string }; imported?: Node };
          const imported = sp.type === 'ImportSpecifier' ? (s2.imported?.type === 'Identifier' ? s2.imported.name : (s2.imported as unknown as { value: string }).value) : sp.type === 'ImportDefaultSpecifier' ? 'default' : '*';
          declare(s2.local.name, program, { kind: 'import', importFrom: { source: d.source.value, name: imported }, at: n.start ?? 0, condDepth: 0, fnDepth: 0 });
          if (d.source.value === 'nodemailer') {
            if (imported === 'createTransport') factories.add(s2.local.name);
            else if (imported === 'default' || imported === '*') namespaces.add(s2.local.name);
          } else if (!/^[./]/.test(d.source.value)) packageImports.set(s2.local.name, d.source.value);
          if (/(^|\/)env(\.[mc]?[jt]s)?$/.test(d.source.value) && (imported === 'env' || imported === 'default') && s2.local.name === 'env') envHelpers.add('env');
        }
        break;
      }
      case 'VariableDeclaration': {
        const d = n as unknown as { kind: string; declarations: (Node & { id: Node; init?: Node | null })[] };
        const scope = d.kind === 'var' ? functionScope : here;
        for (const decl of d.declarations) {
          const init = decl.init ?? undefined;
          declareIds(decl.id, scope, d.kind === 'var' ? 'var' : d.kind === 'let' ? 'let' : 'const', init, { ...f, condDepth, fnDepth }, decl.start ?? 0);
          const id = decl.id;
          if (init && id.type === 'Identifier') {
            if (isRequireOf(init, 'nodemailer') || isDynamicImportOf(init, 'nodemailer')) namespaces.add(id.name);
            // `const provider = transportProvider ?? createTransport`: a call of it may be nodemailer's.
            if (mayBeFactory(init, namespaces, factories)) factories.add(id.name);
            const u = unwrapped(init);
            if (u.type === 'MemberExpression' && (isRequireOf(u.object, 'nodemailer') || isDynamicImportOf(u.object, 'nodemailer'))) {
              const prop = propertyName(u.property, u.computed);
              if (prop === 'createTransport') factories.add(id.name);
              else if (prop === 'default') namespaces.add(id.name);
            }
            if (u.type === 'CallExpression' && u.callee.type === 'Identifier' && u.callee.name === 'require' && u.arguments[0]?.type === 'StringLiteral' && !/^[./]/.test(u.arguments[0].value)) packageImports.set(id.name, u.arguments[0].value);
            if (u.type === 'MemberExpression' && isRequireOf(u.object, /^[^./]/)) {
              const req = u.object as Node & { arguments: { value: string }[] };
              packageImports.set(id.name, req.arguments[0].value);
            }
          } else if (init && id.type === 'ObjectPattern' && isRequireOf(init, /^[^./]/) && !isRequireOf(init, 'nodemailer')) {
            const pkg = ((unwrapped(init) as Node & { arguments: { value: string }[] }).arguments[0]).value;
            for (const p of id.properties) if (p.type === 'ObjectProperty' && p.value.type === 'Identifier') packageImports.set(p.value.name, pkg);
          } else if (init && id.type === 'ObjectPattern' && (isRequireOf(init, 'nodemailer') || isDynamicImportOf(init, 'nodemailer'))) {
            for (const p of id.properties) {
              if (p.type !== 'ObjectProperty' || p.value.type !== 'Identifier') continue;
              const key = propertyName(p.key, p.computed);
              if (key === 'createTransport') factories.add(p.value.name);
              else if (key === 'default') namespaces.add(p.value.name);
            }
          }
        }
        break;
      }
      case 'CatchClause': {
        const param = (n as unknown as { param?: Node | null }).param;
        if (param) declareIds(param, scopes[scopes.length - 1], 'catch', undefined, { ...f, condDepth, fnDepth }, n.start ?? 0);
        break;
      }
      case 'AssignmentExpression': {
        const a = n as unknown as Node & { left: Node; right: Node; operator: string };
        const left = unwrapped(a.left);
        if (left.type === 'Identifier') {
          mutated.add(left.name);
          pending.push({ root: left.name, at: n.start ?? 0, condDepth, fnDepth, event: a.operator === '=' ? { kind: 'reassign', at: n.end ?? 0, value: a.right, conditional: condDepth > 0 } : { kind: 'unknown', at: n.start ?? 0, path: [], conditional: true } });
        } else {
          const mp = memberPath(left);
          if (mp) {
            mutated.add(mp.root);
            if (mp.root === 'module' && mp.path[0] === 'exports' && mp.path.length === 1) moduleExports = a.right;
            else if ((mp.root === 'module' && mp.path[0] === 'exports' && mp.path.length === 2) || (mp.root === 'exports' && mp.path.length === 1)) exportNodes.push({ name: mp.path[mp.path.length - 1], value: a.right, property: n });
            const target = mp.root === 'module' && mp.path[0] === 'exports' ? (mp.path[1] ?? 'default') : mp.root === 'exports' && mp.path.length === 1 ? mp.path[0] : undefined;
            const right = unwrapped(a.right);
            if (target && right.type === 'Identifier') exportedLocals.push({ exported: target, local: right.name });
            else pending.push({ root: mp.root, at: n.start ?? 0, condDepth, fnDepth, event: a.operator === '=' && mp.path.length ? { kind: 'set', at: n.end ?? 0, path: mp.path, value: a.right, property: n, conditional: condDepth > 0 } : { kind: 'unknown', at: n.start ?? 0, path: mp.path, conditional: true } });
          } else {
            const root = rootName(left);
            if (root) {
              mutated.add(root);
              pending.push({ root, at: n.start ?? 0, condDepth, fnDepth, event: { kind: 'unknown', at: n.start ?? 0, path: [], conditional: true } });
            }
          }
        }
        break;
      }
      case 'UpdateExpression':
      case 'UnaryExpression': {
        const u = n as unknown as { operator: string; argument: Node };
        if (n.type === 'UnaryExpression' && u.operator !== 'delete') break;
        const mp = memberPath(u.argument);
        if (mp) {
          mutated.add(mp.root);
          pending.push({ root: mp.root, at: n.start ?? 0, condDepth, fnDepth, event: n.type === 'UnaryExpression' && mp.path.length ? { kind: 'delete', at: n.start ?? 0, path: mp.path, conditional: condDepth > 0 } : { kind: 'unknown', at: n.start ?? 0, path: mp.path, conditional: true } });
        }
        break;
      }
      case 'NewExpression':
      case 'CallExpression': {
        const c = n as unknown as Node & { callee: Node; arguments: Node[] };
        // An object handed to a function may come back changed (`loadConfig(cfg)`, `merge(cfg.mail, x)`).
        if (!callLeavesArgumentsAlone(c.callee, factories)) {
          for (const a of c.arguments) {
            const mp = a.type === 'SpreadElement' ? undefined : memberPath(a);
            if (!mp || mp.root === 'process' || mp.root === 'module' || mp.root === 'exports') continue;
            pending.push({ root: mp.root, at: n.end ?? 0, condDepth, fnDepth, event: { kind: 'unknown', at: n.end ?? 0, path: mp.path, conditional: true, escape: true } });
          }
        }
        if (n.type === 'CallExpression' && c.callee.type === 'MemberExpression' && propertyName(c.callee.property, c.callee.computed) === 'assign' && c.callee.object.type === 'Identifier' && c.callee.object.name === 'Object' && c.arguments[0]) {
          const mp = memberPath(c.arguments[0]);
          if (mp) {
            mutated.add(mp.root);
            const sources = c.arguments.slice(1).filter((x) => x.type !== 'SpreadElement');
            pending.push({ root: mp.root, at: n.start ?? 0, condDepth, fnDepth, event: mp.path.length ? { kind: 'unknown', at: n.start ?? 0, path: mp.path, conditional: true } : { kind: 'assign', at: n.end ?? 0, sources, conditional: condDepth > 0 } });
          }
        }
        break;
      }
      case 'ExportDefaultDeclaration': {
        const d = (n as unknown as { declaration: Node }).declaration;
        if (d.type !== 'FunctionDeclaration' && d.type !== 'ClassDeclaration' && d.type !== 'TSInterfaceDeclaration') exportNodes.push({ name: 'default', value: d, property: n });
        if (d.type === 'Identifier') exportedLocals.push({ exported: 'default', local: d.name });
        else if ((d.type === 'ClassDeclaration' || d.type === 'ClassExpression') && hasSendMethod(d)) exportedLocals.push({ exported: 'default', local: '\0class' });
        break;
      }
      case 'ExportNamedDeclaration': {
        const d = n as unknown as { declaration?: Node | null; specifiers: (Node & { local: Node; exported: Node })[]; source?: Node | null };
        if (d.declaration?.type === 'VariableDeclaration') {
          for (const decl of d.declaration.declarations) if (decl.id.type === 'Identifier') exportNodes.push({ name: decl.id.name, value: decl.id, property: decl });
        }
        if (d.declaration?.type === 'ClassDeclaration' && d.declaration.id) exportedLocals.push({ exported: d.declaration.id.name, local: d.declaration.id.name });
        if (!d.source) {
          for (const sp of d.specifiers) {
            if (sp.type !== 'ExportSpecifier') continue;
            const exported = sp.exported.type === 'Identifier' ? sp.exported.name : (sp.exported as unknown as { value: string }).value;
            exportNodes.push({ name: exported, value: sp.local, property: sp });
            if (sp.local.type === 'Identifier') exportedLocals.push({ exported, local: sp.local.name });
          }
        }
        break;
      }
    }

    const children: Frame[] = [];
    for (const key of Object.keys(n)) {
      if (key === 'loc' || key === 'start' || key === 'end' || key === 'extra' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue;
      const child = n[key];
      if (Array.isArray(child)) {
        for (const c of child) if (c && typeof c === 'object' && typeof (c as Node).type === 'string') children.push({ node: c as Node, scopes, condDepth, fnDepth });
      } else if (child && typeof child === 'object' && typeof (child as Node).type === 'string') children.push({ node: child as Node, scopes, condDepth, fnDepth });
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }

  const lookupRecord = (name: string, at: number): BindingRecord | undefined => {
    let best: BindingRecord | undefined;
    for (const r of records.get(name) ?? []) {
      if (at < r.scope.start || at > r.scope.end) continue;
      if (!best || r.scope.end - r.scope.start < best.scope.end - best.scope.start || (r.scope === best.scope && r.at <= at && r.at > best.at)) best = r;
    }
    return best;
  };
  for (const p of pending) {
    const r = lookupRecord(p.root, p.at);
    if (!r) continue;
    // A change inside a condition, a loop or a callback (relative to the declaration) may or may not have run.
    const conditional = (p.event.kind === 'unknown' ? true : p.condDepth > r.condDepth) || p.fnDepth > r.fnDepth;
    r.events.push({ ...p.event, conditional } as MutationEvent);
  }
  for (const list of records.values()) for (const r of list) r.events.sort((a, b) => a.at - b.at);

  const ctx: EvalContext = {
    file: source.file,
    lines: new LineIndex(source.text),
    env,
    bindings,
    mutated,
    envHelpers,
    unread,
    resolve: (name, at) => lookupRecord(name, at),
    importModule: (specifier, name, depth) => {
      if (depth > 12) return undefined;
      const mod = modules.load(source.file, specifier);
      if (!mod) return undefined;
      if (name === '*') return { node: mod.ctx.lines ? ({ type: 'Identifier', name: '*', start: 0, end: 0 } as unknown as Node) : ({} as Node), object: namespaceOf(mod), literal: false, ctx: mod.ctx };
      const entry = mod.exports.get(name) ?? (name === 'default' ? undefined : undefined);
      if (!entry) {
        if (name === 'default') return { node: { type: 'Identifier', name: 'default', start: 0, end: 0 } as unknown as Node, object: namespaceOf(mod), literal: false, ctx: mod.ctx };
        return undefined;
      }
      return { ...entryValue(entry, depth + 1) };
    },
  };
  const exports: ObjectValue = new Map();
  if (moduleExports) {
    const v = evaluate(moduleExports, ctx);
    if (v.object) for (const [k, e] of v.object) exports.set(k, e);
    exports.set('default', { property: moduleExports, value: moduleExports, ctx });
    if (!v.object) exports.open = true;
  }
  for (const e of exportNodes) exports.set(e.name, { property: e.property, value: e.value, ctx });
  const isNonSmtpParam = (name: string, at: number) => {
    const r = lookupRecord(name, at);
    return !!r && r.kind === 'param' && nonSmtpParams.has(`${name}@${r.scope.start}`);
  };
  const transportClassExports = new Set(exportedLocals.filter((e) => e.local === '\0class' || sendClasses.has(e.local)).map((e) => e.exported));
  const isTransportClass = (name: string, at: number) => {
    const r = lookupRecord(name, at);
    if (!r) return false;
    if (r.kind === 'class') return sendClasses.has(name);
    let from = r.importFrom;
    // const X = require('./x'), const X = require('./x').X
    const init = r.init && unwrapped(r.init);
    if (!from && init && isRequireOf(init, /^\./)) from = { source: (init as Node & { arguments: { value: string }[] }).arguments[0].value, name: 'default' };
    else if (!from && init?.type === 'MemberExpression' && isRequireOf(init.object, /^\./)) {
      const member = propertyName(init.property, init.computed);
      if (member) from = { source: (unwrapped(init.object) as Node & { arguments: { value: string }[] }).arguments[0].value, name: member };
    }
    if (!from) return false;
    return !!modules.load(source.file, from.source)?.transportClassExports?.has(from.name);
  };
  return { ctx, namespaces, factories, packageImports, mutated, exports, isNonSmtpParam, transportClassExports, isTransportClass };
}

/** A class with an instance method `send`: what nodemailer takes as a custom transport. */
function hasSendMethod(cls: Node): boolean {
  const body = (cls as Node & { body?: { body?: Node[] } }).body?.body ?? [];
  return body.some((m) => (m.type === 'ClassMethod' || m.type === 'ClassProperty') && !(m as Node & { static?: boolean }).static && propertyName((m as Node & { key: Node }).key, (m as Node & { computed?: boolean }).computed ?? false) === 'send');
}

/** Callees that only read their arguments: logging, serialising, nodemailer's factory, pure Object/Array helpers. */
const READ_ONLY_METHODS = new Set(['log', 'info', 'debug', 'warn', 'error', 'trace', 'verbose', 'stringify', 'keys', 'values', 'entries', 'freeze', 'isArray', 'createTransport', 'has', 'get', 'includes', 'hasOwnProperty', 'hasOwn']);
const READ_ONLY_FUNCTIONS = new Set(['String', 'Number', 'Boolean', 'parseInt', 'parseFloat', 'require', 'Symbol', 'Date', 'URL', 'Error', 'TypeError', 'isNaN', 'encodeURIComponent', 'decodeURIComponent']);

/** Whether an expression may evaluate to nodemailer's createTransport (an alias, one branch of a choice, a bound copy). */
function mayBeFactory(node: Node, namespaces: ReadonlySet<string>, factories: ReadonlySet<string>, depth = 0): boolean {
  const n = unwrapped(node);
  if (depth > 8) return false;
  if (n.type === 'Identifier') return factories.has(n.name);
  if (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') {
    if (propertyName(n.property, n.computed) !== 'createTransport') return false;
    let obj = unwrapped(n.object);
    if ((obj.type === 'MemberExpression' || obj.type === 'OptionalMemberExpression') && propertyName(obj.property, obj.computed) === 'default') obj = unwrapped(obj.object);
    return obj.type === 'Identifier' ? namespaces.has(obj.name) : isRequireOf(obj, 'nodemailer');
  }
  if (n.type === 'ConditionalExpression') return mayBeFactory(n.consequent, namespaces, factories, depth + 1) || mayBeFactory(n.alternate, namespaces, factories, depth + 1);
  if (n.type === 'LogicalExpression') return mayBeFactory(n.left, namespaces, factories, depth + 1) || mayBeFactory(n.right, namespaces, factories, depth + 1);
  if (n.type === 'CallExpression' && (n.callee.type === 'MemberExpression' || n.callee.type === 'OptionalMemberExpression') && propertyName(n.callee.property, n.callee.computed) === 'bind') return mayBeFactory(n.callee.object, namespaces, factories, depth + 1);
  return false;
}

function callLeavesArgumentsAlone(callee: Node, factories: ReadonlySet<string>): boolean {
  const c = unwrapped(callee);
  if (c.type === 'Identifier') return READ_ONLY_FUNCTIONS.has(c.name) || factories.has(c.name);
  if (c.type === 'MemberExpression' || c.type === 'OptionalMemberExpression') {
    const name = propertyName(c.property, c.computed);
    if (name === 'assign' && c.object.type === 'Identifier' && c.object.name === 'Object') return true;
    return name !== undefined && READ_ONLY_METHODS.has(name);
  }
  return false;
}

/** Options types of nodemailer's other transports. */
const NON_SMTP_TYPE = /^(SES|Sendmail|Stream|JSON)(Transport)?(\.)?Options$|^(SES|Sendmail|Stream|JSON)Transport(\.Options)?$/;

/** The written type of a parameter (`options: SESTransport.Options` → "SESTransport.Options"). */
function typeNameOf(param: Node): string | undefined {
  const ann = (param as Node & { typeAnnotation?: { typeAnnotation?: Node } }).typeAnnotation?.typeAnnotation;
  if (!ann || ann.type !== 'TSTypeReference') return undefined;
  const name = (n: Node): string => (n.type === 'Identifier' ? n.name : n.type === 'TSQualifiedName' ? `${name(n.left)}.${n.right.name}` : '');
  return name(ann.typeName as Node) || undefined;
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
