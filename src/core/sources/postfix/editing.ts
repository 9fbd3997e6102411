// What an editor asks of a Postfix configuration: completion of names and values, where a `$name` is
// defined and used, and the outline. Pure: offsets in, spans out; the VS Code adapter turns them into
// its own types.
import type { PostfixInstance } from './instance';
import { findReferences } from './macros';
import type { MainCfParameter, Span } from './mainCf';
import { serviceName, serviceType } from './masterCf';
import { parameterNameAt } from './nameAt';
import { parameterType } from './parameterTypes';
import { POSTFIX_DEFAULTS } from './parameters.generated';

export type PostfixFileKind = 'main' | 'master';

export interface CompletionCandidate {
  readonly label: string;
  readonly kind: 'parameter' | 'value' | 'table-type' | 'restriction';
  /** A short note (the default value, what a word means). */
  readonly detail?: string;
  /** What to insert in place of `replace` (defaults to the label). */
  readonly insertText?: string;
}

export interface Completions {
  readonly items: readonly CompletionCandidate[];
  /** The text the chosen item replaces (the word typed so far). */
  readonly replace: Span;
}

/** Restrictions accepted in smtpd_*_restrictions (postconf(5)), plus the generic actions. */
export const RESTRICTIONS: readonly string[] = [
  'permit_mynetworks', 'permit_sasl_authenticated', 'permit_tls_clientcerts', 'permit_tls_all_clientcerts', 'permit_auth_destination',
  'permit_mx_backup', 'permit_inet_interfaces', 'permit_dnswl_client', 'permit_rhswl_client', 'reject_unauth_destination',
  'defer_unauth_destination', 'reject_unauth_pipelining', 'reject_unknown_client_hostname', 'reject_unknown_reverse_client_hostname',
  'reject_invalid_helo_hostname', 'reject_non_fqdn_helo_hostname', 'reject_unknown_helo_hostname', 'reject_non_fqdn_sender',
  'reject_non_fqdn_recipient', 'reject_unknown_sender_domain', 'reject_unknown_recipient_domain', 'reject_unlisted_sender',
  'reject_unlisted_recipient', 'reject_unverified_sender', 'reject_unverified_recipient', 'reject_sender_login_mismatch',
  'reject_authenticated_sender_login_mismatch', 'reject_known_sender_login_mismatch', 'reject_unauthenticated_sender_login_mismatch',
  'reject_rbl_client', 'reject_rhsbl_client', 'reject_rhsbl_reverse_client', 'reject_rhsbl_helo', 'reject_rhsbl_sender',
  'reject_rhsbl_recipient', 'reject_plaintext_session', 'reject_multi_recipient_bounce', 'check_client_access',
  'check_reverse_client_hostname_access', 'check_client_a_access', 'check_helo_access', 'check_sender_access', 'check_recipient_access',
  'check_sender_mx_access', 'check_recipient_mx_access', 'check_sender_ns_access', 'check_recipient_ns_access', 'check_ccert_access',
  'check_sasl_access', 'check_policy_service', 'permit', 'reject', 'defer', 'defer_if_permit', 'defer_if_reject', 'warn_if_reject', 'sleep',
];

/** Lookup-table types (postconf -m, plus the ones built into every Postfix). */
export const TABLE_TYPES: readonly string[] = [
  'hash', 'btree', 'lmdb', 'cdb', 'dbm', 'sdbm', 'texthash', 'regexp', 'pcre', 'cidr', 'inline', 'static', 'unionmap', 'pipemap',
  'randmap', 'proxy', 'ldap', 'mysql', 'pgsql', 'sqlite', 'memcache', 'tcp', 'socketmap', 'unix', 'environ', 'fail', 'internal', 'nis',
];

/** Whether a parameter's value is a list of lookup tables (`*_maps`, `*_checks`, alias_database). */
function takesTables(name: string): boolean {
  return /_maps$|_checks$|^alias_database$|_sasl_password_maps$/.test(name);
}

