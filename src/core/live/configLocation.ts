// Where a live finding goes, shared by the targets (which collect the places) and the findings.
import type { Range } from '../model';

/** Where a finding goes: the value in a config that named the host or domain. */
export interface ConfigLocation {
  readonly file: string;
  readonly range: Range;
}
