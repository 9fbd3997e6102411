// Result shapes of the live checks. A check returns data; presentation is someone else's job.

import type { EarlyConnection } from './smtpConnection';

/** How a TCP/SMTP probe of one host:port ended. */
export type ProbeStatus =
  /** Connected, got a 220 greeting (and, where it went that far, EHLO/TLS facts). */
  | 'open'
  /** ECONNREFUSED: the host answered that nothing listens there. */
  | 'refused'
  /** No answer at all within the connect timeout: filtered somewhere on the path. */
  | 'timeout'
  /** EHOSTUNREACH / ENETUNREACH: no route. */
  | 'unreachable'
  /** The name does not resolve. */
  | 'dns-failure'
  /** Connected, but no 220 greeting in time (typical of implicit TLS vs. STARTTLS confusion). */
  | 'no-greeting'
  /** Connected, but the greeting is not 220 (e.g. 554 "no service"). */
  | 'bad-greeting'
  /** Stopped by the caller. */
  | 'cancelled';

export interface CertificateFacts {
  readonly subject: string;
  readonly subjectAltNames: readonly string[];
  readonly issuer: string;
  /** ISO 8601. */
  readonly validFrom: string;
  readonly validTo: string;
  readonly daysLeft: number;
  readonly fingerprint256: string;
  /** Whether the chain verifies against the trust store (Node's default CAs unless configured). */
  readonly trusted: boolean;
  /** OpenSSL's reason when it does not (e.g. DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED). */
  readonly trustError?: string;
  /** Whether the certificate names the host we connected to (tls.checkServerIdentity). */
  readonly hostnameMatches: boolean;
  /**
   * The certificate as DER (for DANE/TLSA matching). Non-enumerable: JSON output and deep comparisons skip it.
   */
  readonly raw?: Buffer;
  /**
   * The chain as DER, leaf first, as Node's TLS layer reports it (what the server sent, plus an issuer found
   * in the trust store); at most 10. Non-enumerable like `raw`.
   */
  readonly chain?: readonly Buffer[];
}

export interface TlsFacts {
  /** How TLS started: STARTTLS after EHLO, or at connect (port 465). */
  readonly mode: 'starttls' | 'implicit';
  /** e.g. TLSv1.3; undefined when the handshake failed. */
  readonly version?: string;
  readonly cipher?: string;
  readonly certificate?: CertificateFacts;
  /** Why the handshake failed, when it did. */
  readonly error?: string;
}

/** Milliseconds each step took (only the steps that ran). */
export interface ProbeTimings {
  readonly dns?: number;
  readonly connect?: number;
  readonly greeting?: number;
  readonly ehlo?: number;
  readonly tls?: number;
  readonly ehloAfterTls?: number;
  readonly total: number;
}

export interface SmtpProbeResult {
  readonly host: string;
  readonly port: number;
  /** The address actually connected to (or tried last). */
  readonly address?: string;
  readonly status: ProbeStatus;
  /**
   * Human-readable detail: the error code, the bad greeting, how long we waited. For `open`, what went wrong
   * after the greeting (EHLO refused, STARTTLS failed, a read limit hit), if anything.
   */
  readonly detail?: string;
  /** With `dns-failure`: the resolver's code (ENOTFOUND, ENODATA, ETIMEOUT, EREFUSED, ESERVFAIL...). */
  readonly dnsError?: string;
  /** The greeting lines, joined with "\n" (bounded). */
  readonly banner?: string;
  /** EHLO keywords and their parameters, e.g. { STARTTLS: "", SIZE: "52428800", AUTH: "PLAIN LOGIN" }. */
  readonly extensions?: Readonly<Record<string, string>>;
  /** EHLO keywords after STARTTLS (AUTH often appears only then). */
  readonly extensionsAfterTls?: Readonly<Record<string, string>>;
  readonly tls?: TlsFacts;
  /**
   * Evidence that the port speaks plain SMTP although TLS was started at connect: the server's first bytes
   * were a plain-text SMTP reply (`220 ...`) where the TLS ServerHello belongs. Status is `no-greeting`;
   * `banner` holds that first line (without its code) and `detail` quotes it.
   */
  readonly plainGreetingDuringTls?: boolean;
  /**
   * Evidence that the port speaks implicit TLS although the probe expected a plain greeting: not one byte
   * came within the greeting timeout, and a TLS ClientHello sent then was answered with a TLS record
   * (0x16/0x15 0x03...). Status stays `no-greeting`. Only with `detectImplicitTls`.
   */
  readonly tlsRecordSeen?: boolean;
  readonly timings: ProbeTimings;
  /**
   * The conversation as swaks prints it: `<-` what the server said, ` ->` what we sent (`<~`/` ~>` over TLS),
   * `===` and `***` notes. At most 200 lines. The probe never sends credentials; what servers say is masked
   * where it is shown.
   */
  readonly transcript?: readonly string[];
}

export interface SmtpProbeOptions {
  readonly host: string;
  readonly port: number;
  /** Name sent in EHLO (default: this machine's FQDN). */
  readonly ehloName?: string;
  /** Implicit TLS at connect (default: port === 465). */
  readonly implicitTls?: boolean;
  /**
   * When a plain-text probe gets no greeting (not a byte) within the greeting timeout, send a TLS ClientHello
   * on the same connection to learn whether the port speaks implicit TLS (sets `tlsRecordSeen`). Costs at most
   * min(tls timeout, 2 s) more on a port that stays silent. Default false.
   */
  readonly detectImplicitTls?: boolean;
  /**
   * Per-step timeouts in ms (each default 5000): name resolution, TCP connect (per address), the greeting,
   * each command's reply (EHLO, STARTTLS, QUIT), and the TLS handshake.
   */
  readonly timeouts?: {
    readonly dns?: number;
    readonly connect?: number;
    readonly greeting?: number;
    readonly command?: number;
    readonly tls?: number;
  };
  /** Stop at once (and leave no socket open) when this aborts. */
  readonly signal?: AbortSignal;
  /** Resolve names with this (for tests and split-horizon DNS); default: the system resolver. */
  readonly lookup?: (host: string) => Promise<readonly string[]>;
  /** Extra CA certificates (PEM) to trust, e.g. a test CA. */
  readonly ca?: string | readonly string[];
  /** A connection to host:port already under way (EarlyConnections): used instead of opening one. */
  readonly early?: EarlyConnection;
}
