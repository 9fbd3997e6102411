// SMTP TLS Reporting (RFC 8460): the `_smtp._tls.<domain>` TXT record that tells sending servers where to
// report failed TLS deliveries (the other half of MTA-STS and DANE).

import { printable } from '../../escape';
import { lookupTxt, txtEvidence } from './dnsQuery';
import { liveRuleMeta } from '../liveRules';
import { normalizeDomain } from './mtaSts';
import { guardedRun, resultBuilder } from './result';
import { shortName } from '../messageText';
import type { AuthCheck, AuthCheckContext, AuthCheckResult, AuthProblem } from './types';

/** The check's rules; the registry reads them from liveCheckRules.generated.ts, generated from these. */
export const TLS_RPT_RULES = {
  missing: liveRuleMeta('dns/tls-rpt-missing', 'information', 'The domain publishes no TLS-RPT record, so nobody tells you when senders fail to deliver over TLS (recommended with MTA-STS or DANE).'),
  invalid: liveRuleMeta('dns/tls-rpt-invalid', 'warning', 'The TLS-RPT record is malformed (version, rua= missing, a URI that is not mailto: or https:, several records), so senders send no reports.'),
} as const;

const MAX_RUA = 10;

export interface TlsRptParse {
  /** Records that look like TLS-RPT (start with v=TLSRPTv1, in any case). */
  readonly candidates: readonly string[];
  /** The reporting URIs of the one valid record. */
  readonly rua: readonly string[];
  readonly errors: readonly string[];
}

const VERSION_LOOSE = /^\s*v\s*=\s*tlsrptv1\b/i;
const EXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

/** Whether a rua URI is one senders can use: mailto:address or an https: URL (RFC 8460 §3). */
export function ruaProblem(uri: string): string | undefined {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  if (scheme === 'mailto') {
    let address: string;
    try {
      address = decodeURIComponent(uri.slice(7).split('?')[0]);
    } catch {
      return `"${uri}" has a broken %-escape`;
    }
    return /^[^\s@<>()",;]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(address) ? undefined : `"${uri}" is not mailto: followed by an email address`;
  }
  if (scheme === 'https') {
    try {
      const url = new URL(uri);
      return url.hostname ? undefined : `"${uri}" has no host`;
    } catch {
      return `"${uri}" is not a valid https: URL`;
    }
  }
  return scheme ? `"${uri}" uses ${scheme}:, but reports go only to mailto: or https: URIs` : `"${uri}" is not a URI (write mailto:tls-reports@example.com)`;
}

/** The `_smtp._tls` TXT records as senders read them: exactly one v=TLSRPTv1 record, with rua=. */
export function parseTlsRptRecords(records: readonly string[]): TlsRptParse {
  const candidates = records.filter((r) => VERSION_LOOSE.test(r));
  if (candidates.length === 0) return { candidates, rua: [], errors: [] };
  if (candidates.length > 1) return { candidates, rua: [], errors: [`${candidates.length} records start with v=TLSRPTv1; senders use none unless there is exactly one`] };
  const errors: string[] = [];
  const fields = candidates[0].split(';').map((f) => f.replace(/^[ \t]+|[ \t]+$/g, ''));
  if (fields[fields.length - 1] === '') fields.pop();
  if (fields[0] !== 'v=TLSRPTv1') errors.push(`the record must start with exactly "v=TLSRPTv1;" (case-sensitive), not "${printable(fields[0], 40)}"`);
  let rua: string[] | undefined;
  for (const field of fields.slice(1)) {
    if (field === '') continue;
    const eq = field.indexOf('=');
    const name = eq < 0 ? field : field.slice(0, eq).trim();
    const value = eq < 0 ? '' : field.slice(eq + 1).trim();
    if (name === 'rua') {
      if (rua !== undefined) {
        errors.push('rua= appears more than once');
        continue;
      }
      rua = value.split(',').map((u) => u.trim()).filter((u) => u !== '');
      if (rua.length === 0) errors.push('rua= is empty');
      if (rua.length > MAX_RUA) errors.push(`rua= lists ${rua.length} URIs; keep it to a few`);
      for (const uri of rua.slice(0, MAX_RUA)) {
        const problem = ruaProblem(uri);
        if (problem) errors.push(problem);
      }
    } else if (eq < 0 || !EXT_NAME.test(name) || value === '') {
      errors.push(`malformed field "${printable(field, 60)}"`);
    }
  }
  if (rua === undefined) errors.push('the rua= field (where to send reports) is missing');
  return { candidates, rua: errors.length === 0 ? (rua ?? []).slice(0, MAX_RUA) : [], errors };
}

async function runTlsRpt(subject: string, context: AuthCheckContext): Promise<AuthCheckResult> {
  const evidence: string[] = [];
  const problems: AuthProblem[] = [];
  const done = resultBuilder('tls-rpt', 'domain', subject, evidence, problems);
  const domain = normalizeDomain(subject);
  if (!domain) return done('not a domain name', 'EINVAL');
  const name = `_smtp._tls.${domain}`;
  const txt = await lookupTxt(name, context.dns);
  if (txt.error !== undefined) return done(`TXT lookup of ${name} failed (${txt.error})`, `${txt.error} looking up TXT ${name}`);
  const records = txt.values;
  for (const r of records) evidence.push(txtEvidence(name, r));
  const parsed = parseTlsRptRecords(records);
  if (parsed.candidates.length === 0) {
    evidence.push(records.length === 0 ? `${name}: no TXT record (${txt.negative ?? 'ENODATA'})` : `${name}: no record starts with v=TLSRPTv1`);
    problems.push({
      ruleId: TLS_RPT_RULES.missing.id,
      message: `${shortName(domain)} publishes no TLS-RPT record; publish "v=TLSRPTv1; rua=mailto:…" at _smtp._tls.`,
      details: `No TLS-RPT record at ${name}. Sending servers that fail to deliver over TLS (a broken certificate, an MTA-STS or DANE mismatch) have nowhere to report it. Recommended with MTA-STS or DANE, e.g. "v=TLSRPTv1; rua=mailto:tls-reports@${domain}".`,
    });
    return done('not published');
  }
  if (parsed.errors.length > 0) {
    problems.push({
      ruleId: TLS_RPT_RULES.invalid.id,
      message: `The TLS-RPT record of ${shortName(domain)} is invalid, so senders send no reports; publish one valid record.`,
      details: `${name}: ${parsed.errors.join('; ')}. Publish one record like "v=TLSRPTv1; rua=mailto:tls-reports@${domain}".`,
    });
    return done(`record invalid: ${parsed.errors[0]}`);
  }
  return done(`reports to ${parsed.rua.join(', ')}`);
}

export const TLS_RPT_CHECK: AuthCheck = {
  name: 'tls-rpt',
  subjectKind: 'domain',
  rules: Object.values(TLS_RPT_RULES),
  // A null MX (RFC 7505) receives no mail: there is no inbound TLS to report on.
  run: guardedRun('tls-rpt', 'domain', runTlsRpt, { receivingOnly: true }),
};
