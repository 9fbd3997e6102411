// A rule's test as a table, in the spirit of ESLint's RuleTester: valid cases must produce no finding,
// invalid cases exactly the findings listed (rule id, range, severity, message, fixes, fixed output).
// One `it` per case, named after the case, so a failure names the snippet that broke. Every kind of
// static rule has a harness here: Postfix (main.cf and master.cf) and application transports (JS/TS, .env,
// JSON, YAML and compose files); a case that does not fit a table stays a plain `it` next to the table.
import * as assert from 'assert';
import type { Finding, Severity } from '../../src/core/model';
import type { TransportRule } from '../../src/core/sources/app/transportRule';
import type { PostfixRule } from '../../src/core/sources/postfix/postfixRule';
import type { ConfigDirFiles } from '../../src/core/sources/postfix/instance';
import { lintPostfix } from '../../src/core/sources/postfix/lintPostfix';
import { applyFix, coveredText, textInRange } from './helpers';
import { EnvResolver, isEnvFileName, parseEnvFile } from '../../src/core/sources/app/envFiles';
import { extractConfigTransports } from '../../src/core/sources/app/extractFromConfig';
import { extractEnvTransports } from '../../src/core/sources/app/extractFromEnvFile';
import { extractScriptTransports, isScriptFile } from '../../src/core/sources/app/extractFromScript';
import { lintTransports } from '../../src/core/sources/app/lintTransports';
import type { TransportDefinition } from '../../src/core/sources/app/transport';
import { ENV, SCRIPT } from './sources/app/rules/transportCode';

