import { type ConfigKind, configKindOfPath, instanceKey, isLookupTableConfig, isNamedMainCf, mapConfigFileNames, partnerKey, unreadableReason } from './discover';
import type { Endpoint, Finding, RuleMeta, SourceFile } from './model';
import { type ConfigDirFiles, type PostfixInstance, parsePostfixInstance } from './sources/postfix/instance';
import { relayhostEndpoints } from './sources/postfix/relayhost';
import { parseMainCf } from './sources/postfix/mainCf';
import { lintPostfixInstance } from './sources/postfix/lintPostfix';
import { splitLogicalLines } from './sources/postfix/logicalLines';
import { POSTFIX_DEFAULTS } from './sources/postfix/parameters.generated';
import { PARAMETER_VERSIONS } from './sources/postfix/versions.generated';

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
export type LintInput = SourceFile & {
  readonly byteLength?: number;
  readonly kind?: ConfigKind;
  readonly configDirFiles?: ConfigDirFiles;
  /** Named by the user (a CLI argument): if it is not checked, a finding says why instead of silence. */
  readonly explicit?: boolean;
};

/** Options that apply to every Postfix configuration of a run. */
export interface PostfixLintOptions {
  /** The Postfix release the user says the files are for, and where they said it. */
  readonly postfixVersion?: { readonly version: string; readonly why: string };
}

/** Every static finding for a set of files: Postfix files are grouped by directory (main.cf + master.cf). */
export function lintSourceFiles(files: readonly LintInput[], options: PostfixLintOptions = {}): Finding[] {
  return lintPostfixGroups(files, options).findings;
}

/** A finding that a file was not checked, and why. */
export function skippedFile(file: string, message: string): Finding {
  return {
    ruleId: SKIPPED_FILE_RULE.id,
    severity: SKIPPED_FILE_RULE.defaultSeverity,
    file,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    message,
  };
}

/** Findings, relayhost endpoints and parsed instances of the Postfix configurations among `files`. */
export function lintPostfixGroups(files: readonly LintInput[], options: PostfixLintOptions = {}): { findings: Finding[]; endpoints: Endpoint[]; instances: PostfixInstance[] } {
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
    const kind = f.kind ?? configKindOfPath(f.file) ?? (f.explicit ? sniffKind(f.text) : undefined);
    if (!kind) {
      if (f.explicit) findings.push(skippedFile(f.file, 'Not checked: neither its name nor its content says it is a Postfix main.cf or master.cf.'));
      continue;
    }
    const reason = unreadableReason(f.text, f.byteLength);
    if (reason) {
      findings.push(skippedFile(f.file, reason));
      continue;
    }
    if (kind === 'postfix-main') {
      const named = isNamedMainCf(f.file);
      // A lookup-table config is never main.cf, even where the editor calls it one (a *.cf under postfix/).
      if (!named && (isMapConfig(f) || mapConfigs.get(instanceKey(f.file))?.has(baseNameOf(f.file)))) continue;
      if (!named && !f.kind && !looksLikeMainCf(f.text)) {
        if (f.explicit) findings.push(skippedFile(f.file, 'Not checked: fewer than half of its names are Postfix parameters, so it is not read as a main.cf.'));
        continue;
      }
      // A second main.cf for the same master.cf (main.cf next to main.cf.j2) is a configuration of its own.
      let key = instanceKey(f.file) + (named ? '' : '\u0000' + f.file);
      if (groups.get(key)?.main) key += '\u0000' + f.file;
      groups.set(key, { ...groups.get(key), main: f });
    } else {
      let key = instanceKey(f.file);
      if (groups.get(key)?.master) key += '\u0000' + f.file;
      groups.set(key, { ...groups.get(key), master: f });
    }
  }
  // Lone halves whose names differ only by a template extension belong together.
  const lone = new Map<string, { key: string; group: { main?: LintInput; master?: LintInput } }[]>();
  for (const [key, g] of groups) {
    const only = g.main && !g.master ? g.main : g.master && !g.main ? g.master : undefined;
    if (!only) continue;
    const k = partnerKey(only.file);
    lone.set(k, [...(lone.get(k) ?? []), { key, group: g }]);
  }
  for (const halves of lone.values()) {
    const mains = halves.filter((h) => h.group.main);
    const masters = halves.filter((h) => h.group.master);
    if (mains.length !== 1 || masters.length !== 1) continue;
    groups.set(mains[0].key, { main: mains[0].group.main, master: masters[0].group.master });
    groups.delete(masters[0].key);
  }
  for (const group of groups.values()) {
    const instance = parsePostfixInstance({ ...group, configDirFiles: group.main?.configDirFiles, postfixVersion: options.postfixVersion });
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
  const known = params.filter((p) => POSTFIX_DEFAULTS.has(p.name) || PARAMETER_VERSIONS.has(p.name)).length;
  return known * 2 >= params.length;
}

/** Whether most logical lines are master.cf service entries (name, a service type, then y/n/- flags). */
function looksLikeMasterCf(text: string): boolean {
  const lines = splitLogicalLines(text).lines;
  const services = lines.filter((l) => /^\S+\s+(inet|unix|unix-dgram|fifo|pass)\s+[-yn]\s+[-yn]\s+[-yn]\s/.test(l.text)).length;
  return services > 0 && services * 2 >= lines.length;
}

/** The kind of a file named explicitly whose name says nothing: from its content. */
export function sniffKind(text: string): ConfigKind | undefined {
  if (looksLikeMasterCf(text)) return 'postfix-master';
  return looksLikeMainCf(text) ? 'postfix-main' : undefined;
}
