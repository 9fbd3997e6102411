// The engine's LiveSession against real SMTP servers on 127.0.0.1 (in-process peers on ephemeral ports):
// targets from a Workspace in, streamed results and a merged report out.
import * as assert from 'assert';
import { Workspace } from '../../../src/core/engine/workspace';
import { LiveSession, type LiveProgressStep, probeTargetsFor } from '../../../src/core/engine/liveSession';
import { targetsNamedIn } from '../../../src/core/engine/liveMerge';
import { liveTargetsOf } from '../../../src/core/engine/workspaceLiveTargets';
import type { LiveResult } from '../../../src/core/live/liveChecks';
import type { LiveTargets } from '../../../src/core/live/liveTargets';
import type { Finding } from '../../../src/core/model';
import { type Peer, dialogue, silent, startPeer } from '../../net/peers/hostileSmtp';

const mailer = (port: number) => `import nodemailer from 'nodemailer';\nexport const transport = nodemailer.createTransport({\n  host: '127.0.0.1',\n  port: ${port},\n  secure: false,\n  requireTLS: true,\n});\n`;

/** A workspace of two applications, each sending through its own server. */
function workspaceOf(a: number, b: number): { workspace: Workspace; targets: LiveTargets } {
  const workspace = new Workspace();
  workspace.setFile('/p/a/mailer.ts', mailer(a));
  workspace.setFile('/p/b/mailer.ts', mailer(b));
  return { workspace, targets: liveTargetsOf(workspace.result(), (f) => workspace.textOf(f)) };
}

const session = (results: LiveResult[] = []) =>
  new LiveSession({ settings: { stepTimeoutMs: 2000, tlsScan: false, deadlineMs: 10_000 }, systemDnsServers: () => ['127.0.0.1:9'], onResult: (r) => results.push(r) });

const onFile = (findings: readonly Finding[], file: string) => findings.filter((f) => f.file === file).map((f) => f.ruleId).sort();
const statusOf = (s: LiveSession, port: number) => s.report()?.probes.find((p) => p.port === port)?.status;

