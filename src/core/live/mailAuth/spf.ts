// The SPF check (RFC 7208) of a mail domain: its one v=spf1 record, the syntax, the 10-lookup and
// 2-void-lookup limits over everything it includes, the `all` it ends in, deprecated `ptr`, and whether
// each sending address of the configuration passes check_host() — for the sender the configuration
// states in the domain (its postmaster, an app's from), which the evidence names.

import { quoted } from '../../escape';
import { MAX_EVIDENCE_LINE_CHARS, MAX_TXT_RECORD_CHARS } from '../../limits';
import { AuthDns } from './authDns';
import { analyzeSpf, checkHost, SpfAnalysis, SpfVerdict } from './spfEval';
import { displayIp, MAX_DNS_LOOKUPS, MAX_VOID_LOOKUPS, parseIp } from './spfRecord';
import { resultBuilder } from './result';
import { shortName, shortQuote, shortText } from '../messageText';
import { liveRuleMeta } from '../liveRules';
import type { AuthCheck, AuthCheckContext, AuthCheckResult, AuthProblem } from './types';

/** The check's rules; the registry reads them from liveCheckRules.generated.ts, generated from these. */
export const SPF_RULES = {
  missing: liveRuleMeta('dns/spf-missing', 'warning', 'The domain publishes no SPF record, so receivers cannot tell which servers may send its mail.'),
  multiple: liveRuleMeta('dns/spf-multiple', 'error', 'The domain publishes more than one SPF record: receivers return permerror.'),
  syntax: liveRuleMeta('dns/spf-syntax', 'error', 'The SPF record is invalid (unknown mechanism, bad address or prefix, bad macro): receivers return permerror.'),
  includeBroken: liveRuleMeta('dns/spf-include-broken', 'error', 'An include: or redirect= target has no SPF record, several, or an invalid one: receivers return permerror.'),
  tooManyLookups: liveRuleMeta('dns/spf-too-many-lookups', 'error', 'The SPF record needs more than 10 DNS lookups (include, a, mx, ptr, exists, redirect): receivers return permerror.'),
  voidLookups: liveRuleMeta('dns/spf-void-lookups', 'error', 'More than 2 SPF lookups find nothing (no such name, no records): receivers return permerror.'),
  permissiveAll: liveRuleMeta('dns/spf-permissive-all', 'warning', 'The SPF record lets anyone pass (+all: error) or says nothing about other senders (?all, no all).'),
  ptr: liveRuleMeta('dns/spf-ptr', 'warning', 'The SPF record uses the deprecated ptr mechanism, which is slow and which receivers may skip.'),
  senderNotAuthorized: liveRuleMeta('dns/spf-sender-not-authorized', 'warning', "A sending address of the configuration is not authorised by the domain's SPF record."),
} as const;

/** Most sending addresses evaluated per domain. */
const MAX_SPF_SENDING_ADDRESSES = 16;
/** DNS queries the analysis of the record tree may send. */
const ANALYSIS_QUERIES = 150;
/**
 * DNS queries one check_host() may send: 10 lookup terms, each mx or ptr with up to 10 address lookups,
 * %{p} (a PTR and 10 address lookups) and the explanation.
 */
const CHECK_HOST_QUERIES = 130;
/** Most problems of one kind spelt out in a message. */
const LIST = 4;
/** Most evidence lines. */
const MAX_EVIDENCE = 60;

function list(items: readonly string[]): string {
  return items.length <= LIST ? items.join('; ') : `${items.slice(0, LIST).join('; ')}; and ${items.length - LIST} more`;
}

/** The first of `items`, short, and how many more there are: for a message whose details list them all. */
function firstOf(items: readonly string[], max = 44): string {
  return `${shortText(items[0].split(/ \((?=[a-z])/)[0], max)}${items.length > 1 ? ', …' : ''}`;
}

function line(text: string): string {
  return text.length > MAX_EVIDENCE_LINE_CHARS ? `${text.slice(0, MAX_EVIDENCE_LINE_CHARS - 1)}…` : text;
}

export const spfCheck: AuthCheck = {
  name: 'spf',
  subjectKind: 'domain',
  rules: Object.values(SPF_RULES),
  run: (domain, context) => runSpf(domain, context),
};

