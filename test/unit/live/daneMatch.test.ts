// DANE matching, pure: which TLSA records SMTP can use, and whether one matches a certificate chain.
import * as assert from 'assert';
import * as crypto from 'crypto';
import fc from 'fast-check';
import type { TlsaData } from '../../../src/core/live/dnsWire';
import { formatTlsa, matchTlsa, spkiOf, tlsa311, tlsaMatchesCertificate, tlsaUnusableReason } from '../../../src/core/live/mailAuth/daneMatch';
import { createTestCerts, type TestCerts } from '../../net/peers/testCerts';

const der = (pem: string): Buffer => Buffer.from(new crypto.X509Certificate(pem).raw);
const sha = (algorithm: string, data: Buffer) => crypto.createHash(algorithm).update(data).digest('hex');
const tlsa = (usage: number, selector: number, matchingType: number, association: string): TlsaData => ({ usage, selector, matchingType, association });

describe('daneMatch', () => {
  let certs: TestCerts;
  let leaf: Buffer;
  let ca: Buffer;
  let other: Buffer;
  let expired: Buffer;

  before(() => {
    certs = createTestCerts();
    leaf = der(certs.good.cert);
    ca = der(certs.ca);
    other = der(certs.wrongName.cert);
    expired = der(certs.expired.cert);
  });
  after(() => certs.cleanup());

  describe('spkiOf', () => {
    it("is the certificate's SubjectPublicKeyInfo, byte for byte", () => {
      for (const cert of [leaf, ca, other]) {
        const expected = new crypto.X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
        assert.deepStrictEqual(spkiOf(cert), expected);
        assert.ok(cert.includes(spkiOf(cert)!));
      }
    });

    it('is undefined for anything that is not a certificate, and never throws', () => {
      assert.strictEqual(spkiOf(Buffer.alloc(0)), undefined);
      assert.strictEqual(spkiOf(leaf.subarray(0, 40)), undefined);
      assert.strictEqual(spkiOf(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff])), undefined);
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(leaf.length - 1), fc.nat(255), (noise, at, value) => {
          spkiOf(noise);
          const mutated = Buffer.from(leaf);
          mutated[at] = value;
          const spki = spkiOf(mutated);
          assert.ok(spki === undefined || spki.length <= mutated.length);
        }),
        { numRuns: 2000 },
      );
    });
  });

  describe('tlsaMatchesCertificate', () => {
    it('applies selector 0/1 and matching type 0/1/2', () => {
      const spki = spkiOf(leaf)!;
      for (const [selector, data] of [
        [0, leaf],
        [1, spki],
      ] as const) {
        assert.ok(tlsaMatchesCertificate(tlsa(3, selector, 0, data.toString('hex')), leaf));
        assert.ok(tlsaMatchesCertificate(tlsa(3, selector, 1, sha('sha256', data)), leaf));
        assert.ok(tlsaMatchesCertificate(tlsa(3, selector, 2, sha('sha512', data).toUpperCase()), leaf));
        assert.ok(!tlsaMatchesCertificate(tlsa(3, selector, 1, sha('sha256', data)), other));
      }
      assert.strictEqual(tlsa311(leaf), sha('sha256', spki));
    });
  });

  describe('tlsaUnusableReason', () => {
    it('accepts DANE-TA and DANE-EE with defined selectors and matching types', () => {
      assert.strictEqual(tlsaUnusableReason(tlsa(3, 1, 1, 'ab'.repeat(32))), undefined);
      assert.strictEqual(tlsaUnusableReason(tlsa(2, 0, 2, 'ab'.repeat(64))), undefined);
      assert.strictEqual(tlsaUnusableReason(tlsa(3, 0, 0, 'ab'.repeat(300))), undefined);
    });
    it('rejects PKIX usages (RFC 7672) and undefined parameters, saying why', () => {
      assert.match(tlsaUnusableReason(tlsa(0, 1, 1, 'ab'.repeat(32)))!, /PKIX-TA.*not usable for SMTP \(RFC 7672/);
      assert.match(tlsaUnusableReason(tlsa(1, 1, 1, 'ab'.repeat(32)))!, /PKIX-EE/);
      assert.match(tlsaUnusableReason(tlsa(4, 1, 1, 'ab'.repeat(32)))!, /usage 4 is not defined/);
      assert.match(tlsaUnusableReason(tlsa(3, 2, 1, 'ab'.repeat(32)))!, /selector 2/);
      assert.match(tlsaUnusableReason(tlsa(3, 1, 3, 'ab'.repeat(32)))!, /matching type 3/);
      assert.match(tlsaUnusableReason(tlsa(3, 1, 1, 'ab'.repeat(20)))!, /32 bytes, this one 20/);
      assert.match(tlsaUnusableReason(tlsa(3, 1, 0, ''))!, /empty/);
    });
  });

  it('formatTlsa shortens the data and names the usage', () => {
    assert.strictEqual(formatTlsa(tlsa(3, 1, 1, '0123456789abcdef0123')), '3 1 1 0123456789abcdef… (DANE-EE)');
    assert.strictEqual(formatTlsa(tlsa(7, 1, 1, 'ab')), '7 1 1 ab');
  });

  describe('matchTlsa', () => {
    it('DANE-EE matches the leaf and checks neither name nor dates', () => {
      const v = matchTlsa([tlsa(3, 1, 1, tlsa311(expired)!)], { chain: [expired, ca], hostnameMatches: false });
      assert.deepStrictEqual(v.match?.certificateIndex, 0);
    });

    it('DANE-EE does not match a certificate above the leaf', () => {
      assert.strictEqual(matchTlsa([tlsa(3, 0, 1, sha('sha256', ca))], { chain: [leaf, ca], hostnameMatches: true }).match, undefined);
    });

    it('DANE-TA matches an issuer in the chain that signs the leaf, when the leaf names the host', () => {
      const v = matchTlsa([tlsa(3, 1, 1, tlsa311(other)!), tlsa(2, 0, 1, sha('sha256', ca))], { chain: [leaf, ca], hostnameMatches: true });
      assert.deepStrictEqual([v.match?.certificateIndex, v.match?.record.usage, v.notes], [1, 2, []]);
    });

    it('DANE-TA says why a matching issuer does not authenticate: wrong name, bad signature, dates, the leaf itself', () => {
      const byCa = [tlsa(2, 1, 1, tlsa311(ca)!)];
      assert.match(matchTlsa(byCa, { chain: [leaf, ca], hostnameMatches: false }).notes.join(), /does not name the MX host/);
      // The CA did not sign the "issuer" here: a chain that does not chain.
      assert.match(matchTlsa([tlsa(2, 0, 1, sha('sha256', other))], { chain: [leaf, other], hostnameMatches: true }).notes.join(), /not signed by certificate 1/);
      assert.match(matchTlsa(byCa, { chain: [expired, ca], hostnameMatches: true }).notes.join(), /validity period/);
      assert.match(matchTlsa([tlsa(2, 1, 1, tlsa311(leaf)!)], { chain: [leaf, ca], hostnameMatches: true }).notes.join(), /use usage 3 \(DANE-EE\)/);
      for (const facts of [{ chain: [leaf, ca], hostnameMatches: false }, { chain: [expired, ca], hostnameMatches: true }]) {
        assert.strictEqual(matchTlsa(byCa, facts).match, undefined);
      }
    });

    it('ignores unusable records even when their data matches', () => {
      const v = matchTlsa([tlsa(1, 1, 1, tlsa311(leaf)!), tlsa(0, 0, 1, sha('sha256', ca))], { chain: [leaf, ca], hostnameMatches: true });
      assert.strictEqual(v.match, undefined);
    });

    it('matches nothing against an empty chain', () => {
      assert.strictEqual(matchTlsa([tlsa(3, 1, 1, tlsa311(leaf)!)], { chain: [], hostnameMatches: true }).match, undefined);
    });
  });
});
