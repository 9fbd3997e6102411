// Static evaluation of the expressions transport options are written with: literals, templates,
// process.env.X (resolved from .env files), `||` / `??` defaults, Number()/parseInt(), `=== 'true'`,
// same-file constants and objects, spreads. Anything else is "dynamic": shown as unresolved, never guessed.
import type { Node, ObjectExpression } from '@babel/types';
import type { EnvOrigin } from './transport';
import type { EnvResolver } from './envFiles';
import type { LineIndex } from '../../text';
import { type UnreadSpan, UNREAD_DESCRIPTION, isCutOff, unreadWithin } from './parseScript';

export type Scalar = string | number | boolean;

/** An evaluated expression. `node` is where it is written (for ranges), in `ctx`'s file when set. */
export interface Evaluated {
  readonly value?: Scalar;
  /** For an object expression (or a name bound to one): its properties, later ones winning. */
  readonly object?: ObjectValue;
  readonly unresolved?: { readonly reason: 'env' | 'dynamic'; readonly description: string };
  readonly env?: EnvOrigin;
  /** Written as `null` or `undefined`: known, and not set as far as nodemailer is concerned. */
  readonly nullish?: 'null' | 'undefined';
  /** True when the value is written as a literal right here (a fix may replace it). */
  readonly literal: boolean;
  readonly node: Node;
  /** The module `node` is written in, when not the one evaluation started in (an imported config). */
  readonly ctx?: EvalContext;
  /** A function (a method or arrow): what a custom transport's `send` is. */
  readonly isFunction?: boolean;
}

/** One property of an object value: where it is written and, for a nested object built up step by step, its contents. */
export interface ObjectEntry {
  readonly property: Node;
  readonly value: Node;
  /** The module the value is written in. */
  readonly ctx: EvalContext;
  /** Contents set property by property (`o.auth = {}; o.auth.user = ...`), instead of `value`. */
  readonly nested?: ObjectValue;
  /** Set only when a condition holds (`...(user && { auth })`, `if (x) o.secure = true`): may be absent. */
  readonly maybe?: boolean;
}

/**
 * Properties of an object after spreads and mutations: name → the property. `open` when it may hold
 * more than is written (a spread of unknown content, a computed key, Object.assign of something unknown,
 * text inside it the parser could not read: then `unread` says where).
 */
export type ObjectValue = Map<string, ObjectEntry> & { open?: boolean; unread?: UnreadSpan; escaped?: boolean };

/** A change to a variable's object after its declaration, in source order. */
export type MutationEvent =
  | { readonly kind: 'set'; readonly at: number; readonly path: readonly string[]; readonly value: Node; readonly property: Node; readonly conditional: boolean }
  | { readonly kind: 'delete'; readonly at: number; readonly path: readonly string[]; readonly conditional: boolean }
  | { readonly kind: 'assign'; readonly at: number; readonly sources: readonly Node[]; readonly conditional: boolean }
  | { readonly kind: 'reassign'; readonly at: number; readonly value: Node; readonly conditional: boolean }
  | { readonly kind: 'unknown'; readonly at: number; readonly path: readonly string[]; readonly conditional: boolean; readonly escape?: boolean };

/** What a name refers to at a place in the code. */
export interface Binding {
  readonly kind: 'const' | 'let' | 'var' | 'param' | 'function' | 'class' | 'import' | 'catch';
  readonly init?: Node;
  /** For an import: the module specifier and the name imported ('default', '*', or a name). */
  readonly importFrom?: { readonly source: string; readonly name: string };
  /** Mutations of the variable, in source order (only for let/const/var with an initializer). */
  events?: readonly MutationEvent[];
}

export interface EvalContext {
  readonly file: string;
  readonly lines: LineIndex;
  readonly env: EnvResolver;
  /** Initializers of every variable declared in the file, by name (first declaration wins); a fallback to `resolve`. */
  readonly bindings: ReadonlyMap<string, Node>;
  /** The binding of `name` visible at offset `at` (scopes followed), when the file was analysed. */
  readonly resolve?: (name: string, at: number) => Binding | undefined;
  /** Names assigned to again, or whose properties are (their initializer may not be what they hold). */
  readonly mutated?: ReadonlySet<string>;
  /** What another module of the workspace exports under `name` ('default', '*' for all), if it can be read. */
  readonly importModule?: (specifier: string, name: string, depth: number) => Evaluated | undefined;
  /** Names that read environment variables through a helper: Strapi's `env('X', d)`, NestJS's `config.get('X')`. */
  readonly envHelpers?: ReadonlySet<string>;
  /** Text of the file the parse could not read (parseScript): a value written there is not known. */
  readonly unread?: readonly UnreadSpan[];
}

