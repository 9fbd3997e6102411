import type { PostfixInstance } from '../instance';
import type { MainCfParameter, Span } from '../mainCf';
import { type MasterCfService, serviceCommand, serviceName, serviceType } from '../masterCf';
import type { PostfixReport, PostfixRule } from '../postfixRule';
import { isTemplated } from '../template';
import { type Setting, inetHost, isPort25Smtpd, isYes, lastOverride, listTokens, LOOPBACK_ADDRESS, serviceSetting } from '../serviceScope';

const LEVEL = 'smtpd_tls_security_level';
const LEGACY = 'smtpd_enforce_tls';

/** mydestination entries that name only this machine (Postfix's default list), not a mail domain. */
const MACHINE_ONLY = new Set(['$myhostname', '${myhostname}', '$(myhostname)', 'localhost', 'localhost.$mydomain', 'localhost.${mydomain}', 'localhost.$(mydomain)', 'localhost.localdomain']);

/** Domain lists that make a server the destination (or MX relay) of mail domains when set. */
const DOMAIN_LISTS = ['virtual_alias_domains', 'virtual_mailbox_domains', 'relay_domains'];

/**
 * Whether this configuration receives mail for mail domains from the Internet, as far as the files say:
 * it listens on more than loopback, and main.cf names a domain it is the destination or relay for.
 * Returns what shows it, for the message, or undefined.
 */
export function publicMxEvidence(instance: PostfixInstance): string | undefined {
  const interfaces = listTokens(instance.effectiveValue('inet_interfaces') ?? 'all');
  if (interfaces.length > 0 && interfaces.every((t) => LOOPBACK_ADDRESS.test(t.text))) return undefined;
  const main = instance.main;
  if (!main) return undefined;
  const myhostname = main.effective.get('myhostname')?.value.trim().toLowerCase();
  const mydestination = main.effective.get('mydestination');
  if (mydestination) {
    const domains = listTokens(mydestination.value).filter((t) => !MACHINE_ONLY.has(t.text.toLowerCase()) && t.text.toLowerCase() !== myhostname && !isTemplated(t.text));
    if (domains.length) return `mydestination lists ${domains.slice(0, 3).map((d) => `"${d.text}"`).join(', ')}${domains.length > 3 ? ', ...' : ''}`;
  }
  for (const name of DOMAIN_LISTS) {
    const p = main.effective.get(name);
    // relay_domains = $mydestination (the pre-3.0 default, often written out) adds nothing to mydestination.
    const tokens = p ? listTokens(p.value).filter((t) => !isTemplated(t.text)) : [];
    if (tokens.length && !/^\$(\{mydestination\}|\(mydestination\)|mydestination)$/.test(p!.value.trim())) {
      return `${name} = ${tokens[0].text}${tokens.length > 1 ? ', ...' : ''}`;
    }
  }
  return undefined;
}

/** The level a scope applies: smtpd_tls_security_level, or the obsolete smtpd_enforce_tls when that is empty. */
function requiresTls(get: Setting): boolean {
  const level = get(LEVEL).trim().toLowerCase();
  return level === 'encrypt' || (level === '' && isYes(get(LEGACY)));
}

/** Whether a service listens only on a loopback address (`127.0.0.1:smtp`). */
function loopbackOnly(s: MasterCfService): boolean {
  const host = serviceType(s) === 'inet' ? inetHost(serviceName(s)) : undefined;
  return host !== undefined && LOOPBACK_ADDRESS.test(host);
}

function details(evidence: string): string {
  return `This server receives mail for its domains (${evidence}): RFC 3207 forbids requiring STARTTLS on a publicly referenced MX, and senders without TLS get "530 5.7.0 Must issue a STARTTLS command first".`;
}

function message(where: string): string {
  return `${where} refuses mail without STARTTLS on a public MX's port 25 (RFC 3207); use "may" there.`;
}

/** smtpd_tls_security_level = encrypt on the port-25 smtpd of a server that is an MX for mail domains. */
export const encryptOnPublicMx: PostfixRule = {
  meta: {
    id: 'postfix/encrypt-on-public-mx',
    description: 'smtpd_tls_security_level = encrypt on port 25 of a server that receives mail from the Internet (RFC 3207 forbids it).',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    const main = instance.main;
    const evidence = publicMxEvidence(instance);
    if (!main || !evidence) return;
    const services = instance.master?.services ?? [];
    const port25 = instance.master ? services.filter((s) => isPort25Smtpd(s) && !loopbackOnly(s)) : undefined;

    // A service's own -o is reported on the service.
    const inheriting: MasterCfService[] = [];
    for (const s of port25 ?? []) {
      const get = serviceSetting(instance, s);
      if (!requiresTls(get)) continue;
      const own = lastOverride(s, LEVEL) ?? (get(LEVEL).trim() === '' ? lastOverride(s, LEGACY) : undefined);
      if (!own) {
        inheriting.push(s);
        continue;
      }
      report({
        file: 'master',
        span: own.span,
        message: message(`-o ${own.name}=${own.value} of "${serviceName(s)}"`),
        details: details(evidence),
        fixes:
          own.name === LEVEL
            ? [{ title: 'Change to "may"', edits: [{ span: own.valueSpan, newText: 'may' }], preferred: true }]
            : [{ title: `Replace with -o ${LEVEL}=may`, edits: [{ span: own.span, newText: `-o ${LEVEL}=may` }], preferred: true }],
      });
    }

    // main.cf's value, when the port-25 service takes it (no master.cf: Postfix's default "smtp inet ... smtpd").
    if (port25 !== undefined && inheriting.length === 0) return;
    const get: Setting = (name) => instance.effectiveValue(name) ?? '';
    if (!requiresTls(get)) return;
    const level: MainCfParameter | undefined = main.effective.get(LEVEL);
    const stmt = level && level.value.trim() !== '' ? level : main.effective.get(LEGACY);
    if (!stmt) return;
    // Other smtpd listeners (submission, 465) that take main.cf's level would lose required TLS with it.
    const sharing = services.filter(
      (s) => serviceCommand(s) === 'smtpd' && serviceType(s) === 'inet' && !isPort25Smtpd(s) && !lastOverride(s, LEVEL) && !isYes(serviceSetting(instance, s)('smtpd_tls_wrappermode')),
    );
    const related: NonNullable<PostfixReport['related']>[number][] = [
      ...inheriting.map((s) => ({ file: 'master' as const, span: s.fields[0].span, message: `"${serviceName(s)}" receives mail on port 25 with this level` })),
      // Other smtpd listeners (submission) that take main.cf's level need their own -o before it changes.
      ...sharing.map((s) => ({ file: 'master' as const, span: s.fields[0].span, message: `"${serviceName(s)}" takes this level too: give it -o ${LEVEL}=encrypt first` })),
    ];
    const span: Span = stmt.value ? stmt.valueSpan : stmt.nameSpan;
    report({
      file: 'main',
      span,
      message: message(`${stmt.name} = ${stmt.value}`),
      details: details(evidence),
      fixes:
        stmt.name === LEVEL && sharing.length === 0
          ? [{ title: 'Change to "may"', edits: [{ span: stmt.valueSpan, newText: 'may' }], preferred: true }]
          : undefined,
      related: related.length ? related : undefined,
    });
  },
};
