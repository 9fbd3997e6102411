import type { RuleMeta } from '../model';
import { liveRuleMeta } from './liveRules';

// Live rules of the checks that go past the probe: the relay test and the TLS version and cipher scan.
// smtp/tls-weak-version (liveRules.ts) is also reported from the scan.

export const SERVER_RULES = {
  openRelay: liveRuleMeta('smtp/open-relay', 'error', 'The server accepted a recipient in a foreign domain from an unauthenticated client: it relays mail for anyone.'),
  tlsWeakCipher: liveRuleMeta('smtp/tls-weak-cipher', 'warning', 'The server accepts anonymous, export, RC4, 3DES or NULL cipher suites when a client offers them.'),
} as const;

export const SERVER_RULE_METAS: readonly RuleMeta[] = Object.values(SERVER_RULES);
