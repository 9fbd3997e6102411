// Where to cut to remove one option from the text it is written in, leaving valid syntax behind:
// `port: 587, ` inside a one-line object, the option's own lines in a multi-line object or a YAML block
// mapping, `, "port": 587` for the last member of a JSON object.

export interface RemovalSyntax {
  /** What starts a comment running to the end of the line (`//` in scripts, `#` in YAML / .env). */
  readonly lineComment: string;
  /** JSON (and JSONC) forbid a comma after the last member, so removing the last one takes the comma before it. */
  readonly trailingCommaAllowed: boolean;
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

/**
 * The offsets [start, end) to delete to remove the option written at [start, end) (key to end of value),
 * in a comma-separated object / flow mapping or a block mapping.
 */
export function removalSpan(text: string, start: number, end: number, syntax: RemovalSyntax): [number, number] {
  let after = end;
  while (isBlank(text[after])) after++;
  const comma = text[after] === ',';
  if (comma) after++;
  let eol = after;
  while (isBlank(text[eol])) eol++;
  // A comment after the option on its line is about the option: it goes too.
  if (text.startsWith(syntax.lineComment, eol)) while (eol < text.length && text[eol] !== '\n' && text[eol] !== '\r') eol++;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const ownLine = /^[ \t]*$/.test(text.slice(lineStart, start));
  const atEol = eol >= text.length || text[eol] === '\n' || text[eol] === '\r';

  // Where a preceding comma is, if the option is the last member (for JSON, and for one-line objects).
  const commaBefore = (): number | undefined => {
    let b = start;
    while (b > 0 && /[ \t\r\n]/.test(text[b - 1])) b--;
    return text[b - 1] === ',' ? b - 1 : undefined;
  };

  if (ownLine && atEol) {
    if (!comma && !syntax.trailingCommaAllowed) {
      const c = commaBefore();
      // `"a": 1,\n  "b": 2\n}` → `"a": 1\n}`: from the comma to the end of the option's line.
      if (c !== undefined) return [c, eol];
    }
    let e = eol;
    if (text[e] === '\r') e++;
    if (text[e] === '\n') e++;
    return [lineStart, e];
  }
  if (comma) {
    while (isBlank(text[after])) after++;
    return [start, after];
  }
  const c = commaBefore();
  return c === undefined ? [start, end] : [c, end];
}
