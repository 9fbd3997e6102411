import type { MainCf, Span } from '../mainCf';
import { serviceName } from '../masterCf';
import type { PostfixRule, SpanEdit } from '../postfixRule';
import { type Setting, isYes, lastOverride, listTokens, mainSetting, serviceSetting, smtpClientServices } from '../serviceScope';
import { isTemplated } from '../template';

const LEVEL = 'smtp_tls_security_level';
const OPTIONS = 'smtp_sasl_security_options';
const SETTINGS = ['smtp_sasl_auth_enable', OPTIONS, LEVEL, 'smtp_tls_wrappermode', 'smtp_use_tls', 'smtp_enforce_tls', 'smtp_sasl_mechanism_filter', 'smtp_tls_policy_maps'];

/** Why the SMTP client may send its SASL password without TLS in this scope, or undefined. */
function plaintextLogin(get: Setting): { level: string } | undefined {
  if (!isYes(get('smtp_sasl_auth_enable')) || isYes(get('smtp_tls_wrappermode'))) return undefined;
  if (SETTINGS.some((n) => isTemplated(get(n)))) return undefined;
  // A TLS policy table may require TLS for the relay: that cannot be seen from here.
  if (get('smtp_tls_policy_maps').trim() !== '') return undefined;
  let level = get(LEVEL).trim().toLowerCase();
  if (!level) level = isYes(get('smtp_enforce_tls')) ? 'encrypt' : isYes(get('smtp_use_tls')) ? 'may' : 'none';
  if (!['none', 'may', 'dane'].includes(level)) return undefined;
  // Without TLS, smtp_sasl_security_options decides; noplaintext keeps PLAIN and LOGIN off the wire.
  const options = listTokens(get(OPTIONS).toLowerCase()).map((t) => t.text);
  if (options.includes('noplaintext')) return undefined;
  const filter = listTokens(get('smtp_sasl_mechanism_filter').toLowerCase()).map((t) => t.text);
  if (filter.length && filter.every((w) => /^[a-z0-9_-]+$/.test(w)) && !filter.some((w) => w === 'plain' || w === 'login')) return undefined;
  return { level };
}

function levelEdit(main: MainCf): SpanEdit {
  const stmt = main.effective.get(LEVEL);
  if (stmt) return { span: stmt.statementSpan, newText: `${LEVEL} = encrypt` };
  const at = (main.effective.get('smtp_sasl_auth_enable') ?? main.parameters[main.parameters.length - 1]).statementSpan.end;
  return { span: { start: at, end: at }, newText: `\n${LEVEL} = encrypt` };
}

/**
 * Client SASL (a relay login) where TLS is optional and plaintext mechanisms are allowed without it: when
 * STARTTLS is missing or stripped, PLAIN/LOGIN send the password in clear.
 */
export const clientSaslPlaintext: PostfixRule = {
  meta: {
    id: 'postfix/client-sasl-plaintext',
    description: 'The SMTP client logs in to its relay over optional TLS while plaintext SASL is allowed without TLS.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    const main = instance.main;
    const services = smtpClientServices(instance);
    let mainReported = false;
    if (main && (!instance.master || services.some((s) => !SETTINGS.some((n) => lastOverride(s, n))))) {
      const v = plaintextLogin(mainSetting(instance));
      const anchor = main.effective.get(OPTIONS) ?? main.effective.get(LEVEL) ?? main.effective.get('smtp_sasl_auth_enable');
      if (v && anchor) {
        mainReported = true;
        const span: Span = anchor.value ? anchor.valueSpan : anchor.nameSpan;
        report({
          file: 'main',
          span,
          message: `The relay password can go out in clear (TLS ${v.level === 'none' ? 'off' : 'optional'}, plaintext SASL allowed); set ${LEVEL} = encrypt.`,
          fixes: [{ title: `Set ${LEVEL} = encrypt`, edits: [levelEdit(main)], preferred: true }],
        });
      }
    }
    for (const s of services) {
      const own = SETTINGS.filter((n) => lastOverride(s, n));
      if (!own.length) continue;
      const v = plaintextLogin(serviceSetting(instance, s));
      if (!v || (mainReported && !lastOverride(s, OPTIONS) && !lastOverride(s, LEVEL))) continue;
      const o = lastOverride(s, OPTIONS) ?? lastOverride(s, LEVEL) ?? lastOverride(s, own[0])!;
      report({
        file: 'master',
        span: o.span,
        message: `Service "${serviceName(s)}" can send the relay password in clear (TLS ${v.level === 'none' ? 'off' : 'optional'}); add -o ${LEVEL}=encrypt.`,
      });
    }
  },
};
