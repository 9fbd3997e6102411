// The DMARC check (RFC 7489) of a mail domain: its one v=DMARC1 record at _dmarc.<domain> (or, with none
// there, the organisational domain's), the tags, a policy that only monitors, and whether each external
// report destination agreed to take the reports (<domain>._report._dmarc.<destination> TXT v=DMARC1).

import { MAX_EVIDENCE_LINE_CHARS } from '../../limits';
import { quoted } from '../../escape';
import type { DnsAnswer } from '../dnsTypes';
import { AuthDns, TxtRecord } from './authDns';
import { DmarcUri, isDmarcRecord, looksLikeDmarc, organizationalDomain, ParsedDmarc, parseDmarc } from './dmarcRecord';
import { resultBuilder } from './result';
import { shortName, shortText } from '../messageText';
import { liveRuleMeta } from '../liveRules';
import type { AuthCheck, AuthCheckContext, AuthCheckResult, AuthProblem } from './types';

/** The check's rules; the registry reads them from liveCheckRules.generated.ts, generated from these. */
export const DMARC_RULES = {
  missing: liveRuleMeta('dns/dmarc-missing', 'warning', 'The domain publishes no DMARC record (nor does its organisational domain), so receivers apply no policy to mail that fails SPF and DKIM.'),
  multiple: liveRuleMeta('dns/dmarc-multiple', 'error', 'The domain publishes more than one DMARC record: receivers apply none of them.'),
  syntax: liveRuleMeta('dns/dmarc-syntax', 'error', 'The DMARC record is invalid (no or bad p=, bad tag values, unusable report addresses) or is not recognised as one.'),
  policyNone: liveRuleMeta('dns/dmarc-policy-none', 'information', 'The DMARC policy is p=none (or pct=0, or sp=none): monitoring only, receivers do not act on forged mail.'),
  reportDestinationUnverified: liveRuleMeta('dns/dmarc-report-destination-unverified', 'warning', 'A DMARC report address in another domain has not agreed to take the reports (no v=DMARC1 TXT at its _report._dmarc name): receivers send none there.'),
} as const;

/** Most external report domains verified per record. */
const MAX_DESTINATIONS = 6;


function sameName(a: string, b: string): boolean {
  return a.toLowerCase().replace(/\.$/, '') === b.toLowerCase().replace(/\.$/, '');
}

export const dmarcCheck: AuthCheck = {
  name: 'dmarc',
  subjectKind: 'domain',
  rules: Object.values(DMARC_RULES),
  run: (domain, context) => runDmarc(domain, context),
};

interface Discovered {
  readonly name: string;
  readonly answer: DnsAnswer<TxtRecord>;
  readonly records: readonly string[];
  readonly lookalikes: readonly string[];
}

async function discover(dns: AuthDns, domain: string): Promise<Discovered> {
  const name = `_dmarc.${domain.replace(/\.$/, '')}`;
  const answer = await dns.txt(name);
  return {
    name,
    answer,
    records: answer.values.filter((r) => isDmarcRecord(r.text)).map((r) => r.text),
    lookalikes: answer.values.filter((r) => looksLikeDmarc(r.text)).map((r) => r.text),
  };
}

