// One entry point for every static check: each configuration source of the registry over its files, giving
// findings, the endpoints the live checks will probe and the parsed models they start from.
import type { ModuleLoader } from './sources/app/scriptModuleAnalysis';
import type { DkimSelector } from './sources/dkimSigning/selectors';
import { MAX_APP_FILE_BYTES } from './limits';
import type { Endpoint, Finding } from './model';
import type { TransportDefinition } from './sources/app/transport';
import type { PostfixInstance } from './sources/postfix/instance';
import { SOURCES, isCheckedPath, readerOf, scanReadingOf } from './sources/registry';
import type { ConfigSource, LiveTargetInputs, SourceCheck, SourceContext, SourceContribution } from './sources/source';
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

const isBinary = (text: string) => text.slice(0, 8192).includes('\u0000');

/** The files of each source, in input order. */
function filesBySource(files: readonly LintInput[], sources: readonly ConfigSource[], keep: (f: LintInput, source: ConfigSource) => boolean): Map<ConfigSource, LintInput[]> {
  const out = new Map<ConfigSource, LintInput[]>(sources.map((s) => [s, []]));
  for (const f of files) {
    const source = readerOf(f, sources);
    if (source && keep(f, source)) out.get(source)?.push(f);
  }
  return out;
}

/** Finishes every source's check in registry order, each seeing the models of those before it. */
function finishAll(checks: ReadonlyMap<ConfigSource, SourceCheck>): CheckResult & { checkedFiles: number } {
  const result = new CheckAssembly();
  for (const check of checks.values()) result.add(check.finish(result.models));
  return result.done();
}

/**
 * One check's result from the sources' contributions, added in registry order; `models` is what the
 * sources after them see of those before.
 */
export class CheckAssembly {
  readonly findings: Finding[] = [];
  readonly endpoints: Endpoint[] = [];
  readonly models: LiveTargetInputs = { postfixInstances: [], transports: [], dkimSelectors: [] };
  checkedFiles = 0;

  add(c: SourceContribution, findings: readonly Finding[] = c.findings): void {
    this.findings.push(...findings);
    this.endpoints.push(...c.endpoints);
    this.models.postfixInstances.push(...(c.postfixInstances ?? []));
    this.models.transports.push(...(c.transports ?? []));
    this.models.dkimSelectors.push(...(c.dkimSelectors ?? []));
    this.checkedFiles += c.checkedFiles;
  }

  done(): CheckResult & { checkedFiles: number } {
    // Sources add selectors in registry order; they are listed in file order.
    const dkimSelectors = [...this.models.dkimSelectors].sort(compareDkimSelectors);
    return { findings: this.findings, endpoints: this.endpoints, postfixInstances: this.models.postfixInstances, transports: this.models.transports, dkimSelectors, checkedFiles: this.checkedFiles };
  }
}

/** Whether a source takes a file by its size and content (a source with no size limit says itself why it skips one). */
export function withinLimits(f: LintInput, source: ConfigSource): boolean {
  return source.maxFileBytes === undefined || ((f.byteLength ?? f.text.length) <= source.maxFileBytes && !isBinary(f.text));
}

export function checkFiles(files: readonly LintInput[], options: PostfixLintOptions = {}, sources: readonly ConfigSource[] = SOURCES): CheckResult {
  const bySource = filesBySource(files, sources, withinLimits);
  const context: SourceContext = { options };
  const { findings, endpoints, postfixInstances, transports, dkimSelectors } = finishAll(new Map(sources.map((s) => [s, s.open(bySource.get(s) ?? [], context)])));
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
  sources: readonly ConfigSource[] = SOURCES,
): StreamedCheckResult {
  // Lockfiles are read up front for the application settings though no source claims them as configuration.
  const upFront = new Map<ConfigSource, LintInput[]>(sources.map((s) => [s, []]));
  for (const f of eager) {
    const source = readerOf(f, sources) ?? scanReadingOf(f.file, sources)?.source;
    if (source) upFront.get(source)?.push(f);
  }
  const context: SourceContext = { options, loader: loader ?? NO_MODULES };
  const checks = new Map(sources.map((s) => [s, s.open(upFront.get(s) ?? [], context)]));
  for (const c of candidates) {
    const source = scanReadingOf(c.file, sources)?.source;
    const check = source && checks.get(source);
    if (!source || !check?.add) continue;
    if (source.maxFileBytes !== undefined && c.size > source.maxFileBytes) continue;
    const text = read(c.file, (t) => source.recognise(c.file, t));
    if (text === undefined || isBinary(text)) continue;
    check.add({ file: c.file, text });
  }
  return finishAll(checks);
}
