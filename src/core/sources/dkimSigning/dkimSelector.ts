// The shape of a DKIM selector found in a configuration, shared by the readers of each signing
// configuration (opendkim, rspamd) and by selectors.ts, which runs them.
import type { Range } from '../../model';

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
