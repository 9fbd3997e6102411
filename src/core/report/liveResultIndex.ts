// A live run's results indexed by what they are about (host:port, host, domain, subject), so each target of
// the Results tree finds its own; a re-check's result replaces the earlier one.
import type { MxCheckResult, PtrCheckResult, ResolverCheckResult } from '../live/dnsTypes';
import type { LiveResult } from '../live/liveChecks';
import type { AuthCheckResult } from '../live/mailAuth/types';
import type { Outbound25Diagnosis } from '../live/outbound25';
import type { SmtpProbeResult } from '../live/probeTypes';
import type { RelayTestResult } from '../live/relayTest';
import type { TlsScanResult } from '../live/tlsScanFindings';

export const hostKey = (host: string) => host.toLowerCase().replace(/\.$/, '');
export const probeKey = (host: string, port: number) => `${hostKey(host)}:${port}`;

export interface LiveIndex {
  resolver?: ResolverCheckResult;
  readonly probes: Map<string, SmtpProbeResult>;
  readonly outbound: Map<string, Outbound25Diagnosis>;
  readonly mx: Map<string, MxCheckResult>;
  readonly ptr: PtrCheckResult[];
  /** Mail-authentication results by subject (`kind:subject`), in arrival order. */
  readonly auth: Map<string, AuthCheckResult[]>;
  /** Port-25 probes of MX hosts, by host. */
  readonly mxProbes: Map<string, SmtpProbeResult>;
  /** An MX host's reverse DNS against its greeting name, by host. */
  readonly mxPtrs: Map<string, PtrCheckResult>;
  /** TLS scans and relay tests by host:port. */
  readonly tlsScans: Map<string, TlsScanResult>;
  readonly relays: Map<string, RelayTestResult>;
}

export const authKey = (kind: string, subject: string) => `${kind}:${hostKey(subject)}`;

export function indexResults(results: readonly LiveResult[]): LiveIndex {
  const index: LiveIndex = { probes: new Map(), outbound: new Map(), mx: new Map(), ptr: [], auth: new Map(), mxProbes: new Map(), mxPtrs: new Map(), tlsScans: new Map(), relays: new Map() };
  for (const r of results) {
    if (r.kind === 'probe' && r.target.mxOf) {
      index.mxProbes.set(hostKey(r.target.host), r.result);
      if (r.ptr) index.mxPtrs.set(hostKey(r.target.host), r.ptr);
      else index.mxPtrs.delete(hostKey(r.target.host));
    }
    else if (r.kind === 'probe') index.probes.set(probeKey(r.target.host, r.target.port), r.result);
    else if (r.kind === 'tls-scan') index.tlsScans.set(probeKey(r.result.host, r.result.port), r.result);
    else if (r.kind === 'relay') index.relays.set(probeKey(r.result.host, r.result.port), r.result);
    else if (r.kind === 'outbound25') index.outbound.set(hostKey(r.result.host), r.result);
    else if (r.kind === 'mx') index.mx.set(hostKey(r.result.domain), r.result);
    else if (r.kind === 'ptr') index.ptr.push(r.result);
    else if (r.kind === 'resolver') index.resolver = r.result;
    else if (r.kind === 'auth') {
      const key = authKey(r.result.subjectKind, r.result.subject);
      // A re-check replaces the earlier result of the same check.
      index.auth.set(key, [...(index.auth.get(key) ?? []).filter((a) => a.check !== r.result.check), r.result]);
    }
  }
  return index;
}
