// The open-relay test, when the run asks for it: of the endpoints that are the workspace's own servers (and,
// with scope "all", of every MX host too, by the MX-host check), each host:port once per run.
import { type CheckRun, afterEachProbe } from './liveCheck';
import type { LiveTargets } from './liveTargets';
import { startsTlsAtConnect } from './probeRole';
import { serverChecksOf } from './serverChecks';
import { lookupFor } from './smtpPortCheck';

export function runRelayTestCheck(run: CheckRun): Promise<void> {
  const scope = run.options.relayTest ?? 'off';
  const ownServer = (target: LiveTargets['probes'][number]) => target.locations.find((l) => l.server)?.server;
  return afterEachProbe(
    run,
    (target, probe) => probe && serverChecksOf(run, lookupFor(run)).relay(probe, startsTlsAtConnect(target.security, target.port), ownServer(target)?.localDomain),
    (target) => scope !== 'off' && ownServer(target) !== undefined,
  );
}
