import * as assert from 'assert';
import fc from 'fast-check';
import { editDistance, nearest } from '../../../../src/core/suggest';

/** Plain full-matrix optimal-string-alignment distance, the reference for the banded one. */
function reference(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

describe('typo suggestions', () => {
  it('banded distance equals the full computation up to the bound', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12, unit: fc.constantFrom('a', 'b', 'c', '_') }), fc.string({ maxLength: 12, unit: fc.constantFrom('a', 'b', 'c', '_') }), fc.integer({ min: 0, max: 4 }), (a, b, max) => {
        const full = reference(a, b);
        assert.strictEqual(editDistance(a, b, max), full <= max ? full : max + 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('suggests the known name for common typos', () => {
    const names = ['smtpd_tls_security_level', 'smtp_tls_security_level', 'myhostname', 'mydomain', 'mydestination'];
    assert.strictEqual(nearest('smtpd_tls_securty_level', names), 'smtpd_tls_security_level');
    assert.strictEqual(nearest('smtpd_tls_secuirty_level', names), 'smtpd_tls_security_level');
    assert.strictEqual(nearest('myhostnmae', names), 'myhostname');
    assert.strictEqual(nearest('completely_unrelated', names), undefined);
  });
});
