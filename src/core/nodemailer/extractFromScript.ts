import type { ArrayExpression, CallExpression, Node } from '@babel/types';
import type { Range, SourceFile, TextEdit } from '../model';
import { LineIndex } from '../text';
import type { EnvResolver } from './envFiles';
import { type EvalContext, type Evaluated, type ObjectValue, envStringShape, evaluate, propertyName } from './evaluate';
import { type ParsedScript, type UnreadSpan, parseScript } from './parseScript';
import { removalSpan } from './removal';
import { type OptionValue, type TransportDefinition, verbatimSpan } from './transport';

/** Cheap test before parsing: only files that mention nodemailer or createTransport are read. */
export function mayDefineTransport(text: string): boolean {
  return text.includes('nodemailer') || text.includes('createTransport');
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

const isRequireOf = (n: Node | null | undefined, module: string): boolean =>
  !!n && n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments[0]?.type === 'StringLiteral' && n.arguments[0].value === module;

/** Every nodemailer transport a JS/TS file creates with createTransport(...). */
export function extractScriptTransports(source: SourceFile, env: EnvResolver): TransportDefinition[] {
  if (!mayDefineTransport(source.text)) return [];
  const parsed = parseScript(source.text, source.file);
  if (!parsed) return [];
  return transportsIn(parsed, source, env);
}

function transportsIn({ ast, unread }: ParsedScript, source: SourceFile, env: EnvResolver): TransportDefinition[] {
  const bindings = new Map<string, Node>();
  const namespaces = new Set<string>(['nodemailer']);
  const factories = new Set<string>();
  // Names whose object may hold more than its literal says: assigned to, a property set, Object.assign'd.
  const mutated = new Set<string>();
  walk(ast.program, (n) => {
    if (n.type === 'AssignmentExpression' || n.type === 'UpdateExpression' || (n.type === 'UnaryExpression' && n.operator === 'delete')) {
      const target = n.type === 'AssignmentExpression' ? n.left : n.argument;
      const root = rootName(target);
      if (root) mutated.add(root);
    } else if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && propertyName(n.callee.property, n.callee.computed) === 'assign') {
      const root = n.arguments[0] ? rootName(n.arguments[0]) : undefined;
      if (root) mutated.add(root);
    }
    if (n.type === 'ImportDeclaration' && n.source.value === 'nodemailer') {
      for (const s of n.specifiers) {
        if (s.type === 'ImportSpecifier') {
          if ((s.imported.type === 'Identifier' ? s.imported.name : s.imported.value) === 'createTransport') factories.add(s.local.name);
        } else namespaces.add(s.local.name);
      }
    } else if (n.type === 'VariableDeclarator') {
      if (n.id.type === 'Identifier' && n.init) {
        if (!bindings.has(n.id.name)) bindings.set(n.id.name, n.init);
        if (isRequireOf(n.init, 'nodemailer')) namespaces.add(n.id.name);
        if (n.init.type === 'MemberExpression' && isRequireOf(n.init.object, 'nodemailer') && propertyName(n.init.property, n.init.computed) === 'createTransport') {
          factories.add(n.id.name);
        }
      } else if (n.id.type === 'ObjectPattern' && isRequireOf(n.init, 'nodemailer')) {
        for (const p of n.id.properties) {
          if (p.type === 'ObjectProperty' && propertyName(p.key, p.computed) === 'createTransport' && p.value.type === 'Identifier') factories.add(p.value.name);
        }
      }
    }
  });

  const lines = new LineIndex(source.text);
  const ctx: EvalContext = { file: source.file, lines, env, bindings, mutated };
  const out: TransportDefinition[] = [];
  walk(ast.program, (n) => {
    if (n.type !== 'CallExpression' || !isCreateTransport(n, namespaces, factories)) return;
    const def = definitionFromCall(n, ctx, source, mutated, unread.filter((u) => overlaps(u, n)));
    if (def) out.push(def);
  });
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function isCreateTransport(call: CallExpression, namespaces: ReadonlySet<string>, factories: ReadonlySet<string>): boolean {
  const c = call.callee;
  if (c.type === 'Identifier') return factories.has(c.name);
  if (c.type !== 'MemberExpression' && c.type !== 'OptionalMemberExpression') return false;
  if (propertyName(c.property, c.computed) !== 'createTransport') return false;
  const obj = c.object;
  if (obj.type === 'Identifier') return namespaces.has(obj.name);
  return isRequireOf(obj, 'nodemailer');
}

const NON_SMTP_OPTIONS = ['jsonTransport', 'streamTransport', 'sendmail', 'SES', 'transport'];

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

/**
 * Whether an object literal says everything about the object: plain named properties, and spreads of
 * names bound to such literals that nothing assigns to or Object.assign()s into.
 */
function isClosedObject(node: Node, ctx: EvalContext, mutated: ReadonlySet<string>, depth = 0): boolean {
  const n = unwrapped(node);
  if (n.type !== 'ObjectExpression' || depth > 8) return false;
  for (const p of n.properties) {
    if (p.type === 'ObjectProperty') {
      if (propertyName(p.key, p.computed) === undefined) return false;
    } else if (p.type === 'SpreadElement') {
      const arg = unwrapped(p.argument);
      if (arg.type !== 'Identifier' || mutated.has(arg.name)) return false;
      const init = ctx.bindings.get(arg.name);
      if (!init || !isClosedObject(init, ctx, mutated, depth + 1)) return false;
    } else return false; // methods and getters compute what they give
  }
  return true;
}

/** Flags whose value nodemailer tests for truthiness (an environment variable's "false" is true). */
const FLAG_OPTIONS = new Set(['secure', 'requireTLS', 'ignoreTLS', 'tls.rejectUnauthorized']);

const SCRIPT_REMOVAL = { lineComment: '//', trailingCommaAllowed: true };

/** Whether a node covers unread text; a span at the very end of the text also covers what a repair appended there. */
const overlaps = (u: UnreadSpan, n: Node) => u.start <= (n.end ?? 0) && (u.end >= (n.start ?? 0) || (u.start === u.end && (n.start ?? 0) >= u.end));

const UNREAD: Readonly<Record<UnreadSpan['reason'], string>> = {
  syntax: 'it could not be read (a syntax error)',
  depth: 'it is nested deeper than the parser can follow',
};

/**
 * One createTransport call. `unread`: text inside it the parse could not read, which may hold options, so
 * the options are not known to be complete and settings not seen get no default.
 */
function definitionFromCall(call: CallExpression, ctx: EvalContext, source: SourceFile, mutated: ReadonlySet<string>, unread: readonly UnreadSpan[]): TransportDefinition | undefined {
  let arg: Node | undefined = call.arguments[0];
  // Old wrapper modules: createTransport(smtpTransport({...})) / createTransport(smtpPool({...})).
  if (arg?.type === 'CallExpression' && arg.callee.type === 'Identifier' && /^smtp(Transport|Pool)$/i.test(arg.callee.name)) {
    arg = arg.arguments[0];
  }
  const options = new Map<string, OptionValue>();
  // Renames and removals only inside the object literal written in the call (not in a shared base object).
  const literal = arg && arg.type !== 'SpreadElement' && arg.type !== 'ArgumentPlaceholder' ? unwrapped(arg) : undefined;
  const own = literal?.type === 'ObjectExpression' ? [literal.start ?? 0, literal.end ?? 0] : undefined;
  const toOption = (e: Evaluated, property?: Node, name?: string, valueNode?: Node): OptionValue => {
    const inCall = !!own && !!property && (property.start ?? -1) >= own[0] && (property.end ?? Infinity) <= own[1];
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
    const shape = name && valueNode && FLAG_OPTIONS.has(name) ? envStringShape(valueNode, ctx) : undefined;
    const unreadValue = e.value === undefined && property ? unread.find((u) => overlaps(u, e.node)) : undefined;
    const verbatim = e.literal && typeof e.value === 'string' && e.node.start != null && e.node.end != null ? verbatimSpan(ctx.lines.text, e.node.start, e.node.end, e.value) : undefined;
    return {
      value: e.value,
      unresolved:
        e.value === undefined
          ? unreadValue
            ? { reason: 'dynamic', description: UNREAD[unreadValue.reason] }
            : e.unresolved ?? { reason: 'dynamic', description: 'computed at run time' }
          : undefined,
      file: source.file,
      range: rangeOf(ctx.lines, e.node),
      optionRange: property ? rangeOf(ctx.lines, property) : undefined,
      env: e.env,
      literal: e.literal,
      verbatim: verbatim && ctx.lines.range(verbatim[0], verbatim[1]),
      keyRange,
      removeRange,
      envString: shape && valueNode ? { kind: shape, range: rangeOf(ctx.lines, valueNode), inner: rangeOf(ctx.lines, unwrapped(valueNode)) } : undefined,
    };
  };
  let objectNode: Node | undefined;
  let complete = false;
  if (arg && arg.type !== 'SpreadElement' && arg.type !== 'ArgumentPlaceholder') {
    const top = evaluate(arg, ctx);
    // Transports that do not speak SMTP (test doubles, local sendmail, Amazon SES, custom objects).
    if (top.object && NON_SMTP_OPTIONS.some((k) => top.object!.has(k))) return undefined;
    if (top.object) {
      flatten(top.object, '', ctx, options, toOption);
      if (arg.type === 'ObjectExpression') objectNode = arg;
      complete = unread.length === 0 && isClosedObject(arg, ctx, mutated);
    } else if (top.value !== undefined || top.unresolved?.reason === 'env') {
      options.set('url', toOption(top));
    } else if (top.unresolved) {
      // Options built at run time: the transport exists but nothing about it is known.
      options.set('options', toOption(top));
    }
  } else {
    // createTransport() (or `createTransport(` being typed) has no options to read, and nodemailer itself
    // throws a TypeError; createTransport(...args) has them only at run time.
    const description = arg ? 'the options are spread in at run time' : 'no options are written';
    options.set('options', toOption({ node: call, literal: false, unresolved: { reason: 'dynamic', description } }));
  }
  if (unread.length > 0 && !options.has('options')) {
    options.set('options', toOption({ node: call, literal: false, unresolved: { reason: 'dynamic', description: `part of the call: ${UNREAD[unread[0].reason]}` } }));
  }
  return {
    file: source.file,
    source: 'nodemailer',
    range: rangeOf(ctx.lines, call),
    headRange: rangeOf(ctx.lines, call.callee.type === 'MemberExpression' || call.callee.type === 'OptionalMemberExpression' ? call.callee.property : call.callee),
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
  toOption: (e: Evaluated, property?: Node, name?: string, valueNode?: Node) => OptionValue,
  depth = 0,
): void {
  for (const [key, { property, value }] of obj) {
    // dkim: { keys: [{ domainName, keySelector, privateKey }, ...] }: each key as dkim.keys.N.*
    const array = prefix + key === 'dkim.keys' ? arrayLiteral(value, ctx) : undefined;
    if (array) {
      let read = 0;
      array.elements.slice(0, 100).forEach((element, i) => {
        const item = element && element.type !== 'SpreadElement' ? evaluate(element, ctx) : undefined;
        if (!item?.object) return;
        flatten(item.object, `dkim.keys.${i}.`, ctx, out, toOption, depth + 1);
        read++;
      });
      if (read > 0) continue;
    }
    const e = evaluate(value, ctx);
    if (e.object && depth < 3) flatten(e.object, `${prefix}${key}.`, ctx, out, toOption, depth + 1);
    else out.set(prefix + key, toOption(e, property, prefix + key, value));
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
