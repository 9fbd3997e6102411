// The results panel as data: config files → endpoints / domains / addresses → checks, each with a state,
// a one-line description and a Markdown tooltip of evidence. Pure: the VS Code tree only draws this.
// Only hosts, ports, banners, EHLO keywords, certificates and DNS answers are shown; free text goes
// through redactText, and credentials are never read from the endpoint at all.
import { isIP } from 'net';
import { type Endpoint, type EndpointSecurity, type Finding, type Range, type RuleMeta, type RuleSeverityOverrides, applySeverityOverrides } from '../model';
import { dnsErrorWords } from '../live/dnsChecks';
import type { MxCheckResult, MxHost, PtrCheckResult, ResolverCheckResult } from '../live/dnsTypes';
import type { LiveResult } from '../live/liveChecks';
import { AUTH_CHECK_LABELS } from '../live/mailAuth/labels';
import { AUTH_LIVE_CHECKS } from '../live/liveCheckRegistry';
import type { AuthCheckResult } from '../live/mailAuth/types';
import { type ConfigLocation, type ProbeContext, mxFindings, outbound25Findings, probeFindings, ptrFindings, serverTlsMode } from '../live/liveFindings';
import { LIVE_RULES } from '../live/liveRules';
import { type LiveTargets, endpointRole, endpointTlsModeSetting, roleOfPort, startsTlsAtConnect } from '../live/liveTargets';
import { needsDns } from '../live/dnsChecks';
import type { Outbound25Diagnosis } from '../live/outbound25';
import type { ProbeStatus, SmtpProbeResult } from '../live/probeTypes';
import { redactText } from '../redact';
import type { RelayTestResult } from '../live/relayTest';
import { relayFindings } from '../live/serverChecks';
import { SERVER_RULES } from '../live/serverRules';
import { FAMILY_LABELS, acceptedVersions, type TlsScanContext, type TlsScanResult, tlsScanFindings, versionList } from '../live/tlsScan';
import { mtaStsModeOf } from '../live/mailAuth/mtaSts';
import { mxPtrFindings } from '../live/mxProbe';
import type { ServerRef } from '../live/serverRef';
import { type CheckRow, type NodeState, lines, mdBlock, mdCode, mdText, para, stateMark, stateOfSeverity, worstState } from './treeRows';
import { outbound25Row } from './outbound25Row';
import { authRow } from './authRow';

export { type NodeState, STATE_MARK_PATTERN, mdBlock, mdCode, mdText, stateMark, stateOfSeverity, worstState } from './treeRows';

type Check = CheckRow;


export type NodeKind =
  /** A config file. */
  | 'file'
  /** An SMTP server a config connects to, or a Postfix server's own port: host:port. */
  | 'endpoint'
  /** A domain whose MX records matter. */
  | 'domain'
  /** A server address (or the name it resolves from) whose reverse DNS matters. */
  | 'address'
  /** One live check of an endpoint, domain or address. */
  | 'check'
  /** A static finding of the file. */
  | 'finding'
  /** Checks of hosts no config names (e.g. Check SMTP Port). */
  | 'group'
  /** A file's static findings, folded (the Problems panel lists them too). */
  | 'problems'
  /** A sentence about the panel itself (e.g. why live checks are off, a DNS server that does not answer). */
  | 'notice';

/** What clicking a notice does. */
export type NoticeAction = 'manage-trust' | 'dns-settings';

/** Which nodes the panel shows: everything, live results only, or only what is an error. */
export type ResultsFilter = 'all' | 'live' | 'errors';

export interface ResultNode {
  /** Stable across rebuilds, so the tree keeps what the user expanded. */
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  readonly description: string;
  /** Markdown; free text in it is escaped and redacted. */
  readonly tooltip: string;
  readonly state: NodeState;
  /** The config line to go to. */
  readonly location?: ConfigLocation;
  /** An endpoint whose configuration logs in (Verify Login applies to it). */
  readonly login?: boolean;
  /** The rules of the findings this node shows (finding nodes, and checks with problems): copy, suppress, docs. */
  readonly ruleIds?: readonly string[];
  /** A notice's action. */
  readonly action?: NoticeAction;
  /** What "Re-check" on this node checks again: an endpoint's host and port, or a file (URI string). */
  readonly host?: string;
  readonly port?: number;
  readonly file?: string;
  readonly children: readonly ResultNode[];
}

export interface LiveInput {
  /** A run is under way: targets without a result yet show as running. */
  readonly running: boolean;
  /** What the last (or current) run checks; undefined before any run. */
  readonly targets?: LiveTargets;
  /** Results of the last (or current) run, in arrival order. */
  readonly results: readonly LiveResult[];
  /** Live findings as the diagnostics show them (counted in file descriptions and the badge). */
  readonly findings: readonly Finding[];
  /** Files edited since the run: their results may describe lines that no longer say that. */
  readonly staleFiles?: ReadonlySet<string>;
}

export interface ResultsInput {
  /** Every file with static results (with or without findings), and its static findings. */
  readonly files: ReadonlyMap<string, readonly Finding[]>;
  /** Endpoints the static pass found (Postfix relayhost, application transports). */
  readonly endpoints: readonly Endpoint[];
  readonly live?: LiveInput;
  /** Why live checks cannot run here (e.g. an untrusted workspace); shown as a notice and on unchecked targets. */
  readonly liveDisabledReason?: string;
  /** Per-rule severity overrides, so check states agree with the Problems view. */
  readonly overrides?: RuleSeverityOverrides;
  /** How a file is named in the tree (e.g. workspace-relative). */
  readonly displayPath?: (file: string) => string;
  /** Where DNS servers are set, named in the notice when they do not answer (default smtpDoctor.dnsServers). */
  readonly dnsSetting?: string;
  readonly filter?: ResultsFilter;
}

export interface ResultsTree {
  readonly roots: readonly ResultNode[];
  /** Error and warning findings, static and live: the badge number. */
  readonly problems: number;
  /** Whether anything was found or checked (chooses the welcome view). */
  readonly hasResults: boolean;
}


const isProblem = (f: Finding) => f.severity === 'error' || f.severity === 'warning';
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const lineOf = (r: Range) => r.start.line + 1;
const hostKey = (host: string) => host.toLowerCase().replace(/\.$/, '');
const probeKey = (host: string, port: number) => `${hostKey(host)}:${port}`;
/** The bucket of targets no config names. */
const UNLOCATED = '';
/** A location for findings that are only judged, never shown at a place. */
const NOWHERE: ConfigLocation = { file: '', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };


