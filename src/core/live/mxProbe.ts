// Port 25 of every MX host of every checked domain: the probe (banner, EHLO, STARTTLS, certificate), the TLS
// scan, and — when the scope allows — the relay test, as a sending server meets them. The probe is the run's
// shared one (the scheduler joins it with DANE's port-25 probe of the same host), and MTA-STS decides how much a
// certificate problem matters. Findings come once per MX host, however many domains or lines lead to it: on
// the first line naming one of its domains, with the others as related information; a host that is the
// workspace's own Postfix server (its myhostname) is reported where that server's settings are.

import type { Finding, RelatedLocation, Severity } from '../model';
import type { MxCheckResult, PtrCheckResult } from './dnsTypes';
import { type ConfigLocation, probeFindings } from './liveFindings';
import { LIVE_RULES } from './liveRules';
import type { DomainTarget } from './liveTargets';
import type { ServerRef } from './serverRef';
import { mtaStsModeOf } from './mailAuth/mtaSts';
import type { AuthCheckResult } from './mailAuth/types';
import { type CheckRun, domainSubject } from './liveCheck';
import { diagnosePort25 } from './outbound25Check';
import { checkPtr } from './ptrCheck';
import { lookupFor, probeEndpoint } from './smtpPortCheck';
import type { Outbound25Diagnosis } from './outbound25';
import type { SmtpProbeResult } from './probeTypes';
import { redactText } from '../redact';
import { type EndpointExtras, type RelayTestScope, relayFindings, type ServerChecks, serverChecksOf, withExtras } from './serverChecks';
import { tlsScanFindings } from './tlsScanFindings';

/** MX hosts probed per domain (as DANE looks at). */
export const MAX_MX_HOSTS = 10;

export interface MxHostDomain {
  readonly domain: string;
  readonly priority: number;
  readonly locations: readonly ConfigLocation[];
  /** The workspace's own domain (not a relayhost's). */
  readonly own: boolean;
}

/** One MX host's port-25 checks, and the domains that lead to it. */
export interface MxHostCheck {
  readonly host: string;
  readonly port: number;
  readonly domains: MxHostDomain[];
  probe?: SmtpProbeResult;
  extras?: EndpointExtras;
  outbound25?: Outbound25Diagnosis;
  /** The reverse DNS of the address it answered on, against the name it greets with. */
  ptr?: PtrCheckResult;
}

export interface MxProbeDeps {
  /** The run's probe (shared through its scheduler). */
  readonly probe: (host: string, port: number, implicitTls: boolean) => Promise<SmtpProbeResult>;
  readonly servers: ServerChecks;
  readonly relayScope: RelayTestScope;
  /** The workspace's own Postfix server answering as `host` on `port`, if any (its myhostname). */
  readonly ownServer: (host: string, port: number) => ServerRef | undefined;
  /** Whether the run reports host:port as a configured endpoint already (then its findings go there). */
  readonly reportedAsEndpoint: (host: string, port: number) => boolean;
  /** Why port 25 of a host timed out (memoized by the caller; reference probes are shared). */
  readonly diagnoseTimeout: (host: string, result: SmtpProbeResult) => Promise<Outbound25Diagnosis>;
  readonly onProbe?: (check: MxHostCheck) => void;
  /** The PTR check of an address against a name (shared through the scheduler); none: not checked. */
  readonly checkPtr?: (address: string, expectedName: string) => Promise<PtrCheckResult | undefined>;
  /** 25; tests use another port. */
  readonly port?: number;
}

const normal = (host: string) => host.toLowerCase().replace(/\.$/, '');
const failed = (r: SmtpProbeResult | undefined) => !r || ['timeout', 'unreachable', 'refused', 'no-greeting', 'bad-greeting'].includes(r.status);

/** Whether a diagnosis says port 25 cannot be tested from here (blocked, or silent at the reference hosts too). */
export function port25Unusable(d: Outbound25Diagnosis | undefined): boolean {
  if (!d) return false;
  if (d.verdict === 'network-blocks-25') return true;
  const references = d.evidence.filter((e) => e.role === 'reference-25');
  return d.verdict === 'inconclusive' && references.length >= 2 && references.every((e) => e.status === 'timeout' || e.status === 'unreachable');
}

