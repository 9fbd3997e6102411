import type { SourceFile } from '../model';
import { type MacroReference, expandValue, findReferences } from './macros';
import { type MainCf, type MainCfParameter, parseMainCf } from './mainCf';
import { type MasterCf, type MasterCfService, parseMasterCf, serviceName, serviceType } from './masterCf';
import { PER_TRANSPORT_SUFFIXES, POSTFIX_DEFAULTS } from './parameters.generated';

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
 * One Postfix configuration directory: its main.cf and master.cf (either may be missing), with the
 * name resolution both files share. This is what Postfix rules look at.
 */
export interface PostfixInstance {
  readonly main?: MainCf;
  readonly master?: MasterCf;
  /** The files next to main.cf, when the caller could list them (the core reads no disk); undefined = unknown. */
  readonly configDirFiles?: ConfigDirFiles;
  /** Whether Postfix knows `name` as a built-in or per-transport parameter. */
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

export function parsePostfixInstance(files: { main?: SourceFile; master?: SourceFile; configDirFiles?: ConfigDirFiles }): PostfixInstance {
  const main = files.main ? parseMainCf(files.main) : undefined;
  const master = files.master ? parseMasterCf(files.master) : undefined;
  return buildInstance(main, master, files.configDirFiles);
}

export function buildInstance(main: MainCf | undefined, master: MasterCf | undefined, configDirFiles?: ConfigDirFiles): PostfixInstance {
  const transports = new Set<string>();
  const overridden = new Set<string>();
  const referenced = new Set<string>();
  const refsByParam = new Map<MainCfParameter, MacroReference[]>();

  for (const s of master?.services ?? []) {
    if (isDeliveryService(s)) transports.add(serviceName(s));
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
  // Names listed in smtpd_restriction_classes are user-defined restriction lists Postfix accepts.
  const classes = main?.effective.get('smtpd_restriction_classes')?.value ?? '';
  const restrictionClasses = new Set(classes.split(/[\s,]+/).filter(Boolean));

  const isKnownParameter = (name: string): boolean => {
    if (POSTFIX_DEFAULTS.has(name) || restrictionClasses.has(name)) return true;
    for (const suffix of PER_TRANSPORT_SUFFIXES) {
      if (name.endsWith(suffix) && transports.has(name.slice(0, -suffix.length))) return true;
    }
    return false;
  };
  const rawValue = (name: string) => main?.effective.get(name)?.value ?? POSTFIX_DEFAULTS.get(name);
  return {
    main,
    master,
    configDirFiles,
    isKnownParameter,
    isUsedParameter: (name) => isKnownParameter(name) || referenced.has(name) || overridden.has(name),
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

/** Services that run a delivery agent (their names get per-transport parameters). */
function isDeliveryService(s: MasterCfService): boolean {
  return serviceType(s) === 'unix' && ['smtp', 'lmtp', 'local', 'virtual', 'pipe', 'error', 'discard'].includes(s.fields[7]?.text ?? '');
}
