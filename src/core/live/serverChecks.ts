// The checks that go past the probe on one SMTP endpoint — the TLS version and cipher scan, and (opt-in) the
// relay test — and what their results mean on the config line: for a server the workspace configures (its
// own Postfix), a live finding goes on the line of the setting that causes it (smtpd_tls_cert_file for an
// expired certificate, smtpd_tls_protocols for TLS 1.0, mynetworks for an open relay), with the line that
// named the server as related information; and where a static rule already reports that very cause, the live
// result confirms it in the results instead of adding a second diagnostic. What a server's configuration says
// comes through ServerRef (net/postfixServer.ts for Postfix), so this module does not load the Postfix linter.

import { shortName, shortText } from './messageText';
import type { Finding, Severity } from '../model';
import { redactText } from '../redact';
import type { ConfigLocation } from './liveFindings';
import { LIVE_RULES } from './liveRules';
import type { ProbeLocation } from './liveTargets';
import type { ServerRef } from './serverRef';
import { type ProbeRole, roleOfPort } from './probeRole';
import type { SmtpProbeResult } from './probeTypes';
import type { RelayTestResult } from './relayTest';
import type { CheckRun } from './liveCheck';
import type { CheckGroup } from './scheduler';
import { SERVER_RULES } from './serverRules';
import { type TlsScanResult, speaksOnlyWeakVersions, tlsScanFindings } from './tlsScanFindings';

export type { RelayTestScope } from './liveReport';

/** What the deeper checks of one endpoint found (each only when it ran). */
export interface EndpointExtras {
  readonly tlsScan?: TlsScanResult;
  readonly relay?: RelayTestResult;
}

export interface ServerCheckOptions {
  readonly group: CheckGroup;
  readonly stepTimeoutMs: number;
  readonly lookupFor?: (signal: AbortSignal) => (host: string) => Promise<string[]>;
  readonly ehloName?: string;
  readonly tlsScan: boolean;
  readonly onTlsScan?: (r: TlsScanResult) => void;
  readonly onRelay?: (r: RelayTestResult) => void;
}

/** Whether a probe showed TLS worth scanning: STARTTLS offered, or TLS at connect. */
export function speaksTls(r: SmtpProbeResult): boolean {
  if (r.status !== 'open') return false;
  return r.tls?.mode === 'implicit' || (r.extensions !== undefined && 'STARTTLS' in r.extensions);
}

const settled = async <T>(p: Promise<T>): Promise<T | undefined> => {
  try {
    return await p;
  } catch {
    // Cancelled with the run: no result.
    return undefined;
  }
};

/** Runs the scan and the relay test of endpoints, each host:port once per run, under the run's group. */
export class ServerChecks {
  private readonly scans = new Map<string, Promise<TlsScanResult | undefined>>();
  private readonly relays = new Map<string, Promise<RelayTestResult | undefined>>();

  constructor(private readonly options: ServerCheckOptions) {}

  /** The scan (when the probe saw TLS) and the relay test (when `relay` and the scope allow it) of one endpoint. */
  async examine(probe: SmtpProbeResult, implicitTls: boolean, relay: { readonly eligible: boolean; readonly localDomain?: string }): Promise<EndpointExtras> {
    const [tlsScan, relayResult] = await Promise.all([this.scan(probe, implicitTls), relay.eligible ? this.relay(probe, implicitTls, relay.localDomain) : undefined]);
    return { ...(tlsScan ? { tlsScan } : {}), ...(relayResult ? { relay: relayResult } : {}) };
  }

  /** The TLS scan of a server the probe saw speaking TLS (none when scans are off or it does not). */
  scan(probe: SmtpProbeResult, implicitTls: boolean): Promise<TlsScanResult | undefined> | undefined {
    const o = this.options;
    if (!o.tlsScan || !speaksTls(probe)) return undefined;
    const key = endpointKey(probe);
    let scan = this.scans.get(key);
    if (!scan) {
      // The scanner (SMTP sessions, ClientHellos) loads with the first scan: most runs scan nothing.
      scan = settled(o.group.run(`tls-scan:${key}`, (signal) => import('./tlsScan').then((m) => m.scanTls({ host: probe.host, port: probe.port, implicitTls, stepTimeoutMs: o.stepTimeoutMs, signal, lookup: o.lookupFor?.(signal), ehloName: o.ehloName })))).then((r) => {
        if (r) o.onTlsScan?.(r);
        return r;
      });
      this.scans.set(key, scan);
    }
    return scan;
  }

  /** The relay test of a server the probe found answering (the caller decides whether it may be tried). */
  relay(probe: SmtpProbeResult, implicitTls: boolean, localDomain: string | undefined): Promise<RelayTestResult | undefined> | undefined {
    const o = this.options;
    if (probe.status !== 'open') return undefined;
    const key = endpointKey(probe);
    let relayTest = this.relays.get(key);
    if (!relayTest) {
      relayTest = settled(
        o.group.run(`relay:${key}`, (signal) => import('./relayTest').then((m) => m.testRelay({ host: probe.host, port: probe.port, implicitTls, stepTimeoutMs: o.stepTimeoutMs, signal, lookup: o.lookupFor?.(signal), ehloName: o.ehloName, localDomain }))),
      ).then((r) => {
        if (r) o.onRelay?.(r);
        return r;
      });
      this.relays.set(key, relayTest);
    }
    return relayTest;
  }
}

