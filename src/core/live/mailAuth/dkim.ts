// The DKIM check: the key record published at `selector._domainkey.domain` for a selector the
// configuration signs with. Receivers fetch it to verify every signature; missing, revoked, malformed or
// weak keys make the signatures fail (and with them DMARC alignment through DKIM).
import { monotonicMs } from '../builtins';
import { dkimPublicKey, parseDkimRecord } from '../../sources/dkimSigning/record';
import { printable } from '../../escape';
import { dnsQuery } from '../dnsRecords';
import { liveRuleMeta } from '../liveRules';
import type { RuleMeta } from '../../model';
import { shortName, shortText } from '../messageText';
import type { AuthCheck, AuthCheckResult, AuthProblem } from './types';

/** The check's rules; the registry reads them from liveCheckRules.generated.ts, generated from these. */
export const DKIM_RULES = {
  missing: liveRuleMeta('dns/dkim-missing', 'error', 'No DKIM key is published for a selector the configuration signs with, so receivers cannot verify its signatures.'),
  revoked: liveRuleMeta('dns/dkim-revoked', 'error', 'The DKIM key record has an empty p=: the key is revoked and every signature made with it fails.'),
  weakKey: liveRuleMeta('dns/dkim-weak-key', 'warning', 'The DKIM RSA key is shorter than 2048 bits (an error below 1024 bits, which receivers do not accept).'),
  invalid: liveRuleMeta('dns/dkim-invalid', 'error', 'The DKIM key record is unusable: bad syntax, wrong version or key type, malformed key, a hash or service restriction, or several records.'),
  testing: liveRuleMeta('dns/dkim-testing', 'information', 'The DKIM key is in testing mode (t=y): receivers may treat signed mail as unsigned.'),
  ed25519: liveRuleMeta('dns/dkim-ed25519', 'information', 'The DKIM key is Ed25519, which many receivers cannot verify yet; sign with an RSA key as well.'),
} as const;
export const DKIM_RULE_METAS: readonly RuleMeta[] = Object.values(DKIM_RULES);

/** TXT records looked at for one name; more is not a key setup. */
const MAX_DKIM_TXT_RECORDS = 10;
/** Evidence lines are cut here (a 4096-bit key record is about 750 characters). */
const MAX_EVIDENCE_CHARS = 1000;

/** `sel._domainkey.example.com` → its selector and domain. */
function splitSubject(subject: string): { selector: string; domain: string } | undefined {
  const m = /^(.+?)\._domainkey\.(.+?)\.?$/i.exec(subject.trim());
  return m ? { selector: m[1], domain: m[2] } : undefined;
}

interface Verdict {
  readonly summary: string;
  readonly problems: AuthProblem[];
}

