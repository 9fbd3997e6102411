// A rule's test as a table, in the spirit of ESLint's RuleTester: valid cases must produce no finding,
// invalid cases exactly the findings listed (rule id, range, severity, message, fixes, fixed output).
// One `it` per case, named after the case, so a failure names the snippet that broke.
import * as assert from 'assert';
import type { Finding, Severity } from '../../src/core/model';
import type { TransportRule } from '../../src/core/nodemailer/transportRule';
import type { PostfixRule } from '../../src/core/postfix/postfixRule';
import { applyFix, coveredText, lintTexts } from './helpers';
import { ENV, SCRIPT, lintScript } from './nodemailer/rules/lintScript';

/** What one expected finding must look like; fields left out are not checked. */
export interface ExpectedFinding {
  /** Defaults to the id of the rule under test. */
  readonly ruleId?: string;
  /** Start of the range, 1-based `line:column` as editors show it. */
  readonly at?: string;
  /** The exact text the range covers; with `at`, this pins the whole range. */
  readonly text?: string;
  readonly severity?: Severity;
  /** The whole message, or patterns it must match. */
  readonly message?: string | RegExp | readonly RegExp[];
  /** Titles of the fixes, in order; `[]` for a finding without a fix. */
  readonly fixes?: readonly string[];
  /** The finding's file after its first fix is applied. */
  readonly output?: string | RegExp;
  /** The related locations, in order: a file, or a file and the 1-based `line:column` where it points. */
  readonly related?: readonly (string | { readonly file: string; readonly at: string })[];
}

export interface ValidCase<Code> {
  readonly name?: string;
  readonly code: Code;
}

export interface InvalidCase<Code> {
  readonly name?: string;
  readonly code: Code;
  /** Every finding, in the order the rule reports them. */
  readonly findings: readonly ExpectedFinding[];
}

/** How a family of rules is run: lint some code, and find the text of a file a finding points into. */
export interface RuleHarness<Code> {
  lint(code: Code): Finding[];
  textOf(code: Code, file: string): string | undefined;
  /** A short label for a case without a name. */
  label(code: Code): string;
}

const position = (f: Finding) => `${f.range.start.line + 1}:${f.range.start.character + 1}`;

function checkFinding<Code>(harness: RuleHarness<Code>, ruleId: string, code: Code, actual: Finding, expected: ExpectedFinding, n: number): void {
  const what = `finding ${n + 1} (${actual.ruleId} at ${position(actual)})`;
  assert.strictEqual(actual.ruleId, expected.ruleId ?? ruleId, `${what}: rule id`);
  if (expected.at !== undefined) assert.strictEqual(position(actual), expected.at, `${what}: start`);
  const text = harness.textOf(code, actual.file);
  if (expected.text !== undefined) {
    assert.ok(text !== undefined, `${what}: no text for ${actual.file}`);
    assert.strictEqual(coveredText(text, actual), expected.text, `${what}: covered text`);
  }
  if (expected.severity !== undefined) assert.strictEqual(actual.severity, expected.severity, `${what}: severity`);
  if (typeof expected.message === 'string') assert.strictEqual(actual.message, expected.message, `${what}: message`);
  else for (const pattern of expected.message instanceof RegExp ? [expected.message] : (expected.message ?? [])) assert.match(actual.message, pattern, `${what}: message`);
  if (expected.fixes !== undefined) assert.deepStrictEqual((actual.fixes ?? []).map((x) => x.title), expected.fixes, `${what}: fix titles`);
  if (expected.output !== undefined) {
    assert.ok(text !== undefined, `${what}: no text for ${actual.file}`);
    const fixed = applyFix(text, actual);
    if (typeof expected.output === 'string') assert.strictEqual(fixed, expected.output, `${what}: fixed output`);
    else assert.match(fixed, expected.output, `${what}: fixed output`);
  }
  if (expected.related !== undefined) {
    const seen = (actual.related ?? []).map((r, i) => {
      const want = expected.related?.[i];
      return typeof want === 'object' ? { file: r.file, at: `${r.range.start.line + 1}:${r.range.start.character + 1}` } : r.file;
    });
    assert.deepStrictEqual(seen, expected.related, `${what}: related locations`);
  }
}