const oneLine = (text: string, max = 80) => {
  const s = redactText(text).replace(/\s+/g, ' ').trim();
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
};

// ---------- Labels ----------

export function securityLabel(security: EndpointSecurity | undefined, port: number | undefined): string {
  switch (security) {
    case 'implicit-tls':
      return 'implicit TLS';
    case 'starttls-required':
      return 'STARTTLS required';
    case 'starttls-opportunistic':
      return 'STARTTLS if offered';
    case 'none':
      return 'no TLS';
    case 'unknown':
      return 'security unknown';
    case undefined:
      return port === 25 ? 'server · SMTP' : port === 587 ? 'server · submission' : port === 465 ? 'server · submissions' : 'server';
  }
}

const SOURCE_LABEL: Readonly<Record<Endpoint['source'], string>> = {
  nodemailer: 'nodemailer transport',
  'smtp-url': 'SMTP URL',
  json: 'JSON config',
  yaml: 'YAML config',
  env: '.env settings',
  'postfix-relayhost': 'Postfix relayhost',
};

function timingsText(t: SmtpProbeResult['timings']): string {
  const parts: string[] = [];
  for (const [k, label] of [['dns', 'DNS'], ['connect', 'connect'], ['greeting', 'greeting'], ['ehlo', 'EHLO'], ['tls', 'TLS'], ['ehloAfterTls', 'EHLO after TLS']] as const) {
    const v = t[k];
    if (v !== undefined) parts.push(`${label} ${Math.round(v)} ms`);
  }
  parts.push(`total ${Math.round(t.total)} ms`);
  return parts.join(' · ');
}

function extensionsText(ext: Readonly<Record<string, string>>): string {
  return Object.entries(ext)
    .map(([k, v]) => (v ? `${k} ${v}` : k))
    .join('\n');
}

function certValidity(daysLeft: number): string {
  return daysLeft < 0 ? `cert expired ${plural(-daysLeft, 'day')} ago` : `cert valid ${plural(daysLeft, 'day')}`;
}

/** A probe's outcome in words (the status ids are for JSON, not for people). */
export const PROBE_STATUS_WORDS: Readonly<Record<ProbeStatus, string>> = {
  open: 'open',
  refused: 'refused',
  timeout: 'timed out',
  unreachable: 'unreachable',
  'dns-failure': 'name does not resolve',
  'no-greeting': 'no greeting',
  'bad-greeting': 'refused with its greeting',
  cancelled: 'cancelled',
};

/** "TLSv1.3" as people write it: "TLS 1.3". */
export function tlsVersionWords(version: string): string {
  return version.replace(/^TLSv(\d)/, 'TLS $1');
}

/** One line for a probe, e.g. `587 open · STARTTLS · TLS 1.3 · cert valid 81 days`. */
export function probeSummary(r: SmtpProbeResult, outbound?: Outbound25Diagnosis): string {
  const facts: string[] = [`${r.port} ${PROBE_STATUS_WORDS[r.status]}`];
  if (r.plainGreetingDuringTls) facts.push('speaks plain SMTP, not TLS at connect');
  if (r.tlsRecordSeen) facts.push('speaks implicit TLS');
  if (r.status === 'timeout' && outbound?.verdict === 'network-blocks-25') facts.push('this network blocks port 25');
  else if (r.status === 'timeout' && outbound && outbound.verdict !== 'inconclusive') facts.push(outbound.verdict.replace(/-/g, ' '));
  if (r.status === 'open') {
    if (r.tls?.mode === 'implicit') facts.push('implicit TLS');
    else if (r.extensions) facts.push('STARTTLS' in r.extensions ? 'STARTTLS' : 'no STARTTLS');
    if (r.tls?.error) facts.push('TLS failed');
    else if (r.tls?.version) facts.push(tlsVersionWords(r.tls.version));
    const c = r.tls?.certificate;
    if (c) {
      facts.push(certValidity(c.daysLeft));
      if (!c.trusted && c.daysLeft >= 0) facts.push('untrusted');
      if (!c.hostnameMatches) facts.push('other name');
    }
  }
  return facts.join(' · ');
}

// ---------- Checks ----------


/** The rules each probe check answers for, so a check's state is exactly its findings' severity. */
const PROBE_CHECK_RULES: Readonly<Record<string, readonly RuleMeta[]>> = {
  Connection: [LIVE_RULES.portRefused, LIVE_RULES.portTimeout, LIVE_RULES.lookupFailed, LIVE_RULES.outbound25Blocked],
  Greeting: [LIVE_RULES.noGreeting, LIVE_RULES.badGreeting],
  'TLS mode': [LIVE_RULES.tlsModeMismatch],
  STARTTLS: [LIVE_RULES.starttlsMissing, LIVE_RULES.starttlsFailed],
  'Implicit TLS': [LIVE_RULES.starttlsFailed],
  Authentication: [LIVE_RULES.authBeforeTls],
  'TLS version': [LIVE_RULES.tlsWeakVersion],
  Certificate: [LIVE_RULES.certExpired, LIVE_RULES.certExpiring, LIVE_RULES.certHostnameMismatch, LIVE_RULES.certUntrusted],
};

/** State and problem lines from the findings of the given rules (pass when there are none). */
function judge(findings: readonly Finding[], rules: readonly RuleMeta[]): { state: NodeState; problems: string[]; ruleIds: string[] } {
  const ids = new Set(rules.map((r) => r.id));
  const mine = findings.filter((f) => ids.has(f.ruleId));
  return {
    state: worstState(mine.map((f) => stateOfSeverity(f.severity)), 'pass'),
    problems: mine.map((f) => `${stateMark(f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info')} ${mdText(f.message)} (${mdCode(f.ruleId)})${f.details ? `  \n${mdText(f.details)}` : ''}`),
    ruleIds: [...new Set(mine.map((f) => f.ruleId))],
  };
}