function takesRestrictions(name: string): boolean {
  return /^smtpd_[a-z_]*restrictions$|^smtpd_restriction_classes$|^postscreen_[a-z_]*restrictions$/.test(name);
}

const isNameChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);
const shortDefault = (name: string) => {
  const d = POSTFIX_DEFAULTS.get(name);
  if (d === undefined) return undefined;
  return `default: ${d === '' ? '(empty)' : d.length > 60 ? d.slice(0, 59) + '…' : d}`;
};

function parameterCandidates(suffix = ''): CompletionCandidate[] {
  return [...POSTFIX_DEFAULTS.keys()].sort().map((name) => ({ label: name, kind: 'parameter', detail: shortDefault(name), insertText: name + suffix }));
}

/** The words a value of `name` may hold. */
function valueCandidates(name: string): CompletionCandidate[] {
  const type = parameterType(name);
  if (type.kind === 'boolean') return ['yes', 'no'].map((label) => ({ label, kind: 'value' }));
  if (type.kind === 'enum') return (type.values ?? []).map((label) => ({ label, kind: 'value' }));
  if (takesRestrictions(name)) return RESTRICTIONS.map((label) => ({ label, kind: 'restriction' }));
  if (takesTables(name)) return TABLE_TYPES.map((t) => ({ label: `${t}:`, kind: 'table-type', insertText: `${t}:` }));
  return [];
}

/**
 * Completions at `offset` of a main.cf or master.cf text: parameter names where a name goes (the start of a
 * main.cf line, after `-o ` in master.cf, after `$`), values where a value goes (yes/no, TLS levels and other
 * enumerations, restriction names, table types).
 */
export function completionsAt(kind: PostfixFileKind, text: string, offset: number): Completions {
  let wordStart = offset;
  while (wordStart > 0 && isNameChar(text[wordStart - 1])) wordStart--;
  const replace = { start: wordStart, end: offset };
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, wordStart);
  if (text[wordStart - 1] === '$' || text.slice(Math.max(0, wordStart - 2), wordStart) === '${' || text.slice(Math.max(0, wordStart - 2), wordStart) === '$(') {
    return { items: parameterCandidates(), replace };
  }
  if (/^\s*#/.test(before)) return { items: [], replace };
  if (kind === 'main') {
    // A name starts a line; an indented line continues the value of the statement above.
    if (before === '') return { items: parameterCandidates(' = '), replace };
    const statement = /^([A-Za-z0-9_]+)\s*=/.exec(before) ?? (/^\s/.test(before) ? continuedName(text, lineStart) : undefined);
    if (!statement) return { items: [], replace };
    return { items: valueCandidates(statement[1]), replace };
  }
  // master.cf: `-o name=value` in a service's arguments.
  const option = /(?:^|\s)-o\s+(?:\{\s*)?([A-Za-z0-9_]*)(=?)[^\s=]*$/.exec(text.slice(lineStart, offset));
  if (!option) return { items: [], replace };
  if (option[2] === '=') {
    // After `name=`: the value's word may follow a comma.
    return { items: valueCandidates(option[1]), replace };
  }
  return { items: parameterCandidates('='), replace };
}

/** The name of the statement an indented line continues (the nearest line above that starts with a name). */
function continuedName(text: string, lineStart: number): RegExpExecArray | undefined {
  let end = lineStart - 1;
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end);
    if (/^[A-Za-z0-9_]+\s*=/.test(line)) return /^([A-Za-z0-9_]+)\s*=/.exec(line) ?? undefined;
    if (line.trim() !== '' && !/^\s/.test(line) && !/^#/.test(line)) return undefined;
    end = start - 1;
  }
  return undefined;
}

