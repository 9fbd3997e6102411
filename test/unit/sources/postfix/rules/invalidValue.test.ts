import * as assert from 'assert';
import { parameterType } from '../../../../../src/core/sources/postfix/parameterTypes';
import { invalidValue } from '../../../../../src/core/sources/postfix/rules/invalidValue';
import { lintTexts, readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const dir = 'postfix/rules/invalid-value';

describe('postfix/invalid-value', () => {
  it('takes types from how the Postfix daemons read each name, and the enumeration table', () => {
    assert.strictEqual(parameterType('smtpd_tls_auth_only').kind, 'boolean');
    assert.strictEqual(parameterType('smtputf8_enable').kind, 'boolean'); // compatibility-level expression default
    assert.strictEqual(parameterType('message_size_limit').kind, 'integer');
    assert.strictEqual(parameterType('smtp_helo_timeout').kind, 'time');
    assert.deepStrictEqual(parameterType('smtp_tls_security_level').values?.includes('dane'), true);
    assert.strictEqual(parameterType('myhostname').kind, 'other');
    // "1/concurrency" is a valid feedback value: not an integer, whatever the shape of the default.
    assert.strictEqual(parameterType('default_destination_concurrency_positive_feedback').kind, 'other');
    // Read with a time conversion although the default is an expression (${stress?{10}:{300}}s).
    assert.strictEqual(parameterType('smtpd_timeout').kind, 'time');
  });

  testPostfixRule(invalidValue, {
    valid: [
      // The value domains of current Postfix: smtpd_forbid_bare_newline takes normalize, note, reject.
      ...['normalize', 'yes', 'note', 'reject', 'no', 'Reject'].map((v) => `smtpd_forbid_bare_newline = ${v}\n`),
      'smtp_tls_security_level = dane\nsmtpd_tls_security_level =\nfork_delay = 1w\n',
    ],
    invalid: [
      {
        name: 'a value outside the domain of current Postfix',
        code: 'smtpd_forbid_bare_newline = always\n',
        findings: [{ severity: 'error', message: /^smtpd_forbid_bare_newline does not accept "always": Postfix stops with a fatal error; use normalize, yes, note, reject or no\.$/ }],
      },
      {
        // The fixture's YES and 3.6 are accepted.
        name: 'each bad value on its exact characters, saying what Postfix does, fixing obvious synonyms, units and case; master.cf -o overrides the same way',
        code: { main: readFixture(`${dir}/main.cf`), master: readFixture(`${dir}/master.cf`) },
        findings: [
          { at: '4:23', file: 'main.cf', text: 'true', severity: 'error', message: 'smtpd_tls_auth_only must be yes or no, not "true": Postfix stops with a fatal error.', output: /^smtpd_tls_auth_only = yes$/m },
          { at: '5:28', file: 'main.cf', text: 'dane', severity: 'error', message: /: Postfix stops with a fatal error; use none, may, encrypt or nothing\.$/, fixes: [] },
          { at: '6:22', file: 'main.cf', text: '10M', severity: 'error', message: /no units: 10M is 10485760/, output: /^message_size_limit = 10485760$/m },
          { at: '7:21', file: 'main.cf', text: '30 sec', severity: 'error', output: /^smtp_helo_timeout = 30s$/m },
          { at: '8:24', file: 'main.cf', text: 'IPv6', severity: 'error', message: /write "ipv6" \(case matters\)/, output: /^inet_protocols = ipv4, ipv6$/m },
          { file: 'master.cf', text: 'on', output: /-o smtpd_sasl_auth_enable=yes\n/ },
          { file: 'master.cf', text: 'ten', message: /^smtpd_client_connection_count_limit must be a whole number, not "ten"/ },
        ],
      },
      {
        name: 'a $reference checked after expansion',
        code: 'my_limit = 5x\nsmtpd_recipient_limit = $my_limit\n',
        findings: [{ at: '2:25', message: /^smtpd_recipient_limit must be a whole number, not "5x": .* \(\$my_limit expands to it\)$/ }],
      },
      { name: 'a client-only TLS level for the server: a warning', code: 'smtpd_tls_security_level = verify\n', findings: [{ severity: 'warning', message: /uses "encrypt" instead/ }] },
    ],
  });
});

describe('postfix/invalid-value leaves one root cause to its own rule', () => {
  it('a value spoilt by an inline comment or a joined indented setting is not reported twice', () => {
    const main = 'smtp_sasl_auth_enable = yes # on\nmessage_size_limit = 52428800\n  smtpd_tls_auth_only = yes\nsmtpd_use_tls = maybe\n';
    const all = lintTexts({ main });
    const at = (rule: string) => all.filter((f) => f.ruleId === rule).map((f) => f.range.start.line + 1);
    assert.deepStrictEqual(at('postfix/invalid-value'), [4], 'only the plainly bad value');
    assert.deepStrictEqual(at('postfix/inline-comment'), [1]);
    assert.deepStrictEqual(at('postfix/accidental-continuation'), [3]);
  });
});
