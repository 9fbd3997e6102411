// Postfix's $parameter references, as mac_parse()/mac_expand() read them:
//   $name  ${name}  $(name)  ${name?text}  ${name:text}  ${name?{text}:{text}}  ${{a} == {b} ? {x} : {y}}
// and $$ for a literal dollar sign.

/** A `$name` reference found in a value, with its position in that value. */
export interface MacroReference {
  readonly name: string;
  /** [start, end) of the whole reference (`${name?text}`) in the value. */
  readonly start: number;
  readonly end: number;
  /** [start, end) of the name itself. */
  readonly nameStart: number;
  readonly nameEnd: number;
}

export interface MacroSyntaxError {
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'ref'; name: string; test?: '?' | ':'; then?: Node[]; otherwise?: Node[] }
  | { kind: 'expr'; left: Node[]; op: string; right: Node[]; then: Node[]; otherwise: Node[] };

interface Parsed {
  nodes: Node[];
  refs: MacroReference[];
  errors: MacroSyntaxError[];
}

const isNameChar = (c: string) => /[A-Za-z0-9_]/.test(c);

/** Index of the bracket that closes the one at `open`, or -1. */
function matchingBracket(s: string, open: number): number {
  const o = s[open];
  const c = o === '{' ? '}' : ')';
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === o) depth++;
    else if (s[i] === c && --depth === 0) return i;
  }
  return -1;
}

function parse(s: string, base: number, out: Parsed): Node[] {
  const nodes: Node[] = [];
  let text = '';
  const pushText = () => {
    if (text) nodes.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (ch !== '$') {
      text += ch;
      i++;
      continue;
    }
    const next = s[i + 1];
    if (next === '$') {
      text += '$';
      i += 2;
      continue;
    }
    if (next === '{' || next === '(') {
      const close = matchingBracket(s, i + 1);
      if (close < 0) {
        out.errors.push({ start: base + i, end: base + s.length, message: `unbalanced "${next}" in parameter reference` });
        text += s.slice(i);
        break;
      }
      pushText();
      const inner = s.slice(i + 2, close);
      const innerBase = base + i + 2;
      if (next === '{' && inner.startsWith('{')) nodes.push(parseExpression(inner, innerBase, out));
      else {
        let j = 0;
        while (j < inner.length && isNameChar(inner[j])) j++;
        const name = inner.slice(0, j);
        if (!name) {
          out.errors.push({ start: base + i, end: base + close + 1, message: 'empty parameter name in reference' });
        } else {
          out.refs.push({ name, start: base + i, end: base + close + 1, nameStart: innerBase, nameEnd: innerBase + j });
          const rest = inner.slice(j);
          if (rest === '') nodes.push({ kind: 'ref', name });
          else if (rest[0] === '?' || rest[0] === ':') {
            const test = rest[0] as '?' | ':';
            const body = rest.slice(1);
            const bodyBase = innerBase + j + 1;
            const twoWay = test === '?' ? splitBraced(body) : undefined;
            if (twoWay) {
              nodes.push({
                kind: 'ref',
                name,
                test,
                then: parse(twoWay.first, bodyBase + twoWay.firstAt, out),
                otherwise: parse(twoWay.second, bodyBase + twoWay.secondAt, out),
              });
            } else nodes.push({ kind: 'ref', name, test, then: parse(body, bodyBase, out) });
          } else {
            out.errors.push({
              start: innerBase + j,
              end: base + close,
              message: `unexpected "${rest[0]}" after parameter name "${name}"`,
            });
          }
        }
      }
      i = close + 1;
      continue;
    }
    let j = i + 1;
    while (j < s.length && isNameChar(s[j])) j++;
    if (j === i + 1) {
      out.errors.push({ start: base + i, end: base + i + 1, message: 'a "$" that starts no parameter name (write "$$" for a literal "$")' });
      text += '$';
      i++;
      continue;
    }
    pushText();
    const name = s.slice(i + 1, j);
    out.refs.push({ name, start: base + i, end: base + j, nameStart: base + i + 1, nameEnd: base + j });
    nodes.push({ kind: 'ref', name });
    i = j;
  }
  pushText();
  return nodes;
}

