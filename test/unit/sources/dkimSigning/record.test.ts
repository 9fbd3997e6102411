import * as assert from 'assert';
import { generateKeyPairSync } from 'crypto';
import { dkimPublicKey, parseDkimRecord } from '../../../../src/core/sources/dkimSigning/record';
import { DKIM_RULE_METAS, evaluateDkimRecord } from '../../../../src/core/live/mailAuth/dkim';

/** p= for an RSA key of `bits`, as SubjectPublicKeyInfo (what opendkim-genkey and rspamd publish) or bare PKCS#1. */
function rsaP(bits: number, type: 'spki' | 'pkcs1' = 'spki'): string {
  return generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type, format: 'der' }).toString('base64');
}

function ed25519P(): { raw: string; spki: string } {
  const der = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
  return { raw: der.subarray(der.length - 32).toString('base64'), spki: der.toString('base64') };
}

describe('DKIM key records', () => {
  const rsa2048 = rsaP(2048);
  const rsa1024 = rsaP(1024);

  describe('parseDkimRecord', () => {
    it('reads tags, defaults k=rsa, drops white space inside p=', () => {
      const r = parseDkimRecord(`v=DKIM1; k=RSA; t=y:s; h=sha256; s=email; p=${rsa2048.slice(0, 20)} ${rsa2048.slice(20)} ;`);
      assert.ok(r.ok);
      assert.strictEqual(r.record.version, 'DKIM1');
      assert.strictEqual(r.record.keyType, 'rsa');
      assert.strictEqual(r.record.publicKey, rsa2048);
      assert.deepStrictEqual([r.record.flags, r.record.hashes, r.record.services, r.record.versionNotFirst], [['y', 's'], ['sha256'], ['email'], false]);
      const bare = parseDkimRecord(`p=${rsa1024}`);
      assert.ok(bare.ok && bare.record.keyType === 'rsa' && bare.record.version === undefined && bare.record.hashes === undefined);
    });

    it('an empty p= is a revoked key, not an error', () => {
      const r = parseDkimRecord('v=DKIM1; k=rsa; p=');
      assert.ok(r.ok && r.record.publicKey === '');
    });

    it('syntax errors: no p=, duplicate tags, bare words, bad tag names, empty', () => {
      const error = (text: string) => {
        const r = parseDkimRecord(text);
        assert.ok(!r.ok, text);
        return r.error;
      };
      assert.match(error('v=DKIM1; k=rsa'), /no p= tag/);
      assert.match(error('v=DKIM1; p=abc; p=def'), /p= appears twice/);
      assert.match(error('v=DKIM1; k=rsa; MIIBIjANBgkq'), /not a tag=value pair/);
      assert.match(error('"v=DKIM1; p=abc"'), /not a tag name/);
      assert.match(error(' ; ;'), /empty/);
      assert.match(error('x'.repeat(9000)), /far more than any DKIM key/);
    });

    it('v= other than DKIM1 is discarded (an SPF record, a future version), v= not first is flagged', () => {
      const spf = parseDkimRecord('v=spf1 -all');
      assert.ok(!spf.ok && spf.discarded);
      const late = parseDkimRecord(`k=rsa; v=DKIM1; p=${rsa2048}`);
      assert.ok(late.ok && late.record.versionNotFirst);
    });

    it('control characters from DNS never reach a message as they are', () => {
      const r = parseDkimRecord('v=DKIM1; \u0007bell\u001b[31m');
      assert.ok(!r.ok && !/[\u0000-\u001f]/.test(r.error), r.ok ? '' : r.error);
    });
  });

  describe('dkimPublicKey', () => {
    it('RSA key sizes from SubjectPublicKeyInfo and from bare RSAPublicKey', () => {
      assert.deepStrictEqual(dkimPublicKey('rsa', rsa2048), { ok: true, type: 'rsa', bits: 2048, encoding: 'spki' });
      assert.deepStrictEqual(dkimPublicKey('rsa', rsa1024), { ok: true, type: 'rsa', bits: 1024, encoding: 'spki' });
      assert.deepStrictEqual(dkimPublicKey('rsa', rsaP(512)), { ok: true, type: 'rsa', bits: 512, encoding: 'spki' });
      assert.deepStrictEqual(dkimPublicKey('rsa', rsaP(2048, 'pkcs1')), { ok: true, type: 'rsa', bits: 2048, encoding: 'pkcs1' });
    });

    it('Ed25519: the raw 32 bytes (RFC 8463), not a SubjectPublicKeyInfo', () => {
      const { raw, spki } = ed25519P();
      assert.deepStrictEqual(dkimPublicKey('ed25519', raw), { ok: true, type: 'ed25519' });
      const wrong = dkimPublicKey('ed25519', spki);
      assert.ok(!wrong.ok && /32 bytes, p= holds 44.*last 32 bytes/.test(wrong.error), JSON.stringify(wrong));
    });

    it('malformed base64, keys that are not keys, unknown key types, mismatched types', () => {
      const err = (k: string, p: string) => {
        const r = dkimPublicKey(k, p);
        assert.ok(!r.ok, `${k} ${p}`);
        return r.error;
      };
      assert.match(err('rsa', 'MIIB!@#$'), /not valid base64/);
      assert.match(err('rsa', 'MIIBI'), /not valid base64/);
      assert.match(err('rsa', Buffer.from('not a key at all').toString('base64')), /not an RSA public key/);
      assert.match(err('rsa', rsa2048.slice(0, 200)), /not an RSA public key/);
      assert.match(err('dsa', rsa2048), /k=dsa is not a key type/);
      assert.match(err('rsa', ed25519P().spki), /k=rsa, but p= holds an ed25519 key/);
    });
  });

  describe('evaluateDkimRecord', () => {
    const subject = 'mail._domainkey.example.com';
    const rules = (text: string) => evaluateDkimRecord(text, subject).problems.map((p) => `${p.ruleId}${p.severity ? `:${p.severity}` : ''}`);

    it('rules are declared with docs-ready metadata', () => {
      assert.deepStrictEqual(
        DKIM_RULE_METAS.map((m) => `${m.id} ${m.defaultSeverity}`),
        ['dns/dkim-missing error', 'dns/dkim-revoked error', 'dns/dkim-weak-key warning', 'dns/dkim-invalid error', 'dns/dkim-testing information', 'dns/dkim-ed25519 information'],
      );
    });

    it('a 2048-bit RSA key passes; smaller keys are weak (error below 1024)', () => {
      assert.deepStrictEqual(evaluateDkimRecord(`v=DKIM1; k=rsa; p=${rsa2048}`, subject), { summary: 'RSA 2048-bit key', problems: [] });
      assert.deepStrictEqual(rules(`v=DKIM1; k=rsa; p=${rsa1024}`), ['dns/dkim-weak-key']);
      assert.match(evaluateDkimRecord(`v=DKIM1; p=${rsa1024}`, subject).problems[0].message, /RSA 1024-bit; switch to a 2048-bit key/);
      assert.deepStrictEqual(rules(`v=DKIM1; p=${rsaP(512)}`), ['dns/dkim-weak-key:error']);
    });

    it('revoked, testing, Ed25519, hash and service restrictions, v= out of place', () => {
      assert.deepStrictEqual(rules('v=DKIM1; p='), ['dns/dkim-revoked']);
      assert.deepStrictEqual(rules('v=DKIM1; k=dsa; p='), ['dns/dkim-invalid'], 'an unknown key type, even revoked');
      assert.strictEqual(evaluateDkimRecord('v=DKIM1; k=dsa; p=', subject).summary, 'unknown key type');
      assert.strictEqual(evaluateDkimRecord('v=DKIM1; p=', subject).summary, 'revoked (empty p=)');
      assert.deepStrictEqual(rules(`v=DKIM1; t=y; p=${rsa2048}`), ['dns/dkim-testing']);
      assert.strictEqual(evaluateDkimRecord(`v=DKIM1; t=y; p=${rsa2048}`, subject).summary, 'RSA 2048-bit key, testing (t=y)');
      assert.deepStrictEqual(rules(`v=DKIM1; k=ed25519; p=${ed25519P().raw}`), ['dns/dkim-ed25519']);
      assert.deepStrictEqual(rules(`v=DKIM1; h=sha1; p=${rsa2048}`), ['dns/dkim-invalid']);
      assert.deepStrictEqual(rules(`v=DKIM1; h=sha1:sha256; s=email:other; p=${rsa2048}`), []);
      assert.deepStrictEqual(rules(`v=DKIM1; s=other; p=${rsa2048}`), ['dns/dkim-invalid']);
      assert.deepStrictEqual(rules(`k=rsa; v=DKIM1; p=${rsa2048}`), ['dns/dkim-invalid:warning']);
      assert.deepStrictEqual(rules('v=DKIM1; k=rsa; p=MIIB!!'), ['dns/dkim-invalid']);
      assert.deepStrictEqual(rules('v=DKIM1; k=rsa'), ['dns/dkim-invalid']);
      assert.deepStrictEqual(evaluateDkimRecord('v=spf1 -all', subject), { summary: 'not a DKIM key', problems: [], discarded: true });
    });
  });
});