function probeChecks(r: SmtpProbeResult, security: EndpointSecurity | undefined, context: ProbeContext, outbound: Outbound25Diagnosis | undefined, overrides: RuleSeverityOverrides, at: ConfigLocation): Check[] {
  const findings = applySeverityOverrides(
    outbound?.verdict === 'network-blocks-25' ? outbound25Findings(at, outbound) : probeFindings(at, r, security, context),
    overrides,
  );
  const checks: Check[] = [];
  const add = (name: string, description: string, evidence: string, state?: NodeState) => {
    const j = judge(findings, PROBE_CHECK_RULES[name] ?? []);
    checks.push({ name, state: state ?? j.state, description, tooltip: para(`**${name}** — ${mdText(description)}`, ...j.problems, evidence), ruleIds: j.ruleIds });
  };

  const address = r.address && r.address !== r.host ? r.address : undefined;
  const connected = r.status === 'open' || r.status === 'no-greeting' || r.status === 'bad-greeting';
  const connection = [connected ? 'open' : PROBE_STATUS_WORDS[r.status], address, r.status !== 'open' ? r.detail : undefined, `${Math.round(r.timings.total)} ms`].filter(Boolean).join(' · ');
  add(
    'Connection',
    connection,
    lines(`Host ${mdCode(`${r.host}:${r.port}`)}${address ? ` at ${mdCode(address)}` : ''}`, r.detail && `Detail: ${mdText(r.detail)}`, `Timings: ${timingsText(r.timings)}`),
    r.status === 'cancelled' ? 'skipped' : undefined,
  );
  if (outbound) checks.push(outbound25Row(outbound, overrides));
  if (!connected) return checks;

  // What the server speaks at connect against what the client does: on a mix-up nothing after it happens.
  const configured = startsTlsAtConnect(security, r.port) ? 'implicit' : 'plain';
  const server = serverTlsMode(r);
  if (server && (server !== configured || r.plainGreetingDuringTls || r.tlsRecordSeen)) {
    const speaks = server === 'plain' ? 'server greets in plain text' : 'server speaks implicit TLS';
    const expects = configured === 'implicit' ? 'client starts TLS at connect' : 'client waits for a plain greeting';
    add(
      'TLS mode',
      server === configured ? `${speaks}, as configured` : `${speaks} · ${expects}`,
      para(
        r.banner ? `Banner:\n\n${mdBlock(r.banner)}` : undefined,
        lines(
          r.plainGreetingDuringTls && 'Evidence: the first bytes answering our TLS ClientHello were a plain-text SMTP reply.',
          r.tlsRecordSeen && 'Evidence: no greeting (not a byte) in time, and a TLS ClientHello sent then was answered with a TLS record.',
          r.detail && `Detail: ${mdText(r.detail)}`,
          `Timings: ${timingsText(r.timings)}`,
        ),
      ),
    );
    return checks;
  }

  const banner = r.banner ?? '';
  add(
    'Greeting',
    r.status === 'no-greeting' ? 'no 220 greeting' : oneLine(banner.split('\n')[0] || '(empty)'),
    para(banner ? `Banner:\n\n${mdBlock(banner)}` : undefined, r.timings.greeting !== undefined ? `Greeting after ${Math.round(r.timings.greeting)} ms` : undefined),
  );
  if (r.status !== 'open') return checks;

  const ext = r.extensions;
  const extEvidence = para(
    ext ? `EHLO extensions:\n\n${mdBlock(extensionsText(ext))}` : 'The server did not answer EHLO.',
    r.extensionsAfterTls ? `EHLO extensions after TLS:\n\n${mdBlock(extensionsText(r.extensionsAfterTls))}` : undefined,
    r.detail ? `Detail: ${mdText(r.detail)}` : undefined,
    r.tls?.error ? `TLS handshake failed: ${mdText(r.tls.error)}` : undefined,
    `Timings: ${timingsText(r.timings)}`,
  );
  if (r.tls?.mode === 'implicit') {
    add('Implicit TLS', r.tls.error ? `handshake failed: ${oneLine(r.tls.error)}` : 'TLS at connect', extEvidence);
  } else if (!ext) {
    add('STARTTLS', 'EHLO not answered', extEvidence, 'skipped');
  } else if (!('STARTTLS' in ext)) {
    add('STARTTLS', 'not offered', extEvidence);
  } else {
    add('STARTTLS', r.tls?.error ? `offered · handshake failed: ${oneLine(r.tls.error)}` : r.tls ? 'offered · handshake ok' : 'offered', extEvidence);
  }

  if (ext) {
    const before = ext.AUTH;
    const after = r.extensionsAfterTls?.AUTH;
    const inClear = before !== undefined && !('STARTTLS' in ext) && !r.tls;
    const description =
      before === undefined && after === undefined
        ? 'no AUTH offered'
        : inClear
          ? `AUTH ${before || '(no mechanisms)'} without TLS`
          : before !== undefined
            ? `AUTH ${before || '(no mechanisms)'} before TLS`
            : `AUTH ${after || '(no mechanisms)'} after TLS only`;
    // Without any TLS, passwords cross in clear: as bad as the missing STARTTLS itself.
    const state = before === undefined && after === undefined ? 'info' : inClear ? judge(findings, [LIVE_RULES.starttlsMissing]).state : undefined;
    add('Authentication', description, extEvidence, state);
  }

  const tls = r.tls;
  if (tls && !tls.error) {
    add(
      'TLS version',
      [tls.version ?? 'unknown version', tls.cipher].filter(Boolean).join(' · '),
      lines(`Mode: ${tls.mode === 'implicit' ? 'implicit TLS' : 'STARTTLS'}`, tls.version && `Version: ${mdCode(tls.version)}`, tls.cipher && `Cipher: ${mdCode(tls.cipher)}`, r.timings.tls !== undefined && `Handshake ${Math.round(r.timings.tls)} ms`),
    );
  }
  const cert = tls?.certificate;
  if (cert) {
    const flags = [!cert.trusted && 'untrusted', !cert.hostnameMatches && 'other name'].filter(Boolean);
    add(
      'Certificate',
      [certValidity(cert.daysLeft).replace(/^cert /, ''), ...flags, cert.issuer && `issuer ${oneLine(cert.issuer, 40)}`].filter(Boolean).join(' · '),
      lines(
        `Subject: ${mdCode(cert.subject)}`,
        `Names: ${cert.subjectAltNames.length ? cert.subjectAltNames.map(mdCode).join(', ') : '(none)'}`,
        `Issuer: ${mdCode(cert.issuer)}`,
        `Valid: ${mdCode(cert.validFrom.slice(0, 10))} to ${mdCode(cert.validTo.slice(0, 10))} (${cert.daysLeft < 0 ? `expired ${plural(-cert.daysLeft, 'day')} ago` : `${plural(cert.daysLeft, 'day')} left`})`,
        `Trusted: ${cert.trusted ? 'yes' : `no${cert.trustError ? ` (${mdCode(cert.trustError)})` : ''}`}`,
        `Names ${mdCode(r.host)}: ${cert.hostnameMatches ? 'yes' : 'no'}`,
        `SHA-256: ${mdCode(cert.fingerprint256)}`,
      ),
    );
  }
  return checks;
}


