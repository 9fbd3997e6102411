import * as vscode from 'vscode';
import { DEFAULT_EXCLUDE_GLOBS } from '../core/discover';
import { CONFIG_GLOBS } from '../core/sources/registry';
import type { RuleSeverityOverrides, Severity } from '../core/model';
import type { RelayTestScope } from '../core/live/serverChecks';
import { releaseProblem } from '../core/sources/postfix/postfixVersion';

/** Every setting the extension reads, typed, in one place. */
export interface SmtpDoctorConfig {
  /** smtpDoctor.rules (the settings alone). */
  readonly rules: RuleSeverityOverrides;
  /** What applies to one file (URI string): its folder's .smtpdoctor.yaml, then smtpDoctor.rules on top. */
  rulesFor(file: string): RuleSeverityOverrides;
  /** smtpDoctor.postfix.version (the setting alone; "" = not set). */
  readonly postfixVersion: string;
  /** The Postfix release a file's configuration is for: the setting, else its folder's .smtpdoctor.yaml. */
  postfixVersionFor(file: string): { readonly version: string; readonly why: string } | undefined;
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
  /** DNSBL zones for the blocklist check (empty: off). */
  readonly dnsblZones: readonly string[];
  /** Minutes after which live results are dropped (0: never). */
  readonly resultsExpireMinutes: number;
  /** When live checks run by themselves for a file's hosts: only on demand, on save, or on open. */
  readonly runOn: LiveRunOn;
  /** Ports Check SMTP Port probes when none is given. */
  readonly ports: readonly number[];
  /** The open-relay test: off, the servers the workspace configures (default), or also every MX host. */
  readonly relayTest: RelayTestScope;
}

export type LiveRunOn = 'demand' | 'save' | 'open';

export const DEFAULT_LIVE_PORTS: readonly number[] = [25, 587, 465];

const SEVERITIES: readonly (Severity | 'off')[] = ['error', 'warning', 'information', 'hint', 'off'];

export function readConfig(scope?: vscode.ConfigurationScope): SmtpDoctorConfig {
  const c = vscode.workspace.getConfiguration('smtpDoctor', scope);
  const rules: Record<string, Severity | 'off'> = {};
  for (const [id, sev] of Object.entries(c.get<Record<string, unknown>>('rules') ?? {})) {
    if (typeof sev === 'string' && (SEVERITIES as string[]).includes(sev)) rules[id] = sev as Severity | 'off';
  }
  const delay = c.get<number>('lint.delay', 300);
  // An unusable version (the settings UI checks the pattern, settings.json does not) counts as unset.
  const version = (c.get<string>('postfix.version') ?? '').trim();
  const postfixVersion = version && !releaseProblem(version) ? version : '';
  return {
    rules,
    rulesFor: () => rules,
    postfixVersion,
    postfixVersionFor: () => (postfixVersion ? { version: postfixVersion, why: 'the smtpDoctor.postfix.version setting' } : undefined),
    lintOnType: c.get<boolean>('lint.onType', true),
    lintDelayMs: Number.isFinite(delay) ? Math.min(Math.max(delay, 0), 5000) : 300,
    include: c.get<string[]>('include') ?? [...CONFIG_GLOBS],
    exclude: c.get<string[]>('exclude') ?? [...DEFAULT_EXCLUDE_GLOBS],
    dnsServers: (c.get<string[]>('dnsServers') ?? []).filter((s) => typeof s === 'string' && s.trim() !== ''),
    timeoutMs: clamp(c.get<number>('live.timeoutMs', 5000), 100, 60_000, 5000),
    concurrency: clamp(c.get<number>('live.concurrency', 32), 1, 256, 32),
    ehloName: c.get<string>('live.ehloName') || undefined,
    resultsExpireMinutes: clamp(c.get<number>('live.resultsExpireMinutes', 30), 0, 1440, 30),
    outbound25ProbeHosts: (c.get<string[]>('live.outbound25ProbeHosts') ?? []).length ? c.get<string[]>('live.outbound25ProbeHosts') : undefined,
    runOn: runOnOf(c.get<string>('live.runOn')),
    dnsblZones: (c.get<unknown[]>('live.dnsblZones') ?? []).filter((z): z is string => typeof z === 'string' && /^[A-Za-z0-9.-]+$/.test(z.trim())).map((z) => z.trim()),
    ports: portsOf(c.get<unknown>('live.ports')),
    relayTest: relayTestOf(c.get<string>('live.relayTest')),
  };
}

function relayTestOf(value: string | undefined): RelayTestScope {
  return value === 'off' || value === 'all' ? value : 'workspace';
}

function runOnOf(value: string | undefined): LiveRunOn {
  return value === 'save' || value === 'open' ? value : 'demand';
}

/** Valid, distinct ports in the order given; the defaults when none is valid. */
function portsOf(value: unknown): readonly number[] {
  const ports = Array.isArray(value) ? value.filter((p): p is number => Number.isInteger(p) && p >= 1 && p <= 65535) : [];
  return ports.length ? [...new Set(ports)] : DEFAULT_LIVE_PORTS;
}

function clamp(value: number | undefined, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(Math.max(Math.round(value), min), max) : fallback;
}

/** Whether a configuration change touches our settings. */
export function affectsUs(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration('smtpDoctor');
}
