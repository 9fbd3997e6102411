import * as assert from 'assert';
import { describeParameter } from '../../../../src/core/sources/postfix/describe';
import { parsePostfixInstance } from '../../../../src/core/sources/postfix/instance';
import { parameterNameAt } from '../../../../src/core/sources/postfix/nameAt';
import { REDACTED, redactValue } from '../../../../src/core/redact';

const instance = (main: string, master?: string) =>
  parsePostfixInstance({ main: { file: 'main.cf', text: main }, master: master === undefined ? undefined : { file: 'master.cf', text: master } });

describe('hover data', () => {
  it('gives the default and the expanded effective value', () => {
    const d = describeParameter(instance('mydomain = example.com\nmyhostname = mail.$mydomain\n'), 'myorigin');
    assert.strictEqual(d.defaultValue, '$myhostname');
    assert.strictEqual(d.effectiveValue, 'mail.example.com');
    assert.strictEqual(d.definedAt, undefined);
    assert.strictEqual(d.known, true);
  });

  it('finds the name under the cursor: a name, a $reference, a master.cf -o name', () => {
    const main = 'mydomain = example.com\nmyhostname = mail.$mydomain\n';
    const master = 'smtp inet n - y - - smtpd\n  -o smtpd_tls_security_level=$tls_level\n';
    const i = instance(main, master);
    assert.strictEqual(parameterNameAt(i, 'main', main.indexOf('myhostname') + 3)?.name, 'myhostname');
    assert.strictEqual(parameterNameAt(i, 'main', main.indexOf('$mydomain') + 2)?.name, 'mydomain');
    assert.strictEqual(parameterNameAt(i, 'main', main.indexOf('mail.')), undefined);
    assert.strictEqual(parameterNameAt(i, 'master', master.indexOf('smtpd_tls') + 1)?.name, 'smtpd_tls_security_level');
    assert.strictEqual(parameterNameAt(i, 'master', master.indexOf('tls_level') + 1)?.name, 'tls_level');
  });

  it('never shows a credential held inline in a password map', () => {
    const d = describeParameter(instance('smtp_sasl_password_maps = static:alice:s3cret\n'), 'smtp_sasl_password_maps');
    assert.ok(!JSON.stringify({ ...d, definedAt: undefined }).includes('s3cret'));
    assert.strictEqual(d.effectiveValue, `static:${REDACTED}`);
    assert.strictEqual(redactValue('smtp_sasl_password_maps', 'hash:/etc/postfix/sasl_passwd'), 'hash:/etc/postfix/sasl_passwd');
    assert.strictEqual(redactValue('myhostname', 'mail.example.com'), 'mail.example.com');
  });
});
