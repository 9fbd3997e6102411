import { type ConfigKind, configKindOfPath, instanceKey, isLookupTableConfig, isNamedMainCf, mapConfigFileNames, unreadableReason } from './discover';
import type { Endpoint, Finding, RuleMeta, SourceFile } from './model';
import { type ConfigDirFiles, type PostfixInstance, parsePostfixInstance } from './postfix/instance';
import { relayhostEndpoints } from './postfix/relayhost';
import { parseMainCf } from './postfix/mainCf';
import { lintPostfixInstance } from './postfix/lintPostfix';
import { POSTFIX_DEFAULTS } from './postfix/parameters.generated';

export const SKIPPED_FILE_RULE: RuleMeta = {
  id: 'config/skipped-file',
  description: 'A configuration file that was not checked because it is binary or too large.',
  defaultSeverity: 'information',
  fixable: false,
};

/**
 * A file to lint; `kind` forces how it is read (e.g. the language the editor has for it). On a main.cf,
 * `configDirFiles` lists the files next to it (what postfix/map-not-built compares), when the caller can.
 */
export type LintInput = SourceFile & { readonly byteLength?: number; readonly kind?: ConfigKind; readonly configDirFiles?: ConfigDirFiles };

/** Every static finding for a set of files: Postfix files are grouped by directory (main.cf + master.cf). */
export function lintSourceFiles(files: readonly LintInput[]): Finding[] {
  return lintPostfixGroups(files).findings;
}

/** Findings, relayhost endpoints and parsed instances of the Postfix configurations among `files`. */
export function lintPostfixGroups(files: readonly LintInput[]): { findings: Finding[]; endpoints: Endpoint[]; instances: PostfixInstance[] } {
  const findings: Finding[] = [];
  const endpoints: Endpoint[] = [];
  const instances: PostfixInstance[] = [];
  const groups = new Map<string, { main?: LintInput; master?: LintInput }>();
  // Files a main.cf names as lookup-table configs (ldap:/etc/postfix/ldap-users.cf), by folder.
  const mapConfigs = new Map<string, Set<string>>();
  for (const f of files) {
    if (isNamedMainCf(f.file) && !unreadableReason(f.text, f.byteLength)) mapConfigs.set(instanceKey(f.file), mapConfigFileNames(f.text));
  }
  for (const f of files) {
    const kind = f.kind ?? configKindOfPath(f.file);
    if (!kind) continue;
    const reason = unreadableReason(f.text, f.byteLength);
    if (reason) {
      findings.push({
        ruleId: SKIPPED_FILE_RULE.id,
        severity: SKIPPED_FILE_RULE.defaultSeverity,
        file: f.file,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: reason,
      });
      continue;
    }
    if (kind === 'postfix-main') {
      const named = isNamedMainCf(f.file);
      // A lookup-table config is never main.cf, even where the editor calls it one (a *.cf under postfix/).
      if (!named && (isMapConfig(f) || mapConfigs.get(instanceKey(f.file))?.has(baseNameOf(f.file)))) continue;
      if (!named && !f.kind && !looksLikeMainCf(f.text)) continue;
      const key = instanceKey(f.file) + (named ? '' : '\u0000' + f.file);
      groups.set(key, { ...groups.get(key), main: f });
    } else {
      const key = instanceKey(f.file);
      groups.set(key, { ...groups.get(key), master: f });
    }
  }
  for (const group of groups.values()) {
    const instance = parsePostfixInstance({ ...group, configDirFiles: group.main?.configDirFiles });
    instances.push(instance);
    findings.push(...lintPostfixInstance(instance));
    endpoints.push(...relayhostEndpoints(instance));
  }
  return { findings, endpoints, instances };
}

/** Whether a file is an ldap:/mysql:/pgsql:/sqlite:/memcache: client config (its password must stay unread). */
export function isMapConfig(f: SourceFile): boolean {
  return !isNamedMainCf(f.file) && isLookupTableConfig(f.text, (name) => POSTFIX_DEFAULTS.has(name));
}

function baseNameOf(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/**
 * Whether a `*.cf` file that is not named main.cf holds main.cf parameters (an alternate main.cf), as
 * opposed to a lookup-table client config (mysql:/ldap:/pgsql: files use `hosts`, `query`, ...).
 */
export function looksLikeMainCf(text: string): boolean {
  const params = parseMainCf({ file: '', text }).parameters;
  if (params.length === 0) return false;
  const known = params.filter((p) => POSTFIX_DEFAULTS.has(p.name)).length;
  return known * 2 >= params.length;
}
