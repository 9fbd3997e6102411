// Result shapes of the DNS checks.

export interface MxHost {
  readonly exchange: string;
  readonly priority: number;
  /** A/AAAA addresses of the exchange; empty when it does not resolve. */
  readonly addresses: readonly string[];
  /** The exchange is an alias (CNAME), which RFC 5321 forbids for MX targets. */
  readonly isCname: boolean;
  /** The exchange is written as an IP address, which is not a host name. */
  readonly isIpLiteral: boolean;
  /** Why resolving the exchange failed (ENOTFOUND, ETIMEOUT...), when it did. */
  readonly error?: string;
}

export interface MxCheckResult {
  readonly domain: string;
  /** `ok`: MX records; `no-mx`: none (mail falls back to the A/AAAA record); `null-mx`: RFC 7505 "accepts no mail". */
  readonly status: 'ok' | 'no-mx' | 'null-mx' | 'lookup-failed';
  /** Sorted by preference (lowest first). */
  readonly hosts: readonly MxHost[];
  /** With no MX: the domain's own addresses (the implicit MX). */
  readonly fallbackAddresses?: readonly string[];
  readonly error?: string;
  readonly ms: number;
}

export interface PtrCheckResult {
  readonly address: string;
  readonly status: 'ok' | 'no-ptr' | 'not-confirmed' | 'mismatch' | 'lookup-failed';
  /** PTR names for the address. */
  readonly names: readonly string[];
  /** Whether some PTR name resolves back to the address (forward-confirmed reverse DNS). */
  readonly forwardConfirmed: boolean;
  /** The name the PTR should match (myhostname / HELO name), if one was given. */
  readonly expectedName?: string;
  readonly error?: string;
  readonly ms: number;
}

export interface DnsCheckOptions {
  /** DNS servers as "host:port" (default: the system's). */
  readonly servers?: readonly string[];
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}
