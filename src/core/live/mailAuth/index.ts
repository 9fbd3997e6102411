// The rules of every mail-authentication check, from the live-check registry (liveCheckRegistry.ts), which
// lists the checks and loads them (loadAuthChecks).
import type { RuleMeta } from '../../model';
import { AUTH_LIVE_CHECKS } from '../liveCheckRegistry';

export const AUTH_RULE_METAS: readonly RuleMeta[] = AUTH_LIVE_CHECKS.flatMap((c) => c.rules);