const MAX_EVALUATION_DEPTH = 20;

const unresolved = (node: Node, description: string, env?: EnvOrigin): Evaluated => ({
  node,
  literal: false,
  unresolved: { reason: env ? 'env' : 'dynamic', description },
  env,
});

function unwrap(node: Node): Node {
  let n = node;
  for (;;) {
    switch (n.type) {
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSNonNullExpression':
      case 'TSTypeAssertion':
      case 'ParenthesizedExpression':
      case 'TypeCastExpression':
        n = n.expression;
        continue;
      default:
        return n;
    }
  }
}

/** `process.env.NAME`, `process.env['NAME']`, `import.meta.env.NAME` → NAME. */
export function envVariableName(node: Node): string | undefined {
  const n = unwrap(node);
  if (n.type !== 'MemberExpression' && n.type !== 'OptionalMemberExpression') return undefined;
  const name = propertyName(n.property, n.computed);
  if (!name) return undefined;
  const obj = unwrap(n.object);
  if (obj.type !== 'MemberExpression' && obj.type !== 'OptionalMemberExpression') return undefined;
  if (propertyName(obj.property, obj.computed) !== 'env') return undefined;
  const base = unwrap(obj.object);
  if (base.type === 'Identifier' && base.name === 'process') return name;
  if (base.type === 'MetaProperty' && base.meta.name === 'import' && base.property.name === 'meta') return name;
  return undefined;
}

export function propertyName(key: Node, computed: boolean): string | undefined {
  if (!computed && key.type === 'Identifier') return key.name;
  if (key.type === 'StringLiteral') return key.value;
  if (key.type === 'NumericLiteral') return String(key.value);
  if (key.type === 'TemplateLiteral' && key.expressions.length === 0) return key.quasis[0].value.cooked ?? undefined;
  return undefined;
}

const truthy = (v: Scalar) => (typeof v === 'string' ? v !== '' : typeof v === 'number' ? v !== 0 : v);

/** Objects take unread text as keys that may be set (objectValue); functions are never run. */
const READ_WHOLE = new Set(['ObjectExpression', 'ArrowFunctionExpression', 'FunctionExpression', 'ObjectMethod', 'ClassMethod']);

/** The unread span a value's expression reaches into: whatever the AST says there is not what is written. */
function unreadIn(node: Node, ctx: EvalContext): UnreadSpan | undefined {
  if (!ctx.unread?.length || node.start == null || node.end == null) return undefined;
  return unreadWithin(ctx.unread, node.start, node.end, ctx.lines.text.length);
}

