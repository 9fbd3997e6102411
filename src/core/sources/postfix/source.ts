// Postfix main.cf and master.cf (and their templates and copies) as a configuration source: the files are
// grouped into instances (a main.cf with its master.cf), linted, and their relayhosts become endpoints.
import { configKindOfPath } from '../../discover';
import type { ConfigSource, EditorLanguage, ScanReading } from '../source';
import { POSTFIX_RULES } from './rules';
import { type LintInput, SKIPPED_FILE_RULE, lintPostfixGroups, sniffKind } from '../../workspaceLint';

const READ_UP_FRONT: ScanReading = { upFront: true };

const MAIN_CF: EditorLanguage = {
  id: 'postfix-main',
  aliases: ['Postfix main.cf', 'postfix-main'],
  filenames: ['main.cf'],
  filenamePatterns: ['**/postfix/**/*.cf', 'main.cf.*', 'main.cf-*', '*[._-]main.cf', '*[._-]main.cf.*', '*[._-]main_cf.*'],
};

const MASTER_CF: EditorLanguage = {
  id: 'postfix-master',
  aliases: ['Postfix master.cf', 'postfix-master'],
  filenames: ['master.cf'],
  filenamePatterns: ['master.cf.*', 'master.cf-*', '*[._-]master.cf', '*[._-]master.cf.*', '*[._-]master_cf.*'],
};

export const POSTFIX_SOURCE: ConfigSource = {
  id: 'postfix',
  discovery: 'workspace',
  globs: [
    '**/main.cf',
    '**/master.cf',
    '**/postfix/**/*.cf',
    // Templates and copies: main.cf.j2, postfix_main.cf.erb, main.cf-el8.erb, master.cf.proto, postfix_main_cf.tmpl
    '**/*{main,master}{.,_}cf{.,-}*',
    '**/*[._-]{main,master}.cf',
  ],
  rules: /* @__PURE__ */ POSTFIX_RULES.map((r) => r.meta),
  editor: {
    languages: [MAIN_CF, MASTER_CF],
    documentLanguages: [],
    activationEvents: ['onLanguage:postfix-main', 'onLanguage:postfix-master', 'workspaceContains:**/main.cf', 'workspaceContains:**/master.cf'],
  },
  claims: (f) => Boolean(f.kind || configKindOfPath(f.file)),
  recognise: (path, text) => configKindOfPath(path) !== undefined || sniffKind(text) !== undefined,
  scanReading: (path) => (configKindOfPath(path) ? READ_UP_FRONT : undefined),
  // Huge or binary files are taken, to say why they are not checked (config/skipped-file).
  takesUnclaimedExplicitFiles: true,
  open(files: readonly LintInput[], context) {
    return {
      finish() {
        const p = lintPostfixGroups(files, context.options);
        // A file named on the command line that is not read as Postfix after all says why (config/skipped-file) and is not counted.
        const skipped = new Set(p.findings.filter((f) => f.ruleId === SKIPPED_FILE_RULE.id).map((f) => f.file));
        return {
          findings: p.findings,
          endpoints: p.endpoints,
          postfixInstances: p.instances,
          checkedFiles: files.filter((f) => configKindOfPath(f.file) || !skipped.has(f.file)).length,
        };
      },
    };
  },
};
