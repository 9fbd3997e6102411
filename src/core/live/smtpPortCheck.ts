// The SMTP port check of every endpoint the configs name: the probe (in the mode the client uses, so a mode
// mix-up shows as the client would meet it), then the endpoint's findings on each line that names it, with
// what the checks that build on the probe found (the outbound-25 diagnosis, the TLS scan, the relay test).
import { needsDns, resolveAddresses } from './dnsChecks';
import { type CheckRun, endpointSubject } from './liveCheck';
import { probeFindings } from './liveFindings';
import type { Outbound25Diagnosis } from './outbound25';
import { startsTlsAtConnect } from './probeRole';
import type { SmtpProbeResult } from './probeTypes';
import type { RelayTestResult } from './relayTest';
import { dnsAnswers } from './resolverCheck';
import { endpointFindings } from './serverChecks';
import { probeSmtp } from './smtpProbe';
import type { TlsScanResult } from './tlsScanFindings';

const cancelledProbe = (host: string, port: number): SmtpProbeResult => ({ host, port, status: 'cancelled', detail: 'cancelled before it finished', timings: { total: 0 } });

/** Host lookups through the run's DNS servers, bound to a task's signal (undefined: the system's lookup, which also reads /etc/hosts). */
export function lookupFor(run: CheckRun): ((signal: AbortSignal) => (host: string) => Promise<string[]>) | undefined {
  // Bound to each task's signal, so a cancelled probe's DNS queries stop with it instead of running to their timeout.
  return run.options.dnsServers?.length ? (signal) => (host) => resolveAddresses(host, { ...run.dns, signal }) : undefined;
}

/**
 * The run's probe of host:port, shared through the scheduler (an MX host's port 25 and DANE's probe of it are
 * one probe). A port that stays silent is asked for a TLS ClientHello, to tell "speaks implicit TLS" from "says nothing".
 */
export function probeEndpoint(run: CheckRun, host: string, port: number, implicitTls = port === 465): Promise<SmtpProbeResult> {
  const step = run.stepTimeoutMs;
  const lookup = lookupFor(run);
  return run.settle(
    run.group.run(`smtp:${host.toLowerCase()}:${port}${implicitTls === (port === 465) ? '' : implicitTls ? ':tls' : ':plain'}`, (signal) =>
      probeSmtp({
        host,
        port,
        implicitTls,
        detectImplicitTls: true,
        signal,
        lookup: lookup?.(signal),
        ehloName: run.options.ehloName,
        ca: run.options.ca,
        early: run.options.earlyConnections?.take(host, port),
        timeouts: { connect: step, greeting: step, command: step, tls: step },
      }),
    ),
    () => cancelledProbe(host, port),
  );
}

export async function runSmtpPortCheck(run: CheckRun): Promise<void> {
  const { targets, options } = run;
  await Promise.all(
    targets.probes.map(async (target, i) => {
      const subject = endpointSubject(i);
      // A name the configured servers must resolve waits for them, and is skipped when they do not answer.
      if (needsDns(target.host) && options.dnsServers?.length && !(await dnsAnswers(run))) return run.provide(subject, undefined);
      const implicitTls = startsTlsAtConnect(target.security, target.port);
      const result = await probeEndpoint(run, target.host, target.port, implicitTls);
      run.emit({ kind: 'probe', result, target });
      // Without configured servers the system's lookup also reads /etc/hosts; a failure with a dead resolver is its finding's.
      if (result.status === 'dns-failure' && run.results.resolver?.status === 'dead') return run.provide(subject, undefined);
      run.provide(subject, result);
      const found = await run.dependents(subject);
      // A network that blocks port 25 is the outbound-25 check's finding, instead of the endpoint's.
      if ((found.get('outbound-25') as Outbound25Diagnosis | undefined)?.verdict === 'network-blocks-25') return;
      const tlsScan = found.get('tls-scan') as TlsScanResult | undefined;
      const relay = found.get('relay-test') as RelayTestResult | undefined;
      const extras = { ...(tlsScan ? { tlsScan } : {}), ...(relay ? { relay } : {}) };
      for (const at of target.locations) {
        const where = { file: at.file, range: at.range };
        // Lines collected from configs carry their own expectations (none for the Postfix server's own ports).
        const security = at.tlsMode ? at.security : target.security;
        const context = { role: at.role ?? target.role, tlsMode: at.tlsMode, certificatePolicy: target.certificatePolicy, portAt: at.portAt };
        run.findings.push(...endpointFindings(at, target, probeFindings(where, result, security, context), extras, context.role));
      }
    }),
  );
}
