// Small readers of Babel's AST that the script analysis and the transport-call reader both use:
// a walk, wrappers (`as`, `!`, parentheses) peeled off, member paths, require()/import() of a package.
import type { Node } from '@babel/types';
import type { Range } from '../../model';
import type { LineIndex } from '../../text';
import { propertyName } from './evaluate';

/** Visits every AST node (skipping position objects), depth first, without recursion limits. */
export function walk(root: Node, visit: (n: Node) => void): void {
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

export const isRequireOf = (n: Node | null | undefined, module: string | RegExp): boolean =>
  !!n &&
  n.type === 'CallExpression' &&
  n.callee.type === 'Identifier' &&
  n.callee.name === 'require' &&
  n.arguments[0]?.type === 'StringLiteral' &&
  (typeof module === 'string' ? n.arguments[0].value === module : module.test(n.arguments[0].value));

/** `import('nodemailer')` / `await import('nodemailer')`. */
export const isDynamicImportOf = (n: Node | null | undefined, module: string): boolean => {
  let x = n ? unwrapped(n) : undefined;
  if (x?.type === 'AwaitExpression' && x.argument) x = unwrapped(x.argument);
  return !!x && x.type === 'CallExpression' && x.callee.type === 'Import' && x.arguments[0]?.type === 'StringLiteral' && x.arguments[0].value === module;
};

/** A synthetic member expression `object.name` placed where the destructured name is written. */
export function memberOf(object: Node, name: string, at: Node): Node {
  return { type: 'MemberExpression', object, property: { type: 'Identifier', name, start: at.start, end: at.end }, computed: false, start: at.start, end: at.end } as unknown as Node;
}

/** `path` of `a.b.c` rooted at identifier `a`: ['b', 'c']; undefined for computed parts. */
export function memberPath(node: Node): { root: string; path: string[] } | undefined {
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

export function rangeOf(lines: LineIndex, n: Node): Range {
  return lines.range(n.start ?? 0, n.end ?? n.start ?? 0);
}

/** `a` for `a`, `a.b.c`, `a['b']` (what an assignment or Object.assign changes). */
export function rootName(node: Node): string | undefined {
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

export function unwrapped(node: Node): Node {
  let n = node;
  while (WRAPPERS.has(n.type)) n = (n as Node & { expression: Node }).expression;
  return n;
}