async function runSpf(domain: string, context: AuthCheckContext): Promise<AuthCheckResult> {
  const addresses = [...new Set(context.sendingAddresses)].slice(0, MAX_SPF_SENDING_ADDRESSES);
  // One answer memo for the analysis and every address, and a query budget for each of them.
  const dns = new AuthDns(context.dns, ANALYSIS_QUERIES + addresses.length * CHECK_HOST_QUERIES);
  const evidence: string[] = [];
  const problems: AuthProblem[] = [];
  const done = resultBuilder('spf', 'domain', domain, evidence, problems, MAX_EVIDENCE);

  const analysis = await analyzeSpf(dns, domain);
  if (dns.aborted) return done('not checked (ECANCELLED)', 'ECANCELLED');
  const { root } = analysis;

  if (root.status === 'error') {
    evidence.push(`TXT ${domain}: lookup failed (${root.error})`);
    return done(`lookup failed (${root.error})`, root.error);
  }
  if (root.status === 'none') {
    if (root.lookalikes.length > 0) {
      for (const t of root.lookalikes) evidence.push(line(`TXT ${domain} (not SPF): ${quoted(t, MAX_EVIDENCE_LINE_CHARS)}`));
      problems.push({
        ruleId: SPF_RULES.syntax.id,
        message: `${shortName(domain)} has a TXT record like SPF that receivers ignore; start it with exactly "v=spf1 ".`,
        details: `The TXT record ${quoted(root.lookalikes[0])} of ${domain} does not start with "v=spf1 " (then a space or the end), so receivers ignore it and see no SPF policy at all (RFC 7208 4.5). Publish it as "v=spf1 …": no quotes inside the value, no other prefix.`,
      });
      return done('no valid SPF record');
    }
    evidence.push(`TXT ${domain}: ${root.negative === 'ENOTFOUND' ? 'no such domain (NXDOMAIN)' : 'no v=spf1 record'}`);
    problems.push({
      ruleId: SPF_RULES.missing.id,
      message: `${shortName(domain)} publishes no SPF record; publish a TXT record such as "v=spf1 mx ~all" listing your senders.`,
      details: `Receivers get SPF "none": nothing says which servers may send mail for ${domain}, DMARC can pass only through DKIM, and Gmail and Yahoo reject or junk unauthenticated mail. List every server that sends its mail in one TXT record, e.g. "v=spf1 mx ip4:192.0.2.25 include:_spf.your-provider.example ~all".`,
    });
    return done('no SPF record');
  }
  if (root.status === 'multiple') {
    for (const r of root.records) evidence.push(line(`TXT ${domain}: ${quoted(r, MAX_EVIDENCE_LINE_CHARS)}`));
    problems.push({
      ruleId: SPF_RULES.multiple.id,
      message: `${shortName(domain)} publishes ${root.records.length} SPF records; merge them into one "v=spf1 … ~all" record.`,
      details: `RFC 7208 4.5 allows exactly one v=spf1 record, so receivers return permerror and SPF fails for all mail of ${domain} (DMARC then rests on DKIM alone). Merge the mechanisms of all of them into one record with one "all" at the end.`,
    });
    return done(`${root.records.length} SPF records (permerror)`);
  }

  evidence.push(line(`TXT ${domain}: ${quoted(root.record, MAX_EVIDENCE_LINE_CHARS)}`));
  if (root.truncated) {
    problems.push({
      ruleId: SPF_RULES.syntax.id,
      message: `The SPF record of ${shortName(domain)} is longer than this check reads; shorten it.`,
      details: `The SPF record of ${domain} is over ${MAX_TXT_RECORD_CHARS} characters. Receivers struggle with it too: answers over 512 bytes need TCP, which some receivers do not use. Replace long ip4:/ip6: lists with an include of a record of their own, or use wider prefixes.`,
    });
    return done('SPF record too long to check');
  }
  const { parsed } = root;
  const permerror = parsed.errors.length > 0;
  if (permerror) {
    problems.push({
      ruleId: SPF_RULES.syntax.id,
      message: `The SPF record of ${shortName(domain)} is invalid (${firstOf(parsed.errors)}); fix it.`,
      details: `${list(parsed.errors)}. Receivers return permerror, so SPF fails for all mail of ${domain} (DMARC then rests on DKIM alone).`,
    });
  }
  if (parsed.warnings.length > 0) {
    problems.push({
      ruleId: SPF_RULES.syntax.id,
      severity: 'warning',
      message: `The SPF record of ${shortName(domain)} is not what it seems (${firstOf(parsed.warnings)}); fix it.`,
      details: `${list(parsed.warnings)}. Receivers evaluate the record as written, not as meant.`,
    });
  }

  addTreeEvidence(analysis, evidence);
  addLimitProblems(domain, analysis, problems);
  addAllProblems(domain, analysis, problems);
  if (analysis.ptrTerms.length > 0) {
    const terms = analysis.ptrTerms.map((n) => (n.domain.toLowerCase() === domain.toLowerCase() ? quoted(n.term) : `${quoted(n.term)} in ${n.domain}`));
    problems.push({
      ruleId: SPF_RULES.ptr.id,
      message: `The SPF record of ${shortName(domain)} uses the deprecated ptr; list those senders with ip4:/ip6: or a: instead.`,
      details: `The SPF record of ${domain} uses ${list(terms)}. RFC 7208 5.5 deprecates ptr: it costs receivers many DNS queries, and some skip it, so the senders it should cover may fail.`,
    });
  }

  // Sending addresses.
  const all = [...new Set(context.sendingAddresses)];
  if (permerror && all.length > 0) evidence.push('sending addresses not evaluated: the record is invalid (permerror for every sender)');
  else if (all.length > 0) {
    const sender = context.sender ?? { address: `postmaster@${domain.replace(/\.$/, '')}`, origin: 'no sender configured in this domain; RFC 7208 4.3' };
    evidence.push(line(`check_host() for the envelope sender ${sender.address} (${sender.origin}), ${sender.helo ? `HELO ${sender.helo}` : 'HELO name not configured'}`));
    const verdicts = await Promise.all(
      addresses.map(async (address) => {
        const ip = parseIp(address);
        return { address, verdict: ip ? await checkHost(dns, { ip, sender: sender.address, ...(sender.helo ? { helo: sender.helo } : {}) }, domain) : undefined };
      }),
    );
    if (dns.aborted) return done('not checked (ECANCELLED)', 'ECANCELLED');
    if (all.length > MAX_SPF_SENDING_ADDRESSES) evidence.push(`only the first ${MAX_SPF_SENDING_ADDRESSES} of ${all.length} sending addresses evaluated`);
    for (const { address, verdict } of verdicts) {
      const shown = displayIp(address);
      if (!verdict) {
        evidence.push(`${address}: not an IP address, not evaluated`);
        continue;
      }
      evidence.push(line(`${shown}: ${describeVerdict(verdict, domain)}`));
      if (verdict.result === 'fail' || verdict.result === 'softfail' || verdict.result === 'neutral') {
        problems.push({ ruleId: SPF_RULES.senderNotAuthorized.id, ...notAuthorized(shown, domain, root.record, verdict, sender.address) });
      }
    }
  }

  const lookups = `${analysis.lookups}${analysis.complete ? '' : '+'}/${MAX_DNS_LOOKUPS} lookups`;
  const partial = analysis.failed.length > 0 ? ` (incomplete: ${analysis.failed.length} lookup${analysis.failed.length === 1 ? '' : 's'} failed)` : '';
  return done(`${quoted(root.record, 70).slice(1, -1)} — ${lookups}${permerror ? ', permerror' : ''}${partial}`);
}

