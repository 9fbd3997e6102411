import { type Cidr, isLocalNetwork, parseCidr } from '../../../hosts';
import { fileStartSpan } from '../anchors';
import type { PostfixInstance } from '../instance';
import { expandValue } from '../macros';
import type { MainCfParameter, Span } from '../mainCf';
import { type MasterCfOverride, serviceCommand } from '../masterCf';
import type { PostfixReport, PostfixRule } from '../postfixRule';
import { listTokens } from '../serviceScope';
import { isTemplated } from '../template';
import { backslashBreaks } from './backslashContinuation';
import { restrictionClasses, restrictionWords } from './unknownRestriction';

/**
 * A `mynetworks` that trusts the Internet (permit_mynetworks then lets the world relay), and restriction
 * lists without a relay check in force: Postfix's own guard against an open relay then stops smtpd at start.
 */
export const openRelay: PostfixRule = {
  meta: {
    id: 'postfix/open-relay',
    description: 'mynetworks trusts every address (or a wide public range: warning), or no relay check is in force, so smtpd refuses to start.',
    defaultSeverity: 'error',
    fixable: false,
  },
  check(instance, report) {
    checkMynetworks(instance, report);
    checkMainRestrictions(instance, report);
    checkMasterOverrides(instance, report);
  },
};

// ---------------------------------------------------------------------------------------------
// mynetworks

function checkMynetworks(instance: PostfixInstance, report: (r: PostfixReport) => void): void {
  const p = instance.main?.effective.get('mynetworks');
  if (!p) return;
  const wide: { text: string; span: Span; cidr: Cidr }[] = [];
  for (const t of listTokens(p.value)) {
    // $names, !negations, /file/names, type:table lookups and template code are not literal networks.
    if (t.text.includes('$') || t.text.startsWith('!') || t.text.startsWith('/') || isTemplated(t.text)) continue;
    const c = parseCidr(t.text);
    if (!c) continue;
    const everything = c.prefix === 0;
    const tooWide = c.prefix < (c.address.family === 6 ? 48 : 24);
    if (everything || (tooWide && !isLocalNetwork(c))) wide.push({ text: t.text, span: p.spanOfValue(t.start, t.end), cidr: c });
  }
  if (!wide.length) return;
  // One finding for the statement, on its widest entry; the others are related locations.
  const first = wide.reduce((a, b) => (b.cidr.prefix < a.cidr.prefix ? b : a));
  const everything = first.cidr.prefix === 0;
  const v6 = first.cidr.address.family === 6;
  const size = v6 ? `2^${128 - first.cidr.prefix}` : (2 ** (32 - first.cidr.prefix)).toLocaleString('en-US');
  report({
    file: 'main',
    span: first.span,
    // Trusting every address is an open relay for certain; a wide public range may be the owner's own network.
    severity: everything ? 'error' : 'warning',
    message: everything
      ? `mynetworks trusts every ${v6 ? 'IPv6' : 'IPv4'} address (${first.text}): anyone can relay mail through this server.`
      : `mynetworks trusts the public range ${first.text} (${size} addresses${wide.length > 1 ? ` and ${wide.length - 1} more range${wide.length > 2 ? 's' : ''}` : ''}) to relay; list only hosts you run.`,
    related: wide.filter((w) => w !== first).map((w) => ({ file: 'main' as const, span: w.span, message: `"${w.text}" is a wide public range too` })),
  });
}

// ---------------------------------------------------------------------------------------------
// smtpd_relay_restrictions / smtpd_recipient_restrictions

const RELAY = 'smtpd_relay_restrictions';
const RCPT = 'smtpd_recipient_restrictions';

/** What smtpd_check_init() accepts as a "working instance" of a relay check (Postfix's rcpt_required[]). */
const RELAY_GATES = new Set(['reject_unauth_destination', 'defer_unauth_destination', 'reject', 'defer', 'defer_if_permit', 'check_relay_domains']);

