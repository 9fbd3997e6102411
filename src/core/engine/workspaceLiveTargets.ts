// What the live checks start from: the targets a static check result names, each with the config lines
// that name it.
import type { CheckResult } from '../check';
import { type LiveTargets, collectLiveTargets } from '../live/liveTargets';

/** The live targets of a Workspace's (or a streamed check's) result; `textOf` gives the files' texts, for the lines findings land on. */
export function liveTargetsOf(result: CheckResult, textOf: (file: string) => string | undefined): LiveTargets {
  return collectLiveTargets(result.postfixInstances, result.endpoints, result.transports, result.dkimSelectors, textOf);
}
