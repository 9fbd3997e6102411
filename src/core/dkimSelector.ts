// The shape of a DKIM selector found in a configuration: what the sources that sign mail (the DKIM signing
// configurations, an application's nodemailer dkim option) hand to the live DKIM check.
import type { Range } from './model';

export type DkimSelectorSource = 'nodemailer' | 'opendkim-keytable' | 'opendkim-signingtable' | 'opendkim-conf' | 'rspamd';

/** One selector a configuration signs with, and where it is written. */
export interface DkimSelector {
  readonly selector: string;
  readonly domain: string;
  readonly file: string;
  /** The text naming the selector (inside quotes when it is quoted). */
  readonly range: Range;
  readonly source: DkimSelectorSource;
  /** Where the private key is, when the configuration names a file (never the key itself). */
  readonly keyPath?: string;
}

/** File order, then position: how selectors are listed. */
export function compareDkimSelectors(a: DkimSelector, b: DkimSelector): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}
