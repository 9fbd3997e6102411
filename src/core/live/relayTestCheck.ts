// The open-relay test, when the run asks for it: of the endpoints that are the workspace's own servers (and,
// with scope "all", of every MX host too, by the MX-host check), each host:port once per run.
import { type CheckRun, endpointSubject } from './liveCheck';
import { startsTlsAtConnect } from './probeRole';
import type { SmtpProbeResult } from './probeTypes';
import { serverChecksOf } from './serverChecks';
import { lookupFor } from './smtpPortCheck';

export async function runRelayTestCheck(run: CheckRun): Promise<void> {
  const scope = run.options.relayTest ?? 'off';
  await Promise.all(
    run.targets.probes.map(async (target, i) => {
      const subject = endpointSubject(i);
      const probe = await run.need<SmtpProbeResult>('smtp-port', subject);
      const own = target.locations.find((l) => l.server)?.server;
      const relay = probe && scope !== 'off' && own ? serverChecksOf(run, lookupFor(run)).relay(probe, startsTlsAtConnect(target.security, target.port), own.localDomain) : undefined;
      run.provide(subject, await relay);
    }),
  );
}
