// The TLS version and cipher scan of every endpoint the probe found speaking TLS (STARTTLS offered, or TLS at
// connect), each host:port once per run (an MX host that is also an endpoint is scanned once).
import { type CheckRun, afterEachProbe } from './liveCheck';
import { startsTlsAtConnect } from './probeRole';
import { serverChecksOf } from './serverChecks';
import { lookupFor } from './smtpPortCheck';

export function runTlsScanCheck(run: CheckRun): Promise<void> {
  return afterEachProbe(
    run,
    (target, probe) => probe && serverChecksOf(run, lookupFor(run)).scan(probe, startsTlsAtConnect(target.security, target.port)),
    () => run.options.tlsScan !== false,
  );
}
