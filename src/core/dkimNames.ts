// DKIM selector and domain names: what a usable one looks like, and the name its key is published at.

const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/** A selector as RFC 6376 writes it: one or more DNS labels. */
export function isDkimSelectorName(s: string): boolean {
  return s.length > 0 && s.length <= 200 && s.split('.').every((l) => LABEL.test(l));
}

/** A domain name (a trailing dot allowed), not a placeholder such as `%`, `$domain` or `*`. */
export function isDkimDomainName(d: string): boolean {
  const name = d.endsWith('.') ? d.slice(0, -1) : d;
  return name.length > 0 && name.length <= 253 && name.split('.').every((l) => LABEL.test(l));
}

/** `selector._domainkey.domain` in lower case, without a trailing dot. */
export function dkimRecordName(selector: string, domain: string): string {
  return `${selector}._domainkey.${domain.replace(/\.$/, '')}`.toLowerCase();
}

/** `sel._domainkey.example.com` → { selector: 'sel', domain: 'example.com' } (the OpenDKIM key-name convention). */
export function splitDkimName(name: string): { readonly selector: string; readonly domain: string } | undefined {
  const m = /^(.+?)\._domainkey\.(.+)$/i.exec(name);
  if (!m || !isDkimSelectorName(m[1]) || !isDkimDomainName(m[2])) return undefined;
  return { selector: m[1], domain: m[2].replace(/\.$/, '') };
}

/** More selectors than this in one file is generated data, not a signing setup; the rest are ignored. */
export const MAX_SELECTORS_PER_FILE = 1000;
