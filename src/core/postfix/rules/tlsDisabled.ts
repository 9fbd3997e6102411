import { mainCfAnchor } from '../anchors';
import type { PostfixInstance } from '../instance';
import type { MainCf, Span } from '../mainCf';
import { serviceCommand, serviceType } from '../masterCf';
import type { PostfixReport, PostfixRule } from '../postfixRule';

const yes = (v: string | undefined) => (v ?? '').trim().toLowerCase() === 'yes';

interface Side {
  readonly level: string;
  readonly legacy: readonly string[];
  readonly what: string;
  /** Whether this side runs at all (no SMTP server in master.cf means nothing to protect). */
  applies(instance: PostfixInstance): boolean;
}

const SIDES: readonly Side[] = [
  {
    level: 'smtpd_tls_security_level',
    legacy: ['smtpd_use_tls', 'smtpd_enforce_tls'],
    what: 'the SMTP server offers no STARTTLS, so mail from other servers and clients arrives in clear text',
    applies: (instance) =>
      !instance.master ||
      instance.master.services.some((s) => ['smtpd', 'postscreen'].includes(serviceCommand(s)) && ['inet', 'pass'].includes(serviceType(s))),
  },
  {
    level: 'smtp_tls_security_level',
    legacy: ['smtp_use_tls', 'smtp_enforce_tls'],
    what: 'the SMTP client never uses STARTTLS, so outgoing mail travels in clear text even to servers that support TLS',
    applies: () => true,
  },
];

/** Where to add a line at the end of main.cf, on a line of its own. */
function appendLine(main: MainCf, line: string): { span: Span; newText: string } {
  const text = main.source.text;
  const end = text.length;
  return { span: { start: end, end }, newText: (end === 0 || text.endsWith('\n') ? '' : '\n') + line + '\n' };
}

/** TLS switched off (level "none") or never switched on (level unset, no legacy switch). */
export const tlsDisabled: PostfixRule = {
  meta: {
    id: 'postfix/tls-disabled',
    description: 'STARTTLS is off for the SMTP server or client, so mail crosses the network unencrypted.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    const main = instance.main;
    if (!main) return;
    for (const side of SIDES) {
      if (!side.applies(instance)) continue;
      const level = (instance.effectiveValue(side.level) ?? '').trim().toLowerCase();
      const stmt = main.effective.get(side.level);
      if (level === 'none') {
        if (!stmt) continue; // "none" from the default would be postconf's business, not main.cf's
        const r: PostfixReport = {
          file: 'main',
          span: stmt.value === '' ? stmt.nameSpan : stmt.valueSpan,
          message: `${side.level} is "none": ${side.what}. Use "may" (opportunistic TLS) unless a peer breaks with TLS.`,
          fixes:
            stmt.value.trim().toLowerCase() === 'none'
              ? [{ title: 'Change to "may"', edits: [{ span: stmt.valueSpan, newText: 'may' }], preferred: true }]
              : undefined,
        };
        report(r);
        continue;
      }
      if (level !== '') continue;
      // An empty level falls back to the obsolete yes/no switches.
      if (side.legacy.some((n) => yes(instance.effectiveValue(n)))) continue;
      const legacyStmt = side.legacy.map((n) => main.effective.get(n)).find((p) => p !== undefined);
      const anchor: Span = stmt
        ? stmt.nameSpan
        : legacyStmt
          ? legacyStmt.nameSpan
          : mainCfAnchor(main);
      const suffix = side.level.startsWith('smtpd') ? ' (the server also needs a certificate: smtpd_tls_chain_files, or smtpd_tls_cert_file and smtpd_tls_key_file)' : '';
      report({
        file: 'main',
        span: anchor,
        message: `${side.level} is ${stmt ? 'empty' : 'not set'}: ${side.what}. Add "${side.level} = may"${suffix}.`,
        fixes: [
          {
            title: `Add "${side.level} = may"`,
            edits: [stmt ? { span: stmt.statementSpan, newText: `${side.level} = may` } : appendLine(main, `${side.level} = may`)],
            preferred: true,
          },
        ],
      });
    }
  },
};
