// What kind of value a Postfix parameter takes, for validation and hovers. Booleans, integers and
// time values are how the Postfix daemons read each name (versions.generated.ts, from the source);
// enumerations are listed by hand from the documentation of current Postfix.

import { PER_TRANSPORT_SUFFIXES } from './parameters.generated';
import { PARAMETER_VERSIONS } from './versions.generated';

export type ParameterKind = 'boolean' | 'integer' | 'time' | 'enum' | 'other';

export interface ParameterType {
  readonly kind: ParameterKind;
  /** enum: the words Postfix accepts. */
  readonly values?: readonly string[];
  /** enum: the value is a comma/space separated list of those words. */
  readonly list?: boolean;
  /** enum: Postfix compares the words exactly (else case-insensitively). */
  readonly caseSensitive?: boolean;
  /** enum: an empty value is accepted. */
  readonly allowEmpty?: boolean;
  /** A bad value is not fatal (Postfix logs a warning and goes on without that feature). */
  readonly notFatal?: boolean;
  /** other: a pattern the whole value must match, and how to describe it to a person. */
  readonly pattern?: RegExp;
  readonly syntax?: string;
}

export const SERVER_TLS_LEVELS = ['none', 'may', 'encrypt'] as const;
export const CLIENT_TLS_LEVELS = ['none', 'may', 'encrypt', 'dane', 'dane-only', 'fingerprint', 'verify', 'secure'] as const;

const TLS_CIPHER_GRADES = ['export', 'low', 'medium', 'high', 'null'];
const POSTSCREEN_ACTIONS = ['ignore', 'enforce', 'drop'];

const ENUMS: ReadonlyMap<string, ParameterType> = new Map<string, ParameterType>([
  ...['smtpd_tls_security_level', 'postscreen_tls_security_level', 'tlsproxy_tls_security_level'].map(
    (n): [string, ParameterType] => [n, { kind: 'enum', values: SERVER_TLS_LEVELS, allowEmpty: true }],
  ),
  ...['smtp_tls_security_level', 'lmtp_tls_security_level'].map(
    (n): [string, ParameterType] => [n, { kind: 'enum', values: CLIENT_TLS_LEVELS, allowEmpty: true }],
  ),
  ...['smtp_dns_support_level', 'lmtp_dns_support_level'].map(
    (n): [string, ParameterType] => [n, { kind: 'enum', values: ['disabled', 'enabled', 'dnssec'], allowEmpty: true }],
  ),
  // postconf rejects "IPv4" and "ipv4:ipv6" ("unknown inet_protocols value"), but accepts an empty list.
  ['inet_protocols', { kind: 'enum', values: ['all', 'ipv4', 'ipv6'], list: true, caseSensitive: true, allowEmpty: true }],
  ['mynetworks_style', { kind: 'enum', values: ['host', 'subnet', 'class'], caseSensitive: true }],
  ['notify_classes', { kind: 'enum', values: ['bounce', '2bounce', 'data', 'delay', 'policy', 'protocol', 'resource', 'software'], list: true, allowEmpty: true }],
  ...['smtpd', 'smtp', 'lmtp', 'tlsproxy'].flatMap((p): [string, ParameterType][] => [
    // A bad grade fails each TLS handshake with a warning ("invalid cipher grade"), not the daemon.
    [`${p}_tls_ciphers`, { kind: 'enum', values: TLS_CIPHER_GRADES, allowEmpty: true, notFatal: true }],
    [`${p}_tls_mandatory_ciphers`, { kind: 'enum', values: TLS_CIPHER_GRADES, allowEmpty: true, notFatal: true }],
  ]),
  ...['smtpd_tls_eecdh_grade', 'tlsproxy_tls_eecdh_grade'].map(
    (n): [string, ParameterType] => [n, { kind: 'enum', values: ['auto', 'none', 'strong', 'ultra'], notFatal: true }],
  ),
  ...['greet', 'dnsbl', 'denylist', 'blacklist', 'pipelining', 'non_smtp_command', 'bare_newline'].map(
    (n): [string, ParameterType] => [`postscreen_${n}_action`, { kind: 'enum', values: POSTSCREEN_ACTIONS }],
  ),
  ['compatibility_level', { kind: 'other', pattern: /^\d+(\.\d+)*$/, syntax: 'a release number such as 2, 3.6 or 3.7' }],
  // Postfix ≥ 3.5.24/3.6.14/3.7.10/3.8.5 (note: ≥ 3.9); the first back-ports took yes/no only.
  ['smtpd_forbid_bare_newline', { kind: 'enum', values: ['normalize', 'yes', 'note', 'reject', 'no'] }],
]);

/**
 * Parameters Postfix does not $-expand when it reads main.cf: their `$name`s are filled in later
 * from delivery or client attributes (found by asking postconf which references it warns about).
 */
export const RAW_PARAMETERS: ReadonlySet<string> = new Set([...PARAMETER_VERSIONS].filter(([, row]) => row[1] === 'raw').map(([name]) => name));

/** The kind of value `name` takes; 'other' when nothing more is known. */
// Types follow from the static table, so each name is worked out once (a big main.cf asks ~1,000 times).
const typeCache = new Map<string, ParameterType>();

export function parameterType(name: string): ParameterType {
  let type = typeCache.get(name);
  if (!type) {
    type = typeOf(name);
    if (typeCache.size < 10_000) typeCache.set(name, type);
  }
  return type;
}

function typeOf(name: string): ParameterType {
  const known = ENUMS.get(name);
  if (known) return known;
  let kind = PARAMETER_VERSIONS.get(name)?.[1];
  if (kind === undefined) {
    // A per-transport parameter (slow_destination_rate_delay) takes what its default_* sibling takes.
    // <service>_time_limit of a pipe or spawn service is read like command_time_limit.
    const suffix = PER_TRANSPORT_SUFFIXES.find((s) => name.endsWith(s));
    kind = suffix ? PARAMETER_VERSIONS.get('default' + suffix)?.[1] : name.endsWith('_time_limit') ? PARAMETER_VERSIONS.get('command_time_limit')?.[1] : undefined;
  }
  return kind === 'boolean' || kind === 'integer' || kind === 'time' ? { kind } : { kind: 'other' };
}
