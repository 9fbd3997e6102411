// Runs every live check the targets call for — SMTP probes, MX, PTR, the outbound-25 diagnosis for
// ports that time out, and the mail-authentication checks (mailAuth/) of domains, addresses and DKIM
// keys — concurrently under one scheduler, and turns the results into findings.
import type { Finding } from '../model';
import { checkMx, checkPtr, checkResolver, needsDns, resolveAddresses, reverseName } from './dnsChecks';
import type { MxCheckResult, PtrCheckResult, ResolverCheckResult } from './dnsTypes';
import { mxFindings, outbound25Findings, probeFindings, ptrFindings, resolverFindings } from './liveFindings';
import type { LiveTargets, ProbeTarget, StatedSender } from './liveTargets';
import { startsTlsAtConnect } from './probeRole';
import { type Outbound25Diagnosis, diagnoseOutbound25 } from './outbound25';
import type { SmtpProbeResult } from './probeTypes';
import { CheckScheduler, isCancelledError } from './scheduler';
import { probeSmtp } from './smtpProbe';
import { isIP } from 'net';
import { isPublicAddress } from '../hosts';
import type { AuthCheck, AuthCheckResult, AuthSubjectKind } from './mailAuth/types';
import { loadAuthChecks } from './liveCheckRegistry';
import type { ConfigLocation } from './liveFindings';
import type { RelayTestResult } from './relayTest';
import { endpointFindings, type RelayTestScope, ServerChecks } from './serverChecks';
import type { TlsScanResult } from './tlsScan';

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

export interface LiveCheckReport {
  readonly probes: SmtpProbeResult[];
  readonly mx: MxCheckResult[];
  readonly ptr: PtrCheckResult[];
  readonly outbound25: Outbound25Diagnosis[];
  /** SPF, DMARC, MTA-STS, TLS-RPT, DANE, DKIM and DNSBL results. */
  readonly auth: AuthCheckResult[];
  /** Whether the DNS servers answered, asked before any DNS check (absent when nothing needed DNS). */
  readonly resolver?: ResolverCheckResult;
  readonly findings: Finding[];
  /** True when the run was cancelled or hit its deadline before every check finished. */
  readonly incomplete: boolean;
  /** TLS version and cipher scans of the endpoints and MX hosts that speak TLS. */
  readonly tlsScans?: TlsScanResult[];
  /** Relay tests, when the run was asked for them. */
  readonly relayTests?: RelayTestResult[];
}

/** Well-known public blocklists, queried for the server's public addresses unless the user sets others. */
export const DEFAULT_DNSBL_ZONES: readonly string[] = ['zen.spamhaus.org', 'bl.spamcop.net', 'b.barracudacentral.org'];

const cancelledProbe = (host: string, port: number): SmtpProbeResult => ({ host, port, status: 'cancelled', detail: 'cancelled before it finished', timings: { total: 0 } });