/** What one published key record means for signatures made with it. */
export function evaluateDkimRecord(text: string, subject: string): Verdict & { readonly discarded?: boolean } {
  const parsed = parseDkimRecord(text);
  const at = shortName(subject, 44);
  if (!parsed.ok) {
    if (parsed.discarded) return { summary: 'not a DKIM key', problems: [], discarded: true };
    return {
      summary: 'invalid record',
      problems: [named({ ruleId: DKIM_RULES.invalid.id, message: `The DKIM key at ${at} is invalid: ${short(parsed.error, 32)}; republish it.`, details: `${parsed.error}. Republish the record as your signer generated it: receivers cannot use this one, so every signature with this selector fails (dkim=permerror). The record looks like "v=DKIM1; k=rsa; p=<base64 key>".` }, subject, at)],
    };
  }
  const r = parsed.record;
  const problems: AuthProblem[] = [];
  const notes: string[] = [];
  if (r.versionNotFirst) {
    problems.push({ ruleId: DKIM_RULES.invalid.id, severity: 'warning', message: `The DKIM key record at ${at} does not start with v=DKIM1; move v=DKIM1 to the front.`, details: 'RFC 6376 requires v=DKIM1 as the first tag when present, and strict verifiers discard the record otherwise.' });
  }
  if (r.keyType !== 'rsa' && r.keyType !== 'ed25519') {
    // Whatever p= holds (a key, or nothing: revoked), no verifier can use a key of a type it does not know.
    return {
      summary: 'unknown key type',
      problems: [...problems, { ruleId: DKIM_RULES.invalid.id, message: `The DKIM key at ${at} has the unknown k=${short(r.keyType, 12)}; publish it with k=rsa or k=ed25519.`, details: `Verifiers know only k=rsa and k=ed25519, so every signature with this selector fails (dkim=permerror).` }].map((p) => named(p, subject, at)),
    };
  }
  if (r.publicKey === '') {
    return {
      summary: 'revoked (empty p=)',
      problems: [...problems, { ruleId: DKIM_RULES.revoked.id, message: `The DKIM key at ${at} is revoked (empty p=); publish a new key or use another selector.`, details: 'Receivers fail every signature made with this selector (dkim=fail, "key revoked"). If the configuration still signs with it, publish the new public key here, or switch the signer to the selector that has it.' }].map((p) => named(p, subject, at)),
    };
  }
  if (r.hashes && !r.hashes.includes('sha256')) {
    problems.push({ ruleId: DKIM_RULES.invalid.id, message: `The DKIM key at ${at} allows only h=${short(r.hashes.join(':'), 16)}; remove h= or set h=sha256.`, details: 'Receivers no longer accept SHA-1 signatures (RFC 8301), so signatures with this key fail.' });
  }
  if (r.services && !r.services.includes('*') && !r.services.includes('email')) {
    problems.push({ ruleId: DKIM_RULES.invalid.id, message: `The DKIM key at ${at} is not for email (s=${short(r.services.join(':'), 16)}); remove s= or set s=email.`, details: 'Receivers do not use a key limited to other services for mail.' });
  }
  const key = dkimPublicKey(r.keyType, r.publicKey);
  let summary: string;
  if (!key.ok) {
    summary = 'invalid key';
    problems.push({ ruleId: DKIM_RULES.invalid.id, message: `The DKIM key at ${at} is unusable: ${short(key.error, 32)}; republish it.`, details: `${key.error}. Republish the public key your signer generated: receivers fail every signature made with this selector (dkim=permerror).` });
  } else if (key.type === 'ed25519') {
    summary = 'Ed25519 key';
    problems.push({ ruleId: DKIM_RULES.ed25519.id, message: `The DKIM key at ${at} is Ed25519, which many receivers cannot verify; add an RSA signature.`, details: 'Ed25519 keys (RFC 8463) are unverifiable for receivers that do not support them; unless the signer also signs with an RSA key (a second selector), such receivers see the mail as unsigned.' });
  } else {
    summary = `RSA ${key.bits}-bit key${key.encoding === 'pkcs1' ? ' (RSAPublicKey)' : ''}`;
    if (key.bits < 1024) {
      problems.push({ ruleId: DKIM_RULES.weakKey.id, severity: 'error', message: `The DKIM key at ${at} is RSA ${key.bits}-bit, which receivers ignore; switch to a 2048-bit key.`, details: 'Receivers ignore signatures with keys under 1024 bits (RFC 8301), so mail counts as unsigned and DMARC fails on DKIM. Generate a 2048-bit key, publish it under a new selector and switch the signer to it.' });
    } else if (key.bits < 2048) {
      problems.push({ ruleId: DKIM_RULES.weakKey.id, message: `The DKIM key at ${at} is RSA ${key.bits}-bit; switch to a 2048-bit key under a new selector.`, details: '1024-bit keys can be factored by well-funded attackers and some receivers score them lower. Generate a 2048-bit key, publish it under a new selector and switch the signer to it.' });
    }
  }
  if (r.flags.includes('y')) {
    notes.push('testing');
    problems.push({ ruleId: DKIM_RULES.testing.id, message: `The DKIM key at ${at} is in testing mode (t=y); remove t=y once signing works.`, details: 'Receivers must not treat signatures in testing mode differently from unsigned mail, so they give no reputation benefit.' });
  }
  return { summary: notes.length ? `${summary}, ${notes.join(', ')} (t=y)` : summary, problems: problems.map((p) => named(p, subject, at)) };
}

