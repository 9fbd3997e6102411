import { expandValue } from '../macros';
import { type MasterCfOverride, serviceCommand, serviceName, serviceType } from '../masterCf';
import type { PostfixRule } from '../postfixRule';
import { inetInterfacesLoopbackOnly, lastOverride, listensOnLoopbackOnly } from '../serviceScope';
import { isTemplated } from '../template';

const yes = (v: string | undefined) => (v ?? '').trim().toLowerCase() === 'yes';

/**
 * Whether AUTH can happen before TLS, given how a scope (main.cf, or one service) resolves names.
 * TLS that is required (encrypt) or starts at connect (wrapper mode) protects AUTH as well.
 */
function clearTextAuth(get: (name: string) => string | undefined): boolean {
  if (!yes(get('smtpd_sasl_auth_enable')) || yes(get('smtpd_tls_auth_only'))) return false;
  if (yes(get('smtpd_tls_wrappermode'))) return false;
  const level = (get('smtpd_tls_security_level') ?? '').trim().toLowerCase();
  if (level === 'encrypt' || (level === '' && yes(get('smtpd_enforce_tls')))) return false;
  return true;
}

const MESSAGE = 'SMTP AUTH is offered before STARTTLS, so passwords can cross the network in clear; set smtpd_tls_auth_only = yes.';

/** Settings that decide whether a service offers AUTH without TLS. */
const DECIDING = ['smtpd_sasl_auth_enable', 'smtpd_tls_auth_only', 'smtpd_tls_wrappermode', 'smtpd_tls_security_level', 'smtpd_enforce_tls'];

/** smtpd_sasl_auth_enable = yes without smtpd_tls_auth_only = yes (main.cf, or a master.cf service). */
export const saslWithoutTlsOnly: PostfixRule = {
  meta: {
    id: 'postfix/sasl-without-tls-only',
    description: 'SASL authentication is enabled while AUTH is also offered without TLS.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    const main = instance.main;
    // main.cf's values matter only for SMTP servers that take them and that others can reach.
    const inheriting = instance.master
      ? instance.master.services.some(
          (s) => serviceCommand(s) === 'smtpd' && ['inet', 'pass'].includes(serviceType(s)) && !DECIDING.some((n) => lastOverride(s, n)) && !listensOnLoopbackOnly(instance, s),
        )
      : !inetInterfacesLoopbackOnly(instance);
    if (main && inheriting && !DECIDING.some((n) => isTemplated(instance.effectiveValue(n) ?? ''))) {
      const sasl = main.effective.get('smtpd_sasl_auth_enable');
      if (sasl && clearTextAuth(instance.effectiveValue)) {
        const tlsOnly = main.effective.get('smtpd_tls_auth_only');
        report({
          file: 'main',
          span: sasl.statementSpan,
          message: MESSAGE,
          fixes: [
            tlsOnly
              ? { title: 'Set smtpd_tls_auth_only = yes', edits: [{ span: tlsOnly.statementSpan, newText: 'smtpd_tls_auth_only = yes' }], preferred: true }
              : { title: 'Add smtpd_tls_auth_only = yes', edits: [{ span: { start: sasl.statementSpan.end, end: sasl.statementSpan.end }, newText: '\nsmtpd_tls_auth_only = yes' }], preferred: true },
          ],
        });
      }
    }

    const master = instance.master;
    for (const s of master?.services ?? []) {
      if (serviceCommand(s) !== 'smtpd' || serviceType(s) !== 'inet' || listensOnLoopbackOnly(instance, s)) continue;
      const override = (name: string): MasterCfOverride | undefined => [...s.overrides].reverse().find((o) => o.name === name);
      const get = (name: string) => {
        const o = override(name);
        return o ? expandValue(o.value, instance.rawValue) : instance.effectiveValue(name);
      };
      if (DECIDING.some((n) => isTemplated(get(n) ?? '')) || !clearTextAuth(get)) continue;
      const saslOverride = override('smtpd_sasl_auth_enable');
      const tlsOnly = override('smtpd_tls_auth_only');
      // Only this service's own -o makes it a master.cf finding; plain inheritance is main.cf's finding.
      if (!saslOverride && !tlsOnly) continue;
      const anchor = saslOverride ?? tlsOnly!;
      let fix;
      if (tlsOnly) {
        fix = { title: 'Set -o smtpd_tls_auth_only=yes', edits: [{ span: tlsOnly.valueSpan, newText: 'yes' }], preferred: true };
      } else {
        // Put the new -o on its own continuation line, indented like the one it follows.
        const text = master!.source.text;
        const line = master!.lines.positionAt(anchor.span.start).line;
        const lineStart = master!.lines.lineStart(line);
        const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
        const ownLine = text.slice(lineStart, anchor.span.start).trim() === '' && indent !== '';
        fix = {
          title: 'Add -o smtpd_tls_auth_only=yes',
          edits: [{ span: { start: anchor.span.end, end: anchor.span.end }, newText: ownLine ? `\n${indent}-o smtpd_tls_auth_only=yes` : ' -o smtpd_tls_auth_only=yes' }],
          preferred: true,
        };
      }
      report({
        file: 'master',
        span: anchor.span,
        message: `Service "${serviceName(s)}" offers AUTH before STARTTLS (passwords in clear); add -o smtpd_tls_auth_only=yes.`,
        fixes: [fix],
      });
    }
  },
};