export class MxHostChecks {
  private readonly hosts = new Map<string, MxHostCheck>();
  private readonly work: Promise<void>[] = [];
  private readonly port: number;

  constructor(private readonly deps: MxProbeDeps) {
    this.port = deps.port ?? 25;
  }

  /** Starts the checks of a domain's MX hosts (the domain itself when it has no MX but an address). */
  add(target: DomainTarget, mx: MxCheckResult): void {
    const hosts =
      mx.status === 'ok'
        ? mx.hosts.filter((h) => !h.isIpLiteral && h.exchange && h.addresses.length > 0).slice(0, MAX_MX_HOSTS).map((h) => ({ host: normal(h.exchange), priority: h.priority }))
        : mx.status === 'no-mx' && mx.fallbackAddresses?.length
          ? [{ host: normal(target.domain), priority: 0 }]
          : [];
    for (const { host, priority } of hosts) {
      const domain: MxHostDomain = { domain: target.domain, priority, locations: target.locations, own: !target.relay };
      const known = this.hosts.get(host);
      if (known) {
        if (!known.domains.some((d) => d.domain === target.domain)) known.domains.push(domain);
        continue;
      }
      const check: MxHostCheck = { host, port: this.port, domains: [domain] };
      this.hosts.set(host, check);
      this.work.push(this.run(check));
    }
  }

  private async run(check: MxHostCheck): Promise<void> {
    const d = this.deps;
    check.probe = await d.probe(check.host, check.port, false);
    if (check.probe.status === 'timeout' || check.probe.status === 'unreachable') check.outbound25 = await d.diagnoseTimeout(check.host, check.probe);
    const server = d.ownServer(check.host, check.port);
    const eligible = d.relayScope === 'all' || (d.relayScope === 'workspace' && !!server);
    const name = check.probe.status === 'open' ? greetingName(check.probe.banner) : undefined;
    const ptr = name && check.probe.address && d.checkPtr ? d.checkPtr(check.probe.address, name) : undefined;
    check.extras = await d.servers.examine(check.probe, false, { eligible, localDomain: check.domains[0]?.domain });
    check.ptr = await ptr;
    d.onProbe?.(check);
  }

  /** Every check this run started, once each has finished. */
  async all(): Promise<MxHostCheck[]> {
    await Promise.all(this.work);
    return [...this.hosts.values()];
  }

  /** The findings of every MX host, once each; `auth` gives the MTA-STS policies of the domains. */
  async findings(auth: readonly AuthCheckResult[]): Promise<Finding[]> {
    const checks = await this.all();
    const out: Finding[] = [];
    // Port 25 that cannot be tested from here is said once for the run, not once per MX host.
    const unusable = checks.filter((c) => port25Unusable(c.outbound25));
    if (unusable.length) out.push(this.blockedFinding(unusable));
    const answering = new Set(checks.filter((c) => !failed(c.probe)).map((c) => c.host));
    for (const c of checks) {
      if (!c.probe || c.probe.status === 'cancelled' || c.probe.status === 'dns-failure' || port25Unusable(c.outbound25)) continue;
      if (this.deps.reportedAsEndpoint(c.host, c.port)) continue;
      const [first, ...rest] = c.domains.flatMap((d) => d.locations.map((at) => ({ at, domain: d.domain })));
      if (!first) continue;
      const related: RelatedLocation[] = rest.map((r) => ({ file: r.at.file, range: r.at.range, message: `${r.domain}, whose MX is ${c.host}, is named here too` }));
      const domains = c.domains.map((d) => d.domain);
      const own = c.domains.some((d) => d.own);
      const server = this.deps.ownServer(c.host, c.port);
      let found: Finding[];
      if (failed(c.probe) && (c.probe.status === 'timeout' || c.probe.status === 'unreachable' || c.probe.status === 'refused')) {
        // A domain still receives mail through another MX host: then one dead host is a warning.
        const alone = c.domains.some((d) => this.domainHosts(d.domain).every((h) => !answering.has(h)));
        found = [this.unreachableFinding(first.at, c, alone ? 'error' : 'warning')];
      } else {
        const enforce = c.domains.some((d) => auth.some((a) => a.check === 'mta-sts' && a.subject === d.domain && mtaStsModeOf(a) === 'enforce'));
        const probeOnly = probeFindings(first.at, c.probe, undefined, { role: 'mx', ...(enforce ? { certificatePolicy: 'mta-sts' as const } : {}), policyChecked: true });
        const extra = [
          ...(c.extras?.tlsScan ? tlsScanFindings(first.at, c.extras.tlsScan, { role: 'mx', owned: own, ...(server ? { fix: server.tlsFixes() } : {}) }) : []),
          ...(c.extras?.relay ? relayFindings(first.at, c.extras.relay, server) : []),
        ];
        found = withExtras(probeOnly, extra, c.extras ?? {});
        // Only an MX host named within its own domain is likely the domain owner's to fix (a hosted MX such as
        // aspmx.l.google.com is not); the workspace's own server has its reverse DNS checked on its myhostname line.
        const ownedHost = c.domains.some((d) => c.host === d.domain || c.host.endsWith(`.${d.domain}`));
        if (c.ptr && !server && ownedHost) found.push(...mxPtrFindings(first.at, c.host, c.ptr));
      }
      found = found.map((f) => ({ ...f, related: [...(f.related ?? []), ...related] }));
      if (server) found = server.placeFindings(found, first.at, `MX ${c.host} of ${domains.join(', ')}`);
      out.push(...found);
    }
    return out;
  }

