// The rule catalogue, from the registries: every configuration source's rules, every live check's, and the
// engine's own (a file left unchecked, a problem in the project file). A new source or live check adds its
// rules here by being in its registry.
import type { RuleMeta } from './model';
import type { LiveCheck } from './live/liveCheck';
import { LIVE_CHECKS } from './live/liveCheckRegistry';
import { SOURCES } from './sources/registry';
import { PROJECT_FILE_RULE } from './projectConfig';
import type { ConfigSource } from './sources/source';
import { SKIPPED_FILE_RULE } from './workspaceLint';

/** Metadata of every rule the engine can report, for docs, SARIF and settings; `sources`, `checks`: the registries' unless a test adds one. */
export function allRuleMetas(sources: readonly ConfigSource[] = SOURCES, checks: readonly LiveCheck[] = LIVE_CHECKS): RuleMeta[] {
  return [...sources.flatMap((s) => s.rules), ...checks.flatMap((c) => c.rules), SKIPPED_FILE_RULE, PROJECT_FILE_RULE];
}