export function evaluate(node: Node, ctx: EvalContext, depth = 0): Evaluated {
  const n = unwrap(node);
  if (depth > MAX_EVALUATION_DEPTH) return unresolved(node, 'too deeply nested to follow');
  if (!READ_WHOLE.has(n.type)) {
    const u = unreadIn(node, ctx);
    if (u) return unresolved(node, UNREAD_DESCRIPTION[u.reason]);
  }
  switch (n.type) {
    case 'StringLiteral':
      return { node, value: n.value, literal: true };
    case 'NumericLiteral':
      return { node, value: n.value, literal: true };
    case 'BooleanLiteral':
      return { node, value: n.value, literal: true };
    case 'NullLiteral':
      return { node, nullish: 'null', literal: true };
    case 'TemplateLiteral': {
      let s = '';
      let env: EnvOrigin | undefined;
      for (let i = 0; i < n.quasis.length; i++) {
        s += n.quasis[i].value.cooked ?? '';
        if (i < n.expressions.length) {
          const part = evaluate(n.expressions[i], ctx, depth + 1);
          env = env ?? part.env;
          if (part.value === undefined) return unresolved(node, part.unresolved?.description ?? 'computed at run time', part.env);
          s += String(part.value);
        }
      }
      return { node, value: s, literal: n.expressions.length === 0, env };
    }
    case 'ObjectExpression':
      return { node, object: objectValue(n, ctx, depth), literal: true };
    case 'Identifier': {
      if (n.name === 'undefined') return { node, nullish: 'undefined', literal: true };
      if (n.name === 'NaN' || n.name === 'Infinity') return { node, value: n.name === 'NaN' ? NaN : Infinity, literal: true };
      if (ctx.resolve) {
        const b = ctx.resolve(n.name, n.start ?? 0);
        if (!b) return unresolved(node, `"${n.name}" is not defined in this file`);
        if (b.kind === 'param') return unresolved(node, `"${n.name}" is a parameter: the caller decides`);
        if (b.importFrom) {
          const imported = ctx.importModule?.(b.importFrom.source, b.importFrom.name, depth + 1);
          if (!imported) return unresolved(node, `"${n.name}" is imported from ${b.importFrom.source}, which could not be read`);
          return { ...imported, literal: false, node: imported.ctx ? imported.node : node };
        }
        if (!b.init) return unresolved(node, `"${n.name}" is computed at run time`);
        const v = withEvents(evaluate(b.init, ctx, depth + 1), b.events ?? [], n.start ?? 0, ctx, depth);
        return { ...v, node: v.ctx ? v.node : node, literal: false };
      }
      const init = ctx.bindings.get(n.name);
      if (!init) return unresolved(node, `"${n.name}" is not a constant in this file`);
      const v = evaluate(init, ctx, depth + 1);
      return { ...v, node, literal: false };
    }
    case 'MemberExpression':
    case 'OptionalMemberExpression': {
      const envName = envVariableName(n);
      if (envName) return envValue(envName, node, ctx);
      const name = propertyName(n.property, n.computed);
      // env.SMTP_HOST where `env` is a validated-environment module (t3-env, envalid, znv): the variable itself.
      const obj = unwrap(n.object);
      if (name && /^[A-Z][A-Z0-9_]*$/.test(name) && obj.type === 'Identifier' && ctx.envHelpers?.has(obj.name)) return envValue(name, node, ctx);
      const base = evaluate(n.object, ctx, depth + 1);
      if (name !== undefined && base.object) {
        const prop = base.object.get(name);
        // Another module's object is shared: code elsewhere may add what its module does not write.
        const foreign = !!base.ctx && base.ctx.file !== ctx.file;
        if (!prop) return base.object.open || foreign ? unresolved(node, `"${name}" may be set where it is not written`) : { node, nullish: 'undefined', literal: false };
        const member = entryValue(prop, depth + 1);
        // What code that got the whole object may have changed includes what is inside it.
        if (base.object.escaped && member.object) return { ...member, object: Object.assign(cloneObject(member.object), { open: true, escaped: true }), node, literal: false, ctx: undefined };
        return { ...member, node, literal: false, ctx: undefined };
      }
      return unresolved(node, 'computed at run time', base.env);
    }
    case 'LogicalExpression': {
      const left = evaluate(n.left, ctx, depth + 1);
      const useRight =
        left.value === undefined
          ? left.unresolved?.reason === 'env' && n.operator !== '&&' // an unset variable falls through to the default
          : n.operator === '??'
            ? false
            : n.operator === '||'
              ? !truthy(left.value)
              : truthy(left.value);
      if (left.value === undefined && !useRight) return { ...left, node };
      if (!useRight) return { ...left, node, literal: false };
      const right = evaluate(n.right, ctx, depth + 1);
      // Keep the variable's name: "587 (SMTP_PORT is not set)" explains where the value came from.
      return { ...right, env: right.env ?? left.env, literal: false, node: right.literal ? right.node : node };
    }
    case 'CallExpression': {
      const callee = unwrap(n.callee);
      const arg = n.arguments[0];
      if (!arg || arg.type === 'SpreadElement' || arg.type === 'ArgumentPlaceholder') return unresolved(node, 'computed at run time');
      const helper = envHelperCall(n, ctx);
      if (helper) return helper(depth);
      // require('./mail-config') of a module of the workspace.
      if (callee.type === 'Identifier' && callee.name === 'require' && arg.type === 'StringLiteral' && /^\.{1,2}\//.test(arg.value)) {
        const mod = ctx.importModule?.(arg.value, '*', depth + 1);
        return mod ? { ...mod, node: mod.ctx ? mod.node : node, literal: false } : unresolved(node, `${arg.value} could not be read`);
      }
      const fn = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' ? `${callee.object.type === 'Identifier' ? callee.object.name : ''}.${propertyName(callee.property, callee.computed)}` : '';
      if (['Number', 'parseInt', 'parseFloat', 'Number.parseInt', 'Number.parseFloat'].includes(fn)) {
        const v = evaluate(arg, ctx, depth + 1);
        if (v.value === undefined) return { ...v, node, literal: false };
        const num = fn.includes('parseInt') ? parseInt(String(v.value), 10) : Number(v.value);
        return { node, value: num, env: v.env, literal: false };
      }
      if (fn === 'String' || fn === 'Boolean') {
        const v = evaluate(arg, ctx, depth + 1);
        if (v.value === undefined) return { ...v, node, literal: false };
        return { node, value: fn === 'String' ? String(v.value) : truthy(v.value), env: v.env, literal: false };
      }
      // x.trim(), x.toLowerCase(): same value for our purposes.
      if (callee.type === 'MemberExpression' && ['trim', 'toLowerCase', 'toUpperCase', 'toString'].includes(propertyName(callee.property, callee.computed) ?? '')) {
        const v = evaluate(callee.object, ctx, depth + 1);
        if (v.value === undefined) return { ...v, node, literal: false };
        const s = String(v.value);
        const p = propertyName(callee.property, callee.computed);
        return { node, value: p === 'trim' ? s.trim() : p === 'toLowerCase' ? s.toLowerCase() : p === 'toUpperCase' ? s.toUpperCase() : s, env: v.env, literal: false };
      }
      return unresolved(node, 'computed at run time');
    }
    case 'UnaryExpression': {
      const v = evaluate(n.argument, ctx, depth + 1);
      if (v.value === undefined) return { ...v, node, literal: false };
      if (n.operator === '+') return { node, value: Number(v.value), env: v.env, literal: false };
      if (n.operator === '!') return { node, value: !truthy(v.value), env: v.env, literal: false };
      if (n.operator === '-' && typeof v.value === 'number') return { node, value: -v.value, env: v.env, literal: v.literal };
      return unresolved(node, 'computed at run time');
    }
    case 'BinaryExpression': {
      if (!['===', '==', '!==', '!='].includes(n.operator) || n.left.type === 'PrivateName') return unresolved(node, 'computed at run time');
      const l = evaluate(n.left, ctx, depth + 1);
      const r = evaluate(n.right, ctx, depth + 1);
      const env = l.env ?? r.env;
      if (l.value === undefined || r.value === undefined) return { ...(l.value === undefined ? l : r), node, literal: false };
      const equal = n.operator.length === 3 ? l.value === r.value : String(l.value) === String(r.value);
      return { node, value: n.operator.startsWith('=') ? equal : !equal, env, literal: false };
    }
    case 'AwaitExpression':
      return n.argument ? { ...evaluate(n.argument, ctx, depth + 1), literal: false } : unresolved(node, 'computed at run time');
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
    case 'ObjectMethod':
    case 'ClassMethod':
      return { ...unresolved(node, 'a function'), isFunction: true };
    case 'ConditionalExpression': {
      const test = evaluate(n.test, ctx, depth + 1);
      if (test.value === undefined) return unresolved(node, 'depends on a condition computed at run time', test.env);
      return { ...evaluate(truthy(test.value) ? n.consequent : n.alternate, ctx, depth + 1), literal: false };
    }
    default:
      return unresolved(node, 'computed at run time');
  }
}

