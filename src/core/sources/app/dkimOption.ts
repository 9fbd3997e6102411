// nodemailer's `dkim` option: the DKIM selectors an application's transports sign with. Read here, by the
// application-settings source, so the DKIM signing source does not reach into transport definitions.
import { type DkimSelector, compareDkimSelectors } from '../../dkimSelector';
import { MAX_SELECTORS_PER_FILE, isDkimDomainName, isDkimSelectorName } from '../../dkimNames';
import { type TransportDefinition, rangeInsideValue } from './transport';

/** nodemailer `dkim: { domainName, keySelector }` and `dkim: { keys: [{ domainName, keySelector }, ...] }`. */
export function selectorsFromTransports(transports: readonly TransportDefinition[]): DkimSelector[] {
  const out: DkimSelector[] = [];
  for (const t of transports) {
    const names = [...t.options.keys()];
    // nodemailer signs with `keys` when it is set and ignores the single key's options then.
    const keyed = names.some((n) => n === 'dkim.keys' || n.startsWith('dkim.keys.'));
    const prefixes = keyed ? [...new Set(names.map((n) => /^dkim\.keys\.(\d+)\./.exec(n)?.[0]).filter((p): p is string => !!p))] : ['dkim.'];
    for (const prefix of prefixes.slice(0, MAX_SELECTORS_PER_FILE)) {
      const sel = t.options.get(`${prefix}keySelector`);
      const dom = t.options.get(`${prefix}domainName`);
      // A selector may be written as a number (YAML `keySelector: 2024`).
      const selValue = typeof sel?.value === 'number' && Number.isInteger(sel.value) && sel.value >= 0 ? String(sel.value) : sel?.value;
      if (!sel || !dom || typeof selValue !== 'string' || typeof dom.value !== 'string') continue;
      const selector = selValue.trim();
      const domain = dom.value.trim().replace(/\.$/, '');
      if (!isDkimSelectorName(selector) || !isDkimDomainName(domain)) continue;
      const inner = sel.value === selector ? rangeInsideValue(sel, 0, selector.length) : undefined;
      out.push({ selector, domain, file: sel.file, range: inner ?? sel.range, source: 'nodemailer' });
    }
  }
  return out.sort(compareDkimSelectors);
}
