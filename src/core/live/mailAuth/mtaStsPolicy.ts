// MTA-STS (RFC 8461) text formats, pure: the `_mta-sts` TXT record, the policy file served at
// https://mta-sts.<domain>/.well-known/mta-sts.txt, and how a policy's `mx:` patterns match MX host names.

/** Longest `max_age` a policy may give (RFC 8461 §3.2: about one year). */
export const STS_MAX_AGE_LIMIT = 31_557_600;
/** A policy cached for less than a day gives little protection (RFC 8461 §3.2 suggests weeks). */
export const STS_MAX_AGE_SHORT = 86_400;
/** Most policy lines and mx patterns looked at. */
export const MAX_POLICY_LINES = 1000;
export const MAX_MX_PATTERNS = 100;

export interface StsRecordParse {
  /** Records at the name that look like MTA-STS (start with v=STSv1, in any case). */
  readonly candidates: readonly string[];
  /** The one valid record's id, when there is exactly one candidate and it is valid. */
  readonly id?: string;
  /** Why the record is unusable, one reason each; empty when valid (or when there is no candidate). */
  readonly errors: readonly string[];
}

const STS_VERSION_LOOSE = /^\s*v\s*=\s*stsv1\b/i;
const EXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const EXT_VALUE = /^[\x21-\x3a\x3c\x3e-\x7e]+$/;

/**
 * The `_mta-sts.<domain>` TXT records, judged as a sender does (RFC 8461 §3.1): records not starting with
 * `v=STSv1` are ignored; anything but exactly one remaining, valid record means "no policy".
 */
export function parseStsRecords(records: readonly string[]): StsRecordParse {
  const candidates = records.filter((r) => STS_VERSION_LOOSE.test(r));
  if (candidates.length === 0) return { candidates, errors: [] };
  if (candidates.length > 1) return { candidates, errors: [`${candidates.length} records start with v=STSv1; senders ignore MTA-STS unless there is exactly one`] };
  const errors: string[] = [];
  const fields = candidates[0].split(';').map((f) => f.replace(/^[ \t]+|[ \t]+$/g, ''));
  if (fields[fields.length - 1] === '') fields.pop(); // one trailing ";" is allowed
  if (fields[0] !== 'v=STSv1') errors.push(`the record must start with exactly "v=STSv1;" (case-sensitive), not "${fields[0].slice(0, 40)}"`);
  let id: string | undefined;
  for (const field of fields.slice(1)) {
    const eq = field.indexOf('=');
    const name = eq < 0 ? field : field.slice(0, eq);
    const value = eq < 0 ? '' : field.slice(eq + 1);
    if (field === '') {
      errors.push('empty field (";;")');
    } else if (name === 'id') {
      if (id !== undefined) errors.push('id= appears more than once');
      else if (!/^[A-Za-z0-9]{1,32}$/.test(value)) errors.push(`id "${value.slice(0, 40)}" must be 1 to 32 letters and digits (no dashes, dots or spaces)`);
      id ??= value;
    } else if (eq < 0 || !EXT_NAME.test(name) || !EXT_VALUE.test(value)) {
      errors.push(`malformed field "${field.slice(0, 60)}"`);
    }
  }
  if (id === undefined) errors.push('the id= field is missing');
  return errors.length === 0 ? { candidates, id, errors } : { candidates, errors };
}

export type StsMode = 'enforce' | 'testing' | 'none';

