// The runner's one generic step: checks start in dependsOn order, each waits subject by subject for what its
// dependencies provide, a skipped subject reads as undefined once its check finishes, a check may wait only
// for what it declares, and a check's findings may wait for the checks that build on it.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as net from 'net';
import * as path from 'path';
import type { CheckRun, LiveCheck, LiveCheckId } from '../../../src/core/live/liveCheck';
import { LIVE_CHECKS } from '../../../src/core/live/liveCheckRegistry';
import { LiveRun, dependencyOrder } from '../../../src/core/live/liveRun';
import type { LiveTargets } from '../../../src/core/live/liveTargets';

/** One endpoint, so checks of endpoints have a subject (the stand-ins connect to nothing). */
const NO_TARGETS: LiveTargets = { probes: [{ host: '127.0.0.1', port: 25, locations: [] }], domains: [], ptrs: [] };
/** Stand-in ids: the runner treats any id alike. */
const id = (name: string) => name as LiveCheckId;

/** A check of the given id that runs `body` (only ids and dependsOn matter to the runner). */
function check(id: string, dependsOn: string[], body: (run: CheckRun) => Promise<void>): LiveCheck {
  return { id: id as LiveCheckId, label: id, subject: 'endpoint', dependsOn: dependsOn as LiveCheckId[], rules: [], results: [], load: async () => undefined, run: body };
}

