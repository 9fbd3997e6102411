// DKIM's rules: small and loaded with the live-check registry, while the check itself (dkim.ts) loads
// only when a subject needs it.
import type { RuleMeta } from '../../model';
import { liveRuleMeta } from '../liveRules';

export const DKIM_RULES = {
  missing: liveRuleMeta('dns/dkim-missing', 'error', 'No DKIM key is published for a selector the configuration signs with, so receivers cannot verify its signatures.'),
  revoked: liveRuleMeta('dns/dkim-revoked', 'error', 'The DKIM key record has an empty p=: the key is revoked and every signature made with it fails.'),
  weakKey: liveRuleMeta('dns/dkim-weak-key', 'warning', 'The DKIM RSA key is shorter than 2048 bits (an error below 1024 bits, which receivers do not accept).'),
  invalid: liveRuleMeta('dns/dkim-invalid', 'error', 'The DKIM key record is unusable: bad syntax, wrong version or key type, malformed key, a hash or service restriction, or several records.'),
  testing: liveRuleMeta('dns/dkim-testing', 'information', 'The DKIM key is in testing mode (t=y): receivers may treat signed mail as unsigned.'),
  ed25519: liveRuleMeta('dns/dkim-ed25519', 'information', 'The DKIM key is Ed25519, which many receivers cannot verify yet; sign with an RSA key as well.'),
} as const;
export const DKIM_RULE_METAS: readonly RuleMeta[] = Object.values(DKIM_RULES);
