// The DNS wire format, pure: building queries, parsing answers strictly (and never throwing on hostile
// bytes), matching answers to queries, servers (resolv.conf: test/unit/core/systemResolvers.test.ts).
import * as assert from 'assert';
import fc from 'fast-check';
import {
  answersQuery,
  buildQuery,
  DNS_TYPE,
  encodeName,
  parseMessage,
  parseServer,
  rcodeError,
  readName,
  recordsFor,
  type WireMessage,
} from '../../../src/core/live/dnsWire';

const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const u32 = (n: number) => Buffer.from([(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);

function header(id: number, flags: number, qd: number, an: number, ns = 0, ar = 0): Buffer {
  return Buffer.concat([u16(id), u16(flags), u16(qd), u16(an), u16(ns), u16(ar)]);
}

function rr(owner: Buffer, type: number, data: Buffer, ttl = 300, rclass = 1): Buffer {
  return Buffer.concat([owner, u16(type), u16(rclass), u32(ttl), u16(data.length), data]);
}

const QNAME = '_25._tcp.mx.example.com';
const TLSA_HASH = '0123456789abcdef'.repeat(4);

/** A realistic answer: question, a CNAME (owner compressed to the question), the TLSA at the target, an OPT. */
function sampleAnswer(id = 0x1234, flags = 0x81a0): Buffer {
  const question = Buffer.concat([encodeName(QNAME)!, u16(DNS_TYPE.TLSA), u16(1)]);
  const target = encodeName('_25._tcp.mail.example.net')!;
  const cname = rr(Buffer.from([0xc0, 12]), DNS_TYPE.CNAME, target);
  // The TLSA owner points at the CNAME's data (offset: header 12 + question + cname's owner/fixed part 12).
  const targetOffset = 12 + question.length + 12;
  const tlsa = rr(Buffer.from([0xc0 | (targetOffset >> 8), targetOffset & 0xff]), DNS_TYPE.TLSA, Buffer.concat([Buffer.from([3, 1, 1]), Buffer.from(TLSA_HASH, 'hex')]));
  const opt = Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0]);
  return Buffer.concat([header(id, flags, 1, 2, 0, 1), question, cname, tlsa, opt]);
}

function parsed(buf: Buffer): WireMessage {
  const r = parseMessage(buf);
  assert.ok(r.message, r.error);
  return r.message;
}

