// DNSBL (RFC 5782): asks each configured blocklist zone whether the server's public address is listed
// (an A query for the reversed address under the zone), reads the answer code per list (error codes such as
// Spamhaus's 127.255.255.254 are refusals, never listings), fetches the TXT reason of a listing, and checks
// that a zone claiming a listing does not also list RFC 5782's never-listed test address (a zone that
// answers everything is retired, or the resolver rewrites answers).

import { dnsblNeverListed, dnsblQueryName, dnsblSubject, displayZone, normalizeZone, readDnsblAnswer, zoneKey } from './dnsblCodes';
import { printable } from '../../escape';
import { dnsQuery } from '../dnsRecords';
import { lookupTxt } from './dnsQuery';
import { guardedRun, resultBuilder } from './result';
import { shortName } from '../messageText';
import { liveRuleMeta } from '../liveRules';
import type { AuthCheck, AuthCheckContext, AuthCheckResult, AuthProblem } from './types';

/** The check's rules; the registry reads them from liveCheckRules.generated.ts, generated from these. */
export const DNSBL_RULES = {
  listed: liveRuleMeta('dns/dnsbl-listed', 'error', 'The server address is listed on a DNS blocklist (DNSBL); receivers that use that list reject or junk its mail.'),
  refused: liveRuleMeta('dns/dnsbl-refused', 'information', 'A DNSBL answered with an error code (public resolver, rate limit, retired list) instead of a verdict, so the address could not be checked there.'),
} as const;

/** Zones queried at most per address. */
export const MAX_DNSBL_ZONES = 20;
const MAX_ANSWERS = 8;
const MAX_REASONS = 3;

type ZoneOutcome =
  | { readonly zone: string; readonly kind: 'not-listed'; readonly code: string }
  | { readonly zone: string; readonly kind: 'failed'; readonly code: string }
  | { readonly zone: string; readonly kind: 'listed' | 'policy' | 'refused' | 'allowlisted'; readonly answers: readonly string[]; readonly meanings: readonly string[]; readonly reasons: readonly string[]; readonly list?: string };

function hideKey(text: string, zone: string): string {
  const key = zoneKey(zone);
  return key ? text.split(key).join('<key>') : text;
}

async function queryZone(address: string, family: 4 | 6, zone: string, context: AuthCheckContext): Promise<ZoneOutcome> {
  const name = dnsblQueryName(address, zone)!;
  const a = await dnsQuery(name, 'A', context.dns);
  if (a.negative !== undefined) return { zone, kind: 'not-listed', code: a.negative };
  if (a.error !== undefined) return { zone, kind: 'failed', code: a.error };
  const answers = a.values.slice(0, MAX_ANSWERS);
  if (answers.length === 0) return { zone, kind: 'not-listed', code: 'ENODATA' };
  const reading = readDnsblAnswer(zone, answers);
  if (reading.verdict !== 'listed' && reading.verdict !== 'policy') {
    return { zone, kind: reading.verdict, answers, meanings: reading.meanings, reasons: [], ...(reading.list ? { list: reading.list } : {}) };
  }
  const testName = dnsblQueryName(dnsblNeverListed(family), zone)!;
  const [txt, test] = await Promise.all([lookupTxt(name, context.dns), dnsQuery(testName, 'A', context.dns)]);
  const reasons = txt.values.slice(0, MAX_REASONS).map((t) => printable(hideKey(t, zone), 300));
  const testListed = test.values.length > 0 && readDnsblAnswer(zone, test.values.slice(0, MAX_ANSWERS)).verdict !== 'refused';
  if (testListed) {
    return {
      zone,
      kind: 'refused',
      answers,
      meanings: [...reading.meanings, `the zone also lists the test address ${dnsblNeverListed(family)}, which no list may contain (RFC 5782 §5): it answers every query (a retired list, or a resolver that rewrites answers)`],
      reasons,
      ...(reading.list ? { list: reading.list } : {}),
    };
  }
  return { zone, kind: reading.verdict, answers, meanings: reading.meanings, reasons, ...(reading.list ? { list: reading.list } : {}) };
}

function outcomeEvidence(address: string, o: ZoneOutcome): string {
  const name = `${dnsblQueryName(address, 'ZONE')!.replace(/ZONE$/, '')}${displayZone(o.zone)}`;
  if (o.kind === 'not-listed') return `${name} A: not listed (${o.code === 'ENOTFOUND' ? 'NXDOMAIN' : 'no A record'})`;
  if (o.kind === 'failed') return `${name} A: no answer (${o.code})`;
  const reasons = o.reasons.map((r) => ` TXT "${r}"`).join('');
  return `${name} A: ${o.meanings.join(', ')}${reasons ? `;${reasons}` : ''}`;
}

