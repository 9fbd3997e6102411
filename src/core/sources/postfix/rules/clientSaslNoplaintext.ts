import type { MainCf, MainCfParameter, Span } from '../mainCf';
import type { MasterCfService } from '../masterCf';
import { serviceName } from '../masterCf';
import type { PostfixReport, PostfixRule, SpanEdit } from '../postfixRule';
import { isTemplated } from '../template';
import { type Setting, isYes, lastOverride, listTokens, mainSetting, serviceSetting, smtpClientServices } from '../serviceScope';

const ENABLE = 'smtp_sasl_auth_enable';
const PLAIN = 'smtp_sasl_security_options';
const TLS = 'smtp_sasl_tls_security_options';
const VERIFIED = 'smtp_sasl_tls_verified_security_options';
type OptionName = typeof PLAIN | typeof TLS | typeof VERIFIED;

/** Levels at which the server certificate is matched, so Postfix uses the "verified" options. */
const VERIFYING_LEVELS = new Set(['verify', 'secure', 'fingerprint', 'dane-only']);
const REQUIRED_LEVELS = new Set(['encrypt', ...VERIFYING_LEVELS]);

/** Each options parameter's default is `$` the next one: verified → tls → plain. */
const CHAIN: Readonly<Record<OptionName, readonly OptionName[]>> = {
  [VERIFIED]: [VERIFIED, TLS, PLAIN],
  [TLS]: [TLS, PLAIN],
  [PLAIN]: [PLAIN],
};

interface Verdict {
  /** The options parameter Postfix uses for SASL once TLS is up. */
  readonly option: typeof TLS | typeof VERIFIED;
  readonly value: string;
  readonly level: string;
  readonly required: boolean;
}

const RELEVANT_NAMES = [ENABLE, PLAIN, TLS, VERIFIED, 'smtp_tls_security_level', 'smtp_tls_wrappermode', 'smtp_sasl_mechanism_filter'];

const words = (v: string) => listTokens(v.toLowerCase()).map((t) => t.text);

/** Whether SASL over TLS is ruled out for PLAIN/LOGIN in this scope. */
function judge(get: Setting): Verdict | undefined {
  if (!isYes(get(ENABLE)) || RELEVANT_NAMES.some((n) => isTemplated(get(n)))) return undefined;
  // A mechanism filter that names only non-plaintext mechanisms says the relay offers those.
  const filter = words(get('smtp_sasl_mechanism_filter'));
  if (filter.length && filter.every((w) => /^[a-z0-9_-]+$/.test(w)) && !filter.some((w) => w === 'plain' || w === 'login')) return undefined;
  const wrapper = isYes(get('smtp_tls_wrappermode'));
  let level = get('smtp_tls_security_level').trim().toLowerCase();
  if (!level) level = isYes(get('smtp_enforce_tls')) ? 'encrypt' : isYes(get('smtp_use_tls')) ? 'may' : 'none';
  if (level === 'none' && !wrapper) return undefined; // no TLS: noplaintext is what keeps the password off the wire
  const option = VERIFYING_LEVELS.has(level) ? VERIFIED : TLS;
  const value = get(option);
  if (!words(value).includes('noplaintext')) return undefined;
  return { option, value: value.trim(), level, required: wrapper || REQUIRED_LEVELS.has(level) };
}

/** The options with "noplaintext" taken out and "noanonymous" kept. */
function withoutNoplaintext(value: string, sep: string): string {
  const kept = words(value).filter((w) => w !== 'noplaintext');
  if (!kept.includes('noanonymous')) kept.unshift('noanonymous');
  return kept.join(sep);
}

const isRefTo = (value: string, name: string) => value.trim() === `$${name}` || value.trim() === `\${${name}}` || value.trim() === `$(${name})`;

/** The first statement along the default chain that really sets the value (defaults are `$next`). */
function sourceIn(lookup: (name: OptionName) => { value: string } | undefined, option: OptionName): { name: OptionName; value: string } | undefined {
  const chain = CHAIN[option];
  for (let k = 0; k < chain.length; k++) {
    const stmt = lookup(chain[k]);
    if (!stmt) continue;
    if (k + 1 < chain.length && isRefTo(stmt.value, chain[k + 1])) continue;
    return { name: chain[k], value: stmt.value };
  }
  return undefined;
}

