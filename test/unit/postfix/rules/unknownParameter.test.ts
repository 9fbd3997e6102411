import * as assert from 'assert';
import { unknownParameter } from '../../../../src/core/postfix/rules/unknownParameter';
import { applyFix, coveredText, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/unknown-parameter', () => {
  it('flags a misspelt name on its exact characters and suggests the known one', () => {
    const main = readFixture('postfix/rules/unknown-parameter/main.cf');
    const findings = lintTexts({ main }, unknownParameter);
    assert.deepStrictEqual(where(findings), ['3:1 postfix/unknown-parameter']);
    assert.strictEqual(coveredText(main, findings[0]), 'smtpd_tls_securty_level');
    assert.match(findings[0].message, /Did you mean "smtpd_tls_security_level"\?/);
    assert.match(applyFix(main, findings[0]), /^smtpd_tls_security_level = may$/m);
  });

  it('accepts a user-defined name that another value references as $name', () => {
    const findings = lintTexts({ main: 'my_networks_list = 10.0.0.0/8\nmynetworks = $my_networks_list\n' }, unknownParameter);
    assert.deepStrictEqual(findings, []);
  });

  it('accepts a user-defined name used in a master.cf -o override', () => {
    const findings = lintTexts(
      {
        main: 'mua_client_restrictions = permit_sasl_authenticated, reject\n',
        master: 'submission inet n - y - - smtpd\n  -o smtpd_client_restrictions=$mua_client_restrictions\n',
      },
      unknownParameter,
    );
    assert.deepStrictEqual(findings, []);
  });

  it('accepts per-transport parameters of transports defined in master.cf', () => {
    const master = 'slowsmtp unix - - y - - smtp\n';
    assert.deepStrictEqual(lintTexts({ main: 'slowsmtp_destination_rate_delay = 1s\n', master }, unknownParameter), []);
    assert.strictEqual(lintTexts({ main: 'fastsmtp_destination_rate_delay = 1s\n', master }, unknownParameter).length, 1);
  });

  it('offers no fix when nothing known is close', () => {
    const [f] = lintTexts({ main: 'completely_made_up_setting_xyz = 1\n' }, unknownParameter);
    assert.ok(f);
    assert.strictEqual(f.fixes, undefined);
  });
});
