// What every live check declares: an id, a label, the kind of subject it checks, the checks whose results it
// needs first, its rules, and its code, loaded on first need (the `port` command's bundle starts without the
// mail-authentication checks). liveCheckRegistry.ts lists them all, once.
import type { RuleMeta } from '../model';
import type { AuthCheck, AuthCheckName, AuthSubjectKind } from './mailAuth/types';

export type LiveCheckId = 'resolver' | 'smtp-port' | 'tls-scan' | 'relay-test' | 'mx' | 'mx-host' | 'ptr' | 'outbound-25' | AuthCheckName;

/** What one run of a check is about. */
export type LiveSubjectKind =
  /** The DNS servers of the run. */
  | 'dns-servers'
  /** host:port of an SMTP server a configuration names. */
  | 'endpoint'
  /** Port 25 of a host a domain's MX answer names. */
  | 'mx-host'
  /** Probes that tell "this host is filtered" from "this network blocks port 25". */
  | 'network'
  | AuthSubjectKind;

/** How a check's results arrive in the run's stream (LiveResult['kind']). */
export type LiveResultKind = 'resolver' | 'probe' | 'tls-scan' | 'relay' | 'mx' | 'ptr' | 'outbound25' | 'auth';

export interface LiveCheckDescriptor {
  readonly id: LiveCheckId;
  /** How reports and the Results tree name it ("SPF", "SMTP port"). */
  readonly label: string;
  readonly subject: LiveSubjectKind;
  /** Checks whose results this one waits for (e.g. DANE and the MX-host probes need the MX answer). */
  readonly dependsOn: readonly LiveCheckId[];
  /** The rules its findings use, each declared by exactly one check (docs, SARIF, settings, `rules`). */
  readonly rules: readonly RuleMeta[];
  /** The kinds of LiveResult its results arrive as. */
  readonly results: readonly LiveResultKind[];
}

export interface LiveCheck<Implementation = unknown> extends LiveCheckDescriptor {
  /** The check's code, imported on first call. */
  load(): Promise<Implementation>;
}

/** A mail-authentication or reputation check: one subject in, one AuthCheckResult out. */
export interface AuthLiveCheck extends LiveCheck<AuthCheck> {
  readonly id: AuthCheckName;
  readonly subject: AuthSubjectKind;
}
