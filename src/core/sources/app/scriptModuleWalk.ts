// One walk over a module's syntax tree: the bindings of every scope with the changes made to them, what it
// imports from nodemailer and from other packages, what it exports, and which classes are custom transports.
// scriptModuleAnalysis.ts turns what the walk found into a ModuleInfo.
import type { Node } from '@babel/types';
import type { Binding, MutationEvent } from './evaluate';
import { propertyName } from './evaluate';
import { isDynamicImportOf, isRequireOf, memberOf, memberPath, rootName, unwrapped } from './scriptAst';

export interface ScopeNode {
  readonly start: number;
  readonly end: number;
  readonly isFunction: boolean;
}

export type BindingRecord = Binding & {
  readonly name: string;
  readonly scope: ScopeNode;
  readonly at: number;
  readonly condDepth: number;
  readonly fnDepth: number;
  events: MutationEvent[];
};

/** How deep a node sits in conditions (branches, loops) and in functions. */
interface Depths {
  readonly condDepth: number;
  readonly fnDepth: number;
}

interface Frame extends Depths {
  readonly node: Node;
  readonly scopes: ScopeNode[];
}

/** A change to a binding, kept until every declaration is known (a change may come before its `var`). */
interface PendingChange extends Depths {
  readonly root: string;
  readonly at: number;
  readonly event: MutationEvent;
}

const CONDITIONAL = new Set(['IfStatement', 'ConditionalExpression', 'LogicalExpression', 'SwitchCase', 'WhileStatement', 'DoWhileStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement', 'CatchClause', 'TryStatement']);
const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ObjectMethod', 'ClassMethod', 'ClassPrivateMethod']);
const BLOCKS = new Set(['BlockStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement', 'SwitchStatement', 'CatchClause', 'StaticBlock']);
const NOT_CHILDREN = new Set(['loc', 'start', 'end', 'extra', 'leadingComments', 'trailingComments', 'innerComments']);

/** Callees that only read their arguments: logging, serialising, nodemailer's factory, pure Object/Array helpers. */
const READ_ONLY_METHODS = new Set(['log', 'info', 'debug', 'warn', 'error', 'trace', 'verbose', 'stringify', 'keys', 'values', 'entries', 'freeze', 'isArray', 'createTransport', 'has', 'get', 'includes', 'hasOwnProperty', 'hasOwn']);
const READ_ONLY_FUNCTIONS = new Set(['String', 'Number', 'Boolean', 'parseInt', 'parseFloat', 'require', 'Symbol', 'Date', 'URL', 'Error', 'TypeError', 'isNaN', 'encodeURIComponent', 'decodeURIComponent']);

/** Options types of nodemailer's other transports. */
const NON_SMTP_TYPE = /^(SES|Sendmail|Stream|JSON)(Transport)?(\.)?Options$|^(SES|Sendmail|Stream|JSON)Transport(\.Options)?$/;

export class ModuleWalk {
  /** Each name's first initialiser (what evaluation falls back to without a scope). */
  readonly bindings = new Map<string, Node>();
  readonly records = new Map<string, BindingRecord[]>();
  readonly namespaces = new Set<string>(['nodemailer']);
  readonly factories = new Set<string>();
  readonly packageImports = new Map<string, string>();
  /** Names of helpers that read an environment variable: `env('X')` (Strapi, AdonisJS). */
  readonly envHelpers = new Set<string>();
  readonly mutated = new Set<string>();
  /** Parameters typed as another transport's options, as name@scope-start. */
  readonly nonSmtpParams = new Set<string>();
  readonly sendClasses = new Set<string>();
  /** Exported name → the local name it exports (for classes exported by name). */
  readonly exportedLocals: { exported: string; local: string }[] = [];
  readonly exportNodes: { name: string; value: Node; property: Node }[] = [];
  moduleExports: Node | undefined;
  private readonly pending: PendingChange[] = [];
  private readonly program: ScopeNode;

  constructor(private readonly root: Node, textLength: number) {
    this.program = { start: 0, end: textLength + 1, isFunction: true };
  }

