// Text made safe for where it goes: a regular expression, one line of a message, a Markdown table cell.
// One escaper per target, shared, so a fix to one reaches every use.

/** `text` matched literally inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Control characters (C0 and DEL) replaced with "?", so a server's or resolver's text cannot break a line. */
export function withoutControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, '?');
}

/** Text safe to show on one line: control characters replaced, long text cut. */
export function printable(text: string, max = 300): string {
  const clean = withoutControls(text);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** Text in double quotes as JSON writes it (so control characters show escaped), cut to `max` characters with "…". */
export function quoted(text: string, max = 120): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max - 1)}…` : text);
}

/** Text inside a Markdown table cell: backslashes and pipes escaped, line breaks made spaces. */
export function markdownTableCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
