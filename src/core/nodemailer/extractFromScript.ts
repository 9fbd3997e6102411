import type { CallExpression, File, Node } from '@babel/types';
import type { Range, SourceFile, TextEdit } from '../model';
import { LineIndex } from '../text';
import type { EnvResolver } from './envFiles';
import { type EvalContext, type Evaluated, type ObjectValue, evaluate, propertyName } from './evaluate';
import { parseScript } from './parseScript';
import type { OptionValue, TransportDefinition } from './transport';

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
  const ast = parseScript(source.text, source.file);
  if (!ast) return [];
  return transportsIn(ast, source, env);
}

function transportsIn(ast: File, source: SourceFile, env: EnvResolver): TransportDefinition[] {
  const bindings = new Map<string, Node>();
  const namespaces = new Set<string>(['nodemailer']);
  const factories = new Set<string>();
  walk(ast.program, (n) => {
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
  const ctx: EvalContext = { file: source.file, lines, env, bindings };
  const out: TransportDefinition[] = [];
  walk(ast.program, (n) => {
    if (n.type !== 'CallExpression' || !isCreateTransport(n, namespaces, factories)) return;
    const def = definitionFromCall(n, ctx, source);
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

function definitionFromCall(call: CallExpression, ctx: EvalContext, source: SourceFile): TransportDefinition | undefined {
  let arg: Node | undefined = call.arguments[0];
  // Old wrapper modules: createTransport(smtpTransport({...})) / createTransport(smtpPool({...})).
  if (arg?.type === 'CallExpression' && arg.callee.type === 'Identifier' && /^smtp(Transport|Pool)$/i.test(arg.callee.name)) {
    arg = arg.arguments[0];
  }
  const options = new Map<string, OptionValue>();
  const toOption = (e: Evaluated, property?: Node): OptionValue => ({
    value: e.value,
    unresolved: e.value === undefined ? e.unresolved ?? { reason: 'dynamic', description: 'computed at run time' } : undefined,
    file: source.file,
    range: rangeOf(ctx.lines, e.node),
    optionRange: property ? rangeOf(ctx.lines, property) : undefined,
    env: e.env,
    literal: e.literal,
  });
  let objectNode: Node | undefined;
  if (arg && arg.type !== 'SpreadElement' && arg.type !== 'ArgumentPlaceholder') {
    const top = evaluate(arg, ctx);
    // Transports that do not speak SMTP (test doubles, local sendmail, Amazon SES, custom objects).
    if (top.object && NON_SMTP_OPTIONS.some((k) => top.object!.has(k))) return undefined;
    if (top.object) {
      flatten(top.object, '', ctx, options, toOption);
      if (arg.type === 'ObjectExpression') objectNode = arg;
    } else if (top.value !== undefined || top.unresolved?.reason === 'env') {
      options.set('url', toOption(top));
    } else if (top.unresolved) {
      // Options built at run time: the transport exists but nothing about it is known.
      options.set('options', toOption(top));
    }
  }
  return {
    file: source.file,
    source: 'nodemailer',
    range: rangeOf(ctx.lines, call),
    options,
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
  toOption: (e: Evaluated, property?: Node) => OptionValue,
  depth = 0,
): void {
  for (const [key, { property, value }] of obj) {
    const e = evaluate(value, ctx);
    if (e.object && depth < 3) flatten(e.object, `${prefix}${key}.`, ctx, out, toOption, depth + 1);
    else out.set(prefix + key, toOption(e, property));
  }
}