  /** Walks the whole tree (depth first, without recursion) and files every change under its binding. */
  run(): this {
    const stack: Frame[] = [{ node: this.root, scopes: [this.program], condDepth: 0, fnDepth: 0 }];
    while (stack.length) {
      const f = stack.pop() as Frame;
      const inner = this.enter(f);
      this.visit(f.node as Node & Record<string, unknown>, f.scopes, inner);
      const children = childFrames(f.node as Node & Record<string, unknown>, inner);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
    this.settleChanges();
    return this;
  }

  /** The binding `name` refers to at offset `at`: the innermost scope's, the latest declaration before `at`. */
  lookupRecord(name: string, at: number): BindingRecord | undefined {
    let best: BindingRecord | undefined;
    for (const r of this.records.get(name) ?? []) {
      if (at < r.scope.start || at > r.scope.end) continue;
      if (!best || r.scope.end - r.scope.start < best.scope.end - best.scope.start || (r.scope === best.scope && r.at <= at && r.at > best.at)) best = r;
    }
    return best;
  }

  private declare(name: string, scope: ScopeNode, rec: Omit<BindingRecord, 'name' | 'scope' | 'events'>): void {
    const list = this.records.get(name) ?? [];
    list.push({ ...rec, name, scope, events: [] });
    this.records.set(name, list);
    if (rec.init && !this.bindings.has(name)) this.bindings.set(name, rec.init);
  }

  /** Declares every name a pattern binds, each with the part of `init` it takes (`const { a = 1 } = x`: x.a ?? 1). */
  private declareIds(pattern: Node, scope: ScopeNode, kind: BindingRecord['kind'], init: Node | undefined, depths: Depths, at: number): void {
    const p = unwrapped(pattern);
    const { condDepth, fnDepth } = depths;
    if (p.type === 'Identifier') this.declare(p.name, scope, { kind, init, at, condDepth, fnDepth });
    else if (p.type === 'ObjectPattern') {
      for (const prop of p.properties) {
        if (prop.type === 'RestElement') {
          if (prop.argument.type === 'Identifier') this.declare(prop.argument.name, scope, { kind, at, condDepth, fnDepth });
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
        this.declareIds(target, scope, kind, value, depths, at);
      }
    } else if (p.type === 'ArrayPattern') {
      for (const el of p.elements) if (el) this.declareIds(el.type === 'RestElement' ? el.argument : el, scope, kind, undefined, depths, at);
    } else if (p.type === 'AssignmentPattern') this.declareIds(p.left, scope, kind, init, depths, at);
    else if (p.type === 'RestElement') this.declareIds(p.argument, scope, kind, undefined, depths, at);
  }

  private change(root: string, at: number, depths: Depths, event: MutationEvent): void {
    this.pending.push({ root, at, condDepth: depths.condDepth, fnDepth: depths.fnDepth, event });
  }

  /** The scopes and depths inside a node: a function or block opens a scope, a condition or loop deepens. */
  private enter(f: Frame): Depths & { scopes: ScopeNode[] } {
    const n = f.node as Node & Record<string, unknown>;
    let scopes = f.scopes;
    let fnDepth = f.fnDepth;
    const here = scopes[scopes.length - 1];
    if (FUNCTIONS.has(n.type)) {
      const fnNode = n as unknown as Node & { params: Node[]; id?: Node | null };
      if (n.type === 'FunctionDeclaration' && fnNode.id?.type === 'Identifier') this.declare(fnNode.id.name, here, { kind: 'function', at: n.start ?? 0, condDepth: f.condDepth, fnDepth });
      const scope: ScopeNode = { start: n.start ?? 0, end: n.end ?? 0, isFunction: true };
      scopes = [...scopes, scope];
      fnDepth++;
      for (const param of fnNode.params ?? []) this.declareParam(param, scope, { condDepth: f.condDepth, fnDepth });
    } else if (BLOCKS.has(n.type) && n !== this.root) {
      scopes = [...scopes, { start: n.start ?? 0, end: n.end ?? 0, isFunction: false }];
    } else if (n.type === 'ClassDeclaration' && (n as unknown as { id?: Node }).id?.type === 'Identifier') {
      const className = (n as unknown as { id: Node & { name: string } }).id.name;
      this.declare(className, here, { kind: 'class', at: n.start ?? 0, condDepth: f.condDepth, fnDepth });
      if (hasSendMethod(n)) this.sendClasses.add(className);
    }
    return { scopes, condDepth: CONDITIONAL.has(n.type) ? f.condDepth + 1 : f.condDepth, fnDepth };
  }

  private declareParam(param: Node, scope: ScopeNode, depths: Depths): void {
    // Strapi config files: `module.exports = ({ env }) => ({ ... })`: env('X') reads a variable.
    if (param.type === 'ObjectPattern') {
      for (const prop of param.properties) if (prop.type === 'ObjectProperty' && propertyName(prop.key, prop.computed) === 'env' && prop.value.type === 'Identifier') this.envHelpers.add(prop.value.name);
    }
    const target = param.type === 'TSParameterProperty' ? (param as unknown as { parameter: Node }).parameter : param;
    this.declareIds(target, scope, 'param', undefined, depths, param.start ?? 0);
    // A parameter typed as another transport's options (SESTransport.Options, SendmailTransportOptions).
    const typeName = typeNameOf(target);
    if (typeName && target.type === 'Identifier' && NON_SMTP_TYPE.test(typeName)) this.nonSmtpParams.add(`${target.name}@${scope.start}`);
  }

  /** What a node declares, imports, exports or changes; `outer` are the scopes around it, `inner` its own. */
  private visit(n: Node & Record<string, unknown>, outer: ScopeNode[], inner: Depths & { scopes: ScopeNode[] }): void {
    switch (n.type) {
      case 'ImportDeclaration':
        return this.importDeclaration(n as unknown as Node & { source: { value: string }; specifiers: Node[] });
      case 'VariableDeclaration': {
        const d = n as unknown as { kind: string; declarations: (Node & { id: Node; init?: Node | null })[] };
        const here = outer[outer.length - 1];
        const scope = d.kind === 'var' ? ([...outer].reverse().find((x) => x.isFunction) ?? this.program) : here;
        for (const decl of d.declarations) this.variableDeclarator(decl, d.kind === 'var' ? 'var' : d.kind === 'let' ? 'let' : 'const', scope, inner);
        return;
      }
      case 'CatchClause': {
        const param = (n as unknown as { param?: Node | null }).param;
        if (param) this.declareIds(param, inner.scopes[inner.scopes.length - 1], 'catch', undefined, inner, n.start ?? 0);
        return;
      }
      case 'AssignmentExpression':
        return this.assignment(n as unknown as Node & { left: Node; right: Node; operator: string }, inner);
      case 'UpdateExpression':
      case 'UnaryExpression':
        return this.updateOrDelete(n, inner);
      case 'NewExpression':
      case 'CallExpression':
        return this.call(n as unknown as Node & { callee: Node; arguments: (Node | null)[] }, inner);
      case 'ExportDefaultDeclaration':
        return this.exportDefault(n);
      case 'ExportNamedDeclaration':
        return this.exportNamed(n as unknown as Node & { declaration?: Node | null; specifiers: (Node & { local: Node; exported: Node })[]; source?: Node | null });
    }
  }

  private importDeclaration(d: Node & { source: { value: string }; specifiers: Node[] }): void {
    for (const sp of d.specifiers) {
      const s2 = sp as Node & { local: { name: string }; imported?: Node };
      const imported = sp.type === 'ImportSpecifier' ? (s2.imported?.type === 'Identifier' ? s2.imported.name : (s2.imported as unknown as { value: string }).value) : sp.type === 'ImportDefaultSpecifier' ? 'default' : '*';
      this.declare(s2.local.name, this.program, { kind: 'import', importFrom: { source: d.source.value, name: imported }, at: d.start ?? 0, condDepth: 0, fnDepth: 0 });
      if (d.source.value === 'nodemailer') {
        if (imported === 'createTransport') this.factories.add(s2.local.name);
        else if (imported === 'default' || imported === '*') this.namespaces.add(s2.local.name);
      } else if (!/^[./]/.test(d.source.value)) this.packageImports.set(s2.local.name, d.source.value);
      if (/(^|\/)env(\.[mc]?[jt]s)?$/.test(d.source.value) && (imported === 'env' || imported === 'default') && s2.local.name === 'env') this.envHelpers.add('env');
    }
  }

  private variableDeclarator(decl: Node & { id: Node; init?: Node | null }, kind: 'var' | 'let' | 'const', scope: ScopeNode, depths: Depths): void {
    const init = decl.init ?? undefined;
    this.declareIds(decl.id, scope, kind, init, depths, decl.start ?? 0);
    const id = decl.id;
    if (init && id.type === 'Identifier') {
      if (isRequireOf(init, 'nodemailer') || isDynamicImportOf(init, 'nodemailer')) this.namespaces.add(id.name);
      // `const provider = transportProvider ?? createTransport`: a call of it may be nodemailer's.
      if (mayBeFactory(init, this.namespaces, this.factories)) this.factories.add(id.name);
      const u = unwrapped(init);
      if (u.type === 'MemberExpression' && (isRequireOf(u.object, 'nodemailer') || isDynamicImportOf(u.object, 'nodemailer'))) {
        const prop = propertyName(u.property, u.computed);
        if (prop === 'createTransport') this.factories.add(id.name);
        else if (prop === 'default') this.namespaces.add(id.name);
      }
      if (u.type === 'CallExpression' && u.callee.type === 'Identifier' && u.callee.name === 'require' && u.arguments[0]?.type === 'StringLiteral' && !/^[./]/.test(u.arguments[0].value)) this.packageImports.set(id.name, u.arguments[0].value);
      if (u.type === 'MemberExpression' && isRequireOf(u.object, /^[^./]/)) {
        const req = u.object as Node & { arguments: { value: string }[] };
        this.packageImports.set(id.name, req.arguments[0].value);
      }
    } else if (init && id.type === 'ObjectPattern' && isRequireOf(init, /^[^./]/) && !isRequireOf(init, 'nodemailer')) {
      const pkg = (unwrapped(init) as Node & { arguments: { value: string }[] }).arguments[0].value;
      for (const p of id.properties) if (p.type === 'ObjectProperty' && p.value.type === 'Identifier') this.packageImports.set(p.value.name, pkg);
    } else if (init && id.type === 'ObjectPattern' && (isRequireOf(init, 'nodemailer') || isDynamicImportOf(init, 'nodemailer'))) {
      for (const p of id.properties) {
        if (p.type !== 'ObjectProperty' || p.value.type !== 'Identifier') continue;
        const key = propertyName(p.key, p.computed);
        if (key === 'createTransport') this.factories.add(p.value.name);
        else if (key === 'default') this.namespaces.add(p.value.name);
      }
    }
  }

  private assignment(a: Node & { left: Node; right: Node; operator: string }, depths: Depths): void {
    const at = a.start ?? 0;
    const conditional = depths.condDepth > 0;
    const left = unwrapped(a.left);
    if (left.type === 'Identifier') {
      this.mutated.add(left.name);
      this.change(left.name, at, depths, a.operator === '=' ? { kind: 'reassign', at: a.end ?? 0, value: a.right, conditional } : { kind: 'unknown', at, path: [], conditional: true });
      return;
    }
    const mp = memberPath(left);
    if (!mp) {
      const root = rootName(left);
      if (root) {
        this.mutated.add(root);
        this.change(root, at, depths, { kind: 'unknown', at, path: [], conditional: true });
      }
      return;
    }
    this.mutated.add(mp.root);
    if (mp.root === 'module' && mp.path[0] === 'exports' && mp.path.length === 1) this.moduleExports = a.right;
    else if ((mp.root === 'module' && mp.path[0] === 'exports' && mp.path.length === 2) || (mp.root === 'exports' && mp.path.length === 1)) this.exportNodes.push({ name: mp.path[mp.path.length - 1], value: a.right, property: a });
    const target = mp.root === 'module' && mp.path[0] === 'exports' ? (mp.path[1] ?? 'default') : mp.root === 'exports' && mp.path.length === 1 ? mp.path[0] : undefined;
    const right = unwrapped(a.right);
    if (target && right.type === 'Identifier') this.exportedLocals.push({ exported: target, local: right.name });
    else this.change(mp.root, at, depths, a.operator === '=' && mp.path.length ? { kind: 'set', at: a.end ?? 0, path: mp.path, value: a.right, property: a, conditional } : { kind: 'unknown', at, path: mp.path, conditional: true });
  }

  private updateOrDelete(n: Node, depths: Depths): void {
    const u = n as unknown as { operator: string; argument: Node };
    if (n.type === 'UnaryExpression' && u.operator !== 'delete') return;
    const mp = memberPath(u.argument);
    if (!mp) return;
    const at = n.start ?? 0;
    this.mutated.add(mp.root);
    this.change(mp.root, at, depths, n.type === 'UnaryExpression' && mp.path.length ? { kind: 'delete', at, path: mp.path, conditional: depths.condDepth > 0 } : { kind: 'unknown', at, path: mp.path, conditional: true });
  }

  private call(c: Node & { callee: Node; arguments: (Node | null)[] }, depths: Depths): void {
    // An object handed to a function may come back changed (`loadConfig(cfg)`, `merge(cfg.mail, x)`).
    if (!callLeavesArgumentsAlone(c.callee, this.factories)) {
      for (const a of c.arguments) {
        // Babel's error recovery leaves a hole for a missing argument (`f(,`).
        const mp = !a || a.type === 'SpreadElement' ? undefined : memberPath(a);
        if (!mp || mp.root === 'process' || mp.root === 'module' || mp.root === 'exports') continue;
        this.change(mp.root, c.end ?? 0, depths, { kind: 'unknown', at: c.end ?? 0, path: mp.path, conditional: true, escape: true });
      }
    }
    if (c.type === 'CallExpression' && c.callee.type === 'MemberExpression' && propertyName(c.callee.property, c.callee.computed) === 'assign' && c.callee.object.type === 'Identifier' && c.callee.object.name === 'Object' && c.arguments[0]) {
      const mp = memberPath(c.arguments[0]);
      if (mp) {
        this.mutated.add(mp.root);
        const sources = c.arguments.slice(1).filter((x) => !!x && x.type !== 'SpreadElement');
        const at = c.start ?? 0;
        this.change(mp.root, at, depths, mp.path.length ? { kind: 'unknown', at, path: mp.path, conditional: true } : { kind: 'assign', at: c.end ?? 0, sources, conditional: depths.condDepth > 0 });
      }
    }
  }

  private exportDefault(n: Node): void {
    const d = (n as unknown as { declaration: Node }).declaration;
    if (d.type !== 'FunctionDeclaration' && d.type !== 'ClassDeclaration' && d.type !== 'TSInterfaceDeclaration') this.exportNodes.push({ name: 'default', value: d, property: n });
    if (d.type === 'Identifier') this.exportedLocals.push({ exported: 'default', local: d.name });
    else if ((d.type === 'ClassDeclaration' || d.type === 'ClassExpression') && hasSendMethod(d)) this.exportedLocals.push({ exported: 'default', local: '\0class' });
  }

  private exportNamed(d: Node & { declaration?: Node | null; specifiers: (Node & { local: Node; exported: Node })[]; source?: Node | null }): void {
    if (d.declaration?.type === 'VariableDeclaration') {
      for (const decl of d.declaration.declarations) if (decl.id.type === 'Identifier') this.exportNodes.push({ name: decl.id.name, value: decl.id, property: decl });
    }
    if (d.declaration?.type === 'ClassDeclaration' && d.declaration.id) this.exportedLocals.push({ exported: d.declaration.id.name, local: d.declaration.id.name });
    if (d.source) return;
    for (const sp of d.specifiers) {
      if (sp.type !== 'ExportSpecifier') continue;
      const exported = sp.exported.type === 'Identifier' ? sp.exported.name : (sp.exported as unknown as { value: string }).value;
      this.exportNodes.push({ name: exported, value: sp.local, property: sp });
      if (sp.local.type === 'Identifier') this.exportedLocals.push({ exported, local: sp.local.name });
    }
  }

  /** Files each change under the binding it changes, in source order. */
  private settleChanges(): void {
    for (const p of this.pending) {
      const r = this.lookupRecord(p.root, p.at);
      if (!r) continue;
      // A change inside a condition, a loop or a callback (relative to the declaration) may or may not have run.
      const conditional = (p.event.kind === 'unknown' ? true : p.condDepth > r.condDepth) || p.fnDepth > r.fnDepth;
      r.events.push({ ...p.event, conditional } as MutationEvent);
    }
    for (const list of this.records.values()) for (const r of list) r.events.sort((a, b) => a.at - b.at);
  }
}

/** A node's child nodes, each with the scopes and depths inside the node. */
function childFrames(n: Node & Record<string, unknown>, inner: Depths & { scopes: ScopeNode[] }): Frame[] {
  const children: Frame[] = [];
  const { scopes, condDepth, fnDepth } = inner;
  for (const key of Object.keys(n)) {
    if (NOT_CHILDREN.has(key)) continue;
    const child = n[key];
    if (Array.isArray(child)) {
      for (const c of child) if (c && typeof c === 'object' && typeof (c as Node).type === 'string') children.push({ node: c as Node, scopes, condDepth, fnDepth });
    } else if (child && typeof child === 'object' && typeof (child as Node).type === 'string') children.push({ node: child as Node, scopes, condDepth, fnDepth });
  }
  return children;
}

/** A class with an instance method `send`: what nodemailer takes as a custom transport. */
function hasSendMethod(cls: Node): boolean {
  const body = (cls as Node & { body?: { body?: Node[] } }).body?.body ?? [];
  return body.some((m) => (m.type === 'ClassMethod' || m.type === 'ClassProperty') && !(m as Node & { static?: boolean }).static && propertyName((m as Node & { key: Node }).key, (m as Node & { computed?: boolean }).computed ?? false) === 'send');
}

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

/** The written type of a parameter (`options: SESTransport.Options` → "SESTransport.Options"). */
function typeNameOf(param: Node): string | undefined {
  const ann = (param as Node & { typeAnnotation?: { typeAnnotation?: Node } }).typeAnnotation?.typeAnnotation;
  if (!ann || ann.type !== 'TSTypeReference') return undefined;
  const name = (n: Node): string => (n.type === 'Identifier' ? n.name : n.type === 'TSQualifiedName' ? `${name(n.left)}.${n.right.name}` : '');
  return name(ann.typeName as Node) || undefined;
}
