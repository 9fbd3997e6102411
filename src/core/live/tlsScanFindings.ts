// What a TLS scan found (tlsScan.ts asks the questions): its result, and what it means for the configuration
// that named the endpoint. Apart from the scan itself, so that reading a result (findings, reports, the
// Results tree) does not load the SMTP session and ClientHello code a run without a scan never uses.

import { shortName } from './messageText';
import type { Finding, Severity } from '../model';
import { redactText } from '../redact';
import type { ConfigLocation } from './configLocation';
import { LIVE_RULES } from './liveRules';
import type { ProbeRole } from './probeRole';
import { SERVER_RULES } from './serverRules';
import type { TlsVersionName, WeakCipherFamily } from './tlsHello';

/** One answer: accepted (with the suite the server chose), refused, or unknown (the question could not be asked). */
export interface ScanAnswer {
  readonly accepted?: boolean;
  /** The suite the server picked, when it accepted. */
  readonly suite?: string;
  /** How the server refused, or why there is no answer. */
  readonly detail?: string;
}

export interface TlsScanResult {
  readonly host: string;
  readonly port: number;
  readonly mode: 'starttls' | 'implicit';
  readonly versions: readonly ({ readonly version: TlsVersionName } & ScanAnswer)[];
  readonly weakCiphers: readonly ({ readonly family: WeakCipherFamily } & ScanAnswer)[];
  /** Set when no question could be asked at all (refused, STARTTLS not offered...). */
  readonly error?: string;
  readonly ms: number;
}

export const FAMILY_LABELS: Readonly<Record<WeakCipherFamily, string>> = {
  anonymous: 'anonymous',
  export: 'export',
  rc4: 'RC4',
  '3des': '3DES',
  null: 'NULL (no encryption)',
};

/** The OpenSSL cipher-string name of each family, for Postfix's smtpd_tls_exclude_ciphers. */
export const FAMILY_OPENSSL: Readonly<Record<WeakCipherFamily, string>> = { anonymous: 'aNULL', export: 'EXPORT', rc4: 'RC4', '3des': '3DES', null: 'eNULL' };

export const VERSION_LABEL: Readonly<Record<TlsVersionName, string>> = { TLSv1: 'TLS 1.0', 'TLSv1.1': 'TLS 1.1', 'TLSv1.2': 'TLS 1.2', 'TLSv1.3': 'TLS 1.3' };
export const WEAK_VERSIONS: ReadonlySet<TlsVersionName> = new Set(['TLSv1', 'TLSv1.1']);

/** Versions the server speaks, in order. */
export function acceptedVersions(scan: TlsScanResult): TlsVersionName[] {
  return scan.versions.filter((v) => v.accepted).map((v) => v.version);
}

/** Whether the server speaks TLS, but only 1.0 or 1.1: a client with a TLS 1.2 floor cannot connect. */
export function speaksOnlyWeakVersions(scan: TlsScanResult): boolean {
  const accepted = acceptedVersions(scan);
  return accepted.length > 0 && accepted.every((v) => WEAK_VERSIONS.has(v)) && !scan.versions.some((v) => !WEAK_VERSIONS.has(v.version) && v.accepted === undefined);
}

export const versionList = (versions: readonly TlsVersionName[]) => andList(versions.map((v) => VERSION_LABEL[v]));

export function andList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Who the scan's findings are for, which decides how much they matter. */
export interface TlsScanContext {
  readonly role: ProbeRole;
  /** A server the workspace configures (its own Postfix, or the MX of its own domains): fixing it is up to the user. */
  readonly owned: boolean;
  /** How to fix it where the server's configuration is known (e.g. "set smtpd_tls_protocols = >=TLSv1.2"). */
  readonly fix?: { readonly versions?: string; readonly ciphers?: (families: readonly WeakCipherFamily[]) => string };
}

function finding(ruleId: string, severity: Severity, where: ConfigLocation, message: string, details: string): Finding {
  return { ruleId, severity, file: where.file, range: where.range, message: redactText(message), details: redactText(details) };
}

/** What each version answered, for the details ("TLS 1.0 accepted, TLS 1.2 refused, ..."). */
function versionAnswers(scan: TlsScanResult): string {
  return scan.versions.map((v) => `${VERSION_LABEL[v.version]} ${v.accepted ? 'accepted' : v.accepted === false ? 'refused' : 'unknown'}`).join(', ');
}

/**
 * What the scan means: speaking only TLS 1.0/1.1 (clients with a TLS 1.2 floor fail: an error where clients
 * must use TLS, a warning on an MX whose senders fall back to plain text); weak versions or cipher families
 * accepted besides: a warning on servers the workspace runs, and nothing on others (a relay provider's
 * server: nobody here can change it, and a client with a TLS 1.2 floor never uses them; the results show it).
 */
export function tlsScanFindings(where: ConfigLocation, scan: TlsScanResult, context: TlsScanContext): Finding[] {
  if (scan.error) return [];
  // A long host name is shortened in the message; the details then name it whole.
  const at = `${shortName(scan.host)}:${scan.port}`;
  const server = at === `${scan.host}:${scan.port}` ? '' : ` Server: ${scan.host}:${scan.port}.`;
  const out: Finding[] = [];
  const weak = acceptedVersions(scan).filter((v) => WEAK_VERSIONS.has(v));
  if (speaksOnlyWeakVersions(scan)) {
    const severity: Severity = context.role === 'mx' ? 'warning' : 'error';
    out.push(
      finding(
        LIVE_RULES.tlsWeakVersion.id,
        severity,
        where,
        `${at} speaks only ${versionList(weak)}, which clients with a TLS 1.2 floor refuse; enable TLS 1.2 and 1.3.`,
        `Each version offered alone: ${versionAnswers(scan)}. TLS 1.0 and 1.1 are deprecated (RFC 8996); clients that require TLS 1.2 (Node's default floor) fail the handshake, and senders to an MX fall back to plain text.${server}`,
      ),
    );
  } else if (weak.length && context.owned) {
    out.push(
      finding(
        LIVE_RULES.tlsWeakVersion.id,
        'warning',
        where,
        `${at} also accepts ${versionList(weak)}, deprecated by RFC 8996; ${context.fix?.versions ?? 'allow only TLS 1.2 and newer'}.`,
        `Each version offered alone (the client's floor lowered for this scan only): ${versionAnswers(scan)}. A client that allows the old versions can be made to use them.${server}`,
      ),
    );
  }
  const families = scan.weakCiphers.filter((c) => c.accepted);
  if (families.length && context.owned) {
    // Anonymous suites on an MX cost nothing: opportunistic senders do not authenticate the server anyway.
    const onlyAnonymousOnMx = context.role === 'mx' && families.every((c) => c.family === 'anonymous');
    const severity: Severity = onlyAnonymousOnMx ? 'information' : SERVER_RULES.tlsWeakCipher.defaultSeverity;
    const names = andList(families.map((c) => FAMILY_LABELS[c.family]));
    const fix = context.fix?.ciphers?.(families.map((c) => c.family)) ?? 'exclude them';
    out.push(
      finding(
        SERVER_RULES.tlsWeakCipher.id,
        severity,
        where,
        `${at} accepts ${names} cipher suites; ${fix}.`,
        `Offered one family at a time, the server chose ${families.map((c) => `${c.suite ?? '?'} (${FAMILY_LABELS[c.family]})`).join(', ')}. Anonymous suites authenticate no server, NULL suites encrypt nothing, and export, RC4 and 3DES encryption is broken.${server}`,
      ),
    );
  }
  return out;
}
