import type { MainCf, Span } from './mainCf';
import type { MasterCf } from './masterCf';

// A finding about something a file lacks has no line of its own. Each kind gets its own honest place, so
// that two root causes never share a range (and fold into one diagnostic): what the whole file lacks goes
// on its first line, a setting that is missing goes where its fix adds it (the end of the file).

/** The first line of main.cf (a comment or a statement): where what the whole file lacks is said. */
export function firstLineSpan(main: MainCf): Span {
  const text = main.source.text;
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const nl = text.indexOf('\n', start);
  const end = nl < 0 ? text.length : nl > start && text[nl - 1] === '\r' ? nl - 1 : nl;
  return { start, end };
}

/** The end of main.cf, where a missing setting is added. */
export function endOfFileSpan(main: MainCf): Span {
  const end = main.source.text.length;
  return { start: end, end };
}

export function masterCfAnchor(master: MasterCf): Span {
  return master.services[0]?.fields[0]?.span ?? { start: 0, end: 0 };
}
