import { parseExpression } from '@babel/parser';
import type { ArrayExpression, CallExpression, File, Node } from '@babel/types';
import type { Range, SourceFile, TextEdit } from '../../model';
import { LineIndex } from '../../text';
import type { EnvResolver } from './envFiles';
import { type Binding, type EvalContext, type Evaluated, type MutationEvent, type ObjectValue, entryValue, envStringShape, evaluate, propertyName } from './evaluate';
import { resolveRelative } from './extractFromConfig';
import { type ParsedScript, type UnreadSpan, UNREAD_DESCRIPTION, isCutOff, parseScript, unreadWithin } from './parseScript';
import { removalSpan } from './removal';
import { type OptionValue, type TransportDefinition, verbatimSpan } from './transport';

/** Cheap test before parsing: only files that mention nodemailer or createTransport are read. */
export function mayDefineTransport(text: string): boolean {
  return (
    text.includes('nodemailer') ||
    text.includes('createTransport') ||
    // Wrappers: @nestjs-modules/mailer, Auth.js email providers, Strapi's email plugin.
    text.includes('@nestjs-modules/mailer') ||
    text.includes('/providers/email') ||
    text.includes('providerOptions')
  );
}

const SCRIPT_FILE = /\.(?:[cm]?[jt]sx?)$/i;

export function isScriptFile(path: string): boolean {
  return SCRIPT_FILE.test(path) && !/\.d\.[cm]?ts$/i.test(path);
}

/** Visits every AST node (skipping position objects), depth first, without recursion limits. */
function walk(root: Node, visit: (n: Node) => void): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    if (Array.isArray(n)) {
      for (let i = n.length - 1; i >= 0; i--) stack.push(n[i]);
      continue;
    }
    const node = n as Node & Record<string, unknown>;
    if (typeof node.type !== 'string') continue;
    visit(node);
    for (const key of Object.keys(node)) {
      if (key === 'loc' || key === 'start' || key === 'end' || key === 'extra' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue;
      const child = node[key];
      if (child && typeof child === 'object') stack.push(child);
    }
  }
}

const isRequireOf = (n: Node | null | undefined, module: string | RegExp): boolean =>
  !!n &&
  n.type === 'CallExpression' &&
  n.callee.type === 'Identifier' &&
  n.callee.name === 'require' &&
  n.arguments[0]?.type === 'StringLiteral' &&
  (typeof module === 'string' ? n.arguments[0].value === module : module.test(n.arguments[0].value));

/** `import('nodemailer')` / `await import('nodemailer')`. */
const isDynamicImportOf = (n: Node | null | undefined, module: string): boolean => {
  let x = n ? unwrapped(n) : undefined;
  if (x?.type === 'AwaitExpression' && x.argument) x = unwrapped(x.argument);
  return !!x && x.type === 'CallExpression' && x.callee.type === 'Import' && x.arguments[0]?.type === 'StringLiteral' && x.arguments[0].value === module;
};

/** Reads another module of the workspace by id (a path or URI built from the importing file's). */
export type ModuleLoader = (id: string) => SourceFile | undefined;

export interface ScriptExtraction {
  readonly transports: TransportDefinition[];
  /** Why a file that mentions nodemailer could not be read, when it could not. */
  readonly unreadable?: string;
}

/** Every nodemailer transport a JS/TS file creates with createTransport(...). */
export function extractScriptTransports(source: SourceFile, env: EnvResolver, loader?: ModuleLoader): TransportDefinition[] {
  return extractScriptTransportsWithNotes(source, env, loader).transports;
}

/** Like extractScriptTransports, and says when a file that mentions nodemailer does not parse. */
export function extractScriptTransportsWithNotes(source: SourceFile, env: EnvResolver, loader?: ModuleLoader): ScriptExtraction {
  if (!mayDefineTransport(source.text)) return { transports: [] };
  const parsed = parseScript(source.text, source.file);
  if (!parsed) return { transports: [], unreadable: 'a syntax error no repair could get past' };
  const modules = new ModuleCache(env, loader);
  const mod = analyse(parsed, source, env, modules);
  return { transports: transportsIn(parsed.ast, mod, source) };
}

/** Package names whose factory builds an SMTP transport from nodemailer options. */
const SMTP_WRAPPER_PACKAGES = /^nodemailer-smtp-(transport|pool)$/;

// -------------------------------------------------------------------------------------------------
// Analysis: scopes, bindings, mutations, imports

