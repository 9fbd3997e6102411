import { mainCfAnchor } from '../anchors';
import type { PostfixRule } from '../postfixRule';

/**
 * The legacy defaults (COMPATIBILITY_README) that still apply: each only when main.cf leaves the
 * parameter(s) it concerns unset. chroot is a master.cf column, so it counts services with "-" there.
 */
function legacyDefaults(isSet: (name: string) => boolean, defaultChroot: number): string[] {
  const out: string[] = [];
  if (!isSet('smtpd_relay_restrictions')) {
    out.push(
      'smtpd_relay_restrictions is empty (relay control rests on smtpd_recipient_restrictions alone; without ' +
        'reject_unauth_destination there, smtpd refuses to start)',
    );
  }
  if (!isSet('mynetworks') && !isSet('mynetworks_style')) {
    out.push('mynetworks_style = subnet (every host on the server\'s own IP subnets may relay through permit_mynetworks)');
  }
  if (!isSet('relay_domains')) out.push('relay_domains = $mydestination (mail to subdomains of your domains is accepted for relaying)');
  if (!isSet('append_dot_mydomain')) out.push('append_dot_mydomain = yes ("user@host" becomes "user@host.$mydomain")');
  if (!isSet('smtputf8_enable')) out.push('smtputf8_enable = no');
  if (defaultChroot > 0) {
    out.push(`chroot = y for the ${defaultChroot} master.cf service${defaultChroot === 1 ? '' : 's'} with "-" in the chroot column`);
  }
  if (!isSet('smtpd_tls_fingerprint_digest') || !isSet('smtp_tls_fingerprint_digest')) out.push('md5 certificate fingerprints');
  return out;
}

/**
 * main.cf without compatibility_level: Postfix 3.x then keeps the defaults of Postfix 2.x (level 0)
 * and says so in the log whenever the postfix command runs.
 */
export const noCompatibilityLevel: PostfixRule = {
  meta: {
    id: 'postfix/no-compatibility-level',
    description: 'main.cf does not set compatibility_level, so Postfix runs with backwards-compatible (2.x) defaults.',
    defaultSeverity: 'information',
    fixable: true,
  },
  check(instance, report) {
    const main = instance.main;
    if (!main || main.effective.has('compatibility_level')) return;
    const defaultChroot = (instance.master?.services ?? []).filter((s) => s.fields[4]?.text === '-').length;
    const legacy = legacyDefaults((n) => main.effective.has(n), defaultChroot);
    const text = main.source.text;
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const lead = text.length > 0 && !text.endsWith('\n') ? eol : '';
    const end = text.length;
    const add = (level: string) => [{ span: { start: end, end }, newText: `${lead}compatibility_level = ${level}${eol}` }];
    report({
      file: 'main',
      span: mainCfAnchor(main),
      message:
        'compatibility_level is not set, so Postfix 3.x keeps its backwards-compatible defaults (level 0) and logs ' +
        '"Postfix is using backwards-compatible default settings" whenever the postfix command runs (start, reload)' +
        (legacy.length > 0 ? `. Here that means: ${legacy.join('; ')}.` : '.') +
        ' Check the mail log for "using backwards-compatible default setting" lines, set any old default you rely on ' +
        'explicitly, then set compatibility_level = 3.6 (on Postfix 3.0 to 3.5, which only accept whole numbers: 2).',
      fixes: [
        { title: 'Add "compatibility_level = 3.6"', edits: add('3.6'), preferred: true },
        { title: 'Add "compatibility_level = 2" (Postfix 3.0 to 3.5)', edits: add('2') },
      ],
    });
  },
};
