// One entry point for every static check: each configuration source of the registry over its files, giving
// findings, the endpoints the live checks will probe and the parsed models they start from.
import type { ModuleLoader } from './sources/app/scriptModuleAnalysis';
import type { DkimSelector } from './sources/dkimSigning/selectors';
import { MAX_APP_FILE_BYTES } from './limits';
import type { Endpoint, Finding } from './model';
import type { TransportDefinition } from './sources/app/transport';
import type { PostfixInstance } from './sources/postfix/instance';
import { SOURCES, UNCLAIMED_EXPLICIT_FILE_SOURCE, isCheckedPath, scanReadingOf, sourceOf } from './sources/registry';
import type { ConfigSource, LiveTargetInputs, SourceCheck, SourceContext } from './sources/source';
import type { LintInput, PostfixLintOptions } from './workspaceLint';
import { compareDkimSelectors } from './dkimSelector';

export interface CheckResult {
  readonly findings: Finding[];
  readonly endpoints: Endpoint[];
  /** What the live checks start from: parsed Postfix configurations and application transports. */
  readonly postfixInstances: PostfixInstance[];
  readonly transports: TransportDefinition[];
  /** DKIM selectors the signing setups (nodemailer dkim, OpenDKIM, rspamd) use; dkimTargets() makes live targets of them. */
  readonly dkimSelectors: DkimSelector[];
}

export { MAX_APP_FILE_BYTES, isCheckedPath };

/** The source that reads a file; a file named on the command line that no source claims goes to the one that says why it skips it. */
function readerOf(f: LintInput): ConfigSource | undefined {
  return sourceOf(f) ?? (f.explicit ? UNCLAIMED_EXPLICIT_FILE_SOURCE : undefined);
}

const isBinary = (text: string) => text.slice(0, 8192).includes('\u0000');

/** The files of each source, in input order. */
function filesBySource(files: readonly LintInput[], keep: (f: LintInput, source: ConfigSource) => boolean): Map<ConfigSource, LintInput[]> {
  const out = new Map<ConfigSource, LintInput[]>(SOURCES.map((s) => [s, []]));
  for (const f of files) {
    const source = readerOf(f);
    if (source && keep(f, source)) out.get(source)?.push(f);
  }
  return out;
}

/** Finishes every source's check in registry order, each seeing the models of those before it. */
function finishAll(checks: ReadonlyMap<ConfigSource, SourceCheck>): CheckResult & { checkedFiles: number } {
  const findings: Finding[] = [];
  const endpoints: Endpoint[] = [];
  const models: LiveTargetInputs = { postfixInstances: [], transports: [], dkimSelectors: [] };
  let checkedFiles = 0;
  for (const check of checks.values()) {
    const c = check.finish(models);
    findings.push(...c.findings);
    endpoints.push(...c.endpoints);
    models.postfixInstances.push(...(c.postfixInstances ?? []));
    models.transports.push(...(c.transports ?? []));
    models.dkimSelectors.push(...(c.dkimSelectors ?? []));
    checkedFiles += c.checkedFiles;
  }
  // Sources add selectors in registry order; they are listed in file order.
  models.dkimSelectors.sort(compareDkimSelectors);
  return { findings, endpoints, ...models, checkedFiles };
}

export function checkFiles(files: readonly LintInput[], options: PostfixLintOptions = {}): CheckResult {
  const bySource = filesBySource(files, (f, s) => s.maxFileBytes === undefined || ((f.byteLength ?? f.text.length) <= s.maxFileBytes && !isBinary(f.text)));
  const context: SourceContext = { options };
  const { findings, endpoints, postfixInstances, transports, dkimSelectors } = finishAll(new Map(SOURCES.map((s) => [s, s.open(bySource.get(s) ?? [], context)])));
  return { findings, endpoints, postfixInstances, transports, dkimSelectors };
}

/** What a streamed check also hands back: how many files were read as configuration. */
export interface StreamedCheckResult extends CheckResult {
  readonly checkedFiles: number;
}

const NO_MODULES: ModuleLoader = () => undefined;

/**
 * The same checks as checkFiles, with the scripts and JSON/YAML files read one at a time through `read`
 * and dropped once checked, so memory does not grow with the workspace. `eager` holds what every other
 * file depends on (.env files, package manifests and lockfiles, Postfix and DKIM configurations).
 */
export function checkStreamed(
  eager: readonly LintInput[],
  candidates: readonly { readonly file: string; readonly size: number }[],
  read: (file: string, sniff: (text: string) => boolean) => string | undefined,
  loader?: ModuleLoader,
  options: PostfixLintOptions = {},
): StreamedCheckResult {
  // Lockfiles are read up front for the application settings though no source claims them as configuration.
  const upFront = new Map<ConfigSource, LintInput[]>(SOURCES.map((s) => [s, []]));
  for (const f of eager) {
    const source = readerOf(f) ?? scanReadingOf(f.file)?.source;
    if (source) upFront.get(source)?.push(f);
  }
  const context: SourceContext = { options, loader: loader ?? NO_MODULES };
  const checks = new Map(SOURCES.map((s) => [s, s.open(upFront.get(s) ?? [], context)]));
  for (const c of candidates) {
    const source = scanReadingOf(c.file)?.source;
    const check = source && checks.get(source);
    if (!source || !check?.add) continue;
    if (source.maxFileBytes !== undefined && c.size > source.maxFileBytes) continue;
    const text = read(c.file, (t) => source.recognise(c.file, t));
    if (text === undefined || isBinary(text)) continue;
    check.add({ file: c.file, text });
  }
  return finishAll(checks);
}
