import type { SourceFile } from '../../model';
import { type MacroReference, expandValue, findReferences } from './macros';
import { type MainCf, type MainCfParameter, parseMainCf } from './mainCf';
import { type MasterCf, parseMasterCf, serviceCommand, serviceName } from './masterCf';
import { POSTFIX_DEFAULTS } from './parameters.generated';
import { ASSUMED_TARGET, type PostfixTarget, compareReleases, firstRelease, inferFloor, parseRelease, targetHasParameter } from './postfixVersion';
import { isTemplated } from './template';
import { PARAMETER_VERSIONS, SERVICE_PARAMETER_SUFFIXES } from './versions.generated';

/** What the rules need to know about a file next to main.cf. */
export interface ConfigDirEntry {
  /** Last modification time, ms since the epoch (fs.Stats.mtimeMs, vscode.FileStat.mtime). */
  readonly mtimeMs: number;
}

/**
 * The regular files directly in main.cf's folder, by base name (`sasl_passwd`, `sasl_passwd.db`). A name
 * that is absent does not exist. Rules treat this folder as Postfix's config_directory.
 */
export type ConfigDirFiles = ReadonlyMap<string, ConfigDirEntry>;

/** A folder with more entries than this is not a Postfix configuration directory: callers do not list it. */
export const MAX_CONFIG_DIR_ENTRIES = 2000;

/**
 * Names Postfix's own defaults refer to (virtual_maps, fallback_relay, smtpd_client_connection_limit_exceptions,
 * ...): legacy names Postfix still honours, which postconf accepts without an "unused parameter" warning.
 */
export const IMPLICIT_NAMES: ReadonlySet<string> = new Set(
  [...POSTFIX_DEFAULTS.values()].flatMap((v) => findReferences(v).refs.map((r) => r.name)),
);

/** Defaults that changed after the release the default table comes from (3.7): [name, since, default]. */
const DEFAULT_CHANGES: readonly (readonly [string, string, string])[] = [
  ['smtpd_forbid_bare_newline', '3.9', 'normalize'],
  ['smtp_tls_security_level', '3.11', '${{$compatibility_level} <level {3.11} ? {} : {may}}'],
];

/**
 * One Postfix configuration directory: its main.cf and master.cf (either may be missing), with the
 * name resolution both files share. This is what Postfix rules look at.
 */
export interface PostfixInstance {
  readonly main?: MainCf;
  readonly master?: MasterCf;
  /** The files next to main.cf, when the caller could list them (the core reads no disk); undefined = unknown. */
  readonly configDirFiles?: ConfigDirFiles;
  /** The Postfix release the files are for (configured, inferred from the files, or the newest assumed). */
  readonly target: PostfixTarget;
  /** Whether Postfix knows `name` as a built-in, legacy or per-service parameter (in any release). */
  isKnownParameter(name: string): boolean;
  /** Known, or user-defined and used somewhere ($name or -o): what postconf does not call "unused". */
  isUsedParameter(name: string): boolean;
  /** The raw value in force: main.cf's last definition, else Postfix's default; undefined if neither. */
  rawValue(name: string): string | undefined;
  /** The value in force with every `$name` expanded. */
  effectiveValue(name: string): string | undefined;
  /** Names referenced as `$name` from any main.cf value or master.cf `-o` value. */
  readonly referencedNames: ReadonlySet<string>;
  /** Names set with `-o name=value` in master.cf. */
  readonly overriddenNames: ReadonlySet<string>;
  /** Every `$name` reference in main.cf values, per parameter statement. */
  referencesOf(p: MainCfParameter): readonly MacroReference[];
}

export interface PostfixFilesInput {
  main?: SourceFile;
  master?: SourceFile;
  configDirFiles?: ConfigDirFiles;
  /** The release the user says the files are for ("3.7", "3.7.11"), and where they said it. */
  postfixVersion?: { readonly version: string; readonly why: string };
}

export function parsePostfixInstance(files: PostfixFilesInput, options: InstanceOptions = {}): PostfixInstance {
  const main = files.main ? parseMainCf(files.main, { plain: options.plain }) : undefined;
  const master = files.master ? parseMasterCf(files.master, { plain: options.plain }) : undefined;
  return buildInstance(main, master, files.configDirFiles, files.postfixVersion, options);
}

export interface InstanceOptions {
  /** Read the files as Postfix does, with no template masking (what `show` prints). */
  readonly plain?: boolean;
  /**
   * Without master.cf, accept the per-service names of Postfix's standard services (smtp_*, relay_*, ...):
   * the real master.cf has them. `show` turns this off to print what `postconf -n` prints for lone main.cf.
   */
  readonly assumeStandardServices?: boolean;
}

/** The services of Postfix's stock master.cf that take per-service parameters, and their commands. */
const STANDARD_SERVICES: readonly (readonly [string, string])[] = [
  ['smtp', 'smtp'], ['relay', 'smtp'], ['local', 'local'], ['virtual', 'virtual'], ['lmtp', 'lmtp'], ['error', 'error'], ['retry', 'error'],
];

