// Text made safe for where it goes: a regular expression, one line of a message, a Markdown table cell.
// One escaper per target, shared, so a fix to one reaches every use.

/** `text` matched literally inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Text safe to show on one line: control characters replaced, long text cut. */
export function printable(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** Text inside a Markdown table cell: backslashes and pipes escaped, line breaks made spaces. */
export function markdownTableCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
