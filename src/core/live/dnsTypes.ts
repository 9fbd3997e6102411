// Result shapes of the DNS checks, and the one shape of a DNS answer every check reads.

/**
 * One DNS answer: `values` when there are records; otherwise `negative` when DNS said there are none
 * (ENOTFOUND: no such name, ENODATA: no records of that type), or `error` when it could not be found out
 * (ETIMEOUT, ESERVFAIL, EREFUSED, ECONNREFUSED, ECANCELLED, EQUERYLIMIT, ECNAMELOOP...).
 */
export interface DnsAnswer<T> {
  readonly values: readonly T[];
  readonly negative?: 'ENOTFOUND' | 'ENODATA';
  readonly error?: string;
}

/** An MX record as the DNS answer has it. */
export interface MxRecord {
  /** The exchange; "" for the root (a null MX, RFC 7505). */
  readonly exchange: string;
  readonly priority: number;
}

export interface MxHost {
  readonly exchange: string;
  readonly priority: number;
  /** A/AAAA addresses of the exchange; empty when it does not resolve, and for IP literals (not looked up). */
  readonly addresses: readonly string[];
  /** The exchange is an alias (CNAME), which RFC 5321 forbids for MX targets. */
  readonly isCname: boolean;
  /** The exchange is written as an IP address, which is not a host name. */
  readonly isIpLiteral: boolean;
  /**
   * Why the exchange has no address, when it has none: ENOTFOUND (no such name), ENODATA (no A/AAAA),
   * ETIMEOUT, EREFUSED, ESERVFAIL...; EBADNAME for an empty exchange (".") among other MX records.
   */
  readonly error?: string;
}

export interface MxCheckResult {
  readonly domain: string;
  /** `ok`: MX records; `no-mx`: none (mail falls back to the A/AAAA record); `null-mx`: RFC 7505 "accepts no mail". */
  readonly status: 'ok' | 'no-mx' | 'null-mx' | 'lookup-failed';
  /** Sorted by preference (lowest first), then by name; empty unless `status` is `ok`. */
  readonly hosts: readonly MxHost[];
  /** With no MX: the domain's own addresses (the implicit MX). */
  readonly fallbackAddresses?: readonly string[];
  /**
   * `lookup-failed`: the resolver's code (ETIMEOUT, EREFUSED, ESERVFAIL, ECONNREFUSED; ECANCELLED when the
   * signal aborted). `no-mx`: ENOTFOUND when the domain does not exist at all (NXDOMAIN), or the code of a
   * failed fallback A/AAAA lookup.
   */
  readonly error?: string;
  readonly ms: number;
}

export interface PtrCheckResult {
  /** The address checked; or, with `lookup-failed`, the host name whose addresses could not be looked up. */
  readonly address: string;
  readonly status: 'ok' | 'no-ptr' | 'not-confirmed' | 'mismatch' | 'lookup-failed';
  /** PTR names for the address. */
  readonly names: readonly string[];
  /** Whether some PTR name resolves back to the address (forward-confirmed reverse DNS). */
  readonly forwardConfirmed: boolean;
  /** The name the PTR should match (myhostname / HELO name), if one was given. */
  readonly expectedName?: string;
  /**
   * With `expectedName`: whether some PTR name equals it (case-insensitive, trailing dot ignored). When the
   * PTR is both unconfirmed and different, `status` says `not-confirmed` and this says false.
   */
  readonly matchesExpectedName?: boolean;
  /**
   * `lookup-failed`: the resolver's code (ETIMEOUT, EREFUSED, ESERVFAIL; ECANCELLED when the signal
   * aborted; EINVAL when `address` is not an IP address). `no-ptr`: ENOTFOUND (NXDOMAIN) or ENODATA.
   */
  readonly error?: string;
  readonly ms: number;
}

export interface DnsCheckOptions {
  /** DNS servers as "host:port" or "[v6]:port" (default: the system's). */
  readonly servers?: readonly string[];
  /**
   * The system's DNS servers, read from its configuration by whoever starts the checks
   * (node/systemResolvers.ts); used when `servers` is empty. Default: the servers Node's resolver uses.
   */
  readonly systemServers?: readonly string[];
  /** Longest any single DNS query may take, retransmissions included (default 5000); then ETIMEOUT. */
  readonly timeoutMs?: number;
  /** Attempts per query within `timeoutMs` (default 2). */
  readonly tries?: number;
  /** Aborting cancels every query in flight; the check then returns `lookup-failed` with ECANCELLED. */
  readonly signal?: AbortSignal;
}

/** Whether the run's DNS servers answer at all, asked once before any DNS check depends on them. */
export interface ResolverCheckResult {
  /** The servers asked (host or host:port), the configured ones or the system's. */
  readonly servers: readonly string[];
  /** Whether the servers come from the configuration (smtpDoctor.dnsServers, --dns) rather than the system. */
  readonly configured: boolean;
  /** `ok`: some server answered (whatever it said); `dead`: none answered; `cancelled`: the run was. */
  readonly status: 'ok' | 'dead' | 'cancelled';
  /** The name asked for (one the run needs). */
  readonly name: string;
  /** With `dead`: ECONNREFUSED (nothing listens) or ETIMEOUT (no answer). */
  readonly error?: string;
  readonly ms: number;
}