function noplaintextSpan(p: MainCfParameter): Span {
  const t = listTokens(p.value).find((x) => x.text.toLowerCase() === 'noplaintext');
  return t ? p.spanOfValue(t.start, t.end) : p.value ? p.valueSpan : p.nameSpan;
}

function message(v: Verdict, scope: string, target: OptionName = TLS): string {
  return `${scope}"noplaintext" in ${v.option} blocks PLAIN/LOGIN even inside TLS; use noanonymous there.`;
}

function appendLine(after: Span, line: string): SpanEdit {
  return { span: { start: after.end, end: after.end }, newText: `\n${line}` };
}

function checkMain(main: MainCf, get: Setting, report: (r: PostfixReport) => void): boolean {
  const enable = main.effective.get(ENABLE);
  const v = judge(get);
  if (!enable || !v) return false;
  const source = sourceIn((n) => main.effective.get(n), v.option);
  const stmt = source && main.effective.get(source.name);
  // The fix sets the TLS options (or the verified ones, when those are what is set to noplaintext).
  const target: OptionName = source?.name === VERIFIED ? VERIFIED : TLS;
  const line = `${target} = ${withoutNoplaintext(v.value, ', ')}`;
  const existing = main.effective.get(target);
  const edit = existing ? { span: existing.statementSpan, newText: line } : appendLine((main.effective.get(PLAIN) ?? enable).statementSpan, line);
  report({
    file: 'main',
    span: stmt ? noplaintextSpan(stmt) : enable.statementSpan,
    message: message(v, '', target),
    fixes: [{ title: `Set ${line}`, edits: [edit], preferred: true }],
  });
  return true;
}

const RELEVANT = [ENABLE, PLAIN, TLS, VERIFIED, 'smtp_tls_security_level', 'smtp_tls_wrappermode', 'smtp_sasl_mechanism_filter', 'smtp_use_tls', 'smtp_enforce_tls'];

function checkService(s: MasterCfService, get: Setting, mainBad: boolean, report: (r: PostfixReport) => void): void {
  const own = RELEVANT.filter((n) => lastOverride(s, n));
  if (own.length === 0) return;
  const v = judge(get);
  if (!v) return;
  const source = sourceIn((n) => lastOverride(s, n), v.option);
  // When main.cf is already reported and this service only tunes TLS, main.cf's finding covers it.
  if (mainBad && !source) return;
  const name = serviceName(s);
  if (source) {
    const o = lastOverride(s, source.name)!;
    const target = source.name === VERIFIED ? VERIFIED : TLS;
    const fixed = withoutNoplaintext(v.value, ',');
    const edits: SpanEdit[] =
      source.name === target ? [{ span: o.valueSpan, newText: fixed }] : [{ span: { start: s.statementSpan.end, end: s.statementSpan.end }, newText: `\n  -o ${target}=${fixed}` }];
    report({
      file: 'master',
      span: o.span,
      message: message(v, `Service "${name}": `, target),
      fixes: [{ title: `Set -o ${target}=${fixed}`, edits, preferred: true }],
    });
    return;
  }
  const anchor = lastOverride(s, own[0])!;
  const fixed = withoutNoplaintext(v.value, ',');
  report({
    file: 'master',
    span: anchor.span,
    message: message(v, `Service "${name}": `),
    fixes: [{ title: `Add -o ${TLS}=${fixed}`, edits: [{ span: { start: s.statementSpan.end, end: s.statementSpan.end }, newText: `\n  -o ${TLS}=${fixed}` }], preferred: true }],
  });
}

/**
 * Client SASL over TLS while the SASL options still say "noplaintext" (Postfix's default): relays that
 * offer only PLAIN/LOGIN cannot be logged in to.
 */
export const clientSaslNoplaintext: PostfixRule = {
  meta: {
    id: 'postfix/client-sasl-noplaintext',
    description: 'Client SASL over TLS with "noplaintext" in force, so relays offering only PLAIN/LOGIN refuse every login.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    const services = smtpClientServices(instance);
    const main = instance.main;
    let mainBad = false;
    if (main && (!instance.master || services.length > 0)) mainBad = checkMain(main, mainSetting(instance), report);
    for (const s of services) checkService(s, serviceSetting(instance, s), mainBad, report);
  },
};
