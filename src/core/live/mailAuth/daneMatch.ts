// DANE for SMTP (RFC 7672, RFC 7671, RFC 6698), the pure part: which TLSA records an SMTP sender can use,
// and whether one of them matches the certificate chain an MX host presents. No network here.

import { createHash, X509Certificate } from 'crypto';
import type { TlsaData } from '../dnsWire';

export const TLSA_USAGE = { PKIX_TA: 0, PKIX_EE: 1, DANE_TA: 2, DANE_EE: 3 } as const;

/** Why an SMTP sender ignores a TLSA record (RFC 7672 §3.1.3), or undefined when it can use it. */
export function tlsaUnusableReason(record: TlsaData): string | undefined {
  if (record.usage === TLSA_USAGE.PKIX_TA || record.usage === TLSA_USAGE.PKIX_EE) {
    return `certificate usage ${record.usage} (${record.usage === 0 ? 'PKIX-TA' : 'PKIX-EE'}) is not usable for SMTP (RFC 7672 §3.1.3)`;
  }
  if (record.usage !== TLSA_USAGE.DANE_TA && record.usage !== TLSA_USAGE.DANE_EE) return `certificate usage ${record.usage} is not defined`;
  if (record.selector !== 0 && record.selector !== 1) return `selector ${record.selector} is not defined (0: full certificate, 1: public key)`;
  if (record.matchingType < 0 || record.matchingType > 2) return `matching type ${record.matchingType} is not defined (0: exact, 1: SHA-256, 2: SHA-512)`;
  const expected = record.matchingType === 1 ? 64 : record.matchingType === 2 ? 128 : undefined;
  if (expected !== undefined && record.association.length !== expected) {
    return `a ${record.matchingType === 1 ? 'SHA-256' : 'SHA-512'} digest has ${expected / 2} bytes, this one ${record.association.length / 2}`;
  }
  if (record.association.length === 0) return 'the association data is empty';
  return undefined;
}

const USAGE_NAMES = ['PKIX-TA', 'PKIX-EE', 'DANE-TA', 'DANE-EE'];

/** "3 1 1 0123abcd…" — the association shortened to 16 hex digits (a full certificate is kilobytes). */
export function formatTlsa(record: TlsaData): string {
  const a = record.association;
  const data = a.length > 16 ? `${a.slice(0, 16)}…` : a || '(empty)';
  const name = USAGE_NAMES[record.usage];
  return `${record.usage} ${record.selector} ${record.matchingType} ${data}${name ? ` (${name})` : ''}`;
}

// ---- DER ---------------------------------------------------------------------------------------------------

interface Tlv {
  readonly tag: number;
  /** Start of the whole element (its tag byte), of its contents, and the first byte after it. */
  readonly start: number;
  readonly contents: number;
  readonly end: number;
}

/** One DER element at `pos`, bounded by `limit`; undefined when it does not fit or uses forms DER forbids. */
function readTlv(buf: Uint8Array, pos: number, limit: number): Tlv | undefined {
  if (pos + 2 > limit) return undefined;
  const tag = buf[pos];
  if ((tag & 0x1f) === 0x1f) return undefined; // high tag numbers: not in a certificate's outer structure
  let length = buf[pos + 1];
  let contents = pos + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || contents + bytes > limit) return undefined;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + buf[contents + i];
    contents += bytes;
  }
  const end = contents + length;
  return end > limit ? undefined : { tag, start: pos, contents, end };
}

/**
 * The SubjectPublicKeyInfo of a DER certificate, byte for byte as it is in the certificate (what selector 1
 * hashes); undefined when `der` is not a certificate.
 */
export function spkiOf(der: Uint8Array): Buffer | undefined {
  const certificate = readTlv(der, 0, der.length);
  if (!certificate || certificate.tag !== 0x30) return undefined;
  const tbs = readTlv(der, certificate.contents, certificate.end);
  if (!tbs || tbs.tag !== 0x30) return undefined;
  let pos = tbs.contents;
  const next = (): Tlv | undefined => {
    const tlv = readTlv(der, pos, tbs.end);
    if (tlv) pos = tlv.end;
    return tlv;
  };
  let element = next();
  if (element?.tag === 0xa0) element = next(); // [0] version
  // serialNumber INTEGER, then signature, issuer, validity, subject (SEQUENCEs), then the key.
  if (element?.tag !== 0x02) return undefined;
  for (let i = 0; i < 4; i++) if (next()?.tag !== 0x30) return undefined;
  const spki = next();
  if (!spki || spki.tag !== 0x30) return undefined;
  return Buffer.from(der.buffer, der.byteOffset + spki.start, spki.end - spki.start);
}

