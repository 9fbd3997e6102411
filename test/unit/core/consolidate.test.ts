import * as assert from 'assert';
import { consolidateFindings } from '../../../src/core/consolidate';
import type { Finding } from '../../../src/core/model';

const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });
const f = (ruleId: string, severity: Finding['severity'], file: string, line: number, from: number, to: number, extra: Partial<Finding> = {}): Finding => ({
  ruleId,
  severity,
  file,
  range: range(line, from, to),
  message: `${ruleId} says so`,
  ...extra,
});

describe('one root cause, one finding (consolidateFindings)', () => {
  it('makes findings on one range of a file one: the most severe speaks, the others (most severe first) become its related places', () => {
    const expiring = f('smtp/cert-expiring', 'warning', 'a.js', 2, 8, 19);
    const untrusted = f('smtp/cert-untrusted', 'error', 'a.js', 2, 8, 19);
    const misnamed = f('smtp/cert-hostname-mismatch', 'error', 'a.js', 2, 8, 19);
    const out = consolidateFindings([expiring, untrusted, misnamed]);
    assert.strictEqual(out.length, 1);
    assert.strictEqual(out[0].ruleId, 'smtp/cert-untrusted', 'the first of the most severe');
    assert.deepStrictEqual(
      out[0].related?.map((r) => r.message),
      ['also smtp/cert-hostname-mismatch (error): smtp/cert-hostname-mismatch says so', 'also smtp/cert-expiring (warning): smtp/cert-expiring says so'],
    );
    assert.deepStrictEqual(out[0].related?.map((r) => r.range), [range(2, 8, 19), range(2, 8, 19)]);
  });

  it('prefers a finding with a fix among equals, keeps order and leaves other ranges and files alone', () => {
    const a = f('x/one', 'warning', 'a.cf', 1, 0, 4);
    const b = f('x/two', 'warning', 'a.cf', 1, 0, 4, { fixes: [{ title: 'fix', edits: [] }] });
    const c = f('x/three', 'error', 'a.cf', 1, 0, 5);
    const d = f('x/one', 'warning', 'b.cf', 1, 0, 4);
    const out = consolidateFindings([c, a, b, d]);
    assert.deepStrictEqual(out.map((x) => `${x.file}:${x.ruleId}`), ['a.cf:x/three', 'a.cf:x/two', 'b.cf:x/one']);
  });

  it('the same rule and message twice on one range (two lines naming one host) is one finding without related noise', () => {
    const out = consolidateFindings([f('smtp/port-refused', 'error', 'a.js', 3, 8, 11), f('smtp/port-refused', 'error', 'a.js', 3, 8, 11)]);
    assert.strictEqual(out.length, 1);
    assert.strictEqual(out[0].related, undefined);
  });

  it('drops a finding its own rule already points to from another place (the .env value and the code reading it)', () => {
    const env = f('nodemailer/secure-port-mismatch', 'error', '.env', 2, 12, 16);
    const code = f('nodemailer/secure-port-mismatch', 'error', 'mailer.js', 5, 10, 33, { related: [{ file: '.env', range: range(2, 12, 16), message: 'SMTP_SECURE is set here' }] });
    assert.deepStrictEqual(consolidateFindings([env, code]), [code]);
    // Another rule on the .env line is a different problem: it stays.
    const other = f('nodemailer/env-boolean-string', 'warning', '.env', 2, 12, 16);
    assert.deepStrictEqual(consolidateFindings([other, code]).map((x) => x.ruleId), ['nodemailer/env-boolean-string', 'nodemailer/secure-port-mismatch']);
  });

  it('two findings pointing at each other keep one of them', () => {
    const a = f('x/r', 'warning', 'a', 0, 0, 1, { related: [{ file: 'b', range: range(0, 0, 1), message: 'b' }] });
    const b = f('x/r', 'warning', 'b', 0, 0, 1, { related: [{ file: 'a', range: range(0, 0, 1), message: 'a' }] });
    assert.strictEqual(consolidateFindings([a, b]).length, 1);
  });
});
