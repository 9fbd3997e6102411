import * as assert from 'assert';
import { restrictionWords, unknownRestriction } from '../../../../../src/core/sources/postfix/rules/unknownRestriction';
import { testPostfixRule } from '../../../ruleTester';

const removed = 'smtpd_recipient_restrictions = permit_mynetworks, check_relay_domains\n';

describe('postfix/unknown-restriction', () => {
  it('splits a list into restriction words, a { } group being one', () => {
    assert.deepStrictEqual(
      restrictionWords('check_policy_service { inet:127.0.0.1:10023, timeout=10s }, x').map((w) => w.text),
      ['check_policy_service', '{ inet:127.0.0.1:10023, timeout=10s }', 'x'],
    );
  });

  testPostfixRule(unknownRestriction, {
    valid: [
      {
        name: 'every restriction of current Postfix, any case, with their arguments and { } groups',
        code:
          'smtpd_recipient_restrictions = Permit_MyNetworks, permit_sasl_authenticated, reject_unauth_destination,\n' +
          '    check_sender_access hash:/etc/postfix/sender_access, check_client_access pcre:/etc/postfix/client.pcre,\n' +
          '    reject_rbl_client zen.spamhaus.org=127.0.0.[2..11], reject_rhsbl_sender dbl.spamhaus.org, permit_dnswl_client list.dnswl.org,\n' +
          '    check_policy_service { inet:127.0.0.1:10023, timeout=10s, default_action=DUNNO }, check_policy_service unix:private/policyd-spf,\n' +
          '    hash:/etc/postfix/implicit_access, sleep 1, warn_if_reject reject_unknown_sender_domain, defer_if_permit\n' +
          'smtpd_sender_restrictions = reject_sender_login_mismatch, check_sender_access inline:{{<> = REJECT}}, permit_sasl_authenticated\n' +
          'smtpd_data_restrictions = reject_unauth_pipelining, reject_multi_recipient_bounce\n',
      },
      { name: 'template code', code: 'smtpd_recipient_restrictions = {{ restrictions | join(", ") }}, reject_unauth_destination\n' },
      { name: 'template code that may define restriction classes', code: '{% for k, v in extra.items() %}\n{{ k }} = {{ v }}\n{% endfor %}\nsmtpd_recipient_restrictions = my_class, reject\n' },
    ],
    invalid: [
      {
        name: 'a misspelt restriction: an error on its exact characters, the nearest name as fix',
        code: 'smtpd_sender_restrictions = permit_mynetworks, reject_non_fqdn_sendr\nsmtpd_helo_restrictions = reject_invalid_helo_hostnam\n',
        findings: [
          { at: '2:27', text: 'reject_invalid_helo_hostnam', severity: 'error', output: /reject_invalid_helo_hostname$/m },
          {
            at: '1:48',
            text: 'reject_non_fqdn_sendr',
            severity: 'error',
            message: 'Unknown restriction "reject_non_fqdn_sendr": smtpd answers 451 4.3.5; did you mean "reject_non_fqdn_sender"?',
            output: /^smtpd_sender_restrictions = permit_mynetworks, reject_non_fqdn_sender$/m,
          },
        ],
      },
      {
        name: 'a DNS list written without its reject_rbl_client',
        code: 'smtpd_recipient_restrictions = reject_unauth_destination, reject_rbl_client zen.spamhaus.org, bl.spamcop.net\n',
        findings: [{ text: 'bl.spamcop.net' }],
      },
      {
        name: 'restriction classes known, and the user-defined lists a restriction list refers to checked',
        code:
          'smtpd_restriction_classes = mua_sender_restrictions, internal_only\n' +
          'internal_only = permit_mynetworks, reject\n' +
          'mua_sender_restrictions = permit_sasl_authenticated, rejct\n' +
          'smtpd_recipient_restrictions = internal_only, reject_unauth_destination\n',
        findings: [{ text: 'rejct' }],
      },
      {
        name: 'a main.cf list a master.cf -o refers to, and a master.cf -o list',
        code: {
          main: 'mua_client_restrictions = permit_sasl_authenticated, rejct\n',
          master: 'submission inet n - y - - smtpd\n  -o smtpd_client_restrictions=$mua_client_restrictions\n  -o smtpd_helo_restrictions=permit,reject_unknwn_helo_hostname\n',
        },
        findings: [
          { file: 'main.cf', text: 'rejct' },
          { file: 'master.cf', text: 'reject_unknwn_helo_hostname' },
        ],
      },
      // Restrictions removed in Postfix 3.9: an error when the files are for 3.9+, else a warning.
      { name: 'removed in 3.9, release unknown: a warning', code: removed, findings: [{ severity: 'warning' }] },
      { name: 'removed in 3.9, files for 3.7: a warning', code: { main: removed, postfixVersion: '3.7' }, findings: [{ severity: 'warning', message: /deprecated and removed in Postfix 3\.9 \(Postfix 3\.7 here\)/ }] },
      {
        name: 'removed in 3.9, files for 3.9: an error',
        code: { main: removed, postfixVersion: '3.9' },
        findings: [{ severity: 'error', message: '"check_relay_domains" was removed in Postfix 3.9 (smtpd answers 451 4.3.5 where it is reached); use reject_unauth_destination.' }],
      },
      // A floor inferred from the file counts as known: compatibility_level 3.9 needs 3.9.
      { name: 'removed in 3.9, compatibility_level 3.9: an error', code: `compatibility_level = 3.9\n${removed}`, findings: [{ severity: 'error' }] },
    ],
  });
});
