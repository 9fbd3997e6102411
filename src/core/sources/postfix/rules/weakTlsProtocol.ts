import { expandValue } from '../macros';
import type { Span } from '../mainCf';
import type { PostfixFileKind, PostfixRule } from '../postfixRule';
import { isTemplated } from '../template';

const PROTOCOLS = ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
const WEAK = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1']);
const PARAMS = new Set(
  ['smtpd', 'smtp', 'lmtp', 'tlsproxy'].flatMap((p) => [`${p}_tls_protocols`, `${p}_tls_mandatory_protocols`]),
);
const MODERN = '>=TLSv1.2';
const MODERN_EXCLUSIONS = '!SSLv2, !SSLv3, !TLSv1, !TLSv1.1';

const indexOf = (name: string) => PROTOCOLS.findIndex((p) => p.toLowerCase() === name.toLowerCase());

interface Token {
  readonly text: string;
  readonly start: number;
}

/**
 * The protocols a value lets through, as tls_protocol_mask() reads it: names separated by
 * comma, colon or blanks; `!name` excludes; plain names, if any, are the only ones allowed;
 * `>=name` and `<=name` (Postfix 3.6+) bound the range. Unknown names are ignored.
 */
export function allowedProtocols(value: string): { allowed: string[]; tokens: Token[] } {
  const tokens: Token[] = [];
  const re = /[^\s,:]+/g;
  for (let m = re.exec(value); m; m = re.exec(value)) tokens.push({ text: m[0], start: m.index });
  let min = 0;
  let max = PROTOCOLS.length - 1;
  const include = new Set<number>();
  const exclude = new Set<number>();
  for (const t of tokens) {
    const op = /^(>=|<=|!)?(.*)$/.exec(t.text)!;
    const i = indexOf(op[2]);
    if (i < 0) continue;
    if (op[1] === '>=') min = Math.max(min, i);
    else if (op[1] === '<=') max = Math.min(max, i);
    else if (op[1] === '!') exclude.add(i);
    else include.add(i);
  }
  const allowed = PROTOCOLS.filter((_, i) => i >= min && i <= max && !exclude.has(i) && (include.size === 0 || include.has(i)));
  return { allowed: [...allowed], tokens };
}

/** TLS protocol settings that still allow SSLv2, SSLv3, TLSv1 or TLSv1.1. */
export const weakTlsProtocol: PostfixRule = {
  meta: {
    id: 'postfix/weak-tls-protocol',
    description: 'A *_tls_mandatory_protocols setting that allows SSLv2, SSLv3, TLSv1 or TLSv1.1 (information for the opportunistic lists).',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    const sites: { file: PostfixFileKind; name: string; value: string; nameSpan: Span; valueSpan: Span; sep: string; spanOf(from: number, to: number): Span }[] = [];
    // Only the few protocol settings become sites: copying every parameter cost more than the rule.
    for (const p of instance.main?.parameters ?? []) {
      if (PARAMS.has(p.name) && instance.main!.effective.get(p.name) === p && !isTemplated(p.value)) sites.push({ file: 'main', ...p, sep: ' = ', spanOf: p.spanOfValue });
    }
    for (const s of instance.master?.services ?? []) {
      for (const o of s.overrides) {
        if (PARAMS.has(o.name) && !isTemplated(o.value)) sites.push({ file: 'master', ...o, sep: '=', spanOf: (from, to) => ({ start: o.valueSpan.start + from, end: o.valueSpan.start + to }) });
      }
    }

    for (const site of sites) {
      if (!PARAMS.has(site.name)) continue;
      const literal = !site.value.includes('$');
      const value = literal ? site.value : expandValue(site.value, instance.rawValue).trim();
      if (isTemplated(value)) continue;
      const { allowed, tokens } = allowedProtocols(value);
      const weak = allowed.filter((p) => WEAK.has(p));
      if (!weak.length) continue;

      // Underline the token that lets the weak protocols in, when one does.
      let span = site.value === '' ? site.nameSpan : site.valueSpan;
      if (literal) {
        const culprit =
          tokens.find((t) => t.text.startsWith('>=') && WEAK.has(PROTOCOLS[indexOf(t.text.slice(2))])) ??
          tokens.find((t) => /^[A-Za-z]/.test(t.text) && WEAK.has(PROTOCOLS[indexOf(t.text)]));
        if (culprit) span = site.spanOf(culprit.start, culprit.start + culprit.text.length);
      }
      // Opportunistic TLS: refusing old protocols makes such peers fall back to plain text, so this is a note.
      const optional = !site.name.includes('_mandatory_');
      const list = weak.length > 1 ? `${weak.slice(0, -1).join(', ')} and ${weak[weak.length - 1]}` : weak[0];
      report({
        file: site.file,
        span,
        severity: optional ? 'information' : undefined,
        message: optional
          ? `${site.name} allows ${list}; fine for opportunistic TLS, where excluding ${weak.length > 1 ? 'them' : 'it'} means plain text.`
          : `${site.name} allows ${list}, which ${weak.length > 1 ? 'are' : 'is'} broken (RFC 8996); use "${MODERN}" (Postfix 3.6+).`,
        fixes: [MODERN, MODERN_EXCLUSIONS].map((v, k) => ({
          title: `Change to "${v}"`,
          edits: [
            site.value === ''
              ? { span: { start: site.nameSpan.start, end: site.valueSpan.end }, newText: `${site.name}${site.sep}${v}` }
              : { span: site.valueSpan, newText: site.file === 'master' && /\s/.test(v) ? v.replace(/\s+/g, '') : v },
          ],
          preferred: k === 0,
        })),
      });
    }
  },
};
