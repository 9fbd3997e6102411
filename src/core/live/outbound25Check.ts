// The outbound-25 diagnosis of an endpoint whose port 25 timed out: probes of its submission ports and of
// reference hosts tell "this host is filtered" from "this network blocks port 25". A blocked network is this
// check's finding, on the line that sets the port, instead of the endpoint's.
import { type CheckRun, afterEachProbe } from './liveCheck';
import { outbound25Findings } from './liveFindings';
import { type Outbound25Diagnosis, diagnoseOutbound25 } from './outbound25';
import type { SmtpProbeResult } from './probeTypes';
import { probeEndpoint } from './smtpPortCheck';

/** Why port 25 of `host` timed out, reported as a result of the run. */
export async function diagnosePort25(run: CheckRun, host: string, port25: SmtpProbeResult): Promise<Outbound25Diagnosis> {
  const diagnosis = await diagnoseOutbound25({ host, port25, referenceHosts: run.options.referenceHosts }, { probe: (h, p) => probeEndpoint(run, h, p), signal: run.group.signal });
  run.emit({ kind: 'outbound25', result: diagnosis });
  return diagnosis;
}

export function runOutbound25Check(run: CheckRun): Promise<void> {
  return afterEachProbe(
    run,
    async (target, probe) => {
      if (probe?.status !== 'timeout') return undefined;
      const diagnosis = await diagnosePort25(run, target.host, probe);
      if (diagnosis.verdict === 'network-blocks-25') for (const at of target.locations) run.findings.push(...outbound25Findings(at.portAt ?? at, diagnosis));
      return diagnosis;
    },
    (target) => target.port === 25,
  );
}
