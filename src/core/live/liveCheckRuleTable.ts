// How liveCheckRules.generated.ts is made: the rules each check declares in its own file (an AuthCheck's
// `rules`, or a `rules` export of the module a check loads), by check id, written as a module the registry
// imports, so listing a check's rules (the `rules` command, the rule tables, the editor) does not load the
// check's code. scripts/generate-live-check-rules.js writes it from the loaded checks; a unit test fails
// when the committed file differs.
import type { RuleMeta } from '../model';
import type { LiveCheck } from './liveCheck';

/** Each check's rules, by check id, in the registry's order. */
export type LiveCheckRuleTable = Readonly<Record<string, readonly RuleMeta[]>>;

export const LIVE_CHECK_RULES_FILE = 'src/core/live/liveCheckRules.generated.ts';

/** The rules a check's loaded code declares; undefined when its registry entry writes them (liveRules.ts, serverRules.ts). */
function rulesInCode(code: unknown): readonly RuleMeta[] | undefined {
  const rules = (code as { rules?: unknown } | undefined)?.rules;
  return Array.isArray(rules) ? rules : undefined;
}

/** The table of every check whose code declares its rules, loading each check. */
export async function liveCheckRuleTable(checks: readonly LiveCheck[]): Promise<LiveCheckRuleTable> {
  const declared = await Promise.all(checks.map(async (c) => [c.id, rulesInCode(await c.load())] as const));
  return Object.fromEntries(declared.filter((d): d is readonly [string, readonly RuleMeta[]] => d[1] !== undefined));
}

/** A string as a TypeScript literal: single-quoted as the house writes them, JSON-escaped when it needs escapes. */
const literal = (s: string): string => (/['\\\n\r\u2028\u2029]/.test(s) ? JSON.stringify(s) : `'${s}'`);

/** One rule as the liveRuleMeta call that makes it again; a live rule is id, severity and description, never fixable. */
function ruleCall(checkId: string, rule: RuleMeta): string {
  const keys = Object.keys(rule).sort().join(',');
  if (keys !== 'defaultSeverity,description,fixable,id' || rule.fixable) throw new Error(`live check "${checkId}": rule ${rule.id} is not a liveRuleMeta (id, severity, description; no fix)`);
  return `liveRuleMeta(${literal(rule.id)}, ${literal(rule.defaultSeverity)}, ${literal(rule.description)})`;
}

/** The text of liveCheckRules.generated.ts for a table. */
export function liveCheckRuleModule(table: LiveCheckRuleTable): string {
  const checks = Object.entries(table).map(([name, rules]) => `  ${/^[a-z_][a-z0-9_]*$/i.test(name) ? name : literal(name)}: [\n${rules.map((r) => `    ${ruleCall(name, r)},\n`).join('')}  ],\n`);
  return [
    `// Generated from the rules each live check declares in its own file (e.g. live/mailAuth/<check>.ts) by`,
    `// scripts/generate-live-check-rules.js (after npm run compile-tests); do not edit. The registry reads its`,
    `// checks' rules here, so listing them does not load the checks' code.`,
    `import type { RuleMeta } from '../model';`,
    `import { liveRuleMeta } from './liveRules';`,
    ``,
    `export const LIVE_CHECK_RULES: Readonly<Record<string, readonly RuleMeta[]>> = {`,
    `${checks.join('')}};`,
    ``,
  ].join('\n');
}