/** What one expected finding must look like; fields left out are not checked. */
export interface ExpectedFinding {
  /** Defaults to the id of the rule under test. */
  readonly ruleId?: string;
  /** The file the finding is in (`main.cf`, `master.cf`, `/app/.env`, ...). */
  readonly file?: string;
  /** Start of the range, 1-based `line:column` as editors show it. */
  readonly at?: string;
  /** The exact text the range covers; with `at`, this pins the whole range. */
  readonly text?: string;
  readonly severity?: Severity;
  /** The whole message, or patterns it must match. */
  readonly message?: string | RegExp | readonly RegExp[];
  /** Texts (secrets) that nothing the finding shows may contain: message, related messages, fix titles. */
  readonly neverShows?: readonly string[];
  /** Patterns the message must not match. */
  readonly notMessage?: RegExp | readonly RegExp[];
  /** The whole long explanation, or patterns it must match. */
  readonly details?: string | RegExp | readonly RegExp[];
  /** Titles of the fixes, in order; `[]` for a finding without a fix. */
  readonly fixes?: readonly string[];
  /** Titles of the fixes marked preferred (VS Code's "preferred" quick fix); `[]` for none. */
  readonly preferred?: readonly string[];
  /** The finding's file after its first fix is applied. */
  readonly output?: string | RegExp;
  /** The finding's file after the fix with this title is applied, per title. */
  readonly outputs?: Readonly<Record<string, string | RegExp>>;
  /** The related locations, in order: a file, or a file with the 1-based `line:column`, the text it points at and/or its message. */
  readonly related?: readonly (string | { readonly file: string; readonly at?: string; readonly text?: string; readonly message?: string })[];
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

const patterns = (p: RegExp | readonly RegExp[] | undefined): readonly RegExp[] => (p instanceof RegExp ? [p] : (p ?? []));

function checkText(actual: string, expected: string | RegExp | readonly RegExp[] | undefined, what: string): void {
  if (typeof expected === 'string') assert.strictEqual(actual, expected, what);
  else for (const pattern of patterns(expected)) assert.match(actual, pattern, what);
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
  if (expected.file !== undefined) assert.strictEqual(actual.file, expected.file, `${what}: file`);
  if (expected.severity !== undefined) assert.strictEqual(actual.severity, expected.severity, `${what}: severity`);
  checkText(actual.message, expected.message, `${what}: message`);
  const shown = [actual.message, ...(actual.related ?? []).map((r) => r.message), ...(actual.fixes ?? []).map((x) => x.title)].join('\n');
  for (const secret of expected.neverShows ?? []) assert.ok(!shown.includes(secret), `${what}: shows ${secret}`);
  for (const pattern of patterns(expected.notMessage)) assert.doesNotMatch(actual.message, pattern, `${what}: message`);
  if (expected.details !== undefined) checkText(actual.details ?? '', expected.details, `${what}: details`);
  if (expected.fixes !== undefined) assert.deepStrictEqual((actual.fixes ?? []).map((x) => x.title), expected.fixes, `${what}: fix titles`);
  if (expected.preferred !== undefined) assert.deepStrictEqual((actual.fixes ?? []).filter((x) => x.preferred).map((x) => x.title), expected.preferred, `${what}: preferred fixes`);
  const outputs: [string | undefined, string | RegExp][] = [
    ...(expected.output !== undefined ? [[undefined, expected.output] as [undefined, string | RegExp]] : []),
    ...Object.entries(expected.outputs ?? {}),
  ];
  for (const [title, output] of outputs) {
    assert.ok(text !== undefined, `${what}: no text for ${actual.file}`);
    const fixed = applyFix(text, actual, title);
    if (typeof output === 'string') assert.strictEqual(fixed, output, `${what}: fixed output${title ? ` (${title})` : ''}`);
    else assert.match(fixed, output, `${what}: fixed output${title ? ` (${title})` : ''}`);
  }
  if (expected.related !== undefined) {
    const seen = (actual.related ?? []).map((r, i) => {
      const want = expected.related?.[i];
      if (typeof want !== 'object') return r.file;
      return {
        file: r.file,
        ...(want.at !== undefined ? { at: `${r.range.start.line + 1}:${r.range.start.character + 1}` } : {}),
        ...(want.text !== undefined ? { text: textInRange(harness.textOf(code, r.file) ?? '', r.range) } : {}),
        ...(want.message !== undefined ? { message: r.message } : {}),
      };
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

/**
 * Postfix files of one case: a main.cf text, or main.cf and/or master.cf, with the release they are for and
 * the listing of their folder (see PostfixInstance.configDirFiles) when the case needs them.
 */
export type PostfixCode =
  | string
  | { readonly main?: string; readonly master?: string; readonly postfixVersion?: string; readonly configDirFiles?: ConfigDirFiles };

const postfixFiles = (code: PostfixCode) => (typeof code === 'string' ? { main: code } : code);

/** Runs a Postfix rule over a table of cases; findings point into `main.cf` or `master.cf`. */
export function testPostfixRule(rule: PostfixRule, cases: { readonly valid?: readonly (PostfixCode | ValidCase<PostfixCode>)[]; readonly invalid?: readonly InvalidCase<PostfixCode>[] }): void {
  runRuleCases<PostfixCode>(
    {
      lint: (code) => {
        const { main, master, postfixVersion, configDirFiles } = postfixFiles(code) as Exclude<PostfixCode, string>;
        return lintPostfix(
          {
            main: main === undefined ? undefined : { file: 'main.cf', text: main },
            master: master === undefined ? undefined : { file: 'master.cf', text: master },
            postfixVersion: postfixVersion === undefined ? undefined : { version: postfixVersion, why: 'test' },
            configDirFiles,
          },
          [rule],
        );
      },
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

/**
 * The application files of one case: a string is the text of /app/src/mail.js; otherwise `text` is the file
 * at `file` (default /app/src/mail.js), read as its name says (a script, a .env file, JSON/YAML or
 * compose), with `env` as the text of /app/.env when the case has one.
 */
export type AppCode = string | { readonly text: string; readonly file?: string; readonly env?: string };

const appFiles = (code: AppCode) => (typeof code === 'string' ? { text: code, file: SCRIPT } : { ...code, file: code.file ?? SCRIPT });

/** The transports an application file defines, read the way the workspace reads that kind of file. */
export function appTransports(code: AppCode): TransportDefinition[] {
  const { text, file, env } = appFiles(code);
  if (isEnvFileName(file)) return extractEnvTransports({ file, text }, parseEnvFile({ file, text }));
  const resolver = new EnvResolver(env === undefined ? [] : [parseEnvFile({ file: ENV, text: env })]);
  return isScriptFile(file) ? extractScriptTransports({ file, text }, resolver) : extractConfigTransports({ file, text }, resolver);
}

/** Runs a transport rule over a table of cases; findings point into the application file or /app/.env. */
export function testTransportRule(rule: TransportRule, cases: { readonly valid?: readonly (AppCode | ValidCase<AppCode>)[]; readonly invalid?: readonly InvalidCase<AppCode>[] }): void {
  runRuleCases<AppCode>(
    {
      lint: (code) => lintTransports(appTransports(code), [rule]),
      textOf: (code, file) => {
        const files = appFiles(code);
        return file === files.file ? files.text : file === ENV ? files.env : undefined;
      },
      label: (code) => {
        const { text, file, env } = appFiles(code);
        const options = /createTransport\(\{ (.*) \}\);/.exec(text)?.[1];
        return (file === SCRIPT ? '' : `${file}: `) + (options !== undefined ? `{ ${options} }` : oneLine(text)) + (env !== undefined ? ` with .env ${oneLine(env)}` : '');
      },
    },
    rule.meta.id,
    cases,
  );
}
