// The seam every mail-authentication and reputation check plugs into (SPF, DMARC, MTA-STS, TLS-RPT,
// DANE, DKIM, DNSBL): a check takes one subject (a domain, an address, a DKIM selector), asks DNS
// (and, for MTA-STS, HTTPS) and returns one result with its evidence and problems. The runner
// (liveChecks.ts) schedules them, turns problems into findings on every line that named the subject,
// and the Results tree shows each result under its subject.
import type { RuleMeta, Severity } from '../../model';
import type { CheckScheduler } from '../scheduler';
import type { DnsCheckOptions, MxCheckResult } from '../dnsTypes';
import type { StatedSender } from '../liveTargets';

/** A mail-authentication check's name: its id in the live-check registry ('spf', 'tls-rpt'), which lists them all. */
export type AuthCheckName = string;

/** What a check is about: a mail domain, a server address, or a DKIM key (selector + domain). */
export type AuthSubjectKind = 'domain' | 'address' | 'dkim';

export interface AuthProblem {
  /** A rule id from the check's `rules` (e.g. dns/spf-missing). */
  readonly ruleId: string;
  /** One sentence, plain text: the problem and the fix (aim: 120 characters). */
  readonly message: string;
  /** The long explanation: what a receiver will do, the records seen, examples (hover, --verbose, JSON). */
  readonly details?: string;
  /** Defaults to the rule's default severity. */
  readonly severity?: Severity;
}

export interface AuthCheckResult {
  readonly check: AuthCheckName;
  readonly subjectKind: AuthSubjectKind;
  /** The domain, the address, or `selector._domainkey.domain`. */
  readonly subject: string;
  /** One line for the Results tree: what was found ("v=spf1 … -all, 4 of 10 lookups", "not published"). */
  readonly summary: string;
  /** What was seen, one item per line (records, HTTP status, policy lines); shown in tooltips and JSON. */
  readonly evidence: readonly string[];
  /** Empty when the check passed. */
  readonly problems: readonly AuthProblem[];
  /** Set when the check could not run (ETIMEOUT, SERVFAIL, ECANCELLED, an HTTPS error): no verdict then. */
  readonly error?: string;
  readonly ms: number;
}

/** What a check may use besides its subject. Every network call must honour `dns.signal`. */
export interface AuthCheckContext {
  /** Resolver settings of the run: servers, per-query timeout, the cancel signal. */
  readonly dns: DnsCheckOptions;
  /** The run's scheduler: dedupe and cache probes/lookups shared with other checks (e.g. DANE's port-25 probe). */
  readonly scheduler: CheckScheduler;
  /** The domain's MX answer, when the run looked it up (domain checks run after it). */
  readonly mx?: MxCheckResult;
  /** Sending addresses of the configuration (the server's own public addresses), for SPF and DNSBL. */
  readonly sendingAddresses: readonly string[];
  /** The sender a configuration states in the domain, for SPF's sender-dependent macros. */
  readonly sender?: StatedSender;
  /** Extra trust anchors for HTTPS (MTA-STS policy) and STARTTLS (DANE), for tests. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Port of the MTA-STS policy host (443 unless a test says otherwise). */
  readonly httpsPort?: number;
  /** DNSBL zones to query (the smtpDoctor.live.dnsblZones setting / --dnsbl). */
  readonly dnsblZones: readonly string[];
}

export interface AuthCheck {
  readonly name: AuthCheckName;
  readonly subjectKind: AuthSubjectKind;
  /** The rules its problems use (for docs, SARIF, settings). */
  readonly rules: readonly RuleMeta[];
  run(subject: string, context: AuthCheckContext): Promise<AuthCheckResult>;
}
