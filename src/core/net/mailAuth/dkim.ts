// The DKIM check: the key record published at `selector._domainkey.domain` for a selector the
// configuration signs with. Receivers fetch it to verify every signature; missing, revoked, malformed or
// weak keys make the signatures fail (and with them DMARC alignment through DKIM).
import { performance } from 'perf_hooks';
import type { RuleMeta } from '../../model';
import { dkimPublicKey, parseDkimRecord } from '../../dkim/record';
import { dnsQuery, printable } from './dnsQuery';
import { liveRuleMeta } from '../liveRules';
import type { AuthCheck, AuthCheckResult, AuthProblem } from './types';

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
const MAX_RECORDS = 10;
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
  if (!parsed.ok) {
    if (parsed.discarded) return { summary: 'not a DKIM key', problems: [], discarded: true };
    return {
      summary: 'invalid record',
      problems: [{ ruleId: DKIM_RULES.invalid.id, message: `The DKIM key record at ${subject} is invalid: ${parsed.error}. Receivers cannot use it, so every signature with this selector fails (dkim=permerror). Publish the record exactly as your signer generated it: "v=DKIM1; k=rsa; p=<base64 key>".` }],
    };
  }
  const r = parsed.record;
  const problems: AuthProblem[] = [];
  const notes: string[] = [];
  if (r.versionNotFirst) {
    problems.push({ ruleId: DKIM_RULES.invalid.id, severity: 'warning', message: `The DKIM key record at ${subject} has v=DKIM1, but not as its first tag; RFC 6376 requires it first and strict verifiers discard the record. Move v=DKIM1 to the front.` });
  }
  if (r.keyType !== 'rsa' && r.keyType !== 'ed25519') {
    // Whatever p= holds (a key, or nothing: revoked), no verifier can use a key of a type it does not know.
    return {
      summary: 'unknown key type',
      problems: [...problems, { ruleId: DKIM_RULES.invalid.id, message: `The DKIM key record at ${subject} has k=${printable(r.keyType, 40)}, a key type verifiers do not know (rsa, ed25519): every signature with this selector fails (dkim=permerror). Publish the key with k=rsa or k=ed25519.` }],
    };
  }
  if (r.publicKey === '') {
    return {
      summary: 'revoked (empty p=)',
      problems: [...problems, { ruleId: DKIM_RULES.revoked.id, message: `The DKIM key at ${subject} is revoked (p= is empty): receivers fail every signature made with this selector (dkim=fail, "key revoked"). If the configuration still signs with it, publish the new public key here, or switch the signer to the selector that has it.` }],
    };
  }
  if (r.hashes && !r.hashes.includes('sha256')) {
    problems.push({ ruleId: DKIM_RULES.invalid.id, message: `The DKIM key at ${subject} allows only h=${r.hashes.join(':')}; receivers no longer accept SHA-1 signatures (RFC 8301), so signatures with this key fail. Remove h= or set h=sha256.` });
  }
  if (r.services && !r.services.includes('*') && !r.services.includes('email')) {
    problems.push({ ruleId: DKIM_RULES.invalid.id, message: `The DKIM key at ${subject} is limited to s=${r.services.join(':')}, not email, so receivers do not use it for mail. Remove s= or set s=email.` });
  }
  const key = dkimPublicKey(r.keyType, r.publicKey);
  let summary: string;
  if (!key.ok) {
    summary = 'invalid key';
    problems.push({ ruleId: DKIM_RULES.invalid.id, message: `The DKIM key at ${subject} is unusable: ${key.error}. Receivers fail every signature made with this selector (dkim=permerror). Republish the public key your signer generated.` });
  } else if (key.type === 'ed25519') {
    summary = 'Ed25519 key';
    problems.push({ ruleId: DKIM_RULES.ed25519.id, message: `The DKIM key at ${subject} is Ed25519 (RFC 8463). Receivers that do not support it treat the signature as unverifiable; unless the signer also signs with an RSA key (a second selector), such receivers see the mail as unsigned.` });
  } else {
    summary = `RSA ${key.bits}-bit key${key.encoding === 'pkcs1' ? ' (RSAPublicKey)' : ''}`;
    if (key.bits < 1024) {
      problems.push({ ruleId: DKIM_RULES.weakKey.id, severity: 'error', message: `The DKIM key at ${subject} is RSA ${key.bits}-bit: receivers ignore signatures with keys under 1024 bits (RFC 8301), so mail counts as unsigned and DMARC fails on DKIM. Generate a 2048-bit key, publish it under a new selector and switch the signer to it.` });
    } else if (key.bits < 2048) {
      problems.push({ ruleId: DKIM_RULES.weakKey.id, message: `The DKIM key at ${subject} is RSA ${key.bits}-bit; 1024-bit keys can be factored by well-funded attackers and some receivers score them lower. Use 2048 bits: generate a new key, publish it under a new selector and switch the signer to it.` });
    }
  }
  if (r.flags.includes('y')) {
    notes.push('testing');
    problems.push({ ruleId: DKIM_RULES.testing.id, message: `The DKIM key at ${subject} is in testing mode (t=y): receivers must not treat its signatures differently from unsigned mail, so they give no reputation benefit. Remove t=y once signing works.` });
  }
  return { summary: notes.length ? `${summary}, ${notes.join(', ')} (t=y)` : summary, problems };
}

