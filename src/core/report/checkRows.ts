// The rows the live checks contribute under a target of the Results tree. A target's node asks the registry
// which checks have its kind of subject, and shows the rows of each kind of result they declare
// (LiveCheck.results), in SECTION_ORDER: a new check of a known result kind (a mail-authentication check)
// shows without an edit here or in resultsTree.ts; a new kind of result adds its row builder to RESULT_ROWS.
import type { EndpointSecurity, RuleSeverityOverrides } from '../model';
import type { MxCheckResult, MxHost, PtrCheckResult } from '../live/dnsTypes';
import type { LiveResultKind, LiveSubjectKind } from '../live/liveCheck';
import { LIVE_CHECKS, liveCheckLabel } from '../live/liveCheckRegistry';
import type { ConfigLocation, ProbeContext } from '../live/liveFindings';
import type { Outbound25Diagnosis } from '../live/outbound25';
import type { ProbeRole } from '../live/probeRole';
import type { SmtpProbeResult } from '../live/probeTypes';
import type { ServerRef } from '../live/serverRef';
import type { AuthSubjectKind } from '../live/mailAuth/types';
import { authRow } from './authRow';
import { type LiveIndex, authKey, probeKey } from './liveResultIndex';
import type { Port25 } from './mxHostRow';
import { mxChecks } from './mxRow';
import { probeChecks } from './probeRows';
import { ptrCheck } from './ptrRow';
import { relayRows, tlsScanRows } from './tlsScanAndRelayRows';
import type { CheckRow } from './treeRows';

/** What a target's node knows when it asks for rows: the run's results and, by target kind, its own. */
export interface SubjectRowsInput {
  readonly index: LiveIndex;
  readonly overrides: RuleSeverityOverrides;
  /** An endpoint that answered the probe: the result, what its config line expects, where its findings go. */
  readonly endpoint?: {
    readonly host: string;
    readonly port: number;
    readonly probe: SmtpProbeResult;
    readonly security: EndpointSecurity | undefined;
    readonly context: ProbeContext;
    readonly outbound?: Outbound25Diagnosis;
    readonly at: ConfigLocation;
    /** The role its TLS is judged in (submission, relay, MX). */
    readonly role: ProbeRole;
    /** The workspace's own server answering there, if any. */
    readonly server?: ServerRef;
  };
  /** A domain with its MX answer; `port25` gives each MX host's port-25 rows (the MX-host check's results). */
  readonly domain?: { readonly name: string; readonly mx: MxCheckResult; readonly port25: (h: MxHost) => Port25 | undefined };
  /** A server address's (or a name's) reverse-DNS results. */
  readonly ptr?: readonly PtrCheckResult[];
  /** A DKIM key (`selector._domainkey.domain`). */
  readonly dkimKey?: string;
}

type RowsOf = (input: SubjectRowsInput, subject: LiveSubjectKind) => CheckRow[];

/** The results of mail-authentication checks on the subject; under an address node, of each address found, named with it. */
const authRows: RowsOf = ({ index, overrides, domain, ptr, dkimKey }, subject) => {
  const of = (kind: AuthSubjectKind, s: string) => index.auth.get(authKey(kind, s)) ?? [];
  if (subject === 'domain' && domain) return of('domain', domain.name).map((r) => authRow(r, overrides));
  if (subject === 'dkim' && dkimKey) return of('dkim', dkimKey).map((r) => authRow(r, overrides));
  if (subject === 'address' && ptr) return [...new Set(ptr.map((r) => r.address))].flatMap((a) => of('address', a).map((r) => ({ ...authRow(r, overrides), name: `${liveCheckLabel(r.check)} ${a}` })));
  return [];
};

/** How each kind of result shows under a target (none: shown elsewhere, e.g. the outbound-25 diagnosis in the probe's rows). */
const RESULT_ROWS: Readonly<Record<LiveResultKind, RowsOf | undefined>> = {
  probe: ({ endpoint: e, overrides }) => (e ? probeChecks(e.probe, e.security, e.context, e.outbound, overrides, e.at) : []),
  'tls-scan': ({ endpoint: e, index, overrides }) => (e ? tlsScanRows(index.tlsScans.get(probeKey(e.host, e.port)), { role: e.role, owned: !!e.server }, overrides) : []),
  relay: ({ endpoint: e, index, overrides }) => (e ? relayRows(index.relays.get(probeKey(e.host, e.port)), e.server, overrides) : []),
  mx: ({ domain, overrides }) => (domain ? mxChecks(domain.mx, overrides, domain.port25) : []),
  ptr: ({ ptr, overrides }) => (ptr ?? []).map((r) => ptrCheck(r, overrides)),
  auth: authRows,
  outbound25: undefined,
  resolver: undefined,
};

/** Sections in the order a target lists them: the probe's stages before the deeper scans, lookups before policies. */
const SECTION_ORDER: readonly LiveResultKind[] = ['probe', 'tls-scan', 'relay', 'mx', 'ptr', 'auth', 'outbound25', 'resolver'];

/** The rows the checks of a subject kind contribute, one section per kind of result they declare. */
export function subjectSections(subject: LiveSubjectKind, input: SubjectRowsInput): { readonly kind: LiveResultKind; readonly rows: CheckRow[] }[] {
  const kinds = new Set(LIVE_CHECKS.filter((c) => c.subject === subject).flatMap((c) => c.results));
  return SECTION_ORDER.filter((k) => kinds.has(k)).map((kind) => ({ kind, rows: RESULT_ROWS[kind]?.(input, subject) ?? [] }));
}

/** Every row the checks of a subject kind contribute, section by section. */
export function subjectRows(subject: LiveSubjectKind, input: SubjectRowsInput): CheckRow[] {
  return subjectSections(subject, input).flatMap((s) => s.rows);
}
