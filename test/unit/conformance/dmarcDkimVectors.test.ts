// The DMARC record vectors (OpenDMARC's parser tests and mox's) and the DKIM key-record vectors (mox's),
// run through the parsers the live DMARC and DKIM checks use. Each vector says what one real receiver
// does with a record; our parser models three kinds of receiver (dmarcRecord.ts), so each vector is
// compared with our model of that receiver:
//
// - OpenDMARC (opendmarc_policy_parse_dmarc): OKAY = OpenDMARC's parser accepts the record; EMPTY /
//   BAD_VERSION = not a DMARC record (empty / otherwise); NO_REQUIRED_P = it rejects the record for want of
//   p= alone; BAD_VALUE = it rejects the record for another reason.
// - mox (dmarc.ParseRecord): bad = not a DMARC record, or mox applies no policy; valid = mox applies the
//   record, and the record it applies (policy, sp, report URIs with size limits, alignment, ri, fo, rf,
//   pct, defaults included) equals `want`.
// - DKIM (mox dkim.ParseRecord): isDkim false = a record verifiers discard (empty, or v= other than
//   DKIM1); errRecordMissingField = no p=; errRecordVersionFirst = v= not first (we flag it);
//   errRecordBadPublicKey = p= is not a key of the type k= names; errRecordDuplicateTag = a repeated tag;
//   errRecordUnknownAlgorithm = a k= verifiers do not know; parseErr = a record no verifier can use (our
//   verdict on it is an error); `want` = a usable record (a revoked key, p= empty, included) whose key
//   type, hashes, services, flags and key length are those.
import * as assert from 'assert';
import * as fs from 'fs';
import { parseDkimRecord, dkimPublicKey } from '../../../src/core/sources/dkimSigning/record';
import { evaluateDkimRecord } from '../../../src/core/live/mailAuth/dkim';
import { DKIM_RULE_METAS } from '../../../src/core/live/mailAuth/dkim';
import { type AppliedDmarc, isDmarcRecord, parseDmarc } from '../../../src/core/live/mailAuth/dmarcRecord';
import { conformanceFile, newTally, summaryLine, type Tally, verbose } from './conformanceData';

interface DmarcVector {
  readonly id: string;
  readonly record: string;
  readonly expect: string;
  readonly want?: {
    readonly version: string;
    readonly policy: string;
    readonly sp: string;
    readonly rua: readonly { address: string; maxSize: number; unit: string }[];
    readonly ruf: readonly { address: string; maxSize: number; unit: string }[];
    readonly adkim: string;
    readonly aspf: string;
    readonly ri: number;
    readonly fo: readonly string[];
    readonly rf: readonly string[];
    readonly pct: number;
  };
}

interface DkimVector {
  readonly id: string;
  readonly record: string;
  readonly isDkim: boolean;
  readonly err?: string;
  readonly want?: { readonly key: string; readonly hashes?: readonly string[]; readonly services?: readonly string[]; readonly flags?: readonly string[]; readonly pubkeyBytes: number };
}

function record(r: AppliedDmarc): NonNullable<DmarcVector['want']> {
  const uri = (u: AppliedDmarc['rua'][number]) => ({ address: u.uri, maxSize: u.maxSize ?? 0, unit: u.unit ?? '' });
  // isDmarcRecord holds, so the version is exactly DMARC1.
  return {
    version: 'DMARC1',
    policy: r.p,
    sp: r.sp ?? '',
    rua: r.rua.map(uri),
    ruf: r.ruf.map(uri),
    adkim: r.adkim,
    aspf: r.aspf,
    ri: r.ri,
    fo: r.fo,
    rf: r.rf,
    pct: r.pct,
  };
}

/** What our model says OpenDMARC's parser returns for `text`. */
function openDmarcStatus(text: string): string {
  if (text === '') return 'DMARC_PARSE_ERROR_EMPTY';
  if (!isDmarcRecord(text)) return 'DMARC_PARSE_ERROR_BAD_VERSION';
  // The vectors call OpenDMARC's parser with the record: the filter of its DNS lookup (kind "unseen") is not
  // in play; test/net/opendmarc.test.ts compares the whole path with the real opendmarc-check.
  const rejecting = parseDmarc(text).problems.filter((p) => p.effects.opendmarc === 'reject' && p.kind !== 'unseen');
  if (rejecting.length === 0) return 'DMARC_PARSE_OKAY';
  return rejecting.every((p) => p.kind === 'missing-p') ? 'DMARC_PARSE_ERROR_NO_REQUIRED_P' : 'DMARC_PARSE_ERROR_BAD_VALUE';
}

