// The rule tables of README.md and docs/rules/README.md, produced from rule metadata so that adding or
// changing a rule cannot leave a table stale. `npm run docs:rules` writes them; a unit test compares.
import { markdownTableCell } from '../escape';
import type { RuleMeta } from '../model';

/** The rule namespaces (an id's part before "/") in catalogue order: docs/rules/README.md has a table for each. */
export function ruleNamespaces(metas: readonly RuleMeta[]): string[] {
  return [...new Set(metas.map((m) => m.id.split('/')[0]))];
}

/** The command that rewrites the generated tables, named in the marker comments and in test failures. */
export const RULE_TABLES_COMMAND = 'npm run docs:rules';

/** README.md's table: every rule, linked from the repository root, with a ✓ for a quick fix. */
export function readmeRuleTable(metas: readonly RuleMeta[]): string {
  const rows = metas.map((m) => `| [\`${m.id}\`](docs/rules/${m.id}.md) | ${m.defaultSeverity} | ${m.fixable ? '✓' : ''} | ${markdownTableCell(m.description)} |`);
  return ['| Rule | Severity | Fix | Finds |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** docs/rules/README.md's table for one namespace, linked relative to docs/rules/. */
export function ruleIndexTable(metas: readonly RuleMeta[], namespace: string): string {
  const rows = metas
    .filter((m) => m.id.startsWith(`${namespace}/`))
    .map((m) => `| [${m.id}](${m.id}.md) | ${m.defaultSeverity} | ${m.fixable ? 'yes' : 'no'} | ${markdownTableCell(m.description)} |`);
  return ['| Rule | Default severity | Quick fix | What it reports |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

const openMarker = (name: string) => `<!-- rule-table:${name} (generated from rule metadata by \`${RULE_TABLES_COMMAND}\`; do not edit) -->`;
const closeMarker = (name: string) => `<!-- /rule-table:${name} -->`;

/**
 * `text` with the block between the `name` markers replaced by `body` (the opening marker is rewritten
 * in its canonical form). Throws when a marker is missing, so a deleted one is noticed, not skipped.
 */
export function replaceRuleTable(text: string, name: string, body: string): string {
  const open = new RegExp(`<!-- rule-table:${name}(?= |-->)[^\\n]*-->\\n`).exec(text);
  const close = open ? text.indexOf(closeMarker(name), open.index) : -1;
  if (!open || close < 0) throw new Error(`no "<!-- rule-table:${name} -->" … "${closeMarker(name)}" block`);
  return text.slice(0, open.index) + `${openMarker(name)}\n${body}\n` + text.slice(close);
}

/** README.md with its rule table regenerated. */
export function withReadmeRuleTable(readme: string, metas: readonly RuleMeta[]): string {
  return replaceRuleTable(readme, 'all', readmeRuleTable(metas));
}

/**
 * docs/rules/README.md with every namespace's table regenerated; a namespace without a table yet (a new
 * configuration language's) gets its own section at the end, to be given a better heading by hand.
 */
export function withRuleIndexTables(index: string, metas: readonly RuleMeta[]): string {
  return ruleNamespaces(metas).reduce((text, ns) => {
    const table = ruleIndexTable(metas, ns);
    if (text.includes(`<!-- rule-table:${ns} `) || text.includes(`<!-- rule-table:${ns}-->`)) return replaceRuleTable(text, ns, table);
    return `${text.replace(/\n*$/, '\n')}\n## ${ns}/ rules\n\n${openMarker(ns)}\n${table}\n${closeMarker(ns)}\n`;
  }, index);
}