  private domainHosts(domain: string): string[] {
    return [...this.hosts.values()].filter((c) => c.domains.some((d) => d.domain === domain)).map((c) => c.host);
  }

  private unreachableFinding(at: ConfigLocation, c: MxHostCheck, severity: Severity): Finding {
    const r = c.probe!;
    const domains = c.domains.map((d) => d.domain).join(', ');
    const rule = r.status === 'refused' ? LIVE_RULES.portRefused : LIVE_RULES.portTimeout;
    const what = r.status === 'refused' ? 'refuses port' : 'does not answer on port';
    const message =
      severity === 'error'
        ? `MX ${c.host} ${what} ${c.port} and no other MX host answers, so mail cannot be delivered; start its SMTP server.`
        : `MX ${c.host} ${what} ${c.port}; senders try the other MX hosts, so mail is delayed; start its SMTP server.`;
    const others = severity === 'error' ? `Senders cannot deliver mail to ${domains}: no other MX host answers either.` : `Another MX host of ${domains} answers, so mail is delayed rather than lost.`;
    return { ruleId: rule.id, severity, file: at.file, range: at.range, message, details: redactText(`The probe: ${r.detail ?? r.status}. ${others}`) };
  }

  private blockedFinding(checks: readonly MxHostCheck[]): Finding {
    // Each line once: several MX hosts of one domain lead to the same line.
    const locations = [...new Map(checks.flatMap((c) => c.domains.flatMap((d) => d.locations)).map((l) => [`${l.file}:${l.range.start.line}:${l.range.start.character}`, l])).values()];
    const [first, ...rest] = locations;
    const certain = checks.some((c) => c.outbound25?.verdict === 'network-blocks-25');
    const hosts = checks.map((c) => c.host);
    const named = hosts.length > 2 ? `${hosts.slice(0, 2).join(', ')} and ${hosts.length - 2} more` : hosts.join(' and ');
    const counted = hosts.length === 1 ? `MX ${hosts[0]}` : `${hosts.length} MX hosts`;
    return {
      ruleId: LIVE_RULES.outbound25Blocked.id,
      severity: certain ? LIVE_RULES.outbound25Blocked.defaultSeverity : 'information',
      file: first.file,
      range: first.range,
      message: certain
        ? `This network blocks outbound port 25, so ${counted} could not be checked; run the check from elsewhere.`
        : `Port 25 times out here for ${counted} and for the reference hosts: probably blocked; check from elsewhere.`,
      details: redactText(
        `Not checked on port 25: MX ${named}. ${checks.find((c) => c.outbound25?.verdict === 'network-blocks-25')?.outbound25?.summary ?? checks[0].outbound25?.summary ?? 'Port 25 timed out on every MX host tried.'}`,
      ),
      ...(rest.length ? { related: rest.map((at) => ({ file: at.file, range: at.range, message: 'an MX domain not checked on port 25' })) } : {}),
    };
  }
}

