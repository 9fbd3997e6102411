import type { MainCf, Span } from './mainCf';
import type { MasterCf } from './masterCf';

// A finding about something a file lacks has no line of its own. Each kind gets its own honest place, so
// that two root causes never share a range (and fold into one diagnostic): what the whole file lacks goes
// at its very start, a setting that is missing goes where its fix adds it (the end of the file).

/**
 * The start of main.cf, an empty range: where what the whole file lacks is said. An empty range at the very
 * start is what the editor and suppressionEdit treat as the whole file (a "disable-file" comment silences it).
 */
export function fileStartSpan(): Span {
  return { start: 0, end: 0 };
}

/** The end of main.cf, where a missing setting is added. */
export function endOfFileSpan(main: MainCf): Span {
  const end = main.source.text.length;
  return { start: end, end };
}

export function masterCfAnchor(master: MasterCf): Span {
  return master.services[0]?.fields[0]?.span ?? { start: 0, end: 0 };
}
