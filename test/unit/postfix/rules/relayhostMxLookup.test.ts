import * as assert from 'assert';
import { relayhostMxLookup } from '../../../../src/core/postfix/rules/relayhostMxLookup';
import { applyFix, coveredText, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/relayhost-mx-lookup', () => {
  it('flags a host without brackets and adds them, keeping the port', () => {
    const main = readFixture('postfix/rules/relayhost-mx-lookup/main.cf');
    const findings = lintTexts({ main }, relayhostMxLookup);
    assert.deepStrictEqual(where(findings), ['3:13 postfix/relayhost-mx-lookup']);
    assert.strictEqual(findings[0].severity, 'information');
    assert.strictEqual(coveredText(main, findings[0]), 'smtp.provider.example:587');
    assert.match(findings[0].message, /^Without \[ \] Postfix sends to the MX hosts of "smtp\.provider\.example"; write "\[smtp\.provider\.example\]:587"/);
    assert.match(applyFix(main, findings[0]), /^relayhost = \[smtp\.provider\.example\]:587$/m);
  });

  it('adds brackets to a host with no port', () => {
    const main = 'relayhost = smtp.example.net\n';
    const [f] = lintTexts({ main }, relayhostMxLookup);
    assert.ok(f);
    assert.strictEqual(applyFix(main, f), 'relayhost = [smtp.example.net]\n');
  });

  it('flags only the unbracketed entries of a list', () => {
    const main = 'relayhost = [a.example.net]:587 b.example.net:587\n';
    const findings = lintTexts({ main }, relayhostMxLookup);
    assert.deepStrictEqual(
      findings.map((f) => coveredText(main, f)),
      ['b.example.net:587'],
    );
  });

  it('accepts bracketed hosts, bare IPv4 addresses (no MX lookup is done for them), $names and empty values', () => {
    for (const main of ['relayhost = [smtp.example.net]:587\n', 'relayhost = 192.0.2.10:587\n', 'relayhost = $smarthost\n', 'relayhost =\n']) {
      assert.deepStrictEqual(lintTexts({ main }, relayhostMxLookup), [], main);
    }
  });
});
