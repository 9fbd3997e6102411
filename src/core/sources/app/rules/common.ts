// Small helpers the application-transport rules share.
import type { Range, TextEdit } from '../../../model';
import type { EffectiveTransport } from '../effectiveTransport';
import { type SmtpUrl, parseSmtpUrl } from '../smtpUrl';
import { type OptionValue, type TransportDefinition, rangeInsideValue } from '../transport';
import { isLoopbackHost } from '../../../hosts';

export { isLoopbackHost };


/**
 * A host on this machine or on a private network: a single-label name (a Docker Compose service such as
 * `mailpit`), an RFC 1918 / link-local / unique-local address, or a `.local` / `.internal` / `.lan` name.
 */
export function isLocalNetworkHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (isLoopbackHost(h)) return true;
  if (/^10(\.\d{1,3}){3}$/.test(h) || /^192\.168(\.\d{1,3}){2}$/.test(h) || /^169\.254(\.\d{1,3}){2}$/.test(h)) return true;
  const m = /^172\.(\d{1,3})(\.\d{1,3}){2}$/.exec(h);
  if (m && Number(m[1]) >= 16 && Number(m[1]) <= 31) return true;
  if (h.includes(':')) return /^f[cd][0-9a-f]{2}:/.test(h) || /^fe[89ab][0-9a-f]:/.test(h);
  if (!h.includes('.')) return h !== '';
  return /\.(local|internal|lan|home\.arpa|svc|cluster\.local)$/.test(h);
}

/** The `url` option parsed, when it is a string nodemailer's URL syntax accepts. */
export function parsedUrl(t: EffectiveTransport): { readonly option: OptionValue; readonly url: SmtpUrl; readonly text: string } | undefined {
  const option = t.definition.options.get('url');
  if (!option || typeof option.value !== 'string') return undefined;
  const parsed = parseSmtpUrl(option.value);
  return parsed.ok ? { option, url: parsed.url, text: option.value } : undefined;
}

/** Whether the transport is a `direct://` URL (delivery straight to the recipients' MX hosts). */
export function isDirect(t: EffectiveTransport): boolean {
  const v = t.definition.options.get('url')?.value;
  return typeof v === 'string' && /^\s*direct:/i.test(v);
}

/**
 * Whether nodemailer starts TLS at once: `secure` truthy, or (smtp-connection's own default) `secure`
 * not given at all and port 465. Undefined when it depends on something unresolved.
 */
export function usesImplicitTls(t: EffectiveTransport): boolean | undefined {
  if (t.secure.value === undefined) return undefined;
  if (t.secure.value) return true;
  if (t.secure.origin === 'default') return t.port.value === undefined ? undefined : t.port.value === 465;
  return false;
}

/**
 * The range of characters [start, end) of a string option's value, for a finding or an edit in the
 * definition's own file; undefined when the value is not written there character for character.
 */
export function rangeInValue(def: TransportDefinition, option: OptionValue, start: number, end: number): Range | undefined {
  if (option.file !== def.file) return undefined;
  return rangeInsideValue(option, start, end);
}

/** An edit replacing an option's literal value (numbers and booleans are written alike everywhere). */
export function replaceLiteral(option: OptionValue | undefined, newText: string): TextEdit | undefined {
  if (!option || !option.literal) return undefined;
  return { range: option.range, newText };
}

/** How a value is shown in a message: strings quoted, the variable it came from named. */
export function shown(option: OptionValue): string {
  const v = typeof option.value === 'string' ? JSON.stringify(option.value) : String(option.value);
  return option.env ? `${v} (from ${option.env.name})` : v;
}
