import type { Endpoint, Finding, SourceFile } from './model';
import { type EnvFile, EnvResolver, isEnvFileName, parseEnvFile } from './nodemailer/envFiles';
import { endpointOf } from './nodemailer/effectiveTransport';
import { extractConfigTransports, isConfigFile } from './nodemailer/extractFromConfig';
import { extractEnvTransports } from './nodemailer/extractFromEnvFile';
import { extractScriptTransports, isScriptFile } from './nodemailer/extractFromScript';
import { lintTransports } from './nodemailer/lintTransports';
import type { TransportDefinition } from './nodemailer/transport';

export interface AppLintResult {
  readonly transports: TransportDefinition[];
  readonly endpoints: Endpoint[];
  readonly findings: Finding[];
}

/** Whether a path is something the application-settings extractors read. */
export function isAppConfigPath(path: string): boolean {
  return isEnvFileName(path) || isScriptFile(path) || isConfigFile(path);
}

/**
 * Finds every outgoing-mail transport in application files (JS/TS, JSON/YAML, .env), resolves
 * process.env values from the .env files among `files`, and lints them. `lintOnly`, when given,
 * limits transports (and so findings) to those files, while every .env file still resolves values.
 */
export function lintAppFiles(files: readonly SourceFile[], lintOnly?: ReadonlySet<string>): AppLintResult {
  const envFiles: { source: SourceFile; parsed: EnvFile }[] = [];
  for (const f of files) if (isEnvFileName(f.file)) envFiles.push({ source: f, parsed: parseEnvFile(f) });
  const resolver = new EnvResolver(envFiles.map((e) => e.parsed));
  const wanted = (file: string) => !lintOnly || lintOnly.has(file);

  const transports: TransportDefinition[] = [];
  for (const f of files) {
    if (!wanted(f.file)) continue;
    try {
      if (isScriptFile(f.file)) transports.push(...extractScriptTransports(f, resolver));
      else if (isConfigFile(f.file)) transports.push(...extractConfigTransports(f, resolver));
    } catch {
      // A file we cannot read is not a finding of ours; the language's own tools report syntax errors.
    }
  }
  // A .env file read by code already shows up through that code; on its own only when nothing reads it.
  const consumed = new Set<string>();
  for (const t of transports) for (const o of t.options.values()) if (o.env) consumed.add(o.env.name);
  for (const e of envFiles) {
    if (!wanted(e.source.file)) continue;
    for (const t of extractEnvTransports(e.source, e.parsed)) {
      const names = [...t.options.values()].map((o) => o.env?.name).filter((n): n is string => !!n);
      if (!names.some((n) => consumed.has(n))) transports.push(t);
    }
  }
  return { transports, endpoints: transports.map(endpointOf), findings: lintTransports(transports) };
}