/** An object literal's properties with spreads applied in order (later properties win). */
export function objectValue(obj: ObjectExpression, ctx: EvalContext, depth: number): ObjectValue {
  const out: ObjectValue = new Map();
  const gaps = unreadGaps(obj, ctx);
  let gap = 0;
  for (const p of obj.properties) {
    // Unread text before a property may have set any key, as an unknown spread there would.
    while (gap < gaps.length && gaps[gap].start <= (p.start ?? 0)) openUp(out, gaps[gap++]);
    if (p.type === 'SpreadElement') {
      const arg = unwrap(p.argument);
      // `...(user && { auth })`, `...(tls ? { secure: true } : {})`: only these keys, and only maybe.
      const branches = arg.type === 'LogicalExpression' && arg.operator === '&&' ? [arg.right] : arg.type === 'ConditionalExpression' ? [arg.consequent, arg.alternate] : undefined;
      if (branches) {
        let readable = true;
        for (const b of branches) {
          const e = evaluate(b, ctx, depth + 1);
          if (e.object) for (const [k, v] of e.object) out.set(k, { ...v, maybe: true });
          else if (!(e.value !== undefined || e.nullish)) readable = false;
          if (e.object?.open) readable = false;
        }
        if (readable) continue;
      }
      const spread = evaluate(p.argument, ctx, depth + 1);
      if (spread.object) {
        for (const [k, v] of spread.object) out.set(k, v);
        if (spread.object.open) openUp(out, spread.object.unread);
      } else if (!spread.nullish) openUp(out, unreadIn(p.argument, ctx));
    } else if (p.type === 'ObjectProperty') {
      const name = propertyName(p.key, p.computed);
      if (name !== undefined) out.set(name, { property: p, value: p.value, ctx });
      else openUp(out);
    } else if (p.type === 'ObjectMethod') {
      const name = propertyName(p.key, p.computed);
      // Getters and setters compute what they give: the key is there, its value unknown.
      if (name !== undefined) out.set(name, { property: p, value: p, ctx });
      else openUp(out);
    }
  }
  if (gap < gaps.length) openUp(out, gaps[gap]);
  return out;
}

