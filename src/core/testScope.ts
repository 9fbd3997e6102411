// Findings in tests, fixtures and examples are at most warnings: those files show what can go wrong on
// purpose, or set up a throw-away server, and must not fail a CI run by default (.smtpdoctor.yaml can still
// raise a rule back to error).
import type { Finding } from './model';
import { isEnvTemplate } from './sources/app/envFiles';

const TEST_DIR = /^(tests?|__tests__|specs?|__specs__|fixtures?|__fixtures__|__mocks__|mocks?|examples?|samples?|demos?|e2e|cypress|playwright|testdata|test-data|test-utils|testing|stories|__snapshots__)$/i;
const TEST_FILE = /\.(test|spec|e2e|stories|fixture)\.[cm]?[jt]sx?$|^(test|spec)[-_.]/i;

/** Whether a path (relative to the folder checked, `/` or `\` separated) is part of tests, fixtures or examples. */
export function isTestOrExamplePath(relative: string): boolean {
  const parts = relative.split(/[\\/]/).filter(Boolean);
  const name = parts.pop() ?? '';
  return parts.some((p) => TEST_DIR.test(p)) || TEST_FILE.test(name) || isEnvTemplate(name);
}

/** Errors in tests, fixtures and examples become warnings; `relative` gives a file's path inside the checked folder. */
export function capTestSeverity(findings: readonly Finding[], relative: (file: string) => string | undefined): Finding[] {
  return findings.map((f) => {
    if (f.severity !== 'error') return f;
    const rel = relative(f.file);
    return rel !== undefined && isTestOrExamplePath(rel) ? { ...f, severity: 'warning' } : f;
  });
}
