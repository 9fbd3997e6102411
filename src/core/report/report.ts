// The one value every report format is made from: findings and endpoints as people read them (1-based,
// paths as shown), how many files were checked, and the live results when a live run happened. Built
// once by a front end (buildReport), then handed to text, JSON, SARIF or Markdown.
import { consolidateFindings } from '../consolidate';
import { type Endpoint, type Finding, compareFindings } from '../model';
import type { LiveTextInput } from './liveText';
import { type ReportedEndpoint, type ReportedFinding, toReported, toReportedEndpoint } from './reportInput';

/** What a live run found, as the reports show it. */
export type ReportedLive = LiveTextInput & {
  /** True when the run was cancelled or hit its deadline before every check finished. */
  readonly incomplete?: boolean;
};

export interface Report {
  /** What was checked, e.g. the workspace name (Markdown's title). */
  readonly title?: string;
  /** ISO 8601 time of the report (left out when undefined, so tests stay stable). */
  readonly generatedAt?: string;
  /** Every rule's finding, in file and position order (JSON, SARIF, Markdown). */
  readonly findings: readonly ReportedFinding[];
  /**
   * One line per root cause (findings on one range folded into one, the others its related places), as
   * the editor shows them: what the text report prints. Left out: the findings as they are.
   */
  readonly shownFindings?: readonly ReportedFinding[];
  readonly endpoints: readonly ReportedEndpoint[];
  /** How many files were read as configuration, when known. */
  readonly checkedFiles?: number;
  /** Live-check results, when a live run happened. */
  readonly live?: ReportedLive;
}

export interface ReportInput {
  /** Static and live findings, after suppressions and overrides. */
  readonly findings: readonly Finding[];
  readonly endpoints: readonly Endpoint[];
  readonly checkedFiles?: number;
  readonly live?: ReportedLive;
  /** How a file is named in the report (relative to the working folder or workspace). */
  readonly displayPath?: (file: string) => string;
  readonly title?: string;
  readonly generatedAt?: string;
}

export function buildReport(input: ReportInput): Report {
  const display = input.displayPath ?? ((file: string) => file);
  const sorted = [...input.findings].sort(compareFindings);
  return {
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.generatedAt !== undefined ? { generatedAt: input.generatedAt } : {}),
    findings: sorted.map((f) => toReported(f, display)),
    shownFindings: consolidateFindings(sorted).map((f) => toReported(f, display)),
    endpoints: input.endpoints.map((e) => toReportedEndpoint(e, display)),
    ...(input.checkedFiles !== undefined ? { checkedFiles: input.checkedFiles } : {}),
    ...(input.live ? { live: input.live } : {}),
  };
}
