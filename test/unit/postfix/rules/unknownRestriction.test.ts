import * as assert from 'assert';
import { lintPostfix } from '../../../../src/core/postfix/lintPostfix';
import { restrictionWords, unknownRestriction } from '../../../../src/core/postfix/rules/unknownRestriction';
import { applyFix, coveredText, lintTexts, where } from '../../helpers';

const lintVersion = (main: string, version?: string) =>
  lintPostfix({ main: { file: 'main.cf', text: main }, postfixVersion: version ? { version, why: 'test' } : undefined }, [unknownRestriction]);

describe('postfix/unknown-restriction', () => {
  it('flags a misspelt restriction as an error on its exact characters, with the nearest name as fix', () => {
    const main = 'smtpd_sender_restrictions = permit_mynetworks, reject_non_fqdn_sendr\nsmtpd_helo_restrictions = reject_invalid_helo_hostnam\n';
    const findings = lintTexts({ main }, unknownRestriction).sort((a, b) => a.range.start.line - b.range.start.line);
    assert.deepStrictEqual(where(findings), ['1:48 postfix/unknown-restriction', '2:27 postfix/unknown-restriction']);
    assert.deepStrictEqual(findings.map((f) => coveredText(main, f)), ['reject_non_fqdn_sendr', 'reject_invalid_helo_hostnam']);
    assert.ok(findings.every((f) => f.severity === 'error'));
    assert.strictEqual(
      findings[0].message,
      'Unknown restriction "reject_non_fqdn_sendr": smtpd answers 451 4.3.5; did you mean "reject_non_fqdn_sender"?',
    );
    assert.match(applyFix(main, findings[0]), /^smtpd_sender_restrictions = permit_mynetworks, reject_non_fqdn_sender$/m);
    assert.match(applyFix(main, findings[1]), /reject_invalid_helo_hostname$/m);
  });

  it('accepts every restriction of current Postfix, any case, with their arguments and { } groups', () => {
    const main =
      'smtpd_recipient_restrictions = Permit_MyNetworks, permit_sasl_authenticated, reject_unauth_destination,\n' +
      '    check_sender_access hash:/etc/postfix/sender_access, check_client_access pcre:/etc/postfix/client.pcre,\n' +
      '    reject_rbl_client zen.spamhaus.org=127.0.0.[2..11], reject_rhsbl_sender dbl.spamhaus.org, permit_dnswl_client list.dnswl.org,\n' +
      '    check_policy_service { inet:127.0.0.1:10023, timeout=10s, default_action=DUNNO }, check_policy_service unix:private/policyd-spf,\n' +
      '    hash:/etc/postfix/implicit_access, sleep 1, warn_if_reject reject_unknown_sender_domain, defer_if_permit\n' +
      'smtpd_sender_restrictions = reject_sender_login_mismatch, check_sender_access inline:{{<> = REJECT}}, permit_sasl_authenticated\n' +
      'smtpd_data_restrictions = reject_unauth_pipelining, reject_multi_recipient_bounce\n';
    assert.deepStrictEqual(lintTexts({ main }, unknownRestriction), []);
    assert.deepStrictEqual(
      restrictionWords('check_policy_service { inet:127.0.0.1:10023, timeout=10s }, x').map((w) => w.text),
      ['check_policy_service', '{ inet:127.0.0.1:10023, timeout=10s }', 'x'],
    );
  });

  it('catches a DNS list written without its reject_rbl_client', () => {
    const main = 'smtpd_recipient_restrictions = reject_unauth_destination, reject_rbl_client zen.spamhaus.org, bl.spamcop.net\n';
    const [f] = lintTexts({ main }, unknownRestriction);
    assert.strictEqual(coveredText(main, f), 'bl.spamcop.net');
  });

  it('knows restriction classes and checks user-defined lists that a restriction list refers to', () => {
    const main =
      'smtpd_restriction_classes = mua_sender_restrictions, internal_only\n' +
      'internal_only = permit_mynetworks, reject\n' +
      'mua_sender_restrictions = permit_sasl_authenticated, rejct\n' +
      'smtpd_recipient_restrictions = internal_only, reject_unauth_destination\n';
    assert.deepStrictEqual(lintTexts({ main }, unknownRestriction).map((f) => coveredText(main, f)), ['rejct']);

    const viaReference = 'mua_client_restrictions = permit_sasl_authenticated, rejct\n';
    const master = 'submission inet n - y - - smtpd\n  -o smtpd_client_restrictions=$mua_client_restrictions\n  -o smtpd_helo_restrictions=permit,reject_unknwn_helo_hostname\n';
    const findings = lintTexts({ main: viaReference, master }, unknownRestriction);
    assert.deepStrictEqual(findings.map((f) => [f.file, coveredText(f.file === 'main.cf' ? viaReference : master, f)]), [
      ['main.cf', 'rejct'],
      ['master.cf', 'reject_unknwn_helo_hostname'],
    ]);
  });

  it('reports restrictions removed in Postfix 3.9: an error when the files are for 3.9+, else a warning', () => {
    const main = 'smtpd_recipient_restrictions = permit_mynetworks, check_relay_domains\n';
    assert.strictEqual(lintVersion(main)[0].severity, 'warning');
    assert.strictEqual(lintVersion(main, '3.7')[0].severity, 'warning');
    assert.match(lintVersion(main, '3.7')[0].message, /deprecated and removed in Postfix 3\.9 \(Postfix 3\.7 here\)/);
    const [f] = lintVersion(main, '3.9');
    assert.strictEqual(f.severity, 'error');
    assert.strictEqual(f.message, '"check_relay_domains" was removed in Postfix 3.9 (smtpd answers 451 4.3.5 where it is reached); use reject_unauth_destination.');
    // A floor inferred from the file counts as known: compatibility_level 3.9 needs 3.9.
    assert.strictEqual(lintVersion(`compatibility_level = 3.9\n${main}`)[0].severity, 'error');
  });

  it('says nothing about template code, or when template code may define restriction classes', () => {
    assert.deepStrictEqual(lintTexts({ main: 'smtpd_recipient_restrictions = {{ restrictions | join(", ") }}, reject_unauth_destination\n' }, unknownRestriction), []);
    assert.deepStrictEqual(lintTexts({ main: '{% for k, v in extra.items() %}\n{{ k }} = {{ v }}\n{% endfor %}\nsmtpd_recipient_restrictions = my_class, reject\n' }, unknownRestriction), []);
  });
});