/** Declares one mocha test per case (call it inside a `describe`). */
export function runRuleCases<Code>(
  harness: RuleHarness<Code>,
  ruleId: string,
  cases: { readonly valid?: readonly (Code | ValidCase<Code>)[]; readonly invalid?: readonly InvalidCase<Code>[] },
): void {
  const asValid = (c: Code | ValidCase<Code>): ValidCase<Code> => (typeof c === 'object' && c !== null && 'code' in c ? (c as ValidCase<Code>) : { code: c as Code });
  for (const c of (cases.valid ?? []).map(asValid)) {
    it(`valid: ${c.name ?? harness.label(c.code)}`, () => {
      const found = harness.lint(c.code);
      assert.deepStrictEqual(found.map((f) => `${position(f)} ${f.ruleId}: ${f.message}`), [], 'expected no finding');
    });
  }
  for (const c of cases.invalid ?? []) {
    it(`invalid: ${c.name ?? harness.label(c.code)}`, () => {
      const found = harness.lint(c.code);
      assert.strictEqual(
        found.length,
        c.findings.length,
        `expected ${c.findings.length} finding(s), got ${found.length}: ${found.map((f) => `${position(f)} ${f.ruleId}`).join(', ') || 'none'}`,
      );
      found.forEach((f, i) => checkFinding(harness, ruleId, c.code, f, c.findings[i], i));
    });
  }
}

const oneLine = (text: string) => {
  const flat = text.replace(/\s*\n\s*/g, ' ⏎ ').trim();
  return flat.length > 100 ? `${flat.slice(0, 97)}...` : flat;
};

/** Postfix files of one case: a main.cf text, or main.cf and/or master.cf. */
export type PostfixCode = string | { readonly main?: string; readonly master?: string };

const postfixFiles = (code: PostfixCode) => (typeof code === 'string' ? { main: code } : code);

/** Runs a Postfix rule over a table of cases; findings point into `main.cf` or `master.cf`. */
export function testPostfixRule(rule: PostfixRule, cases: { readonly valid?: readonly (PostfixCode | ValidCase<PostfixCode>)[]; readonly invalid?: readonly InvalidCase<PostfixCode>[] }): void {
  runRuleCases<PostfixCode>(
    {
      lint: (code) => lintTexts(postfixFiles(code), rule),
      textOf: (code, file) => (file === 'main.cf' ? postfixFiles(code).main : file === 'master.cf' ? postfixFiles(code).master : undefined),
      label: (code) => {
        const { main, master } = postfixFiles(code);
        return [main !== undefined ? `main.cf: ${oneLine(main)}` : '', master !== undefined ? `master.cf: ${oneLine(master)}` : ''].filter(Boolean).join('; ');
      },
    },
    rule.meta.id,
    cases,
  );
}

/** An application source of one case (/app/src/mail.js), with the text of /app/.env when it has one. */
export type ScriptCode = string | { readonly script: string; readonly env?: string };

const scriptFiles = (code: ScriptCode) => (typeof code === 'string' ? { script: code } : code);

/** Runs a transport rule over a table of cases; findings point into the script or the .env file. */
export function testTransportRule(rule: TransportRule, cases: { readonly valid?: readonly (ScriptCode | ValidCase<ScriptCode>)[]; readonly invalid?: readonly InvalidCase<ScriptCode>[] }): void {
  runRuleCases<ScriptCode>(
    {
      lint: (code) => lintScript(scriptFiles(code).script, rule, scriptFiles(code).env),
      textOf: (code, file) => (file === SCRIPT ? scriptFiles(code).script : file === ENV ? scriptFiles(code).env : undefined),
      label: (code) => {
        const { script, env } = scriptFiles(code);
        const options = /createTransport\(\{ (.*) \}\);/.exec(script)?.[1];
        return (options !== undefined ? `{ ${options} }` : oneLine(script)) + (env !== undefined ? ` with .env ${oneLine(env)}` : '');
      },
    },
    rule.meta.id,
    cases,
  );
}
