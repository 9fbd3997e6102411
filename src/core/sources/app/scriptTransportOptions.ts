// One transport call's options read into a TransportDefinition: each option's value, ranges and
// edits, what is unknown and why; transport plugins and non-SMTP transports told apart.
import type { ArrayExpression, Node } from '@babel/types';
import type { Range, SourceFile, TextEdit } from '../../model';
import { type EvalContext, type Evaluated, type ObjectValue, entryValue, envStringShape, evaluate, propertyName } from './evaluate';
import { type UnreadSpan, UNREAD_DESCRIPTION, isCutOff, unreadWithin } from './parseScript';
import { removalSpan } from './removal';
import { rangeOf, rootName, unwrapped } from './scriptAst';
import type { ModuleInfo } from './scriptModuleAnalysis';
import { type OptionValue, type TransportDefinition, verbatimSpan } from './transport';

/** Package names whose factory builds an SMTP transport from nodemailer options. */
const SMTP_WRAPPER_PACKAGES = /^nodemailer-smtp-(transport|pool)$/;

/** Flags whose value nodemailer tests for truthiness (an environment variable's "false" is true). */
const FLAG_OPTIONS = new Set(['secure', 'requireTLS', 'ignoreTLS', 'tls.rejectUnauthorized']);

const SCRIPT_REMOVAL = { lineComment: '//', trailingCommaAllowed: true };

export function definitionFromOptions(call: Node, head: Node, optionsNode: Node | undefined, ctx: EvalContext, source: SourceFile, mod: ModuleInfo, viaWrapper: boolean): TransportDefinition | undefined {
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