/** `{a}:{b}` with optional blanks → the two texts and where they start. */
function splitBraced(s: string): { first: string; firstAt: number; second: string; secondAt: number } | undefined {
  const m = /^\s*\{/.exec(s);
  if (!m) return undefined;
  const open1 = m[0].length - 1;
  const close1 = matchingBracket(s, open1);
  if (close1 < 0) return undefined;
  const m2 = /^\s*:\s*\{/.exec(s.slice(close1 + 1));
  if (!m2) return undefined;
  const open2 = close1 + m2[0].length;
  const close2 = matchingBracket(s, open2);
  if (close2 < 0 || s.slice(close2 + 1).trim() !== '') return undefined;
  return { first: s.slice(open1 + 1, close1), firstAt: open1 + 1, second: s.slice(open2 + 1, close2), secondAt: open2 + 1 };
}

const OPERATORS = ['==', '!=', '<=level', '>=level', '<level', '>level', '<=', '>=', '<', '>'];

function parseExpression(s: string, base: number, out: Parsed): Node {
  // {left} OP {right} ? {then} : {else}
  const parts: { text: string; at: number }[] = [];
  let i = 0;
  let op = '';
  while (i < s.length && parts.length < 4) {
    while (i < s.length && /[\s?:]/.test(s[i])) i++;
    if (s[i] === '{') {
      const close = matchingBracket(s, i);
      if (close < 0) break;
      parts.push({ text: s.slice(i + 1, close), at: i + 1 });
      i = close + 1;
    } else if (parts.length === 1 && !op) {
      const found = OPERATORS.find((o) => s.startsWith(o, i));
      if (!found) break;
      op = found;
      i += found.length;
    } else break;
  }
  const sub = (k: number) => (parts[k] ? parse(parts[k].text, base + parts[k].at, out) : []);
  if (parts.length < 3 || !op) out.errors.push({ start: base - 2, end: base + s.length + 1, message: 'malformed ${{...} op {...} ? ... } expression' });
  return { kind: 'expr', left: sub(0), op, right: sub(1), then: sub(2), otherwise: sub(3) };
}

export function findReferences(value: string): { refs: MacroReference[]; errors: MacroSyntaxError[] } {
  const out: Parsed = { nodes: [], refs: [], errors: [] };
  parse(value, 0, out);
  return { refs: out.refs, errors: out.errors };
}

/** Longest text one expansion produces (see evalNodes). */
const MAX_EXPANSION = 100_000;

/**
 * Expands references recursively with `lookup` (undefined = not defined). Stops at a fixed depth so a
 * self-referencing value cannot loop; undefined names expand to "" as in Postfix.
 */
export function expandValue(value: string, lookup: (name: string) => string | undefined, maxDepth = 100): string {
  const cache = new Map<string, string>();
  // A name inside its own expansion (`a = $a/x $a/y`) is a loop Postfix refuses; expanding it anyway
  // doubles the text at every level, so it expands to nothing here.
  const expanding = new Set<string>();
  const expandName = (name: string, depth: number): string => {
    if (depth > maxDepth || expanding.has(name)) return '';
    const cached = cache.get(name);
    if (cached !== undefined) return cached;
    const raw = lookup(name);
    expanding.add(name);
    const result = raw === undefined ? '' : evalNodes(parseNodes(raw), depth + 1);
    expanding.delete(name);
    cache.set(name, result);
    return result;
  };
  const evalNodes = (nodes: Node[], depth: number): string => {
    let s = '';
    for (const n of nodes) {
      // Chains like a = $b$b, b = $c$c, … double at each step: no real value is anywhere near this long.
      if (s.length > MAX_EXPANSION) return s.slice(0, MAX_EXPANSION);
      if (n.kind === 'text') s += n.text;
      else if (n.kind === 'ref') {
        const v = expandName(n.name, depth);
        if (!n.test) s += v;
        else if (n.test === '?') s += v !== '' ? evalNodes(n.then ?? [], depth) : evalNodes(n.otherwise ?? [], depth);
        else s += v === '' ? evalNodes(n.then ?? [], depth) : '';
      } else {
        const l = evalNodes(n.left, depth).trim();
        const r = evalNodes(n.right, depth).trim();
        s += evalNodes(compare(l, n.op, r) ? n.then : n.otherwise, depth).trim();
      }
    }
    return s;
  };
  return evalNodes(parseNodes(value), 0);
}

function parseNodes(value: string): Node[] {
  return parse(value, 0, { nodes: [], refs: [], errors: [] });
}

function compare(l: string, op: string, r: string): boolean {
  if (op === '==') return l === r;
  if (op === '!=') return l !== r;
  const level = op.endsWith('level');
  const c = level ? compareLevels(l, r) : Number(l) - Number(r);
  switch (op.replace('level', '')) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
  return false;
}

/** Compares compatibility levels such as `2`, `3.6`, `3.10` part by part. */
export function compareLevels(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number(x) || 0);
  const pb = b.split('.').map((x) => Number(x) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}