export async function runLiveChecks(targets: LiveTargets, options: LiveCheckOptions = {}): Promise<LiveCheckReport> {
  const scheduler = options.scheduler ?? new CheckScheduler({ concurrency: options.concurrency ?? 32, cacheTtlMs: 60_000 });
  const group = scheduler.group({ deadlineMs: options.deadlineMs ?? 60_000, signal: options.signal });
  // Mail-authentication checks get their own slots: one may wait on a probe of the main scheduler (DANE's
  // port-25 probe), which would deadlock if every main slot were held by a check waiting like that.
  const authGroup = new CheckScheduler({ concurrency: options.concurrency ?? 32 }).group({ deadlineMs: options.deadlineMs ?? 60_000, signal: options.signal });
  const step = options.stepTimeoutMs ?? 5000;
  const dns = { servers: options.dnsServers, systemServers: options.systemDnsServers, timeoutMs: step };
  // Bound to each probe's signal, so a cancelled probe's DNS queries stop with it instead of running to their timeout.
  const lookupFor = options.dnsServers?.length ? (signal: AbortSignal) => (host: string) => resolveAddresses(host, { ...dns, signal }) : undefined;
  let incomplete = false;
  const settle = async <T>(p: Promise<T>, fallback: () => T): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      if (!isCancelledError(e)) throw e;
      incomplete = true;
      return fallback();
    }
  };

  // In the mode the client uses (TLS at connect or not), so a mode mix-up shows as the client would meet it;
  // a port that stays silent is asked for a TLS ClientHello, to tell "speaks implicit TLS" from "says nothing".
  const probe = (host: string, port: number, implicitTls = port === 465): Promise<SmtpProbeResult> =>
    settle(
      group.run(`smtp:${host.toLowerCase()}:${port}${implicitTls === (port === 465) ? '' : implicitTls ? ':tls' : ':plain'}`, (signal) =>
        probeSmtp({
          host,
          port,
          implicitTls,
          detectImplicitTls: true,
          signal,
          lookup: lookupFor?.(signal),
          ehloName: options.ehloName,
          ca: options.ca,
          timeouts: { connect: step, greeting: step, command: step, tls: step },
        }),
      ),
      () => cancelledProbe(host, port),
    );

  // The DNS servers first: when none answers, one finding says so and every check that needs DNS is skipped
  // rather than each reporting the same dead resolver on its own line.
  const dnsNames = [
    ...targets.domains.map((d) => d.domain),
    ...targets.ptrs.map((t) => (isIP(t.hostOrAddress) ? reverseName(t.hostOrAddress) ?? t.hostOrAddress : t.hostOrAddress)),
    ...(targets.dkim ?? []).map((k) => `${k.selector}._domainkey.${k.domain}`),
    ...targets.probes.filter((t) => needsDns(t.host)).map((t) => t.host),
  ];
  const dnsLocations = [...targets.domains, ...targets.ptrs, ...(targets.dkim ?? []), ...targets.probes.filter((t) => needsDns(t.host))]
    .flatMap((t) => t.locations.map((l) => ({ file: l.file, range: l.range })))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character));
  const findings: Finding[] = [];
  let resolver: ResolverCheckResult | undefined;
  const resolverReady: Promise<boolean> = dnsNames.length
    ? settle(group.run(`resolver:${(options.dnsServers ?? []).join(',')}`, (signal) => checkResolver(dnsNames[0], { ...dns, signal })), () => undefined).then((r) => {
        if (!r) return false;
        resolver = r;
        options.onResult?.({ kind: 'resolver', result: r });
        if (r.status === 'dead') findings.push(...resolverFindings(r, dnsLocations, options.dnsSetting ?? '--dns'));
        return r.status === 'ok';
      })
    : Promise.resolve(true);

  const probes: SmtpProbeResult[] = [];
  const outbound25: Outbound25Diagnosis[] = [];
  const relayScope = options.relayTest ?? 'off';
  const servers = new ServerChecks({
    group,
    stepTimeoutMs: step,
    lookupFor,
    ehloName: options.ehloName,
    tlsScan: options.tlsScan ?? true,
    relayTest: relayScope,
    onTlsScan: (result) => options.onResult?.({ kind: 'tls-scan', result }),
    onRelay: (result) => options.onResult?.({ kind: 'relay', result }),
  });
  const probeWork = targets.probes.map(async (target) => {
    // A name the configured servers must resolve waits for them, and is skipped when they do not answer.
    if (needsDns(target.host) && options.dnsServers?.length && !(await resolverReady)) return;
    const result = await probe(target.host, target.port, startsTlsAtConnect(target.security, target.port));
    probes.push(result);
    options.onResult?.({ kind: 'probe', result, target });
    // Without configured servers the system's lookup also reads /etc/hosts; a failure with a dead resolver is its finding's.
    if (result.status === 'dns-failure' && resolver?.status === 'dead') return;
    if (result.status === 'timeout' && target.port === 25) {
      const diagnosis = await diagnoseOutbound25(
        { host: target.host, port25: result, referenceHosts: options.referenceHosts },
        { probe: (h, p) => probe(h, p), signal: group.signal },
      );
      outbound25.push(diagnosis);
      options.onResult?.({ kind: 'outbound25', result: diagnosis });
      if (diagnosis.verdict === 'network-blocks-25') {
        for (const at of target.locations) findings.push(...outbound25Findings(at.portAt ?? at, diagnosis));
        return;
      }
    }
    const own = target.locations.find((l) => l.server)?.server;
    const extras = await servers.examine(result, startsTlsAtConnect(target.security, target.port), { eligible: relayScope !== 'off' && !!own, localDomain: own?.localDomain });
    for (const at of target.locations) {
      const where = { file: at.file, range: at.range };
      // Lines collected from configs carry their own expectations (none for the Postfix server's own ports).
      const security = at.tlsMode ? at.security : target.security;
      const context = { role: at.role ?? target.role, tlsMode: at.tlsMode, certificatePolicy: target.certificatePolicy, portAt: at.portAt };
      findings.push(...endpointFindings(at, target, probeFindings(where, result, security, context), extras, context.role));
    }
  });

  // Port 25 of each domain's MX hosts, shared with DANE's probes through the scheduler.
  const probeKeyOf = (host: string, port: number) => `${host.toLowerCase().replace(/\.$/, '')}:${port}`;
  const endpointTargets = new Map(targets.probes.map((t) => [probeKeyOf(t.host, t.port), t]));
  const diagnoses = new Map<string, Promise<Outbound25Diagnosis>>();
  // The MX-host checks and the mail-authentication checks load only when a domain or address needs them:
  // a run of SMTP ports alone (the `port` command) does not pay for their code at start-up.
  const mxHosts = targets.domains.length === 0 ? undefined : new (await import('./mxProbe')).MxHostChecks({
    port: options.mxPort,
    probe: (host, port, implicitTls) => probe(host, port, implicitTls),
    servers,
    relayScope,
    ownServer: (host, port) => endpointTargets.get(probeKeyOf(host, port))?.locations.find((l) => l.server)?.server,
    reportedAsEndpoint: (host, port) => endpointTargets.has(probeKeyOf(host, port)),
    diagnoseTimeout: (host, port25) => {
      let d = diagnoses.get(host);
      if (!d) {
        d = diagnoseOutbound25({ host, port25, referenceHosts: options.referenceHosts }, { probe: (h, p) => probe(h, p), signal: group.signal }).then((diagnosis) => {
          outbound25.push(diagnosis);
          options.onResult?.({ kind: 'outbound25', result: diagnosis });
          return diagnosis;
        });
        diagnoses.set(host, d);
      }
      return d;
    },
    checkPtr: (address, expectedName) =>
      settle(
        group.run(`ptr:${address}:${expectedName}`, (signal) => checkPtr(address, { ...dns, signal, expectedName })),
        () => undefined,
      ),
    onProbe: (check) => {
      if (!check.probe || endpointTargets.has(probeKeyOf(check.host, check.port))) return;
      probes.push(check.probe);
      options.onResult?.({ kind: 'probe', result: check.probe, target: { host: check.host, port: check.port, role: 'mx', locations: [], mxOf: check.domains.map((d) => d.domain) }, ...(check.ptr ? { ptr: check.ptr } : {}) });
    },
  });

  // The addresses of each PTR target (a name is looked up once, after the resolver answered): its PTR checks,
  // and the server's public addresses for the sending-address checks (SPF, DNSBL).
  const addressesOf = new Map(
    targets.ptrs.map((t) => [
      t,
      isIP(t.hostOrAddress)
        ? Promise.resolve({ addresses: [t.hostOrAddress], error: undefined as string | undefined, ms: 0 })
        : (async () => {
            if (!(await resolverReady)) return { addresses: [] as string[], error: 'skipped', ms: 0 };
            const started = Date.now();
            try {
              const addresses = await settle(group.run(`addr:${t.hostOrAddress}`, (signal) => resolveAddresses(t.hostOrAddress, { ...dns, signal })), () => undefined);
              return addresses ? { addresses, error: undefined, ms: Date.now() - started } : { addresses: [], error: 'cancelled', ms: Date.now() - started };
            } catch (e) {
              return { addresses: [] as string[], error: `no address: ${(e as { code?: string }).code ?? 'lookup failed'}`, ms: Date.now() - started };
            }
          })(),
    ]),
  );
  const sendingAddresses = Promise.all(addressesOf.values()).then((all) => [...new Set(all.flatMap((a) => a.addresses).filter(isPublicAddress))]);

  // Each subject kind loads its own checks on first need (a run with DKIM keys alone loads only DKIM).
  const checksOf = new Map<AuthSubjectKind, Promise<readonly AuthCheck[]>>();
  let authFindingsModule: Promise<typeof import('./mailAuth/findings')> | undefined;
  const auth: AuthCheckResult[] = [];
  const runAuth = async (kind: AuthSubjectKind, subject: string, locations: readonly ConfigLocation[], mxResult?: MxCheckResult, sender?: StatedSender) => {
    if (!(await resolverReady)) return;
    let checks = checksOf.get(kind);
    if (!checks) checksOf.set(kind, (checks = options.authChecks ? Promise.resolve(options.authChecks.filter((c) => c.subjectKind === kind)) : loadAuthChecks(kind)));
    const [authChecks, { authFindings }] = await Promise.all([checks, (authFindingsModule ??= import('./mailAuth/findings'))]);
    const addresses = await sendingAddresses;
    await Promise.all(
      authChecks.map(async (check) => {
        const started = Date.now();
        const failed = (error: string): AuthCheckResult => ({ check: check.name, subjectKind: kind, subject, summary: `not checked (${error})`, evidence: [], problems: [], error, ms: Date.now() - started });
        let result: AuthCheckResult;
        try {
          result = await settle(
            authGroup.run(`auth:${check.name}:${subject.toLowerCase()}`, (signal) =>
              check.run(subject, {
                dns: { ...dns, signal },
                scheduler,
                mx: mxResult,
                sendingAddresses: addresses,
                ...(sender ? { sender } : {}),
                ca: options.ca,
                httpsPort: options.httpsPort,
                dnsblZones: options.dnsblZones ?? DEFAULT_DNSBL_ZONES,
              }),
            ),
            () => failed('cancelled'),
          );
        } catch (e) {
          // A check that throws is a bug in it: say so on the result rather than lose the run.
          result = failed(`internal error: ${e instanceof Error ? e.message : String(e)}`);
        }
        auth.push(result);
        options.onResult?.({ kind: 'auth', result });
        for (const at of locations) findings.push(...authFindings(at, result));
      }),
    );
  };

  const mx: MxCheckResult[] = [];
  const mxWork = targets.domains.map(async (d) => {
    if (!(await resolverReady)) return;
    const result = await settle(group.run(`mx:${d.domain}`, (signal) => checkMx(d.domain, { ...dns, signal })), () => ({ domain: d.domain, status: 'lookup-failed' as const, hosts: [], error: 'cancelled', ms: 0 }));
    mx.push(result);
    options.onResult?.({ kind: 'mx', result });
    for (const at of d.locations) findings.push(...mxFindings(at, result));
    mxHosts?.add(d, result);
    await runAuth('domain', d.domain, d.locations, result, d.sender);
  });
  const dkimWork = (targets.dkim ?? []).map((k) => runAuth('dkim', `${k.selector}._domainkey.${k.domain}`, k.locations));

  const ptr: PtrCheckResult[] = [];
  const addressLocations = new Map<string, ConfigLocation[]>();
  const ptrWork = targets.ptrs.map(async (t) => {
    if (!(await resolverReady)) return;
    const { addresses, error, ms } = await addressesOf.get(t)!;
    if (error) {
      // Every target gets a result: a name whose addresses could not be looked up is reported under its name.
      const result: PtrCheckResult = { address: t.hostOrAddress, status: 'lookup-failed', names: [], forwardConfirmed: false, expectedName: t.expectedName, error, ms };
      ptr.push(result);
      options.onResult?.({ kind: 'ptr', result });
      for (const at of t.locations) findings.push(...ptrFindings(at, result));
      return;
    }
    for (const a of addresses) if (isPublicAddress(a)) addressLocations.set(a, [...(addressLocations.get(a) ?? []), ...t.locations]);
    await Promise.all(
      addresses.map(async (address) => {
        const result = await settle(
          group.run(`ptr:${address}:${t.expectedName ?? ''}`, (signal) => checkPtr(address, { ...dns, signal, expectedName: t.expectedName })),
          () => ({ address, status: 'lookup-failed' as const, names: [], forwardConfirmed: false, error: 'cancelled', ms: 0 }),
        );
        ptr.push(result);
        options.onResult?.({ kind: 'ptr', result });
        for (const at of t.locations) findings.push(...ptrFindings(at, result));
      }),
    );
  });
  // Blocklists: each public address once, with every line that led to it.
  const addressWork = Promise.all(ptrWork).then(() => Promise.all([...addressLocations].map(([address, locations]) => runAuth('address', address, locations))));

  await Promise.all([...probeWork, ...mxWork, ...ptrWork, ...dkimWork, addressWork]);
  if (mxHosts) findings.push(...(await mxHosts.findings(auth)));
  group.cancel();
  authGroup.cancel();
  return { probes, mx, ptr, outbound25, auth, findings, incomplete, tlsScans: servers.tlsScans, relayTests: servers.relayTests, ...(resolver ? { resolver } : {}) };
}
