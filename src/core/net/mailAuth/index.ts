// Every mail-authentication check, loaded: for callers that run them directly (tests, a custom run's
// `authChecks`). The registry (liveCheckRegistry.ts) is the list; this is its loaded form, in its order.
import type { RuleMeta } from '../../model';
import { AUTH_LIVE_CHECKS } from '../liveCheckRegistry';
import type { AuthCheck } from './types';
import { spfCheck } from './spf';
import { dmarcCheck } from './dmarc';
import { DNSBL_CHECK } from './dnsbl';
import { MTA_STS_CHECK } from './mtaSts';
import { TLS_RPT_CHECK } from './tlsRpt';
import { dkimCheck } from './dkim';
import { daneCheck } from './dane';

export const AUTH_CHECKS: readonly AuthCheck[] = [spfCheck, dmarcCheck, MTA_STS_CHECK, TLS_RPT_CHECK, daneCheck, dkimCheck, DNSBL_CHECK];

export const AUTH_RULE_METAS: readonly RuleMeta[] = AUTH_LIVE_CHECKS.flatMap((c) => c.rules);
