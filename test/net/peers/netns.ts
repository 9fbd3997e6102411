// Two network namespaces for the net tests: "client" and "remote", joined by a veth pair, addresses only on
// that pair. Firewall rules (iptables, else nft) and servers live inside the namespaces, so nothing a test
// sends leaves them. Needs root on Linux; elsewhere the suites that use this skip with a logged reason.
//
// Deleting a namespace removes its veth end (and so the pair), its addresses and its firewall rules, so
// cleaning up is: stop the servers, delete both namespaces.

import { ChildProcess, execFile, execFileSync, spawn } from 'child_process';
import { promisify } from 'util';

const run = promisify(execFile);

/** The names of one pair: two namespaces and the two ends of the veth that joins them. */
export interface NamespacePair {
  readonly client: string;
  readonly remote: string;
  readonly vethClient: string;
  readonly vethRemote: string;
}

/**
 * Names unique to this process: `${tag}-${id}-client`, `${tag}-${id}-remote`, `${tag}c${id}`, `${tag}r${id}`
 * (id = pid % 100000). Give each test file its own tag (and subnet) so files can share one mocha process.
 */
export function namespacePair(tag: string): NamespacePair {
  const id = process.pid % 100_000;
  return { client: `${tag}-${id}-client`, remote: `${tag}-${id}-remote`, vethClient: `${tag}c${id}`, vethRemote: `${tag}r${id}` };
}

/** Why namespaces cannot be created here at all (not root on Linux), or undefined when they may be tried. */
export function netnsUnavailable(): string | undefined {
  if (process.platform === 'linux' && process.getuid?.() === 0) return undefined;
  return `needs root on Linux (platform ${process.platform}, uid ${process.getuid?.()})`;
}

/** Logs why the suite cannot run (under its title) and skips it. */
function skipSuite(ctx: Mocha.Context, reason: string): never {
  console.log(`      cannot create network namespaces here: ${reason}`);
  ctx.skip();
}

/** Runs `ip` with these arguments; its stderr is kept on the thrown error. */
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/**
 * Creates both namespaces and the veth pair, puts the addresses on its ends (all in one subnet of
 * `prefixLength` bits) and brings lo and the veth end up in each. Throws (with `ip`'s stderr) on failure,
 * e.g. where `ip netns` does not work; whatever was made by then is left for `deleteNamespaces`.
 */
export function createNamespacePair(
  pair: NamespacePair,
  addresses: { client: readonly string[]; remote: readonly string[] },
  prefixLength = 29,
): void {
  ip('netns', 'add', pair.client);
  ip('netns', 'add', pair.remote);
  ip('link', 'add', pair.vethClient, 'netns', pair.client, 'type', 'veth', 'peer', 'name', pair.vethRemote, 'netns', pair.remote);
  for (const addr of addresses.client) ip('-n', pair.client, 'addr', 'add', `${addr}/${prefixLength}`, 'dev', pair.vethClient);
  for (const addr of addresses.remote) ip('-n', pair.remote, 'addr', 'add', `${addr}/${prefixLength}`, 'dev', pair.vethRemote);
  for (const [ns, dev] of [[pair.client, pair.vethClient], [pair.remote, pair.vethRemote]]) {
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    ip('-n', ns, 'link', 'set', dev, 'up');
  }
  // IPv6 duplicate-address detection is irrelevant here: the addresses are IPv4 and usable at once.
}

/** Deletes both namespaces (and with them the veth pair, addresses and rules); missing ones are fine. */
export function deleteNamespaces(pair: NamespacePair): void {
  for (const ns of [pair.client, pair.remote]) {
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      // Not there: nothing to clean.
    }
  }
}

/**
 * Runs `script` with node inside namespace `ns`, `arg` passed as JSON in process.argv[1]; resolves to its
 * stdout. Rejects when it fails or outlives `timeoutMs`.
 */
export async function runNodeInNamespace(ns: string, script: string, arg: unknown, timeoutMs: number): Promise<string> {
  const { stdout } = await run('ip', ['netns', 'exec', ns, process.execPath, '-e', script, JSON.stringify(arg)], { timeout: timeoutMs });
  return stdout;
}

/** Ends a server from `startServerInNamespace`: closes its stdin (it exits on that) and kills it. */
export function stopServer(server: ChildProcess): void {
  server.stdin?.end();
  server.kill();
}

/**
 * Starts `script` with node inside namespace `ns`, `arg` as JSON in process.argv[1], and waits (5 s at most)
 * for its first output, which means it is ready. The script must exit when its stdin ends, so it dies with
 * the test process. `label` names it in errors ("the SMTP server" → "the SMTP server in the remote
 * namespace did not start in 5 s"). On failure the child is stopped before the promise rejects.
 */
export async function startServerInNamespace(ns: string, script: string, arg: unknown, label: string): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', script, JSON.stringify(arg)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${label} in the remote namespace did not start in 5 s`)), 5_000);
      child.stdout?.once('data', () => {
        clearTimeout(timer);
        resolve();
      });
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`${label} in the remote namespace exited (${code})`)));
    });
  } catch (error) {
    stopServer(child);
    throw error;
  }
  return child;
}