function mxChecks(r: MxCheckResult, overrides: RuleSeverityOverrides, port25?: (h: MxHost) => Port25 | undefined): Check[] {
  const findings = applySeverityOverrides(mxFindings({ file: '', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }, r), overrides);
  const lookupRules = [LIVE_RULES.lookupFailed, LIVE_RULES.nullMx, LIVE_RULES.noMx];
  const j = judge(findings, lookupRules);
  const description =
    r.status === 'ok'
      ? plural(r.hosts.length, 'MX host')
      : r.status === 'no-mx'
        ? r.fallbackAddresses?.length
          ? `no MX · falls back to ${r.fallbackAddresses.join(', ')}`
          : `no MX${r.error ? `: ${dnsErrorWords(r.error)}` : ''}`
        : r.status === 'null-mx'
          ? 'null MX: accepts no mail'
          : `lookup failed: ${dnsErrorWords(r.error)}`;
  const answers = r.hosts.map((h) => `${h.priority} ${h.exchange}${h.addresses.length ? ` → ${h.addresses.join(', ')}` : ` → no address${h.error ? ` (${h.error})` : ''}`}${h.isCname ? ' (CNAME)' : ''}`);
  const checks: Check[] = [
    {
      name: 'MX records',
      state: j.state,
      ruleIds: j.ruleIds,
      description,
      tooltip: para(
        `**MX records of** ${mdCode(r.domain)} — ${mdText(description)}`,
        ...j.problems,
        answers.length ? `DNS answers:\n\n${mdBlock(answers.join('\n'))}` : undefined,
        r.fallbackAddresses?.length ? `Fallback addresses (A/AAAA): ${r.fallbackAddresses.map(mdCode).join(', ')}` : undefined,
        `Lookup took ${Math.round(r.ms)} ms`,
      ),
    },
  ];
  for (const h of r.hosts) checks.push(withPort25(mxHostCheck(r.domain, h, overrides), h, port25?.(h)));
  return checks;
}

function mxHostCheck(domain: string, h: MxHost, overrides: RuleSeverityOverrides): Check {
  const one: MxCheckResult = { domain, status: 'ok', hosts: [h], ms: 0 };
  const findings = applySeverityOverrides(mxFindings({ file: '', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }, one), overrides);
  const j = judge(findings, [LIVE_RULES.mxIpLiteral, LIVE_RULES.mxUnresolvable, LIVE_RULES.mxCname]);
  const description = [h.addresses.length ? h.addresses.join(', ') : `no address${h.error ? `: ${dnsErrorWords(h.error)}` : ''}`, h.isCname && 'CNAME', h.isIpLiteral && 'IP literal'].filter(Boolean).join(' · ');
  return {
    name: `MX ${h.priority} ${h.exchange}`,
    state: j.state,
    ruleIds: j.ruleIds,
    description,
    tooltip: para(`**MX ${h.priority}** ${mdCode(h.exchange)} — ${mdText(description)}`, ...j.problems),
  };
}

/** A PTR result as a check; `findingsOf` judges it (an MX host's PTR is only information). */
function ptrCheck(r: PtrCheckResult, overrides: RuleSeverityOverrides, findingsOf: (r: PtrCheckResult) => Finding[] = (p) => ptrFindings(NOWHERE, p)): Check {
  const findings = applySeverityOverrides(findingsOf(r), overrides);
  const j = judge(findings, [LIVE_RULES.lookupFailed, LIVE_RULES.noPtr, LIVE_RULES.ptrNotConfirmed, LIVE_RULES.ptrMismatch]);
  const description =
    r.status === 'ok'
      ? `${r.names.join(', ')}${r.forwardConfirmed ? ' · forward-confirmed' : ''}`
      : r.status === 'no-ptr'
        ? 'no PTR record'
        : r.status === 'lookup-failed'
          ? `lookup failed: ${dnsErrorWords(r.error)}`
          : `${r.names.join(', ')} · ${r.status === 'mismatch' ? `not ${r.expectedName ?? 'the expected name'}` : 'not forward-confirmed'}`;
  return {
    name: `Reverse DNS ${r.address}`,
    state: j.state,
    ruleIds: j.ruleIds,
    description,
    tooltip: para(
      `**Reverse DNS of** ${mdCode(r.address)} — ${mdText(description)}`,
      ...j.problems,
      lines(
        `PTR: ${r.names.length ? r.names.map(mdCode).join(', ') : '(none)'}`,
        `Forward-confirmed: ${r.forwardConfirmed ? 'yes' : 'no'}`,
        r.expectedName && `Expected name (HELO / myhostname): ${mdCode(r.expectedName)}${r.matchesExpectedName === undefined ? '' : r.matchesExpectedName ? ' — matches' : ' — differs'}`,
        r.error && `Resolver: ${mdCode(r.error)}`,
        `Lookup took ${Math.round(r.ms)} ms`,
      ),
    ),
  };
}

// ---------- The tree ----------

/** What a file node holds before it becomes nodes. */
interface TargetEntry {
  readonly kind: 'endpoint' | 'domain' | 'address';
  readonly key: string;
  /** Undefined for a host checked by hand. */
  readonly location?: ConfigLocation;
  /** Sort key inside the file. */
  readonly line: number;
  readonly build: (fileId: string, file: string) => ResultNode;
}