function addTreeEvidence(a: SpfAnalysis, evidence: string[]): void {
  for (const n of a.nodes.slice(1)) {
    const f = n.fetch;
    const indent = '  '.repeat(n.depth);
    const what =
      f.status === 'found'
        ? quoted(f.record, MAX_EVIDENCE_LINE_CHARS)
        : f.status === 'none'
          ? f.negative === 'ENOTFOUND'
            ? 'no such domain'
            : 'no SPF record'
          : f.status === 'multiple'
            ? `${f.records.length} SPF records`
            : `lookup failed (${f.error})`;
    evidence.push(line(`${indent}${n.via} → ${what}`));
  }
  // A failed include/redirect already shows in the tree above.
  const failedTerms = a.failed.filter((n) => !/^(include:|redirect=)/i.test(n.term));
  for (const n of [...a.voids, ...failedTerms, ...a.unfollowed, ...a.mxOverLimit]) {
    evidence.push(line(`${n.term} (in ${n.domain}): ${n.detail}`));
  }
  for (const loop of a.loops) evidence.push(line(`loop: ${loop}`));
  const kinds = Object.entries(a.lookupsByKind)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  evidence.push(`DNS lookups: ${a.lookups}${a.complete ? '' : ' or more'} of ${MAX_DNS_LOOKUPS}${kinds ? ` (${kinds})` : ''}`);
  evidence.push(`void lookups: ${a.voids.length} of ${MAX_VOID_LOOKUPS}`);
}

