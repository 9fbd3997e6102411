// One entry point for every static check: Postfix instances and application transports, findings and
// the endpoints the live checks will probe.
import { AppLinter, isAppConfigPath, isProjectManifest, lintAppFiles, mayHoldAppTransport } from './appLint';
import { isEnvFileName } from './nodemailer/envFiles';
import type { ModuleLoader } from './nodemailer/extractFromScript';
import { type DkimSelector, findDkimSelectors, isDkimConfigPath } from './dkim/selectors';
import { configKindOfPath } from './discover';
import { MAX_APP_FILE_BYTES } from './limits';
import type { Endpoint, Finding } from './model';
import type { TransportDefinition } from './nodemailer/transport';
import type { PostfixInstance } from './postfix/instance';
import { type LintInput, type PostfixLintOptions, SKIPPED_FILE_RULE, lintPostfixGroups } from './workspaceLint';

export interface CheckResult {
  readonly findings: Finding[];
  readonly endpoints: Endpoint[];
  /** What the live checks start from: parsed Postfix configurations and application transports. */
  readonly postfixInstances: PostfixInstance[];
  readonly transports: TransportDefinition[];
  /** DKIM selectors the signing setups (nodemailer dkim, OpenDKIM, rspamd) use; dkimTargets() makes live targets of them. */
  readonly dkimSelectors: DkimSelector[];
}

export { MAX_APP_FILE_BYTES };

/** Whether the checks read this path at all (by name; content is sniffed later). */
export function isCheckedPath(path: string): boolean {
  return configKindOfPath(path) !== undefined || isAppConfigPath(path);
}

export function checkFiles(files: readonly LintInput[], options: PostfixLintOptions = {}): CheckResult {
  // A file named on the command line that no application reader takes is read as Postfix, which says why it is skipped if it is not.
  const postfix = files.filter((f) => f.kind || configKindOfPath(f.file) || (f.explicit && !isAppConfigPath(f.file)));
  const app = files.filter(
    (f) => !f.kind && !configKindOfPath(f.file) && isAppConfigPath(f.file) && (f.byteLength ?? f.text.length) <= MAX_APP_FILE_BYTES && !f.text.slice(0, 8192).includes('\u0000'),
  );
  const p = lintPostfixGroups(postfix, options);
  const a = lintAppFiles(app);
  return {
    findings: [...p.findings, ...a.findings],
    endpoints: [...p.endpoints, ...a.endpoints],
    postfixInstances: p.instances,
    transports: a.transports,
    dkimSelectors: findDkimSelectors(app, a.transports),
  };
}

/** What a streamed check also hands back: how many files were read as configuration. */
export interface StreamedCheckResult extends CheckResult {
  readonly checkedFiles: number;
}

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
  // As in checkFiles: a file named on the command line that no application reader takes is read as Postfix.
  const isPostfix = (f: LintInput) => Boolean(f.kind || configKindOfPath(f.file) || (f.explicit && !isAppConfigPath(f.file)));
  const postfix = eager.filter(isPostfix);
  const app = eager.filter((f) => !isPostfix(f));
  const linter = new AppLinter(
    app.filter((f) => isEnvFileName(f.file) || isProjectManifest(f.file)),
    loader,
  );
  let checkedFiles = app.filter((f) => isEnvFileName(f.file) || isDkimConfigPath(f.file)).length;
  for (const c of candidates) {
    if (c.size > MAX_APP_FILE_BYTES) continue;
    const text = read(c.file, (t) => mayHoldAppTransport(c.file, t));
    if (text === undefined || text.slice(0, 8192).includes('\u0000')) continue;
    checkedFiles++;
    linter.add(linter.extract({ file: c.file, text }));
  }
  const p = lintPostfixGroups(postfix, options);
  // A file named on the command line that is not read as Postfix after all says why (config/skipped-file).
  const skipped = new Set(p.findings.filter((f) => f.ruleId === SKIPPED_FILE_RULE.id).map((f) => f.file));
  checkedFiles += postfix.filter((f) => configKindOfPath(f.file) || !skipped.has(f.file)).length;
  const a = linter.finish();
  return {
    findings: [...p.findings, ...a.findings],
    endpoints: [...p.endpoints, ...a.endpoints],
    postfixInstances: p.instances,
    transports: a.transports,
    dkimSelectors: findDkimSelectors(app.filter((f) => isDkimConfigPath(f.file)), a.transports),
    checkedFiles,
  };
}
