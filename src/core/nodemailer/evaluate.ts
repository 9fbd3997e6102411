// Static evaluation of the expressions transport options are written with: literals, templates,
// process.env.X (resolved from .env files), `||` / `??` defaults, Number()/parseInt(), `=== 'true'`,
// same-file constants and objects, spreads. Anything else is "dynamic": shown as unresolved, never guessed.
import type { Node, ObjectExpression } from '@babel/types';
import type { EnvOrigin } from './transport';
import type { EnvResolver } from './envFiles';
import type { LineIndex } from '../text';

export type Scalar = string | number | boolean;

/** An evaluated expression. `node` is where it is written (for ranges). */
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
}

/** Properties of an object literal after spreads: name → the property (key + value nodes). */
export type ObjectValue = Map<string, { readonly property: Node; readonly value: Node }>;

export interface EvalContext {
  readonly file: string;
  readonly lines: LineIndex;
  readonly env: EnvResolver;
  /** Initializers of every variable declared in the file, by name (first declaration wins). */
  readonly bindings: ReadonlyMap<string, Node>;
  /** Names assigned to again, or whose properties are (their initializer may not be what they hold). */
  readonly mutated?: ReadonlySet<string>;
}

const MAX_DEPTH = 20;

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

export function evaluate(node: Node, ctx: EvalContext, depth = 0): Evaluated {
  const n = unwrap(node);
  if (depth > MAX_DEPTH) return unresolved(node, 'too deeply nested to follow');
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
      const init = ctx.bindings.get(n.name);
      if (!init) return unresolved(node, `"${n.name}" is not a constant in this file`);
      const v = evaluate(init, ctx, depth + 1);
      return { ...v, node, literal: false };
    }
    case 'MemberExpression':
    case 'OptionalMemberExpression': {
      const envName = envVariableName(n);
      if (envName) {
        const found = ctx.env.lookup(envName, ctx.file);
        if (!found) return unresolved(node, `${envName} is not set in any .env file`, { name: envName });
        return { node, value: found.value, literal: false, env: { name: envName, file: found.file, range: found.valueRange } };
      }
      const name = propertyName(n.property, n.computed);
      const base = evaluate(n.object, ctx, depth + 1);
      if (name !== undefined && base.object) {
        const prop = base.object.get(name);
        if (!prop) return unresolved(node, `no "${name}" in that object`);
        return { ...evaluate(prop.value, ctx, depth + 1), node, literal: false };
      }
      return unresolved(node, 'computed at run time');
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
  for (const p of obj.properties) {
    if (p.type === 'SpreadElement') {
      const spread = evaluate(p.argument, ctx, depth + 1);
      for (const [k, v] of spread.object ?? []) out.set(k, v);
    } else if (p.type === 'ObjectProperty') {
      const name = propertyName(p.key, p.computed);
      if (name !== undefined) out.set(name, { property: p, value: p.value });
    }
  }
  return out;
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
  if (depth > MAX_DEPTH || --budget.steps < 0) return undefined;
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
