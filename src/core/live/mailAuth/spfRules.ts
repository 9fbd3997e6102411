// SPF's rules: small and loaded with the live-check registry, while the check itself (spf.ts) loads
// only when a subject needs it.
import { liveRuleMeta } from '../liveRules';

export const SPF_RULES = {
  missing: liveRuleMeta('dns/spf-missing', 'warning', 'The domain publishes no SPF record, so receivers cannot tell which servers may send its mail.'),
  multiple: liveRuleMeta('dns/spf-multiple', 'error', 'The domain publishes more than one SPF record: receivers return permerror.'),
  syntax: liveRuleMeta('dns/spf-syntax', 'error', 'The SPF record is invalid (unknown mechanism, bad address or prefix, bad macro): receivers return permerror.'),
  includeBroken: liveRuleMeta('dns/spf-include-broken', 'error', 'An include: or redirect= target has no SPF record, several, or an invalid one: receivers return permerror.'),
  tooManyLookups: liveRuleMeta('dns/spf-too-many-lookups', 'error', 'The SPF record needs more than 10 DNS lookups (include, a, mx, ptr, exists, redirect): receivers return permerror.'),
  voidLookups: liveRuleMeta('dns/spf-void-lookups', 'error', 'More than 2 SPF lookups find nothing (no such name, no records): receivers return permerror.'),
  permissiveAll: liveRuleMeta('dns/spf-permissive-all', 'warning', 'The SPF record lets anyone pass (+all: error) or says nothing about other senders (?all, no all).'),
  ptr: liveRuleMeta('dns/spf-ptr', 'warning', 'The SPF record uses the deprecated ptr mechanism, which is slow and which receivers may skip.'),
  senderNotAuthorized: liveRuleMeta('dns/spf-sender-not-authorized', 'warning', "A sending address of the configuration is not authorised by the domain's SPF record."),
} as const;
