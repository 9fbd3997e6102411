// Runs every live check the targets call for — SMTP probes, MX, PTR, the outbound-25 diagnosis for ports
// that time out, the TLS scan and relay test, and the mail-authentication checks (mailAuth/) of domains,
// addresses and DKIM keys — concurrently under one scheduler, and turns the results into findings. Which
// checks there are, what each waits for and how it runs is the registry's (liveCheckRegistry.ts).
import { LIVE_CHECKS } from './liveCheckRegistry';
import type { LiveCheckOptions, LiveCheckReport } from './liveReport';
import { LiveRun } from './liveRun';
import type { LiveTargets } from './liveTargets';

export { DEFAULT_DNSBL_ZONES, type LiveCheckOptions, type LiveCheckReport, type LiveResult } from './liveReport';

export async function runLiveChecks(targets: LiveTargets, options: LiveCheckOptions = {}): Promise<LiveCheckReport> {
  return new LiveRun(targets, options).runAll(LIVE_CHECKS);
}