/**
 * Unread text inside an object literal that is not part of one property's value (a value's own unread
 * text makes only that value unknown), in source order: a line the parser skipped between properties. A
 * text cut off inside the object is not one: what it holds is written, the rest is not written yet.
 */
function unreadGaps(obj: ObjectExpression, ctx: EvalContext): UnreadSpan[] {
  if (!ctx.unread?.length || obj.start == null || obj.end == null) return [];
  const length = ctx.lines.text.length;
  const valueOf = (p: ObjectExpression['properties'][number]): Node => (p.type === 'ObjectProperty' ? (p.value as Node) : p.type === 'SpreadElement' ? p.argument : p);
  return ctx.unread
    .filter((u) => {
      if (isCutOff(u, length) || !unreadWithin([u], obj.start!, obj.end!, length)) return false;
      return !obj.properties.some((p) => {
        const v = valueOf(p);
        return v.start != null && v.end != null && unreadWithin([u], v.start, v.end, length) !== undefined;
      });
    })
    .sort((a, b) => a.start - b.start);
}

/**
 * After a spread of unknown content or unread text: any key may be set, and the ones written before may be
 * overridden. `unread`: the unread text that opened it, if that is why.
 */
function openUp(out: ObjectValue, unread?: UnreadSpan): void {
  out.clear();
  out.open = true;
  if (unread && !out.unread) out.unread = unread;
}

/** The value of one property (its nested contents when it was built up step by step). */
export function entryValue(entry: ObjectEntry, depth: number): Evaluated {
  if (entry.nested) return { node: entry.property, object: entry.nested, literal: false, ctx: entry.ctx };
  const v = evaluate(entry.value, entry.ctx, depth);
  const out: Evaluated = entry.maybe && v.value !== undefined && !isAuthKey(entry) ? { ...unresolved(entry.value, 'set only when a condition holds'), env: v.env } : v;
  return { ...out, ctx: out.ctx ?? entry.ctx };
}

const isAuthKey = (entry: ObjectEntry) => entry.property.type === 'ObjectProperty' && propertyName(entry.property.key, entry.property.computed) === 'auth';

function envValue(name: string, node: Node, ctx: EvalContext): Evaluated {
  const found = ctx.env.lookup(name, ctx.file);
  if (!found) return unresolved(node, ctx.env.notSetDescription(name, ctx.file), { name });
  return { node, value: found.value, literal: false, env: { name, file: found.file, range: found.valueRange } };
}

/**
 * Helpers that read one environment variable: Strapi's `env('X', default)`, `env.int(...)`, `env.bool(...)`
 * (in config files, from the exported function's `{ env }`), NestJS's `config.get('X')` /
 * `configService.get<number>('X', default)` (an UPPER_CASE key is the variable itself).
 */