interface ListVerdict {
  /** A gate that smtpd_check_init() counts: reached before any unconditional `permit`. */
  readonly working: boolean;
  /** A gate that only comes after a `permit`: Postfix ignores it ("restriction ... after `permit' is ignored"). */
  readonly gateAfterPermit: boolean;
  /** Template code or an unreadable restriction class: nothing can be said. */
  readonly unknown: boolean;
}

/**
 * Postfix's has_required() over one list: words are compared without case, `warn_if_reject` hides the word
 * after it, `permit` ends the search, and a restriction class counts by what it lists.
 */
function judge(expanded: string, classValue: (name: string) => string | undefined, seen: ReadonlySet<string> = new Set()): ListVerdict {
  const words = restrictionWords(expanded).map((w) => w.text);
  let unknown = false;
  for (let k = 0; k < words.length; k++) {
    const word = words[k];
    const lower = word.toLowerCase();
    if (isTemplated(word)) {
      unknown = true;
      continue;
    }
    if (lower === 'warn_if_reject' && k + 1 < words.length) {
      k++;
      continue;
    }
    if (lower === 'permit') {
      const later = words.slice(k + 1).some((w) => RELAY_GATES.has(w.toLowerCase()));
      return { working: false, gateAfterPermit: later, unknown };
    }
    if (RELAY_GATES.has(lower)) return { working: true, gateAfterPermit: false, unknown };
    if (!seen.has(word)) {
      const value = classValue(word);
      if (value === undefined) continue;
      if (isTemplated(value)) {
        unknown = true;
        continue;
      }
      const inner = judge(value, classValue, new Set([...seen, word]));
      if (inner.working) return inner;
      unknown ||= inner.unknown;
    }
  }
  return { working: false, gateAfterPermit: false, unknown };
}

/** The value of each smtpd_restriction_classes name, expanded; undefined for any other word. */
function classValues(instance: PostfixInstance): (name: string) => string | undefined {
  const classes = restrictionClasses(instance);
  return (name) => (classes.has(name) ? (instance.effectiveValue(name) ?? '') : undefined);
}

/** Where a list comes from: a main.cf statement, a master.cf override, or Postfix's default. */
interface ListSource {
  readonly name: string;
  readonly expanded: string;
  readonly raw: string;
  readonly verdict: ListVerdict;
  readonly file: 'main' | 'master';
  /** The statement or override; undefined for a default. */
  readonly valueSpan?: Span;
  readonly spanOfValue?: (from: number, to: number) => Span;
  readonly wholeSpan?: Span;
}

/** The first `permit` in a list's own text, when it can be located there (not hidden behind $names). */
function permitSpan(s: ListSource): Span | undefined {
  const tokens = restrictionWords(s.raw);
  const permit = tokens.findIndex((t) => t.text.toLowerCase() === 'permit');
  if (permit < 0 || !s.spanOfValue) return s.valueSpan;
  return s.spanOfValue(tokens[permit].start, tokens[permit].end);
}

function sentence(where: string, text: string): string {
  return where ? where + text : text[0].toUpperCase() + text.slice(1);
}

/** Where a finding goes when no list of the pair is written down (never reached in practice: see fromMain). */
interface Fallback {
  readonly file: 'main' | 'master';
  readonly span: Span;
}

/**
 * Judges the pair of lists in force for one smtpd. Without a working gate in either list smtpd stops at start
 * ("specify at least one working instance of: reject_unauth_destination, ..."): one finding for the pair.
 */