/** The bytes a record's selector picks from a certificate, digested as its matching type says. */
function associationOf(record: TlsaData, der: Buffer): string | undefined {
  const selected = record.selector === 0 ? der : spkiOf(der);
  if (!selected) return undefined;
  if (record.matchingType === 0) return selected.toString('hex');
  return createHash(record.matchingType === 1 ? 'sha256' : 'sha512').update(selected).digest('hex');
}

/** Whether `record` matches the certificate `der` (its selector and matching type applied). */
export function tlsaMatchesCertificate(record: TlsaData, der: Buffer): boolean {
  const value = associationOf(record, der);
  return value !== undefined && value === record.association.toLowerCase();
}

/** SHA-256 of the certificate's public key: what a `3 1 1` record for it holds. */
export function tlsa311(der: Buffer): string | undefined {
  return associationOf({ usage: 3, selector: 1, matchingType: 1, association: '' }, der);
}

// ---- matching a chain ----------------------------------------------------------------------------------------

export interface ChainFacts {
  /** DER, leaf first, as the server presented it. */
  readonly chain: readonly Buffer[];
  /** Whether the leaf names the MX host (needed for DANE-TA, not for DANE-EE: RFC 7672 §3.2.3). */
  readonly hostnameMatches: boolean;
  /** For validity checks of DANE-TA chains (default: now). */
  readonly now?: number;
}

export interface TlsaMatch {
  readonly record: TlsaData;
  /** Index in the chain of the certificate it matched (0: the leaf). */
  readonly certificateIndex: number;
}

export interface TlsaVerdict {
  /** The first usable record that authenticates the server; undefined when none does. */
  readonly match?: TlsaMatch;
  /** Why each usable record that matched some certificate still did not authenticate the server. */
  readonly notes: readonly string[];
}

function x509(der: Buffer): X509Certificate | undefined {
  try {
    return new X509Certificate(der);
  } catch {
    return undefined;
  }
}

/**
 * Whether chain[0..taIndex] is a valid path up to the trust anchor at `taIndex`: each certificate issued and
 * signed by the next, and each below the anchor within its validity period. Undefined when it is; else why not.
 */
function chainProblem(chain: readonly Buffer[], taIndex: number, now: number): string | undefined {
  const certs = chain.slice(0, taIndex + 1).map(x509);
  if (certs.some((c) => !c)) return 'a certificate in the chain does not parse';
  for (let i = 0; i < taIndex; i++) {
    const cert = certs[i]!;
    const issuer = certs[i + 1]!;
    let signed = false;
    try {
      signed = cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
    } catch {
      signed = false;
    }
    if (!signed) return `certificate ${i} of the chain is not signed by certificate ${i + 1}`;
    const from = Date.parse(cert.validFrom);
    const to = Date.parse(cert.validTo);
    if (!(from <= now && now <= to)) return `certificate ${i} of the chain is outside its validity period (${cert.validFrom} – ${cert.validTo})`;
  }
  return undefined;
}

/**
 * Matches the usable TLSA records against a presented chain, as an SMTP DANE client does: DANE-EE(3) against
 * the leaf, nothing else checked (no names, no dates); DANE-TA(2) against a certificate above the leaf, which
 * must then chain to it with valid signatures and dates, and the leaf must name the host.
 */
export function matchTlsa(records: readonly TlsaData[], facts: ChainFacts): TlsaVerdict {
  const notes: string[] = [];
  const now = facts.now ?? Date.now();
  const usable = records.filter((r) => tlsaUnusableReason(r) === undefined);
  for (const record of usable) {
    if (record.usage === TLSA_USAGE.DANE_EE) {
      if (facts.chain[0] && tlsaMatchesCertificate(record, facts.chain[0])) return { match: { record, certificateIndex: 0 }, notes };
      continue;
    }
    for (let i = 1; i < facts.chain.length; i++) {
      if (!tlsaMatchesCertificate(record, facts.chain[i])) continue;
      const problem = chainProblem(facts.chain, i, now);
      if (problem) notes.push(`${formatTlsa(record)} matches certificate ${i} of the chain, but ${problem}`);
      else if (!facts.hostnameMatches) notes.push(`${formatTlsa(record)} matches certificate ${i} of the chain, but the server certificate does not name the MX host (DANE-TA requires it)`);
      else return { match: { record, certificateIndex: i }, notes };
    }
    if (facts.chain[0] && tlsaMatchesCertificate(record, facts.chain[0])) {
      notes.push(`${formatTlsa(record)} matches the server's own certificate, but usage 2 (DANE-TA) must name an issuing CA: use usage 3 (DANE-EE) for the server's certificate`);
    }
  }
  return { notes };
}
