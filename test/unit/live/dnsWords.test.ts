import * as assert from 'assert';
import { dnsErrorWords, localhostAddresses, needsDns, resolveAddresses } from '../../../src/core/live/dnsChecks';
import { mxFindings, probeFindings, ptrFindings, resolverFindings } from '../../../src/core/live/liveFindings';
import type { SmtpProbeResult } from '../../../src/core/live/probeTypes';

const where = { file: 'main.cf', range: { start: { line: 2, character: 11 }, end: { line: 2, character: 22 } } };

describe('DNS answers in words', () => {
  it('tells NXDOMAIN, NODATA, SERVFAIL, a timeout, REFUSED and a dead server apart, and none reads like a refused SMTP port', () => {
    const codes = ['ENOTFOUND', 'ENODATA', 'ESERVFAIL', 'ETIMEOUT', 'EREFUSED', 'ECONNREFUSED'];
    const words = codes.map(dnsErrorWords);
    assert.strictEqual(new Set(words).size, codes.length, words.join(' | '));
    assert.deepStrictEqual(words.map((w) => /\((NXDOMAIN|NODATA|SERVFAIL|timeout|REFUSED|connection refused)\)$/.exec(w)?.[1]), ['NXDOMAIN', 'NODATA', 'SERVFAIL', 'timeout', 'REFUSED', 'connection refused']);
    const refusedPort = probeFindings(where, { host: 'a.test', port: 25, status: 'refused', timings: { total: 1 } })[0].message;
    for (const w of words) assert.ok(!refusedPort.includes(w), w);
  });

  it('says the words in the MX, PTR and probe findings instead of the resolver code', () => {
    const mx = mxFindings(where, { domain: 'example.test', status: 'lookup-failed', hosts: [], error: 'ESERVFAIL', ms: 1 })[0];
    assert.strictEqual(mx.message, 'The MX lookup of example.test failed: the DNS server failed to get an answer (SERVFAIL); check the DNS server.');
    const nx = mxFindings(where, { domain: 'example.test', status: 'no-mx', hosts: [], error: 'ENOTFOUND', ms: 1 })[0];
    assert.match(nx.message, /does not exist in DNS \(NXDOMAIN\)/);
    const ptr = ptrFindings(where, { address: '192.0.2.1', status: 'lookup-failed', names: [], forwardConfirmed: false, error: 'ETIMEOUT', ms: 1 })[0];
    assert.match(ptr.message, /no answer from the DNS server in time \(timeout\)/);
    const probe: SmtpProbeResult = { host: 'smtp.example.test', port: 587, status: 'dns-failure', dnsError: 'ENOTFOUND', detail: 'smtp.example.test does not resolve (ENOTFOUND)', timings: { total: 1 } };
    const [f] = probeFindings(where, probe);
    assert.strictEqual(f.message, 'smtp.example.test does not resolve: no such name (NXDOMAIN); check the host name.');
    assert.ok(!/does not resolve/.test(f.details ?? ''), 'the detail does not say it twice');
  });

  it('never asks DNS about localhost names or IP literals', async () => {
    assert.deepStrictEqual(localhostAddresses('LocalHost.'), ['127.0.0.1', '::1']);
    assert.deepStrictEqual(localhostAddresses('api.localhost'), ['127.0.0.1', '::1']);
    assert.strictEqual(localhostAddresses('localhost.example.com'), undefined);
    assert.deepStrictEqual([needsDns('localhost'), needsDns('[192.0.2.1]'), needsDns('::1'), needsDns('mail.example.com')], [false, false, false, true]);
    // Servers that would refuse at once: an answer here can only come from not asking.
    assert.deepStrictEqual(await resolveAddresses('localhost', { servers: ['127.0.0.1:1'], timeoutMs: 200 }), ['127.0.0.1', '::1']);
    assert.deepStrictEqual(await resolveAddresses('[2001:db8::1]', { servers: ['127.0.0.1:1'], timeoutMs: 200 }), ['2001:db8::1']);
  });

  it('a dead resolver is one short finding naming the servers and the setting, with the other lines related', () => {
    const at = (line: number) => ({ file: 'main.cf', range: { start: { line, character: 0 }, end: { line, character: 4 } } });
    const dead = { servers: ['127.0.0.1:1'], configured: true, status: 'dead' as const, name: 'example.test', error: 'ECONNREFUSED', ms: 3 };
    const [f] = resolverFindings(dead, [at(1), at(4), at(9)], 'smtpDoctor.dnsServers');
    assert.strictEqual(f.message, 'DNS server 127.0.0.1:1 refused the query: live DNS checks skipped; fix smtpDoctor.dnsServers.');
    assert.deepStrictEqual([f.range.start.line, f.related?.map((r) => r.range.start.line)], [1, [4, 9]]);
    const system = resolverFindings({ ...dead, configured: false, error: 'ETIMEOUT', servers: ['127.0.0.53'] }, [at(1)], '--dns')[0];
    assert.strictEqual(system.message, "The system's DNS server (127.0.0.53) did not answer: live DNS checks skipped; set --dns.");
    assert.deepStrictEqual(resolverFindings({ ...dead, status: 'ok' }, [at(1)], '--dns'), []);
    // Each line once (a line can name a domain and an address), at most 8 listed, all counted in the details.
    const many = resolverFindings(dead, [at(1), at(1), ...Array.from({ length: 12 }, (_, i) => at(i + 2))], '--dns')[0];
    assert.deepStrictEqual(many.related?.map((r) => r.range.start.line), [2, 3, 4, 5, 6, 7, 8, 9]);
    assert.match(many.details!, /13 place\(s\) name such hosts or domains \(the first 9 are listed\)/);
  });
});
