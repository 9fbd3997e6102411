// Every mail-authentication check, in the order the Results tree lists them under a subject.
import type { RuleMeta } from '../../model';
import type { AuthCheck } from './types';
import { spfCheck } from './spf';
import { dmarcCheck } from './dmarc';
import { DNSBL_CHECK } from './dnsbl';
import { MTA_STS_CHECK } from './mtaSts';
import { TLS_RPT_CHECK } from './tlsRpt';
import { dkimCheck } from './dkim';
import { daneCheck } from './dane';

export const AUTH_CHECKS: readonly AuthCheck[] = [spfCheck, dmarcCheck, MTA_STS_CHECK, TLS_RPT_CHECK, daneCheck, dkimCheck, DNSBL_CHECK];

export const AUTH_RULE_METAS: readonly RuleMeta[] = AUTH_CHECKS.flatMap((c) => c.rules);