describe('live run (the registry-driven runner)', () => {
  it('orders checks after their dependencies, keeping the given order otherwise, and refuses a cycle', () => {
    const order = dependencyOrder([check('c', ['b'], async () => {}), check('a', [], async () => {}), check('b', ['a'], async () => {}), check('d', [], async () => {})]);
    assert.deepStrictEqual(order.map((c) => c.id), ['a', 'b', 'c', 'd']);
    assert.throws(() => dependencyOrder([check('a', ['b'], async () => {}), check('b', ['a'], async () => {})]), /cycle/);
    // The registry's own order: every dependency before its dependents.
    const ids = dependencyOrder(LIVE_CHECKS).map((c) => c.id);
    for (const c of LIVE_CHECKS) for (const d of c.dependsOn) assert.ok(ids.indexOf(d) < ids.indexOf(c.id), `${d} before ${c.id}`);
  });

  it('hands each subject what the dependency provided, and undefined for a subject it skipped', async () => {
    const seen: string[] = [];
    const checks = [
      check('later', ['first'], async (run) => {
        const [x, y] = await Promise.all([run.need<number>(id('first'), 'x'), run.need<number>(id('first'), 'y')]);
        seen.push(`x=${x} y=${y}`);
      }),
      check('first', [], async (run) => {
        await new Promise((r) => setTimeout(r, 10));
        run.provide('x', 1);
        // 'y' is never provided: the dependent learns it was skipped when this check finishes.
      }),
    ];
    await new LiveRun(NO_TARGETS, {}).runAll(checks);
    assert.deepStrictEqual(seen, ['x=1 y=undefined']);
  });

  it('lets a check wait only for checks it declares, directly or through a dependency', async () => {
    const outcomes: string[] = [];
    const checks = [
      check('a', [], async (run) => run.provide('', 'A')),
      check('b', ['a'], async (run) => run.provide('', `${await run.need(id('a'))}B`)),
      check('c', ['b'], async (run) => void outcomes.push(`${await run.need(id('a'))} ${await run.need(id('b'))}`)),
      check('d', [], async (run) => {
        await assert.rejects(async () => run.need(id('a')), /"d" waits for "a", which it does not declare/);
      }),
    ];
    await new LiveRun(NO_TARGETS, {}).runAll(checks);
    assert.deepStrictEqual(outcomes, ['A AB']);
  });

  it("gives a check its dependents' outcomes on a subject, and runs the end steps after every check", async () => {
    const order: string[] = [];
    const checks = [
      check('probe', [], async (run) => {
        run.provide('s', 'open');
        const found = await run.dependents('s');
        order.push(`probe sees ${[...found].map(([id, v]) => `${id}=${v}`).join(',')}`);
        run.atEnd(async (results) => {
          order.push(`end after ${results.probes.length} probes`);
          return [];
        });
      }),
      check('scan', ['probe'], async (run) => {
        const p = await run.need(id('probe'), 's');
        await new Promise((r) => setTimeout(r, 5));
        run.provide('s', `scanned ${p}`);
        order.push('scan done');
      }),
      check('relay', ['probe'], async () => {
        order.push('relay skips');
      }),
    ];
    const report = await new LiveRun(NO_TARGETS, {}).runAll(checks);
    assert.deepStrictEqual(order, ['relay skips', 'scan done', 'probe sees scan=scanned open,relay=undefined', 'end after 0 probes']);
    assert.deepStrictEqual(Object.keys(report), ['probes', 'mx', 'ptr', 'outbound25', 'auth', 'findings', 'incomplete', 'tlsScans', 'relayTests']);
  });

  it('does not run (or load) a check whose subject kind the targets do not have; its dependents read undefined', async () => {
    const ran: string[] = [];
    const domainCheck: LiveCheck = { ...check('domains', [], async () => void ran.push('domains')), subject: 'domain' };
    const checks = [domainCheck, check('after', ['domains'], async (run) => void ran.push(`after got ${await run.need(id('domains'), 'x')}`))];
    await new LiveRun(NO_TARGETS, {}).runAll(checks);
    assert.deepStrictEqual(ran, ['after got undefined']);
    await new LiveRun({ ...NO_TARGETS, domains: [{ domain: 'example.test', locations: [] }] }, {}).runAll(checks);
    assert.deepStrictEqual(ran, ['after got undefined', 'domains', 'after got undefined']);
  });

  it('streams each emitted result to onResult and files it under its kind', async () => {
    const streamed: string[] = [];
    const checks = [
      check('mx', [], async (run) => {
        run.emit({ kind: 'mx', result: { domain: 'example.test', status: 'no-mx', hosts: [], ms: 1 } });
        run.emit({ kind: 'resolver', result: { status: 'ok', servers: ['127.0.0.1:53'], configured: true, name: 'example.test', ms: 1 } });
      }),
    ];
    const report = await new LiveRun(NO_TARGETS, { onResult: (r) => streamed.push(r.kind) }).runAll(checks);
    assert.deepStrictEqual(streamed, ['mx', 'resolver']);
    assert.deepStrictEqual(report.mx.map((m) => m.domain), ['example.test']);
    assert.strictEqual(report.resolver?.status, 'ok');
  });

  it('loads no MX or mail-authentication code for a run of SMTP ports alone (the `port` command), and loads it when a domain needs it', async () => {
    // A closed loopback port: the probe is refused at once.
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((r) => server.close(r));
    const liveChecks = path.join(__dirname, '../../../src/core/live/liveChecks.js');
    /** The check code a run loaded (the rule metadata, *Rules.js, loads with the registry: it is not code). */
    const loadedAfter = (targets: LiveTargets): string[] => {
      // A fresh process: this one has loaded every module already.
      const script = `require(${JSON.stringify(liveChecks)}).runLiveChecks(${JSON.stringify(targets)}, { stepTimeoutMs: 500, dnsServers: ['127.0.0.1:${port}'] }).then(() => console.log(JSON.stringify(Object.keys(require.cache))))`;
      const loaded: string[] = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
      return loaded.map((f) => path.relative(path.dirname(liveChecks), f)).filter((f) => /^(mailAuth|mxProbe|mxCheck|mailAuthCheck|smtpPortCheck)/.test(f) && !/Rules\.js$/.test(f)).sort();
    };
    assert.deepStrictEqual(loadedAfter({ probes: [{ host: '127.0.0.1', port, locations: [] }], domains: [], ptrs: [] }), ['smtpPortCheck.js']);
    const withDomain = loadedAfter({ probes: [], domains: [{ domain: 'example.test', locations: [] }], ptrs: [] });
    assert.ok(withDomain.includes('mxCheck.js') && withDomain.includes('mxProbe.js') && withDomain.includes('mailAuthCheck.js'), withDomain.join(', '));
  });
});
