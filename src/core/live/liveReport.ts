// What a live run is asked (LiveCheckOptions), what it streams (LiveResult) and what it returns
// (LiveCheckReport): the contract between the runner, the checks and every front end. A leaf module, so the
// checks (loaded on first need) and the runner share these types without importing each other.
import type { Finding } from '../model';
import type { MxCheckResult, PtrCheckResult, ResolverCheckResult } from './dnsTypes';
import type { ProbeTarget } from './liveTargets';
import type { AuthCheck, AuthCheckResult } from './mailAuth/types';
import type { Outbound25Diagnosis } from './outbound25';
import type { SmtpProbeResult } from './probeTypes';
import type { EarlyConnections } from './smtpConnection';
import type { RelayTestResult } from './relayTest';
import type { CheckScheduler } from './scheduler';
import type { TlsScanResult } from './tlsScanFindings';

/** Which servers the relay test may try: none, the servers the workspace configures, or also every other MX host. */
export type RelayTestScope = 'off' | 'workspace' | 'all';

export interface LiveCheckOptions {
  /** Most checks at once (default 32). */
  readonly concurrency?: number;
  /** Timeout of each network step in ms (default 5000). */
  readonly stepTimeoutMs?: number;
  /** The whole run gives up after this many ms (default 60 s). */
  readonly deadlineMs?: number;
  /** DNS servers as host:port (default: the system resolver). */
  readonly dnsServers?: readonly string[];
  /** The system's DNS servers (node/systemResolvers.ts), asked when `dnsServers` is empty; default: Node's. */
  readonly systemDnsServers?: readonly string[];
  /** Where the user chooses DNS servers, named in the finding when they do not answer (default `--dns`). */
  readonly dnsSetting?: string;
  readonly ehloName?: string;
  /** Hosts probed on port 25 to tell "this host is filtered" from "this network blocks 25". */
  readonly referenceHosts?: readonly string[];
  /** Extra trusted CA certificates (PEM). */
  readonly ca?: string | readonly string[];
  readonly signal?: AbortSignal;
  /** Mail-authentication checks to run on domains, addresses and DKIM keys (default: every one the registry lists). */
  readonly authChecks?: readonly AuthCheck[];
  /** DNSBL zones for the blocklist check (default DEFAULT_DNSBL_ZONES; empty: none). */
  readonly dnsblZones?: readonly string[];
  /** Port of MTA-STS policy hosts (443; tests use their own). */
  readonly httpsPort?: number;
  /** Called as each result arrives (for progress and live updates). */
  readonly onResult?: (result: LiveResult) => void;
  /** Reuse one scheduler (and its cache) across runs. */
  readonly scheduler?: CheckScheduler;
  /** The TLS version and cipher scan of every endpoint that speaks TLS (default true). */
  readonly tlsScan?: boolean;
  /** The open-relay test: off (default), the servers the workspace configures, or also every other MX host. */
  readonly relayTest?: RelayTestScope;
  /** The port MX hosts are probed on (25; tests use their own). */
  readonly mxPort?: number;
  /** Connections to the endpoints' ports opened before the run (`smtp-doctor port`); the probes use them. */
  readonly earlyConnections?: EarlyConnections;
}

export type LiveResult =
  /** `ptr`: an MX host's reverse DNS against the name it greets with. */
  | { readonly kind: 'probe'; readonly result: SmtpProbeResult; readonly target: ProbeTarget; readonly ptr?: PtrCheckResult }
  | { readonly kind: 'mx'; readonly result: MxCheckResult }
  | { readonly kind: 'ptr'; readonly result: PtrCheckResult }
  | { readonly kind: 'outbound25'; readonly result: Outbound25Diagnosis }
  | { readonly kind: 'auth'; readonly result: AuthCheckResult }
  | { readonly kind: 'tls-scan'; readonly result: TlsScanResult }
  | { readonly kind: 'relay'; readonly result: RelayTestResult }
  | { readonly kind: 'resolver'; readonly result: ResolverCheckResult };

/** The results of a run by kind, in arrival order (what a check may read once every check has finished). */
export interface LiveResults {
  readonly probes: SmtpProbeResult[];
  readonly mx: MxCheckResult[];
  readonly ptr: PtrCheckResult[];
  readonly outbound25: Outbound25Diagnosis[];
  /** SPF, DMARC, MTA-STS, TLS-RPT, DANE, DKIM and DNSBL results. */
  readonly auth: AuthCheckResult[];
  /** Whether the DNS servers answered, asked before any DNS check (absent when nothing needed DNS). */
  readonly resolver?: ResolverCheckResult;
  /** TLS version and cipher scans of the endpoints and MX hosts that speak TLS. */
  readonly tlsScans?: TlsScanResult[];
  /** Relay tests, when the run was asked for them. */
  readonly relayTests?: RelayTestResult[];
}

export interface LiveCheckReport extends LiveResults {
  readonly findings: Finding[];
  /** True when the run was cancelled or hit its deadline before every check finished. */
  readonly incomplete: boolean;
}

/** Well-known public blocklists, queried for the server's public addresses unless the user sets others. */
export const DEFAULT_DNSBL_ZONES: readonly string[] = ['zen.spamhaus.org', 'bl.spamcop.net', 'b.barracudacentral.org'];