async function runDmarc(domain: string, context: AuthCheckContext): Promise<AuthCheckResult> {
  const dns = new AuthDns(context.dns, 20);
  const evidence: string[] = [];
  const problems: AuthProblem[] = [];
  const done = resultBuilder('dmarc', 'domain', domain, evidence, problems);
  const seen = (d: Discovered) => {
    if (d.answer.error) evidence.push(`TXT ${d.name}: lookup failed (${d.answer.error})`);
    else if (d.answer.negative) evidence.push(`TXT ${d.name}: ${d.answer.negative === 'ENOTFOUND' ? 'no such name (NXDOMAIN)' : 'no TXT record'}`);
    else for (const r of d.answer.values) evidence.push(`TXT ${d.name}: ${quoted(r.text, MAX_EVIDENCE_LINE_CHARS)}${isDmarcRecord(r.text) ? '' : ' (not a DMARC record)'}`);
  };
  const lookalike = (d: Discovered) => {
    if (d.records.length > 0 || d.lookalikes.length === 0) return;
    problems.push({
      ruleId: DMARC_RULES.syntax.id,
      message: `The TXT record at ${shortName(d.name, 44)} is not a DMARC record to receivers; start it with "v=DMARC1;".`,
      details: `${d.name} holds ${quoted(d.lookalikes[0], 100)}: a DMARC record must start with "v=DMARC1;" (DMARC1 in upper case, then a ";"). Receivers ignore this one, so it sets no policy. Rewrite it as "v=DMARC1; p=…; rua=mailto:…".`,
    });
  };
  const multiple = (d: Discovered) =>
    problems.push({
      ruleId: DMARC_RULES.multiple.id,
      message: `${shortName(d.name, 44)} holds ${d.records.length} DMARC records, so none applies; keep exactly one.`,
      details: `RFC 7489 6.6.3: when ${d.name} holds more than one DMARC record, receivers apply no DMARC policy at all, as if there were none. Merge them into one record.`,
    });

  const own = await discover(dns, domain);
  seen(own);
  if (own.answer.error) return done(`lookup failed (${own.answer.error})`, own.answer.error);
  if (own.records.length > 1) {
    multiple(own);
    return done(`${own.records.length} DMARC records (none applies)`);
  }

  let policyDomain = domain.replace(/\.$/, '');
  let record = own.records[0];
  if (record === undefined) {
    lookalike(own);
    const org = organizationalDomain(domain);
    if (!sameName(org, domain)) {
      const parent = await discover(dns, org);
      seen(parent);
      if (parent.answer.error) return done(`lookup failed (${parent.answer.error})`, parent.answer.error);
      if (parent.records.length > 1) {
        multiple(parent);
        return done(`${parent.records.length} DMARC records at ${org} (none applies)`);
      }
      if (parent.records.length === 1) {
        policyDomain = org;
        record = parent.records[0];
        evidence.push(`no record at ${own.name}: the organisational domain's record applies`);
      } else lookalike(parent);
    }
    if (record === undefined) {
      if (own.lookalikes.length === 0 && problems.length === 0) {
        problems.push({
          ruleId: DMARC_RULES.missing.id,
          message: `${shortName(domain)} publishes no DMARC record; publish "v=DMARC1; p=none; rua=mailto:…" at _dmarc, then tighten it.`,
          details: `No DMARC record at ${own.name}${sameName(org, domain) ? '' : ` nor at _dmarc.${org}`}. Receivers apply no policy to mail forged in its name, send no reports, and Gmail and Yahoo require DMARC of bulk senders. Start with "v=DMARC1; p=none; rua=mailto:dmarc-reports@${organizationalDomain(domain)}" and tighten to quarantine or reject once the reports show all your mail passing.`,
        });
      }
      return done(problems.some((p) => p.ruleId === DMARC_RULES.syntax.id) ? 'no valid DMARC record' : 'no DMARC record');
    }
  }

  const inherited = !sameName(policyDomain, domain);
  const parsed = parseDmarc(record);
  addSyntaxProblems(domain, policyDomain, parsed, problems);
  addPolicyProblems(domain, inherited, parsed, problems);
  await checkDestinations(dns, policyDomain, parsed, evidence, problems);
  if (dns.aborted) return done('not checked (ECANCELLED)', 'ECANCELLED');

  return done(summarize(parsed, inherited ? policyDomain : undefined));
}

function summarize(d: ParsedDmarc, inheritedFrom: string | undefined): string {
  const applied = d.applied('rfc');
  const rua = [...new Set(d.rua.filter((u) => u.domain).map((u) => u.domain!))];
  const reports = rua.length > 0 ? `reports to ${rua.join(', ')}` : 'no aggregate reports';
  const from = inheritedFrom ? `from ${inheritedFrom}: ` : '';
  if (!applied) return `${from}no valid policy, ${reports}`;
  const policy = inheritedFrom ? (applied.sp ?? applied.p) : applied.p;
  const parts = [`p=${policy}${applied.fallback ? ' (fallback for an invalid policy)' : ''}`];
  if (!inheritedFrom && applied.sp && applied.sp !== applied.p) parts.push(`sp=${applied.sp}`);
  if (applied.pct !== 100) parts.push(`pct=${applied.pct}`);
  parts.push(reports);
  return `${from}${parts.join(', ')}`;
}