/** Starts servers for `useNamespacePair`'s set-up; they are stopped with the namespaces. */
export type ServerStarter = (ns: string, script: string, arg: unknown, label: string) => Promise<ChildProcess>;

/**
 * Registers before/after hooks in the calling `describe`: skips the suite (logging why) unless this is root
 * on Linux; otherwise builds the pair (after removing any left from an earlier run of this pid) and runs
 * `setUp` (firewall rules, servers started with the `startServer` it is given). If anything fails there,
 * everything is removed and the suite skipped with the reason. After the suite, servers are stopped and
 * both namespaces deleted, whatever happened.
 */
export function useNamespacePair(
  pair: NamespacePair,
  addresses: { client: readonly string[]; remote: readonly string[] },
  setUp: (startServer: ServerStarter) => Promise<void> | void,
): void {
  const servers: ChildProcess[] = [];

  function cleanUp() {
    for (const server of servers.splice(0)) stopServer(server);
    deleteNamespaces(pair);
  }

  before(async function () {
    const unavailable = netnsUnavailable();
    if (unavailable) skipSuite(this, unavailable);
    cleanUp();
    try {
      createNamespacePair(pair, addresses);
      await setUp(async (ns, script, arg, label) => {
        const server = await startServerInNamespace(ns, script, arg, label);
        servers.push(server);
        return server;
      });
    } catch (error) {
      cleanUp();
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      skipSuite(this, stderr || (error as Error).message);
    }
  });

  after(cleanUp);
}

/** Whether `cmd` is on the PATH. */
export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export type FirewallChain = 'input' | 'output';
/** drop: silence; tcp-reset: refuse with a TCP reset; icmp: reject with ICMP port-unreachable. */
export type FirewallAction = 'drop' | 'tcp-reset' | 'icmp';
/** One filter rule; without daddr or dport it matches every destination address or every (TCP) port. */
export interface FirewallRule {
  readonly chain: FirewallChain;
  readonly daddr?: string;
  readonly dport?: number;
  readonly action: FirewallAction;
}

export interface Firewall {
  readonly tool: 'iptables' | 'nft';
  /** Appends the rule to its chain. */
  add(rule: FirewallRule): void;
  /** Deletes a rule `add` made; the other rules stay (nft: the chain is flushed and they are added again). */
  remove(rule: FirewallRule): void;
  /** Adds the rule, runs `body`, and removes the rule again however `body` ends. */
  withRule<T>(rule: FirewallRule, body: () => Promise<T>): Promise<T>;
}

/**
 * Firewall rules inside namespace `ns`, with iptables if present, else nft (in table inet `table`, which is
 * created with a filter chain for each of `chains`: give each test file its own table name).
 */
export function firewall(ns: string, table: string, chains: readonly FirewallChain[] = ['input']): Firewall {
  const useIptables = hasCommand('iptables');
  const exec = (args: string[]) => execFileSync('ip', ['netns', 'exec', ns, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  /** What `add` made and was not removed since, in order (nft re-adds these after a flush). */
  const rules: FirewallRule[] = [];

  if (!useIptables) {
    exec(['nft', 'add', 'table', 'inet', table]);
    for (const chain of chains) exec(['nft', 'add', 'chain', 'inet', table, chain, `{ type filter hook ${chain} priority 0; }`]);
  }

  const iptablesSpec = (rule: FirewallRule) => [
    rule.chain.toUpperCase(),
    ...(rule.daddr ? ['-d', rule.daddr] : []),
    ...(rule.dport ? ['-p', 'tcp', '--dport', String(rule.dport)] : []),
    '-j',
    ...{ drop: ['DROP'], 'tcp-reset': ['REJECT', '--reject-with', 'tcp-reset'], icmp: ['REJECT'] }[rule.action],
  ];
  const nftAdd = (rule: FirewallRule) =>
    exec([
      'nft', 'add', 'rule', 'inet', table, rule.chain,
      ...(rule.daddr ? ['ip', 'daddr', rule.daddr] : []),
      ...(rule.dport ? ['tcp', 'dport', String(rule.dport)] : []),
      ...{ drop: ['drop'], 'tcp-reset': ['reject', 'with', 'tcp', 'reset'], icmp: ['reject'] }[rule.action],
    ]);
  const same = (a: FirewallRule, b: FirewallRule) =>
    a.chain === b.chain && a.daddr === b.daddr && a.dport === b.dport && a.action === b.action;

  const fw: Firewall = {
    tool: useIptables ? 'iptables' : 'nft',
    add(rule) {
      if (useIptables) exec(['iptables', '-A', ...iptablesSpec(rule)]);
      else nftAdd(rule);
      rules.push(rule);
    },
    remove(rule) {
      const i = rules.findIndex((r) => same(r, rule));
      if (i >= 0) rules.splice(i, 1);
      if (useIptables) {
        exec(['iptables', '-D', ...iptablesSpec(rule)]);
      } else {
        // nft deletes by handle only: flush the chain, then add back the rules that stay.
        exec(['nft', 'flush', 'chain', 'inet', table, rule.chain]);
        for (const kept of rules) if (kept.chain === rule.chain) nftAdd(kept);
      }
    },
    async withRule(rule, body) {
      fw.add(rule);
      try {
        return await body();
      } finally {
        fw.remove(rule);
      }
    },
  };
  return fw;
}
