// What happens to every finding, static or live, before anyone shows it: in-place suppression comments,
// the test-scope cap, then the user's severity overrides. The one place this order is written down.
import { type Finding, type RuleSeverityOverrides, applySeverityOverrides } from '../model';
import { applySuppressions } from '../suppressions';
import { capTestSeverity } from '../testScope';

/** Severities per rule, the same for every file or per file (the editor's project file covers one folder). */
export type SeverityOverrides = RuleSeverityOverrides | ((file: string) => RuleSeverityOverrides);

export interface FindingPolicy {
  /** A file's current text, for its suppression comments (undefined: nothing to read, keep its findings). */
  readonly textOf: (file: string) => string | undefined;
  /**
   * A file's path inside the folder checked: errors in tests, fixtures and examples become warnings.
   * Left out, nothing is capped.
   */
  readonly relativePath?: (file: string) => string | undefined;
  readonly severityOverrides?: SeverityOverrides;
}

/** Findings minus the suppressed ones, errors in tests capped, then the overrides applied (rules set 'off' dropped). */
export function applyFindingPolicy(findings: readonly Finding[], policy: FindingPolicy): Finding[] {
  const kept = applySuppressions(findings, policy.textOf);
  const capped = policy.relativePath ? capTestSeverity(kept, policy.relativePath) : kept;
  return policy.severityOverrides ? applySeverityOverrides(capped, policy.severityOverrides) : capped;
}