function judgePair(lists: readonly ListSource[], where: string, fallback: Fallback, report: (r: PostfixReport) => void): void {
  // A list made by template code is unknown: nothing can be said about it.
  if (lists.some((l) => isTemplated(l.expanded) || l.verdict.unknown)) return;
  if (lists.some((l) => l.verdict.working)) return;
  const set = lists.filter((l) => l.wholeSpan);
  const shadowed = lists.find((l) => l.verdict.gateAfterPermit);
  if (shadowed) {
    report({
      file: shadowed.file,
      span: permitSpan(shadowed) ?? shadowed.wholeSpan ?? fallback.span,
      message: `"permit" before reject_unauth_destination turns the relay check off: smtpd refuses to start; remove "permit".`,
      details: sentence(where, `smtpd ignores every restriction after "permit" in ${shadowed.name} ("restriction ... after \`permit' is ignored"), so no relay check is in force and it stops with "specify at least one working instance of: reject_unauth_destination, ...".`),
      related: set.filter((l) => l !== shadowed).map((l) => ({ file: l.file, span: l.wholeSpan as Span, message: `${l.name} is set here` })),
    });
    return;
  }
  const target = set.find((l) => l.file === fallback.file) ?? set[0];
  report({
    file: target?.file ?? fallback.file,
    span: target?.wholeSpan ?? fallback.span,
    message: 'No reject_unauth_destination in the relay or recipient restrictions: smtpd refuses to start; add it after permit_*.',
    details: sentence(where, `neither ${RELAY} nor ${RCPT} has a relay check in force, so smtpd stops with "specify at least one working instance of: reject_unauth_destination, defer_unauth_destination, reject, defer, defer_if_permit or check_relay_domains".`),
    related: set.filter((l) => l !== target).map((l) => ({ file: l.file, span: l.wholeSpan as Span, message: `${l.name} is set here` })),
  });
}

function fromMain(instance: PostfixInstance, name: string): ListSource {
  const p: MainCfParameter | undefined = instance.main?.effective.get(name);
  const expanded = instance.effectiveValue(name) ?? '';
  return {
    name,
    expanded,
    raw: p?.value ?? '',
    // smtpd_relay_restrictions left at its default always has a check in force: defer_unauth_destination from
    // Postfix 2.10 on, and Postfix 3's compatibility safety net keeps it at level 0 (measured with Postfix 3.7).
    verdict: !p && name === RELAY ? { working: true, gateAfterPermit: false, unknown: false } : judge(expanded, classValues(instance)),
    file: 'main',
    valueSpan: p ? (p.value ? p.valueSpan : p.nameSpan) : undefined,
    spanOfValue: p?.spanOfValue,
    wholeSpan: p ? p.nameSpan : undefined,
  };
}

function checkMainRestrictions(instance: PostfixInstance, report: (r: PostfixReport) => void): void {
  if (!instance.main) return;
  // A template that can add statements unseen may set either list.
  if (instance.main.template?.opaque && !instance.main.effective.has(RELAY) && !instance.main.effective.has(RCPT)) return;
  // A list broken by a shell-style "\\" goes on in a line Postfix reads as a statement: postfix/backslash-continuation.
  if (backslashBreaks(instance.main).some((b) => b.orphan && (b.param.name === RELAY || b.param.name === RCPT))) return;
  judgePair([fromMain(instance, RELAY), fromMain(instance, RCPT)], '', { file: 'main', span: fileStartSpan() }, report);
}

function checkMasterOverrides(instance: PostfixInstance, report: (r: PostfixReport) => void): void {
  const master = instance.master;
  if (!master) return;
  for (const s of master.services) {
    // Every smtpd checks its lists at start, whatever port it serves.
    if (serviceCommand(s) !== 'smtpd') continue;
    const last = (name: string): MasterCfOverride | undefined => [...s.overrides].reverse().find((o) => o.name === name);
    const relay = last(RELAY);
    const rcpt = last(RCPT);
    if (!relay && !rcpt) continue;
    const lists = [RELAY, RCPT].map((name): ListSource => {
      const o = name === RELAY ? relay : rcpt;
      if (!o) return fromMain(instance, name);
      const expanded = expandValue(o.value, instance.rawValue);
      return {
        name,
        expanded,
        raw: o.value,
        verdict: judge(expanded, classValues(instance)),
        file: 'master',
        valueSpan: o.value ? o.valueSpan : o.span,
        spanOfValue: (from, to) => ({ start: o.valueSpan.start + from, end: o.valueSpan.start + to }),
        wholeSpan: o.span,
      };
    });
    // Only speak for this service when one of its own overrides is what breaks it; main.cf is judged above.
    judgePair(lists, `In master.cf service "${s.fields[0].text}", `, { file: 'master', span: s.fields[0].span }, (r) => {
      if (r.file === 'master') report(r);
    });
  }
}
