import * as assert from 'assert';
import { relayhostPort25 } from '../../../../src/core/postfix/rules/relayhostPort25';
import { applyFix, coveredText, lintTexts, readFixture, where } from '../../helpers';

const LOGIN = 'smtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\n';

describe('postfix/relayhost-port-25', () => {
  it('flags an explicit :25 and rewrites it to [host]:587', () => {
    const main = readFixture('postfix/rules/relayhost-port-25/main.cf');
    const findings = lintTexts({ main }, relayhostPort25);
    assert.deepStrictEqual(where(findings), ['3:13 postfix/relayhost-port-25']);
    assert.strictEqual(findings[0].severity, 'warning');
    assert.strictEqual(coveredText(main, findings[0]), 'smtp.isp.example:25');
    assert.strictEqual(
      findings[0].message,
      'A login relayhost on port 25 is often blocked; smarthosts take 587: use "[smtp.isp.example]:587".',
    );
    assert.match(applyFix(main, findings[0]), /^relayhost = \[smtp\.isp\.example\]:587$/m);
  });

  it('treats a missing port as 25, with or without brackets', () => {
    const main = `relayhost = [smtp.example.net]\n${LOGIN}`;
    const [f] = lintTexts({ main }, relayhostPort25);
    assert.ok(f);
    assert.strictEqual(applyFix(main, f), `relayhost = [smtp.example.net]:587\n${LOGIN}`);
    assert.strictEqual(lintTexts({ main: `relayhost = smtp.example.net\n${LOGIN}` }, relayhostPort25).length, 1);
    assert.strictEqual(lintTexts({ main: `relayhost = [smtp.example.net]:smtp\n${LOGIN}` }, relayhostPort25).length, 1);
  });

  it('leaves a relay without a login alone: an internal hub or a null client relay takes mail on 25 by design', () => {
    // Postfix's own null-client example (STANDARD_CONFIGURATION_README).
    const nullClient = 'myhostname = hostname.example.com\nmyorigin = $mydomain\nrelayhost = $mydomain\ninet_interfaces = loopback-only\nmydestination =\n';
    assert.deepStrictEqual(lintTexts({ main: nullClient }, relayhostPort25), []);
    assert.deepStrictEqual(lintTexts({ main: 'relayhost = [mailhub.corp.example]\n' }, relayhostPort25), []);
    assert.deepStrictEqual(lintTexts({ main: 'relayhost = [10.0.0.25]:25\n' }, relayhostPort25), []);
  });

  it('checks each entry of a relayhost list and keeps IPv6 literals intact', () => {
    const main = `relayhost = [relay1.example.net]:587, [ipv6:2001:db8::25]\n${LOGIN}`;
    const findings = lintTexts({ main }, relayhostPort25);
    assert.deepStrictEqual(
      findings.map((f) => coveredText(main, f)),
      ['[ipv6:2001:db8::25]'],
    );
    assert.strictEqual(applyFix(main, findings[0]), `relayhost = [relay1.example.net]:587, [ipv6:2001:db8::25]:587\n${LOGIN}`);
  });

  it('says nothing for an empty relayhost, port 587/465, or a $name', () => {
    for (const main of ['relayhost =\n', 'relayhost = [smtp.example.net]:587\n', 'relayhost = [smtp.example.net]:465\n', 'relayhost = $my_smarthost\n', 'myhostname = mail.example.com\n']) {
      assert.deepStrictEqual(lintTexts({ main }, relayhostPort25), [], main);
    }
  });
});