export const dkimCheck: AuthCheck = {
  name: 'dkim',
  subjectKind: 'dkim',
  rules: DKIM_RULE_METAS,
  async run(subject, context): Promise<AuthCheckResult> {
    const start = performance.now();
    const done = (fields: Omit<AuthCheckResult, 'check' | 'subjectKind' | 'subject' | 'ms'>): AuthCheckResult => ({
      check: 'dkim',
      subjectKind: 'dkim',
      subject,
      ...fields,
      ms: Math.round(performance.now() - start),
    });
    const parts = splitSubject(subject);
    if (!parts) return done({ summary: 'not a DKIM key name', evidence: [], problems: [], error: 'EINVAL: not selector._domainkey.domain' });

    const answer = await dnsQuery(context.dns, (r) => r.resolveTxt(subject));
    if (answer.error === 'ENOTFOUND' || answer.error === 'ENODATA') {
      return done({
        summary: 'not published',
        evidence: [answer.error === 'ENOTFOUND' ? `${subject}: no such name (NXDOMAIN)` : `${subject}: no TXT record`],
        problems: [{ ruleId: DKIM_RULES.missing.id, message: missingMessage(subject, parts.selector) }],
      });
    }
    if (answer.error !== undefined) return done({ summary: `lookup failed (${answer.error})`, evidence: [], problems: [], error: answer.error });

    const records = answer.value.slice(0, MAX_RECORDS).map((chunks) => chunks.join(''));
    const evidence = records.map((r) => `TXT "${printable(r, MAX_EVIDENCE_CHARS)}"`);
    if (answer.value.length > MAX_RECORDS) evidence.push(`… ${answer.value.length - MAX_RECORDS} more TXT records`);
    if (records.length === 0) {
      return done({ summary: 'not published', evidence: [`${subject}: no TXT record`], problems: [{ ruleId: DKIM_RULES.missing.id, message: missingMessage(subject, parts.selector) }] });
    }

    const verdicts = records.map((r) => evaluateDkimRecord(r, subject));
    const keys = verdicts.filter((v) => !v.discarded);
    if (keys.length === 0) {
      return done({
        summary: 'not published',
        evidence,
        problems: [{ ruleId: DKIM_RULES.missing.id, message: `${missingMessage(subject, parts.selector)} (the TXT records there are not DKIM keys)` }],
      });
    }
    const problems: AuthProblem[] = [];
    if (keys.length > 1) {
      problems.push({ ruleId: DKIM_RULES.invalid.id, message: `${subject} has ${keys.length} DKIM key records; RFC 6376 leaves the result undefined, and receivers pick one or fail. Keep exactly one record per selector.` });
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

function missingMessage(subject: string, selector: string): string {
  return `No DKIM key is published at ${subject}: receivers cannot verify signatures made with selector "${selector}", so they fail (dkim=permerror, "no key for signature") and DMARC cannot pass on DKIM. Publish the public key as a TXT record there ("v=DKIM1; k=rsa; p=..."), or make the signer use a selector that has one.`;
}
