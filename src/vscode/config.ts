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
  };
}

/** Whether a configuration change touches our settings. */
export function affectsUs(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration('smtpDoctor');
}