describe('dnsWire', () => {
  describe('buildQuery', () => {
    it('asks one question with RD and AD set and an EDNS0 OPT record with the DO bit', () => {
      const q = buildQuery(0xbeef, 'Example.COM.', DNS_TYPE.TLSA)!;
      const m = parsed(q);
      assert.deepStrictEqual(
        [m.id, m.qr, m.rd, m.ad, m.cd, m.question, m.edns],
        [0xbeef, false, true, true, false, { name: 'Example.COM', type: 52, qclass: 1 }, { udpSize: 1232, dnssecOk: true, version: 0 }],
      );
    });

    it('leaves the DO bit out when told, for questions that need no DNSSEC records', () => {
      assert.deepStrictEqual(parsed(buildQuery(7, 'example.com', DNS_TYPE.TXT, false)!).edns, { udpSize: 1232, dnssecOk: false, version: 0 });
    });

    it('sends labels with spaces and any visible character (SPF target names), and matches their answer', () => {
      const name = 'macro%percent  space%20url-space.example.com';
      const q = buildQuery(9, name, DNS_TYPE.A)!;
      const m = parsed(q);
      assert.strictEqual(m.question?.name, 'macro%percent\\032\\032space%20url-space.example.com');
      assert.ok(answersQuery({ ...m, qr: true }, 9, name, DNS_TYPE.A));
      assert.ok(answersQuery({ ...parsed(buildQuery(9, 'foo:bar/baz.example.com', DNS_TYPE.A)!), qr: true }, 9, 'FOO:bar/baz.example.com.', DNS_TYPE.A));
    });

    it('refuses names it cannot send: long or empty labels, over 255 bytes, non-ASCII', () => {
      assert.strictEqual(buildQuery(1, `${'a'.repeat(64)}.test`, 1), undefined);
      assert.strictEqual(buildQuery(1, 'a..test', 1), undefined);
      assert.strictEqual(buildQuery(1, Array(64).fill('abc').join('.'), 1), undefined);
      assert.strictEqual(buildQuery(1, 'bücher.test', 1), undefined);
      assert.strictEqual(buildQuery(1, 'tab\there.test', 1), undefined);
      assert.ok(buildQuery(1, `${'a'.repeat(63)}.test`, 1));
      assert.deepStrictEqual(encodeName('.'), Buffer.from([0]));
    });
  });

  describe('parseMessage', () => {
    it('decodes TLSA and CNAME records, following compression pointers, and the AD bit', () => {
      const m = parsed(sampleAnswer());
      assert.deepStrictEqual([m.qr, m.ad, m.rcode, m.answerCount], [true, true, 0, 2]);
      assert.deepStrictEqual(m.answers, [
        { name: QNAME, type: 5, ttl: 300, data: '_25._tcp.mail.example.net' },
        { name: '_25._tcp.mail.example.net', type: 52, ttl: 300, data: { usage: 3, selector: 1, matchingType: 1, association: TLSA_HASH } },
      ]);
      assert.deepStrictEqual(m.edns, { udpSize: 1232, dnssecOk: true, version: 0 });
    });

    it('decodes TXT records into their strings, byte for byte; an empty TXT has none; a string past the end is malformed', () => {
      const q = Buffer.concat([encodeName('x.test')!, u16(16), u16(1)]);
      const strings = (parts: Buffer[]) => Buffer.concat(parts.map((p) => Buffer.concat([Buffer.from([p.length]), p])));
      const two = strings([Buffer.from('v=spf1 ip4:'), Buffer.from('192.0.2.5 -all')]);
      const bytes = strings([Buffer.from([0xef, 0xbb, 0xbf, 0x41])]);
      const m = parsed(Buffer.concat([header(1, 0x8180, 1, 3), q, rr(encodeName('x.test')!, 16, two), rr(encodeName('x.test')!, 16, Buffer.alloc(0)), rr(encodeName('x.test')!, 16, bytes)]));
      assert.deepStrictEqual(
        m.answers.map((a) => a.data),
        [{ strings: ['v=spf1 ip4:', '192.0.2.5 -all'] }, { strings: [] }, { strings: ['\u00ef\u00bb\u00bfA'] }],
      );
      const cut = Buffer.concat([header(1, 0x8180, 1, 1), q, rr(encodeName('x.test')!, 16, Buffer.from([5, 0x61]))]);
      assert.match(parseMessage(cut).error!, /malformed data/);
    });

    it('decodes A, AAAA and MX; keeps other types as hex; reads a TTL with the top bit set as 0', () => {
      const q = Buffer.concat([encodeName('x.test')!, u16(1), u16(1)]);
      const owner = Buffer.from([0xc0, 12]);
      const v6 = Buffer.from('20010db8000000000000000000000001', 'hex');
      const body = Buffer.concat([
        rr(owner, DNS_TYPE.A, Buffer.from([192, 0, 2, 1])),
        rr(owner, DNS_TYPE.AAAA, v6, 0x80000000),
        rr(owner, DNS_TYPE.MX, Buffer.concat([u16(10), Buffer.from([0xc0, 12])])),
        rr(owner, 99, Buffer.from([1, 2, 3])),
      ]);
      const m = parsed(Buffer.concat([header(1, 0x8180, 1, 4), q, body]));
      assert.deepStrictEqual(
        m.answers.map((a) => [a.type, a.ttl, a.data]),
        [
          [1, 300, '192.0.2.1'],
          [28, 0, '2001:db8::1'],
          [15, 300, '10 x.test'],
          [99, 300, '010203'],
        ],
      );
    });

    it('combines the header rcode with the extended rcode bits of the OPT record', () => {
      const q = Buffer.concat([encodeName('x.test')!, u16(1), u16(1)]);
      const opt = Buffer.from([0, 0, 41, 0x04, 0xd0, 1, 0, 0, 0, 0, 0]); // extended rcode 1: BADVERS = 16
      assert.strictEqual(parsed(Buffer.concat([header(1, 0x8180, 1, 0, 0, 1), q, opt])).rcode, 16);
      assert.strictEqual(rcodeError(16), 'ERCODE16');
      assert.deepStrictEqual([0, 1, 2, 3, 4, 5].map(rcodeError), [undefined, 'EFORMERR', 'ESERVFAIL', 'ENOTFOUND', 'ENOTIMP', 'EREFUSED']);
    });

    const malformed: [string, Buffer][] = [
      ['empty', Buffer.alloc(0)],
      ['a short header', Buffer.alloc(11)],
      ['counts the length cannot hold', header(1, 0x8180, 1, 1300)],
      ['two questions', Buffer.concat([header(1, 0x8180, 2, 0), encodeName('a')!, u16(1), u16(1), encodeName('b')!, u16(1), u16(1)])],
      ['a pointer to itself', Buffer.concat([header(1, 0x8180, 1, 0), Buffer.from([0xc0, 12]), u16(1), u16(1)])],
      ['a forward pointer', Buffer.concat([header(1, 0x8180, 1, 0), Buffer.from([0xc0, 20]), u16(1), u16(1), Buffer.alloc(8)])],
      ['a reserved label type', Buffer.concat([header(1, 0x8180, 1, 0), Buffer.from([0x41, 0x61, 0]), u16(1), u16(1)])],
      ['a label running past the end', Buffer.concat([header(1, 0x8180, 1, 0), Buffer.from([20, 0x61])])],
      ['bytes after the last record', Buffer.concat([sampleAnswer(), Buffer.from([0])])],
      ['record data past the end', sampleAnswer().subarray(0, sampleAnswer().length - 13)],
      ['a CNAME with bytes after its name', (() => {
        const q = Buffer.concat([encodeName('x.test')!, u16(5), u16(1)]);
        return Buffer.concat([header(1, 0x8180, 1, 1), q, rr(Buffer.from([0xc0, 12]), 5, Buffer.concat([encodeName('y.test')!, Buffer.from([7])]))]);
      })()],
      ['a TLSA record shorter than 3 bytes', (() => {
        const q = Buffer.concat([encodeName('x.test')!, u16(52), u16(1)]);
        return Buffer.concat([header(1, 0x8180, 1, 1), q, rr(Buffer.from([0xc0, 12]), 52, Buffer.from([3, 1]))]);
      })()],
      ['an OPT record in the answer section', (() => {
        const q = Buffer.concat([encodeName('x.test')!, u16(1), u16(1)]);
        return Buffer.concat([header(1, 0x8180, 1, 1), q, Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0])]);
      })()],
      ['an A record of 5 bytes', (() => {
        const q = Buffer.concat([encodeName('x.test')!, u16(1), u16(1)]);
        return Buffer.concat([header(1, 0x8180, 1, 1), q, rr(Buffer.from([0xc0, 12]), 1, Buffer.alloc(5))]);
      })()],
      ['over 64 KB', Buffer.alloc(70_000)],
    ];
    for (const [what, bytes] of malformed) {
      it(`calls ${what} malformed`, () => {
        const r = parseMessage(bytes);
        assert.strictEqual(r.message, undefined);
        assert.match(r.error!, /^malformed DNS message/);
      });
    }

    it('stops a name that loops through labels and pointers, and names over 255 bytes', () => {
      // At 12: label "a", then a pointer back to 12: the name would never end; every pointer goes backwards.
      const loop = Buffer.concat([header(1, 0x8180, 0, 0), Buffer.from([1, 0x61, 0xc0, 12])]);
      assert.strictEqual(readName(loop, 12), undefined);
      const long = Buffer.concat([Buffer.alloc(12), ...Array(5).fill(Buffer.concat([Buffer.from([60]), Buffer.alloc(60, 0x61)])), Buffer.from([0])]);
      assert.strictEqual(readName(long, 12), undefined);
    });

    it('escapes dots, backslashes and control bytes inside labels', () => {
      const buf = Buffer.from([3, 0x61, 0x2e, 0x0a, 1, 0x5c, 0]);
      assert.deepStrictEqual(readName(buf, 0), { name: 'a\\046\\010.\\092', next: 7 });
    });

    it('never throws and always says message or malformed, whatever the bytes (random)', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 700 }), (bytes) => {
          const r = parseMessage(bytes);
          assert.ok((r.message === undefined) !== (r.error === undefined));
        }),
        { numRuns: 3000 },
      );
    });

    it('never throws on plausible headers with random bodies', () => {
      fc.assert(
        fc.property(fc.nat(0xffff), fc.nat(3), fc.nat(40), fc.nat(5), fc.nat(5), fc.uint8Array({ maxLength: 600 }), (flags, qd, an, ns, ar, body) => {
          const r = parseMessage(Buffer.concat([header(7, flags | 0x8000, qd, an, ns, ar), body]));
          assert.ok((r.message === undefined) !== (r.error === undefined));
        }),
        { numRuns: 3000 },
      );
    });

    it('never throws on mutated real answers (bytes changed, cut, inserted, pointers aimed anywhere)', () => {
      const base = sampleAnswer();
      const mutation = fc.oneof(
        fc.record({ kind: fc.constant('set' as const), at: fc.nat(base.length - 1), value: fc.nat(255) }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat(base.length), value: fc.nat(0) }),
        fc.record({ kind: fc.constant('insert' as const), at: fc.nat(base.length), value: fc.nat(255) }),
        fc.record({ kind: fc.constant('pointer' as const), at: fc.nat(base.length - 2), value: fc.nat(0x3fff) }),
      );
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }), (mutations) => {
          let buf = Buffer.from(base);
          for (const m of mutations) {
            const at = Math.min(m.at, buf.length);
            if (m.kind === 'set' && at < buf.length) buf[at] = m.value;
            else if (m.kind === 'cut') buf = buf.subarray(0, at);
            else if (m.kind === 'insert') buf = Buffer.concat([buf.subarray(0, at), Buffer.from([m.value]), buf.subarray(at)]);
            else if (m.kind === 'pointer' && at + 1 < buf.length) {
              buf[at] = 0xc0 | (m.value >> 8);
              buf[at + 1] = m.value & 0xff;
            }
          }
          const r = parseMessage(buf);
          assert.ok((r.message === undefined) !== (r.error === undefined));
          if (r.message) for (const a of r.message.answers) assert.ok(typeof a.name === 'string' && a.ttl >= 0 && a.ttl <= 0x7fffffff);
        }),
        { numRuns: 5000 },
      );
    });

    it('handles the worst case quickly: 1300 records whose names are 60-pointer chains (pointers reach 16 KB)', () => {
      // Owner of record i points at the owner of record i-1 (every 60th at a plain name), so names take up to
      // 60 jumps each; 1300 of them in one message.
      const parts: Buffer[] = [Buffer.from([1, 0x61, 0, 0, 1, 0, 1])]; // the question: a. IN A
      const owners: number[] = [];
      let at = 12 + 7;
      for (let i = 0; i < 1300; i++) {
        owners.push(at);
        const target = i % 60 === 0 ? 12 : owners[i - 1];
        parts.push(Buffer.from([0xc0 | (target >> 8), target & 0xff, 0, 99, 0, 1, 0, 0, 0, 1, 0, 0]));
        at += 12;
      }
      const started = Date.now();
      const r = parseMessage(Buffer.concat([header(1, 0x8180, 1, 1300), ...parts]));
      assert.ok(Date.now() - started < 1000);
      assert.ok(r.message, r.error);
      assert.strictEqual(r.message.answerCount, 1300);
      assert.strictEqual(r.message.answers.length, 256);
      assert.strictEqual(r.message.answers[59].name, 'a');
    });
  });

  describe('answersQuery', () => {
    const m = parsed(sampleAnswer(0x1234));
    it('accepts our id and question, whatever the case of the name', () => {
      assert.ok(answersQuery(m, 0x1234, QNAME.toUpperCase() + '.', DNS_TYPE.TLSA));
    });
    it('ignores another id, another name, another type, and queries', () => {
      assert.ok(!answersQuery(m, 0x1235, QNAME, DNS_TYPE.TLSA));
      assert.ok(!answersQuery(m, 0x1234, 'other.example.com', DNS_TYPE.TLSA));
      assert.ok(!answersQuery(m, 0x1234, QNAME, DNS_TYPE.A));
      assert.ok(!answersQuery(parsed(buildQuery(0x1234, QNAME, DNS_TYPE.TLSA)!), 0x1234, QNAME, DNS_TYPE.TLSA));
    });
    it('accepts an answer without a question only when it is an error', () => {
      assert.ok(answersQuery(parsed(header(9, 0x8182, 0, 0)), 9, QNAME, 52));
      assert.ok(!answersQuery(parsed(header(9, 0x8180, 0, 0)), 9, QNAME, 52));
    });
  });

  describe('recordsFor', () => {
    it('follows the CNAME chain inside the answer to the records', () => {
      const r = recordsFor(parsed(sampleAnswer()), QNAME, DNS_TYPE.TLSA);
      assert.deepStrictEqual([r.owner, r.aliases, r.records.length], ['_25._tcp.mail.example.net', [`${QNAME} CNAME _25._tcp.mail.example.net`], 1]);
    });
    it('stops on a CNAME loop', () => {
      const answers = [
        { name: 'a.test', type: 5, ttl: 1, data: 'b.test' },
        { name: 'b.test', type: 5, ttl: 1, data: 'a.test' },
      ];
      const r = recordsFor({ answers }, 'a.test', DNS_TYPE.TLSA);
      assert.strictEqual(r.records.length, 0);
      assert.ok(r.aliases.length <= 9);
    });
  });

  describe('servers', () => {
    it('parses host:port, [v6]:port and bare addresses; refuses names and bad ports', () => {
      assert.deepStrictEqual(parseServer('192.0.2.1'), { host: '192.0.2.1', port: 53 });
      assert.deepStrictEqual(parseServer('127.0.0.1:5353'), { host: '127.0.0.1', port: 5353 });
      assert.deepStrictEqual(parseServer('[::1]:5353'), { host: '::1', port: 5353 });
      assert.deepStrictEqual(parseServer('[2001:db8::1]'), { host: '2001:db8::1', port: 53 });
      assert.deepStrictEqual(parseServer('2001:db8::1'), { host: '2001:db8::1', port: 53 });
      for (const bad of ['dns.example', 'dns.example:53', '127.0.0.1:0', '127.0.0.1:70000', '[::1]:x', '']) assert.strictEqual(parseServer(bad), undefined, bad);
    });
  });
});
