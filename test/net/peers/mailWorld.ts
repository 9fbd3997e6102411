// A small mail world inside a network namespace the test creates (nothing in it can reach anything else):
// an authoritative nsd serving a DNSSEC-signed test root and `test.` zone (ECDSA P-256 keys from ldns-keygen,
// signed with ldns-signzone, the DS of `test.` in the root) plus unsigned child zones, a validating unbound
// whose only trust anchor is that root, and an /etc/netns/NAME/resolv.conf pointing at it, so every process
// started in the namespace (our CLI, posttls-finger, ldns-dane, nmap, testssl.sh) resolves the same way.
// Mail servers are added by the test (Postfix with `netns`), each on a loopback address of its own with the
// real ports 25/587/465. Needs root on Linux with nsd, unbound and ldnsutils installed (.ci/run installs them).

import { ChildProcess, execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { hasCommand } from './netns';

const run = promisify(execFile);

/** The authoritative server's and the resolver's addresses inside the namespace. */
export const AUTHORITATIVE = '127.0.0.2';
export const RESOLVER = '127.0.0.53';

export interface ChildZone {
  /** e.g. `unsigned.test` (delegated from `test.` without a DS: provably insecure). */
  readonly name: string;
  /** Zone-file lines relative to the zone's origin. */
  readonly records: readonly string[];
}

export interface MailWorldOptions {
  /** Loopback addresses the servers will use (each is added to lo as a /32). */
  readonly addresses: readonly string[];
  /** Zone-file lines of the signed `test.` zone (origin `test.`). */
  readonly testZone: readonly string[];
  readonly unsignedZones?: readonly ChildZone[];
}

export interface ExecResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface MailWorld {
  readonly netns: string;
  readonly dir: string;
  /** Runs a command inside the namespace. */
  exec(command: string, args: readonly string[], options?: { readonly timeoutMs?: number; readonly env?: NodeJS.ProcessEnv; readonly cwd?: string }): Promise<ExecResult>;
  stop(): Promise<void>;
}

/** Why the world cannot be built here, or undefined. */
export function mailWorldUnavailable(): string | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return 'needs root on Linux';
  for (const cmd of ['ip', 'nsd', 'unbound', 'ldns-keygen', 'ldns-signzone', 'ldns-key2ds', 'drill']) if (!hasCommand(cmd)) return `${cmd} is not installed (Debian nsd, unbound, ldnsutils)`;
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function sh(command: string, args: readonly string[], cwd?: string): Promise<string> {
  const { stdout } = await run(command, [...args], { cwd, timeout: 30_000 });
  return stdout.trim();
}

/** A KSK and a ZSK for `zone`, made in `dir`; their file base names. */
async function keys(zone: string, dir: string): Promise<{ ksk: string; zsk: string }> {
  const ksk = await sh('ldns-keygen', ['-a', 'ECDSAP256SHA256', '-k', zone], dir);
  const zsk = await sh('ldns-keygen', ['-a', 'ECDSAP256SHA256', zone], dir);
  return { ksk, zsk };
}

function zoneFile(origin: string, lines: readonly string[]): string {
  const soaHost = origin === '.' ? 'a.root.' : 'ns.test.';
  return [`$ORIGIN ${origin}`, '$TTL 300', `@ SOA ${soaHost} hostmaster.test. 1 3600 600 86400 300`, ...lines, ''].join('\n');
}

export async function startMailWorld(options: MailWorldOptions): Promise<MailWorld> {
  const why = mailWorldUnavailable();
  if (why) throw new Error(`cannot build the mail world: ${why}`);
  const netns = `smw-${process.pid % 100_000}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-world-'));
  fs.chmodSync(dir, 0o755);
  const zones = path.join(dir, 'zones');
  fs.mkdirSync(zones);
  const children: ChildProcess[] = [];
  const etcNetns = path.join('/etc/netns', netns);

  const stop = async () => {
    for (const child of children.splice(0)) {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve)));
    }
    await run('ip', ['netns', 'del', netns]).catch(() => undefined);
    fs.rmSync(etcNetns, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    await run('ip', ['netns', 'del', netns]).catch(() => undefined);
    await sh('ip', ['netns', 'add', netns]);
    await sh('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
    for (const address of [AUTHORITATIVE, RESOLVER, ...options.addresses]) {
      await sh('ip', ['-n', netns, 'addr', 'add', `${address}/32`, 'dev', 'lo']);
      // Clients in the namespace then come from 127.0.0.1, not from the server's own address (which every
      // mynetworks_style trusts).
      await sh('ip', ['-n', netns, 'route', 'change', 'local', address, 'dev', 'lo', 'table', 'local', 'proto', 'kernel', 'scope', 'host', 'src', '127.0.0.1']);
    }

    // The signed test root and test. zone; unsigned children delegated from test. without a DS.
    const test = await keys('test.', zones);
    const root = await keys('.', zones);
    const delegations = (options.unsignedZones ?? []).map((z) => `${z.name}. NS ns.test.`);
    const key = (base: string) => fs.readFileSync(path.join(zones, `${base}.key`), 'utf8');
    fs.writeFileSync(path.join(zones, 'test.zone'), zoneFile('test.', ['@ NS ns.test.', `ns A ${AUTHORITATIVE}`, ...options.testZone, ...delegations]) + key(test.ksk) + key(test.zsk));
    await sh('ldns-signzone', ['-n', 'test.zone', test.ksk, test.zsk], zones);
    const ds = await sh('ldns-key2ds', ['-n', '-2', `${test.ksk}.key`], zones);
    fs.writeFileSync(path.join(zones, 'root.zone'), zoneFile('.', ['. NS a.root.', `a.root. A ${AUTHORITATIVE}`, 'test. NS ns.test.', `ns.test. A ${AUTHORITATIVE}`, ds]) + key(root.ksk) + key(root.zsk));
    await sh('ldns-signzone', ['-n', 'root.zone', root.ksk, root.zsk], zones);
    for (const z of options.unsignedZones ?? []) fs.writeFileSync(path.join(zones, `${z.name}.zone`), zoneFile(`${z.name}.`, ['@ NS ns.test.', ...z.records]));
    fs.writeFileSync(path.join(zones, 'root.anchor'), key(root.ksk));

    fs.writeFileSync(
      path.join(dir, 'nsd.conf'),
      [
        'server:',
        `  ip-address: ${AUTHORITATIVE}`,
        '  port: 53',
        '  username: ""',
        '  chroot: ""',
        `  zonesdir: "${zones}"`,
        '  database: ""',
        `  pidfile: "${dir}/nsd.pid"`,
        `  xfrdfile: "${dir}/xfrd.state"`,
        `  zonelistfile: "${dir}/zone.list"`,
        `  logfile: "${dir}/nsd.log"`,
        'remote-control:',
        '  control-enable: no',
        ...[['.', 'root.zone.signed'], ['test.', 'test.zone.signed'], ...(options.unsignedZones ?? []).map((z) => [`${z.name}.`, `${z.name}.zone`])].flatMap(([name, file]) => ['zone:', `  name: "${name}"`, `  zonefile: "${file}"`]),
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'root.hints'), `. 3600 IN NS a.root.\na.root. 3600 IN A ${AUTHORITATIVE}\n`);
    fs.writeFileSync(
      path.join(dir, 'unbound.conf'),
      [
        'server:',
        `  interface: ${RESOLVER}`,
        '  port: 53',
        '  username: ""',
        '  chroot: ""',
        `  directory: "${dir}"`,
        `  pidfile: "${dir}/unbound.pid"`,
        `  logfile: "${dir}/unbound.log"`,
        '  use-syslog: no',
        '  do-ip6: no',
        '  access-control: 127.0.0.0/8 allow',
        // The authoritative server is on loopback, and test. is a special-use name unbound answers itself otherwise.
        '  do-not-query-localhost: no',
        '  local-zone: "test." nodefault',
        `  root-hints: "${dir}/root.hints"`,
        `  trust-anchor-file: "${zones}/root.anchor"`,
        '  module-config: "validator iterator"',
        'remote-control:',
        '  control-enable: no',
        '',
      ].join('\n'),
    );
    const daemon = (command: string, args: string[]) => {
      const child = spawn('ip', ['netns', 'exec', netns, command, ...args], { stdio: 'ignore' });
      children.push(child);
      return child;
    };
    daemon('nsd', ['-d', '-c', path.join(dir, 'nsd.conf')]);
    daemon('unbound', ['-d', '-c', path.join(dir, 'unbound.conf')]);
    fs.mkdirSync(etcNetns, { recursive: true });
    fs.writeFileSync(path.join(etcNetns, 'resolv.conf'), `nameserver ${RESOLVER}\noptions edns0 trust-ad\n`);

    const exec: MailWorld['exec'] = (command, args, o = {}) =>
      new Promise((resolve, reject) => {
        const child = spawn('ip', ['netns', 'exec', netns, command, ...args], { cwd: o.cwd, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.once('error', reject);
        child.once('close', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr });
        });
      });

    // Ready when the resolver validates the signed zone (the AD bit on test.'s SOA).
    const deadline = Date.now() + 15_000;
    for (;;) {
      const r = await exec('drill', ['-D', `@${RESOLVER}`, 'SOA', 'test.'], { timeoutMs: 5000 });
      if (/flags:.*\bad\b/.test(r.stdout) && /NOERROR/.test(r.stdout)) break;
      if (Date.now() > deadline) {
        const logs = ['nsd.log', 'unbound.log'].map((f) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8') : '')).join('\n');
        throw new Error(`the validating resolver did not answer for test. within 15 s:\n${r.stdout}${r.stderr}\n${logs}`);
      }
      await sleep(200);
    }
    return { netns, dir, exec, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
