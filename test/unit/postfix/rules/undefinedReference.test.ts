import * as assert from 'assert';
import { undefinedReference } from '../../../../src/core/postfix/rules/undefinedReference';
import { applyFix, coveredText, lintFixtureDir, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/undefined-reference', () => {
  const dir = 'postfix/rules/undefined-reference';
  const main = readFixture(`${dir}/main.cf`);
  const master = readFixture(`${dir}/master.cf`);
  const findings = lintFixtureDir(dir, undefinedReference);

  it('flags exactly the undefined names, including inside ${name?text}', () => {
    assert.deepStrictEqual(where(findings), ['3:13 postfix/undefined-reference', '5:36 postfix/undefined-reference', '5:33 postfix/undefined-reference']);
    assert.deepStrictEqual(
      findings.map((f) => coveredText(f.file === 'main.cf' ? main : master, f)),
      ['myhostnme', 'mail_nam', 'mua_sender_restrictions'],
    );
  });

  it('explains the empty expansion and fixes a near miss', () => {
    const f = findings[0];
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(f.message, '"$myhostnme" is not set in main.cf nor known to Postfix, so it expands to nothing; did you mean "$myhostname"?');
    assert.match(applyFix(main, f), /^myorigin = \$myhostname$/m);
    assert.match(applyFix(main, findings[1]), /\$\{mail_name\?\(\$mail_name\)\}/);
  });

  it('checks master.cf -o values, accepting $service_name and names defined in main.cf', () => {
    const f = findings[2];
    assert.strictEqual(f.file, 'master.cf');
    assert.strictEqual(f.fixes, undefined);
  });

  it('accepts legacy names Postfix itself still reads, as postconf does', () => {
    assert.deepStrictEqual(lintTexts({ main: 'virtual_alias_maps = $virtual_maps\nsmtp_fallback_relay = $fallback_relay\n' }, undefinedReference), []);
  });

  it('leaves raw parameters and a clean configuration alone', () => {
    assert.deepStrictEqual(
      lintTexts({ main: 'mailbox_command = /usr/bin/procmail -a "$EXTENSION"\nsmtpd_reject_footer = $client_address\nmyorigin = $mydomain\nfoo = 1\nbar = ${foo}$(foo)\n' }, undefinedReference),
      [],
    );
  });
});
