import * as vscode from 'vscode';
import { CONFIG_GLOBS, DEFAULT_EXCLUDE_GLOBS } from '../core/discover';
import type { RuleSeverityOverrides, Severity } from '../core/model';

/** Every setting the extension reads, typed, in one place. */
export interface SmtpDoctorConfig {
  readonly rules: RuleSeverityOverrides;
  readonly lintOnType: boolean;
  readonly lintDelayMs: number;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /** Live checks: DNS servers (host:port), per-step timeout, concurrency, EHLO name, outbound-25 probe hosts. */
  readonly dnsServers: readonly string[];
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly ehloName?: string;
  readonly outbound25ProbeHosts?: readonly string[];
}

const SEVERITIES: readonly (Severity | 'off')[] = ['error', 'warning', 'information', 'hint', 'off'];

export function readConfig(scope?: vscode.ConfigurationScope): SmtpDoctorConfig {
  const c = vscode.workspace.getConfiguration('smtpDoctor', scope);
  const rules: Record<string, Severity | 'off'> = {};
  for (const [id, sev] of Object.entries(c.get<Record<string, unknown>>('rules') ?? {})) {
    if (typeof sev === 'string' && (SEVERITIES as string[]).includes(sev)) rules[id] = sev as Severity | 'off';
  }
  const delay = c.get<number>('lint.delay', 300);
  return {
    rules,
    lintOnType: c.get<boolean>('lint.onType', true),
    lintDelayMs: Number.isFinite(delay) ? Math.min(Math.max(delay, 0), 5000) : 300,
    include: c.get<string[]>('include') ?? [...CONFIG_GLOBS],
    exclude: c.get<string[]>('exclude') ?? [...DEFAULT_EXCLUDE_GLOBS],
    dnsServers: (c.get<string[]>('dnsServers') ?? []).filter((s) => typeof s === 'string' && s.trim() !== ''),
    timeoutMs: clamp(c.get<number>('live.timeoutMs', 5000), 100, 60_000, 5000),
    concurrency: clamp(c.get<number>('live.concurrency', 32), 1, 256, 32),
    ehloName: c.get<string>('live.ehloName') || undefined,
    outbound25ProbeHosts: (c.get<string[]>('live.outbound25ProbeHosts') ?? []).length ? c.get<string[]>('live.outbound25ProbeHosts') : undefined,
  };
}

function clamp(value: number | undefined, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(Math.max(Math.round(value), min), max) : fallback;
}

/** Whether a configuration change touches our settings. */
export function affectsUs(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration('smtpDoctor');
}
