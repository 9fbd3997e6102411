import type { MainCf, Span } from './mainCf';
import type { MasterCf } from './masterCf';

// A finding about something a file lacks has no line of its own; it goes on the file's first
// statement rather than on a leading comment, and on the very start of an empty file.

export function mainCfAnchor(main: MainCf): Span {
  return main.parameters[0]?.nameSpan ?? { start: 0, end: 0 };
}

export function masterCfAnchor(master: MasterCf): Span {
  return master.services[0]?.fields[0]?.span ?? { start: 0, end: 0 };
}
