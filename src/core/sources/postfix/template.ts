// Postfix files written as templates (Ansible/Salt Jinja, Puppet/Chef ERB, Go templates, Template
// Toolkit, Mason, FreeMarker, and whole-value placeholders such as PH_NAME, %%name%%, @NAME@ or an
// envsubst ${NAME}). The template code is masked with TEMPLATE_MARK characters so that the text keeps
// its length and line breaks (every range still points at the original), lines that only hold template
// statements become comment lines, and rules treat any value holding a mark as unknown.

/** Stands for template code in a masked text; a value that contains it is unknown. */
export const TEMPLATE_MARK = '\uE000';

export const isTemplated = (s: string): boolean => s.includes(TEMPLATE_MARK);

/** File-name endings that say "this is a template of a Postfix file". */
const TEMPLATE_EXTENSIONS = ['j2', 'jinja', 'jinja2', 'twig', 'erb', 'epp', 'tpl', 'tmpl', 'gotmpl', 'tt', 'tt2', 'in', 'template', 'mas', 'ftl', 'mustache', 'hbs', 'liquid', 'njk'];

export type TemplateFlavor = 'jinja' | 'erb' | 'go' | 'tt' | 'mason' | 'freemarker' | 'placeholder';

export interface TemplateView {
  /** The text with template code masked: same length and line breaks as the original. */
  readonly text: string;
  readonly flavors: readonly TemplateFlavor[];
  /** 0-based lines inside a conditional or loop: the blocks around them, as "block:branch" keys. */
  readonly blocks: ReadonlyMap<number, readonly string[]>;
  /** Whether template output can add whole statements (a line that is only an expression, a loop). */
  readonly opaque: boolean;
}

/** The template extension of a file name (`main.cf.j2` → `j2`), if it has one. */
export function templateExtension(path: string): string | undefined {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const m = /\.([A-Za-z0-9]+)$/.exec(name);
  const ext = m?.[1].toLowerCase();
  return ext && TEMPLATE_EXTENSIONS.includes(ext) ? ext : undefined;
}

interface Tag {
  start: number;
  end: number;
  /** statement: renders nothing (if, for, set, comments); output: renders a value. */
  kind: 'statement' | 'output';
  /** For statements: what it does to blocks ("define": a macro or block whose body is not output here). */
  block?: 'open' | 'loop' | 'define' | 'branch' | 'close';
  flavor: TemplateFlavor;
}

const JINJA_OPEN = /^(if|for|filter|block|with|raw|autoescape|trans)\b/;
const JINJA_DEFINE = /^(macro|call)\b|^set\s+[\w\s,]+$/;
const JINJA_BRANCH = /^(elif|else|elseif)\b/;
const JINJA_CLOSE = /^end\w*/;
const GO_OPEN = /^(if|range|with|define|block)\b/;
const TT_OPEN = /^(IF|UNLESS|FOREACH|FOR|WHILE|BLOCK|SWITCH|MACRO|WRAPPER|FILTER|TRY)\b/;
const TT_BRANCH = /^(ELSIF|ELSE|CASE|CATCH|FINAL)\b/;
const TT_STATEMENT = /^(IF|UNLESS|FOREACH|FOR|WHILE|BLOCK|SWITCH|MACRO|WRAPPER|FILTER|TRY|ELSIF|ELSE|CASE|CATCH|FINAL|END|SET|DEFAULT|CALL|USE|META|TAGS|DEBUG|NEXT|LAST|RETURN|STOP|CLEAR|PERL|RAWPERL|THROW)\b/;

/** Where `close` ends a tag that starts at `from`, skipping quoted strings ('...', "..."); -1 if never. */
function closeOf(text: string, from: number, close: string, quoted: boolean): number {
  if (!quoted) return text.indexOf(close, from);
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      else if (c === '\n') return text.indexOf(close, from); // an unclosed quote: not a string after all
    } else if (c === "'" || c === '"') quote = c;
    else if (text.startsWith(close, i)) return i;
  }
  return text.indexOf(close, from);
}

/**
 * Finds `open ... close` tags (quoted strings inside them are skipped when `quoted`); unterminated tags run
 * to the end. `each` may return false to say "not a tag here": scanning then goes on right after `open`.
 */
function scanDelimited(
  text: string,
  open: string,
  close: string,
  each: (start: number, end: number, inner: string) => boolean | void,
  skipIf?: (at: number) => boolean,
  quoted = true,
): void {
  let i = text.indexOf(open);
  while (i >= 0) {
    if (skipIf?.(i)) {
      i = text.indexOf(open, i + 1);
      continue;
    }
    const end = closeOf(text, i + open.length, close, quoted);
    const stop = end < 0 ? text.length : end + close.length;
    const taken = each(i, stop, text.slice(i + open.length, end < 0 ? text.length : end));
    i = text.indexOf(open, taken === false ? i + open.length : stop);
  }
}

