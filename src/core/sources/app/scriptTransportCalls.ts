// The calls that create a transport (createTransport, nodemailer-wrapping modules such as
// @nestjs-modules/mailer, Auth.js email providers, Strapi's email plugin) and where each one's options are.
import type { CallExpression, File, Node } from '@babel/types';
import type { SourceFile } from '../../model';
import { type EvalContext, evaluate, propertyName } from './evaluate';
import type { ModuleInfo } from './scriptModuleAnalysis';
import { isDynamicImportOf, isRequireOf, unwrapped, walk } from './scriptAst';
import { definitionFromOptions } from './scriptTransportOptions';
import type { TransportDefinition } from './transport';

/** Calls that create a transport from nodemailer options, and where the options are in each. */
export function transportsIn(ast: File, mod: ModuleInfo, source: SourceFile): TransportDefinition[] {
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
