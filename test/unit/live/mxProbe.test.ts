// How the port-25 results of MX hosts become findings: once per MX host however many domains lead to it, a
// dead host an error only when no other MX host of the domain answers, and port 25 blocked here said once for
// the run rather than once per MX host. The probes are given (the net tests run them against real servers).
import * as assert from 'assert';
import type { MxCheckResult } from '../../../src/core/live/dnsTypes';
import type { ConfigLocation } from '../../../src/core/live/liveFindings';
import { MxHostChecks } from '../../../src/core/live/mxProbe';
import type { Outbound25Verdict } from '../../../src/core/live/outbound25';
import type { ProbeStatus } from '../../../src/core/live/probeTypes';
import type { ServerChecks } from '../../../src/core/live/serverChecks';

const at = (line: number): ConfigLocation => ({ file: '/ws/main.cf', range: { start: { line, character: 20 }, end: { line, character: 30 } } });
const mx = (domain: string, ...hosts: string[]): MxCheckResult => ({
  domain,
  status: 'ok',
  hosts: hosts.map((exchange, i) => ({ exchange, priority: 10 * (i + 1), addresses: [`192.0.2.${i + 1}`], isCname: false, isIpLiteral: false })),
  ms: 1,
});

/** MX host checks where each host's probe answers as `status` says, and a timeout's diagnosis is `verdict`. */
function checks(status: Record<string, ProbeStatus>, verdict: Outbound25Verdict = 'inconclusive') {
  const probed: string[] = [];
  const diagnosed: string[] = [];
  const c = new MxHostChecks({
    probe: async (host, port) => {
      probed.push(`${host}:${port}`);
      return { host, port, address: '192.0.2.1', status: status[host] ?? 'open', banner: `${host} ESMTP`, extensions: { STARTTLS: '' }, timings: { total: 1 } };
    },
    servers: { examine: async () => ({}) } as unknown as ServerChecks,
    relayScope: 'off',
    ownServer: () => undefined,
    reportedAsEndpoint: () => false,
    diagnoseTimeout: async (host) => {
      diagnosed.push(host);
      return { host, verdict, summary: `Port 25 of ${host} timed out.`, recommendation: 'Check from elsewhere.', evidence: [] };
    },
  });
  return { c, probed, diagnosed };
}

describe('MX hosts on port 25', () => {
  it('probes each MX host once, however many domains name it, and reports it once with the other lines related', async () => {
    const { c, probed } = checks({ 'mx.shared.test': 'refused', 'mx.b.test': 'open' });
    c.add({ domain: 'a.test', locations: [at(1)] }, mx('a.test', 'mx.shared.test'));
    c.add({ domain: 'b.test', locations: [at(2)] }, mx('b.test', 'mx.shared.test', 'mx.b.test'));
    const found = await c.findings([]);
    assert.deepStrictEqual(probed.sort(), ['mx.b.test:25', 'mx.shared.test:25']);
    assert.deepStrictEqual(found.map((f) => [f.ruleId, f.severity, f.range.start.line]), [['smtp/port-refused', 'error', 1]], 'a.test has no other MX host: mail to it fails');
    assert.deepStrictEqual(found[0].related?.map((r) => r.range.start.line), [2]);
  });

  it('makes a dead MX host a warning where another MX host of the domain answers', async () => {
    const { c } = checks({ 'mx1.a.test': 'timeout', 'mx2.a.test': 'open' });
    c.add({ domain: 'a.test', locations: [at(1)] }, mx('a.test', 'mx1.a.test', 'mx2.a.test'));
    const found = await c.findings([]);
    assert.deepStrictEqual(found.map((f) => [f.ruleId, f.severity]), [['smtp/port-timeout', 'warning']]);
    assert.match(found[0].message, /^MX mx1\.a\.test does not answer on port 25; senders try the other MX hosts/);
  });

  it('says once that this network blocks port 25, instead of one timeout per MX host', async () => {
    const { c, diagnosed } = checks({ 'mx1.a.test': 'timeout', 'mx2.a.test': 'timeout', 'mx.b.test': 'timeout' }, 'network-blocks-25');
    c.add({ domain: 'a.test', locations: [at(1)] }, mx('a.test', 'mx1.a.test', 'mx2.a.test'));
    c.add({ domain: 'b.test', locations: [at(2)] }, mx('b.test', 'mx.b.test'));
    const found = await c.findings([]);
    assert.strictEqual(diagnosed.length, 3, 'each timeout is diagnosed (the caller shares the reference probes)');
    assert.deepStrictEqual(found.map((f) => [f.ruleId, f.severity, f.range.start.line]), [['smtp/outbound-25-blocked', 'warning', 1]]);
    assert.strictEqual(found[0].message, 'This network blocks outbound port 25, so 3 MX hosts could not be checked; run the check from elsewhere.');
    assert.match(found[0].details!, /^Not checked on port 25: MX mx1\.a\.test, mx2\.a\.test and 1 more\./);
    assert.deepStrictEqual(found[0].related?.map((r) => r.range.start.line), [2], 'the other domain\'s line, once');
  });

  it("compares an MX host's PTR with its greeting name, and reports it only for a host named within its domain", async () => {
    const build = () => {
      const asked: string[] = [];
      const c = new MxHostChecks({
        probe: async (host, port) => ({ host, port, address: '192.0.2.1', status: 'open', banner: `${host} ESMTP`, extensions: { STARTTLS: '' }, timings: { total: 1 } }),
        servers: { examine: async () => ({}) } as unknown as ServerChecks,
        relayScope: 'off',
        ownServer: () => undefined,
        reportedAsEndpoint: () => false,
        diagnoseTimeout: async () => assert.fail('no timeout here'),
        checkPtr: async (address, expectedName) => (asked.push(expectedName), { address, status: 'mismatch', names: ['host-1.isp.test'], forwardConfirmed: true, expectedName, ms: 1 }),
      });
      return { c, asked };
    };
    const own = build();
    own.c.add({ domain: 'a.test', locations: [at(1)] }, mx('a.test', 'mx.a.test'));
    assert.deepStrictEqual((await own.c.findings([])).map((f) => [f.ruleId, f.severity]), [['dns/ptr-mismatch', 'information']]);
    assert.deepStrictEqual(own.asked, ['mx.a.test'], 'against the name in its banner');
    // A hosted MX (the provider's name, the provider's PTR): nothing the domain owner can change, so no finding.
    const hosted = build();
    hosted.c.add({ domain: 'a.test', locations: [at(1)] }, mx('a.test', 'aspmx.l.provider.test'));
    assert.deepStrictEqual(await hosted.c.findings([]), []);
    assert.strictEqual((await hosted.c.all())[0].ptr?.status, 'mismatch', 'the Results panel still shows it');
  });

  it('skips MX hosts that are IP literals or have no address, and a null MX', async () => {
    const { c, probed } = checks({});
    const hosts: MxCheckResult = {
      domain: 'a.test',
      status: 'ok',
      hosts: [
        { exchange: '[192.0.2.9]', priority: 10, addresses: ['192.0.2.9'], isCname: false, isIpLiteral: true },
        { exchange: 'gone.a.test', priority: 20, addresses: [], isCname: false, isIpLiteral: false, error: 'ENOTFOUND' },
      ],
      ms: 1,
    };
    c.add({ domain: 'a.test', locations: [at(1)] }, hosts);
    c.add({ domain: 'n.test', locations: [at(2)] }, { domain: 'n.test', status: 'null-mx', hosts: [], ms: 1 });
    assert.deepStrictEqual(await c.findings([]), []);
    assert.deepStrictEqual(probed, []);
  });
});
