import type { RuleMeta } from './model';
import { LIVE_CHECK_RULE_METAS } from './live/liveCheckRegistry';
import { TRANSPORT_RULES } from './sources/app/rules';
import { POSTFIX_RULES } from './sources/postfix/rules';
import { PROJECT_FILE_RULE } from './projectConfig';
import { SKIPPED_FILE_RULE } from './workspaceLint';

/** Metadata of every rule the engine can report, for docs, SARIF and settings. */
export function allRuleMetas(): RuleMeta[] {
  return [...POSTFIX_RULES.map((r) => r.meta), ...TRANSPORT_RULES.map((r) => r.meta), ...LIVE_CHECK_RULE_METAS, SKIPPED_FILE_RULE, PROJECT_FILE_RULE];
}