function envHelperCall(n: Node & { type: 'CallExpression' }, ctx: EvalContext): ((depth: number) => Evaluated) | undefined {
  const callee = unwrap(n.callee);
  const [a0, a1] = n.arguments;
  if (!a0 || a0.type !== 'StringLiteral') return undefined;
  const name = a0.value;
  const fallback = a1 && a1.type !== 'SpreadElement' && a1.type !== 'ArgumentPlaceholder' ? a1 : undefined;
  let convert: 'string' | 'int' | 'float' | 'bool' | undefined;
  if (callee.type === 'Identifier' && ctx.envHelpers?.has(callee.name)) convert = 'string';
  else if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier') {
    const method = propertyName(callee.property, callee.computed);
    if (ctx.envHelpers?.has(callee.object.name) && method && ['int', 'float', 'bool'].includes(method)) convert = method as 'int' | 'float' | 'bool';
    else if ((method === 'get' || method === 'getOrThrow') && /config/i.test(callee.object.name) && /^[A-Z][A-Z0-9_]*$/.test(name)) convert = 'string';
  } else if (callee.type === 'MemberExpression' && callee.object.type === 'MemberExpression' && callee.object.object.type === 'ThisExpression') {
    const holder = propertyName(callee.object.property, callee.object.computed) ?? '';
    const method = propertyName(callee.property, callee.computed);
    if ((method === 'get' || method === 'getOrThrow') && /config/i.test(holder) && /^[A-Z][A-Z0-9_]*$/.test(name)) convert = 'string';
  }
  if (!convert) return undefined;
  return (depth) => {
    const found = ctx.env.lookup(name, ctx.file);
    if (!found) {
      if (fallback) {
        const d = evaluate(fallback, ctx, depth + 1);
        return { ...d, env: d.env ?? { name }, literal: false, node: d.literal ? d.node : n };
      }
      return unresolved(n, ctx.env.notSetDescription(name, ctx.file), { name });
    }
    const env = { name, file: found.file, range: found.valueRange };
    const raw = found.value;
    const value: Scalar = convert === 'int' ? parseInt(raw, 10) : convert === 'float' ? parseFloat(raw) : convert === 'bool' ? raw === 'true' : raw;
    return { node: n, value, env, literal: false };
  };
}

/** Applies the mutations made to a variable before `at` to what its initializer evaluated to. */
function withEvents(init: Evaluated, events: readonly MutationEvent[], at: number, ctx: EvalContext, depth: number): Evaluated {
  const before = events.filter((e) => e.at < at);
  if (!before.length) return init;
  let current: Evaluated = init;
  for (const e of before) {
    if (e.kind === 'reassign') {
      current = e.conditional ? unresolved(e.value, 'reassigned when a condition holds') : evaluate(e.value, ctx, depth + 1);
      continue;
    }
    if (!current.object) continue;
    // Handing `cfg.host` to a function cannot change a string: only an object there may come back changed.
    if (e.kind === 'unknown' && e.escape && e.path.length && !objectAt(current.object, e.path, depth)) continue;
    const obj: ObjectValue = cloneObject(current.object);
    if (e.kind === 'unknown' && !e.path.length) {
      // Handed to code that may change it (`load(cfg)`): any key may have been added.
      obj.open = true;
      obj.escaped = true;
    } else if (e.kind === 'assign') {
      for (const src of e.sources) {
        const v = evaluate(src, ctx, depth + 1);
        if (v.object) for (const [k, entry] of v.object) obj.set(k, e.conditional ? { ...entry, maybe: true } : entry);
        if (!v.object || v.object.open) obj.open = true;
        if (v.object?.unread && !obj.unread) obj.unread = v.object.unread;
      }
    } else {
      setPath(obj, e, ctx);
    }
    current = { ...current, object: obj };
  }
  return current;
}

/** The object at `path` inside `obj`, when there is one there. */
function objectAt(obj: ObjectValue, path: readonly string[], depth: number): ObjectValue | undefined {
  let at: ObjectValue | undefined = obj;
  for (const key of path) {
    const entry: ObjectEntry | undefined = at?.get(key);
    if (!entry) return at?.open ? Object.assign(new Map(), { open: true }) : undefined;
    at = entry.nested ?? entryValue(entry, depth + 1).object;
  }
  return at;
}

function cloneObject(o: ObjectValue): ObjectValue {
  const c: ObjectValue = new Map(o);
  c.open = o.open;
  c.unread = o.unread;
  c.escaped = o.escaped;
  return c;
}

