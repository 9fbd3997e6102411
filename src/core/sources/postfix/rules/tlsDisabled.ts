import { endOfFileSpan } from '../anchors';
import type { PostfixInstance } from '../instance';
import type { MainCf, Span } from '../mainCf';
import { serviceCommand, serviceType } from '../masterCf';
import type { PostfixRule } from '../postfixRule';
import { inetInterfacesLoopbackOnly, listensOnLoopbackOnly } from '../serviceScope';
import { isTemplated } from '../template';

const yes = (v: string | undefined) => (v ?? '').trim().toLowerCase() === 'yes';

interface Side {
  readonly level: string;
  readonly legacy: readonly string[];
  readonly what: string;
  /** Statements that make this side's TLS matter, in order of preference: where an unset level is reported. */
  readonly evidence: readonly string[];
  /** Whether this side matters (an SMTP server only the machine itself can reach has no one to protect). */
  applies(instance: PostfixInstance): boolean;
}

const SIDES: readonly Side[] = [
  {
    level: 'smtpd_tls_security_level',
    legacy: ['smtpd_use_tls', 'smtpd_enforce_tls'],
    what: 'the SMTP server offers no STARTTLS',
    evidence: ['smtpd_tls_cert_file', 'smtpd_tls_chain_files', 'smtpd_tls_key_file', 'inet_interfaces'],
    applies: (instance) => {
      const servers = (instance.master?.services ?? []).filter((s) => ['smtpd', 'postscreen'].includes(serviceCommand(s)) && ['inet', 'pass'].includes(serviceType(s)));
      if (!instance.master) return !inetInterfacesLoopbackOnly(instance);
      // Servers that set their own level are their own business; the rest take main.cf's.
      return servers.some((s) => !s.overrides.some((o) => o.name === 'smtpd_tls_security_level' || o.name === 'smtpd_tls_wrappermode') && !listensOnLoopbackOnly(instance, s));
    },
  },
  {
    level: 'smtp_tls_security_level',
    legacy: ['smtp_use_tls', 'smtp_enforce_tls'],
    what: 'the SMTP client never uses STARTTLS',
    evidence: ['relayhost', 'smtp_tls_cert_file', 'smtp_tls_CAfile', 'smtp_sasl_auth_enable'],
    applies: () => true,
  },
];

/** Where to add a line at the end of main.cf, on a line of its own. */
function appendLine(main: MainCf, line: string): { span: Span; newText: string } {
  return appendLines(main, [line]);
}

function appendLines(main: MainCf, lines: readonly string[]): { span: Span; newText: string } {
  const text = main.source.text;
  const end = text.length;
  return { span: { start: end, end }, newText: (end === 0 || text.endsWith('\n') ? '' : '\n') + lines.map((l) => `${l}\n`).join('') };
}

/** TLS switched off (level "none") or never switched on (level unset, no legacy switch). */
export const tlsDisabled: PostfixRule = {
  meta: {
    id: 'postfix/tls-disabled',
    description: 'STARTTLS is off for the SMTP server (reachable from the network) or the SMTP client, so mail crosses the network unencrypted.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    const main = instance.main;
    if (!main) return;
    // Unset levels with nothing to point at: both go where their lines would be added, as one finding.
    const atEnd: Side[] = [];
    for (const side of SIDES) {
      if (!side.applies(instance)) continue;
      // The level in force, with this release's default (Postfix 3.11 with compatibility_level 3.11: "may").
      const raw = instance.effectiveValue(side.level) ?? '';
      if (isTemplated(raw) || side.legacy.some((n) => isTemplated(instance.effectiveValue(n) ?? ''))) continue;
      const level = raw.trim().toLowerCase();
      const stmt = main.effective.get(side.level);
      if (level === 'none') {
        if (!stmt) continue; // "none" from the default would be postconf's business, not main.cf's
        report({
          file: 'main',
          span: stmt.value === '' ? stmt.nameSpan : stmt.valueSpan,
          message: `${side.level} = none: ${side.what}; use "may" (opportunistic TLS).`,
          fixes:
            stmt.value.trim().toLowerCase() === 'none'
              ? [{ title: 'Change to "may"', edits: [{ span: stmt.valueSpan, newText: 'may' }], preferred: true }]
              : undefined,
        });
        continue;
      }
      if (level !== '') continue;
      // An empty level falls back to the obsolete yes/no switches.
      if (side.legacy.some((n) => yes(instance.effectiveValue(n)))) continue;
      // A template that may add the setting elsewhere says nothing about its absence.
      if (!stmt && main.template?.opaque) continue;
      const legacyStmt = side.legacy.map((n) => main.effective.get(n)).find((p) => p !== undefined);
      const evidence = side.evidence.map((n) => main.effective.get(n)).find((p) => p !== undefined);
      const anchor: Span | undefined = stmt ? stmt.nameSpan : legacyStmt ? legacyStmt.nameSpan : evidence?.nameSpan;
      if (!anchor) {
        atEnd.push(side);
        continue;
      }
      report({
        file: 'main',
        span: anchor,
        message: `${side.level} is ${stmt ? 'empty' : 'not set'}: ${side.what}; add "${side.level} = may".`,
        fixes: [
          {
            title: `Add "${side.level} = may"`,
            edits: [stmt ? { span: stmt.statementSpan, newText: `${side.level} = may` } : appendLine(main, `${side.level} = may`)],
            preferred: true,
          },
        ],
      });
    }
    if (atEnd.length === 0) return;
    const lines = atEnd.map((side) => `${side.level} = may`);
    report({
      file: 'main',
      span: endOfFileSpan(main),
      message:
        atEnd.length === 1
          ? `${atEnd[0].level} is not set: ${atEnd[0].what}; add "${lines[0]}".`
          : 'No TLS level is set: the SMTP server offers no STARTTLS and the client never uses it; add both at "may".',
      fixes: [{ title: `Add ${lines.map((l) => `"${l}"`).join(' and ')}`, edits: [appendLines(main, lines)], preferred: true }],
    });
  },
};