describe('engine LiveSession (SMTP servers on 127.0.0.1)', () => {
  const peers: Peer[] = [];
  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.close()));
  });
  const peer = async (behaviour = dialogue()) => {
    const p = await startPeer(behaviour);
    peers.push(p);
    return p;
  };

  it('takes its targets from the Workspace: one probe per server a config names, on the line that names it', async () => {
    const [a, b] = [await peer(), await peer()];
    const { targets } = workspaceOf(a.port, b.port);
    assert.deepStrictEqual(targets.probes.map((t) => [t.host, t.port, t.locations.map((l) => `${l.file}:${l.range.start.line}`)]), [
      ['127.0.0.1', a.port, ['/p/a/mailer.ts:2']],
      ['127.0.0.1', b.port, ['/p/b/mailer.ts:2']],
    ]);
  });

  it('run streams each result as it arrives, with progress, and keeps the report', async () => {
    const [a, b] = [await peer(), await peer()];
    const { targets } = workspaceOf(a.port, b.port);
    const streamed: LiveResult[] = [];
    const s = session(streamed);
    const steps: LiveProgressStep[] = [];
    let reportedBeforeEnd = 0;
    const done = s.run(targets, { onProgress: (p) => steps.push(p) });
    assert.ok(s.isRunning);
    assert.deepStrictEqual(s.progress, { done: 0, total: 2 });
    const run = await done;
    reportedBeforeEnd = streamed.filter((r) => r.kind === 'probe').length;
    assert.strictEqual(reportedBeforeEnd, 2, 'both probes streamed before run() resolved');
    assert.deepStrictEqual(steps.map((p) => [p.done, p.total, p.step]), [[1, 2, 1], [2, 2, 1]]);
    assert.deepStrictEqual(steps.map((p) => p.label).sort(), [`127.0.0.1:${a.port} open`, `127.0.0.1:${b.port} open`].sort());
    assert.strictEqual(run.cancelled, false);
    assert.strictEqual(run.superseded, false);
    assert.ok(!s.isRunning);
    assert.strictEqual(s.progress, undefined);
    assert.deepStrictEqual([statusOf(s, a.port), statusOf(s, b.port)], ['open', 'open']);
    assert.deepStrictEqual(s.partial.filter((r) => r.kind === 'probe').length, 2);
    // The servers offer no STARTTLS where the transport requires it: a finding on each file.
    assert.ok(onFile(run.findings, '/p/a/mailer.ts').length > 0, JSON.stringify(run.findings));
    assert.deepStrictEqual(onFile(run.findings, '/p/a/mailer.ts'), onFile(run.findings, '/p/b/mailer.ts'));
    assert.strictEqual(s.probeResult('127.0.0.1', a.port)?.status, 'open');
  });

  it('recheck of one file replaces only its target\'s results and findings, and keeps the rest as they were', async () => {
    const [a, b] = [await peer(), await peer()];
    const { targets } = workspaceOf(a.port, b.port);
    const streamed: LiveResult[] = [];
    const s = session(streamed);
    const first = await s.run(targets);
    const keptProbe = s.report()!.probes.find((p) => p.port === b.port);
    const keptFindings = first.findings.filter((f) => f.file === '/p/b/mailer.ts');
    const replacedFindings = onFile(first.findings, '/p/a/mailer.ts');
    // a's server goes away: its re-check finds the port closed.
    await a.close();
    peers.splice(peers.indexOf(a), 1);
    streamed.length = 0;
    const subset = targetsNamedIn(targets, new Set(['/p/a/mailer.ts']));
    assert.deepStrictEqual(subset.probes.map((t) => t.port), [a.port]);
    // Fresh: a probe of the last minute would otherwise be answered from the cache.
    const pending = s.recheck(subset, { fresh: true });
    // While it runs, b's earlier result is carried over as a result of this run.
    assert.ok(s.partial.some((r) => r.kind === 'probe' && r.result === keptProbe));
    const rerun = await pending;
    assert.deepStrictEqual(rerun.probes.map((p) => p.port), [a.port], 'the re-check probes only a');
    assert.deepStrictEqual(streamed.filter((r) => r.kind === 'probe').map((r) => r.kind === 'probe' && r.result.port), [a.port]);
    const merged = s.report()!;
    assert.strictEqual(statusOf(s, a.port), 'refused');
    assert.strictEqual(merged.probes.find((p) => p.port === b.port), keptProbe, 'b\'s result is the earlier one');
    assert.deepStrictEqual(merged.findings.filter((f) => f.file === '/p/b/mailer.ts'), keptFindings, 'b\'s findings are kept');
    const now = onFile(merged.findings, '/p/a/mailer.ts');
    assert.ok(now.length > 0);
    assert.notDeepStrictEqual(now, replacedFindings, 'a\'s findings are those of the re-check');
    assert.deepStrictEqual(now, onFile(rerun.findings, '/p/a/mailer.ts'));
    assert.deepStrictEqual(s.targets?.probes.map((t) => t.port), [a.port, b.port]);
  });

  it('recheck of one host:port checked by hand adds it beside the workspace\'s results; removeCheckedHost takes it away', async () => {
    const [a, b, byHand] = [await peer(), await peer(), await peer()];
    const { targets } = workspaceOf(a.port, b.port);
    const s = session();
    await s.run(targets);
    const before = s.report()!.findings;
    await s.recheck(probeTargetsFor('127.0.0.1', [byHand.port], targets.probes));
    assert.deepStrictEqual(s.report()!.probes.map((p) => p.port).sort(), [a.port, b.port, byHand.port].sort());
    assert.deepStrictEqual(s.report()!.findings, before, 'a host no config names has no line to put findings on');
    assert.ok(s.removeCheckedHost('127.0.0.1', byHand.port));
    assert.deepStrictEqual(s.report()!.probes.map((p) => p.port).sort(), [a.port, b.port].sort());
    assert.ok(!s.removeCheckedHost('127.0.0.1', a.port), 'a host a config names stays');
  });

  it('a recheck with nothing to check changes nothing', async () => {
    const [a, b] = [await peer(), await peer()];
    const { targets } = workspaceOf(a.port, b.port);
    const s = session();
    await s.run(targets);
    const report = s.report();
    const run = await s.recheck(targetsNamedIn(targets, new Set(['/p/elsewhere.ts'])));
    assert.deepStrictEqual(run.probes, []);
    assert.strictEqual(s.report(), report);
  });

  it('prune drops the targets a config no longer names', async () => {
    const [a, b] = [await peer(), await peer()];
    const { workspace, targets } = workspaceOf(a.port, b.port);
    const s = session();
    await s.run(targets);
    workspace.deleteFile('/p/b/mailer.ts');
    assert.ok(s.prune(liveTargetsOf(workspace.result(), (f) => workspace.textOf(f))));
    assert.deepStrictEqual(s.targets?.probes.map((t) => t.port), [a.port]);
    assert.ok(!s.prune(liveTargetsOf(workspace.result(), (f) => workspace.textOf(f))), 'nothing more to drop');
  });

  it('cancel stops a run: it ends at once, cancelled, and nothing runs any more', async () => {
    const stuck = await peer(silent);
    const s = new LiveSession({ settings: { stepTimeoutMs: 30_000, tlsScan: false } });
    const started = Date.now();
    const pending = s.run(probeTargetsFor('127.0.0.1', [stuck.port]));
    while (stuck.connections === 0) await new Promise((r) => setTimeout(r, 10));
    s.cancel();
    const run = await pending;
    assert.ok(Date.now() - started < 5000, `ended ${Date.now() - started} ms after it started`);
    assert.strictEqual(run.cancelled, true);
    assert.ok(!s.isRunning);
    assert.notStrictEqual(s.report()?.probes[0]?.status, 'open');
  });

  it('a run started while another runs supersedes it: the first one\'s results are dropped', async () => {
    const [stuck, a] = [await peer(silent), await peer()];
    const s = session();
    const first = s.run(probeTargetsFor('127.0.0.1', [stuck.port]));
    while (stuck.connections === 0) await new Promise((r) => setTimeout(r, 10));
    const second = await s.run(probeTargetsFor('127.0.0.1', [a.port]));
    const dropped = await first;
    assert.strictEqual(dropped.cancelled, true);
    assert.strictEqual(dropped.superseded, true);
    assert.strictEqual(second.superseded, false);
    assert.deepStrictEqual(s.report()!.probes.map((p) => p.port), [a.port]);
  });

  it('an external signal cancels the run as cancel() does', async () => {
    const stuck = await peer(silent);
    const s = session();
    const abort = new AbortController();
    const pending = s.run(probeTargetsFor('127.0.0.1', [stuck.port]), { signal: abort.signal });
    while (stuck.connections === 0) await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    assert.strictEqual((await pending).cancelled, true);
  });
});