function setPath(obj: ObjectValue, e: MutationEvent & { path: readonly string[] }, ctx: EvalContext): void {
  let target = obj;
  for (let i = 0; i < e.path.length - 1; i++) {
    const key = e.path[i];
    const had = target.get(key);
    let nested: ObjectValue;
    if (had?.nested) nested = cloneObject(had.nested);
    else if (had) {
      const v = evaluate(had.value, had.ctx, 0);
      nested = v.object ? cloneObject(v.object) : Object.assign(new Map(), { open: true });
    } else nested = new Map();
    target.set(key, { property: had?.property ?? (e.kind === 'set' ? e.property : ({ type: 'Identifier', name: key } as Node)), value: had?.value ?? (e.kind === 'set' ? e.value : ({ type: 'Identifier', name: key } as Node)), ctx, nested });
    target = nested;
  }
  const last = e.path[e.path.length - 1];
  if (e.kind === 'set') target.set(last, { property: e.property, value: e.value, ctx, maybe: e.conditional || undefined });
  else if (e.kind === 'delete') {
    if (e.conditional) {
      const had = target.get(last);
      if (had) target.set(last, { ...had, maybe: true });
    } else target.delete(last);
  } else target.set(last, { property: e.kind === 'unknown' ? ({ type: 'Identifier', name: last, start: e.at, end: e.at } as Node) : ({} as Node), value: { type: 'Identifier', name: '__unknown__', start: e.at, end: e.at } as Node, ctx });
}

const STRING_METHODS = new Set(['trim', 'trimStart', 'trimEnd', 'toLowerCase', 'toUpperCase', 'toString', 'valueOf']);

/**
 * Whether an expression hands an environment variable's text on as it is, so that a flag gets a string
 * and nodemailer's truthiness test reads "false" as true: `bare` for the variable itself (or a name or
 * object property bound to it), `derived` when a default (`process.env.X || false`), a string method, a
 * template, `Boolean()` or `!!` is around it. Comparisons, Number()/parseInt(), JSON.parse() or any other
 * call give undefined: the code converts the text itself.
 */
export function envStringShape(node: Node, ctx: EvalContext): 'bare' | 'derived' | undefined {
  const budget = { steps: 200 };
  return shapeOf(node, ctx, 0, budget);
}

function shapeOf(node: Node, ctx: EvalContext, depth: number, budget: { steps: number }): 'bare' | 'derived' | undefined {
  if (depth > MAX_EVALUATION_DEPTH || --budget.steps < 0) return undefined;
  const n = unwrap(node);
  const derived = (...parts: Node[]) => (parts.some((p) => shapeOf(p, ctx, depth + 1, budget) !== undefined) ? 'derived' : undefined);
  switch (n.type) {
    case 'MemberExpression':
    case 'OptionalMemberExpression': {
      if (envVariableName(n)) return 'bare';
      const name = propertyName(n.property, n.computed);
      const object = unwrap(n.object);
      if (name === undefined || (object.type === 'Identifier' && ctx.mutated?.has(object.name))) return undefined;
      const base = evaluate(n.object, ctx, depth + 1);
      const prop = base.object?.get(name);
      return prop ? shapeOf(prop.value, ctx, depth + 1, budget) : undefined;
    }
    case 'Identifier': {
      const init = ctx.mutated?.has(n.name) ? undefined : ctx.bindings.get(n.name);
      return init ? shapeOf(init, ctx, depth + 1, budget) : undefined;
    }
    case 'LogicalExpression':
      // `process.env.X && process.env.X === 'true'` gives "" or a boolean: only the right side is passed on.
      return n.operator === '&&' ? derived(n.right) : derived(n.right, n.left);
    case 'ConditionalExpression':
      return derived(n.consequent, n.alternate);
    case 'TemplateLiteral':
      return derived(...(n.expressions as Node[]));
    case 'UnaryExpression': {
      // `!!process.env.X` is Boolean(process.env.X): true for "false".
      const inner = unwrap(n.argument);
      if (n.operator !== '!' || inner.type !== 'UnaryExpression' || inner.operator !== '!') return undefined;
      return derived(inner.argument);
    }
    case 'CallExpression': {
      const callee = unwrap(n.callee);
      const arg = n.arguments[0];
      if (callee.type === 'Identifier' && (callee.name === 'String' || callee.name === 'Boolean')) {
        return arg && arg.type !== 'SpreadElement' && arg.type !== 'ArgumentPlaceholder' ? derived(arg) : undefined;
      }
      if ((callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && STRING_METHODS.has(propertyName(callee.property, callee.computed) ?? '')) {
        return derived(callee.object);
      }
      return undefined;
    }
    case 'OptionalCallExpression': {
      const callee = unwrap(n.callee);
      if ((callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && STRING_METHODS.has(propertyName(callee.property, callee.computed) ?? '')) {
        return derived(callee.object);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