/** One place a parameter name appears. */
export interface NameOccurrence {
  readonly file: PostfixFileKind;
  readonly span: Span;
  /** `definition`: `name = …` in main.cf or `-o name=…` in master.cf; `reference`: a `$name`. */
  readonly role: 'definition' | 'reference';
}

/** The parameter name at an offset (a main.cf name, a `$name`, a master.cf `-o` name). */
export function nameAt(instance: PostfixInstance, file: PostfixFileKind, offset: number): { name: string; span: Span } | undefined {
  return parameterNameAt(instance, file, offset);
}

/** Where `name` is set in force: the last `name = …` of main.cf. */
export function definitionOf(instance: PostfixInstance, name: string): NameOccurrence | undefined {
  const p = instance.main?.effective.get(name);
  return p ? { file: 'main', span: p.nameSpan, role: 'definition' } : undefined;
}

/** Every place `name` appears: its definitions in main.cf, `$name` in any value, `-o name=` and `$name` in master.cf. */
export function occurrencesOf(instance: PostfixInstance, name: string): NameOccurrence[] {
  const out: NameOccurrence[] = [];
  for (const p of instance.main?.parameters ?? []) {
    if (p.name === name) out.push({ file: 'main', span: p.nameSpan, role: 'definition' });
    for (const r of instance.referencesOf(p)) if (r.name === name) out.push({ file: 'main', span: p.spanOfValue(r.nameStart, r.nameEnd), role: 'reference' });
  }
  for (const s of instance.master?.services ?? []) {
    for (const o of s.overrides) {
      if (o.name === name) out.push({ file: 'master', span: o.nameSpan, role: 'definition' });
      for (const r of findReferences(o.value).refs) {
        if (r.name === name) out.push({ file: 'master', span: { start: o.valueSpan.start + r.nameStart, end: o.valueSpan.start + r.nameEnd }, role: 'reference' });
      }
    }
  }
  return out;
}

/** An entry of the outline: a main.cf parameter, or a master.cf service with its `-o` overrides. */
export interface OutlineSymbol {
  readonly name: string;
  readonly detail: string;
  readonly kind: 'parameter' | 'service' | 'override';
  readonly span: Span;
  readonly nameSpan: Span;
  readonly children: readonly OutlineSymbol[];
}

const shortValue = (v: string) => (v.length > 60 ? v.slice(0, 59) + '…' : v);

/** The outline of a main.cf (every statement) or a master.cf (every service and its overrides). */
export function outlineOf(instance: PostfixInstance, file: PostfixFileKind, redact: (name: string, value: string) => string): OutlineSymbol[] {
  if (file === 'main') {
    return (instance.main?.parameters ?? []).map((p: MainCfParameter) => ({
      name: p.name,
      detail: shortValue(redact(p.name, p.value)),
      kind: 'parameter',
      span: p.statementSpan,
      nameSpan: p.nameSpan,
      children: [],
    }));
  }
  return (instance.master?.services ?? []).map((s) => ({
    name: serviceName(s),
    detail: `${serviceType(s)} · ${s.fields[7]?.text ?? ''}`.trim(),
    kind: 'service',
    span: s.statementSpan,
    nameSpan: s.fields[0].span,
    children: s.overrides.map((o) => ({ name: o.name, detail: shortValue(redact(o.name, o.value)), kind: 'override', span: o.span, nameSpan: o.nameSpan, children: [] })),
  }));
}

/** The master.cf `-o` override at an offset, with its service (for the hover that shows what it changes). */
export function overrideAt(instance: PostfixInstance, offset: number): { service: string; name: string; value: string; span: Span } | undefined {
  for (const s of instance.master?.services ?? []) {
    if (offset < s.statementSpan.start || offset > s.statementSpan.end) continue;
    for (const o of s.overrides) if (offset >= o.span.start && offset <= o.span.end) return { service: `${serviceName(s)} (${serviceType(s)})`, name: o.name, value: o.value, span: o.nameSpan };
  }
  return undefined;
}