function addLimitProblems(domain: string, a: SpfAnalysis, problems: AuthProblem[]): void {
  for (const b of a.broken) {
    const kind = b.term.toLowerCase().startsWith('redirect=') ? 'redirect' : 'include';
    problems.push({
      ruleId: SPF_RULES.includeBroken.id,
      message: `The SPF ${kind} ${shortQuote(b.term)} of ${shortName(b.domain)} is broken; fix or remove it.`,
      details: `${quoted(b.term)} in the SPF record of ${b.domain} is broken: ${b.detail}. Receivers return permerror for ${domain}, so SPF fails for all its mail. A provider may have renamed its SPF host: check its current instructions.`,
    });
  }
  const overLimit = a.lookups > MAX_DNS_LOOKUPS;
  if (overLimit || a.loops.length > 0 || a.mxOverLimit.length > 0) {
    const why: string[] = [];
    if (overLimit) {
      const kinds = Object.entries(a.lookupsByKind).map(([k, v]) => `${k} ${v}`);
      why.push(`it needs ${a.lookups}${a.complete ? '' : ' or more'} DNS lookups (${kinds.join(', ')}), over the limit of ${MAX_DNS_LOOKUPS}`);
    }
    for (const loop of a.loops) why.push(`includes loop (${loop})`);
    for (const m of a.mxOverLimit) why.push(`${quoted(m.term)}: ${m.detail}`);
    const d = shortName(domain);
    problems.push({
      ruleId: SPF_RULES.tooManyLookups.id,
      message: overLimit
        ? `The SPF record of ${d} needs ${a.lookups}${a.complete ? '' : '+'} DNS lookups, over 10; use ip4:/ip6: for a:/mx: or drop includes.`
        : a.loops.length > 0
          ? `The SPF record of ${d} has an include loop; remove the include that closes it.`
          : `The SPF term ${shortQuote(a.mxOverLimit[0].term, 32)} of ${d} finds over 10 MX hosts; use ip4:/ip6: instead.`,
      details: `The SPF record of ${domain} breaks the lookup limits of RFC 7208 4.6.4: ${list(why)}. Receivers stop and return permerror, so SPF fails for senders listed after the limit. Replace a:/mx: with ip4:/ip6:, drop includes you no longer use, or use a provider's narrower include.`,
    });
  }
  if (a.voids.length > MAX_VOID_LOOKUPS) {
    problems.push({
      ruleId: SPF_RULES.voidLookups.id,
      message: `The SPF record of ${shortName(domain)} has ${a.voids.length} lookups that find nothing (over ${MAX_VOID_LOOKUPS}); remove terms naming gone hosts.`,
      details: `${list(a.voids.map((v) => `${v.term}: ${v.detail}`))}. Receivers allow ${MAX_VOID_LOOKUPS} lookups that find no record or no such name (RFC 7208 4.6.4) and then return permerror. Remove the terms that name hosts or domains that no longer exist.`,
    });
  }
}