interface LiveIndex {
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

const authKey = (kind: string, subject: string) => `${kind}:${hostKey(subject)}`;

function indexResults(results: readonly LiveResult[]): LiveIndex {
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


function checkNodes(parentId: string, checks: readonly Check[], location: ConfigLocation | undefined): ResultNode[] {
  return checks.map((c) => {
    const id = `${parentId}/check:${c.name}`;
    return {
      id,
      kind: c.host ? 'endpoint' : 'check',
      label: c.name,
      description: c.description,
      tooltip: c.tooltip,
      state: c.state,
      location,
      ...(c.ruleIds?.length ? { ruleIds: c.ruleIds } : {}),
      ...(c.host ? { host: c.host, port: c.port } : {}),
      children: c.children ? checkNodes(id, c.children, location) : [],
    };
  });
}

// ---------- Past the probe: the TLS scan, the relay test, an MX host's port 25 ----------

/** The TLS scan and the relay test of one endpoint as checks, judged as their findings would be. */
function serverExtraChecks(scan: TlsScanResult | undefined, relay: RelayTestResult | undefined, context: TlsScanContext, server: ServerRef | undefined, overrides: RuleSeverityOverrides): Check[] {
  const checks: Check[] = [];
  if (scan) {
    const findings = applySeverityOverrides(tlsScanFindings(NOWHERE, scan, context), overrides);
    const versions = acceptedVersions(scan);
    const answer = (a: { accepted?: boolean; suite?: string; detail?: string }) => (a.accepted ? `accepted${a.suite ? ` (${mdCode(a.suite)})` : ''}` : a.accepted === false ? `refused${a.detail ? ` — ${mdText(a.detail)}` : ''}` : `unknown${a.detail ? ` — ${mdText(a.detail)}` : ''}`);
    const versionState = judge(findings, [LIVE_RULES.tlsWeakVersion]);
    checks.push({
      name: 'TLS versions',
      state: scan.error ? 'skipped' : versionState.state,
      ruleIds: versionState.ruleIds,
      description: scan.error ? `not scanned (${oneLine(scan.error)})` : versions.length ? versionList(versions) : 'none accepted',
      tooltip: para(`**TLS versions** — each asked alone (${scan.mode === 'implicit' ? 'TLS at connect' : 'after STARTTLS'})`, ...versionState.problems, lines(...scan.versions.map((v) => `${v.version}: ${answer(v)}`)), `Scan took ${scan.ms} ms`),
    });
    const cipherState = judge(findings, [SERVER_RULES.tlsWeakCipher]);
    const weak = scan.weakCiphers.filter((c) => c.accepted).map((c) => FAMILY_LABELS[c.family]);
    checks.push({
      name: 'Weak ciphers',
      state: scan.error ? 'skipped' : cipherState.state,
      ruleIds: cipherState.ruleIds,
      description: scan.error ? 'not scanned' : weak.length ? `accepts ${weak.join(', ')}` : 'none accepted',
      tooltip: para('**Weak cipher families** — offered one family at a time', ...cipherState.problems, lines(...scan.weakCiphers.map((c) => `${mdText(FAMILY_LABELS[c.family])}: ${answer(c)}`))),
    });
  }
  if (relay) {
    const findings = applySeverityOverrides(relayFindings(NOWHERE, relay, server), overrides);
    const j = judge(findings, [SERVER_RULES.openRelay]);
    const accepted = relay.attempts.filter((a) => a.accepted).length;
    const description =
      relay.verdict === 'error' ? `not tested (${oneLine(relay.detail ?? 'no connection')})` : accepted ? `accepted ${accepted} of ${relay.attempts.length} foreign recipients` : `${relay.verdict.replace('-', ' ')} · ${relay.attempts.length} attempts`;
    checks.push({
      name: 'Open relay',
      state: relay.verdict === 'error' ? 'skipped' : accepted ? j.state : 'pass',
      ruleIds: accepted ? j.ruleIds : [],
      description,
      tooltip: para(
        `**Open relay test** — MAIL FROM / RCPT TO then RSET, never DATA${relay.tls ? ', over TLS' : ''}; from ${mdCode(relay.localAddress ?? '?')}`,
        ...j.problems,
        lines(...relay.attempts.map((a) => `${stateMark(a.accepted ? 'error' : 'pass')} ${mdCode(`MAIL FROM:<${a.from}> RCPT TO:<${a.to}>`)} → ${mdText(a.rcpt ?? a.mail ?? a.error ?? '')}`)),
      ),
    });
  }
  return checks;
}

/** An MX host's reverse DNS against the name it greets with, judged as an MX's (information at most). */
function mxPtrChecks(r: PtrCheckResult | undefined, host: string, overrides: RuleSeverityOverrides): Check[] {
  return r ? [ptrCheck(r, overrides, (p) => mxPtrFindings(NOWHERE, host, p))] : [];
}

/** An MX host's port-25 probe: its one-line summary and its checks. */
interface Port25 {
  readonly summary: string;
  readonly checks: readonly Check[];
  readonly port: number;
}

/** An MX host's DNS check, with its port-25 result in the description and its checks as children. */
function withPort25(dns: Check, h: MxHost, port25: Port25 | undefined): Check {
  if (!port25) return dns;
  return {
    ...dns,
    state: worstState([dns.state, ...port25.checks.map((c) => c.state)]),
    description: `${dns.description} · ${port25.summary}`,
    tooltip: para(dns.tooltip, `Port ${port25.port}: ${mdText(port25.summary)}`),
    children: port25.checks,
    host: h.exchange.replace(/\.$/, ''),
    port: port25.port,
  };
}

export function buildResultsTree(input: ResultsInput): ResultsTree {
  const overrides = input.overrides ?? {};
  const displayPath = input.displayPath ?? ((f: string) => f);
  const live = input.live;
  const index = indexResults(live?.results ?? []);
  // A domain shows as running until every domain check of the run has reported.
  const authCount = (kind: string) => AUTH_LIVE_CHECKS.filter((c) => c.subject === kind).length;
  const ran = !!live && (live.running || live.results.length > 0 || !!live.targets);
  const entriesByFile = new Map<string, Map<string, TargetEntry>>();
  const entry = (e: TargetEntry) => {
    const file = e.location?.file ?? UNLOCATED;
    const byKey = entriesByFile.get(file) ?? new Map<string, TargetEntry>();
    entriesByFile.set(file, byKey);
    if (!byKey.has(`${e.kind}:${e.key}`)) byKey.set(`${e.kind}:${e.key}`, e);
  };
  const isStale = (file: string) => !!live?.staleFiles?.has(file);
  const resolverDead = index.resolver?.status === 'dead';
  /** What a target without a result says, and its state (`dns`: the target needs the DNS servers). */
  const pending = (file: string, dns = true): { state: NodeState; text: string } =>
    dns && resolverDead && !isStale(file)
      ? { state: 'skipped', text: 'not checked: the DNS server does not answer' }
      : live?.running && !isStale(file)
      ? { state: 'running', text: 'checking…' }
      : input.liveDisabledReason
        ? { state: 'skipped', text: `not checked · ${input.liveDisabledReason}` }
        : isStale(file)
          ? { state: 'skipped', text: 'changed since the last check' }
          : { state: 'skipped', text: ran ? 'not checked in the last run' : 'not checked yet' };

  /**
   * What the line that named a host expects of it — TLS mode, role, the option that sets the mode — as the
   * live run saw it (so states agree with the Problems view), else from the endpoint itself.
   */
  const expectations = (host: string, port: number, security: EndpointSecurity | undefined, location: ConfigLocation | undefined, endpoint?: Endpoint): { security: EndpointSecurity | undefined; context: ProbeContext } => {
    const target = live?.targets?.probes.find((t) => probeKey(t.host, t.port) === probeKey(host, port));
    const at = location && target?.locations.find((l) => l.file === location.file && l.range.start.line === location.range.start.line && l.range.start.character === location.range.start.character);
    if (target && at) return { security: at.tlsMode ? at.security : target.security, context: { role: at.role ?? target.role, tlsMode: at.tlsMode, certificatePolicy: target.certificatePolicy } };
    if (endpoint) return { security: endpoint.security, context: { role: endpointRole(endpoint), tlsMode: endpointTlsModeSetting(endpoint), certificatePolicy: target?.certificatePolicy } };
    return { security, context: { role: target?.role, certificatePolicy: target?.certificatePolicy } };
  };

  // Endpoints: the static ones (fresh locations) first, then live targets (also the Postfix server's own ports).
  const endpointEntry = (host: string | undefined, port: number | undefined, security: EndpointSecurity | undefined, location: ConfigLocation | undefined, endpoint?: Endpoint): TargetEntry => {
    const key = host && port ? probeKey(host, port) : `unresolved:${location ? `${lineOf(location.range)}:${location.range.start.character}` : ''}`;
    return { kind: 'endpoint', key, location, line: location?.range.start.line ?? 0, build: (fileId, file) => {
      const id = `${fileId}/endpoint:${key}`;
      const label = `${host ?? '(host not resolved)'}:${port ?? '?'}`;
      const mode = securityLabel(security, port);
      const where = para(
        `**${mdText(label)}** — ${mdText(mode)}`,
        lines(
          endpoint && `Defined by: ${mdText(SOURCE_LABEL[endpoint.source])}, line ${lineOf(endpoint.range)}`,
          !endpoint && (location ? `Named on line ${lineOf(location.range)}` : 'Checked by hand: no config names it'),
          endpoint?.authPresent && 'Authentication: configured (credentials not shown)',
          ...Object.entries(endpoint?.envOrigins ?? {}).map(([option, o]) => `${mdText(option)} from ${mdCode(o.variable)}${o.file ? ` (${mdText(displayPath(o.file))}, line ${o.range ? lineOf(o.range) : '?'})` : ''}`),
        ),
      );
      if (!host || !port) {
        return { id, kind: 'endpoint', label, description: `${mode} · host or port not resolved`, tooltip: para(where, 'The host or port comes from a value SMTP Doctor could not resolve, so it cannot be checked.'), state: 'skipped', location, children: [] };
      }
      const result = isStale(file) ? undefined : index.probes.get(probeKey(host, port));
      if (!result) {
        const p = pending(file, needsDns(host));
        return { id, kind: 'endpoint', ...(endpoint?.authPresent ? { login: true } : {}), label, description: `${mode} · ${p.text}`, tooltip: para(where, mdText(p.text)), state: p.state, location, host, port, children: [] };
      }
      const outbound = port === 25 ? index.outbound.get(hostKey(host)) : undefined;
      const expected = expectations(host, port, security, location, endpoint);
      const target = live?.targets?.probes.find((t) => probeKey(t.host, t.port) === probeKey(host, port));
      const server = target?.locations.find((l) => l.server)?.server;
      const checks = [
        ...probeChecks(result, expected.security, expected.context, outbound, overrides, location ?? NOWHERE),
        ...serverExtraChecks(index.tlsScans.get(probeKey(host, port)), index.relays.get(probeKey(host, port)), { role: expected.context.role ?? roleOfPort(port), owned: !!server }, server, overrides),
      ];
      const summary = probeSummary(result, outbound);
      return {
        id,
        kind: 'endpoint',
        ...(endpoint?.authPresent ? { login: true } : {}),
        label,
        description: summary,
        tooltip: para(where, `Result: ${mdText(summary)}`, `Timings: ${timingsText(result.timings)}`),
        state: worstState(checks.map((c) => c.state)),
        location,
        host,
        port,
        children: checkNodes(id, checks, location),
      };
    } };
  };

  for (const e of input.endpoints) entry(endpointEntry(e.host, e.port, e.security, { file: e.file, range: e.range }, e));
  const targets = live?.targets;
  for (const t of targets?.probes ?? []) {
    for (const at of t.locations) entry(endpointEntry(t.host, t.port, t.security, at));
    if (!t.locations.length) entry(endpointEntry(t.host, t.port, t.security, undefined));
  }

  for (const d of targets?.domains ?? []) {
    for (const at of d.locations) {
      entry({
        kind: 'domain',
        key: hostKey(d.domain),
        location: at,
        line: at.range.start.line,
        build: (fileId, file) => {
          const id = `${fileId}/domain:${hostKey(d.domain)}`;
          const head = `**${mdText(d.domain)}** — MX records, named on line ${lineOf(at.range)}`;
          const result = isStale(file) ? undefined : index.mx.get(hostKey(d.domain));
          if (!result) {
            const p = pending(file);
            return { id, kind: 'domain', label: d.domain, description: `MX · ${p.text}`, tooltip: para(head, mdText(p.text)), state: p.state, location: at, file: at.file, children: [] };
          }
          const enforce = (index.auth.get(authKey('domain', d.domain)) ?? []).some((a) => mtaStsModeOf(a) === 'enforce');
          const port25 = (h: MxHost): Port25 | undefined => {
            const host = hostKey(h.exchange);
            const probe = index.mxProbes.get(host) ?? index.probes.get(probeKey(host, 25));
            if (!probe) return undefined;
            const key = probeKey(probe.host, probe.port);
            const server = live?.targets?.probes.find((t) => probeKey(t.host, t.port) === key)?.locations.find((l) => l.server)?.server;
            const context: ProbeContext = { role: 'mx', policyChecked: true, ...(enforce ? { certificatePolicy: 'mta-sts' as const } : {}) };
            const outbound = index.outbound.get(host);
            return {
              summary: probeSummary(probe, outbound),
              port: probe.port,
              checks: [
                ...probeChecks(probe, undefined, context, outbound, overrides, NOWHERE),
                ...serverExtraChecks(index.tlsScans.get(key), index.relays.get(key), { role: 'mx', owned: !d.relay }, server, overrides),
                ...mxPtrChecks(index.mxPtrs.get(host), host, overrides),
              ],
            };
          };
          const mxOnly = mxChecks(result, overrides, port25);
          // After the MX checks: SPF, DMARC, MTA-STS, TLS-RPT and DANE of the same domain.
          const auth = (index.auth.get(authKey('domain', d.domain)) ?? []).map((r) => authRow(r, overrides));
          const checks = [...mxOnly, ...auth];
          const hosts = result.hosts.map((h) => `${h.priority} ${h.exchange}`).join(', ');
          const authProblems = auth.filter((c) => c.state === 'error' || c.state === 'warning').map((c) => c.name);
          return {
            id,
            kind: 'domain',
            label: d.domain,
            description: `MX · ${result.status === 'ok' ? hosts : mxOnly[0].description}${authProblems.length ? ` · check ${authProblems.join(', ')}` : ''}`,
            tooltip: para(head, mxOnly[0].tooltip),
            state: worstState([...checks.map((c) => c.state), ...(live?.running && auth.length < authCount('domain') ? ['running' as const] : [])]),
            location: at,
            file: at.file,
            children: checkNodes(id, checks, at),
          };
        },
      });
    }
  }

  const ipTargets = new Set((targets?.ptrs ?? []).filter((t) => isIP(t.hostOrAddress)).map((t) => t.hostOrAddress));
  for (const t of targets?.ptrs ?? []) {
    for (const at of t.locations) {
      entry({
        kind: 'address',
        key: hostKey(t.hostOrAddress),
        location: at,
        line: at.range.start.line,
        build: (fileId, file) => {
          const id = `${fileId}/address:${hostKey(t.hostOrAddress)}`;
          const head = lines(`**${mdText(t.hostOrAddress)}** — reverse DNS (PTR), named on line ${lineOf(at.range)}`, t.expectedName && `Expected name: ${mdCode(t.expectedName)}`);
          // A name's addresses are looked up during the run; its PTR results are those not of an address target.
          const results = isStale(file)
            ? []
            : isIP(t.hostOrAddress)
              ? index.ptr.filter((r) => r.address === t.hostOrAddress)
              : index.ptr.filter((r) => !ipTargets.has(r.address) && (r.expectedName ?? '') === (t.expectedName ?? ''));
          if (!results.length) {
            const finished = !!live?.targets && !live.running && !isStale(file) && !input.liveDisabledReason;
            const p = finished ? { state: 'skipped' as const, text: 'no address found to check' } : pending(file);
            return { id, kind: 'address', label: t.hostOrAddress, description: `PTR · ${p.text}`, tooltip: para(head, mdText(p.text)), state: p.state, location: at, file: at.file, children: [] };
          }
          // Blocklist results of each public address found, after its reverse DNS.
          const checks = [
            ...results.map((r) => ptrCheck(r, overrides)),
            ...[...new Set(results.map((r) => r.address))].flatMap((a) => (index.auth.get(authKey('address', a)) ?? []).map((r) => ({ ...authRow(r, overrides), name: `${AUTH_CHECK_LABELS[r.check]} ${a}` }))),
          ];
          return {
            id,
            kind: 'address',
            label: t.hostOrAddress,
            description: `PTR · ${checks.map((c) => c.description).join('; ')}`,
            tooltip: para(head, ...checks.map((c) => c.tooltip)),
            state: worstState([...checks.map((c) => c.state), ...(live?.running ? ['running' as const] : [])]),
            location: at,
            file: at.file,
            children: checkNodes(id, checks, at),
          };
        },
      });
    }
  }

  for (const k of targets?.dkim ?? []) {
    const subject = `${k.selector}._domainkey.${k.domain}`;
    for (const at of k.locations) {
      entry({
        kind: 'domain',
        key: `dkim:${hostKey(subject)}`,
        location: at,
        line: at.range.start.line,
        build: (fileId, file) => {
          const id = `${fileId}/dkim:${hostKey(subject)}`;
          const head = `**${mdText(subject)}** — DKIM key, named on line ${lineOf(at.range)}`;
          const results = isStale(file) ? [] : index.auth.get(authKey('dkim', subject)) ?? [];
          if (!results.length) {
            const p = pending(file);
            return { id, kind: 'domain', label: subject, description: `DKIM · ${p.text}`, tooltip: para(head, mdText(p.text)), state: p.state, location: at, file: at.file, children: [] };
          }
          const checks = results.map((r) => authRow(r, overrides));
          return {
            id,
            kind: 'domain',
            label: subject,
            description: `DKIM · ${checks.map((c) => c.description).join('; ')}`,
            tooltip: para(head, ...checks.map((c) => c.tooltip)),
            state: worstState(checks.map((c) => c.state)),
            location: at,
            file: at.file,
            children: checkNodes(id, checks, at),
          };
        },
      });
    }
  }

  const liveByFile = new Map<string, Finding[]>();
  for (const f of live?.findings ?? []) liveByFile.set(f.file, [...(liveByFile.get(f.file) ?? []), f]);
  const files = new Set([...input.files.keys(), ...entriesByFile.keys(), ...liveByFile.keys()]);
  files.delete(UNLOCATED);

  const roots: ResultNode[] = [];
  let problems = 0;
  for (const file of [...files].sort((a, b) => displayPath(a).localeCompare(displayPath(b)))) {
    const fileId = `file:${file}`;
    const targetNodes = [...(entriesByFile.get(file)?.values() ?? [])].sort((a, b) => a.line - b.line).map((e) => e.build(fileId, file));
    const staticFindings = [...(input.files.get(file) ?? [])].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    const findingNodes = staticFindings.map((f, i): ResultNode => ({
      id: `${fileId}/finding:${f.ruleId}:${lineOf(f.range)}:${f.range.start.character}:${i}`,
      kind: 'finding',
      label: oneLine(f.message, 200),
      description: `${f.ruleId} · line ${lineOf(f.range)}`,
      tooltip: para(`**${f.severity}** ${mdCode(f.ruleId)} — line ${lineOf(f.range)}`, mdText(f.message), f.details ? mdText(f.details) : undefined, f.fixes?.length ? `Quick fix: ${mdText(f.fixes.map((x) => x.title).join('; '))}` : undefined),
      state: stateOfSeverity(f.severity),
      location: { file: f.file, range: f.range },
      ruleIds: [f.ruleId],
      children: [],
    }));
    const all = [...staticFindings, ...(liveByFile.get(file) ?? [])];
    const errors = all.filter((f) => f.severity === 'error').length;
    const warnings = all.filter((f) => f.severity === 'warning').length;
    problems += errors + warnings;
    const counts = [errors && plural(errors, 'error'), warnings && plural(warnings, 'warning')].filter(Boolean).join(' · ') || 'no problems';
    const targetsCount = targetNodes.length ? plural(targetNodes.length, 'server') : undefined;
    // The static findings are the Problems panel's: here they are one folded node, under the live results.
    const problemsNode: ResultNode | undefined = findingNodes.length
      ? {
          id: `${fileId}/problems`,
          kind: 'problems',
          label: 'Problems',
          description: `${plural(findingNodes.length, 'finding')} · also in the Problems panel`,
          tooltip: para(`**Problems in ${mdText(displayPath(file))}**`, 'The static findings of this file, as the Problems panel lists them.'),
          state: worstState(findingNodes.map((n) => n.state)),
          file,
          children: findingNodes,
        }
      : undefined;
    const children = [...targetNodes, ...(problemsNode ? [problemsNode] : [])];
    const childStates = children.map((c) => c.state).filter((s) => s !== 'skipped');
    roots.push({
      id: fileId,
      kind: 'file',
      label: displayPath(file),
      description: [counts, targetsCount].filter(Boolean).join(' · '),
      tooltip: para(`**${mdText(displayPath(file))}**`, lines(mdText(counts), targetsCount && mdText(`${targetsCount}, domains or addresses named here`))),
      state: worstState([...childStates, ...all.filter(isProblem).map((f) => stateOfSeverity(f.severity))], 'pass'),
      location: { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
      file,
      children,
    });
  }

  // Hosts checked by hand come first: the user just asked about them.
  const unlocated = [...(entriesByFile.get(UNLOCATED)?.values() ?? [])].map((e) => e.build('group:unlocated', UNLOCATED));
  if (unlocated.length) {
    roots.unshift({
      id: 'group:unlocated',
      kind: 'group',
      label: 'Checked by hand',
      description: `${plural(unlocated.length, 'server')} no config names`,
      tooltip: para('**Checked by hand**', 'Hosts checked on request (Check SMTP Port) that no config file in the workspace names.'),
      state: worstState(unlocated.map((n) => n.state)),
      children: unlocated,
    });
  }

  const resolver = index.resolver;
  if (resolver?.status === 'dead') {
    const servers = resolver.servers.length ? resolver.servers.join(', ') : 'none found';
    const what = resolver.error === 'ECONNREFUSED' ? 'refused the query' : resolver.error === 'ETIMEOUT' ? 'did not answer' : 'failed';
    const setting = input.dnsSetting ?? 'smtpDoctor.dnsServers';
    roots.unshift({
      id: 'notice:dns-dead',
      kind: 'notice',
      label: 'DNS server not answering',
      description: `${servers} ${what} · DNS checks skipped`,
      tooltip: para(
        `**${resolver.configured ? 'DNS server' : "The system's DNS server"} ${mdText(servers)} ${what}**`,
        mdText(`Asked for ${resolver.name}: ${dnsErrorWords(resolver.error)}. Every check that needs DNS was skipped. ${resolver.configured ? 'Fix' : 'Set'} ${setting} (click to open it).`),
      ),
      state: 'warning',
      action: 'dns-settings',
      children: [],
    });
  }

  if (roots.length && input.liveDisabledReason) {
    roots.unshift({
      id: 'notice:live-disabled',
      kind: 'notice',
      label: 'Live checks are off',
      description: input.liveDisabledReason,
      tooltip: para('**Live checks are off**', mdText(`${input.liveDisabledReason}. Static linting still runs; live checks connect to the hosts the configs name, so they run only in a trusted workspace.`)),
      state: 'info',
      action: 'manage-trust',
      children: [],
    });
  }
  const shown = filtered(roots, input.filter ?? 'all');
  return { roots: masked(shown), problems, hasResults: roots.length > 0 };
}

/**
 * The nodes a filter keeps. `live`: servers, domains and addresses with their checks (no static findings, no
 * file without live targets); `errors`: only nodes in the error state, with the parents that lead to them.
 */
function filtered(roots: readonly ResultNode[], filter: ResultsFilter): ResultNode[] {
  if (filter === 'all') return [...roots];
  if (filter === 'live') {
    return roots.flatMap((n) => {
      if (n.kind === 'notice' || n.kind === 'group') return [n];
      if (n.kind !== 'file') return [];
      const children = n.children.filter((c) => c.kind !== 'problems');
      return children.length ? [{ ...n, children }] : [];
    });
  }
  const keep = (n: ResultNode): ResultNode | undefined => {
    const children = n.children.map(keep).filter((c): c is ResultNode => !!c);
    if (children.length) return { ...n, children };
    return n.state === 'error' && n.kind !== 'file' && n.kind !== 'group' && n.kind !== 'problems' ? { ...n, children: [] } : undefined;
  };
  return roots.map(keep).filter((n): n is ResultNode => !!n);
}

/** Labels and descriptions are plain text, partly what servers and resolvers said: credentials in them are masked. */
function masked(nodes: readonly ResultNode[]): ResultNode[] {
  return nodes.map((n) => ({ ...n, label: redactText(n.label), description: redactText(n.description), children: masked(n.children) }));
}

/** A node and its descendants as plain data (for tests and the extension API). */
export interface ResultSnapshot {
  readonly kind: NodeKind;
  readonly label: string;
  readonly description: string;
  readonly state: NodeState;
  readonly tooltip: string;
  readonly line?: number;
  readonly children: readonly ResultSnapshot[];
}

export function snapshotOf(nodes: readonly ResultNode[]): ResultSnapshot[] {
  return nodes.map((n) => ({ kind: n.kind, label: n.label, description: n.description, state: n.state, tooltip: n.tooltip, ...(n.location ? { line: n.location.range.start.line } : {}), children: snapshotOf(n.children) }));
}
