// Names and values as a one-sentence finding message quotes them: short enough that a message stays
// within 160 characters with any name DNS allows. The details keep them whole.

import { withoutControls } from '../escape';


/** Longest name or value a one-sentence message spells out; the details keep it whole. */
export const MESSAGE_NAME_MAX = 36;

/**
 * A domain, host or address short enough for a message: kept whole up to `max` characters, else its start
 * and its end around an ellipsis (the end names the organisation, the start the host).
 */
export function shortName(name: string, max = MESSAGE_NAME_MAX): string {
  const clean = withoutControls(name);
  if (clean.length <= max) return clean;
  const tail = Math.ceil((max - 1) * 0.6);
  return `${clean.slice(0, max - 1 - tail)}…${clean.slice(-tail)}`;
}

/** A record, term or parser's reason cut to `max` characters for a message (control characters replaced). */
export function shortText(text: string, max = MESSAGE_NAME_MAX): string {
  const clean = withoutControls(text);
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** A value in quotes for a message, at most `max` characters inside them. */
export function shortQuote(text: string, max = MESSAGE_NAME_MAX): string {
  return `"${shortText(text, max)}"`;
}