/** Tags of the brace, angle and bracket template languages. */
function findTags(text: string, ext: string | undefined): Tag[] {
  const tags: Tag[] = [];
  const trim = (s: string) => s.replace(/^[-+~=]/, '').replace(/[-+~]$/, '').trim();
  // {{ ... }}: Jinja/Twig/Go output or Go actions. "${{" is Postfix's own ${{a} op {b} ? ...} syntax.
  scanDelimited(
    text,
    '{{',
    '}}',
    (start, end, inner) => {
      const body = trim(inner);
      if (body.startsWith('/*') || body.startsWith('!')) tags.push({ start, end, kind: 'statement', flavor: 'go' });
      else if (GO_OPEN.test(body)) tags.push({ start, end, kind: 'statement', block: /^define\b/.test(body) ? 'define' : /^(range|with)\b/.test(body) ? 'loop' : 'open', flavor: 'go' });
      else if (/^else\b/.test(body)) tags.push({ start, end, kind: 'statement', block: 'branch', flavor: 'go' });
      else if (/^end\b/.test(body)) tags.push({ start, end, kind: 'statement', block: 'close', flavor: 'go' });
      else if (/^(template|\$\w+\s*:?=)/.test(body)) tags.push({ start, end, kind: 'statement', flavor: 'go' });
      else tags.push({ start, end, kind: 'output', flavor: /^\./.test(body) ? 'go' : 'jinja' });
    },
    // "${{a} op {b} ...}" is Postfix's own syntax, and so is "inline:{{key=value}, ...}".
    (at) => text[at - 1] === '$' || (text[at - 1] === ':' && /^[^}]*=/.test(text.slice(at + 2, at + 300))),
  );
  scanDelimited(text, '{%', '%}', (start, end, inner) => {
    const body = trim(inner);
    const block = JINJA_BRANCH.test(body)
      ? 'branch'
      : JINJA_CLOSE.test(body)
        ? 'close'
        : JINJA_DEFINE.test(body)
          ? 'define'
          : JINJA_OPEN.test(body)
            ? (/^for\b/.test(body) ? 'loop' : 'open')
            : undefined;
    tags.push({ start, end, kind: 'statement', block, flavor: 'jinja' });
  });
  scanDelimited(text, '{#', '#}', (start, end) => void tags.push({ start, end, kind: 'statement', flavor: 'jinja' }), undefined, false);
  // ERB (and Mason's <% expr %>): <%= output %>, <%# comment %>, <% code %>.
  scanDelimited(text, '<%', '%>', (start, end, inner) => {
    if (/^(args|init|once|shared|cleanup|perl|doc|filter|flags|attr|def|method|text)[\s>]/.test(inner) || inner.startsWith('/')) return false; // Mason sections: below
    if (inner.startsWith('=') || (ext === 'mas' && !inner.startsWith('#'))) {
      tags.push({ start, end, kind: 'output', flavor: ext === 'mas' ? 'mason' : 'erb' });
      return true;
    }
    const body = trim(inner.replace(/^#/, ''));
    const block = inner.startsWith('#')
      ? undefined
      : /^(elsif|else|when|rescue|ensure)\b/.test(body)
        ? 'branch'
        : /^end\b/.test(body) || /^}\s*$/.test(body)
          ? 'close'
          : /^(if|unless|case|while|until|begin)\b/.test(body)
            ? 'open'
            : /\b(do)(\s*\|[^|]*\|)?\s*$/.test(body) || /^\S.*\{\s*(\|[^|]*\|)?\s*$/.test(body)
              ? 'loop'
              : undefined;
    tags.push({ start, end, kind: 'statement', block, flavor: 'erb' });
    return true;
  });
  // Template Toolkit: [% directive %] or [% variable %].
  scanDelimited(text, '[%', '%]', (start, end, inner) => {
    const body = trim(inner);
    if (body.startsWith('#') || TT_STATEMENT.test(body)) {
      const block = TT_BRANCH.test(body)
        ? 'branch'
        : /^END\b/.test(body)
          ? 'close'
          : /^(BLOCK|MACRO)\b/.test(body)
            ? 'define'
            : TT_OPEN.test(body)
              ? (/^(FOREACH|FOR|WHILE)\b/.test(body) ? 'loop' : 'open')
              : undefined;
      tags.push({ start, end, kind: 'statement', block, flavor: 'tt' });
    } else tags.push({ start, end, kind: 'output', flavor: 'tt' });
  });
  if (ext === 'mas' || /<%(args|init)>/.test(text)) {
    for (const m of text.matchAll(/<%(args|init|once|shared|cleanup|perl|doc|filter|flags|attr|def|method|text)(\s[^>]*)?>[\s\S]*?(<\/%\1>|$)/g)) {
      tags.push({ start: m.index!, end: m.index! + m[0].length, kind: 'statement', flavor: 'mason' });
    }
    scanDelimited(text, '<&', '&>', (start, end) => void tags.push({ start, end, kind: 'output', flavor: 'mason' }));
    // "% perl" lines.
    for (const m of text.matchAll(/^%(?!%)[^\n]*/gm)) {
      const code = m[0].slice(1).trim();
      const block = /^}\s*(elsif|else)\b.*\{\s*$/.test(code) ? 'branch' : /^}\s*;?\s*$/.test(code) ? 'close' : /\{\s*$/.test(code) ? (/^(foreach|for|while)\b/.test(code) ? 'loop' : 'open') : undefined;
      tags.push({ start: m.index!, end: m.index! + m[0].length, kind: 'statement', block, flavor: 'mason' });
    }
  }
  if (ext === 'ftl') {
    scanDelimited(text, '${', '}', (start, end) => void tags.push({ start, end, kind: 'output', flavor: 'freemarker' }));
    for (const m of text.matchAll(/<#--[\s\S]*?-->|<\/?[#@][^>]*>/g)) {
      const body = m[0];
      const block = /^<#(else|elseif)\b/.test(body) ? 'branch' : /^<\/#/.test(body) ? 'close' : /^<#(if|list|items|macro|function)\b/.test(body) ? (/^<#(list|items)\b/.test(body) ? 'loop' : 'open') : undefined;
      tags.push({ start: m.index!, end: m.index! + body.length, kind: 'statement', block, flavor: 'freemarker' });
    }
  }
  tags.sort((a, b) => a.start - b.start || b.end - a.end);
  // Drop tags inside other tags (a "{{" inside a Jinja comment, "<%" inside a Mason section).
  const out: Tag[] = [];
  let reach = -1;
  for (const t of tags) {
    if (t.start < reach) continue;
    out.push(t);
    reach = t.end;
  }
  return out;
}

/** Whole-value placeholders that installers substitute with sed or envsubst. */
function findPlaceholders(text: string, templated: boolean, ext: string | undefined): { start: number; end: number }[] {
  const patterns = [
    /\bPH_[A-Z0-9_]+\b/g, // iRedMail
    /%%[A-Za-z0-9_:.-]+%%/g, // Zimbra, server farmers
    /@@[A-Za-z0-9_]+@@/g,
    /@[A-Z][A-Z0-9_]*@/g, // autoconf, Mandriva
    /(?<![\w$])__?[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*__?(?![\w])/g, // _NAME_, __NAME__
  ];
  if (templated) {
    // envsubst / shell: Postfix names are lower case, so ${NAME} and $NAME in capitals are someone else's.
    patterns.push(/\$\{[A-Z_][A-Z0-9_]*(?::?[-=?+][^}]*)?\}/g, /\$[A-Z_][A-Z0-9_]*\b/g);
    if (ext !== undefined) patterns.push(/@[A-Za-z_][A-Za-z0-9_]*@/g);
    // Python %-formatting (modoboa's .tpl files): %name, %{name}, %(name)s.
    if (ext === 'tpl' || ext === 'template' || ext === 'in') patterns.push(/%\{\w+\}|%\(\w+\)[sd]|(?<=[\s=:,]|^)%[a-z_][a-z0-9_]*\b/gm);
  }
  const out: { start: number; end: number }[] = [];
  // Words in comment lines are prose ("README_FILES", "@host@"), not placeholders.
  const commentLines: { start: number; end: number }[] = [];
  for (const m of text.matchAll(/^[ \t]*#[^\n]*/gm)) commentLines.push({ start: m.index!, end: m.index! + m[0].length });
  const inComment = (at: number) => {
    let lo = 0;
    let hi = commentLines.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (commentLines[mid].end < at) lo = mid + 1;
      else if (commentLines[mid].start > at) hi = mid - 1;
      else return true;
    }
    return false;
  };
  for (const re of patterns) for (const m of text.matchAll(re)) if (!inComment(m.index!)) out.push({ start: m.index!, end: m.index! + m[0].length });
  // sed targets such as DOMAIN_NAME or QUOTA_MAIN: Postfix's own words are lower case.
  let statement = '';
  let offset = 0;
  for (const line of text.split('\n')) {
    const head = /^([A-Za-z0-9_]+)\s*=/.exec(line);
    if (head) statement = head[1];
    else if (line !== '' && !/^\s/.test(line)) statement = '';
    // Environment lists and TLS settings (tls_ssl_options = NO_COMPRESSION) take capital words by design.
    if (!/(_environment$|tls|cipher)/.test(statement) && !/^\s*#/.test(line)) {
      for (const m of line.matchAll(/(?<![A-Za-z0-9_$/-])[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9](?![A-Za-z0-9_/-])/g)) {
        out.push({ start: offset + m.index!, end: offset + m.index! + m[0].length });
      }
    }
    offset += line.length + 1;
  }
  return out;
}

/**
 * The masked view of a Postfix file written as a template, or undefined when it holds no template code
 * (a plain main.cf/master.cf is then read as it is).
 */
export function readTemplate(text: string, path: string): TemplateView | undefined {
  const ext = templateExtension(path);
  const tags = findTags(text, ext);
  const templated = ext !== undefined || tags.length > 0;
  const placeholders = findPlaceholders(text, templated, ext);
  if (tags.length === 0 && placeholders.length === 0) return undefined;

  const chars = text.split('');
  const mask = (start: number, end: number) => {
    for (let i = start; i < end; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = TEMPLATE_MARK;
  };
  for (const t of tags) mask(t.start, t.end);
  for (const p of placeholders) mask(p.start, p.end);

  // Line starts, and which tags touch each line.
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const outputLines = new Set<number>();
  for (const t of tags) if (t.kind === 'output') for (let l = lineOf(t.start); l <= lineOf(Math.max(t.start, t.end - 1)); l++) outputLines.add(l);

  // Conditional and loop blocks around each line, and the lines inside a macro or block definition.
  const blocks = new Map<number, string[]>();
  const defining = new Set<number>();
  const stack: { id: number; branch: number; define: boolean }[] = [];
  let nextId = 0;
  let ti = 0;
  const blockTags = tags.filter((t) => t.block);
  for (let l = 0; l < lineStarts.length; l++) {
    const lineEnd = l + 1 < lineStarts.length ? lineStarts[l + 1] : text.length;
    if (stack.some((b) => b.define)) defining.add(l);
    // A statement's effect applies from the line after it (or the rest of its own line).
    if (stack.length) blocks.set(l, stack.map((b) => `${b.id}:${b.branch}`));
    while (ti < blockTags.length && blockTags[ti].start < lineEnd) {
      const t = blockTags[ti++];
      if (t.block === 'open' || t.block === 'loop' || t.block === 'define') stack.push({ id: nextId++, branch: 0, define: t.block === 'define' });
      else if (t.block === 'branch' && stack.length) stack[stack.length - 1].branch++;
      else if (t.block === 'close') stack.pop();
    }
    if (stack.length && !blocks.has(l)) blocks.set(l, stack.map((b) => `${b.id}:${b.branch}`));
  }

  let opaque = false;
  for (let l = 0; l < lineStarts.length; l++) {
    const start = lineStarts[l];
    const end = l + 1 < lineStarts.length ? lineStarts[l + 1] - 1 : text.length;
    let first = start;
    while (first < end && (chars[first] === ' ' || chars[first] === '\t' || chars[first] === '\r')) first++;
    if (first >= end) continue;
    // The body of a macro or block definition is not output where it is written.
    if (defining.has(l)) {
      chars[first] = '#';
      continue;
    }
    const rest = chars.slice(first, end).join('').replace(/[\s\r]/g, '');
    if (rest === '' || [...rest].some((c) => c !== TEMPLATE_MARK)) continue;
    // Only template code on this line. Statements render nothing: the line is a comment to Postfix.
    // An expression alone at the start of a line renders statements we cannot see; indented, it
    // continues a value (which is then unknown).
    const onlyStatements = !outputLines.has(l);
    if (onlyStatements || first === start) {
      chars[first] = '#';
      if (!onlyStatements) opaque = true;
    }
  }

  const flavors = [...new Set<TemplateFlavor>([...tags.map((t) => t.flavor), ...(placeholders.length ? ['placeholder' as const] : [])])];
  return { text: chars.join(''), flavors, blocks, opaque };
}

/** Whether two statements can both end up in the rendered file (not in different branches of one block). */
export function compatibleBlocks(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (!a || !b) return true;
  const branchOf = new Map(a.map((k) => k.split(':') as [string, string]));
  return b.every((k) => {
    const [id, branch] = k.split(':');
    return !branchOf.has(id) || branchOf.get(id) === branch;
  });
}