/** Every suffix a per-service parameter can have (for telling those names from the rest). */
const ALL_SERVICE_SUFFIXES = [...new Set(Object.values(SERVICE_PARAMETER_SUFFIXES).flat())];

/**
 * Names that are per-service parameters of some service (smtp_destination_concurrency_limit, bsmtp_time_limit):
 * documented or listed by `postconf -d` for one master.cf, but known only where master.cf has that service.
 * A name a daemon reads through its own table (local_destination_concurrency_limit) is a built-in.
 */
function isServiceParameterName(name: string): boolean {
  const type = PARAMETER_VERSIONS.get(name)?.[1];
  return !type && ALL_SERVICE_SUFFIXES.some((x) => name.endsWith(x) && name.length > x.length) && !IMPLICIT_NAMES.has(name);
}

/** The release to judge the files for: the configured one, else what the files need at least, else the newest. */
export function resolveTarget(main: MainCf | undefined, master: MasterCf | undefined, configured?: { version: string; why: string }): PostfixTarget {
  const release = configured && parseRelease(configured.version);
  if (release) return { release, source: 'configured', why: configured!.why };
  const names = [...(main?.effective.keys() ?? []), ...(master?.services ?? []).flatMap((s) => s.overrides.map((o) => o.name))];
  const level = main?.effective.get('compatibility_level')?.value;
  const floor = inferFloor(level !== undefined && !isTemplated(level) ? level : undefined, names);
  return floor ? { release: floor.release, source: 'inferred', why: floor.why } : ASSUMED_TARGET;
}

export function buildInstance(
  main: MainCf | undefined,
  master: MasterCf | undefined,
  configDirFiles?: ConfigDirFiles,
  configured?: { version: string; why: string },
  options: InstanceOptions = {},
): PostfixInstance {
  const overridden = new Set<string>();
  const referenced = new Set<string>();
  const refsByParam = new Map<MainCfParameter, MacroReference[]>();
  // Per-service parameter names (<service>_time_limit, <transport>_destination_concurrency_limit, ...).
  const serviceNames = new Set<string>();

  const services: readonly (readonly [string, string])[] = master
    ? master.services.map((s) => [serviceName(s), serviceCommand(s)] as const)
    : options.assumeStandardServices === false
      ? []
      : STANDARD_SERVICES;
  for (const [service, command] of services) {
    for (const suffix of SERVICE_PARAMETER_SUFFIXES[command] ?? []) serviceNames.add(service + suffix);
  }
  for (const s of master?.services ?? []) {
    for (const o of s.overrides) {
      overridden.add(o.name);
      for (const r of findReferences(o.value).refs) referenced.add(r.name);
    }
  }
  for (const p of main?.parameters ?? []) {
    const refs = findReferences(p.value).refs;
    refsByParam.set(p, refs);
    for (const r of refs) referenced.add(r.name);
  }
  // Names listed in smtpd_restriction_classes are user-defined restriction lists Postfix accepts (in a
  // template, any of its definitions may be the one rendered).
  const classes = (main?.parameters ?? []).filter((p) => p.name === 'smtpd_restriction_classes').map((p) => p.value).join(' ');
  const restrictionClasses = new Set(classes.split(/[\s,]+/).filter((w) => w && !isTemplated(w)));
  const target = resolveTarget(main, master, configured);

  const isKnownParameter = (name: string): boolean =>
    serviceNames.has(name) ||
    restrictionClasses.has(name) ||
    IMPLICIT_NAMES.has(name) ||
    ((POSTFIX_DEFAULTS.has(name) || PARAMETER_VERSIONS.has(name)) && !isServiceParameterName(name));
  const defaults = new Map<string, string>();
  for (const [name, since, value] of DEFAULT_CHANGES) {
    if (compareReleases(target.release, firstRelease(since)!) >= 0) defaults.set(name, value);
  }
  const defaultOf = (name: string) => defaults.get(name) ?? POSTFIX_DEFAULTS.get(name);
  const rawValue = (name: string) => main?.effective.get(name)?.value ?? defaultOf(name);
  return {
    main,
    master,
    configDirFiles,
    target,
    isKnownParameter,
    // As the target release's postconf sees it: a name the configured release lacks is unused there.
    isUsedParameter: (name) =>
      (isKnownParameter(name) && !(target.source === 'configured' && targetHasParameter(name, target.release) === false)) || referenced.has(name) || overridden.has(name),
    rawValue,
    effectiveValue: (name) => {
      const raw = rawValue(name);
      return raw === undefined ? undefined : expandValue(raw, rawValue);
    },
    referencedNames: referenced,
    overriddenNames: overridden,
    referencesOf: (p) => refsByParam.get(p) ?? findReferences(p.value).refs,
  };
}

