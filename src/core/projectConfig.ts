// The project file `.smtpdoctor.yaml`: rule severities and disabled rules that live with the code, so the
// CLI in CI and the editor agree. It is checked like any config: problems in it are findings on it.
//
//   rules:
//     postfix/relayhost-mx-lookup: off
//     nodemailer/hardcoded-credentials: error
//   postfix:
//     version: "3.7"
//   exclude:
//     - legacy/**
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Finding, RuleMeta, RuleSeverityOverrides, Severity, SourceFile } from './model';
import { releaseProblem } from './sources/postfix/postfixVersion';
import { nearest } from './suggest';

export const PROJECT_FILE_NAMES: readonly string[] = ['.smtpdoctor.yaml', '.smtpdoctor.yml'];

export const PROJECT_FILE_RULE: RuleMeta = {
  id: 'config/project-file',
  description: 'A setting in .smtpdoctor.yaml that SMTP Doctor cannot use (bad YAML, an unknown rule id, a bad severity).',
  defaultSeverity: 'warning',
  fixable: true,
};

const VALUES: readonly (Severity | 'off')[] = ['error', 'warning', 'information', 'hint', 'off'];
const TOP_LEVEL_KEYS = ['rules', 'postfix', 'exclude'];

export interface ProjectConfig {
  readonly file: string;
  /** The severities it sets; rules it turns off map to 'off'. */
  readonly rules: RuleSeverityOverrides;
  /** postfix.version: the Postfix release the project's configurations are for. */
  readonly postfixVersion?: string;
  /** Globs of paths (relative to the project file's folder) that are not checked. */
  readonly exclude?: readonly string[];
  /** What is wrong in the file itself. */
  readonly findings: readonly Finding[];
}

export function isProjectFile(path: string): boolean {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  return PROJECT_FILE_NAMES.includes(name);
}

