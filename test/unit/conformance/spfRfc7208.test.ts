// The OpenSPF RFC 7208 test suite (rfc7208-tests.yml: 16 scenarios, 203 tests), run through the same path
// the live SPF check takes: check_host() asks AuthDns, which asks a DNS server over UDP/TCP on 127.0.0.1 —
// here one served from each scenario's zone data. Every answer is compared with the suite's: the result
// (one of the results it allows) and, for a fail, the explanation.
//
// How the zone data is served, as the suite's own driver (pyspf's testspf.py) does: a name with SPF-type
// records and no TXT entry gets them as TXT records (we never ask for type SPF); "TXT: NONE" is no record
// but stops that; "TIMEOUT" makes a query for a type with no record listed before it fail — answered
// SERVFAIL here (both mean "could not find out", temperror), since waiting for a real timeout would make
// the suite slow and load-sensitive. A name not in the zone is NXDOMAIN. Set SMTP_DOCTOR_CONFORMANCE_VERBOSE=1
// to see every answer.
import * as assert from 'assert';
import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';
import { AuthDns } from '../../../src/core/live/mailAuth/authDns';
import { checkHost, type SpfVerdict } from '../../../src/core/live/mailAuth/spfEval';
import { parseIp } from '../../../src/core/live/mailAuth/spfRecord';
import { rdata, startWireDnsRetrying, T, type WireDnsPeer, type WireDnsRecord } from '../../net/peers/wireDns';
import { conformanceFile, newTally, summaryLine, type Tally, verbose } from './conformanceData';

type ZoneEntry = 'TIMEOUT' | Readonly<Record<string, unknown>>;

interface SpfTest {
  readonly host: string;
  readonly mailfrom: string;
  readonly helo: string;
  readonly result: string | readonly string[];
  readonly explanation?: string;
  readonly spec?: string;
}

interface Scenario {
  readonly description: string;
  readonly tests: Readonly<Record<string, SpfTest>>;
  readonly zonedata?: Readonly<Record<string, readonly ZoneEntry[]>>;
}

/** The SPF resource record type (RFC 4408), retired by RFC 7208. */
const TYPE_SPF = 99;
const TYPES: Readonly<Record<string, number>> = { A: T.A, AAAA: T.AAAA, MX: T.MX, PTR: T.PTR, CNAME: T.CNAME, TXT: T.TXT };

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [String(value)]);

/** The zone of one scenario: its records, and which (name, type) questions fail. */
function zoneOf(zonedata: Scenario['zonedata']): { records: WireDnsRecord[]; servfail: (name: string, type: number) => boolean } {
  const records: WireDnsRecord[] = [];
  const failing = new Map<string, Set<number>>();
  for (const [owner, entries] of Object.entries(zonedata ?? {})) {
    const name = owner.toLowerCase();
    const hasTxt = entries.some((e) => e !== 'TIMEOUT' && 'TXT' in e);
    const seen = new Set<number>();
    const generated: WireDnsRecord[] = [];
    for (const entry of entries) {
      if (entry === 'TIMEOUT') {
        // Every type with no record listed so far times out.
        failing.set(name, new Set(Object.values(TYPES).filter((t) => !seen.has(t))));
        continue;
      }
      for (const [type, value] of Object.entries(entry)) {
        if (value === 'NONE') continue;
        if (type === 'SPF') {
          // Served as type SPF too, so the name exists; check_host() never asks for that type.
          records.push({ name, type: TYPE_SPF, data: rdata.txt(strings(value)) });
          if (!hasTxt) generated.push({ name, type: T.TXT, data: rdata.txt(strings(value)) });
          continue;
        }
        const code = TYPES[type];
        if (code === undefined) throw new Error(`zone data type ${type} is not served`);
        if (value === 'TIMEOUT') {
          failing.set(name, new Set([...(failing.get(name) ?? []), code]));
          continue;
        }
        seen.add(code);
        const data =
          type === 'A' ? rdata.a(String(value)) : type === 'AAAA' ? rdata.aaaa(String(value)) : type === 'MX' ? rdata.mx(Number((value as unknown[])[0]), String((value as unknown[])[1])) : type === 'TXT' ? rdata.txt(strings(value)) : rdata.name(String(value));
        records.push({ name, type: code, data });
      }
    }
    records.push(...generated);
  }
  return { records, servfail: (name, type) => failing.get(name)?.has(type) === true };
}

/** RFC 7208 7.4 writes %{i} nibbles in lower case, RFC 4408 8.1 (and this suite) in upper case: DNS does not care. */
function sameExplanation(ours: string, expected: string): boolean {
  const nibbles = (s: string) => s.replace(/(?:[0-9a-f]\.){31}[0-9a-f]/gi, (n) => n.toLowerCase());
  return ours === expected || nibbles(ours) === nibbles(expected);
}

function judge(id: string, test: SpfTest, v: SpfVerdict, tally: Tally): void {
  tally.cases++;
  const allowed = typeof test.result === 'string' ? [test.result] : test.result;
  const said = `${v.result}${v.term ? ` (${v.term} in ${v.domain})` : ''}${v.detail ? `: ${v.detail}` : ''}${v.explanation !== undefined ? ` [exp ${JSON.stringify(v.explanation)}]` : ''}`;
  if (verbose()) console.log(`      ${id}: ${said}`);
  if (v.result === 'unknown') {
    tally.declined.push(`${id}: ${said}`);
    return;
  }
  if (!allowed.includes(v.result)) {
    tally.wrong.push(`${id}: expected ${allowed.join(' or ')}, got ${said}`);
    return;
  }
  if (test.explanation !== undefined && v.result === 'fail') {
    const ok = test.explanation === 'DEFAULT' ? v.explanation === undefined : v.explanation !== undefined && sameExplanation(v.explanation, test.explanation);
    if (!ok) {
      tally.wrong.push(`${id}: expected explanation ${JSON.stringify(test.explanation)}, got ${said}`);
      return;
    }
  }
  tally.pass++;
}

describe('conformance: OpenSPF RFC 7208 suite', function () {
  this.timeout(120_000);

  it('check_host() through AuthDns answers every test as the suite says', async function () {
    const { file, why } = conformanceFile('rfc7208-tests.yml');
    if (!file) {
      console.log(`    skipped: ${why}`);
      this.skip();
    }
    const scenarios = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS() as Scenario);
    const tally = newTally();
    for (const scenario of scenarios) {
      const zone = zoneOf(scenario.zonedata);
      const peer: WireDnsPeer = await startWireDnsRetrying({ records: zone.records, rcode: (name, type) => (zone.servfail(name, type) ? 2 : undefined) });
      try {
        for (const [id, test] of Object.entries(scenario.tests)) {
          const ip = parseIp(test.host);
          assert.ok(ip, `${id}: ${test.host} is not an address`);
          const dns = new AuthDns({ servers: [peer.server], timeoutMs: 5000, tries: 1 }, 1000);
          const verdict = await checkHost(dns, { ip, sender: test.mailfrom || `postmaster@${test.helo}`, helo: test.helo });
          judge(id, test, verdict, tally);
        }
      } finally {
        await peer.close();
      }
    }
    console.log(`    ${summaryLine('spf-rfc7208', tally)}`);
    assert.deepStrictEqual([...tally.wrong, ...tally.declined], [], summaryLine('spf-rfc7208', tally));
    assert.strictEqual(tally.cases, 203, 'the suite has 203 tests');
  });
});