/**
 * How a run runs the MX-host check: port 25 of each MX host of each domain, once its MX answer is in, through
 * the run's shared probe, scan and relay test; the findings once every check has finished (a domain's
 * MTA-STS mode decides how much a certificate problem matters).
 */
export async function runMxHostCheck(run: CheckRun): Promise<void> {
  const { targets, options } = run;
  if (!targets.domains.length) return;
  const probeKeyOf = (host: string, port: number) => `${host.toLowerCase().replace(/\.$/, '')}:${port}`;
  const endpointTargets = new Map(targets.probes.map((t) => [probeKeyOf(t.host, t.port), t]));
  const diagnoses = new Map<string, Promise<Outbound25Diagnosis>>();
  const mxHosts = new MxHostChecks({
    port: options.mxPort,
    probe: (host, port, implicitTls) => probeEndpoint(run, host, port, implicitTls),
    servers: serverChecksOf(run, lookupFor(run)),
    relayScope: options.relayTest ?? 'off',
    ownServer: (host, port) => endpointTargets.get(probeKeyOf(host, port))?.locations.find((l) => l.server)?.server,
    reportedAsEndpoint: (host, port) => endpointTargets.has(probeKeyOf(host, port)),
    diagnoseTimeout: (host, port25) => {
      let d = diagnoses.get(host);
      if (!d) diagnoses.set(host, (d = diagnosePort25(run, host, port25)));
      return d;
    },
    checkPtr: (address, expectedName) => run.settle(run.group.run(`ptr:${address}:${expectedName}`, (signal) => checkPtr(address, { ...run.dns, signal, expectedName })), () => undefined),
    onProbe: (check) => {
      if (!check.probe || endpointTargets.has(probeKeyOf(check.host, check.port))) return;
      run.emit({ kind: 'probe', result: check.probe, target: { host: check.host, port: check.port, role: 'mx', locations: [], mxOf: check.domains.map((d) => d.domain) }, ...(check.ptr ? { ptr: check.ptr } : {}) });
    },
  });
  await Promise.all(
    targets.domains.map(async (d, i) => {
      const mx = await run.need<MxCheckResult>('mx', domainSubject(i));
      if (mx) mxHosts.add(d, mx);
    }),
  );
  await mxHosts.all();
  run.atEnd((results) => mxHosts.findings(results.auth));
}

/** The host name a server greets with: the first word of its banner, when that is a domain name. */
export function greetingName(banner: string | undefined): string | undefined {
  const word = banner?.split('\n')[0].trim().replace(/^220[ -]/, '').split(/\s+/)[0];
  return word && /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+\.?$/.test(word) && !/^[\d.]+$/.test(word) ? word.replace(/\.$/, '') : undefined;
}

/**
 * An MX host's reverse DNS against the name it greets with. Senders deliver to an MX by its MX record and do
 * not look at its PTR, so these are information: they matter when the same host also sends mail, where
 * receivers check forward-confirmed reverse DNS (and a few compare it with the HELO name).
 */
export function mxPtrFindings(at: ConfigLocation, host: string, r: PtrCheckResult): Finding[] {
  const make = (ruleId: string, message: string, details: string): Finding[] => [
    { ruleId, severity: 'information', file: at.file, range: at.range, message: redactText(message), details: redactText(details) },
  ];
  const why = 'Senders deliver to an MX by its MX record and ignore its PTR; this matters if the host also sends mail, as receivers check the reverse DNS of senders.';
  switch (r.status) {
    case 'no-ptr':
      return make(LIVE_RULES.noPtr.id, `MX ${host} (${r.address}) has no PTR record; set one to its name if the host also sends mail.`, `It greets as ${r.expectedName}. ${why}`);
    case 'not-confirmed':
      return make(LIVE_RULES.ptrNotConfirmed.id, `The PTR of MX ${host} (${r.address}) does not resolve back to it; add the matching A/AAAA record.`, `Its PTR is ${r.names.join(', ')}. ${why}`);
    case 'mismatch':
      return make(
        LIVE_RULES.ptrMismatch.id,
        `The PTR of MX ${host} (${r.address}) is another name than it greets with; match them if it also sends mail.`,
        `It greets as ${r.expectedName}; its PTR is ${r.names.join(', ')} (forward-confirmed, which is what most receivers check). ${why}`,
      );
    default:
      return [];
  }
}
