import * as assert from 'assert';
import { masterSyntax } from '../../../../src/core/postfix/rules/masterSyntax';
import { coveredText, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/master-syntax', () => {
  const master = readFixture('postfix/rules/master-syntax/master.cf');
  const findings = lintTexts({ master }, masterSyntax);

  it('flags each bad field exactly', () => {
    assert.deepStrictEqual(where(findings), [
      '4:33 postfix/master-syntax',
      '5:11 postfix/master-syntax',
      '6:41 postfix/master-syntax',
      '7:49 postfix/master-syntax',
      '8:1 postfix/master-syntax',
      '9:1 postfix/master-syntax',
    ]);
    assert.deepStrictEqual(
      findings.map((f) => coveredText(master, f)),
      ['Y', 'tcp', '300s', 'many', 'bounce    unix  -       -       y       -', '::1:2525'],
    );
    assert.ok(findings.every((f) => f.severity === 'error'));
  });

  it('explains what Postfix does with each', () => {
    assert.strictEqual(findings[0].message, 'The chroot field of "pickup" is "Y", not y, n or -: Postfix refuses to start.');
    assert.match(findings[1].message, /Unknown service type "tcp".*inet, unix, unix-dgram, fifo, pass/);
    assert.match(findings[2].message, /wakeup field/);
    assert.match(findings[3].message, /maxproc field/);
    assert.match(findings[4].message, /has 6 of the 8 fields/);
    assert.match(findings[5].message, /IPv6 address without \[ \] around it/);
  });

  it('reports a line with a missing field once, not each field shifted into the wrong place', () => {
    const short = '127.0.0.1:2525 inet n - n - smtpd\n';
    const f = lintTexts({ master: short }, masterSyntax);
    assert.deepStrictEqual(where(f), ['1:1 postfix/master-syntax']);
    assert.match(f[0].message, /has 7 of the 8 fields/);
  });

  it('accepts valid inet names and field values', () => {
    const good =
      'smtp inet n - y - - smtpd\n' +
      'submission inet n - y - - smtpd\n' +
      '127.0.0.1:10025 inet n - n - - smtpd\n' +
      '[::1]:25 inet n - n - - smtpd\n' +
      'tlsmgr unix - - y 1000? 1 tlsmgr\n' +
      'postlog unix-dgram n - n - 1 postlogd\n' +
      'pickup fifo n - n 60 1 pickup\n' +
      'smtpd pass - - y - - smtpd\n';
    assert.deepStrictEqual(lintTexts({ master: good }, masterSyntax), []);
  });

  it('flags malformed inet names', () => {
    const bad = 'host:99999 inet n - n - - smtpd\nsm@tp inet n - n - - smtpd\n[::1] inet n - n - - smtpd\n';
    const f = lintTexts({ master: bad }, masterSyntax);
    assert.deepStrictEqual(
      f.map((x) => coveredText(bad, x)),
      ['host:99999', 'sm@tp', '[::1]'],
    );
    assert.match(f[0].message, /outside 1-65535/);
    assert.match(f[2].message, /no ":port"/);
  });
});