/** What each kind of receiver does with a record that has errors, as one sentence. */
function consequences(d: ParsedDmarc): string {
  const rfc = d.applied('rfc');
  const parts = [
    !rfc
      ? 'receivers that follow RFC 7489 apply no DMARC policy'
      : rfc.fallback
        ? `receivers that follow RFC 7489 act as if it said p=none${d.p && d.p !== 'none' ? `, not p=${d.p},` : ''} for the domain and its subdomains (reports still go to rua)`
        : d.problems.some((p) => p.effects.rfc === 'default')
          ? 'receivers that follow RFC 7489 use the defaults for the bad values'
          : 'receivers that follow RFC 7489 apply it',
  ];
  const mox = d.applied('mox');
  if (!d.applied('opendmarc')) {
    const unseen = d.problems.filter((p) => p.effects.opendmarc === 'reject').every((p) => p.kind === 'unseen');
    parts.push(unseen ? 'OpenDMARC does not find it, as if the domain had no DMARC record' : 'OpenDMARC rejects the record');
  }
  if (!mox) parts.push('strict parsers such as mox reject it');
  else if (mox.fallback && !rfc?.fallback) parts.push('mox acts as if it said p=none');
  return parts.join('; ');
}

/** A problem's text up to its first aside ("pct=200 is not a whole number from 0 to 100"), short. */
function headline(text: string, max = 44): string {
  return shortText(text.split(/ \(|, as |; /)[0], max);
}

function addSyntaxProblems(domain: string, policyDomain: string, d: ParsedDmarc, problems: AuthProblem[]): void {
  const where = `The DMARC record of ${policyDomain}${sameName(policyDomain, domain) ? '' : ` (which applies to ${domain})`}`;
  const record = `The DMARC record of ${shortName(policyDomain)}`;
  if (d.errors.length > 0) {
    const n = d.errors.length;
    problems.push({
      ruleId: DMARC_RULES.syntax.id,
      message: n === 1 ? `${record} has an error (${headline(d.errors[0])}); fix it.` : `${record} has ${n} errors (${headline(d.errors[0])}, …); fix them.`,
      details: `${where} is not read as written by every receiver: ${d.errors.join('; ')}. So ${consequences(d)}. Write it as "v=DMARC1; p=…; …" with lower-case tags, no spaces around "=", and values RFC 7489 allows.`,
    });
  }
  if (d.warnings.length > 0) {
    const shown = d.warnings.length <= 8 ? d.warnings.join('; ') : `${d.warnings.slice(0, 8).join('; ')}; and ${d.warnings.length - 8} more`;
    const n = d.warnings.length;
    problems.push({
      ruleId: DMARC_RULES.syntax.id,
      severity: 'warning',
      message: `${record} has ${n === 1 ? 'a tag' : `${n} tags`} receivers ignore (${headline(d.warnings[0])}${n > 1 ? ', …' : ''}); fix ${n === 1 ? 'it' : 'them'}.`,
      details: `${where} has tags receivers ignore or replace with defaults: ${shown}.`,
    });
  }
}

function addPolicyProblems(domain: string, inherited: boolean, d: ParsedDmarc, problems: AuthProblem[]): void {
  const record = d.applied('rfc');
  // An invalid policy is the syntax error's to report.
  if (!record || record.fallback) return;
  const applied = inherited ? (record.sp ?? record.p) : record.p;
  const shown = shortName(domain);
  if (applied === 'none') {
    const tag = inherited && record.sp ? 'sp=none' : 'p=none';
    problems.push({
      ruleId: DMARC_RULES.policyNone.id,
      message: `The DMARC policy of ${shown} is ${tag}; move to p=quarantine, then p=reject, once reports are clean.`,
      details: `${tag} is monitoring only: receivers deliver mail that fails DMARC as if there were no policy, so forged mail from ${domain} is not stopped. Once the aggregate reports show all your own mail passing, move to p=quarantine, then p=reject.`,
    });
  } else if (record.pct === 0) {
    problems.push({
      ruleId: DMARC_RULES.policyNone.id,
      message: `The DMARC policy of ${shown} is ${applied} with pct=0, so it applies to no mail; raise pct or remove it.`,
      details: `With pct=0 receivers apply the DMARC policy of ${domain} to no mail at all (at most they downgrade reject to quarantine). Without pct= they apply it to all mail (100).`,
    });
  } else if (!inherited && record.p !== 'none' && record.sp === 'none') {
    problems.push({
      ruleId: DMARC_RULES.policyNone.id,
      message: `The DMARC policy of ${shown} has sp=none beside p=${record.p}, so subdomains are unprotected; drop sp=.`,
      details: `p=${record.p} but sp=none: its subdomains are monitored only, so mail forged from any subdomain (e.g. billing.${domain}) is not stopped. Drop sp= or set it to quarantine or reject.`,
    });
  }
}

async function checkDestinations(dns: AuthDns, policyDomain: string, d: ParsedDmarc, evidence: string[], problems: AuthProblem[]): Promise<void> {
  const org = organizationalDomain(policyDomain);
  const byDomain = new Map<string, { tags: Set<string>; uris: DmarcUri[] }>();
  for (const [tag, uris] of [
    ['rua', d.rua],
    ['ruf', d.ruf],
  ] as const) {
    for (const u of uris) {
      if (!u.domain) continue;
      if (organizationalDomain(u.domain) === org) {
        evidence.push(`${tag} ${u.text}: same organisational domain, no verification needed`);
        continue;
      }
      const entry = byDomain.get(u.domain) ?? { tags: new Set<string>(), uris: [] };
      entry.tags.add(tag);
      entry.uris.push(u);
      byDomain.set(u.domain, entry);
    }
  }
  const external = [...byDomain.entries()];
  if (external.length > MAX_DESTINATIONS) evidence.push(`only the first ${MAX_DESTINATIONS} of ${external.length} external report domains verified`);
  await Promise.all(
    external.slice(0, MAX_DESTINATIONS).map(async ([dest, { tags, uris }]) => {
      const name = `${policyDomain}._report._dmarc.${dest}`;
      const answer = await dns.txt(name);
      const which = [...tags].join('/');
      const addresses = uris.map((u) => u.address).join(', ');
      if (answer.error) {
        evidence.push(`${which} ${addresses}: could not verify, TXT ${name} lookup failed (${answer.error})`);
        return;
      }
      const ok = answer.values.find((r) => /^v[ \t]*=[ \t]*DMARC1[ \t]*(?:;|$)/.test(r.text.trim()));
      if (ok) {
        evidence.push(`${which} ${addresses}: verified by TXT ${name} ${quoted(ok.text, 100)}`);
        return;
      }
      evidence.push(`${which} ${addresses}: TXT ${name}: ${answer.negative === 'ENOTFOUND' ? 'no such name' : answer.negative === 'ENODATA' ? 'no TXT record' : 'no v=DMARC1 record'}`);
      problems.push({
        ruleId: DMARC_RULES.reportDestinationUnverified.id,
        message: `The DMARC ${which} address ${shortName(uris[0].address ?? dest)}${uris.length > 1 ? ' (and more)' : ''} gets no reports; add this domain at its report service.`,
        details: `The DMARC ${which} address ${addresses} is in another domain (${dest}), which has not agreed to take reports for ${policyDomain}: there is no TXT "v=DMARC1" at ${name}. Receivers send it no ${tags.has('rua') ? 'aggregate ' : ''}reports. Ask the report service to publish that record (most do it when you add the domain in their dashboard), or use an address in ${org}.`,
      });
    }),
  );
}