const endpointKey = (probe: SmtpProbeResult) => `${probe.host.toLowerCase().replace(/\.$/, '')}:${probe.port}`;

/** The run's one ServerChecks (shared by the endpoint checks and the MX-host checks, so each server is scanned once). */
export function serverChecksOf(run: CheckRun, lookupFor: ServerCheckOptions['lookupFor']): ServerChecks {
  return run.shared('server-checks', () => new ServerChecks({
    group: run.group,
    stepTimeoutMs: run.stepTimeoutMs,
    lookupFor,
    ehloName: run.options.ehloName,
    tlsScan: run.options.tlsScan ?? true,
    onTlsScan: (result) => run.emit({ kind: 'tls-scan', result }),
    onRelay: (result) => run.emit({ kind: 'relay', result }),
  }));
}

// ---------- The relay test's findings ----------

/**
 * Whether the server trusts the address it saw us connect from (its mynetworks), when its configuration is
 * known and says; undefined otherwise (a server no config describes, a table, NAT in between).
 */
export function clientTrusted(relay: RelayTestResult, server: ServerRef | undefined): boolean | undefined {
  const local = relay.localAddress?.replace(/^::ffff:/, '');
  const remote = relay.address?.replace(/^::ffff:/, '');
  if (!local || !server) return undefined;
  return server.trustsClient(local, remote);
}

/**
 * What the relay test means. A direct foreign recipient accepted from an untrusted client is an open relay
 * (error). When the server may trust this client (mynetworks not known to exclude it, or a server the
 * workspace does not configure), the same answer is a warning; when it does trust it, no finding: test from
 * outside. Routed forms alone: a warning.
 */
export function relayFindings(where: ConfigLocation, relay: RelayTestResult, server: ServerRef | undefined): Finding[] {
  const accepted = relay.attempts.filter((a) => a.accepted);
  if (!accepted.length) return [];
  const at = `${shortName(relay.host)}:${relay.port}`;
  const example = accepted.find((a) => a.kind === 'direct') ?? accepted[0];
  const trusted = clientTrusted(relay, server);
  if (trusted === true) return [];
  let severity: Severity;
  let message: string;
  if (relay.verdict === 'open') {
    severity = trusted === false ? 'error' : 'warning';
    message =
      trusted === false
        ? `${at} relays for anyone: it accepted <${shortText(example.to, 48)}> from a client outside mynetworks; close the relay.`
        : `${at} accepted <${shortText(example.to, 48)}> without a login: an open relay unless it trusts ${relay.localAddress ?? 'this client'}.`;
  } else {
    severity = 'warning';
    message = `${at} accepted the routed address <${shortText(example.to, 48)}> without a login: it may relay.`;
  }
  const details =
    `Without a login, from ${relay.localAddress ?? 'this client'}${relay.tls ? ' over TLS' : ''}, it answered RCPT TO:<${shortText(example.to, 48)}> after MAIL FROM:<${example.from}> with "${example.rcpt ?? ''}"; ` +
    `${accepted.length} of ${relay.attempts.length} address forms were accepted. Each attempt ended with RSET and none sent DATA, so no mail was sent. Server: ${relay.host}:${relay.port}.`;
  return [{ ruleId: SERVER_RULES.openRelay.id, severity, file: where.file, range: where.range, message: redactText(message), details: redactText(details) }];
}

// ---------- Combining and placing an endpoint's findings ----------

/** The probe's findings with the scan's and the relay test's; a server speaking only TLS 1.0/1.1 is that, not a failed STARTTLS. */
export function withExtras(probeFindings: readonly Finding[], extraFindings: readonly Finding[], extras: EndpointExtras): Finding[] {
  const onlyWeak = extras.tlsScan && speaksOnlyWeakVersions(extras.tlsScan);
  const base = onlyWeak ? probeFindings.filter((f) => f.ruleId !== LIVE_RULES.starttlsFailed.id && f.ruleId !== LIVE_RULES.noGreeting.id) : [...probeFindings];
  // The scan says more about versions than the probe's one handshake.
  const scanVersions = extraFindings.some((f) => f.ruleId === LIVE_RULES.tlsWeakVersion.id);
  return [...(scanVersions ? base.filter((f) => f.ruleId !== LIVE_RULES.tlsWeakVersion.id) : base), ...extraFindings];
}

/**
 * The findings of one endpoint on one line that names it: the probe's, the scan's and the relay test's, and
 * for the workspace's own server, each placed on the setting that causes it.
 */
export function endpointFindings(at: ProbeLocation, target: { readonly host: string; readonly port: number }, probeOnly: readonly Finding[], extras: EndpointExtras, role: ProbeRole | undefined): Finding[] {
  const where = { file: at.file, range: at.range };
  const server = at.server;
  const extra = [
    ...(extras.tlsScan ? tlsScanFindings(where, extras.tlsScan, { role: role ?? roleOfPort(target.port), owned: !!server, ...(server ? { fix: server.tlsFixes() } : {}) }) : []),
    ...(extras.relay && server ? relayFindings(where, extras.relay, server) : []),
  ];
  const found = withExtras(probeOnly, extra, extras);
  return server ? server.placeFindings(found, where, `the server ${target.host}:${target.port}, named here`) : found;
}