function addAllProblems(domain: string, a: SpfAnalysis, problems: AuthProblem[]): void {
  const all = a.effectiveAll;
  const d = shortName(domain);
  const where = all && all.domain.toLowerCase() !== domain.toLowerCase() ? `It comes from ${all.domain}, reached by redirect=. ` : '';
  if (all?.mechanism.qualifier === '+') {
    problems.push({
      ruleId: SPF_RULES.permissiveAll.id,
      severity: 'error',
      message: `The SPF record of ${d} ends in ${shortQuote(all.mechanism.text, 12)}, so anyone passes SPF for it; use "~all" or "-all".`,
      details: `${where}Every server on the internet passes SPF for ${domain}, so anyone can send mail as it and SPF-based DMARC alignment passes for forged mail.`,
    });
  } else if (all?.mechanism.qualifier === '?') {
    problems.push({
      ruleId: SPF_RULES.permissiveAll.id,
      message: `The SPF record of ${d} ends in "?all", which flags no forged mail; end it with "~all" or "-all".`,
      details: `${where}Mail from servers the SPF record of ${domain} does not list gets "neutral", as if there were no SPF record, so forged mail is not marked. Use "~all" (or "-all") once every sender is listed.`,
    });
  } else if (!all && a.complete) {
    problems.push({
      ruleId: SPF_RULES.permissiveAll.id,
      message: `The SPF record of ${d} has no "all" at the end; end it with "~all" (or "-all").`,
      details: `Mail from servers the SPF record of ${domain} does not list gets "neutral", as if there were no SPF record, so forged mail is not marked.`,
    });
  }
  for (const p of a.permissiveIncludes) {
    problems.push({
      ruleId: SPF_RULES.permissiveAll.id,
      severity: 'error',
      message: `The SPF include ${shortQuote(p.term)} lets any server pass SPF for ${d}; remove it.`,
      details: `${quoted(p.term)} in the SPF record of ${p.domain}: ${p.detail}, so that include matches every address and every server on the internet passes SPF for ${domain}. Remove the include or have its owner fix it.`,
    });
  }
}

function describeVerdict(v: SpfVerdict, domain: string): string {
  const at = v.domain.toLowerCase() === domain.toLowerCase() ? '' : ` in ${v.domain}`;
  const term = v.term ? ` (${v.term}${at})` : at ? ` (${at.trim()})` : '';
  const counts = `${v.lookups}/${MAX_DNS_LOOKUPS} lookups, ${v.voidLookups}/${MAX_VOID_LOOKUPS} void`;
  const sender = v.senderDependent ? '; depends on the sender' : '';
  if (v.result === 'unknown') return `cannot evaluate${term}: ${v.detail ?? ''} [${counts}]`;
  const explanation = v.explanation !== undefined ? `; explanation ${quoted(v.explanation)}` : '';
  return `${v.result}${term}${v.detail ? `: ${v.detail}` : ''} [${counts}${sender}]${explanation}`;
}

function notAuthorized(address: string, domain: string, record: string, v: SpfVerdict, sender: string): Pick<AuthProblem, 'message' | 'details'> {
  const how =
    v.result === 'neutral'
      ? v.term
        ? `it matches ${quoted(v.term)} (neutral)`
        : 'no term matches it (neutral)'
      : `it matches ${quoted(v.term ?? 'all')}${v.domain.toLowerCase() !== domain.toLowerCase() ? ` in ${v.domain}` : ''} (${v.result})`;
  const receivers =
    v.result === 'fail'
      ? 'Receivers may reject its mail outright, and DMARC fails unless DKIM passes.'
      : v.result === 'softfail'
        ? 'Receivers mark its mail as suspicious (often spam), and DMARC fails unless DKIM passes.'
        : 'SPF does not pass, so DMARC rests on DKIM alone.';
  const family = parseIp(address)?.family === 6 ? 'ip6' : 'ip4';
  const forSender = v.senderDependent ? ` for the sender ${sender}` : '';
  return {
    message: `The SPF record of ${shortName(domain)} does not authorise ${address} (${v.result}); add it as ${family}:.`,
    details: `${address} sends mail for this configuration, but the SPF record of ${domain} (${quoted(record, 80)}) does not authorise it${forSender}: ${how}. ${receivers} Add "${family}:${address}" (or the include of your provider) before the "all".`,
  };
}
