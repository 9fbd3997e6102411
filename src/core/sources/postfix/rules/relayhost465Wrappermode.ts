import type { MainCfParameter } from '../mainCf';
import type { MasterCfService } from '../masterCf';
import type { PostfixReport, PostfixRule, SpanEdit } from '../postfixRule';
import { isTemplated } from '../template';
import { relayhostEntries } from '../relayhost';
import { type Setting, defaultTransportService, isYes, lastOverride, mainSetting, serviceSetting } from '../serviceScope';

/** Ports where the server starts TLS at connect (SMTPS, RFC 8314). */
const IMPLICIT_TLS_PORTS = new Set(['465', 'smtps', 'submissions']);

/** Client TLS levels that satisfy smtp_tls_wrappermode ("encrypt or stronger"). */
const STRONG_LEVELS = new Set(['encrypt', 'verify', 'secure', 'fingerprint', 'dane-only']);

interface Missing {
  readonly name: 'smtp_tls_wrappermode' | 'smtp_tls_security_level';
  readonly value: string;
  /** What the client has now, for the message. */
  readonly now: string;
}

function missingSettings(get: Setting): Missing[] {
  const out: Missing[] = [];
  if (!isYes(get('smtp_tls_wrappermode'))) out.push({ name: 'smtp_tls_wrappermode', value: 'yes', now: get('smtp_tls_wrappermode').trim() || 'no' });
  const level = get('smtp_tls_security_level').trim().toLowerCase();
  // An empty level falls back to the obsolete smtp_enforce_tls = yes, which means "encrypt".
  const strong = STRONG_LEVELS.has(level) || (level === '' && isYes(get('smtp_enforce_tls')));
  if (!strong) out.push({ name: 'smtp_tls_security_level', value: 'encrypt', now: level || (isYes(get('smtp_use_tls')) ? 'may (smtp_use_tls = yes)' : 'empty') });
  return out;
}

/**
 * A relayhost on port 465 (SMTPS) while the SMTP client is not in wrapper mode with TLS required: the
 * client waits for a plain-text greeting that never comes, or refuses to connect at all.
 */
export const relayhost465Wrappermode: PostfixRule = {
  meta: {
    id: 'postfix/relayhost-465-wrappermode',
    description: 'relayhost on port 465 (SMTPS) without smtp_tls_wrappermode = yes and smtp_tls_security_level = encrypt.',
    defaultSeverity: 'error',
    fixable: true,
  },
  check(instance, report) {
    const main = instance.main;
    const relayhost = main?.effective.get('relayhost');
    if (!main || !relayhost) return;
    const entries = relayhostEntries(relayhost).filter((e) => e.port !== undefined && IMPLICIT_TLS_PORTS.has(e.port.toLowerCase()));
    if (entries.length === 0) return;
    if (['smtp_tls_wrappermode', 'smtp_tls_security_level', 'smtp_enforce_tls', 'smtp_use_tls'].some((n) => isTemplated(mainSetting(instance)(n)))) return;

    // Mail to the relayhost goes through default_transport's service; its -o overrides win over main.cf.
    const service: MasterCfService | undefined = defaultTransportService(instance);
    const get = service ? serviceSetting(instance, service) : mainSetting(instance);
    const missing = missingSettings(get);
    if (missing.length === 0) return;

    const related: NonNullable<PostfixReport['related']>[number][] = [];
    let fromOverride = false;
    for (const m of missing) {
      const o = service && lastOverride(service, m.name);
      if (o) {
        fromOverride = true;
        related.push({ file: 'master', span: o.span, message: `-o ${m.name}=${o.value} overrides main.cf for the SMTP client here` });
        continue;
      }
      const stmt = main.effective.get(m.name);
      if (stmt) related.push({ file: 'main', span: stmt.statementSpan, message: `${m.name} is set to "${stmt.value}" here` });
    }

    const wrapperMissing = missing.some((m) => m.name === 'smtp_tls_wrappermode');
    const settings = missing.map((m) => `${m.name} = ${m.value}`).join(' and ');
    const consequence = wrapperMissing ? 'deliveries hang' : 'Postfix refuses it';
    const where = service ? ` (master.cf service "${service.fields[0].text}")` : '';
    const now = missing.map((m) => `${m.name} is ${m.now === 'empty' ? 'empty' : `"${m.now}"`}`).join(' and ');
    const why = wrapperMissing
      ? 'Postfix connects in plain text and waits for the "220" greeting while the server waits for a TLS handshake, so every ' +
        'delivery hangs until one side gives up ("timed out while receiving the initial server greeting") and the mail stays deferred.'
      : 'Postfix refuses to use the host ("smtp_tls_wrappermode requires "smtp_tls_security_level = encrypt" (or stronger)") and the mail stays deferred.';

    for (const e of entries) {
      const fixes: NonNullable<PostfixReport['fixes']>[number][] = [];
      if (!fromOverride) fixes.push({ title: `Add ${settings}`, edits: addSettings(relayhost, missing, main.effective), preferred: true });
      if (wrapperMissing) {
        const on587 = `${e.bracketed ? `[${e.host}]` : e.host}:587`;
        fixes.push({ title: `Use "${on587}" (STARTTLS) instead`, edits: [{ span: e.span, newText: on587 }] });
      }
      report({
        file: 'main',
        span: e.span,
        message: `Port ${e.port} is SMTPS: set ${settings}, or ${consequence}.`,
        details: `Port ${e.port} is SMTPS, where TLS starts before the first SMTP line, but ${now}${where}: ${why}`,
        fixes,
        related,
      });
    }
  },
};

/** Replaces each setting's main.cf statement, or adds the missing ones below relayhost (one edit: no two inserts at one spot). */
function addSettings(relayhost: MainCfParameter, missing: readonly Missing[], effective: ReadonlyMap<string, MainCfParameter>): SpanEdit[] {
  const edits: SpanEdit[] = [];
  let appended = '';
  for (const m of missing) {
    const stmt = effective.get(m.name);
    if (stmt) edits.push({ span: stmt.statementSpan, newText: `${m.name} = ${m.value}` });
    else appended += `\n${m.name} = ${m.value}`;
  }
  if (appended) edits.push({ span: { start: relayhost.statementSpan.end, end: relayhost.statementSpan.end }, newText: appended });
  return edits;
}
