import * as assert from 'assert';
import { hostnameNotFqdn } from '../../../../src/core/postfix/rules/hostnameNotFqdn';
import { coveredText, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/hostname-not-fqdn', () => {
  it('flags a myhostname without a dot on its value', () => {
    const main = readFixture('postfix/rules/hostname-not-fqdn/main.cf');
    const findings = lintTexts({ main }, hostnameNotFqdn);
    assert.deepStrictEqual(where(findings), ['2:14 postfix/hostname-not-fqdn']);
    assert.strictEqual(findings[0].severity, 'warning');
    assert.strictEqual(coveredText(main, findings[0]), 'mailserver');
    assert.match(findings[0].message, /is not fully qualified, so receivers may reject its HELO/);
  });

  it('reports names Postfix refuses at startup as errors', () => {
    for (const [value, why] of [
      ['mail.example.com.', /ends with a dot/],
      ['mail_server!.example.com', /contains "!"/],
      ['mail..example.com', /empty label/],
      ['-mail.example.com', /starts or ends with "-"/],
      ['192.0.2.1', /IP address/],
    ] as const) {
      const main = `myhostname = ${value}\n`;
      const [f] = lintTexts({ main }, hostnameNotFqdn);
      assert.ok(f, value);
      assert.strictEqual(f.severity, 'error', value);
      assert.strictEqual(coveredText(main, f), value);
      assert.match(f.message, why);
      assert.match(f.message, /Postfix refuses to start/);
    }
  });

  it('judges a $name value by its expansion', () => {
    const main = 'myhostname = mail.$mydomain\nmydomain = example.com\n';
    assert.deepStrictEqual(lintTexts({ main }, hostnameNotFqdn), []);
    const bad = 'myhostname = $myshortname\nmyshortname = mail\n';
    const [f] = lintTexts({ main: bad }, hostnameNotFqdn);
    assert.ok(f);
    assert.strictEqual(coveredText(bad, f), '$myshortname');
    assert.match(f.message, /"\$myshortname" \(= "mail"\)/);
  });

  it('checks a literal smtp_helo_name but not the $myhostname default or an address literal', () => {
    const main = 'myhostname = mail.example.com\nsmtp_helo_name = localhost\n';
    const findings = lintTexts({ main }, hostnameNotFqdn);
    assert.deepStrictEqual(where(findings), ['2:18 postfix/hostname-not-fqdn']);
    assert.strictEqual(coveredText(main, findings[0]), 'localhost');
    assert.match(findings[0].message, /smtp_helo_name "localhost"/);
    assert.deepStrictEqual(lintTexts({ main: 'myhostname = mail.example.com\nsmtp_helo_name = $myhostname\n' }, hostnameNotFqdn), []);
    assert.deepStrictEqual(lintTexts({ main: 'smtp_helo_name = [192.0.2.1]\n' }, hostnameNotFqdn), []);
  });

  it('accepts a good FQDN and an unset myhostname', () => {
    assert.deepStrictEqual(lintTexts({ main: 'myhostname = mx-1.mail.example.com\n' }, hostnameNotFqdn), []);
    assert.deepStrictEqual(lintTexts({ main: 'mydomain = example.com\n' }, hostnameNotFqdn), []);
  });
});
