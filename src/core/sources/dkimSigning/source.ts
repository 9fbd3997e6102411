// DKIM signing setups as a configuration source: OpenDKIM (KeyTable, SigningTable, opendkim.conf) and rspamd
// (dkim_signing.conf). Their selectors, with those of nodemailer's `dkim` option (the application-settings
// source's), are what the live DKIM check looks up.
import { MAX_APP_FILE_BYTES } from '../../limits';
import type { ConfigSource, ScanReading } from '../source';
import { findDkimSelectors, isDkimConfigPath } from './selectors';

const READ_UP_FRONT: ScanReading = { upFront: true };

export const DKIM_SIGNING_SOURCE: ConfigSource = {
  id: 'dkim-signing',
  discovery: 'workspace',
  globs: ['**/{KeyTable,keytable,key.table,SigningTable,signingtable,signing.table,opendkim.conf}', '**/dkim_signing.conf'],
  // Its selectors are checked live (the live DKIM check's rules); at rest it reports nothing.
  rules: [],
  editor: { languages: [], documentLanguages: ['plaintext'], activationEvents: [] },
  claims: ({ file }) => isDkimConfigPath(file),
  // Small files read whole: every line may name a selector.
  recognise: () => true,
  scanReading: (path) => (isDkimConfigPath(path) ? READ_UP_FRONT : undefined),
  maxFileBytes: MAX_APP_FILE_BYTES,
  open(files) {
    return {
      finish: () => ({ findings: [], endpoints: [], dkimSelectors: findDkimSelectors(files), checkedFiles: files.length }),
    };
  },
};