async function runDnsbl(subject: string, context: AuthCheckContext): Promise<AuthCheckResult> {
  const evidence: string[] = [];
  const problems: AuthProblem[] = [];
  const done = resultBuilder('dnsbl', 'address', subject, evidence, problems);

  const target = dnsblSubject(subject);
  if (target.kind === 'invalid') return done('not an IP address', 'EINVAL');
  if (target.kind === 'skip') return done(`skipped: ${target.address} is ${target.reason}; DNSBLs list only public addresses`);
  const { address, family } = target;

  const zones: string[] = [];
  for (const raw of context.dnsblZones) {
    const zone = normalizeZone(raw);
    if (!zone) evidence.push(`zone "${printable(raw, 80)}" skipped: not a DNS name`);
    else if (!zones.includes(zone)) zones.push(zone);
  }
  if (zones.length > MAX_DNSBL_ZONES) evidence.push(`only the first ${MAX_DNSBL_ZONES} of ${zones.length} zones queried`);
  const asked = zones.slice(0, MAX_DNSBL_ZONES);
  if (asked.length === 0) return done('no DNSBL zones configured');

  const outcomes = await Promise.all(asked.map((z) => queryZone(address, family, z, context)));
  if (context.dns.signal?.aborted) return done('cancelled', 'ECANCELLED');
  for (const o of outcomes) evidence.push(outcomeEvidence(address, o));

  const listed = outcomes.filter((o) => o.kind === 'listed' || o.kind === 'policy');
  const refused = outcomes.filter((o) => o.kind === 'refused');
  const failed = outcomes.filter((o) => o.kind === 'failed');
  const clean = outcomes.filter((o) => o.kind === 'not-listed' || o.kind === 'allowlisted');
  const verdicts = listed.length + clean.length;
  if (verdicts === 0 && failed.length > 0) {
    const codes = [...new Set(failed.map((f) => f.code))].join(', ');
    return done(`no verdict: ${failed.length} of ${asked.length} zone${asked.length === 1 ? '' : 's'} did not answer (${codes})`, `${failed[0].code} querying ${displayZone(failed[0].zone)}`);
  }

  for (const o of listed) {
    if (o.kind === 'not-listed' || o.kind === 'failed') continue;
    const zone = shortName(displayZone(o.zone));
    const why = `${o.meanings.join(', ')}${o.reasons.length ? `; the list says: "${o.reasons.join('" "')}"` : ''}`;
    problems.push(
      o.kind === 'policy'
        ? {
            ruleId: DNSBL_RULES.listed.id,
            severity: 'warning',
            message: `${address} is on the policy list ${zone}; relay through your provider's smarthost or request removal.`,
            details: `Listed as ${why}. Receivers that use this list refuse mail the address sends directly to them. Relay through your provider's smarthost (relayhost), or, if this is a real mail server with its own reverse DNS, have the address removed from the policy list at the list's site.`,
          }
        : {
            ruleId: DNSBL_RULES.listed.id,
            message: `${address} is listed on the blocklist ${zone}; find and fix the cause, then request removal.`,
            details: `Listed as ${why}. Receivers that use this list reject its mail (typically "554 5.7.1 Service unavailable; Client host blocked") or file it as spam. Find the cause (an open relay, a compromised account or host sending spam, a bad neighbour on a shared address), fix it, then request removal at the list's site (the TXT reason usually links to it).`,
          },
    );
  }
  for (const o of refused) {
    if (o.kind !== 'refused') continue;
    problems.push({
      ruleId: DNSBL_RULES.refused.id,
      message: `${shortName(displayZone(o.zone))} gave no verdict on ${address}; query it through your own resolver or its registered access.`,
      details: `${displayZone(o.zone)} answered with ${o.meanings.join(', ')}. That is not a listing: the address could not be checked on this list. Query through a resolver of your own (not a public or shared one), within the list's limits, or use the list's registered access (e.g. Spamhaus DQS).`,
    });
  }

  const parts: string[] = [];
  if (listed.length > 0) parts.push(`listed on ${listed.length} of ${asked.length} zone${asked.length === 1 ? '' : 's'}: ${listed.map((o) => displayZone(o.zone)).join(', ')}`);
  else if (clean.length > 0) parts.push(`not listed on ${clean.length} zone${clean.length === 1 ? '' : 's'}`);
  else parts.push('no verdict');
  if (listed.length > 0 && clean.length > 0) parts.push(`not listed on ${clean.length}`);
  if (refused.length > 0) parts.push(`${refused.length} refused the query`);
  if (failed.length > 0) parts.push(`${failed.length} did not answer (${[...new Set(failed.map((f) => f.code))].join(', ')})`);
  return done(parts.join('; '));
}

export const DNSBL_CHECK: AuthCheck = {
  name: 'dnsbl',
  subjectKind: 'address',
  rules: Object.values(DNSBL_RULES),
  run: guardedRun('dnsbl', 'address', runDnsbl),
};
