// The TLS version and cipher scan of every endpoint the probe found speaking TLS (STARTTLS offered, or TLS at
// connect), each host:port once per run (an MX host that is also an endpoint is scanned once).
import { type CheckRun, endpointSubject } from './liveCheck';
import { startsTlsAtConnect } from './probeRole';
import type { SmtpProbeResult } from './probeTypes';
import { serverChecksOf } from './serverChecks';
import { lookupFor } from './smtpPortCheck';

export async function runTlsScanCheck(run: CheckRun): Promise<void> {
  await Promise.all(
    run.targets.probes.map(async (target, i) => {
      const subject = endpointSubject(i);
      const probe = await run.need<SmtpProbeResult>('smtp-port', subject);
      const scan = probe && serverChecksOf(run, lookupFor(run)).scan(probe, startsTlsAtConnect(target.security, target.port));
      run.provide(subject, await scan);
    }),
  );
}
