import { isDkimConfigPath } from './dkim/selectors';
import { isOwnReport } from './discover';
import type { Endpoint, Finding, SourceFile } from './model';
import { type EnvFile, EnvResolver, isEnvFileName, parseEnvFile } from './nodemailer/envFiles';
import { endpointOf } from './nodemailer/effectiveTransport';
import { extractConfigTransports, isConfigFile } from './nodemailer/extractFromConfig';
import { extractEnvTransports } from './nodemailer/extractFromEnvFile';
import { extractScriptTransports, isScriptFile, mayDefineTransport } from './nodemailer/extractFromScript';
import { lintTransports } from './nodemailer/lintTransports';
import type { TransportDefinition } from './nodemailer/transport';

export interface AppLintResult {
  readonly transports: TransportDefinition[];
  readonly endpoints: Endpoint[];
  readonly findings: Finding[];
}

/** Transports extracted per file, reused while neither the file nor any .env file changed. */
export type TransportCache = Map<string, { readonly text: string; readonly envKey: string; readonly transports: TransportDefinition[] }>;

/** Whether a file's text may define a transport, decided without parsing (keeps big workspaces cheap). */
export function mayHoldAppTransport(path: string, text: string): boolean {
  if (isEnvFileName(path) || isDkimConfigPath(path)) return true;
  if (isScriptFile(path)) return mayDefineTransport(text);
  // Our own reports (Export Report, --format json/sarif) name every host they checked: never read them as config.
  if (isConfigFile(path)) return /smtp|mail|transport/i.test(text) && !isOwnReport(text);
  return false;
}

/** Whether a path is something the application-settings extractors read (DKIM signing setups included: their selectors). */
export function isAppConfigPath(path: string): boolean {
  return isEnvFileName(path) || isScriptFile(path) || isConfigFile(path) || isDkimConfigPath(path);
}

/**
 * Finds every outgoing-mail transport in application files (JS/TS, JSON/YAML, .env), resolves
 * process.env values from the .env files among `files`, and lints them. `cache` keeps extractions of
 * files that did not change (the editor re-lints on every keystroke).
 */
export function lintAppFiles(files: readonly SourceFile[], cache?: TransportCache): AppLintResult {
  const envFiles: { source: SourceFile; parsed: EnvFile }[] = [];
  for (const f of files) if (isEnvFileName(f.file)) envFiles.push({ source: f, parsed: parseEnvFile(f) });
  const resolver = new EnvResolver(envFiles.map((e) => e.parsed));

  // Any change to a .env file can change every process.env value, so it invalidates the cache.
  const envKey = envFiles.map((e) => `${e.source.file}\u0000${e.source.text}`).join('\u0001');
  const transports: TransportDefinition[] = [];
  for (const f of files) {
    const cached = cache?.get(f.file);
    if (cached && cached.text === f.text && cached.envKey === envKey) {
      transports.push(...cached.transports);
      continue;
    }
    let found: TransportDefinition[] = [];
    try {
      if (isScriptFile(f.file)) found = extractScriptTransports(f, resolver);
      else if (isConfigFile(f.file)) found = extractConfigTransports(f, resolver);
    } catch {
      // A file we cannot read is not a finding of ours; the language's own tools report syntax errors.
    }
    cache?.set(f.file, { text: f.text, envKey, transports: found });
    transports.push(...found);
  }
  // A .env file read by code already shows up through that code; on its own only when nothing reads it.
  const consumed = new Set<string>();
  for (const t of transports) for (const o of t.options.values()) if (o.env) consumed.add(o.env.name);
  for (const e of envFiles) {
    for (const t of extractEnvTransports(e.source, e.parsed)) {
      const names = [...t.options.values()].map((o) => o.env?.name).filter((n): n is string => !!n);
      if (!names.some((n) => consumed.has(n))) transports.push(t);
    }
  }
  return { transports, endpoints: transports.map(endpointOf), findings: lintTransports(transports) };
}
