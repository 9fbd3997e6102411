// One entry point for every static check: Postfix instances and application transports, findings and
// the endpoints the live checks will probe.
import { isAppConfigPath, lintAppFiles } from './appLint';
import { type DkimSelector, findDkimSelectors } from './dkim/selectors';
import { configKindOfPath } from './discover';
import type { Endpoint, Finding } from './model';
import type { TransportDefinition } from './nodemailer/transport';
import type { PostfixInstance } from './postfix/instance';
import { type LintInput, type PostfixLintOptions, lintPostfixGroups } from './workspaceLint';

export interface CheckResult {
  readonly findings: Finding[];
  readonly endpoints: Endpoint[];
  /** What the live checks start from: parsed Postfix configurations and application transports. */
  readonly postfixInstances: PostfixInstance[];
  readonly transports: TransportDefinition[];
  /** DKIM selectors the signing setups (nodemailer dkim, OpenDKIM, rspamd) use; dkimTargets() makes live targets of them. */
  readonly dkimSelectors: DkimSelector[];
}

/** Application files larger than this are generated or minified code, not configuration. */
export const MAX_APP_FILE_BYTES = 1024 * 1024;

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