export interface StsPolicy {
  readonly version?: string;
  readonly mode?: StsMode;
  /** Seconds, as written (may exceed STS_MAX_AGE_LIMIT; see `errors`). */
  readonly maxAge?: number;
  /** The `mx:` patterns, lowercased, without a trailing dot. */
  readonly mx: readonly string[];
  /** Keys not defined by RFC 8461 (ignored by senders). */
  readonly unknownKeys: readonly string[];
  /** What makes senders discard the policy; empty when it is valid. */
  readonly errors: readonly string[];
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A host name of at least two labels (letters, digits, hyphens), or one preceded by `*.`. */
export function isValidMxPattern(pattern: string): boolean {
  const name = pattern.startsWith('*.') ? pattern.slice(2) : pattern;
  const labels = name.split('.');
  return name.length <= 253 && labels.length >= 2 && labels.every((l) => LABEL.test(l));
}

/** The policy file (RFC 8461 §3.2): `key: value` lines; version, mode, max_age and (unless mode none) mx required. */
export function parseStsPolicy(text: string): StsPolicy {
  const errors: string[] = [];
  const unknownKeys: string[] = [];
  const mx: string[] = [];
  const seen = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  if (lines.length > MAX_POLICY_LINES) errors.push(`more than ${MAX_POLICY_LINES} lines`);
  lines.slice(0, MAX_POLICY_LINES).forEach((raw, i) => {
    const line = raw.replace(/[ \t]+$/, '');
    if (line === '') return;
    const m = /^([A-Za-z0-9][A-Za-z0-9_.-]{0,31}):[ \t]*(.*)$/.exec(line);
    if (!m) {
      errors.push(`line ${i + 1} is not "key: value": "${line.slice(0, 80)}"`);
      return;
    }
    const [, key, value] = m;
    if (key === 'mx') {
      const pattern = value.toLowerCase().replace(/\.$/, '');
      if (!isValidMxPattern(pattern)) errors.push(`mx "${value.slice(0, 80)}" is not a host name or *.domain pattern`);
      else if (mx.length < MAX_MX_PATTERNS) mx.push(pattern);
      return;
    }
    if (key !== 'version' && key !== 'mode' && key !== 'max_age') {
      if (unknownKeys.length < 20) unknownKeys.push(key);
      return;
    }
    if (seen.has(key)) {
      errors.push(`${key} appears more than once`);
      return;
    }
    seen.set(key, value);
  });

  const version = seen.get('version');
  if (version === undefined) errors.push('the version field is missing (it must be "version: STSv1")');
  else if (version !== 'STSv1') errors.push(`version "${version.slice(0, 40)}" is not STSv1`);

  const modeText = seen.get('mode');
  let mode: StsMode | undefined;
  if (modeText === undefined) errors.push('the mode field is missing (enforce, testing or none)');
  else if (modeText === 'enforce' || modeText === 'testing' || modeText === 'none') mode = modeText;
  else errors.push(`mode "${modeText.slice(0, 40)}" is not enforce, testing or none`);

  const ageText = seen.get('max_age');
  let maxAge: number | undefined;
  if (ageText === undefined) errors.push('the max_age field is missing');
  else if (!/^[0-9]{1,10}$/.test(ageText)) errors.push(`max_age "${ageText.slice(0, 40)}" is not a number of seconds`);
  else {
    maxAge = Number(ageText);
    if (maxAge > STS_MAX_AGE_LIMIT) errors.push(`max_age ${maxAge} is over the limit of ${STS_MAX_AGE_LIMIT} seconds (one year)`);
  }

  if (mx.length === 0 && mode !== 'none' && !errors.some((e) => e.startsWith('mx '))) errors.push('no mx: line; every MX host must be listed (mode enforce or testing)');
  return {
    ...(version !== undefined ? { version } : {}),
    ...(mode ? { mode } : {}),
    ...(maxAge !== undefined ? { maxAge } : {}),
    mx,
    unknownKeys,
    errors,
  };
}

/**
 * Whether MX host `host` matches policy pattern `pattern` (RFC 8461 §4.1): exact, case-insensitive, or
 * `*.example.com` for exactly one more label (mail.example.com, not example.com nor a.b.example.com).
 */
export function mxMatchesPattern(host: string, pattern: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const p = pattern.toLowerCase().replace(/\.$/, '');
  if (!p.startsWith('*.')) return h === p;
  const suffix = p.slice(1); // ".example.com"
  if (!h.endsWith(suffix)) return false;
  const first = h.slice(0, h.length - suffix.length);
  return first.length > 0 && !first.includes('.');
}

/** The MX hosts that no pattern matches. */
export function unmatchedMxHosts(hosts: readonly string[], patterns: readonly string[]): string[] {
  return hosts.filter((h) => !patterns.some((p) => mxMatchesPattern(h, p)));
}
