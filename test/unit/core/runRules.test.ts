// The one rule engine: every kind of rule (Postfix, transports) runs through runRules, so its contract is
// tested once here with a toy subject: order, severities, placement, masking and a rule that throws.
import * as assert from 'assert';
import { type Finding, type Rule, type RuleReport, runRules } from '../../../src/core/model';

interface Word {
  readonly text: string;
  readonly line: number;
}
type WordReport = RuleReport & { readonly line: number };

const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 1 } });
const rule = (id: string, check: Rule<readonly Word[], WordReport>['check']): Rule<readonly Word[], WordReport> => ({
  meta: { id, description: id, defaultSeverity: 'warning', fixable: false },
  check,
});
const options = {
  place: (r: WordReport) => (r.line < 0 ? undefined : { file: 'words.txt', range: at(r.line), fixes: undefined, related: undefined }),
  internalErrorAt: { file: 'words.txt', range: at(0) },
};
const summary = (findings: readonly Finding[]) => findings.map((f) => `${f.ruleId} ${f.severity} ${f.range.start.line}: ${f.message}`);

const words: readonly Word[] = [
  { text: 'alpha', line: 0 },
  { text: 'user:pw@host', line: 1 },
];

describe('runRules', () => {
  it("reports in rule order, then report order, with the rule's id and default severity unless the report sets one", () => {
    const findings = runRules(
      [
        rule('toy/second-word', (ws, report) => report({ line: ws[1].line, message: 'second', severity: 'error' })),
        rule('toy/each-word', (ws, report) => ws.forEach((w) => report({ line: w.line, message: w.text.slice(0, 5) }))),
      ],
      words,
      options,
    );
    assert.deepStrictEqual(summary(findings), ['toy/second-word error 1: second', 'toy/each-word warning 0: alpha', 'toy/each-word warning 1: user:']);
  });

  it('masks credentials in messages and details, then applies the rewrite; a report placed nowhere is dropped', () => {
    const [f, ...rest] = runRules(
      [
        rule('toy/quote', (ws, report) => {
          report({ line: 1, message: `saw smtp://${ws[1].text}`, details: `details of smtp://${ws[1].text}` });
          report({ line: -1, message: 'nowhere' });
        }),
      ],
      words,
      { ...options, rewriteText: (text) => text.toUpperCase() },
    );
    assert.deepStrictEqual(rest, []);
    assert.ok(!f.message.includes('pw') && !f.message.includes('PW@'), f.message);
    assert.match(f.message, /^SAW SMTP:\/\/USER:/);
    assert.match(f.details ?? '', /^DETAILS OF SMTP:\/\/USER:/);
    assert.ok(!(f.details ?? '').includes('PW@'), f.details);
  });

  it('turns a rule that throws into a warning at the given place, keeping what it and the other rules reported', () => {
    const rules = [
      rule('toy/throws', (_ws, report) => {
        report({ line: 1, message: 'before the bug' });
        throw new Error('boom');
      }),
      rule('toy/fine', (_ws, report) => report({ line: 0, message: 'fine' })),
    ];
    assert.deepStrictEqual(summary(runRules(rules, words, options)), [
      'toy/throws warning 1: before the bug',
      'toy/throws warning 0: Internal error in rule toy/throws: boom',
      'toy/fine warning 0: fine',
    ]);
    // With nowhere to put it (a Postfix instance without files), the error is dropped, not thrown.
    assert.deepStrictEqual(summary(runRules(rules, words, { ...options, internalErrorAt: undefined })), ['toy/throws warning 1: before the bug', 'toy/fine warning 0: fine']);
  });
});