interface ModuleInfo {
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

/** A synthetic member expression `object.name` placed where the destructured name is written. */
function memberOf(object: Node, name: string, at: Node): Node {
  return { type: 'MemberExpression', object, property: { type: 'Identifier', name, start: at.start, end: at.end }, computed: false, start: at.start, end: at.end } as unknown as Node;
}

/** `path` of `a.b.c` rooted at identifier `a`: ['b', 'c']; undefined for computed parts. */
function memberPath(node: Node): { root: string; path: string[] } | undefined {
  const path: string[] = [];
  let n = unwrapped(node);
  for (let i = 0; i < 16; i++) {
    if (n.type === 'Identifier') return { root: n.name, path: path.reverse() };
    if (n.type !== 'MemberExpression' && n.type !== 'OptionalMemberExpression') return undefined;
    const name = propertyName(n.property, n.computed);
    if (name === undefined) return undefined;
    path.push(name);
    n = unwrapped(n.object);
  }
  return undefined;
}

class ModuleCache {
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

function analyse({ ast, unread }: ParsedScript, source: SourceFile, env: EnvResolver, modules: ModuleCache): ModuleInfo {
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

/** Calls that create a transport from nodemailer options, and where the options are in each. */
function transportsIn(ast: File, mod: ModuleInfo, source: SourceFile): TransportDefinition[] {
  const ctx = mod.ctx;
  const out: TransportDefinition[] = [];
  const seen = new Set<Node>();
  const add = (call: Node, head: Node, options: Node | undefined, viaWrapper: boolean) => {
    if (seen.has(call)) return;
    seen.add(call);
    const def = definitionFromOptions(call, head, options, ctx, source, mod, viaWrapper);
    if (def) out.push(def);
  };
  const isStrapiConfig = /(^|[\\/])config[\\/](env[\\/][^\\/]+[\\/])?(plugins|email)\.[cm]?[jt]s$/.test(source.file);
  walk(ast.program, (n) => {
    if (n.type === 'CallExpression' || n.type === 'OptionalCallExpression') {
      const call = n as CallExpression;
      const arg = call.arguments[0] && call.arguments[0].type !== 'SpreadElement' && call.arguments[0].type !== 'ArgumentPlaceholder' ? (call.arguments[0] as Node) : undefined;
      const head = call.callee.type === 'MemberExpression' || call.callee.type === 'OptionalMemberExpression' ? call.callee.property : call.callee;
      if (isCreateTransport(call, mod)) {
        add(call, head, arg, false);
        return;
      }
      const wrapper = wrapperOf(call, mod);
      if (wrapper && arg) {
        const options = wrapperOptions(wrapper, arg, ctx);
        if (options !== null) add(call, head, options, true);
      }
    } else if (isStrapiConfig && n.type === 'ObjectExpression') {
      // Strapi's email plugin: { provider: 'nodemailer', providerOptions: { host, port, ... } }.
      const props = new Map<string, Node>();
      for (const p of n.properties) if (p.type === 'ObjectProperty') props.set(propertyName(p.key, p.computed) ?? '', p.value);
      const provider = props.get('provider');
      const options = props.get('providerOptions');
      if (!provider || !options) return;
      const name = evaluate(provider, ctx).value;
      if (typeof name === 'string' && /nodemailer|smtp/i.test(name)) add(n, provider, options, true);
    }
  });
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

type Wrapper = 'nest-mailer' | 'nest-mailer-async' | 'next-auth-email';

/** `MailerModule.forRoot(...)` (@nestjs-modules/mailer), `EmailProvider(...)` / `Nodemailer(...)` (Auth.js). */
function wrapperOf(call: CallExpression, mod: ModuleInfo): Wrapper | undefined {
  const c = unwrapped(call.callee as Node);
  if (c.type === 'MemberExpression' && c.object.type === 'Identifier') {
    const method = propertyName(c.property, c.computed);
    const pkg = mod.packageImports.get(c.object.name);
    if (pkg === '@nestjs-modules/mailer' && (method === 'forRoot' || method === 'forRootAsync')) return method === 'forRoot' ? 'nest-mailer' : 'nest-mailer-async';
    if (pkg === 'next-auth/providers' && method === 'Email') return 'next-auth-email';
  }
  if (c.type === 'Identifier') {
    const pkg = mod.packageImports.get(c.name);
    if (pkg && /^(next-auth|@auth\/core)\/providers\/(email|nodemailer)$/.test(pkg)) return 'next-auth-email';
  }
  return undefined;
}

/** The nodemailer options inside a wrapper's argument; null when the wrapper is given none to read. */
function wrapperOptions(wrapper: Wrapper, arg: Node, ctx: EvalContext): Node | undefined | null {
  let obj = unwrapped(arg);
  if (wrapper === 'nest-mailer-async') {
    if (obj.type !== 'ObjectExpression') return undefined;
    const factory = obj.properties.find((p) => (p.type === 'ObjectProperty' || p.type === 'ObjectMethod') && propertyName(p.key, p.computed) === 'useFactory');
    if (!factory) return null;
    const fn = factory.type === 'ObjectMethod' ? factory : unwrapped((factory as Node & { value: Node }).value);
    const returned = returnedExpression(fn);
    if (!returned) return undefined;
    obj = unwrapped(returned);
  }
  const key = wrapper === 'next-auth-email' ? 'server' : 'transport';
  if (obj.type !== 'ObjectExpression') {
    const e = evaluate(obj, ctx);
    const entry = e.object?.get(key);
    return entry ? entry.value : e.object && !e.object.open ? null : undefined;
  }
  const prop = obj.properties.find((p) => p.type === 'ObjectProperty' && propertyName(p.key, p.computed) === key) as (Node & { value: Node }) | undefined;
  if (prop) return prop.value;
  // No server / transport written: the wrapper gets no SMTP settings here (a spread may still bring them).
  return obj.properties.some((p) => p.type === 'SpreadElement') ? undefined : null;
}

/** What an arrow function or function returns, when it is one expression or one return statement. */
function returnedExpression(fn: Node): Node | undefined {
  const f = fn as Node & { body?: Node };
  if (!f.body) return undefined;
  if (f.body.type !== 'BlockStatement') return f.body;
  const returns = f.body.body.filter((st) => st.type === 'ReturnStatement');
  return returns.length === 1 ? ((returns[0] as Node & { argument?: Node }).argument ?? undefined) : undefined;
}

function isCreateTransport(call: CallExpression, mod: ModuleInfo): boolean {
  const c = unwrapped(call.callee as Node);
  if (c.type === 'Identifier') return mod.factories.has(c.name);
  if (c.type !== 'MemberExpression' && c.type !== 'OptionalMemberExpression') return false;
  if (propertyName(c.property, c.computed) !== 'createTransport') return false;
  let obj = unwrapped(c.object);
  // nodemailer.default.createTransport (compiled ES modules), (await import('nodemailer')).createTransport
  if ((obj.type === 'MemberExpression' || obj.type === 'OptionalMemberExpression') && propertyName(obj.property, obj.computed) === 'default') obj = unwrapped(obj.object);
  if (obj.type === 'Identifier') return mod.namespaces.has(obj.name) || /^nodemailer(_\d+)?$/.test(obj.name);
  return isRequireOf(obj, 'nodemailer') || isDynamicImportOf(obj, 'nodemailer');
}


function rangeOf(lines: LineIndex, n: Node): Range {
  return lines.range(n.start ?? 0, n.end ?? n.start ?? 0);
}

/** `a` for `a`, `a.b.c`, `a['b']` (what an assignment or Object.assign changes). */
function rootName(node: Node): string | undefined {
  let n: Node = node;
  for (let i = 0; i < 64; i++) {
    if (n.type === 'Identifier') return n.name;
    if (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') n = n.object;
    else if (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'ParenthesizedExpression' || n.type === 'TSSatisfiesExpression') n = n.expression;
    else return undefined;
  }
  return undefined;
}

const WRAPPERS = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'ParenthesizedExpression', 'TypeCastExpression']);

function unwrapped(node: Node): Node {
  let n = node;
  while (WRAPPERS.has(n.type)) n = (n as Node & { expression: Node }).expression;
  return n;
}

/** Flags whose value nodemailer tests for truthiness (an environment variable's "false" is true). */
const FLAG_OPTIONS = new Set(['secure', 'requireTLS', 'ignoreTLS', 'tls.rejectUnauthorized']);

const SCRIPT_REMOVAL = { lineComment: '//', trailingCommaAllowed: true };

function definitionFromOptions(call: Node, head: Node, optionsNode: Node | undefined, ctx: EvalContext, source: SourceFile, mod: ModuleInfo, viaWrapper: boolean): TransportDefinition | undefined {
  let arg: Node | undefined = optionsNode ? unwrapped(optionsNode) : undefined;
  if (arg?.type === 'Identifier' && mod.isNonSmtpParam?.(arg.name, arg.start ?? 0)) return undefined;
  // { sendmail: true, ...options }: whatever the spread holds, this asks for another transport.
  if (
    arg?.type === 'ObjectExpression' &&
    arg.properties.some((p) => p.type === 'ObjectProperty' && ['sendmail', 'streamTransport', 'jsonTransport', 'SES'].includes(propertyName(p.key, p.computed) ?? '') && (p.value.type === 'ObjectExpression' || (p.value.type === 'BooleanLiteral' && p.value.value)))
  )
    return undefined;
  // Transport plugins: createTransport(smtpTransport({...})) from nodemailer-smtp-transport / -pool keep
  // nodemailer's options; any other package's factory (mailgun, SES, Postmark, Resend, ...) is not SMTP.
  if (arg && (arg.type === 'CallExpression' || arg.type === 'NewExpression')) {
    const callee = unwrapped(arg.callee as Node);
    const root = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' ? rootName(callee) : undefined;
    // MailChannelsTransport.makeTransport({...}), new MyTransport(): a class of the workspace with its own send().
    if (root && mod.isTransportClass?.(root, callee.start ?? 0)) return undefined;
    const pkg = root ? mod.packageImports.get(root) : undefined;
    if (pkg && SMTP_WRAPPER_PACKAGES.test(pkg)) {
      const inner = arg.arguments[0];
      arg = inner && inner.type !== 'SpreadElement' && inner.type !== 'ArgumentPlaceholder' ? (inner as Node) : undefined;
    } else if (pkg || (callee.type === 'Identifier' && /^smtp(Transport|Pool)$/i.test(callee.name))) {
      if (!pkg) {
        const inner = arg.arguments[0];
        arg = inner && inner.type !== 'SpreadElement' && inner.type !== 'ArgumentPlaceholder' ? (inner as Node) : undefined;
      } else return undefined;
    } else if (arg.type === 'NewExpression') return undefined;
  }
  const options = new Map<string, OptionValue>();
  // Renames and removals only inside the object literal written in the call (not in a shared base object).
  const own = arg?.type === 'ObjectExpression' && (arg.start ?? -1) >= 0 ? [arg.start ?? 0, arg.end ?? 0] : undefined;
  const toOption = (e: Evaluated, property?: Node, name?: string, valueNode?: Node, where: EvalContext = ctx): OptionValue => {
    const at = e.ctx ?? where;
    const inCall = at === ctx && !!own && !!property && (property.start ?? -1) >= own[0] && (property.end ?? Infinity) <= own[1];
    let keyRange: Range | undefined;
    let removeRange: Range | undefined;
    if (inCall && property?.type === 'ObjectProperty' && !property.shorthand && !property.computed) {
      const k = property.key;
      if (k.type === 'Identifier') keyRange = rangeOf(ctx.lines, k);
      else if (k.type === 'StringLiteral' && k.start != null && k.end != null && k.end - k.start === k.value.length + 2) keyRange = ctx.lines.range(k.start + 1, k.end - 1);
    }
    if (inCall && property && property.start != null && property.end != null) {
      const [s, e2] = removalSpan(source.text, property.start, property.end, SCRIPT_REMOVAL);
      removeRange = ctx.lines.range(s, e2);
    }
    const shape = name && valueNode && FLAG_OPTIONS.has(name) && where === ctx ? envStringShape(valueNode, ctx) : undefined;
    const literal = e.literal && at === where;
    // In whichever module the value is written (this one, an imported config): checked against that text.
    const verbatim = literal && typeof e.value === 'string' && e.node.start != null && e.node.end != null ? verbatimSpan(at.lines.text, e.node.start, e.node.end, e.value) : undefined;
    return {
      value: e.value,
      unresolved: e.value === undefined && !e.nullish ? e.unresolved ?? { reason: 'dynamic', description: 'computed at run time' } : undefined,
      nullish: e.value === undefined ? e.nullish : undefined,
      file: at.file,
      range: rangeOf(at.lines, e.node),
      optionRange: property && at === where ? rangeOf(at.lines, property) : undefined,
      env: e.env,
      literal,
      verbatim: verbatim && at.lines.range(verbatim[0], verbatim[1]),
      keyRange,
      removeRange,
      envString: shape && valueNode ? { kind: shape, range: rangeOf(ctx.lines, valueNode), inner: rangeOf(ctx.lines, unwrapped(valueNode)) } : undefined,
    };
  };
  // Unread text in the call outside the options (their own is read as unknown values or open objects):
  // lines a repair blanked may have moved what follows, so the options are not known to be all there.
  // (Where the text stops is no unread text: what is not typed yet is not there.)
  const length = ctx.lines.text.length;
  const within = (u: UnreadSpan, n: Node | undefined) => !!n && n.start != null && n.end != null && unreadWithin([u], n.start, n.end, length) !== undefined;
  const callUnread = (ctx.unread ?? []).find((u) => !isCutOff(u, length) && within(u, call) && !within(u, arg));
  const notRead = (u: UnreadSpan): OptionValue => ({
    file: source.file,
    range: rangeOf(ctx.lines, call),
    literal: false,
    unresolved: { reason: 'dynamic', description: `${ctx.unread?.includes(u) && within(u, call) ? 'part of the call' : 'part of the options'}: ${UNREAD_DESCRIPTION[u.reason]}` },
  });
  let objectNode: Node | undefined;
  let complete = false;
  if (arg) {
    const top = evaluate(arg, ctx);
    if (top.object) {
      // A custom transport object (it has its own send()), or options of a transport that is not SMTP.
      const send = top.object.get('send');
      if (send && entryValue(send, 1).isFunction) return undefined;
      if (top.object.has('transport') && !viaWrapper) return undefined;
      flatten(top.object, '', ctx, options, toOption);
      if (arg.type === 'ObjectExpression') objectNode = arg;
      complete = !top.object.open && !callUnread;
      const unread = callUnread ?? top.object.unread;
      if (unread) options.set('options', notRead(unread));
    } else if (top.value !== undefined || top.unresolved?.reason === 'env') {
      options.set('url', toOption(top));
      // A URL string is all createTransport gets.
      complete = top.value !== undefined && !callUnread;
      if (callUnread) options.set('options', notRead(callUnread));
    } else if (top.isFunction) {
      return undefined;
    } else {
      // Options built at run time (or written where the parser could not read): nothing about them is known.
      options.set('options', toOption(top));
    }
  } else {
    // createTransport() (or `createTransport(` being typed): no options to read, and nodemailer itself
    // throws a TypeError; createTransport(...args) and a wrapper's options built at run time: not known here.
    const first = call.type === 'CallExpression' || call.type === 'OptionalCallExpression' ? call.arguments[0] : undefined;
    const description = viaWrapper ? 'the options are built at run time' : first?.type === 'SpreadElement' ? 'the options are spread in at run time' : 'no options are written';
    options.set('options', { file: source.file, range: rangeOf(ctx.lines, call), literal: false, unresolved: { reason: 'dynamic', description } });
  }
  return {
    file: source.file,
    source: 'nodemailer',
    client: 'nodemailer',
    range: rangeOf(ctx.lines, call),
    headRange: rangeOf(ctx.lines, head),
    options,
    complete,
    addOption(option, value) {
      if (!objectNode || objectNode.type !== 'ObjectExpression' || option.includes('.')) return undefined;
      const literal = typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : String(value);
      const props = objectNode.properties;
      const last = props[props.length - 1];
      const at = last ? last.end ?? 0 : (objectNode.start ?? 0) + 1;
      const edit: TextEdit = { range: ctx.lines.range(at, at), newText: last ? `, ${option}: ${literal}` : ` ${option}: ${literal} ` };
      return edit;
    },
  };
}

function flatten(
  obj: ObjectValue,
  prefix: string,
  ctx: EvalContext,
  out: Map<string, OptionValue>,
  toOption: (e: Evaluated, property?: Node, name?: string, valueNode?: Node, where?: EvalContext) => OptionValue,
  depth = 0,
): void {
  for (const [key, entry] of obj) {
    const { property, value } = entry;
    // dkim: { keys: [{ domainName, keySelector, privateKey }, ...] }: each key as dkim.keys.N.*
    const array = prefix + key === 'dkim.keys' && !entry.nested ? arrayLiteral(value, entry.ctx) : undefined;
    if (array) {
      let read = 0;
      array.elements.slice(0, 100).forEach((element, i) => {
        const item = element && element.type !== 'SpreadElement' ? evaluate(element, entry.ctx) : undefined;
        if (!item?.object) return;
        flatten(item.object, `dkim.keys.${i}.`, ctx, out, toOption, depth + 1);
        read++;
      });
      if (read > 0) continue;
    }
    const e = entryValue(entry, 0);
    if (e.object && depth < 3) flatten(e.object, `${prefix}${key}.`, ctx, out, toOption, depth + 1);
    else out.set(prefix + key, toOption(e, property, prefix + key, value, entry.ctx));
  }
}

/** An array literal written here or bound to a constant nothing changes; undefined for anything else. */
function arrayLiteral(node: Node, ctx: EvalContext): ArrayExpression | undefined {
  let n = unwrapped(node);
  if (n.type === 'Identifier' && !ctx.mutated?.has(n.name)) {
    const init = ctx.bindings.get(n.name);
    if (init) n = unwrapped(init);
  }
  return n.type === 'ArrayExpression' ? n : undefined;
}
