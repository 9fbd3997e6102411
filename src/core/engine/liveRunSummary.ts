// What a live run comes to, in a few plain values (what the editor's commands return to their callers).
import type { LiveCheckReport } from '../live/liveChecks';
import { redactText } from '../redact';

export interface LiveRunSummary {
  readonly probes: readonly { readonly host: string; readonly port: number; readonly status: string; readonly detail?: string; readonly ms: number }[];
  readonly findings: number;
  readonly incomplete: boolean;
  readonly cancelled: boolean;
}

/** Each probe's answer (its detail redacted, its time in whole ms), how many findings, whether it ended early. */
export function summarizeLiveRun(report: LiveCheckReport & { readonly cancelled: boolean }): LiveRunSummary {
  return {
    probes: report.probes.map((p) => ({ host: p.host, port: p.port, status: p.status, ...(p.detail ? { detail: redactText(p.detail) } : {}), ms: Math.round(p.timings.total) })),
    findings: report.findings.length,
    incomplete: report.incomplete,
    cancelled: report.cancelled,
  };
}
