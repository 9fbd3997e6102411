import type { PostfixInstance } from '../instance';
import { expandValue } from '../macros';
import type { MainCfParameter, Span } from '../mainCf';
import { POSTFIX_DEFAULTS } from '../parameters.generated';
import type { PostfixRule, SpanEdit } from '../postfixRule';
import { isTemplated } from '../template';
import { listTokens } from '../serviceScope';

/** Defaults `postconf -d` took from the machine it ran on: meaningless for the configuration at hand. */
const MACHINE_DEFAULTS = new Set(['myhostname', 'mydomain', 'myorigin']);
const UNKNOWN = '\u0000';

const VIRTUAL_LISTS = ['virtual_alias_domains', 'virtual_mailbox_domains'] as const;

interface DomainEntry {
  /** Lower case, without a trailing dot. */
  readonly domain: string;
  /** The list entry as written (`example.com`, `$mydomain`). */
  readonly written: string;
  /** Where the entry is written in main.cf; undefined when the list is Postfix's default. */
  readonly span?: Span;
  readonly tokenStart: number;
  readonly tokenEnd: number;
}

/** The literal domains of a domain list, with `$name`s expanded; lookup tables, files and negations are skipped. */
function domainsOf(instance: PostfixInstance, p: MainCfParameter | undefined, name: string): DomainEntry[] {
  const main = instance.main!;
  const raw = p?.value ?? POSTFIX_DEFAULTS.get(name) ?? '';
  const lookup = (n: string) => main.effective.get(n)?.value ?? (MACHINE_DEFAULTS.has(n) ? UNKNOWN : POSTFIX_DEFAULTS.get(n));
  const out: DomainEntry[] = [];
  for (const t of listTokens(raw)) {
    const expanded = t.text.includes('$') ? expandValue(t.text, lookup) : t.text;
    if (expanded.includes(UNKNOWN)) continue;
    for (const d of listTokens(expanded)) {
      const domain = d.text.toLowerCase().replace(/\.$/, '');
      if (!domain || domain.startsWith('!') || domain.startsWith('/') || /^[a-z0-9_-]+:/.test(domain)) continue;
      out.push({ domain, written: t.text, span: p ? p.spanOfValue(t.start, t.end) : undefined, tokenStart: t.start, tokenEnd: t.end });
    }
  }
  return out;
}

/** Removes one entry from a list value together with the separator that follows (or precedes) it. */
function removeEntry(p: MainCfParameter, e: DomainEntry): SpanEdit {
  const tokens = listTokens(p.value);
  const k = tokens.findIndex((t) => t.start === e.tokenStart);
  if (k >= 0 && k + 1 < tokens.length) return { span: p.spanOfValue(e.tokenStart, tokens[k + 1].start), newText: '' };
  if (k > 0) return { span: p.spanOfValue(tokens[k - 1].end, e.tokenEnd), newText: '' };
  return { span: p.spanOfValue(e.tokenStart, e.tokenEnd), newText: '' };
}

/** A domain in mydestination and in virtual_alias_domains or virtual_mailbox_domains. */
export const destinationOverlap: PostfixRule = {
  meta: {
    id: 'postfix/destination-overlap',
    description: 'A domain listed in mydestination and also in virtual_alias_domains or virtual_mailbox_domains.',
    defaultSeverity: 'error',
    fixable: true,
  },
  check(instance, report) {
    const main = instance.main;
    if (!main) return;
    const mydestStmt = main.effective.get('mydestination');
    const local = new Map<string, DomainEntry>();
    for (const e of domainsOf(instance, mydestStmt, 'mydestination')) if (!local.has(e.domain) && !isTemplated(e.written)) local.set(e.domain, e);
    if (local.size === 0) return;

    for (const list of VIRTUAL_LISTS) {
      const p = main.effective.get(list);
      if (!p) continue; // the defaults ($virtual_*_maps) are lookup tables, not literal domains
      for (const e of domainsOf(instance, p, list).filter((x) => !isTemplated(x.written))) {
        const mine = local.get(e.domain);
        if (!mine || !e.span) continue;
        const via = (x: DomainEntry) => (x.written.toLowerCase().replace(/\.$/, '') === x.domain ? '' : ` (as "${x.written}")`);
        const fixable = mydestStmt && mine.span && !mine.written.includes('$');
        report({
          file: 'main',
          span: e.span,
          message: `"${e.domain}" is in both mydestination and ${list}: Postfix delivers it locally ("User unknown").`,
          details: `"${e.domain}" is listed in mydestination${via(mine)} and in ${list}${via(e)}. A domain in mydestination is delivered by local(8), which knows only local users: mail for the virtual addresses is rejected with "User unknown in local recipient table".`,
          related: mine.span ? [{ file: 'main', span: mine.span, message: `"${e.domain}" is also listed in mydestination here${via(mine)}` }] : undefined,
          fixes: fixable ? [{ title: `Remove "${mine.written}" from mydestination`, edits: [removeEntry(mydestStmt, mine)] }] : undefined,
        });
      }
    }
  },
};