function judgeDmarc(v: DmarcVector, tally: Tally): void {
  tally.cases++;
  let said: string;
  let ok: boolean;
  if (v.id.startsWith('opendmarc-')) {
    said = openDmarcStatus(v.record);
    ok = said === v.expect;
  } else {
    const applied = isDmarcRecord(v.record) ? parseDmarc(v.record).applied('mox') : undefined;
    said = applied ? `valid ${JSON.stringify(record(applied))}` : 'bad';
    ok = v.expect === 'bad' ? !applied : applied !== undefined && JSON.stringify(record(applied)) === JSON.stringify(v.want);
  }
  const problems = isDmarcRecord(v.record) ? parseDmarc(v.record).problems.map((p) => p.text) : ['not a DMARC record'];
  if (verbose()) console.log(`      ${v.id}: ${said} (${problems.join('; ') || 'no problems'})`);
  if (ok) tally.pass++;
  else tally.wrong.push(`${v.id} ${JSON.stringify(v.record)}: expected ${v.expect}${v.want ? ` ${JSON.stringify(v.want)}` : ''}, got ${said}`);
}

/** Our verdict on a DKIM key record, in mox's terms. */
function dkimVerdict(text: string): { isDkim: boolean; err?: string; want?: DkimVector['want']; unusable: boolean } {
  const parsed = parseDkimRecord(text);
  const errorRules = new Set(DKIM_RULE_METAS.filter((m) => m.defaultSeverity === 'error').map((m) => m.id));
  const verdict = evaluateDkimRecord(text, 'selector._domainkey.example.com');
  const unusable = !parsed.ok || verdict.problems.some((p) => (p.severity ?? (errorRules.has(p.ruleId) ? 'error' : 'warning')) === 'error');
  if (!parsed.ok) {
    if (parsed.discarded || parsed.error === 'the record is empty') return { isDkim: false, err: 'parseErr', unusable };
    if (/no p= tag/.test(parsed.error)) return { isDkim: true, err: 'errRecordMissingField', unusable };
    if (/appears twice/.test(parsed.error)) return { isDkim: true, err: 'errRecordDuplicateTag', unusable };
    return { isDkim: true, err: 'parseErr', unusable };
  }
  const r = parsed.record;
  if (r.versionNotFirst) return { isDkim: true, err: 'errRecordVersionFirst', unusable };
  if (r.keyType !== 'rsa' && r.keyType !== 'ed25519') return { isDkim: true, err: 'errRecordUnknownAlgorithm', unusable };
  if (r.publicKey !== '' && !dkimPublicKey(r.keyType, r.publicKey).ok) return { isDkim: true, err: 'errRecordBadPublicKey', unusable };
  return {
    isDkim: true,
    unusable,
    want: {
      key: r.keyType,
      ...(r.hashes ? { hashes: r.hashes } : {}),
      services: r.services ?? ['*'],
      ...(r.flags.length ? { flags: r.flags } : {}),
      pubkeyBytes: Buffer.from(r.publicKey, 'base64').length,
    },
  };
}

function judgeDkim(v: DkimVector, tally: Tally): void {
  tally.cases++;
  const ours = dkimVerdict(v.record);
  const lower = (w: DkimVector['want']) => JSON.stringify(w, (_, x) => (typeof x === 'string' ? x.toLowerCase() : x));
  let ok: boolean;
  if (!v.isDkim) ok = !ours.isDkim;
  else if (v.want) ok = ours.isDkim && ours.want !== undefined && lower(ours.want) === lower(v.want);
  // mox's generic parse error: any verdict that makes the key unusable agrees.
  else if (v.err === 'parseErr') ok = ours.isDkim && ours.unusable;
  else ok = ours.isDkim && ours.err === v.err;
  const said = JSON.stringify(ours);
  if (verbose()) console.log(`      ${v.id}: ${said}`);
  if (ok) tally.pass++;
  else tally.wrong.push(`${v.id} ${JSON.stringify(v.record)}: expected ${JSON.stringify({ isDkim: v.isDkim, err: v.err, want: v.want })}, got ${said}`);
}

describe('conformance: DMARC and DKIM record vectors', () => {
  it('the DMARC record parser agrees with OpenDMARC and mox on each of their vectors', function () {
    const { file, why } = conformanceFile('dmarc-vectors.json');
    if (!file) {
      console.log(`    skipped: ${why}`);
      this.skip();
    }
    const vectors = (JSON.parse(fs.readFileSync(file, 'utf8')) as { vectors: DmarcVector[] }).vectors;
    const tally = newTally();
    for (const v of vectors) judgeDmarc(v, tally);
    console.log(`    ${summaryLine('dmarc-vectors', tally)}`);
    assert.deepStrictEqual(tally.wrong, [], summaryLine('dmarc-vectors', tally));
    assert.strictEqual(tally.cases, 60);
  });

  it('the DKIM key-record parser agrees with mox on each of its vectors', function () {
    const { file, why } = conformanceFile('dkim-vectors.json');
    if (!file) {
      console.log(`    skipped: ${why}`);
      this.skip();
    }
    const vectors = (JSON.parse(fs.readFileSync(file, 'utf8')) as { vectors: DkimVector[] }).vectors;
    const tally = newTally();
    for (const v of vectors) judgeDkim(v, tally);
    console.log(`    ${summaryLine('dkim-vectors', tally)}`);
    assert.deepStrictEqual(tally.wrong, [], summaryLine('dkim-vectors', tally));
    assert.strictEqual(tally.cases, 13);
  });
});
