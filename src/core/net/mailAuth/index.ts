// Every mail-authentication check, in the order the Results tree lists them under a subject.
import type { RuleMeta } from '../../model';
import type { AuthCheck } from './types';
import { dkimCheck } from './dkim';

export const AUTH_CHECKS: readonly AuthCheck[] = [dkimCheck];

export const AUTH_RULE_METAS: readonly RuleMeta[] = AUTH_CHECKS.flatMap((c) => c.rules);