/** Reads a project file; `knownRules` are the rule ids a name must be one of. Never throws. */
export function parseProjectConfig(source: SourceFile, knownRules: readonly string[]): ProjectConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const findings: Finding[] = [];
  const rangeOf = (from: number, to: number) => {
    const a = lineCounter.linePos(from);
    const b = lineCounter.linePos(Math.max(from, to));
    return { start: { line: a.line - 1, character: a.col - 1 }, end: { line: b.line - 1, character: b.col - 1 } };
  };
  const report = (from: number, to: number, message: string, fix?: { title: string; newText: string }, details?: string) =>
    findings.push({
      ruleId: PROJECT_FILE_RULE.id,
      severity: PROJECT_FILE_RULE.defaultSeverity,
      file: source.file,
      range: rangeOf(from, to),
      message,
      ...(details ? { details } : {}),
      fixes: fix && [{ title: fix.title, preferred: true, edits: [{ range: rangeOf(from, to), newText: fix.newText }] }],
    });

  for (const e of doc.errors) {
    const first = e.message.split('\n')[0];
    const short = first.length > 70 ? first.slice(0, 69) + '…' : first;
    report(e.pos[0], e.pos[1], `.smtpdoctor.yaml does not parse (${short}); fix the YAML.`, undefined, `${e.message} SMTP Doctor ignores the file until it parses.`);
  }
  if (doc.errors.length) return { file: source.file, rules: {}, findings };

  const rules: Record<string, Severity | 'off'> = {};
  let postfixVersion: string | undefined;
  const exclude: string[] = [];
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { file: source.file, rules, findings };
  if (!isMap(root)) {
    const [from, to] = root.range ?? [0, 0];
    report(from, to, '.smtpdoctor.yaml must be a mapping with a "rules" key; write "rules:" and the rule ids under it.');
    return { file: source.file, rules, findings };
  }
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const [kFrom, kTo] = (isScalar(pair.key) && pair.key.range) || [0, 0];
    if (!TOP_LEVEL_KEYS.includes(key)) {
      report(kFrom, kTo, `Unknown key "${key}" in .smtpdoctor.yaml; it has: ${TOP_LEVEL_KEYS.join(', ')}.`);
      continue;
    }
    const value = pair.value;
    if (value === null || (isScalar(value) && value.value === null)) continue;
    if (key === 'postfix') {
      postfixVersion = readPostfixSection(value, kFrom, kTo, report) ?? postfixVersion;
      continue;
    }
    if (key === 'exclude') {
      const items = isSeq(value) ? value.items : [value];
      for (const item of items) {
        if (isScalar(item) && typeof item.value === 'string' && item.value.trim()) exclude.push(item.value.trim());
        else {
          const [from, to] = (item as unknown as { range?: number[] }).range ?? [kFrom, kTo];
          report(from, to, '"exclude" takes glob patterns, e.g. - "legacy/**".');
        }
      }
      continue;
    }
    if (!isMap(value)) {
      const [from, to] = value.range ?? [kFrom, kTo];
      report(from, to, '"rules" must map rule ids to a severity (error, warning, information, hint) or off.');
      continue;
    }
    for (const rule of value.items) {
      const id = isScalar(rule.key) ? String(rule.key.value) : '';
      const [idFrom, idTo] = (isScalar(rule.key) && rule.key.range) || [kFrom, kTo];
      if (!knownRules.includes(id)) {
        const guess = nearest(id, knownRules);
        report(idFrom, idTo, `Unknown rule "${id}".${guess ? ` Did you mean "${guess}"?` : ''} Run \`smtp-doctor rules\` for the list.`, guess ? { title: `Change to "${guess}"`, newText: guess } : undefined);
        continue;
      }
      const raw = isScalar(rule.value) ? rule.value.value : undefined;
      // YAML 1.1 habits: `false` and `no` mean off too.
      const text = typeof raw === 'string' ? raw.toLowerCase() : undefined;
      const setting = raw === false || text === 'no' || text === 'false' ? 'off' : text;
      if (setting && (VALUES as string[]).includes(setting)) {
        rules[id] = setting as Severity | 'off';
        continue;
      }
      const [vFrom, vTo] = (isScalar(rule.value) && rule.value.range) || [idFrom, idTo];
      report(vFrom, vTo, `"${id}" must be one of ${VALUES.join(', ')}, not ${raw === undefined ? 'that' : JSON.stringify(raw)}.`);
    }
  }
  return { file: source.file, rules, postfixVersion, exclude, findings };
}

/** `postfix: { version: "3.7" }`; reports what is wrong and returns the version when it is usable. */
function readPostfixSection(value: unknown, kFrom: number, kTo: number, report: (from: number, to: number, message: string) => void): string | undefined {
  if (!isMap(value)) {
    report(kFrom, kTo, '"postfix" must be a mapping, e.g. postfix: { version: "3.7" }.');
    return undefined;
  }
  let version: string | undefined;
  for (const item of value.items) {
    const name = isScalar(item.key) ? String(item.key.value) : '';
    const [from, to] = (isScalar(item.key) && item.key.range) || [kFrom, kTo];
    if (name !== 'version') {
      report(from, to, `Unknown key "${name}" under "postfix"; it has: version.`);
      continue;
    }
    const raw = isScalar(item.value) ? item.value.value : undefined;
    // YAML reads 3.10 as the number 3.1: ask for quotes rather than guess.
    const [vFrom, vTo] = (isScalar(item.value) && item.value.range) || [from, to];
    if (typeof raw === 'number') {
      report(vFrom, vTo, `Write the Postfix version in quotes ("${raw}"): YAML reads 3.10 as the number 3.1.`);
      if (!releaseProblem(String(raw))) version = String(raw);
      continue;
    }
    const problem = typeof raw === 'string' ? releaseProblem(raw) : 'the version must be a string such as "3.7"';
    if (problem) report(vFrom, vTo, `postfix.version: ${problem}.`);
    else version = raw as string;
  }
  return version;
}
