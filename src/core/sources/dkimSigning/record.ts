// DKIM key records (RFC 6376 §3.6.1, RFC 8463 for Ed25519, RFC 8301 for key sizes and hashes): the
// tag list published at `selector._domainkey.domain`, and what its public key is.
import { createPublicKey } from 'crypto';
import { printable } from '../../escape';

export interface DkimTag {
  readonly name: string;
  readonly value: string;
}

export interface DkimRecord {
  /** Tags in the order written. */
  readonly tags: readonly DkimTag[];
  /** v=, when present. */
  readonly version?: string;
  /** k= in lower case (rsa when absent). */
  readonly keyType: string;
  /** p= with white space removed; '' for a revoked key. */
  readonly publicKey: string;
  /** t= flags in lower case (y: testing, s: strict). */
  readonly flags: readonly string[];
  /** h= in lower case, when present: the only hash algorithms the key may be used with. */
  readonly hashes?: readonly string[];
  /** s= in lower case, when present: the service types (email, *). */
  readonly services?: readonly string[];
  /** Whether v= is somewhere other than first (strict verifiers discard such records). */
  readonly versionNotFirst: boolean;
}

export type DkimParse =
  | { readonly ok: true; readonly record: DkimRecord }
  /** `discarded`: a v= other than DKIM1, which RFC 6376 says verifiers discard (not a DKIM key at all, e.g. v=spf1). */
  | { readonly ok: false; readonly error: string; readonly discarded?: boolean };

const TAG_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** Longer records are not DKIM keys (a 16384-bit RSA key is about 2,800 characters). */
export const MAX_DKIM_RECORD_CHARS = 8192;

const list = (v: string, sep: RegExp) =>
  v
    .split(sep)
    .map((x) => x.trim().toLowerCase())
    .filter((x) => x !== '');

/** Parses a key record (the TXT strings already joined). */
export function parseDkimRecord(text: string): DkimParse {
  if (text.length > MAX_DKIM_RECORD_CHARS) return { ok: false, error: `the record is ${text.length} characters long, far more than any DKIM key` };
  const tags: DkimTag[] = [];
  const seen = new Set<string>();
  for (const spec of text.split(';')) {
    if (spec.trim() === '') continue;
    const eq = spec.indexOf('=');
    if (eq < 0) return { ok: false, error: `"${clip(spec.trim())}" is not a tag=value pair` };
    const name = spec.slice(0, eq).trim();
    const value = spec.slice(eq + 1).trim();
    if (!TAG_NAME.test(name)) return { ok: false, error: `"${clip(name)}" is not a tag name` };
    if (seen.has(name)) return { ok: false, error: `the tag ${name}= appears twice, which makes the whole record invalid` };
    seen.add(name);
    tags.push({ name, value });
  }
  if (!tags.length) return { ok: false, error: 'the record is empty' };
  const get = (n: string) => tags.find((t) => t.name === n)?.value;
  const version = get('v');
  if (version !== undefined && version !== 'DKIM1') {
    return { ok: false, discarded: true, error: `v=${clip(version)} is not DKIM1, so verifiers discard the record` };
  }
  const p = get('p');
  if (p === undefined) return { ok: false, error: 'the record has no p= tag (the public key)' };
  const h = get('h');
  const s = get('s');
  return {
    ok: true,
    record: {
      tags,
      ...(version !== undefined ? { version } : {}),
      keyType: (get('k') ?? 'rsa').trim().toLowerCase(),
      publicKey: p.replace(/\s+/g, ''),
      flags: list(get('t') ?? '', /:/),
      ...(h !== undefined ? { hashes: list(h, /:/) } : {}),
      ...(s !== undefined ? { services: list(s, /:/) } : {}),
      versionNotFirst: version !== undefined && tags[0].name !== 'v',
    },
  };
}

/** Text from DNS, safe to quote in a message: control characters replaced, cut short. */
const clip = (s: string) => printable(s, 40);

export type DkimKey =
  | { readonly ok: true; readonly type: 'rsa'; readonly bits: number; readonly encoding: 'spki' | 'pkcs1' }
  | { readonly ok: true; readonly type: 'ed25519' }
  | { readonly ok: false; readonly error: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The public key p= holds for key type k=: an RSA key (SubjectPublicKeyInfo, or a bare PKCS#1
 * RSAPublicKey, which some generators publish and verifiers accept) with its size, or an Ed25519 key
 * (RFC 8463: the raw 32 bytes).
 */
export function dkimPublicKey(keyType: string, p: string): DkimKey {
  const data = p.replace(/\s+/g, '');
  if (!BASE64.test(data) || data.length % 4 === 1) return { ok: false, error: 'p= is not valid base64' };
  const der = Buffer.from(data, 'base64');
  if (der.length === 0) return { ok: false, error: 'p= is empty' };
  if (keyType === 'ed25519') {
    if (der.length !== 32) {
      const hint = der.length === 44 ? ' (this looks like a SubjectPublicKeyInfo: publish only its last 32 bytes)' : '';
      return { ok: false, error: `an Ed25519 key is 32 bytes, p= holds ${der.length}${hint}` };
    }
    try {
      createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), der]), format: 'der', type: 'spki' });
    } catch {
      return { ok: false, error: 'p= is not an Ed25519 public key' };
    }
    return { ok: true, type: 'ed25519' };
  }
  if (keyType !== 'rsa') return { ok: false, error: `k=${clip(keyType)} is not a key type verifiers know (rsa, ed25519)` };
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      const key = createPublicKey({ key: der, format: 'der', type });
      if (key.asymmetricKeyType !== 'rsa') return { ok: false, error: `k=rsa, but p= holds a${key.asymmetricKeyType === 'ed25519' ? 'n' : ''} ${key.asymmetricKeyType ?? 'unknown'} key` };
      const bits = key.asymmetricKeyDetails?.modulusLength;
      if (!bits) return { ok: false, error: 'p= is an RSA key of unknown size' };
      return { ok: true, type: 'rsa', bits, encoding: type };
    } catch {
      // Try the other encoding.
    }
  }
  return { ok: false, error: 'p= is base64, but not an RSA public key (neither SubjectPublicKeyInfo nor RSAPublicKey)' };
}