/** When a message shortened the key's name, the details say it whole. */
function named(p: AuthProblem, subject: string, shown: string): AuthProblem {
  return shown === subject || !p.details ? p : { ...p, details: `At ${subject}: ${p.details}` };
}

export const dkimCheck: AuthCheck = {
  name: 'dkim',
  subjectKind: 'dkim',
  rules: DKIM_RULE_METAS,
  async run(subject, context): Promise<AuthCheckResult> {
    const start = monotonicMs();
    const done = (fields: Omit<AuthCheckResult, 'check' | 'subjectKind' | 'subject' | 'ms'>): AuthCheckResult => ({
      check: 'dkim',
      subjectKind: 'dkim',
      subject,
      ...fields,
      ms: Math.round(monotonicMs() - start),
    });
    const parts = splitSubject(subject);
    if (!parts) return done({ summary: 'not a DKIM key name', evidence: [], problems: [], error: 'EINVAL: not selector._domainkey.domain' });

    const answer = await dnsQuery(subject, 'TXT', context.dns);
    if (answer.negative !== undefined) {
      return done({
        summary: 'not published',
        evidence: [answer.negative === 'ENOTFOUND' ? `${subject}: no such name (NXDOMAIN)` : `${subject}: no TXT record`],
        problems: [missingProblem(subject, parts.selector)],
      });
    }
    if (answer.error !== undefined) return done({ summary: `lookup failed (${answer.error})`, evidence: [], problems: [], error: answer.error });

    const records = answer.values.slice(0, MAX_DKIM_TXT_RECORDS).map((r) => r.strings.join(''));
    const evidence = records.map((r) => `TXT "${printable(r, MAX_EVIDENCE_CHARS)}"`);
    if (answer.values.length > MAX_DKIM_TXT_RECORDS) evidence.push(`… ${answer.values.length - MAX_DKIM_TXT_RECORDS} more TXT records`);
    if (records.length === 0) {
      return done({ summary: 'not published', evidence: [`${subject}: no TXT record`], problems: [missingProblem(subject, parts.selector)] });
    }

    const verdicts = records.map((r) => evaluateDkimRecord(r, subject));
    const keys = verdicts.filter((v) => !v.discarded);
    if (keys.length === 0) {
      return done({
        summary: 'not published',
        evidence,
        problems: [missingProblem(subject, parts.selector, 'The TXT records there are not DKIM keys.')],
      });
    }
    const problems: AuthProblem[] = [];
    if (keys.length > 1) {
      problems.push({ ruleId: DKIM_RULES.invalid.id, message: `${shortName(subject, 44)} has ${keys.length} DKIM key records; keep exactly one per selector.`, details: `RFC 6376 leaves the result undefined when ${subject} has several key records: receivers pick one or fail.` });
    }
    const seen = new Set<string>();
    for (const v of keys) {
      for (const p of v.problems) {
        const k = `${p.ruleId}\u0000${p.message}`;
        if (!seen.has(k)) problems.push(p);
        seen.add(k);
      }
    }
    const summary = keys.length > 1 ? `${keys.length} key records: ${keys.map((k) => k.summary).join('; ')}` : keys[0].summary;
    return done({ summary, evidence, problems });
  },
};

function missingProblem(subject: string, selector: string, note?: string): AuthProblem {
  return {
    ruleId: DKIM_RULES.missing.id,
    message: `No DKIM key is published at ${shortName(subject, 44)}; publish the signer's public key there as a TXT record.`,
    details: `${note ? `${note} ` : ''}Receivers cannot verify signatures made with selector "${selector}" (key name ${subject}), so they fail (dkim=permerror, "no key for signature") and DMARC cannot pass on DKIM. Publish the public key as a TXT record there ("v=DKIM1; k=rsa; p=..."), or make the signer use a selector that has one.`,
  };
}

/** A parser's reason, short enough for a one-line message (the details keep it whole). */
function short(text: string, max = 40): string {
  return shortText(text.split(/ \(|, which /)[0], max);
}
